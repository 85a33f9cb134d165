"""The interactive HTML viewer: its data and markup (plain unit tests), and its behaviour in a
real headless Chromium at 1920×1080 (Playwright, the system ``chromium``; skipped without
them, as in ``test_browser.py``): fit on open, zoom and pan, click highlight and side panel,
search, goal selector, presentation mode, nothing requested from the network, hostile names
never executed.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from prepmodel.checks.analysis import Analysis, analyse_text
from prepmodel.render import render
from prepmodel.render.html import present_symbols
from prepmodel.render.svgmarkup import dot_ids
from prepmodel.render.viewer import json_script

from .conftest import SAMPLES, run_prep
from .test_browser import CHROMIUM
from .test_browser import pytestmark as browser_marks

HOSTILE_NAMES = ("</script><script>alert(1)</script>", '"><img src=x onerror=alert(4)>')
HOSTILE = f"""model "{HOSTILE_NAMES[0]}"
goal Done
Done <- "{HOSTILE_NAMES[0]}", B {{ work: "<!--"; by: "\\"><img src=x onerror=alert(3)>" }}
B <- "\\"><img src=x onerror=alert(4)>", "{HOSTILE_NAMES[0]}"
external "{HOSTILE_NAMES[0]}", "\\"><img src=x onerror=alert(4)>"
"""
WIDTH, HEIGHT = 1920, 1080


def _analysis(name: str) -> Analysis:
    path = SAMPLES / f"{name}.prep"
    return analyse_text(path.read_text("utf-8"), f"samples/{name}.prep")


def _page_data(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="prep-data">(.*?)</script>', html, re.S)
    assert match is not None
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def _closure(a: Analysis, key: str) -> set[str]:
    """The deliverable, everything it needs and everything that needs it (any route)."""
    graph = a.graph.g
    return {key} | set(nx.ancestors(graph, key)) | set(nx.descendants(graph, key))


# ------------------------------------------------------------------------ without a browser


@pytest.mark.parametrize("name", ["onboarding", "restaurant"])
def test_svg_nodes_carry_name_and_source(name: str) -> None:
    a = _analysis(name)
    svg = render(a, "svg").data
    root = ET.fromstring(svg)  # still well-formed
    ids = {v: k for k, v in dot_ids(a.model).items()}
    seen = 0
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if "deliverable" not in (g.get("class") or "").split():
            continue
        title = g.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and title.text is not None
        key = ids[title.text.split("_c")[0]]
        d = a.model.deliverables[key]
        assert g.get("data-name") == d.name
        assert g.get("data-src") == f"samples/{name}.prep:{d.span.line}"
        seen += 1
    assert seen >= len(a.journey.steps)
    assert render(a, "svg").data == svg


def test_html_is_deterministic_and_its_data_parses() -> None:
    a = _analysis("onboarding")
    page = render(a, "html").data
    assert render(_analysis("onboarding"), "html").data == page
    data = _page_data(page.decode("utf-8"))
    assert data["lang"] == "ja"
    assert [d["name"] for d in data["deliverables"]] == [
        d.name for d in a.model.deliverables.values()
    ]
    by_id = {d["id"]: d for d in data["deliverables"]}
    plan = by_id[dot_ids(a.model)["導入計画書"]]
    assert plan["step"] == a.journey.step_of["導入計画書"] and plan["phase"] == "Land"
    assert plan["routes"][0]["work"] == "計画策定" and plan["routes"][0]["by"] == ["CSM"]
    assert plan["src"] == "samples/onboarding.prep:13"
    assert [p["name"] for p in data["phases"]] == ["Land", "Adopt", "Expand", "Renew"]
    assert {g["name"] for g in data["goals"]} == {"定着した顧客業務", "更新契約"}


def test_data_carries_effort_kpi_owner_and_groups() -> None:
    a = _analysis("software-design")
    data = _page_data(render(a, "html").data.decode("utf-8"))
    by_name = {d["name"]: d for d in data["deliverables"]}
    review = by_name["Design review record"]
    assert review["routes"][0]["effort"] == "1d" and review["routes"][0]["by"] == ["Reviewer"]
    report = by_name["Test report"]
    assert report["kpi"] == ["Defect escape rate"] and report["owner"] == "Reviewer"
    package = by_name["Design package"]
    assert package["kind"] == "group" and package["members"]
    assert package["inputs"] == package["members"]


def test_hostile_names_cannot_leave_the_json() -> None:
    data = {"names": [*HOSTILE_NAMES, "<!-- x", "a\u2028b"]}
    script = json_script(data)
    body = script[script.index(">") + 1 : -len("</script>")]
    assert "<" not in body and ">" not in body
    assert json.loads(body) == data


def test_hostile_names_keep_the_svg_well_formed() -> None:
    a = analyse_text(HOSTILE, "hostile.prep")
    root = ET.fromstring(render(a, "svg").data)
    names = {
        g.get("data-name")
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if g.get("data-name") is not None
    }
    assert set(HOSTILE_NAMES) <= names


def test_lang_option_sets_every_word(tmp_path: Path) -> None:
    out = tmp_path / "en.html"
    result = run_prep("render", str(SAMPLES / "onboarding.prep"), "--lang", "en", "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    html = out.read_text("utf-8")
    assert '<html lang="en">' in html and "<h2>Checkpoints</h2>" in html
    assert "Assembly steps" in html and "組立手順" not in html  # the step list in the SVG
    assert _page_data(html)["words"]["step"] == "Step"
    ja = render(_analysis("restaurant"), "html", lang="ja").data.decode("utf-8")
    assert '<html lang="ja">' in ja and "<h2>チェックポイント</h2>" in ja and "組立手順" in ja


@pytest.mark.parametrize("name", ["onboarding", "restaurant"])
def test_legend_lists_only_the_symbols_drawn(name: str) -> None:
    html = render(_analysis(name), "html").data.decode("utf-8")
    legend = re.findall(r'<li data-symbol="([^"]+)"', html)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert legend == present_symbols(svg)
    assert "gap" not in legend and "junction" in legend and "checkpoint" in legend
    assert ("some-routes" in legend) == (name == "restaurant")  # the dashed Menu and Tablet
    assert ("phase" in legend) == (name == "onboarding")


# ---------------------------------------------------------------------------- in a browser

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("viewer")
    files = {}
    for name in ("onboarding", "restaurant"):
        files[name] = out / f"{name}.html"
        files[name].write_bytes(render(_analysis(name), "html").data)
    files["hostile"] = out / "hostile.html"
    files["hostile"].write_bytes(render(analyse_text(HOSTILE, "hostile.prep"), "html").data)
    return files


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    for mark in browser_marks:
        if mark.args and mark.args[0]:
            pytest.skip(mark.kwargs["reason"])
    from .test_browser import ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Opened:
    """A page at 1920×1080 that records every request and dialog."""

    def __init__(self, browser: Browser, path: Path) -> None:
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page: Page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url == path.as_uri() else route.abort()
            ),
        )
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")
        self.page.evaluate("document.fonts.ready.then(() => true)")

    def view(self) -> dict[str, float]:
        return self.page.evaluate("prepViewer.view()")  # type: ignore[no-any-return]

    def rect(self, selector: str) -> dict[str, float]:
        return self.page.evaluate(  # type: ignore[no-any-return]
            "s => { const r = document.querySelector(s).getBoundingClientRect();"
            " return {x: r.x, y: r.y, w: r.width, h: r.height}; }",
            selector,
        )

    def lit(self) -> set[str]:
        return set(
            self.page.evaluate(
                "[...document.querySelectorAll('g.node.deliverable.lit')].map(g => g.dataset.id)"
            )
        )

    def close(self) -> None:
        assert not self.errors, self.errors
        self.page.close()


@pytest.fixture
def opened(browser: Browser, pages: dict[str, Path]) -> Iterator[Any]:
    made: list[Opened] = []

    def open_page(name: str) -> Opened:
        made.append(Opened(browser, pages[name]))
        return made[-1]

    yield open_page
    for o in made:
        o.close()


def _within(inner: dict[str, float], outer: dict[str, float], slack: float = 1.0) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["w"] <= outer["x"] + outer["w"] + slack
        and inner["y"] + inner["h"] <= outer["y"] + outer["h"] + slack
    )


@pytest.mark.parametrize("name", ["onboarding", "restaurant"])
def test_fits_the_window_on_open_and_sends_no_request(
    opened: Any, pages: dict[str, Path], name: str
) -> None:
    o = opened(name)
    stage = o.rect("#stage")
    drawing = o.rect("#diagram > g")
    assert _within(drawing, stage)
    assert _within(stage, {"x": 0, "y": 0, "w": WIDTH, "h": HEIGHT})
    assert drawing["w"] > 0.9 * stage["w"] or drawing["h"] > 0.9 * stage["h"]
    o.page.click(f'g.node.deliverable[data-id="{_first_step_id(name)}"]')
    o.page.keyboard.press("p")
    o.page.keyboard.press("ArrowRight")
    assert o.requests == [pages[name].as_uri()]


def _first_step_id(name: str) -> str:
    a = _analysis(name)
    return dot_ids(a.model)[a.journey.steps[0].key]


def test_wheel_keys_and_drag_move_the_view(opened: Any) -> None:
    o = opened("onboarding")
    fit = o.view()
    stage = o.rect("#stage")
    o.page.mouse.move(stage["x"] + stage["w"] / 2, stage["y"] + stage["h"] / 2)
    o.page.mouse.wheel(0, -400)
    zoomed = o.view()
    assert zoomed["scale"] > fit["scale"] * 1.5
    o.page.keyboard.press("-")
    assert o.view()["scale"] < zoomed["scale"]
    o.page.keyboard.press("+")
    o.page.keyboard.press("+")
    before = o.view()
    assert before["scale"] > zoomed["scale"]
    # drag from an empty corner of the stage: the drawing follows the pointer
    x, y = stage["x"] + 40, stage["y"] + 40
    o.page.mouse.move(x, y)
    o.page.mouse.down()
    o.page.mouse.move(x + 150, y + 60, steps=5)
    o.page.mouse.up()
    after = o.view()
    assert after["x"] == pytest.approx(before["x"] - 150 / before["scale"], abs=1)
    assert after["y"] == pytest.approx(before["y"] - 60 / before["scale"], abs=1)
    assert after["scale"] == pytest.approx(before["scale"])
    assert o.page.evaluate("prepViewer.selected()") is None  # a drag is not a click
    o.page.keyboard.press("0")
    assert o.view() == pytest.approx(fit)


@pytest.mark.parametrize(
    ("name", "key"),
    [("onboarding", "導入計画書"), ("onboarding", "効果測定レポート"), ("restaurant", None)],
)
def test_click_highlights_exactly_upstream_and_downstream(
    opened: Any, name: str, key: str | None
) -> None:
    a = _analysis(name)
    key = key or a.journey.steps[len(a.journey.steps) // 2].key
    ids = dot_ids(a.model)
    o = opened(name)
    box = f'g.node.deliverable[data-id="{ids[key]}"]'
    o.page.locator(box).first.click()
    drawn = set(
        o.page.evaluate(
            "[...document.querySelectorAll('g.node.deliverable')].map(g => g.dataset.id)"
        )
    )
    assert o.lit() == {ids[k] for k in _closure(a, key)} & drawn
    assert o.page.evaluate("prepViewer.selected()") == ids[key]
    panel = o.page.inner_text("#panel")
    assert a.model.deliverables[key].name in panel
    step = a.journey.step_of[key]
    assert o.page.inner_text("#panel dd.step") == str(step)
    for rid, route in a.journey.steps[step - 1].route_ids():
        if len(a.journey.steps[step - 1].routes) > 1:
            assert rid in panel
        if route.work:
            assert route.work in panel
    phase = a.journey.phase_of.get(key)
    if phase:
        assert o.page.inner_text("#panel dd.phase") == phase
    assert o.page.inner_text("#panel dd.src") == (
        f"samples/{name}.prep:{a.model.deliverables[key].span.line}"
    )
    # every lit edge joins two lit nodes; Escape clears
    assert o.page.evaluate("""() => [...document.querySelectorAll('g.edge.lit')].every(e => {
        const [t, h] = e.querySelector('title').textContent.split('->');
        const owner = s => s.match(/^d\\d+/)[0];
        return document.querySelector(`g.node.deliverable.lit[data-id="${owner(t)}"]`) &&
               document.querySelector(`g.node.deliverable.lit[data-id="${owner(h)}"]`);
    })""")
    o.page.keyboard.press("Escape")
    assert o.lit() == set() and o.page.is_hidden("#panel")


def test_selection_keeps_the_zoom(opened: Any) -> None:
    o = opened("onboarding")
    o.page.keyboard.press("+")
    before = o.view()
    o.page.click('g.node.deliverable[data-name="導入計画書"]')
    assert o.view() == pytest.approx(before)


def test_search_is_nfkc_insensitive_and_enter_selects(opened: Any) -> None:
    a = _analysis("onboarding")
    ids = dot_ids(a.model)
    o = opened("onboarding")
    o.page.fill("#search", "ﾍﾙｽｽｺｱ")  # half-width katakana: NFKC makes it ヘルススコア
    assert o.page.inner_text("#found") == "1 件"
    o.page.press("#search", "Enter")
    assert o.page.evaluate("prepViewer.selected()") == ids["ヘルススコア定義書"]
    assert "ヘルススコア定義書" in o.page.inner_text("#panel")
    node = o.rect(f'g.node.deliverable[data-id="{ids["ヘルススコア定義書"]}"]')
    assert _within(node, o.rect("#stage")) and o.view()["scale"] >= 1
    o.page.fill("#search", "存在しない")
    assert o.page.inner_text("#found") == "見つかりません"


def test_goal_selector_highlights_what_the_goal_needs(opened: Any) -> None:
    a = _analysis("onboarding")
    ids = dot_ids(a.model)
    o = opened("onboarding")
    o.page.select_option("#goal", ids["定着した顧客業務"])
    expected = {ids[k] for k in a.graph.needed_by("定着した顧客業務")}
    assert o.lit() == expected
    o.page.keyboard.press("p")  # the list let go of the focus
    phases = len(a.model.phases)
    checkpoints = len(a.journey.goal("定着した顧客業務").checkpoints)
    assert o.page.evaluate("prepViewer.slides()") == 1 + phases + checkpoints
    for _ in range(phases + 2):
        o.page.keyboard.press("ArrowRight")
    o.page.keyboard.press("p")  # leaving: back to the goal's highlight, no panel left over
    assert o.lit() == expected and o.page.is_visible("#panel")
    assert "定着した顧客業務" in o.page.inner_text("#panel h2")


def test_presentation_frames_each_phase_then_each_checkpoint(opened: Any) -> None:
    a = _analysis("onboarding")
    ids = dot_ids(a.model)
    o = opened("onboarding")
    o.page.keyboard.press("p")
    assert o.page.is_hidden("#bar") and o.page.is_visible("#caption")
    screen = {"x": 0, "y": 0, "w": WIDTH, "h": HEIGHT}
    drawing = o.rect("#diagram > g")  # slide 0: the whole journey, on the whole screen
    assert _within(drawing, screen)
    assert drawing["w"] > 0.9 * WIDTH or drawing["h"] > 0.9 * HEIGHT
    for n, phase in enumerate(a.model.phases, start=1):
        o.page.keyboard.press("ArrowRight")
        assert o.page.evaluate("prepViewer.slide()") == n
        band = o.page.evaluate(
            """i => { const g = [...document.querySelectorAll('g.cluster')]
                .find(c => c.querySelector('title').textContent === 'cluster_phase' + i);
              const r = g.getBoundingClientRect();
              return {x: r.x, y: r.y, w: r.width, h: r.height}; }""",
            phase.index,
        )
        assert _within(band, screen, slack=2)
        assert band["w"] > 0.85 * WIDTH or band["h"] > 0.85 * HEIGHT
        assert phase.name in o.page.inner_text("#caption")
    seen = []
    steps = sorted({(c.step, c.key) for g in a.journey.goals() for c in g.checkpoints})
    for step, key in steps:
        o.page.keyboard.press("ArrowRight")
        node = o.rect(f'g.node.deliverable[data-id="{ids[key]}"]')
        assert _within(node, screen)
        assert f"{step}" in o.page.inner_text("#caption")
        assert a.model.deliverables[key].name in o.page.inner_text("#caption")
        seen.append(o.page.evaluate("prepViewer.selected()"))
    assert seen == [ids[k] for _, k in steps]
    o.page.keyboard.press("ArrowLeft")
    assert o.page.evaluate("prepViewer.slide()") == len(a.model.phases) + len(steps) - 1
    o.page.keyboard.press("Home")
    assert o.page.evaluate("prepViewer.slide()") == 0
    o.page.keyboard.press("End")
    assert o.page.evaluate("prepViewer.slide()") == len(a.model.phases) + len(steps)
    assert o.page.evaluate("window.scrollY") == 0  # the keys move slides, not the page
    o.page.keyboard.press("Escape")
    assert o.page.is_visible("#bar") and o.page.is_hidden("#caption")


def test_hostile_names_never_run(opened: Any, pages: dict[str, Path]) -> None:
    o = opened("hostile")
    o.page.locator(f'g.node.deliverable[data-name="{HOSTILE_NAMES[0]}"]').first.click()
    assert HOSTILE_NAMES[0] in o.page.inner_text("#panel")
    o.page.fill("#search", "<img")
    o.page.press("#search", "Enter")
    assert HOSTILE_NAMES[1] in o.page.inner_text("#panel")
    o.page.keyboard.press("Escape")
    o.page.locator("#stage").click(position={"x": 5, "y": 5})
    o.page.keyboard.press("p")
    for _ in range(4):
        o.page.keyboard.press("ArrowRight")
    assert o.page.evaluate("document.querySelectorAll('img').length") == 0
    assert o.page.evaluate("document.querySelectorAll('script').length") == 2
    assert o.dialogs == []
    assert o.requests == [pages["hostile"].as_uri()]


def test_panel_shows_kpi_and_owner_and_text_is_readable(opened: Any) -> None:
    o = opened("onboarding")
    o.page.click('g.node.deliverable[data-name="教育済みユーザー"]')
    panel = o.page.inner_text("#panel")
    assert "アクティブ率" in panel and "顧客PM" in panel and "トレーニング実施" in panel
    # every text of the page outside the diagram is at least 14 px at 1920×1080
    small = o.page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => !e.closest('svg') && e.offsetParent !== null &&
                [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .filter(e => parseFloat(getComputedStyle(e).fontSize) < 14)
        .map(e => e.tagName + ': ' + e.textContent.slice(0, 40))""")
    assert small == []


def test_presentation_shows_a_big_phase_in_readable_parts(
    opened: Any, pages: dict[str, Path], tmp_path: Path
) -> None:
    """A phase of a 160-deliverable model is too tall for one 1920×1080 screen at a size a
    room can read: its slide is split into parts, each with names at least 12 px high."""
    from .test_layout_rules import _generate

    path = tmp_path / "big.html"
    path.write_bytes(render(analyse_text(_generate(160), "big.prep"), "html").data)
    pages["big"] = path
    o = opened("big")
    o.page.keyboard.press("p")
    o.page.keyboard.press("ArrowRight")  # the first phase's first slide
    assert "(1/" in o.page.inner_text("#caption")
    heights = o.page.evaluate(
        """() => [...document.querySelectorAll('g.node.deliverable text')]
            .map(t => t.getBoundingClientRect())
            .filter(r => r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth)
            .map(r => r.height)"""
    )
    assert heights and min(heights) >= 12, sorted(heights)[:5]

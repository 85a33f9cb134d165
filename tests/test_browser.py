"""Open the rendered diagram in a real browser (headless Chromium driven by Playwright) and
check that every label fits its node: the box of each ``<text>`` (``getBBox()``, measured
with the fonts the browser really uses) lies inside the box of its node's shape, and each
line of the step list stays inside its record field.

Needs Debian's ``chromium`` (``apt-get install chromium``) and the ``playwright`` Python
package (in the test extras); ``playwright install`` is not needed. Skipped without them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_prep

CHROMIUM = Path(os.environ.get("PREP_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOLERANCE = 0.75  # SVG user units (pt): anti-aliasing and rounding in the browser

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.skipif(
        sync_playwright is None,
        reason="the playwright package is missing: pip install -e '.[test]' (or pip install "
        "playwright); no `playwright install` needed",
    ),
    pytest.mark.skipif(
        not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)) and not shutil.which("chromium"),
        reason=f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium` "
        "(or set PREP_CHROMIUM to its path)",
    ),
]

# Runs in the page: for each node group, its shape box and its text boxes (SVG user units of
# the node's own coordinate system, so translate/scale of the graph do not matter).
MEASURE_JS = """
() => {
  const out = [];
  for (const g of document.querySelectorAll('svg g.node')) {
    const shapes = [...g.querySelectorAll('polygon, ellipse, path')];
    const lines = [...g.querySelectorAll('polyline')].map(p => p.getBBox());
    const texts = [...g.querySelectorAll('text')].map(t => {
      const b = t.getBBox();
      return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height};
    });
    const boxes = shapes.map(s => {
      const b = s.getBBox();
      return {x: b.x, y: b.y, w: b.width, h: b.height};
    });
    out.push({id: g.id, cls: g.getAttribute('class'), title: g.querySelector('title').textContent,
              boxes, texts, lines: lines.map(b => ({x: b.x, y: b.y, w: b.width, h: b.height}))});
  }
  return {nodes: out, fonts: document.fonts.status};
}
"""


def _launch(p):  # type: ignore[no-untyped-def]
    exe = str(CHROMIUM) if CHROMIUM.is_file() else shutil.which("chromium")
    return p.chromium.launch(executable_path=exe, args=ARGS)


def _measure(url: str) -> list[dict]:  # type: ignore[type-arg]
    assert sync_playwright is not None
    with sync_playwright() as p:
        browser = _launch(p)
        try:
            page = browser.new_page()
            page.route("http*://**", lambda route: route.abort())  # nothing from the network
            page.goto(url)
            page.wait_for_load_state("load")
            page.evaluate("document.fonts.ready.then(() => true)")
            # The HTML viewer opens fitted to the window; measure at 4/3 px per point, the
            # size of the SVG file, since Chromium lays out tiny text on its own pixel grid.
            page.evaluate("window.prepViewer && window.prepViewer.zoom(4 / 3)")
            result = page.evaluate(MEASURE_JS)
        finally:
            browser.close()
    return result["nodes"]  # type: ignore[no-any-return]


def _inside(t: dict, b: dict) -> bool:  # type: ignore[type-arg]
    return (
        t["x"] >= b["x"] - TOLERANCE
        and t["y"] >= b["y"] - TOLERANCE
        and t["x"] + t["w"] <= b["x"] + b["w"] + TOLERANCE
        and t["y"] + t["h"] <= b["y"] + b["h"] + TOLERANCE
    )


def _check(nodes: list[dict]) -> list[str]:  # type: ignore[type-arg]
    problems: list[str] = []
    labelled = 0
    for n in nodes:
        if not n["texts"]:
            continue
        labelled += 1
        if not n["boxes"]:
            problems.append(f"{n['title']}: no shape to hold its text")
            continue
        # The innermost shape (goals have two borders): the smallest box.
        box = min(n["boxes"], key=lambda b: b["w"] * b["h"])
        for t in n["texts"]:
            if not t["text"].strip():
                continue
            if not _inside(t, box):
                problems.append(
                    f"{n['title']} ({n['cls']}): text {t['text']!r} "
                    f"{_fmt(t)} is outside its shape {_fmt(box)}"
                )
        if "checkpoint-list" in (n["cls"] or ""):
            problems += _check_fields(n, box)
    assert labelled > 10, f"too few labelled nodes found: {labelled}"
    return problems


def _check_fields(n: dict, box: dict) -> list[str]:  # type: ignore[type-arg]
    """Each line of the step list lies within one field: no separator crosses it."""
    out = []
    for line in n["lines"]:
        horizontal = line["h"] < 0.5
        for t in n["texts"]:
            if horizontal:
                y = line["y"]
                crossing = (
                    t["y"] + TOLERANCE < y < t["y"] + t["h"] - TOLERANCE
                    and t["x"] < line["x"] + line["w"]
                    and line["x"] < t["x"] + t["w"]
                )
            else:
                x = line["x"]
                crossing = (
                    t["x"] + TOLERANCE < x < t["x"] + t["w"] - TOLERANCE
                    and t["y"] < line["y"] + line["h"]
                    and line["y"] < t["y"] + t["h"]
                )
            if crossing:
                out.append(
                    f"step list: {t['text']!r} {_fmt(t)} crosses a field separator {_fmt(line)}"
                )
    return out


def _fmt(b: dict) -> str:  # type: ignore[type-arg]
    return f"[x={b['x']:.1f} y={b['y']:.1f} w={b['w']:.1f} h={b['h']:.1f}]"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("browser")
    files: dict[str, Path] = {}
    for sample in ("onboarding", "restaurant"):
        for fmt in ("svg", "html"):
            target = out / f"{sample}.{fmt}"
            result = run_prep("render", str(SAMPLES / f"{sample}.prep"), "-o", str(target))
            assert result.returncode == 0, result.stderr.decode()
            files[f"{sample}.{fmt}"] = target
    target = out / "onboarding-tb.svg"
    result = run_prep(
        "render", str(SAMPLES / "onboarding.prep"), "--direction", "TB", "-o", str(target)
    )
    assert result.returncode == 0, result.stderr.decode()
    files["onboarding-tb.svg"] = target
    return files


@pytest.mark.parametrize(
    "name",
    ["onboarding.html", "onboarding.svg", "onboarding-tb.svg", "restaurant.html", "restaurant.svg"],
)
def test_every_label_fits_its_node(rendered: dict[str, Path], name: str) -> None:
    nodes = _measure(rendered[name].as_uri())
    problems = _check(nodes)
    assert not problems, "\n".join(problems)
    assert any("checkpoint-list" in (n["cls"] or "") for n in nodes), "no step list drawn"


def test_japanese_text_is_measured_wider_than_graphviz_guess(rendered: dict[str, Path]) -> None:
    """Sanity check that the browser really used a CJK font: a Japanese name's text box
    is about 1 em per character (Graphviz alone guesses much less)."""
    nodes = _measure(rendered["onboarding.svg"].as_uri())
    texts = [t for n in nodes for t in n["texts"] if t["text"] == "設定済みテナント"]
    assert texts, "the Japanese deliverable was not found"
    assert texts[0]["w"] > 0.9 * 13 * len("設定済みテナント")

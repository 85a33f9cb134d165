"""`prep render`: golden DOT files, the structure of the SVG, determinism of every format,
PNG/PDF fonts, and the CLI's errors. The browser check of label sizes is test_browser.py.

Golden files are only rewritten by hand: ``PYTHONPATH=src python tests/regen_golden.py
--render`` (then review the diff); the tests never write them.
"""

from __future__ import annotations

import itertools
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from prepmodel.checks.analysis import Analysis, analyse_text
from prepmodel.model.core import identity
from prepmodel.render import FONT_SEARCH_ENV, render
from prepmodel.render.dot import LIST_TEXTS, DiagramOptions, diagram_language
from prepmodel.render.engine import SYSTEM_DOT_MISSING
from prepmodel.render.raster import NO_JAPANESE_FONT_MESSAGE, find_japanese_font

from .conftest import CASES, ROOT, SAMPLES, run_prep
from .regen_golden import RENDER_CASES, render_case_dot
from .svg_geometry import deliverable_index, shapes

SVG = "{http://www.w3.org/2000/svg}"
SAMPLE_NAMES = ["restaurant", "onboarding", "software-design"]
SEMANTIC = CASES / "render" / "semantic-errors.prep"
JP_FONT = find_japanese_font()
needs_jp_font = pytest.mark.skipif(
    JP_FONT is None, reason="no Japanese font installed: apt-get install fonts-noto-cjk"
)
REGEN = "run `PYTHONPATH=src python tests/regen_golden.py --render` and review the diff"


def _analysis(path: Path) -> Analysis:
    return analyse_text(path.read_bytes().decode("utf-8"), str(path))


def _svg(a: Analysis, **options: object) -> ET.Element:
    data = render(a, "svg", DiagramOptions(**options)).data  # type: ignore[arg-type]
    return ET.fromstring(data)


def _nodes(root: ET.Element, cls: str) -> list[ET.Element]:
    return [
        g
        for g in root.iter(f"{SVG}g")
        if "node" in (g.get("class") or "").split() and cls in (g.get("class") or "").split()
    ]


def _title(g: ET.Element) -> str:
    t = g.find(f"{SVG}title")
    assert t is not None and t.text is not None
    return t.text


def _texts(g: ET.Element) -> list[str]:
    return [t.text or "" for t in g.iter(f"{SVG}text")]


# ----------------------------------------------------------------------------- golden DOT


@pytest.mark.parametrize("name", list(RENDER_CASES))
def test_golden_dot(name: str) -> None:
    golden = CASES / "render" / f"{name}.dot"
    assert golden.exists(), f"missing {golden.name}: {REGEN}"
    assert render_case_dot(name) == golden.read_bytes(), f"{golden.name} differs: {REGEN}"


def test_cli_writes_the_golden_dot(tmp_path: Path) -> None:
    out = tmp_path / "x.dot"
    r = run_prep("render", "samples/onboarding.prep", "--direction", "TB", "-o", str(out))
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_bytes() == (CASES / "render" / "onboarding-TB.dot").read_bytes()
    out2 = tmp_path / "y.dot"
    r = run_prep(
        "render",
        "samples/onboarding.prep",
        "--focus",
        "設定済みテナント",
        "--depth",
        "1",
        "-o",
        str(out2),
    )
    assert r.returncode == 0, r.stderr.decode()
    assert out2.read_bytes() == (CASES / "render" / "onboarding-focus.dot").read_bytes()


def test_golden_cases_cover_samples_and_options() -> None:
    files = {path for path, _ in RENDER_CASES.values()}
    assert {f"samples/{n}.prep" for n in SAMPLE_NAMES} <= files
    opts = [o for _, o in RENDER_CASES.values()]
    assert any(o.get("direction") == "TB" for o in opts)
    assert any("goal" in o for o in opts) and any("focus" in o for o in opts)


# ----------------------------------------------------------------------------- SVG structure


@pytest.mark.parametrize("name", [*SAMPLE_NAMES, "semantic-errors"])
def test_one_node_per_deliverable_with_classes(name: str) -> None:
    path = SEMANTIC if name == "semantic-errors" else SAMPLES / f"{name}.prep"
    a = _analysis(path)
    root = _svg(a)
    nodes = _nodes(root, "deliverable")
    model = a.model
    keys = list(model.deliverables)
    drawn = [keys[deliverable_index(_title(g)) or 0] for g in nodes]
    assert set(drawn) == set(keys)
    for g, key in zip(nodes, drawn, strict=True):
        d = model.deliverables[key]
        classes = set((g.get("class") or "").split())
        copy = "copy" in classes or "incoming" in classes
        # one box per deliverable, plus copies of parts at their points of use
        assert (_title(g) == f"d{keys.index(key)}") != copy
        if "copy" in classes:
            assert key not in a.graph.produced
        if d.goal:
            assert "goal" in classes
        elif a.graph.is_group(key):
            assert "group" in classes
        elif key in a.graph.produced:
            assert "produced" in classes
        elif d.external:
            assert "external" in classes
        # the name is the text of the node, wrapped over lines (an incoming part: its step)
        text = "".join(_texts(g)).replace(" ", "")
        if "incoming" in classes:
            text = re.sub(r"^\(\d+\)", "", text)
        assert text == d.name.replace(" ", "")


@pytest.mark.parametrize("name", [*SAMPLE_NAMES, "semantic-errors"])
def test_junction_labels_are_the_route_ids(name: str) -> None:
    path = SEMANTIC if name == "semantic-errors" else SAMPLES / f"{name}.prep"
    a = _analysis(path)
    j = a.journey
    root = _svg(a)
    expected = []
    for s in j.steps:
        expected += (
            [str(s.number)] if s.group_members is not None else [rid for rid, _ in s.route_ids()]
        )
    labels = [t.strip() for g in _nodes(root, "junction") for t in _texts(g) if t.strip()]
    assert sorted(x for x in labels if x != "·") == sorted(expected)
    # every route has a junction or a cell of its step's junction (routes of deliverables
    # no goal needs have no number)
    routes = len(a.model.routes) + sum(1 for k in a.model.groups if a.graph.is_group(k))
    cells = sum(max(1, len([t for t in _texts(g) if t.strip()])) for g in _nodes(root, "junction"))
    assert cells == routes


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_step_list_has_the_same_numbers(name: str) -> None:
    a = _analysis(SAMPLES / f"{name}.prep")
    j = a.journey
    root = _svg(a)
    lines = []
    for listing in _nodes(root, "checkpoint-list"):  # one per band, in journey order
        texts = [t.replace("\u2007", " ").strip() for t in _texts(listing)]
        assert texts[0] == LIST_TEXTS[diagram_language(j)]["title"]
        lines += texts
    numbered = [line for line in lines if re.match(r"\d+ [●▶○] ", line)]
    assert [int(line.split()[0]) for line in numbered] == [s.number for s in j.steps]
    for s, line in zip(j.steps, numbered, strict=True):
        assert line.split(" ", 2)[2].replace(" ", "") in j.name(s.key).replace(" ", "")
    marks = {line.split()[1] for line in numbered}
    assert marks <= {"●", "▶", "○"}


def test_work_and_performers_sit_on_the_route() -> None:
    a = _analysis(SAMPLES / "restaurant.prep")
    root = _svg(a)
    works = {" ".join(_texts(g)) for g in _nodes(root, "work")}
    assert "Take the order (Waiter)" in works
    assert "Print the bill" in works


def test_checkpoints_and_some_route_parts_look_different() -> None:
    a = _analysis(SAMPLES / "restaurant.prep")
    root = _svg(a)
    keys = list(a.model.deliverables)
    by_key = {keys[deliverable_index(_title(g)) or 0]: g for g in _nodes(root, "deliverable")}
    menu = by_key["Menu"]
    choice = by_key[identity("Customer's choice")]
    slip = by_key["Order slip"]
    assert "some-routes" in (menu.get("class") or "")
    assert "checkpoint" in (slip.get("class") or "")

    def dashed(g: ET.Element) -> bool:
        return any(
            s.get("stroke-dasharray") for s in g.iter() if s.tag in (f"{SVG}path", f"{SVG}polygon")
        )

    assert dashed(menu) and not dashed(choice) and not dashed(slip)


def test_semantic_problems_in_warning_colours() -> None:
    a = _analysis(SEMANTIC)
    root = _svg(a)
    classes = [set((g.get("class") or "").split()) for g in _nodes(root, "deliverable")]
    assert any("gap" in c for c in classes)
    assert any("cycle" in c for c in classes)
    assert any("orphan" in c for c in classes)
    assert any("route-dependent" in c for c in classes)
    cycle_edges = [
        g
        for g in root.iter(f"{SVG}g")
        if "cycle" in (g.get("class") or "").split() and "edge" in (g.get("class") or "").split()
    ]
    assert cycle_edges
    text = " ".join(t for listing in _nodes(root, "checkpoint-list") for t in _texts(listing))
    assert "gap" in text and "cycle" in text and "no goal" in text


@pytest.mark.parametrize("direction", ["LR", "TB", "RL", "BT"])
def test_phase_bands_follow_the_journey(direction: str) -> None:
    a = _analysis(SAMPLES / "onboarding.prep")
    svg = render(a, "svg", DiagramOptions(direction=direction)).data
    bands = [s for s in shapes(svg) if s.kind == "cluster" and "phase" in s.classes]
    assert [b.texts[0] for b in bands] == ["1. Land", "2. Adopt", "3. Expand", "4. Renew"]
    for before, after in itertools.pairwise(bands):
        # further along the journey's direction in the same row, or in a later row (rows
        # follow one another across it); never overlapping
        b, n = before.box, after.box
        along = {"LR": n[0] >= b[2], "RL": n[2] <= b[0], "TB": n[1] >= b[3], "BT": n[3] <= b[1]}
        across = n[1] >= b[3] if direction in ("LR", "RL") else n[0] >= b[2]
        assert along[direction] or across, (direction, b, n)


@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_step_list_is_a_column_in_both_directions(direction: str) -> None:
    a = _analysis(SAMPLES / "restaurant.prep")
    root = _svg(a, direction=direction)
    separators = [
        p.get("points")
        for listing in _nodes(root, "checkpoint-list")
        for p in listing.iter(f"{SVG}polyline")
    ]
    assert separators
    for points in separators:
        (x1, y1), (x2, y2) = [tuple(map(float, p.split(","))) for p in points.split()]
        assert y1 == y2 and x1 != x2  # horizontal lines between stacked fields


def test_goal_view_shows_only_what_the_goal_needs() -> None:
    a = _analysis(SAMPLES / "onboarding.prep")
    goal = identity("定着した顧客業務")
    root = _svg(a, goal=goal)
    keys = list(a.model.deliverables)
    shown = {keys[deliverable_index(_title(g)) or 0] for g in _nodes(root, "deliverable")}
    assert shown == a.graph.needed_by(goal)
    assert "更新契約" not in shown and "更新提案書" not in shown
    numbered = [
        t
        for listing in _nodes(root, "checkpoint-list")
        for t in _texts(listing)
        if re.match(r"[\u2007 ]*\d+ ", t)
    ]
    assert len(numbered) == sum(1 for s in a.journey.steps if s.key in shown)


def test_focus_view_shows_the_neighbourhood_and_hidden_inputs() -> None:
    a = _analysis(SAMPLES / "onboarding.prep")
    focus = identity("設定済みテナント")
    root = _svg(a, focus=focus, depth=1)
    keys = list(a.model.deliverables)
    shown = {keys[deliverable_index(_title(g)) or 0] for g in _nodes(root, "deliverable")}
    near = {focus, *a.graph.g.predecessors(focus), *a.graph.g.successors(focus)}
    assert shown == near
    focused = [
        g
        for g in _nodes(root, "deliverable")
        if "focus" in (g.get("class") or "") and "incoming" not in (g.get("class") or "")
    ]
    assert [keys[deliverable_index(_title(g)) or 0] for g in focused] == [focus]
    more = [" ".join(_texts(g)) for g in _nodes(root, "more")]
    assert more and all(re.fullmatch(r"\+\d+", m) for m in more)


# ----------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf", "html", "dot"])
def test_same_bytes_across_processes(tmp_path: Path, fmt: str) -> None:
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.{fmt}"
        r = run_prep(
            "render", "samples/onboarding.prep", "-o", str(out), env={"PYTHONHASHSEED": seed}
        )
        assert r.returncode == 0, r.stderr.decode()
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    a = _analysis(SAMPLES / "onboarding.prep")
    assert render(a, fmt).data == render(a, fmt).data  # and twice in one process


# ----------------------------------------------------------------------------- PNG / PDF fonts


@needs_jp_font
@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_raster_with_japanese_font_has_no_warning(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"x.{fmt}"
    r = run_prep("render", "samples/onboarding.prep", "-o", str(out))
    assert r.returncode == 0, r.stderr.decode()
    assert b"warning" not in r.stderr
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG" if fmt == "png" else b"%PDF")
    if fmt == "pdf":  # the Japanese font is embedded
        assert re.search(rb"/FontName\s*/[A-Z]{6}\+NotoSansCJK", data) or b"CJK" in data


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_raster_without_japanese_font_warns_and_still_writes(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"x.{fmt}"
    r = run_prep("render", "samples/onboarding.prep", "-o", str(out), env={FONT_SEARCH_ENV: ""})
    assert r.returncode == 0
    err = r.stderr.decode()
    assert f"prep: warning: {NO_JAPANESE_FONT_MESSAGE}" in err
    assert "tofu" in err and "--font" in err
    assert out.stat().st_size > 0
    # an English diagram needs no Japanese font: no warning
    out2 = tmp_path / f"en.{fmt}"
    r = run_prep("render", "samples/restaurant.prep", "-o", str(out2), env={FONT_SEARCH_ENV: ""})
    assert r.returncode == 0 and NO_JAPANESE_FONT_MESSAGE not in r.stderr.decode()


@needs_jp_font
def test_explicit_font_wins_over_search_path(tmp_path: Path) -> None:
    assert JP_FONT is not None
    out = tmp_path / "x.png"
    r = run_prep(
        "render",
        "samples/onboarding.prep",
        "-o",
        str(out),
        "--font",
        str(JP_FONT),
        env={FONT_SEARCH_ENV: ""},
    )
    assert r.returncode == 0, r.stderr.decode()
    assert b"warning" not in r.stderr
    auto = tmp_path / "auto.png"
    r = run_prep(
        "render", "samples/onboarding.prep", "-o", str(auto), env={FONT_SEARCH_ENV: str(JP_FONT)}
    )
    assert r.returncode == 0 and b"warning" not in r.stderr
    assert auto.read_bytes() == out.read_bytes()


def test_missing_font_file_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    r = run_prep(
        "render", "samples/onboarding.prep", "-o", str(out), "--font", str(tmp_path / "nope.ttf")
    )
    assert r.returncode == 2
    assert b"font file not found" in r.stderr
    assert not out.exists()


def test_png_scale(tmp_path: Path) -> None:
    sizes = []
    for scale in ("1", "2"):
        out = tmp_path / f"{scale}.png"
        r = run_prep("render", "samples/restaurant.prep", "-o", str(out), "--scale", scale)
        assert r.returncode == 0, r.stderr.decode()
        data = out.read_bytes()
        sizes.append(int.from_bytes(data[16:20], "big"))
    assert abs(sizes[1] - 2 * sizes[0]) <= 2


# ----------------------------------------------------------------------------- CLI errors


def test_system_engine_without_dot(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "x.svg"
    r = run_prep(
        "render",
        "samples/restaurant.prep",
        "-o",
        str(out),
        "--engine",
        "system",
        env={"PATH": str(empty)},
    )
    assert r.returncode == 2
    assert SYSTEM_DOT_MISSING in r.stderr.decode()
    assert not out.exists()


@pytest.mark.skipif(
    shutil.which("dot") is None, reason="no system Graphviz (apt-get install graphviz)"
)
def test_system_engine_with_dot(tmp_path: Path) -> None:
    out = tmp_path / "x.svg"
    r = run_prep("render", "samples/restaurant.prep", "-o", str(out), "--engine", "system")
    assert r.returncode == 0, r.stderr.decode()
    root = ET.fromstring(out.read_bytes())
    assert len(_nodes(root, "deliverable")) == 9


@pytest.mark.parametrize("fmt", ["svg", "png", "html", "dot"])
def test_syntax_error_stops_with_ps01_and_writes_nothing(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"new.{fmt}"
    r = run_prep("render", "samples/broken.prep", "-o", str(out))
    assert r.returncode == 1
    assert b"PS01" in r.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either
    existing = tmp_path / f"old.{fmt}"
    existing.write_bytes(b"keep me")
    before = existing.stat().st_mtime_ns
    r = run_prep("render", "samples/broken.prep", "-o", str(existing))
    assert r.returncode == 1
    assert existing.read_bytes() == b"keep me" and existing.stat().st_mtime_ns == before


def test_semantic_errors_still_render(tmp_path: Path) -> None:
    out = tmp_path / "x.svg"
    r = run_prep("render", str(SEMANTIC), "-o", str(out))
    assert r.returncode == 1
    err = r.stderr.decode()
    for code in ("GP01", "CY01", "RC01", "GP02"):
        assert code in err
    assert "PS01" not in err
    root = ET.fromstring(out.read_bytes())
    assert _nodes(root, "gap") and _nodes(root, "cycle") and _nodes(root, "orphan")


def test_unknown_output_format(tmp_path: Path) -> None:
    r = run_prep("render", "samples/restaurant.prep", "-o", str(tmp_path / "x.jpeg"))
    assert r.returncode == 2
    assert b"cannot tell the format" in r.stderr


def test_unknown_goal_and_focus(tmp_path: Path) -> None:
    r = run_prep(
        "render",
        "samples/onboarding.prep",
        "--goal",
        "定着した顧客業",
        "-o",
        str(tmp_path / "x.svg"),
    )
    assert r.returncode == 2 and "定着した顧客業務" in r.stderr.decode()
    r = run_prep(
        "render", "samples/onboarding.prep", "--focus", "nothing", "-o", str(tmp_path / "x.svg")
    )
    assert r.returncode == 2 and b"no deliverable named" in r.stderr


# ----------------------------------------------------------------------------- HTML


@pytest.mark.parametrize("name", [*SAMPLE_NAMES, "semantic-errors"])
def test_html_is_self_contained(tmp_path: Path, name: str) -> None:
    path = SEMANTIC if name == "semantic-errors" else SAMPLES / f"{name}.prep"
    out = tmp_path / "x.html"
    r = run_prep("render", str(path), "-o", str(out))
    assert r.returncode in (0, 1), r.stderr.decode()
    html = out.read_text("utf-8")
    # The model's own `url:` attributes are data for the side panel (shown as text).
    page = re.sub(
        r'<script type="application/json" id="prep-data">.*?</script>', "", html, flags=re.S
    )
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html)
    # Only the viewer's own inline script and its JSON data, nothing loaded from elsewhere.
    assert re.findall(r"<script\b[^>]*>", html) == [
        '<script type="application/json" id="prep-data">',
        "<script>",
    ]
    assert not re.search(r"(?<![-\w])(src|href)\s*=", html.replace("xlink:href", ""))
    assert html.count("<svg") >= 1 and "<!DOCTYPE svg" not in html
    assert '<table class="checkpoints">' in html
    no_problems = ("No problems found." in html) or ("問題は見つかりませんでした。" in html)
    assert no_problems == (name != "semantic-errors")
    if name == "semantic-errors":
        assert "GP01" in html and "CY01" in html
    a = _analysis(path)
    for s in a.journey.steps:
        assert f'<td class="n">{s.number}</td>' in html or f">{s.number}</td>" in html


def test_env_var_is_documented() -> None:
    docs = (ROOT / "docs" / "rendering.md").read_text("utf-8")
    assert FONT_SEARCH_ENV in docs

"""The rules a diagram must keep to read on a projector (issue: diagrams that read),
checked on the SVG geometry of the samples and of generated models of 20, 60 and 200
deliverables with 3-4 phases, through the real embedded Graphviz:

* the whole picture is at most 2.2:1;
* phase bands in journey order, none overlapping another;
* with part copies, no external drawn with an edge longer than half the picture;
* step numbers increase band by band;
* a step's alternatives stacked in a/b/c order;
* no work label nearer to another step's junction than to its own.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
import re
import sys
from functools import cache
from pathlib import Path

import pytest

from prepmodel.checks.analysis import Analysis, analyse_text
from prepmodel.render import render
from prepmodel.render.dot import DiagramOptions

from .conftest import ROOT, SAMPLES
from .svg_geometry import Shape, picture_size, shapes

MAX_ASPECT = 2.2


def _generate(n: int, phases: tuple[int, int] = (3, 4)) -> str:
    return _generate_with(n, 1, "ja", phases)


def _generate_with(n: int, seed: int, lang: str, phases: tuple[int, int] = (3, 4)) -> str:
    spec = importlib.util.spec_from_file_location(
        "prep_generate", ROOT / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("prep_generate", module)
    spec.loader.exec_module(module)
    text: str = module.generate(n, seed, lang, phases)
    return text


@cache
def _case(name: str) -> tuple[Analysis, bytes]:
    if name.startswith("generated-"):
        text = _generate(int(name.removeprefix("generated-")))
        path = f"{name}.prep"
    else:
        path = str(SAMPLES / f"{name}.prep")
        text = Path(path).read_text("utf-8")
    a = analyse_text(text, path)
    return a, render(a, "svg", DiagramOptions()).data


CASES = [
    "restaurant",
    "onboarding",
    "software-design",
    "generated-20",
    "generated-60",
    pytest.param("generated-200", marks=pytest.mark.slow),
]


@pytest.mark.parametrize("name", CASES)
def test_the_picture_is_at_most_2_2_to_1(name: str) -> None:
    _, svg = _case(name)
    width, height = picture_size(svg)
    assert max(width / height, height / width) <= MAX_ASPECT, (width, height)


@pytest.mark.parametrize("name", CASES)
def test_phase_bands_in_order_without_overlap(name: str) -> None:
    a, svg = _case(name)
    bands = [s for s in shapes(svg) if s.kind == "cluster" and "phase" in s.classes]
    phases = [p.name for p in a.model.phases]
    titles = [re.sub(r"^\d+\. ", "", b.texts[0]).split(" (")[0] for b in bands]
    assert titles == sorted(titles, key=phases.index)  # journey order (a band may be split)
    for before, after in itertools.pairwise(bands):  # LR: along the row, or a later row
        assert after.box[0] >= before.box[2] or after.box[1] >= before.box[3]
    for one, other in itertools.combinations(bands, 2):
        assert (
            one.box[2] <= other.box[0]
            or other.box[2] <= one.box[0]
            or one.box[3] <= other.box[1]
            or other.box[3] <= one.box[1]
        )


def _edges_from_externals(svg: bytes) -> list[float]:
    all_shapes = shapes(svg)
    externals = {
        (s.panel, s.title) for s in all_shapes if s.kind == "node" and "external" in s.classes
    }
    lengths = []
    for edge in all_shapes:
        if edge.kind != "edge" or not edge.points:
            continue
        tail = edge.title.split("->")[0].split(":")[0]
        if (edge.panel, tail) in externals:
            (x0, y0), (x1, y1) = edge.points[0], edge.points[-1]
            lengths.append(math.hypot(x1 - x0, y1 - y0))
    return lengths


@pytest.mark.parametrize("name", CASES)
def test_no_external_edge_longer_than_half_the_picture(name: str) -> None:
    _, svg = _case(name)
    width, height = picture_size(svg)
    lengths = _edges_from_externals(svg)
    assert lengths
    assert max(lengths) <= max(width, height) / 2


def test_without_part_copies_an_external_is_one_node() -> None:
    a, _ = _case("onboarding")
    svg = render(a, "svg", DiagramOptions(part_copies=False)).data
    externals = [s for s in shapes(svg) if s.kind == "node" and "external" in s.classes]
    assert len(externals) == len(a.model.externals)


def _junction_cells(all_shapes: list[Shape]) -> dict[str, tuple[Shape, int, int]]:
    """Route id -> (junction shape, index of its cell, number of cells)."""
    out = {}
    for s in all_shapes:
        if s.kind == "node" and "junction" in s.classes:
            cells = [t.strip() for t in s.texts if t.strip()]
            for i, rid in enumerate(cells):
                out[rid] = (s, i, len(cells))
    return out


@pytest.mark.parametrize("name", CASES)
def test_step_numbers_increase_band_by_band(name: str) -> None:
    a, svg = _case(name)
    panels: dict[int, list[int]] = {}
    for rid, (s, _, _) in _junction_cells(shapes(svg)).items():
        if rid != "·":
            panels.setdefault(s.panel, []).append(int(rid.split(".")[0]))
    ordered = [sorted(set(v)) for _, v in sorted(panels.items())]
    for before, after in itertools.pairwise(ordered):
        assert max(before) < min(after)
    assert sorted(n for v in ordered for n in v) == [s.number for s in a.journey.steps]


@pytest.mark.parametrize("name", CASES)
def test_alternatives_stacked_in_order(name: str) -> None:
    a, svg = _case(name)
    found = {}
    for s in shapes(svg):
        if s.kind == "node" and "alternatives" in s.classes:
            cells = [(t.strip(), y) for t, _, y in s.text_at if t.strip()]
            found[cells[0][0].split(".")[0]] = cells
            assert [t for t, _ in cells] == sorted(
                (t for t, _ in cells), key=lambda r: (len(r), r)
            )  # a, b, ... aa
            ys = [y for _, y in cells]
            assert ys == sorted(ys) and len(set(ys)) == len(ys)  # top to bottom
    expected = {str(st.number) for st in a.journey.steps if len(st.routes) > 1}
    assert set(found) == expected


@pytest.mark.parametrize("name", CASES)
def test_work_labels_stand_nearest_their_own_junction(name: str) -> None:
    _, svg = _case(name)
    _assert_labels_nearest_their_own(svg)


def _assert_labels_nearest_their_own(svg: bytes) -> None:
    all_shapes = shapes(svg)
    junctions = [s for s in all_shapes if s.kind == "node" and "junction" in s.classes]
    by_title = {(s.panel, s.title): s for s in junctions}
    works = [s for s in all_shapes if s.kind == "node" and "work" in s.classes]
    assert works
    for work in works:
        own_id = re.sub(r"_w$", "", work.title)
        own = by_title.get((work.panel, own_id)) or by_title.get(
            (work.panel, re.sub(r"\d+$", "", own_id))
        )  # a cell of the step's record
        assert own is not None, work.title

        def gap(j: Shape, w: Shape = work) -> float:
            dx = max(j.box[0] - w.box[2], w.box[0] - j.box[2], 0.0)
            dy = max(j.box[1] - w.box[3], w.box[1] - j.box[3], 0.0)
            return math.hypot(dx, dy)

        nearest = min(gap(j) for j in junctions if j.panel == work.panel)
        assert gap(own) <= nearest + 0.5, (work.texts, own.title)


@pytest.mark.parametrize("name", ["onboarding", "generated-60"])
def test_work_labels_stay_on_their_lines_and_off_other_boxes(name: str) -> None:
    """A label moved after the layout (``worklabels.py``) takes its lines with it: the line
    from the junction ends at the label and the line to the output starts there; it
    stands on no other box."""
    _, svg = _case(name)
    all_shapes = shapes(svg)
    nodes = [s for s in all_shapes if s.kind == "node"]
    ends = {(e.panel, e.title): e for e in all_shapes if e.kind == "edge" and e.paths}

    def touches(p: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
        return box[0] - 1 <= p[0] <= box[2] + 1 and box[1] - 1 <= p[1] <= box[3] + 1

    works = [s for s in nodes if "work" in s.classes]
    for work in works:
        into = [
            e
            for (panel, t), e in ends.items()
            if panel == work.panel and t.endswith(f"->{work.title}")
        ]
        out = [
            e
            for (panel, t), e in ends.items()
            if panel == work.panel and t.startswith(f"{work.title}->")
        ]
        assert len(into) == len(out) == 1, work.title
        assert touches(into[0].paths[0][-1], work.box), work.title
        assert touches(out[0].paths[0][0], work.box), work.title
        for other in nodes:
            if other is not work and other.panel == work.panel:
                b = other.box
                assert (
                    b[2] <= work.box[0]
                    or work.box[2] <= b[0]
                    or b[3] <= work.box[1]
                    or work.box[3] <= b[1]
                ), (work.title, other.title)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("n", "seed", "lang"),
    [(100, 2, "ja"), (150, 3, "ja"), (150, 4, "en"), (200, 2, "ja"), (200, 3, "en")],
)
def test_work_labels_nearest_their_own_on_more_generated_models(
    n: int, seed: int, lang: str
) -> None:
    """More sizes and seeds, and the words of the generator in English: each of these had
    a label nearer another step's junction before labels were moved after the layout."""
    text = _generate_with(n, seed, lang)
    svg = render(analyse_text(text, "g.prep"), "svg", DiagramOptions()).data
    _assert_labels_nearest_their_own(svg)


@pytest.mark.parametrize(
    "options",
    [
        DiagramOptions(direction="TB"),
        pytest.param(DiagramOptions(direction="RL"), marks=pytest.mark.slow),
        pytest.param(DiagramOptions(part_copies=False), marks=pytest.mark.slow),
    ],
    ids=["TB", "RL", "no-part-copies"],
)
def test_work_labels_nearest_their_own_in_other_layouts(options: DiagramOptions) -> None:
    """Labels are moved along the flow in every direction, and in the one-layout picture
    (RL and without part copies, generated-200 had labels nearer another junction)."""
    a, _ = _case("generated-200" if options.direction != "TB" else "generated-60")
    _assert_labels_nearest_their_own(render(a, "svg", options).data)


@pytest.mark.parametrize("name", ["onboarding", "generated-60"])
def test_dot_output_holds_the_panels_the_picture_shows(name: str) -> None:
    """`-o x.dot` writes one graph per panel of the picture, after an over-wide band was
    cut into step ranges (before, it wrote the one band as it was before the cut)."""
    if name.startswith("generated-"):  # one phase: a single band, wide enough to be cut
        a = analyse_text(_generate(int(name.removeprefix("generated-")), (1, 1)), "g.prep")
        svg = render(a, "svg", DiagramOptions()).data
    else:
        a, svg = _case(name)
    dot = render(a, "dot", DiagramOptions()).data.decode("utf-8")
    text = svg.decode("utf-8")
    assert dot.count("digraph ") == text.count('class="panel"') > 0
    cut = re.findall(r">([^<>]* · [^<>]*)<", text)  # a cut band's title: "Band · steps a–b"
    assert bool(cut) == name.startswith("generated-")
    for title in cut:
        assert title.strip() in dot

"""The responsibility diagram (contract §10, §16): `prep render --lanes party|role` checked
on the SVG's geometry (every deliverable's box inside the lane of its owner's party or
role; lanes stacked customer, partner, vendor, unowned; time left to right; no line
outside the lanes), hand-over lines and their legend,
the support mode beside the work; and the HTML viewer in headless Chromium (a screenshot is
written next to the test's temporary files and checked for the panel's facts)."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from prepmodel.checks.analysis import analyse_text
from prepmodel.model.responsibility import handovers, owner_party, owners
from tests.conftest import ROOT, run_prep
from tests.svg_geometry import Shape, deliverable_index, shapes
from tests.test_kpis import models

SAMPLE = ROOT / "samples" / "cs-journey.prep"
PARTY_LANE = {"customer": "顧客", "partner": "パートナー", "vendor": "自社", None: "オーナーなし"}


def _render(tmp_path: Path, *args: str, src: Path = SAMPLE) -> bytes:
    out = tmp_path / "d.svg"
    r = run_prep("render", str(src), "-o", str(out), *args)
    assert r.returncode == 0, r.stderr
    return out.read_bytes()


def _inside(inner: tuple[float, ...], outer: tuple[float, ...], tol: float = 0.5) -> bool:
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[2] <= outer[2] + tol
        and inner[3] <= outer[3] + tol
    )


def _lanes(all_shapes: list[Shape]) -> dict[str, Shape]:
    """Lane clusters by their label."""
    return {
        " ".join(s.texts).strip(): s
        for s in all_shapes
        if s.kind == "cluster" and "lane" in s.classes
    }


def _deliverables(all_shapes: list[Shape]) -> list[tuple[str, Shape]]:
    model = analyse_text(SAMPLE.read_text("utf-8"), "cs.prep").model
    keys = list(model.deliverables)
    out = []
    for s in all_shapes:
        if s.kind == "node" and "deliverable" in s.classes:
            i = deliverable_index(s.title)
            if i is not None:
                out.append((keys[i], s))
    return out


def _time_and_bounds(found: list[Shape]) -> None:
    """A service blueprint reads left to right: for every input line, the box of the
    deliverable it goes into is not left of the input's box (lines in a loop excepted);
    and no line leaves the area of the lanes (no loops around the outside)."""
    by_id = {s.title: s for s in found if s.kind == "node"}
    lanes = [s for s in found if s.kind == "cluster" and "lane" in s.classes]
    area = (
        min(s.box[0] for s in lanes),
        min(s.box[1] for s in lanes),
        max(s.box[2] for s in lanes),
        max(s.box[3] for s in lanes),
    )
    lines = [s for s in found if s.kind == "edge" and ({"input", "output"} & s.classes)]
    assert lines
    for s in lines:
        for x, y in s.curve():
            assert area[0] - 2 <= x <= area[2] + 2 and area[1] - 2 <= y <= area[3] + 2, (
                s.title,
                (x, y),
                area,
            )
        if "input" not in s.classes or "cycle" in s.classes:
            continue
        tail, _, head = s.title.partition("->")
        output = head.split("_r")[0].split(":")[0]
        if tail in by_id and output in by_id:
            assert by_id[output].box[0] >= by_id[tail].box[2] - 0.5, (s.title,)


def test_party_lanes_read_left_to_right_without_outside_loops(tmp_path: Path) -> None:
    _time_and_bounds(shapes(_render(tmp_path, "--lanes", "party")))


def test_party_lanes_hold_each_deliverable_of_their_party(tmp_path: Path) -> None:
    svg = _render(tmp_path, "--lanes", "party")
    found = shapes(svg)
    lanes = _lanes(found)
    assert set(lanes) == {"顧客", "パートナー", "自社"}
    model = analyse_text(SAMPLE.read_text("utf-8"), "cs.prep").model
    placed = _deliverables(found)
    assert len(placed) == len(model.deliverables)
    for key, node in placed:
        lane = lanes[PARTY_LANE[owner_party(model, key)]]
        assert _inside(node.box, lane.box), (key, node.box, lane.box)
        others = [s for name, s in lanes.items() if s is not lane]
        assert not any(_inside(node.box, o.box) for o in others), key
    # a service blueprint: customer above, partner between, vendor below (by their tops)
    tops = {name: s.box[1] for name, s in lanes.items()}
    assert tops["顧客"] < tops["パートナー"] < tops["自社"]
    # lanes never overlap
    boxes = list(lanes.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap_x = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
            overlap_y = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
            assert overlap_x <= 0 or overlap_y <= 0


def test_role_lanes_one_per_owner_role(tmp_path: Path) -> None:
    svg = _render(tmp_path, "--lanes", "role")
    found = shapes(svg)
    lanes = _lanes(found)
    model = analyse_text(SAMPLE.read_text("utf-8"), "cs.prep").model
    assert set(lanes) == {owners(model, k)[0] for k in model.deliverables}
    for key, node in _deliverables(found):
        assert _inside(node.box, lanes[owners(model, key)[0]].box), key


def test_unowned_deliverables_get_a_lane_of_their_own(tmp_path: Path) -> None:
    src = tmp_path / "m.prep"
    src.write_text(
        "model M { lang: ja }\nrole 顧客PM { party: 顧客 }\ngoal 計画 { owner: 顧客PM }\n"
        "external 資料\n計画 <- 資料 { by: 顧客PM }\n",
        "utf-8",
    )
    lanes = _lanes(shapes(_render(tmp_path, "--lanes", "party", src=src)))
    assert set(lanes) == {"顧客", "オーナーなし"}
    assert lanes["顧客"].box[1] < lanes["オーナーなし"].box[1]


def test_handover_lines_modes_and_legend(tmp_path: Path) -> None:
    svg = _render(tmp_path)
    found = shapes(svg)
    model = analyse_text(SAMPLE.read_text("utf-8"), "cs.prep").model
    marked = [s for s in found if s.kind == "edge" and "handover" in s.classes]
    # one marked input line per hand-over edge (part copies may draw an input twice)
    assert len(marked) >= len(handovers(model)) > 0
    works = " ".join(" ".join(s.texts) for s in found if s.kind == "node" and "work" in s.classes)
    assert "伴走" in works and "代走" in works and "自走" in works
    legend = " ".join(" ".join(s.texts) for s in found if "checkpoint-list" in s.classes)
    assert "受け渡し点" in legend
    boxes = " ".join(" ".join(s.texts) for s in found if "deliverable" in s.classes)
    assert "〔顧客PM〕" in boxes  # the owner under the name
    # a model without hand-overs has no such legend line
    plain = _render(tmp_path, src=ROOT / "samples" / "restaurant.prep")
    assert "hand-over" not in plain.decode() and "handover" not in plain.decode()


CHROMIUM = Path(os.environ.get("PREP_CHROMIUM", "/usr/bin/chromium"))


@pytest.mark.skipif(
    not (CHROMIUM.is_file() or shutil.which("chromium")), reason="no Chromium to drive"
)
def test_viewer_panel_shows_owner_mode_and_kpis(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    out = tmp_path / "cs.html"
    r = run_prep("render", str(SAMPLE), "-o", str(out), "--lanes", "party")
    assert r.returncode == 0, r.stderr
    exe = str(CHROMIUM) if CHROMIUM.is_file() else shutil.which("chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 900})
            page.route("http*://**", lambda route: route.abort())
            page.goto(out.as_uri())
            page.wait_for_load_state("load")
            node = page.locator('g.node.deliverable[data-name="効果測定レポート"]').first
            node.click()
            panel = page.locator("#panel, .panel, aside").first
            text = panel.inner_text()
            page.screenshot(path=str(tmp_path / "cs-lanes.png"), full_page=True)
        finally:
            browser.close()
    assert "顧客PM (顧客)" in text
    assert "業務時間削減率 (顧客)" in text
    assert "支援形態: 伴走" in text
    assert (tmp_path / "cs-lanes.png").stat().st_size > 10_000


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_lanes_are_ordered_on_random_models(case: tuple[str, object, object]) -> None:
    """Customer, partner, vendor, unowned from top to bottom on any model, every
    deliverable inside its own lane, time left to right, no line outside the lanes."""
    from prepmodel.render import render
    from prepmodel.render.dot import DiagramOptions

    text = case[0]
    a = analyse_text(text, "m.prep")
    svg = render(a, "svg", DiagramOptions(lanes="party", lang="en")).data
    found = shapes(svg)
    lanes = _lanes(found)
    rank = {"customer": 0, "partner": 1, "vendor": 2, "no owner": 3}
    ordered = sorted(lanes, key=lambda name: lanes[name].box[1])
    assert ordered == sorted(lanes, key=rank.__getitem__)
    for prev, nxt in itertools.pairwise(ordered):
        assert lanes[prev].box[3] <= lanes[nxt].box[1] + 0.5
    keys = list(a.model.deliverables)
    english = {"customer": "customer", "partner": "partner", "vendor": "vendor", None: "no owner"}
    for s in found:
        if s.kind == "node" and "deliverable" in s.classes:
            i = deliverable_index(s.title)
            if i is not None:
                lane = lanes[english[owner_party(a.model, keys[i])]]
                assert _inside(s.box, lane.box), keys[i]
    _time_and_bounds(found)

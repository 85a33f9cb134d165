"""`prep render --pages phase|step`: a deck of 16:9 pages for a workshop, through the real
CLI and the embedded Graphviz: the overview, one page per phase (or step range), text at
least 14 px tall at 1920x1080, PDF pages read back with pypdf, one PNG per page, and the HTML
deck driven in headless Chromium."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from prepmodel.checks.analysis import analyse_text
from prepmodel.render.dot import DiagramOptions, Drawing
from prepmodel.render.pages import MIN_TEXT_PX, PAGE_HEIGHT, PAGE_WIDTH, deck

from .conftest import SAMPLES, run_prep
from .svg_geometry import shapes
from .test_browser import _launch, sync_playwright

SVG = "{http://www.w3.org/2000/svg}"


def _deck(name: str, kind: str = "phase") -> tuple[object, list[str]]:
    path = SAMPLES / f"{name}.prep"
    a = analyse_text(path.read_text("utf-8"), str(path))
    drawing = Drawing(a.journey, DiagramOptions())
    return a, [p.svg for p in deck(drawing, kind)]  # type: ignore[arg-type]


def _smallest_text_px(svg: str) -> float:
    """The smallest font size on the page in pixels: sizes inside the content are scaled."""
    root = ET.fromstring(svg)
    page = root.find(f"{SVG}g")
    assert page is not None
    scale = float(page.get("data-scale") or 1)
    sizes = []
    for g in root.iter(f"{SVG}g"):
        if "page-content" in (g.get("class") or ""):
            sizes += [float(t.get("font-size") or 0) * scale for t in g.iter(f"{SVG}text")]
    sizes += [float(t.get("font-size") or 0) for t in page.findall(f"{SVG}text")]
    return min(sizes)


@pytest.mark.parametrize("name", ["onboarding", "restaurant", "software-design"])
def test_pages_are_16_9_with_readable_text(name: str) -> None:
    _, pages = _deck(name)
    assert len(pages) >= 2
    for svg in pages:
        root = ET.fromstring(svg)
        assert (root.get("width"), root.get("height")) == (str(PAGE_WIDTH), str(PAGE_HEIGHT))
        assert _smallest_text_px(svg) >= MIN_TEXT_PX


def test_one_page_per_phase_after_the_overview() -> None:
    a, pages = _deck("onboarding")
    titles = [ET.fromstring(p).find(f"{SVG}g").get("data-title") for p in pages]  # type: ignore[union-attr]
    assert titles[0] == "フェーズごとの道のり"  # the journey map: the whole is too big at 14 px
    bands = [re.sub(r" · 手順 .*", "", t or "") for t in titles[1:]]
    assert sorted(set(bands), key=bands.index) == ["1. Land", "2. Adopt", "3. Expand", "4. Renew"]
    # each phase page carries its own checkpoint list and incoming parts from earlier phases
    adopt = [p for p, t in zip(pages[1:], bands, strict=True) if t == "2. Adopt"]
    found = [sh for page in adopt for sh in shapes(page) if sh.kind == "node"]
    assert any("checkpoint-list" in sh.classes for sh in found)
    assert any("incoming" in sh.classes and "".join(sh.texts) == "(1) 成功定義書" for sh in found)
    # every step is on one phase page
    steps = {
        int(t.split(".")[0])
        for p in pages[1:]
        for sh in shapes(p)
        if sh.kind == "node" and "junction" in sh.classes
        for t in sh.texts
        if t.strip()
    }
    assert sorted(steps) == [s.number for s in a.journey.steps]  # type: ignore[attr-defined]


def test_step_pages() -> None:
    a, pages = _deck("restaurant", "step")
    assert len(pages) == 1 + len(a.journey.steps)  # type: ignore[attr-defined]


def test_cli_writes_pdf_png_svg_and_html_decks(tmp_path: Path) -> None:
    r = run_prep(
        "render", "samples/onboarding.prep", "-o", str(tmp_path / "deck.pdf"), "--pages", "phase"
    )
    assert r.returncode == 0, r.stderr.decode()
    reader = PdfReader(tmp_path / "deck.pdf")
    _, pages = _deck("onboarding")
    assert len(reader.pages) == len(pages)
    for page in reader.pages:
        assert abs(float(page.mediabox.width) / float(page.mediabox.height) - 16 / 9) < 0.01
    r = run_prep(
        "render", "samples/onboarding.prep", "-o", str(tmp_path / "deck.png"), "--pages", "phase"
    )
    assert r.returncode == 0, r.stderr.decode()
    pngs = sorted(tmp_path.glob("deck-*.png"), key=lambda p: int(p.stem.split("-")[1]))
    assert len(pngs) == len(pages)
    for png in pngs:
        data = png.read_bytes()
        assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (
            PAGE_WIDTH,
            PAGE_HEIGHT,
        )
    r = run_prep(
        "render", "samples/onboarding.prep", "-o", str(tmp_path / "deck.dot"), "--pages", "phase"
    )
    assert r.returncode == 2 and b"--pages writes" in r.stderr
    # same input, same bytes
    again = tmp_path / "again.pdf"
    r = run_prep("render", "samples/onboarding.prep", "-o", str(again), "--pages", "phase")
    assert again.read_bytes() == (tmp_path / "deck.pdf").read_bytes()


@pytest.mark.skipif(sync_playwright is None, reason="playwright is missing")
def test_html_deck_in_a_browser(tmp_path: Path) -> None:
    out = tmp_path / "deck.html"
    r = run_prep("render", "samples/onboarding.prep", "-o", str(out), "--pages", "phase")
    assert r.returncode == 0, r.stderr.decode()
    _, pages = _deck("onboarding")
    requests: list[str] = []
    assert sync_playwright is not None
    with sync_playwright() as p:
        browser = _launch(p)
        try:
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.on("request", lambda req: requests.append(req.url))
            page.goto(out.as_uri())

            def current() -> str:
                return str(page.eval_on_selector(".slide.current", "e => e.id"))

            assert current() == "page-1"
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            assert current() == "page-3"
            assert page.evaluate("location.hash") == "#3"
            page.keyboard.press("ArrowLeft")
            assert current() == "page-2"
            page.keyboard.press("End")
            assert current() == f"page-{len(pages)}"
            # the page fills the width or the height of the window, 16:9
            box = page.eval_on_selector(
                ".slide.current svg",
                "e => {const b = e.getBoundingClientRect(); return [b.width, b.height]}",
            )
            assert abs(box[0] - 1920) < 2 and abs(box[1] - 1080) < 2
            page.screenshot(path=str(tmp_path / "deck.png"))
        finally:
            browser.close()
    assert all(u.startswith("file:") for u in requests), requests

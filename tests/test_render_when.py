"""`prep render --when` / `--when-hide` (contract §9) and optional inputs drawn dashed:
SVG classes and colours, what `--when-hide` leaves out, unchanged step numbers, the
legend, the title, pages and the HTML viewer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prepmodel.checks.analysis import Analysis, analyse_text
from prepmodel.model.core import identity
from prepmodel.render import render, render_pages
from prepmodel.render.dot import DiagramOptions, build_dot
from prepmodel.render.style import OUT_OF_SCENARIO

from .conftest import SAMPLES, run_prep
from .svg_geometry import Shape, shapes

SAMPLE = SAMPLES / "kakutei-shinkoku.prep"
GREY = OUT_OF_SCENARIO.lower()


def _analysis() -> Analysis:
    return analyse_text(SAMPLE.read_text("utf-8"), str(SAMPLE))


def _svg(a: Analysis, **options: object) -> str:
    data = render(a, "svg", DiagramOptions(**options)).data  # type: ignore[arg-type]
    return data.decode("utf-8").replace("&#45;", "-")


def _when(*names: str) -> frozenset[str]:
    return frozenset(identity(n) for n in names)


def _group(svg: str, title: str) -> str:
    """The SVG group (node or edge) whose <title> is ``title``."""
    for m in re.finditer(r"<g id=\"[^\"]*\" class=\"[^\"]*\">.*?</g>", svg, re.S):
        if f"<title>{title}</title>" in m.group():
            return m.group()
    raise AssertionError(f"no group titled {title!r}")


def _junctions(found: list[Shape]) -> list[str]:
    return sorted(
        t for s in found if s.kind == "node" and "junction" in s.classes for t in s.texts if t
    )


def test_an_optional_input_is_drawn_dashed_and_explained_once() -> None:
    a = _analysis()
    svg = _svg(a)
    optional = [s for s in shapes(svg) if s.kind == "edge" and "optional" in s.classes]
    assert len(optional) == 2  # 医療費控除の明細書 into 5.a and 5.b
    groups = re.findall(r'<g id="[^"]*" class="edge input optional">.*?</g>', svg, re.S)
    assert len(groups) == 2
    assert all("stroke-dasharray" in g for g in groups)
    assert "点線：任意のインプット [X]（ルートはこれを必須としない）" in svg
    assert svg.count("点線：任意のインプット") == 1  # in the legend only
    # a model without optional inputs has neither dashed inputs nor the legend line
    plain = analyse_text("goal A\nexternal B, C\nA <- B, C\n", "p.prep")
    plain_svg = _svg(plain)
    assert "optional" not in plain_svg and "optional input" not in plain_svg
    dot = build_dot(a.journey)
    assert 'class="input optional" style=dashed' in dot


def test_when_greys_the_routes_outside_the_scenario() -> None:
    a = _analysis()
    whole = shapes(_svg(a))
    svg = _svg(a, when=_when("自分で"))
    found = shapes(svg)
    out = [s for s in found if "out-of-scenario" in s.classes]
    junctions = [t for s in out if "junction" in s.classes for t in s.texts if t]
    assert sorted(junctions) == ["2.a", "5.a"]  # the tax accountant's routes
    assert {t for s in out if "work" in s.classes for t in s.texts} >= {"申告書作成", "(税理士)"}
    for s in out:
        assert s.kind in ("node", "edge")
    for m in re.finditer(r'<g id="[^"]*" class="[^"]*out-of-scenario[^"]*">.*?</g>', svg, re.S):
        assert GREY in m.group().lower()  # junction fill, work text, edge stroke
    # nothing of the scenario's own routes is grey
    kept = [s for s in found if "junction" in s.classes and "out-of-scenario" not in s.classes]
    assert {t for s in kept for t in s.texts if t} == {"1", "2.b", "3", "4", "5.b", "6"}
    # the whole model's junctions and numbers are all still there
    assert _junctions(found) == _junctions(whole)
    # the checkpoints highlighted are the scenario's: 電子証明書 is one in 自分で
    cert = [s for s in found if s.kind == "node" and "電子証明書" in s.texts]
    assert cert and all("checkpoint" in s.classes for s in cert)
    whole_cert = [s for s in whole if s.kind == "node" and "電子証明書" in s.texts]
    assert all("route-dependent" in s.classes for s in whole_cert)
    # the title says which scenario is shown, the legend explains the grey
    assert "確定申告 — シナリオ：自分で" in svg
    assert "薄い灰色：シナリオ「自分で」に含まれない" in svg


def test_when_hide_leaves_the_other_routes_out_and_keeps_the_numbers() -> None:
    a = _analysis()
    svg = _svg(a, when=_when("税理士依頼"), when_hide=True)
    found = shapes(svg)
    assert "out-of-scenario" not in svg
    assert _junctions(found) == ["1", "2.a", "4", "5.a", "6"]  # no 3, 2.b or 5.b
    names = {t for s in found if s.kind == "node" for t in s.texts}
    assert "電子証明書" not in names and "マイナンバーカード" not in names
    assert "e-Taxで作成" not in names
    assert "医療費控除の明細書" in {n.split(") ")[-1] for n in names}  # optional, still drawn
    assert "確定申告 — シナリオ：税理士依頼" in svg
    # the step list keeps the whole model's numbers
    assert "4 ○ 医療費控除の明細書" in svg.replace("\u2007", "")


def test_when_hide_drops_an_optional_input_the_scenario_cannot_make() -> None:
    text = (
        "goal A\nexternal E, F\n"
        "B <- E { when: S }\n"
        "A <- F, [B] { work: make }\n"
        "A <- E { when: S }\n"
    )
    a = analyse_text(text, "m.prep")
    shown = shapes(_svg(a, when=_when("T"), when_hide=True))
    names = {t for s in shown if s.kind == "node" for t in s.texts}
    assert "B" not in names and "E" not in names and "+1" not in names
    grey = _svg(a, when=_when("T"))
    edge = [s for s in shapes(grey) if s.kind == "edge" and "optional" in s.classes]
    assert len(edge) == 1 and "out-of-scenario" in edge[0].classes


def test_html_and_pages_show_the_scenario(tmp_path: Path) -> None:
    a = _analysis()
    page = render(a, "html", DiagramOptions(when=_when("自分で"))).data.decode("utf-8")
    assert "<h1>確定申告 — シナリオ：自分で</h1>" in page
    assert 'data-symbol="optional"' in page and 'data-symbol="out-of-scenario"' in page
    plain = render(a, "html", DiagramOptions()).data.decode("utf-8")
    assert 'data-symbol="out-of-scenario"' not in plain and "<h1>確定申告</h1>" in plain
    # the checkpoint table lists the scenario's routes, with the whole model's ids
    tables = page[page.index('<section id="tables">') :]
    tables = tables[: tables.index("</section>")]
    assert ">5.b<" in tables and ">5.a<" not in tables and ">2.a<" not in tables
    assert "[医療費控除の明細書]" in tables
    # the side panel's data: optional inputs and scenarios of each route
    assert '"optional":["d' in page and '"when":["税理士依頼"]' in page
    assert '"when":"シナリオ"' in page
    files, _notes = render_pages(a, "svg", DiagramOptions(when=_when("自分で")), "phase")
    assert files and all("確定申告 — シナリオ：自分で" in f.decode("utf-8") for f in files)


def test_render_when_on_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "k.svg"
    done = run_prep("render", str(SAMPLE), "-o", str(out), "--when", "自分で", "--when-hide")
    assert done.returncode == 0, done.stderr.decode()
    assert "シナリオ：自分で" in out.read_text("utf-8")
    bad = run_prep("render", str(SAMPLE), "-o", str(out), "--when", "自分でｘ")
    assert bad.returncode == 2
    assert "SC01 no route mentions the scenario '自分でｘ'; did you mean '自分で'?" in (
        bad.stderr.decode()
    )
    alone = run_prep("render", str(SAMPLE), "-o", str(out), "--when-hide")
    assert alone.returncode == 2 and "--when-hide needs --when" in alone.stderr.decode()


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_when_rasterises(fmt: str) -> None:
    a = _analysis()
    data = render(a, fmt, DiagramOptions(when=_when("自分で"))).data
    assert data[:4] in (b"\x89PNG", b"%PDF")


def test_v1_pictures_do_not_change() -> None:
    """Nothing of the new markup appears in a model without `when` or `[X]`."""
    for sample in ("restaurant.prep", "onboarding.prep"):
        text = (SAMPLES / sample).read_text("utf-8")
        a = analyse_text(text, sample)
        svg = _svg(a)
        assert "optional" not in svg and "out-of-scenario" not in svg and "シナリオ" not in svg
        page = render(a, "html", DiagramOptions()).data.decode("utf-8")
        data = page[page.index('id="prep-data"') :]
        assert '"optional"' not in data and '"when"' not in data

"""A deliverable's `owner`, `kpi` and `note` reach every output that shows the deliverable
(issue #12, "Outputs"): checkpoint tables in text, markdown, CSV and JSON, the HTML page's
table, and the tooltips of the rendered diagram. A `kpi` on an external reaches the
health-score table."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest

from .conftest import run_prep

RELEASE = """\
model "Release train"

goal "Released service" { owner: "Release manager"; note: "Live in every region"; kpi: "Lead time" }
external "Change request" { owner: "Product owner"; kpi: "Request age"; note: "From the backlog" }
external Runbook, "Staging environment"

Artifact <- "Change request" { work: Build; by: CI }
"Test report" <- Artifact { work: Test; by: QA }
"Test report" <- Artifact, "Staging environment" { work: "Load test"; by: QA }
"Released service" <- Artifact, "Test report", Runbook { work: Deploy; by: SRE }
deliverable "Test report" {
  owner: Reviewer; note: "Signed by the QA lead"; kpi: "Defect escape rate"
}
"""

JA = """\
model "契約更新" { lang: ja }
goal 更新契約 { owner: 営業; note: 年度末までに締結 }
external 利用実績 { kpi: 月間アクティブ率; owner: 顧客管理者 }
更新提案書 <- 利用実績 { work: 提案書作成; by: CSM }
更新契約 <- 更新提案書 { work: 締結 }
"""


@pytest.fixture
def release(tmp_path: Path) -> Path:
    path = tmp_path / "release.prep"
    path.write_text(RELEASE, encoding="utf-8")
    return path


@pytest.fixture
def japanese(tmp_path: Path) -> Path:
    path = tmp_path / "renewal.prep"
    path.write_text(JA, encoding="utf-8")
    return path


def checkpoints(path: Path, fmt: str) -> str:
    r = run_prep("checkpoints", str(path), "--format", fmt)
    assert r.returncode == 0, r.stderr.decode()
    return r.stdout.decode("utf-8")


def test_json_steps_carry_owner_and_note_and_externals_are_listed(release: Path) -> None:
    data = json.loads(checkpoints(release, "json"))
    steps = {s["name"]: s for s in data["steps"]}
    report = steps["Test report"]
    assert report["owner"] == "Reviewer"  # contract §15: "owner" on each step
    assert report["note"] == "Signed by the QA lead"
    assert report["kpi"] == ["Defect escape rate"]
    assert steps["Artifact"]["owner"] is None and steps["Artifact"]["note"] is None
    assert steps["Released service"]["owner"] == "Release manager"
    # the contract's fields are still there, unchanged
    assert {"step", "name", "routes"} <= set(report)
    assert data["externals"] == [
        {
            "name": "Change request",
            "owner": "Product owner",
            "kpi": ["Request age"],
            "note": "From the backlog",
            "line": 4,
        }
    ]


def test_text_shows_the_attributes_under_the_step(release: Path) -> None:
    lines = checkpoints(release, "text").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "2  Test report")
    assert lines[at + 1].strip() == (
        "owner: Reviewer · KPI: Defect escape rate · note: Signed by the QA lead"
    )
    assert "Given parts:" in lines
    given = lines[lines.index("Given parts:") + 1]
    assert given.split()[:2] == ["Change", "request"]
    assert "owner: Product owner · KPI: Request age · note: From the backlog" in given


def test_markdown_has_owner_and_note_columns_and_external_kpis(release: Path) -> None:
    md = checkpoints(release, "markdown")
    assert "| Step | Deliverable | Phase | Needs | Routes | Owner | KPI | Note |" in md
    row = next(line for line in md.splitlines() if line.startswith("| 2 | **Test report**"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[-3:] == ["Reviewer", "Defect escape rate", "Signed by the QA lead"]
    health = md[md.index("## Health score: KPIs") :]
    assert "| KPI | Measured at | Step | Owner | Goals that depend on it |" in health
    assert "| Request age | Change request | given | Product owner | Released service |" in health
    assert "| Defect escape rate | Test report | 2 | Reviewer | Released service |" in health


def test_external_kpi_needed_on_some_routes_says_so(tmp_path: Path) -> None:
    path = tmp_path / "m.prep"
    path.write_text(
        RELEASE.replace('external Runbook, "Staging environment"', "external Runbook")
        + 'external "Staging environment" { kpi: "Environment uptime" }\n',
        encoding="utf-8",
    )
    md = checkpoints(path, "markdown")
    assert (
        "| Environment uptime | Staging environment | given |  | "
        "Released service *(some routes)* |" in md
    )


def test_csv_has_owner_and_note_columns_and_given_rows(release: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(checkpoints(release, "csv"))))
    report = [r for r in rows if r["deliverable"] == "Test report"]
    assert len(report) == 2  # one row per route
    assert {(r["owner"], r["note"], r["kpi"]) for r in report} == {
        ("Reviewer", "Signed by the QA lead", "Defect escape rate")
    }
    (given,) = [r for r in rows if r["role"] == "given"]
    assert (given["deliverable"], given["kpi"], given["owner"], given["note"]) == (
        "Change request",
        "Request age",
        "Product owner",
        "From the backlog",
    )


def _titles(svg: str) -> dict[str, str]:
    """data-name of each deliverable node -> the tooltip Graphviz wrote for it."""
    out = {}
    for match in re.finditer(
        r'<g id="[^"]*" class="node deliverable[^"]*" data-name="([^"]*)"[^>]*>.*?'
        r'xlink:title="([^"]*)"',
        svg,
        flags=re.S,
    ):
        out.setdefault(html.unescape(match.group(1)), html.unescape(match.group(2)))
    return out


def test_render_tooltips_carry_the_attributes(release: Path, tmp_path: Path) -> None:
    out = tmp_path / "release.svg"
    r = run_prep("render", str(release), "-o", str(out))
    assert r.returncode == 0, r.stderr.decode()
    titles = _titles(out.read_text(encoding="utf-8"))
    assert titles["Test report"] == (
        "Test report\nowner: Reviewer\nKPI: Defect escape rate\nnote: Signed by the QA lead"
    )
    assert titles["Change request"] == (
        "Change request\nowner: Product owner\nKPI: Request age\nnote: From the backlog"
    )
    assert titles["Runbook"] == "Runbook"


def test_japanese_tooltips_and_html_table(japanese: Path, tmp_path: Path) -> None:
    out = tmp_path / "renewal.html"
    r = run_prep("render", str(japanese), "-o", str(out))
    assert r.returncode == 0, r.stderr.decode()
    page = out.read_text(encoding="utf-8")
    titles = _titles(page)
    assert titles["更新契約"] == "更新契約\nオーナー: 営業\nメモ: 年度末までに締結"
    assert titles["利用実績"] == "利用実績\nオーナー: 顧客管理者\nKPI: 月間アクティブ率"
    table = page[page.index('<table class="checkpoints">') :]
    assert "<th>オーナー</th><th>KPI</th><th>メモ</th>" in table
    assert '<td>営業</td><td></td><td class="note">年度末までに締結</td>' in table
    given = table[table.index('<table class="given">') :]
    assert "<td>利用実績</td><td>顧客管理者</td><td>月間アクティブ率</td>" in given
    # the side panel reads the same facts from the page's data
    data = json.loads(page[page.index('id="prep-data">') + 15 : page.index("</script>")])
    by_name = {d["name"]: d for d in data["deliverables"]}
    assert by_name["更新契約"]["note"] == "年度末までに締結"
    assert by_name["利用実績"]["kpi"] == ["月間アクティブ率"]

"""KPIs and how they connect (contract §11): `kpi` statements, parties, links checked
against a brute-force reachability reference on random models, `prep kpis` in every
format, KP01, and the markdown health-score table built from the same entries."""

from __future__ import annotations

import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepmodel.checks.analysis import analyse_text
from prepmodel.journey.responsibility import kpi_entries, kpi_links
from tests.conftest import ROOT, run_prep

PARTY_WORD = {"customer": "顧客", "vendor": "vendor", "partner": "パートナー"}


@st.composite
def models(
    draw: st.DrawFn,
) -> tuple[str, list[tuple[int, int]], dict[int, list[tuple[str, str | None]]]]:
    """A random acyclic model over deliverables D0..Dn (inputs always have a smaller
    index), some routes alternative, KPIs with a declared party, an owner party, or none."""
    n = draw(st.integers(2, 9))
    lines = [
        "role Cu { party: customer }",
        "role Ve { party: vendor }",
        "role Pa { party: partner }",
    ]
    lines.append(f"goal D{n - 1}")
    edges: list[tuple[int, int]] = []
    externals = []
    for i in range(n):
        if i == 0 or (i < min(3, n - 1) and draw(st.booleans())):
            externals.append(f"D{i}")
            continue
        for _route in range(draw(st.integers(1, 2))):
            ins = draw(st.lists(st.integers(0, i - 1), min_size=1, max_size=3, unique=True))
            lines.append(f"D{i} <- " + ", ".join(f"D{k}" for k in ins))
            edges += [(k, i) for k in ins]
    lines.append("external " + ", ".join(externals))
    kpis: dict[int, list[tuple[str, str | None]]] = {}
    counter = 0
    for i in range(n):
        owner = draw(st.sampled_from([None, "Cu", "Ve", "Pa"]))
        names = []
        for _k in range(draw(st.integers(0, 2))):
            declared = draw(st.sampled_from([None, "customer", "vendor", "partner"]))
            name = f"K{counter}"
            counter += 1
            if declared is not None:
                lines.append(f"kpi {name} {{ party: {PARTY_WORD[declared]} }}")
            names.append(name)
            owner_party = {"Cu": "customer", "Ve": "vendor", "Pa": "partner", None: None}[owner]
            kpis.setdefault(i, []).append((name, declared or owner_party))
        attrs = []
        if owner:
            attrs.append(f"owner: {owner}")
        if names:
            attrs.append("kpi: " + ", ".join(names))
        if attrs:
            lines.append(f"deliverable D{i} {{ {'; '.join(attrs)} }}")
    return "\n".join(lines) + "\n", edges, kpis


def _closure(n: int, edges: list[tuple[int, int]]) -> list[list[int | None]]:
    """Shortest number of edges from i to j (Floyd-Warshall), None when unreachable."""
    inf = None
    dist: list[list[int | None]] = [[0 if i == j else inf for j in range(n)] for i in range(n)]
    for a, b in edges:
        dist[a][b] = 1
    for k in range(n):
        for i in range(n):
            for j in range(n):
                ik, kj, ij = dist[i][k], dist[k][j], dist[i][j]
                if ik is not None and kj is not None and (ij is None or ik + kj < ij):
                    dist[i][j] = ik + kj
    return dist


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_links_match_brute_force_reachability(
    case: tuple[str, list[tuple[int, int]], dict[int, list[tuple[str, str | None]]]],
) -> None:
    text, edges, kpis = case
    a = analyse_text(text, "m.prep")
    assert not a.errors, (text, a.errors)
    entries = kpi_entries(a.journey)
    n = 1 + max(int(k[1:]) for k in a.model.deliverables)
    dist = _closure(n, edges)
    # every KPI once, with the party the contract gives it
    want = {(name, f"D{i}", party) for i, ks in kpis.items() for name, party in ks}
    assert {(e.name, e.deliverable, e.party) for e in entries} == want
    expected = set()
    for d, ks in kpis.items():
        for e, js in kpis.items():
            if dist[d][e] is None:
                continue
            for k, kp in ks:
                for j, jp in js:
                    if kp in ("vendor", "partner") and jp == "customer":
                        expected.add((k, j, dist[d][e]))
    links = kpi_links(a.journey, entries)
    got = set()
    for link in links:
        s, t = entries[link.source], entries[link.target]
        path = [int(k[1:]) for k in link.path]
        assert link.path[0] == s.deliverable and link.path[-1] == t.deliverable
        assert all((x, y) in edges for x, y in itertools.pairwise(path))
        got.add((s.name, t.name, len(path) - 1))  # a shortest path
    assert got == expected


SAMPLE = "samples/cs-journey.prep"


def test_kpis_json_shape() -> None:
    r = run_prep("kpis", SAMPLE, "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    first = data["kpis"][0]
    assert {k: first[k] for k in ("name", "party", "deliverable", "step", "phase")} == {
        "name": "初回価値到達日数",
        "party": "vendor",
        "deliverable": "導入計画書",
        "step": 2,
        "phase": "Land",
    }
    links = {(x["from"], x["to"]): x["path"] for x in data["links"]}
    assert links[("オンボーディング完了率", "業務時間削減率")] == [
        "教育済みユーザー",
        "稼働中の業務",
        "効果測定レポート",
    ]
    assert ("提案受注率", "業務時間削減率") not in links  # the proposal comes after the report
    assert all(set(x) >= {"from", "to", "path"} for x in data["links"])


def test_kpis_text_markdown_csv() -> None:
    from prepmodel.views.kpis import render_kpis

    j = analyse_text((ROOT / SAMPLE).read_text("utf-8"), SAMPLE).journey
    text = run_prep("kpis", SAMPLE).stdout.decode()
    assert text == render_kpis(j, "text", "ja")
    assert "顧客KPIと、それにつながる自社・パートナーKPI" in text
    assert "← オンボーディング完了率" in text
    md = render_kpis(j, "markdown", "ja")
    assert "| 業務時間削減率 | オンボーディング完了率 |" in md
    csv = render_kpis(j, "csv", "ja").splitlines()
    assert csv[0].startswith("KPI,当事者,")
    assert len(csv) == 1 + 5


def test_undeclared_kpi_takes_the_owner_party_and_externals_count() -> None:
    text = """role C { party: customer }
role V { party: vendor }
goal G { owner: C; kpi: 解約率 }
external Manual { owner: V; kpi: 閲覧数 }
G <- Manual
kpi 未使用 { party: vendor }
"""
    a = analyse_text(text, "m.prep")
    entries = kpi_entries(a.journey)
    assert [(e.name, e.party, e.deliverable, e.step) for e in entries] == [
        ("解約率", "customer", "G", 1),
        ("閲覧数", "vendor", "Manual", None),
        ("未使用", "vendor", None, None),
    ]
    links = kpi_links(a.journey, entries)
    assert [(entries[x.source].name, entries[x.target].name, x.path) for x in links] == [
        ("閲覧数", "解約率", ("Manual", "G"))
    ]
    assert [d.code for d in a.diagnostics if d.code == "KP01"] == ["KP01"]
    md = run_prep(
        "checkpoints", "-", "--format", "markdown", "--lang", "ja", stdin=text.encode()
    ).stdout.decode()
    health = md.split("## ヘルススコア")[1]
    assert "閲覧数" in health and "→ 解約率" in health and "← 閲覧数" in health


def test_same_deliverable_drives() -> None:
    text = (
        "kpi A { party: customer }\nkpi B { party: vendor }\n"
        "goal G { kpi: A, B }\nexternal I\nG <- I\n"
    )
    a = analyse_text(text, "m.prep")
    entries = kpi_entries(a.journey)
    links = kpi_links(a.journey, entries)
    assert [(entries[x.source].name, entries[x.target].name, x.path) for x in links] == [
        ("B", "A", ("G",))
    ]


def test_kpis_with_none() -> None:
    r = run_prep("kpis", "samples/restaurant.prep")
    assert r.returncode == 0 and "kpi" in r.stdout.decode()

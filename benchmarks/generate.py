"""Generate large, realistic `.prep` models for benchmarks and tests.

    python benchmarks/generate.py 10000 -o benchmarks/generated/m10k.prep --seed 1 --lang ja

The model is a layered DAG: externals at the bottom, produced deliverables in the middle
layers (inputs always come from lower layers, so there are no cycles), one to three goals at
the top. Around 20% of the produced deliverables have 2-3 alternative routes; a few routes
have long input lists (10-30 inputs, wrapped after commas); routes carry `work`, `by` and
`effort`; some deliverables carry a `kpi`; a few are groups; 4-6 phases (``phases``) cover
contiguous layer ranges (so the journey never runs backwards) and every produced deliverable
is in one.
Every deliverable is needed by a goal and every external is used, so the model checks with
no errors (naming warnings may occur). The output depends only on the arguments.

The module has no dependency on ``prepmodel``: ``generate(n, seed, lang) -> str``.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["generate"]

# --- vocabulary ---------------------------------------------------------------------------

JA_DOCS = [
    "見積書",
    "契約書",
    "導入計画書",
    "提案書",
    "稟議書",
    "発注書",
    "請求書",
    "納品書",
    "議事録",
    "報告書",
    "仕様書",
    "基本設計書",
    "詳細設計書",
    "画面設計書",
    "体制図",
    "業務フロー図",
    "課題管理表",
    "リスク管理表",
    "テスト計画書",
    "テスト結果報告書",
    "移行計画書",
    "運用手順書",
    "教育資料",
    "操作マニュアル",
    "工程表",
    "構成図",
    "受入基準書",
    "検収書",
    "予算書",
    "見積根拠資料",
    "品質計画書",
    "保守契約書",
    "利用規約",
    "価格表",
    "顧客リスト",
    "データ移行設計書",
    "権限設計書",
    "帳票設計書",
]
JA_CONCEPTS = [
    "要件",
    "KPI",
    "権限",
    "データ項目",
    "業務ルール",
    "成功基準",
    "品質基準",
    "サービスレベル",
    "業務用語",
    "コード体系",
    "承認ルート",
    "障害レベル",
]
JA_DONE = ["承認済み", "署名済み", "レビュー済み", "確定済み", "合意済み", "検証済み"]
JA_SCOPES = [
    "本社",
    "関東支社",
    "関西支社",
    "東日本",
    "西日本",
    "全社",
    "部門別",
    "製品A",
    "製品B",
    "第1期",
    "第2期",
    "パイロット",
    "海外拠点",
    "営業部",
    "経理部",
    "人事部",
    "物流センター",
    "コールセンター",
    "店舗",
    "代理店",
]
JA_SOURCES = [
    "顧客の現行業務",
    "製品マニュアル",
    "顧客マスタ",
    "商品マスタ",
    "法令",
    "社内規程",
    "過去案件データ",
    "市場調査データ",
    "取引先情報",
    "会計基準",
    "業界標準",
    "既存システム仕様",
    "現行帳票",
    "組織図",
    "予算枠",
    "顧客要望",
]
JA_GOALS = [
    "定着した顧客業務",
    "稼働中の新基幹システム",
    "全社展開済み業務基盤",
    "締結済み年間契約",
    "監査対応済み決算資料",
]
JA_GROUPS = ["一式", "パッケージ", "セット"]
JA_WORK = [
    "作成",
    "レビュー",
    "承認",
    "集計",
    "策定",
    "設計",
    "締結",
    "検証",
    "取りまとめ",
    "更新",
    "ワークショップ",
    "ヒアリング",
    "突合",
    "清書",
]
JA_ROLES = ["営業", "法務", "PMO", "CSM", "経理", "情報システム部", "顧客PM", "品質保証", "開発"]
JA_KPI = [
    "リードタイム短縮率",
    "業務時間削減率",
    "手戻り件数",
    "顧客満足度",
    "承認所要日数",
    "不具合密度",
]
JA_PHASES = ["提案", "契約", "設計", "構築", "移行", "定着"]

EN_DOCS = [
    "pricing proposal",
    "service contract",
    "rollout plan",
    "requirements specification",
    "solution design",
    "test plan",
    "test report",
    "migration plan",
    "runbook",
    "training deck",
    "user guide",
    "risk register",
    "issue log",
    "budget",
    "purchase order",
    "invoice",
    "delivery note",
    "meeting minutes",
    "status report",
    "data dictionary",
    "architecture diagram",
    "acceptance criteria",
    "access matrix",
    "cost estimate",
    "project charter",
    "release notes",
    "support agreement",
    "vendor shortlist",
]
EN_STATES = ["Draft", "Approved", "Signed", "Reviewed", "Final", "Baselined", "Agreed"]
EN_SCOPES = [
    "EMEA",
    "APAC",
    "Americas",
    "Head office",
    "Retail",
    "Pilot",
    "Phase 2",
    "Wave 3",
    "Finance",
    "HR",
    "Warehouse",
    "Call centre",
    "Partner",
    "Store",
]
EN_SOURCES = [
    "Customer's current process",
    "Product manual",
    "Customer master data",
    "Price list",
    "Regulations",
    "Company policy",
    "Historic project data",
    "Market research",
    "Supplier catalogue",
    "Accounting standard",
    "Legacy system spec",
    "Org chart",
    "Budget envelope",
    "Customer wish list",
]
EN_GOALS = [
    "Live customer operations",
    "Go-live approval",
    "Signed annual renewal",
    "Audited year-end accounts",
    "Company-wide rollout",
]
EN_GROUPS = ["package", "kit", "bundle"]
EN_WORK = [
    "Draft it",
    "Review",
    "Approve",
    "Consolidate",
    "Plan",
    "Design",
    "Negotiate",
    "Validate",
    "Compile",
    "Update",
    "Run the workshop",
    "Interview users",
    "Reconcile",
]
EN_ROLES = ["Sales", "Legal", "PMO", "CSM", "Finance", "IT", "Customer PM", "QA", "Dev"]
EN_KPI = ["Lead time", "Hours saved", "Rework count", "CSAT", "Days to approve", "Defect density"]
EN_PHASES = ["Discover", "Propose", "Contract", "Build", "Launch", "Adopt"]
# the streams shape has 8-12 phases
JA_PHASES_LONG = [
    "認知",
    "提案",
    "契約",
    "キックオフ",
    "要件定義",
    "設計",
    "構築",
    "テスト",
    "移行",
    "稼働",
    "定着",
    "拡大",
]
EN_PHASES_LONG = [
    "Aware",
    "Discover",
    "Propose",
    "Contract",
    "Kick-off",
    "Requirements",
    "Design",
    "Build",
    "Test",
    "Migrate",
    "Launch",
    "Adopt",
]

_WS = re.compile(r"\s+")
_BARE = re.compile(r'[^\s#"{}()\[\],:;<>=|\-][^\s#"{}()\[\],:;<>=|]*\Z')
_KEYWORDS = {"model", "goal", "external", "deliverable", "group", "phase", "role", "import"}


def _lower_first(text: str) -> str:
    """ "Head office" -> "head office", but "EMEA" and "HR" stay as they are."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[0].lower() + text[1:]


def _identity(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def _render(text: str) -> str:
    if _BARE.match(text) and text not in _KEYWORDS:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- structure ----------------------------------------------------------------------------


@dataclass
class _Node:
    name: str
    layer: int
    lang: str
    group: bool = False
    stream: int = 0
    routes: list[list[int]] = field(default_factory=list)  # inputs per route (node ids)


class _Namer:
    """Unique names; numbering keeps them unique."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def unique(self, base: str, lang: str) -> str:
        name = base
        k = 2
        while _identity(name) in self.seen:
            name = f"{base}{k:02d}" if lang == "ja" else f"{base} {k}"
            k += 1
        self.seen.add(_identity(name))
        return name

    def produced(self, lang: str) -> str:
        r = self.rng
        if lang == "ja":
            form = r.random()
            if form < 0.15:
                core = r.choice(JA_CONCEPTS) + r.choice(["定義書", "一覧"])
            elif form < 0.35:
                core = r.choice(JA_DONE) + r.choice(JA_DOCS)
            elif form < 0.5:
                core = r.choice(JA_DOCS) + "案"
            elif form < 0.6:
                core = r.choice(JA_DOCS) + "一覧"
            else:
                core = r.choice(JA_DOCS)
            if r.random() < 0.7:
                core = r.choice(JA_SCOPES) + core
            return self.unique(core, lang)
        core = r.choice(EN_DOCS)
        if r.random() < 0.7:
            core = f"{r.choice(EN_SCOPES)} {core}"
        if r.random() < 0.5:
            core = f"{r.choice(EN_STATES)} {_lower_first(core)}"
        return self.unique(core[0].upper() + core[1:], lang)

    def external(self, lang: str) -> str:
        r = self.rng
        if lang == "ja":
            base = r.choice(JA_SOURCES)
            if r.random() < 0.5:
                base = r.choice(JA_SCOPES) + base
        else:
            base = r.choice(EN_SOURCES)
            if r.random() < 0.5:
                base = f"{r.choice(EN_SCOPES)} {_lower_first(base)}"
        return self.unique(base, lang)

    def group(self, lang: str) -> str:
        r = self.rng
        if lang == "ja":
            return self.unique(r.choice(JA_SCOPES) + r.choice(JA_DOCS) + r.choice(JA_GROUPS), lang)
        doc = r.choice(EN_DOCS)
        return self.unique(f"{r.choice(EN_SCOPES)} {doc} {r.choice(EN_GROUPS)}", lang)

    def goal(self, lang: str, i: int) -> str:
        pool = JA_GOALS if lang == "ja" else EN_GOALS
        return self.unique(pool[i % len(pool)], lang)


def _widths(total: int, layers: int, goals: int) -> list[int]:
    """Widths of the middle layers (index 0 = just above the externals): uniform, with the
    top layers tapering so a few goals can use them all."""
    widths = [0] * layers
    remaining = total
    for t in range(layers):  # t = 0 is the layer just below the goals
        idx = layers - 1 - t
        left = layers - t
        cap = 5 * goals * 3**t
        w = max(1, min(cap, math.ceil(remaining / left)))
        if t == layers - 1:
            w = remaining
        w = max(0, min(w, remaining - (left - 1)))
        widths[idx] = w
        remaining -= w
    return widths


def _lang_of(lang: str, rng: random.Random) -> str:
    if lang == "mixed":
        return "ja" if rng.random() < 0.6 else "en"
    return lang


def _inputs_count(rng: random.Random) -> int:
    if rng.random() < 0.03:
        return rng.randint(10, 30)
    return rng.choices([1, 2, 3, 4, 5, 6], weights=[10, 25, 30, 20, 10, 5])[0]


def _add_alternatives(
    rng: random.Random, node: _Node, first: list[int], one_more: Callable[[], list[int]]
) -> None:
    """One or two alternative routes of ``node``: ``first`` with an input or two dropped
    or added (``one_more`` picks an input), each unless it repeats a route."""
    for _ in range(rng.choice([1, 1, 2])):
        alt = list(first)
        for _ in range(rng.randint(1, 2)):
            if len(alt) > 1 and rng.random() < 0.5:
                alt.pop(rng.randrange(len(alt)))
            else:
                alt.extend(x for x in one_more() if x not in alt)
        if all(set(alt) != set(r) for r in node.routes):
            node.routes.append(alt)


def generate(
    n_deliverables: int, seed: int = 1, lang: str = "ja", phases: tuple[int, int] = (4, 6)
) -> str:
    """A `.prep` model with about ``n_deliverables`` deliverables (at least 6), with a
    number of phases drawn from the range ``phases``."""
    if lang not in ("en", "ja", "mixed"):
        raise ValueError(f"lang must be en, ja or mixed, not {lang!r}")
    rng = random.Random(f"prep-bench:{seed}:{lang}:{n_deliverables}")
    n = max(6, n_deliverables)
    namer = _Namer(rng)
    n_goals = 1 if n < 200 else rng.randint(1, 3)
    n_ext = max(2, n // 10)
    n_mid = n - n_goals - n_ext
    n_layers = max(1, min(30, round(2 * math.log2(n)) - 3, n_mid))
    widths = _widths(n_mid, n_layers, n_goals)

    nodes: list[_Node] = []
    layers: list[list[int]] = []

    def add(node: _Node) -> int:
        nodes.append(node)
        return len(nodes) - 1

    layers.append(
        [
            add(_Node(namer.external(lg), 0, lg))
            for lg in (_lang_of(lang, rng) for _ in range(n_ext))
        ]
    )
    for li, w in enumerate(widths, start=1):
        ids = []
        for _ in range(w):
            lg = _lang_of(lang, rng)
            is_group = li >= 2 and rng.random() < 0.02
            name = namer.group(lg) if is_group else namer.produced(lg)
            ids.append(add(_Node(name, li, lg, group=is_group)))
        layers.append(ids)
    top = len(layers)
    layers.append(
        [add(_Node(namer.goal(_lang_of(lang, rng), i), top, "ja")) for i in range(n_goals)]
    )
    for gid in layers[top]:
        nodes[gid].lang = (
            "ja" if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", nodes[gid].name) else "en"
        )

    below: list[list[int]] = [[]]  # below[l] = every node id in layers < l
    for li in range(1, len(layers)):
        below.append(below[-1] + layers[li - 1])

    def pick_inputs(li: int, k: int) -> list[int]:
        k = min(k, len(below[li]))
        chosen: list[int] = []
        seen: set[int] = set()
        tries = 0
        while len(chosen) < k and tries < 10 * k:
            tries += 1
            x = rng.choice(layers[li - 1] if rng.random() < 0.6 else below[li])
            if x not in seen:
                seen.add(x)
                chosen.append(x)
        return chosen

    # routes: inputs always from lower layers
    for li in range(1, len(layers)):
        for nid in layers[li]:
            node = nodes[nid]
            if node.group:
                node.routes.append(pick_inputs(li, rng.randint(2, 4)))
                continue
            first = pick_inputs(li, _inputs_count(rng))
            node.routes.append(first)
            if li < top and rng.random() < 0.2:
                _add_alternatives(rng, node, first, lambda li=li: pick_inputs(li, 1))

    # every node below the goals is used by a node above it (top-down, so all are needed)
    used: set[int] = {x for node in nodes for route in node.routes for x in route}
    for li in range(top - 1, -1, -1):
        for nid in layers[li]:
            if nid not in used:
                user = nodes[rng.choice(layers[li + 1])]
                user.routes[0].append(nid)
                used.add(nid)

    return _write(nodes, layers, lang, rng, seed, phases)


def generate_streams(
    n_deliverables: int, seed: int = 1, lang: str = "ja", phases: tuple[int, int] = (8, 12)
) -> str:
    """A deep model with many goals (issue #18's second shape): parallel work streams about
    250 layers deep, one goal at the end of each (a goal per 2,000 deliverables, at least
    2), inputs mostly from the layer just below in the same stream and 5% from a shared
    stream (stream 0: platform work every other stream uses),
    1% of the deliverables with 40-200 inputs, 40% with alternative routes, 8-12 phases."""
    if lang not in ("en", "ja", "mixed"):
        raise ValueError(f"lang must be en, ja or mixed, not {lang!r}")
    rng = random.Random(f"prep-streams:{seed}:{lang}:{n_deliverables}")
    n = max(12, n_deliverables)
    namer = _Namer(rng)
    n_goals = max(2, n // 2000)
    n_ext = max(2, n // 20)
    n_mid = n - n_goals - n_ext
    depth = max(1, min(250, n_mid // (2 * n_goals)))
    nodes: list[_Node] = []
    layers: list[list[int]] = []

    def add(node: _Node) -> int:
        nodes.append(node)
        return len(nodes) - 1

    layers.append(
        [
            add(_Node(namer.external(lg), 0, lg, stream=i % n_goals))
            for i, lg in enumerate(_lang_of(lang, rng) for _ in range(n_ext))
        ]
    )
    base, extra = divmod(n_mid, depth)
    for li in range(1, depth + 1):
        width = base + (1 if li <= extra else 0)
        ids = []
        for i in range(width):
            lg = _lang_of(lang, rng)
            is_group = li >= 2 and rng.random() < 0.01
            name = namer.group(lg) if is_group else namer.produced(lg)
            ids.append(add(_Node(name, li, lg, group=is_group, stream=i % n_goals)))
        layers.append(ids)
    top = len(layers)
    layers.append(
        [
            add(_Node(namer.goal(_lang_of(lang, rng), i), top, "ja", stream=i))
            for i in range(n_goals)
        ]
    )
    for gid in layers[top]:
        nodes[gid].lang = (
            "ja" if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", nodes[gid].name) else "en"
        )
    by_stream: list[dict[int, list[int]]] = [{} for _ in range(n_goals)]
    for li, ids in enumerate(layers):
        for nid in ids:
            by_stream[nodes[nid].stream].setdefault(li, []).append(nid)

    def one_input(li: int, stream: int) -> int:
        if stream and rng.random() < 0.05:
            stream = 0  # stream 0 is shared: the others use its deliverables, not each other's
        r = rng.random()
        lower = li - 1 if r < 0.8 else rng.randrange(0, li)
        while lower > 0 and not by_stream[stream].get(lower):
            lower -= 1
        pool = by_stream[stream].get(lower) or layers[0]
        return rng.choice(pool)

    def pick(li: int, stream: int, k: int) -> list[int]:
        chosen: list[int] = []
        seen: set[int] = set()
        for _ in range(10 * k):
            if len(chosen) >= k:
                break
            x = one_input(li, stream)
            if x not in seen:
                seen.add(x)
                chosen.append(x)
        return chosen

    for li in range(1, len(layers)):
        for nid in layers[li]:
            node = nodes[nid]
            if node.group:
                node.routes.append(pick(li, node.stream, rng.randint(2, 4)))
                continue
            k = rng.randint(40, 200) if rng.random() < 0.01 else _inputs_count(rng)
            first = pick(li, node.stream, k)
            node.routes.append(first)
            if li < top and rng.random() < 0.4:
                _add_alternatives(rng, node, first, lambda li=li, n=node: pick(li, n.stream, 1))

    used: set[int] = {x for node in nodes for route in node.routes for x in route}
    for li in range(top - 1, -1, -1):
        for nid in layers[li]:
            if nid not in used:
                stream = nodes[nid].stream
                above = by_stream[stream].get(li + 1) or layers[li + 1]
                nodes[rng.choice(above)].routes[0].append(nid)
                used.add(nid)
    return _write(nodes, layers, lang, rng, seed, phases, long_phases=True)


# --- text ---------------------------------------------------------------------------------


def _wrap(head: str, items: list[str], tail: str = "", width: int = 96) -> str:
    """``head item, item, ...tail`` wrapped after commas, continuation lines indented."""
    lines: list[str] = []
    cur = head
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else "")
        if cur.strip() and len(cur) + len(piece) + 1 > width and cur != head:
            lines.append(cur.rstrip())
            cur = "    " + piece
        else:
            cur = (cur + " " + piece) if cur and not cur.endswith(" ") else cur + piece
    cur += tail
    lines.append(cur)
    return "\n".join(lines)


def _attr_block(rng: random.Random, lang: str, multi: bool, alt: int) -> str:
    if lang == "ja":
        work = rng.choice(JA_WORK)
        if alt:
            work = ("外部委託で" if alt == 1 else "簡易") + work
        roles = rng.sample(JA_ROLES, rng.choice([1, 1, 2]))
    else:
        work = rng.choice(EN_WORK)
        if alt:
            work = ("Outsource: " if alt == 1 else "Fast track: ") + work.lower()
        roles = rng.sample(EN_ROLES, rng.choice([1, 1, 2]))
    effort = f"{rng.randint(1, 15)}d" if rng.random() < 0.7 else f"{rng.choice([2, 4, 6])}h"
    attrs = [f"work: {_render(work)}", "by: " + ", ".join(_render(x) for x in roles)]
    if rng.random() < 0.8:
        attrs.append(f"effort: {effort}")
    if rng.random() < 0.05:
        note = "要確認: 顧客と合意すること" if lang == "ja" else "Confirm with the customer"
        attrs.append(f"note: {_render(note)}")
    if multi:
        return " {\n" + "".join(f"    {a}\n" for a in attrs) + "}"
    return " { " + "; ".join(attrs) + " }"


def _write(
    nodes: list[_Node],
    layers: list[list[int]],
    lang: str,
    rng: random.Random,
    seed: int,
    phases: tuple[int, int] = (4, 6),
    long_phases: bool = False,
) -> str:
    name = [_render(nd.name) for nd in nodes]
    top = len(layers) - 1
    ja = lang != "en"
    out: list[str] = []
    n = len(nodes)
    out.append(f"# Generated by benchmarks/generate.py: {n} deliverables, seed {seed}, lang {lang}")
    out.append("# Layered model: externals first, goals last; do not edit by hand.")
    title = "大規模導入プロジェクト" if ja else "Large rollout programme"
    out.append(f'model "{title} ({n})" {{ lang: {lang}; version: 1.{seed} }}')
    out.append("")
    roles = list(dict.fromkeys((JA_ROLES if ja else []) + (EN_ROLES if lang != "ja" else [])))
    out.append(_wrap("role", [_render(r) for r in roles]))
    out.append("")

    # goals
    for gid in layers[top]:
        nd = nodes[gid]
        kpi = rng.choice(JA_KPI if nd.lang == "ja" else EN_KPI)
        owner = rng.choice(JA_ROLES if nd.lang == "ja" else EN_ROLES)
        out.append(f"goal {name[gid]} {{ kpi: {_render(kpi)}; owner: {_render(owner)} }}")
    out.append("")

    # externals: most in wrapped lists, a few with their own block
    out.append("# 外部から与えられる成果物" if ja else "# Given from outside")
    plain = [x for x in layers[0] if rng.random() >= 0.05]
    special = [x for x in layers[0] if x not in set(plain)]
    for i in range(0, len(plain), 40):
        out.append(_wrap("external", [name[x] for x in plain[i : i + 40]]))
    for x in special:
        owner = rng.choice(JA_ROLES if nodes[x].lang == "ja" else EN_ROLES)
        out.append(f"external {name[x]} {{ owner: {_render(owner)} }}")
    out.append("")

    # phases over contiguous layer ranges (goals in the last phase)
    mids = list(range(1, top + 1))
    n_phases = min(rng.randint(*phases), len(mids))
    # cut the layers where about 1/n_phases of the deliverables (give or take) lie below
    sizes = [len(layers[li]) for li in mids]
    total = sum(sizes)
    cuts: list[int] = []
    seen = 0
    for pos, size in enumerate(sizes[:-1], start=1):
        seen += size
        want = (len(cuts) + 1) * total / n_phases * rng.uniform(0.85, 1.1)
        left_layers = len(mids) - pos
        need = n_phases - 1 - len(cuts)
        if need and (seen >= want or left_layers <= need):
            cuts.append(pos)
    bounds = [0, *cuts, len(mids)]
    phase_layers = [mids[bounds[i] : bounds[i + 1]] for i in range(n_phases)]
    if long_phases:
        phase_names = JA_PHASES_LONG if ja else EN_PHASES_LONG
    else:
        phase_names = JA_PHASES if ja else EN_PHASES
    offset = rng.randint(0, len(phase_names) - n_phases)
    phase_names = phase_names[offset : offset + n_phases]

    # routes: written phase by phase; inside a layer in a shuffled order
    kpi_nodes: list[int] = []
    for pi, pls in enumerate(phase_layers):
        out.append("# " + "-" * 70)
        out.append(f"# フェーズ: {phase_names[pi]}" if ja else f"# Phase: {phase_names[pi]}")
        out.append("# " + "-" * 70)
        for li in pls:
            ids = list(layers[li])
            rng.shuffle(ids)
            out.append(f"# layer {li}")
            for nid in ids:
                nd = nodes[nid]
                if nd.group:
                    members = [name[x] for x in nd.routes[0]]
                    note = "まとめて提出" if nd.lang == "ja" else "Handed over together"
                    out.append(_wrap(f"group {name[nid]} =", members, f' {{ note: "{note}" }}'))
                    continue
                for alt, route in enumerate(nd.routes):
                    multi = rng.random() < 0.1 or len(route) >= 10
                    block = _attr_block(rng, nd.lang, multi, alt)
                    line = _wrap(f"{name[nid]} <-", [name[x] for x in route], block)
                    if rng.random() < 0.03:
                        line += "  # 要見直し" if nd.lang == "ja" else "  # to be revisited"
                    out.append(line)
                if rng.random() < 0.05:
                    kpi_nodes.append(nid)
            out.append("")

    # attributes only
    if kpi_nodes:
        out.append("# KPI")
        for nid in kpi_nodes:
            nd = nodes[nid]
            kpi = rng.choice(JA_KPI if nd.lang == "ja" else EN_KPI)
            owner = rng.choice(JA_ROLES if nd.lang == "ja" else EN_ROLES)
            out.append(
                f"deliverable {name[nid]} {{ kpi: {_render(kpi)}; owner: {_render(owner)} }}"
            )
        out.append("")

    # phases
    out.append("# フェーズ定義 (宣言順 = 進行順)" if ja else "# Phases (declaration order)")
    for pi, pls in enumerate(phase_layers):
        members = [name[x] for li in pls for x in layers[li]]
        note = f"{pi + 1}番目のフェーズ" if ja else f"Phase {pi + 1} of {n_phases}"
        out.append(_wrap(f"phase {_render(phase_names[pi])}:", members, f' {{ note: "{note}" }}'))
    out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of deliverables")
    ap.add_argument("-o", "--output", help="output file (default: stdout)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lang", choices=["en", "ja", "mixed"], default="ja")
    ap.add_argument(
        "--phases",
        type=int,
        nargs=2,
        default=(4, 6),
        metavar=("MIN", "MAX"),
        help="how many phases (drawn from MIN..MAX; default 4 6)",
    )
    ap.add_argument(
        "--shape",
        choices=["layered", "streams"],
        default="layered",
        help="layered (default): 1-3 goals over ~30 layers; streams: deep work streams "
        "(~250 layers), a goal per 2,000 deliverables, 40%% alternatives (issue #18)",
    )
    args = ap.parse_args(argv)
    if args.shape == "streams":
        phases = tuple(args.phases) if args.phases != (4, 6) else (8, 12)
        text = generate_streams(args.n, args.seed, args.lang, phases)
    else:
        text = generate(args.n, args.seed, args.lang, tuple(args.phases))
    if args.output:
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

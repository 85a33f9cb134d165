"""The numbered step list that stands beside the assembly diagram, with its legend.

The list uses the junctions' numbers and marks each step by its checkpoint role (``▶`` exit
checkpoint, ``●`` checkpoint, ``○`` route-dependent); the same :class:`Roles` decide the
node styles in ``dot.py``. It is a record node, not an HTML table, because the embedded
Graphviz has no HTML labels; every field is sized by our own label measure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from prepmodel.journey.core import Journey
from prepmodel.render.measure import text_width, wrap_label
from prepmodel.render.style import INK, LIST_SIZE, LIST_WIDTH, esc, fmt

#: Texts of the step list, in the model's language (``lang: ja``, or Japanese names) so that
#: an English diagram needs no Japanese font and a Japanese workshop reads its own language.
LIST_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Assembly steps",
        "checkpoint": "● checkpoint: every route needs it",
        "exit": "▶ exit checkpoint of its phase",
        "some": "○ or dashed box: needed on some routes only",
        "gap": "red dashed box: missing (a gap)",
        "cycle": "red box and lines: a cycle",
        "orphan": "orange box: no goal needs it",
        "incoming": "box with a step number: made in an earlier band, used here",
        "optional": "dashed line: an optional input [X] (the route does not require it)",
        "out_of_scenario": "light grey: not in the scenario '{names}'",
        "scenario": "scenario: {names}",
        "unphased": "Outside every phase",
        "from_step": "from step",
        "steps": "steps",
        "owner": "owner",
        "kpi": "KPI",
        "note": "note",
        "handover": "◆ purple line: a hand-over (the owner's party changes)",
        "lane_none": "no owner",
        "customer": "customer",
        "partner": "partner",
        "vendor": "vendor",
        "self": "self",
        "alongside": "alongside",
        "on-behalf": "on-behalf",
        "file": "file",
    },
    "ja": {
        "title": "組立手順",
        "checkpoint": "● チェックポイント：どのルートでも必要",
        "exit": "▶ フェーズの出口となるチェックポイント",
        "some": "○・点線の枠：一部のルートでだけ必要",
        "gap": "赤い点線の枠：どこからも来ない（ギャップ）",
        "cycle": "赤い枠と線：循環している",
        "orphan": "オレンジの枠：どのゴールにも不要",
        "incoming": "番号付きの枠：前の段で作られ、ここで使う",
        "optional": "点線：任意のインプット [X]（ルートはこれを必須としない）",
        "out_of_scenario": "薄い灰色：シナリオ「{names}」に含まれない",
        "scenario": "シナリオ：{names}",
        "unphased": "フェーズ外",
        "from_step": "手順",
        "steps": "手順",
        "owner": "オーナー",
        "kpi": "KPI",
        "note": "メモ",
        "handover": "◆ 紫の線：受け渡し点（オーナーの当事者が変わる）",
        "lane_none": "オーナーなし",
        "customer": "顧客",
        "partner": "パートナー",
        "vendor": "自社",
        "self": "自走",
        "alongside": "伴走",
        "on-behalf": "代走",
        "file": "ファイル",
    },
}
FIGURE_SPACE = "\u2007"  # as wide as a digit: keeps the step numbers aligned


@dataclass(frozen=True)
class Roles:
    """Checkpoint roles for the goals in view (one goal with ``--goal``, else all)."""

    checkpoints: frozenset[str]
    exits: frozenset[str]
    mandatory: frozenset[str]  # members of some goal's mandatory set (externals too)


def unneeded(j: Journey, key: str) -> bool:
    """Drawn as "no goal needs it" (orange): no goal needs it, and it is not one of an
    imported pattern's own parts (contract §8: those are not orphans)."""
    return key not in j.graph.needed and key not in j.imported_only


def checkpoint_roles(j: Journey, goal: str | None) -> Roles:
    """The roles for ``goal``, or for every goal of the model when it is ``None``."""
    goals = [goal] if goal is not None else list(j.model.goals)
    checkpoints: set[str] = set()
    exits: set[str] = set()
    mandatory: set[str] = set()
    for k in goals:
        gj = j.goal(k)
        checkpoints.update(c.key for c in gj.checkpoints)
        exits.update(c.key for c in gj.checkpoints if c.exit)
        mandatory |= j.mandatory(k)
    return Roles(frozenset(checkpoints), frozenset(exits), frozenset(mandatory))


def diagram_language(j: Journey) -> str:
    """``ja`` or ``en`` for the diagram's words: the model's ``lang``, the locale, or
    Japanese names (:func:`prepmodel.model.language.model_language`, shared by every
    ``--lang``)."""
    from prepmodel.model.language import model_language

    return model_language(j.model)


def checkpoint_list_lines(
    j: Journey,
    shown: set[str],
    roles: Roles,
    *,
    lang: str | None = None,
    legend: bool = True,
    legend_keys: set[str] | None = None,
    notes: Sequence[str] = (),
) -> list[list[str]]:
    """The step list as fields of lines: title, one field per shown step, and (with
    ``legend``) the legend of the marks that appear among ``legend_keys`` (default:
    ``shown``)."""
    size = LIST_SIZE
    digits = len(str(len(j.steps)))
    texts = LIST_TEXTS[lang or diagram_language(j)]
    fields: list[list[str]] = [[texts["title"]]]
    for s in j.steps:
        if s.key not in shown:
            continue
        mark = "▶" if s.key in roles.exits else ("●" if s.key in roles.checkpoints else "○")
        number = str(s.number).rjust(digits, FIGURE_SPACE)
        head = f"{number} {mark} "
        lines = wrap_label(j.name(s.key), LIST_WIDTH, size)
        pad = FIGURE_SPACE * digits + "    "
        fields.append([head + lines[0]] + [pad + line for line in lines[1:]])
    if not legend:
        return fields
    shown = legend_keys if legend_keys is not None else shown
    g = j.graph
    lines = [texts["checkpoint"]]
    if any(k in roles.exits for k in shown):
        lines.append(texts["exit"])
    if any(
        k in g.needed and k not in roles.mandatory and k not in roles.checkpoints for k in shown
    ):
        lines.append(texts["some"])
    if any(
        k not in g.produced and k in g.needed and not j.model.deliverables[k].external
        for k in shown
    ):
        lines.append(texts["gap"])
    if any(k in g.in_cycle for k in shown):
        lines.append(texts["cycle"])
    if j.model.goals and any(unneeded(j, k) for k in shown):
        lines.append(texts["orphan"])
    fields.append(lines + list(notes))
    return fields


def _rec(text: str) -> str:
    """Text for a record field: DOT escapes plus the record's own punctuation."""
    out = esc(text)
    for ch in "{}|<>":
        out = out.replace(ch, "\\" + ch)
    return out.replace(" ", "\\ ")  # keep runs of spaces (a record trims them otherwise)


def checkpoint_list_node(
    j: Journey,
    shown: set[str],
    roles: Roles,
    direction: str,
    *,
    lang: str | None = None,
    legend: bool = True,
    legend_keys: set[str] | None = None,
    notes: Sequence[str] = (),
) -> dict[str, str] | None:
    """The attributes of the step list's record node, or ``None`` when no step is shown.

    The node is fixed-size: its width is the widest line, its height counts the lines and
    the fields. A record turns with ``rankdir``, so braces keep the fields stacked in
    ``TB``/``BT`` diagrams too.
    """
    fields = checkpoint_list_lines(
        j, shown, roles, lang=lang, legend=legend, legend_keys=legend_keys, notes=notes
    )
    if len(fields) <= (2 if legend else 1):
        return None
    size = LIST_SIZE
    widest = max(text_width(line, size) for field in fields for line in field)
    w = (widest + 2 * 10) / 72
    line_h = size * 1.2
    count = sum(len(f) for f in fields)
    h = (count * line_h + len(fields) * 6) / 72
    body = "|".join("".join(_rec(t) + "\\l" for t in field) for field in fields)
    label = body if direction in ("LR", "RL") else "{" + body + "}"
    return {
        "label": label,
        "shape": "record",
        "style": "filled",
        "fillcolor": "white",
        "color": "#9aa5b1",
        "fontsize": fmt(size),
        "fontcolor": INK,
        "width": fmt(w),
        "height": fmt(h),
        "fixedsize": "true",
        "class": "checkpoint-list",
    }

"""The words of the HTML page and its viewer, in English and Japanese.

The language is the diagram's (:func:`prepmodel.render.steplist.diagram_language`: the
model's ``lang``, or Japanese names), so a Japanese workshop reads headings, table headers,
legend, panel and controls in its own language. ``prep render --lang`` overrides it.
"""

from __future__ import annotations

LANGUAGES = ("en", "ja")

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "checkpoints": "Checkpoints",
        "diagnostics": "Diagnostics",
        "no_problems": "No problems found.",
        "hint": "hint",
        "legend": "Legend",
        "th_step": "Step",
        "th_deliverable": "Deliverable",
        "th_phase": "Phase",
        "th_route": "Route",
        "th_needs": "Needs",
        "th_work": "Work · by",
        "th_checkpoint_of": "Checkpoint of",
        "th_owner": "Owner",
        "th_kpi": "KPI",
        "th_note": "Note",
        "given_parts": "Given parts",
        "exit_mark": " ▶ exit",
        "some_routes": " (some routes)",
        "group": "(group)",
        "search": "Search deliverables",
        "all_goals": "All goals",
        "goal_label": "Goal",
        "fit": "Fit (0)",
        "zoom_in": "Zoom in (+)",
        "zoom_out": "Zoom out (−)",
        "present": "Present (p)",
        "close": "Close (Esc)",
        "help": "Drag to pan, wheel or + − to zoom, 0 to fit, click a deliverable, "
        "p for presentation (← →), Esc to clear.",
        "matches": "{n} found",
        "no_match": "not found",
        "kind_goal": "goal",
        "kind_produced": "produced",
        "kind_external": "external part",
        "kind_group": "group",
        "kind_gap": "gap: needed but never made",
        "kind_declared": "declared only",
        "step": "Step",
        "phase": "Phase",
        "owner": "Owner",
        "kpi": "KPI",
        "note": "Note",
        "url": "URL",
        "routes": "Routes",
        "members": "Members",
        "work": "work",
        "by": "by",
        "mode": "support mode",
        "effort": "effort",
        "when": "scenarios",
        "checkpoint_of": "Checkpoint of",
        "exit": "exit of its phase",
        "route_dependent_for": "Needed on some routes to",
        "needs": "Needs (upstream)",
        "needed_by": "Needed by (downstream)",
        "source": "Source",
        "whole": "The whole journey",
        "phase_caption": "Phase {n}/{total}: {name}",
        "checkpoint_caption": "Step {step}: {name}",
        "checkpoint_of_goal": "checkpoint {n}/{total} of {goal}",
        "no_step": "no step (no goal needs it)",
    },
    "ja": {
        "checkpoints": "チェックポイント",
        "diagnostics": "診断",
        "no_problems": "問題は見つかりませんでした。",
        "hint": "ヒント",
        "legend": "凡例",
        "th_step": "手順",
        "th_deliverable": "成果物",
        "th_phase": "フェーズ",
        "th_route": "ルート",
        "th_needs": "必要なもの",
        "th_work": "作業・担当",
        "th_checkpoint_of": "チェックポイント（ゴール）",
        "th_owner": "オーナー",
        "th_kpi": "KPI",
        "th_note": "メモ",
        "given_parts": "外部から与えられる部品",
        "exit_mark": " ▶ 出口",
        "some_routes": "（一部のルート）",
        "group": "（グループ）",
        "search": "成果物を検索",
        "all_goals": "すべてのゴール",
        "goal_label": "ゴール",
        "fit": "全体表示 (0)",
        "zoom_in": "拡大 (+)",
        "zoom_out": "縮小 (−)",
        "present": "プレゼン (p)",
        "close": "閉じる (Esc)",
        "help": "ドラッグで移動、ホイールか + − で拡大縮小、0 で全体、成果物をクリック、"
        "p でプレゼン（← →）、Esc で解除。",
        "matches": "{n} 件",
        "no_match": "見つかりません",
        "kind_goal": "ゴール",
        "kind_produced": "作られる成果物",
        "kind_external": "外部から与えられる部品",
        "kind_group": "グループ",
        "kind_gap": "ギャップ：必要だが作られない",
        "kind_declared": "宣言のみ",
        "step": "手順",
        "phase": "フェーズ",
        "owner": "オーナー",
        "kpi": "KPI",
        "note": "メモ",
        "url": "URL",
        "routes": "ルート",
        "members": "メンバー",
        "work": "作業",
        "by": "担当",
        "mode": "支援形態",
        "effort": "工数",
        "when": "シナリオ",
        "checkpoint_of": "チェックポイント（ゴール）",
        "exit": "フェーズの出口",
        "route_dependent_for": "一部のルートで必要（ゴール）",
        "needs": "必要なもの（上流）",
        "needed_by": "これを使うもの（下流）",
        "source": "定義",
        "whole": "全体",
        "phase_caption": "フェーズ {n}/{total}：{name}",
        "checkpoint_caption": "手順 {step}：{name}",
        "checkpoint_of_goal": "{goal} のチェックポイント {n}/{total}",
        "no_step": "手順なし（どのゴールにも不要）",
    },
}

#: Legend entries: the SVG class that shows the symbol is present, then its words.
LEGEND: dict[str, dict[str, str]] = {
    "en": {
        "external": "external part (given from outside)",
        "checkpoint": "checkpoint: every route needs it",
        "route-dependent": "needed on some routes only",
        "some-routes": "external needed on some routes only",
        "goal": "goal",
        "group": "group (exists when all its parts do)",
        "junction": "assembly step 3 (3.a, 3.b: alternative routes); work and (performers) "
        "follow it",
        "phase": "phase, in journey order",
        "gap": "gap: needed but never made",
        "cycle": "on a cycle",
        "orphan": "no goal needs it",
        "optional": "optional input [X]: the route does not require it",
        "out-of-scenario": "not in the scenario shown (--when)",
    },
    "ja": {
        "external": "外部から与えられる部品",
        "checkpoint": "チェックポイント：どのルートでも必要",
        "route-dependent": "一部のルートでだけ必要",
        "some-routes": "一部のルートでだけ必要な外部部品",
        "goal": "ゴール",
        "group": "グループ（メンバーがすべて揃うと成立）",
        "junction": "組立手順 3（3.a・3.b は別ルート）、続いて作業と（担当）",
        "phase": "フェーズ（ジャーニーの順）",
        "gap": "ギャップ：必要だが作られない",
        "cycle": "循環している",
        "orphan": "どのゴールにも不要",
        "optional": "任意のインプット [X]：ルートはこれを必須としない",
        "out-of-scenario": "表示中のシナリオに含まれない（--when）",
    },
}


#: The headings of the page's checkpoint table, in column order.
TABLE_HEADINGS = (
    "th_step",
    "th_deliverable",
    "th_phase",
    "th_route",
    "th_needs",
    "th_work",
    "th_checkpoint_of",
    "th_owner",
    "th_kpi",
    "th_note",
)

#: The words the page writes itself; the others are the viewer's (sent in its JSON data).
PAGE_KEYS = frozenset(
    {
        "checkpoints",
        "diagnostics",
        "no_problems",
        "hint",
        "legend",
        *TABLE_HEADINGS,
        "given_parts",
        "exit_mark",
        "some_routes",
        "group",
        "all_goals",
        "goal_label",
    }
)


def words(lang: str) -> dict[str, str]:
    """The page's words in ``lang`` (English for anything but ``ja``)."""
    return WORDS["ja" if lang == "ja" else "en"]


def viewer_words(lang: str) -> dict[str, str]:
    """The words the viewer's script shows (panel, captions, search count, tooltips)."""
    return {k: v for k, v in words(lang).items() if k not in PAGE_KEYS}

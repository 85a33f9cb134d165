"""Purpose-built cases for the journey: step numbering, route ids, checkpoints, phases and
the tie-breaks of the critical path (contract section 4)."""

from __future__ import annotations

import prepmodel
from prepmodel.journey.core import Journey, route_letter
from prepmodel.model.core import build, identity
from prepmodel.model.graph import ModelGraph
from prepmodel.syntax.parser import parse

RESTAURANT = """\
model "Restaurant floor"

goal "Paid meal"
external "Customer's choice", Menu, Tablet, Ingredients

"Paid meal"   <- "Served meal", Bill          { work: "Settle the bill"; by: Cashier }
"Served meal" <- "Cooked dish", "Order slip"  { work: Serve; by: Waiter }
"Cooked dish" <- "Order slip", Ingredients    { work: Cook; by: Chef }
Bill          <- "Order slip"                 { work: "Print the bill" }
"Order slip"  <- "Customer's choice", Menu    { work: "Take the order"; by: Waiter }
"Order slip"  <- "Customer's choice", Tablet  { work: "Self-order"; by: Customer }
"""

ONBOARDING = """\
model "SaaS導入オンボーディング" { lang: ja }

goal 定着した顧客業務
external 契約書, 顧客の現行業務, 製品マニュアル

定着した顧客業務 <- 稼働中の業務フロー, 効果測定レポート { work: 定着判定; by: CSM }
稼働中の業務フロー <- 設定済みテナント, 教育済みユーザー,
    新業務フロー図 { work: 本番稼働; by: 顧客PM }
設定済みテナント <- 導入計画書, 契約書 { work: 初期設定; by: CSM }
教育済みユーザー <- トレーニング資料, 導入計画書 { work: トレーニング実施 }
トレーニング資料 <- 製品マニュアル, 新業務フロー図
新業務フロー図 <- 顧客の現行業務, 成功定義書 { work: 業務設計ワークショップ }
導入計画書 <- 成功定義書, 契約書 { work: 計画策定 }
成功定義書 <- 顧客の現行業務, 契約書 { work: キックオフ }
効果測定レポート <- 稼働中の業務フロー, ヘルススコア定義書
ヘルススコア定義書 <- 成功定義書 { work: KPI設計 }
deliverable 効果測定レポート { kpi: 業務時間削減率 }

phase Land: 成功定義書, 導入計画書
phase Adopt: 設定済みテナント, 新業務フロー図, トレーニング資料, 教育済みユーザー,
    稼働中の業務フロー
phase Expand: ヘルススコア定義書, 効果測定レポート, 定着した顧客業務
"""


def journey(text: str) -> Journey:
    source = parse(text, "t.prep")
    assert source.ok, source.diagnostics
    model = build(source)
    return Journey.of(model, ModelGraph(model))


def names(j: Journey, keys: object) -> list[str]:
    return [j.name(k) for k in keys]  # type: ignore[attr-defined]


def step_names(j: Journey) -> list[str]:
    return [j.name(s.key) for s in j.steps]


# --- the restaurant (contract section 6) --------------------------------------------------


def test_restaurant_steps_and_route_ids() -> None:
    j = journey(RESTAURANT)
    assert step_names(j) == ["Order slip", "Cooked dish", "Served meal", "Bill", "Paid meal"]
    ids = [(rid, r.work) for rid, r in j.steps[0].route_ids()]
    assert ids == [("1.a", "Take the order"), ("1.b", "Self-order")]
    assert [rid for rid, _ in j.steps[4].route_ids()] == ["5"]


def test_restaurant_checkpoints_and_mandatory_set() -> None:
    j = journey(RESTAURANT)
    (g,) = j.goals()
    assert names(j, [c.key for c in g.checkpoints]) == [
        "Order slip",
        "Cooked dish",
        "Served meal",
        "Bill",
        "Paid meal",
    ]
    assert [c.step for c in g.checkpoints] == [1, 2, 3, 4, 5]
    assert g.route_dependent == ()
    mandatory = j.mandatory(identity("Paid meal"))
    assert identity("Customer's choice") in mandatory
    assert identity("Ingredients") in mandatory
    assert identity("Menu") not in mandatory  # needed on one route only
    assert identity("Tablet") not in mandatory


def test_restaurant_critical_path() -> None:
    j = journey(RESTAURANT)
    path = j.critical_path(identity("Paid meal"))
    assert names(j, path) == [
        "Customer's choice",
        "Order slip",
        "Cooked dish",
        "Served meal",
        "Paid meal",
    ]
    depth = j.graph.depth
    assert [depth[k] for k in path] == [0, 1, 2, 3, 4]


def test_restaurant_checkpoint_json_matches_contract() -> None:
    data = prepmodel.checkpoints(RESTAURANT, "restaurant.prep")
    first = data["steps"][0]
    assert (first["step"], first["name"]) == (1, "Order slip")
    assert first["routes"][0]["id"] == "1.a"
    assert first["routes"][0]["inputs"] == ["Customer's choice", "Menu"]
    assert first["routes"][0]["by"] == ["Waiter"]
    (goal,) = data["goals"]
    assert goal["critical_path"] == [
        "Customer's choice",
        "Order slip",
        "Cooked dish",
        "Served meal",
        "Paid meal",
    ]
    assert goal["checkpoints"][0] == {"step": 1, "name": "Order slip", "phase": None, "exit": False}


# --- step numbering tie-breaks ------------------------------------------------------------


def test_ready_deliverables_go_in_order_of_their_first_route() -> None:
    # X and Y are both ready at once: Y's first route (line 3) comes before X's (line 5),
    # although X is listed first in the goal's inputs and has a route of its own later.
    j = journey("""goal G
external e, f
Y <- e { work: first }
G <- X, Y
X <- e
X <- f
""")
    assert step_names(j) == ["Y", "X", "G"]
    assert [rid for rid, _ in j.steps[1].route_ids()] == ["2.a", "2.b"]


def test_steps_wait_for_inputs_of_every_route() -> None:
    j = journey("""goal G
external e
B <- A
B <- e
A <- e
G <- B
""")
    # B's first route comes first in the file, but B may need A: A goes first.
    assert step_names(j) == ["A", "B", "G"]
    assert [rid for rid, _ in j.steps[1].route_ids()] == ["2.a", "2.b"]


def test_file_order_not_name_order() -> None:
    j = journey("""goal Top
external x
Top <- Zeta, Alpha, Mid
Zeta <- x
Mid <- x
Alpha <- x
""")
    assert step_names(j) == ["Zeta", "Mid", "Alpha", "Top"]


def test_groups_are_steps_at_their_group_statement() -> None:
    j = journey("""goal Launch
external Parts, Manual
Launch <- Kit, Approval
group Kit = Box, Manual
Approval <- Manual
Box <- Parts
""")
    # Approval (line 5) and Box (line 6) are ready at first; the group Kit (line 4) is
    # ready once Box is; the goal last.
    assert step_names(j) == ["Approval", "Box", "Kit", "Launch"]
    kit = j.steps[2]
    assert kit.group_members is not None
    assert names(j, kit.group_members) == ["Box", "Manual"]
    assert j.mandatory(identity("Kit")) == {identity(n) for n in ("Kit", "Box", "Manual", "Parts")}
    (g,) = j.goals()
    assert names(j, [c.key for c in g.checkpoints]) == ["Approval", "Box", "Kit", "Launch"]
    assert j.graph.depth[identity("Kit")] == 2
    assert names(j, j.critical_path(identity("Launch"))) == ["Parts", "Box", "Kit", "Launch"]


def test_route_letters() -> None:
    assert [route_letter(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "a",
        "b",
        "z",
        "aa",
        "ab",
        "az",
        "ba",
    ]


# --- critical path tie-breaks -------------------------------------------------------------


def test_diamond_with_equal_depths_takes_first_listed_input() -> None:
    j = journey("""goal G
external X
G <- B, C
C <- A
B <- A
A <- X
""")
    assert step_names(j) == ["A", "C", "B", "G"]  # C's route is earlier in the file
    assert names(j, j.critical_path(identity("G"))) == ["X", "A", "B", "G"]
    (g,) = j.goals()
    assert names(j, [c.key for c in g.checkpoints]) == ["A", "C", "B", "G"]


def test_equal_depths_across_routes_take_the_first_route() -> None:
    j = journey("""goal G
external X
G <- Q
G <- P
P <- X
Q <- X
""")
    assert names(j, j.critical_path(identity("G"))) == ["X", "Q", "G"]
    (g,) = j.goals()
    assert names(j, [c.key for c in g.checkpoints]) == ["G"]
    assert names(j, g.route_dependent) == ["P", "Q"]


def test_deeper_input_on_a_later_route_wins() -> None:
    j = journey("""goal G
external X, Y
G <- Shallow, Y
G <- Deep
Deep <- Mid
Mid <- X
Shallow <- X
""")
    assert names(j, j.critical_path(identity("G"))) == ["X", "Mid", "Deep", "G"]


def test_critical_path_starts_at_a_gap_or_deliverable_without_inputs() -> None:
    j = journey("""goal G
G <- Missing, A
A <- "Also missing"
""")
    assert names(j, j.critical_path(identity("G"))) == ["Also missing", "A", "G"]


# --- mandatory sets, route-dependent deliverables, phases ---------------------------------


def test_mandatory_through_alternatives_that_share_a_deliverable() -> None:
    j = journey("""goal G
external e, f
G <- A
G <- B
A <- S, e
B <- S, f
S <- e
""")
    (g,) = j.goals()
    assert names(j, [c.key for c in g.checkpoints]) == ["S", "G"]
    assert names(j, g.route_dependent) == ["A", "B"]
    assert j.mandatory(identity("G")) == {identity(k) for k in ("G", "S", "e")}


def test_two_goals_have_their_own_checkpoints() -> None:
    j = journey("""goal G1, G2
external e
G1 <- A
G2 <- B
A <- e
B <- A
""")
    gs = {j.name(g.key): g for g in j.goals()}
    assert names(j, [c.key for c in gs["G1"].checkpoints]) == ["A", "G1"]
    assert names(j, [c.key for c in gs["G2"].checkpoints]) == ["A", "B", "G2"]
    assert step_names(j) == ["A", "G1", "B", "G2"]


def test_onboarding_phases_and_exits() -> None:
    j = journey(ONBOARDING)
    (g,) = j.goals()
    cps = {j.name(c.key): c for c in g.checkpoints}
    assert set(cps) == {
        "成功定義書",
        "導入計画書",
        "設定済みテナント",
        "新業務フロー図",
        "トレーニング資料",
        "教育済みユーザー",
        "稼働中の業務フロー",
        "ヘルススコア定義書",
        "効果測定レポート",
        "定着した顧客業務",
    }
    assert step_names(j)[0] == "成功定義書"
    assert step_names(j)[-1] == "定着した顧客業務"
    assert (cps["成功定義書"].phase, cps["成功定義書"].exit) == ("Land", True)
    assert (cps["導入計画書"].phase, cps["導入計画書"].exit) == ("Land", True)
    assert cps["設定済みテナント"].exit is False  # used only inside Adopt
    assert cps["稼働中の業務フロー"].exit is True  # needed by Expand
    assert cps["定着した顧客業務"].exit is True  # a goal
    assert cps["ヘルススコア定義書"].exit is False
    assert names(j, j.critical_path(identity("定着した顧客業務"))) == [
        "顧客の現行業務",
        "成功定義書",
        "新業務フロー図",
        "トレーニング資料",
        "教育済みユーザー",
        "稼働中の業務フロー",
        "効果測定レポート",
        "定着した顧客業務",
    ]


def test_cycle_is_finished_before_what_needs_it() -> None:
    # Nothing is ready: the loop A <-> B is opened at its earliest node (A, line 4) and
    # finished before G, which only depends on the loop (it used to be forced first).
    j = journey("""goal G
external e
G <- A
A <- B, e
B <- A
""")
    assert step_names(j) == ["A", "B", "G"]
    (g,) = j.goals()
    assert names(j, [c.key for c in g.checkpoints]) == ["A", "B", "G"]
    assert j.name(g.critical_path[-1]) == "G"
    assert len(set(g.critical_path)) == len(g.critical_path)


def test_loops_are_opened_in_dependency_order() -> None:
    j = journey("""goal G
G <- A, C
C <- D
D <- C, B
A <- B
B <- A
X <- X
G <- X
""")
    # X needs only itself (ready at once); the loop C <-> D also waits for B, so the loop
    # A <-> B is opened first although C's route comes earlier in the file.
    assert step_names(j) == ["X", "A", "B", "C", "D", "G"]

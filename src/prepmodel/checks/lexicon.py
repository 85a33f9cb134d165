"""The word lists behind :mod:`prepmodel.checks.naming` (lint NM01): plain data, no logic.

English lexicons are written as white-space separated words; :mod:`prepmodel.checks.naming` derives
the past participles and the verb table from them.  The Japanese lists refine what SudachiPy's
part-of-speech tags say (see the decisions in that module's docstring).
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """A lexicon written as white-space separated words."""
    return frozenset(text.split())


# ---------------------------------------------------------------------------------------------
# English
# ---------------------------------------------------------------------------------------------

IRREGULAR: dict[str, str] = {
    "begin": "begun",
    "break": "broken",
    "bring": "brought",
    "build": "built",
    "buy": "bought",
    "choose": "chosen",
    "cut": "cut",
    "do": "done",
    "draw": "drawn",
    "feed": "fed",
    "find": "found",
    "get": "got",
    "give": "given",
    "go": "gone",
    "hold": "held",
    "keep": "kept",
    "lay": "laid",
    "lead": "led",
    "leave": "left",
    "let": "let",
    "make": "made",
    "meet": "met",
    "pay": "paid",
    "put": "put",
    "read": "read",
    "rebuild": "rebuilt",
    "resend": "resent",
    "rewrite": "rewritten",
    "run": "run",
    "see": "seen",
    "sell": "sold",
    "send": "sent",
    "set": "set",
    "show": "shown",
    "sit": "sat",
    "speak": "spoken",
    "spend": "spent",
    "split": "split",
    "take": "taken",
    "teach": "taught",
    "tell": "told",
    "think": "thought",
    "undertake": "undertaken",
    "win": "won",
    "write": "written",
}

# Verbs whose base form opens an imperative ("Send invoice").  Regular participles are derived.
REGULAR_VERBS = _words(
    """
accept add adjust agree align allocate analyse analyze answer apply approve archive arrange ask
assess assign attach audit authorise authorize automate back bake bill book brief calculate call
cancel capture change charge chase check clarify classify clean cleanse clear close coach
collect compare compile complete compute confirm configure connect consolidate contact convert
cook coordinate copy correct create customise customize deactivate debug decide decommission
define delete deliver demo deploy describe design detect determine develop discuss dispatch
distribute document download draft edit email enable encode enrich ensure enter escalate
establish estimate evaluate examine execute explain export extract fax file fill finalise
finalize finish fix follow forecast format gather generate greet grill hand handle help hire
identify implement import improve inform initialise initialize input inspect install integrate
interview introduce investigate invite invoice issue justify kick label launch list load lock
log mail maintain manage map mark measure merge migrate model monitor negotiate notify obtain
offer onboard open optimise optimize order organise organize outline pack package perform phone
pick pitch place plan plate polish post prepare present price print prioritise prioritize
process procure produce promote propose provide provision publish purchase qualify quote rank
rate receive reconcile record recruit refund register reject release remind remove renew reorder
repair replace reply report request reschedule research reserve reset resolve respond restock
retrieve return review revise roll sample save scan schedule score screen seat select serve
service share ship shortlist sign simplify sketch slice sort source specify standardise
standardize start stock stop store streamline submit summarise summarize supply support survey
tag test track train transfer translate triage update upgrade upload use validate verify visit
walk wash welcome wipe wrap
activate advise appraise arbitrate assemble backfill calibrate certify consult decrypt demolish
demote depose dismantle dismiss encrypt engage enforce erect excavate harden hoist indemnify raise
conduct induct insulate litigate mediate notarise notarize nurture palletise palletize pour reboot
redeploy redline refactor reimburse relocate replenish restart restock restore retain rework
settle shelve sue terminate testify unload unpack upsell vet waive weld
appeal audit award bank cash claim commission count dress exchange level machine paint patch
range scrap tender value
"""
)

DOUBLING = _words(
    "plan ship stop submit log tag scan map drop chat pin prep commit admit permit slim trim"
    " debug equip"
)

# Fixed compounds that start with a verb-like word but are plain nouns.
FIXED_NOUNS = frozenset(
    {
        "purchase order",
        "set menu",
        "work order",
        "change order",
        "release candidate",
        "running total",
        "update log",
        "go live",
        "go-live",
        "exit interview",
        "break clause",
        "start date",
        "end date",
        "pay slip",
        "pay stub",
        "pay scale",
        "run book",
        "run sheet",
        "load test",
    }
)

# Verbs that, first in a name and before a document or result noun, classify it rather than
# act on it: "Deploy script", "Install guide", "Build artifacts", "Pay slip", "Run book",
# "Break notice", "Outline business case".  Verbs that usually take a document as their
# object ("Send invoice", "Prepare report", "Update price list") are not listed.
COMPOUND_VERBS = _words(
    """
build deploy install release break lead launch demo outline shortlist inspect onboard exit
kick start stop roll cut test debug boot backup upgrade
"""
)
# Heads that such a verb acts on rather than classifies: "Deploy package", "Build image".
THING_HEADS = _words(
    """
package packages build builds image images binary binaries app apps system systems data
model models release releases tool tools kit machine machines equipment room rooms site
database databases server servers
"""
)

# Words that are verbs but, standing as the first word of a deliverable name, usually are nouns
# ("Order slip", "Plan", "Report template").  They only count as verbs in verb context.
NOUN_VERBS = _words(
    """
answer back backup bill book budget call refund change check contract copy cost deal demo design
document draft email estimate export fax feature file fix forecast form hire import input
interview invoice issue label launch list lock log mail map mark model offer order package
pitch plan post price print process purchase quote rank rate record release reply report request
return review sample scan schedule score screen service share sketch sort source stock store support
survey tag test track transfer use visit welcome
appeal audit award bank cash claim commission count dress exchange level machine paint patch
range scrap tender upsell value
"""
)
# ...except "print", which is primarily a verb in business names ("Print bill").
NOUN_VERBS = NOUN_VERBS - {"print"}

# Noun/verb words that before a bare noun are modifiers ("Welcome email"), verbs only before a
# determiner ("Welcome the customer").
MODIFIER_VERBS = frozenset({"welcome", "sample"})

# Noun/verb words that, standing alone, name an activity rather than a thing.
SINGLE_ACTIONS = frozenset({"review", "check"})

# Nouns that head activities: "Data migration", "Invoice creation", "Tenant setup".
# Value: the verb (with particle) whose past participle builds the suggestion.
ACTIVITY_NOMINALS: dict[str, str] = {
    "creation": "create",
    "preparation": "prepare",
    "migration": "migrate",
    "setup": "set up",
    "set-up": "set up",
    "review": "review",
    "implementation": "implement",
    "execution": "execute",
    "installation": "install",
    "verification": "verify",
    "validation": "validate",
    "cleanup": "clean up",
    "clean-up": "clean up",
    "follow-up": "follow up",
    "followup": "follow up",
    "handover": "hand over",
    "hand-over": "hand over",
    "walkthrough": "walk through",
    "rollout": "roll out",
    "calculation": "calculate",
    "deployment": "deploy",
    "inspection": "inspect",
    "check": "check",
    "submission": "submit",
    "negotiation": "negotiate",
    "reconciliation": "reconcile",
    "evaluation": "evaluate",
    "excavation": "excavate",
    "erection": "erect",
    "registration": "register",
    "appraisal": "appraise",
    "clearance": "clear",
    "maintenance": "maintain",
    "replenishment": "replenish",
    "changeover": "change over",
    "upgrade": "upgrade",
    "litigation": "litigate",
    "commissioning": "commission",
}

# -ing words that are ordinary nouns, not activities ("Building permit", "Booking").
NOUN_INGS = _words(
    """
building meeting booking setting wedding ceiling clothing housing painting drawing listing
posting offering recording warning reading opening heading landing filling dressing funding
rating ranking saving earning finding belonging briefing proceeding seating lining
"""
)

# Gerunds that are lexicalised process names and so can modify a result noun ("Onboarding
# checklist", "Billing address").  Other gerunds followed by a noun take it as their object
# ("Collecting feedback", "Importing data").
MODIFIER_GERUNDS = _words(
    """
onboarding billing training planning shipping cooking washing mailing marketing parking waiting
dining shopping accounting invoicing reporting testing tracking pricing packaging staffing
hiring learning teaching messaging routing scoring printing cleaning filing processing ordering
recruiting coaching consulting sorting operating engineering banking catering checking working
serving baking cutting rating packing picking closing purchasing forecasting scheduling
sourcing handling loading running monitoring logging alerting staging landing
"""
)

# Nouns that a preceding noun/verb word or gerund modifies rather than takes as an object:
# "Order slip", "Review notes", "Onboarding checklist", "Washing machine".
RESULT_HEADS = _words(
    """
slip notes note form list template sheet checklist minutes log summary report record records
number status history details date id type comments feedback results result request requests
permit policy guide manual plan schedule meeting session board deck table items item line
amount total queue tracker workflow procedure approval draft version file folder data
instructions material materials document documents doc docs address account criteria
certificate letter email memo agenda calendar card ticket receipt reference code key balance
label page portal tool tools kit machine room area station lot space equipment system app
dashboard template reminder alert notice message proposal package packages bundle pack suite
spec specs diagram diagrams model map brief backlog baseline branch alerts reminders
"""
)
# Documents, artefacts and budgets: heads of noun compounds in singular and plural ("Service
# contract", "Store budget", "Draft risk register", "Store regulations").  A noun/verb word in
# front of one is a modifier, not an imperative ("Release notes", not "release the notes").
DOCUMENT_HEADS = _words(
    """
agenda agreement annex appendix artefact artifact backlog baseline bid blueprint book brief
brochure budget bundle calendar card case catalog catalogue certificate charter chart checklist
collection contract criteria dashboard database deck deliverable design diagram dictionary
directory document draft edition email envelope environment estimate evidence fee file flyer
folder forecast form framework glossary guide guideline handbook index inventory invoice journal
kit leaflet ledger letter library licence license list log manual map matrix memo minutes model
newsletter note notice pack package page plan platform playbook policy portal poster procedure
proposal prototype questionnaire quote receipt record register report repository roadmap roster
rota rule runbook scenario schedule scorecard script sheet shortlist slide slip spec standard
statement strategy study summary tariff template terms ticket timeline timetable toolkit
transcript video voucher warranty wireframe workbook workspace artifact image binary build
recording screenshot pipeline outline suite harness
"""
)
# Endings of closed compounds that name documents: "runbook", "timesheet", "scorecard".
DOCUMENT_ENDINGS = ("book", "sheet", "card", "list", "chart", "map", "board", "kit", "log")
RESULT_SUFFIXES = ("tion", "sion", "ment", "ance", "ence", "ness", "ity", "ship", "ure")

DETERMINERS = _words(
    "the a an all each every our your their its his her my this that these those some any new no"
)
PARTICLES = _words("up out off in down over back through away")
PREPOSITIONS = _words("to for with from into onto at by on about per via")

# ---------------------------------------------------------------------------------------------
# Japanese
# ---------------------------------------------------------------------------------------------

# サ変可能 nouns that usually denote a result, a document or an event rather than the doing.
JA_RESULT_NOUNS = _words(
    """
計画 契約 注文 予約 記録 要約 回答 質問 依頼 申込 申込み 申し込み 問い合わせ 問合せ 成功 許可
認可 予測 指示 提案 要望 通知 案内 見積 見積もり 見積り 予定 会議 打ち合わせ 打合せ 面談
商談 デモ 体験 経験 在庫 合計 結論 予算 売上 利益 損失 レポート リスト メモ コメント プラン
デザイン メール メッセージ アラート スケジュール マニュアル フロー データ ログ リクエスト
一覧 ガイド マップ 答申 録画 録音 下書き 統計 貯金 預金 支出 予想 約束 宣言 声明 広告
プレゼンテーション フィードバック パッケージ 進捗 影響 料理 入金 ゴール 公告 告示 公示 通達 清書
稼働 稼動 写真 映像 画像 動画 設備
"""
)
# Loanwords for containers, media and copies, which the dictionary marks サ変可能 for their
# rarer verb use (セットする, コピーする) but which at the end of a name are things: 議事録セット,
# リリースノート, 設定ファイル, 営業資料パック.
JA_LOAN_THINGS = _words(
    """
セット パック バンドル ノート ファイル スライド コピー プリント スケッチ オーダー バインダー
イメージ フィックス プール
"""
)
# Verb stems (連用形) that Sudachi reads as verbs at the end of a compound but that name a
# thing there: 申告書控え (the filed copy), 見積書写し.
JA_STEM_NOUNS = _words("控え 控 写し 下書き 書き付け 覚え 振込み 振込 引換え")
# Prefixes that make an activity noun the name of a stage: 本審査 (the main screening),
# 仮審査, 本申請.  A suggestion built on them ("審査済みの本") would be nonsense.
JA_STAGE_PREFIXES = frozenset({"本", "仮"})
# Activity nouns that the dictionary does not mark サ変可能.
JA_ACTIVITY_NOUNS = _words(
    """
ヒアリング オンボーディング 引き継ぎ 引継ぎ 引継 洗い出し 立ち上げ 見直し 取りまとめ 聞き取り
付け 取付 取付け 取り付け 組立 組立て 組み立て 締め 墨出し 引渡し 引き渡し 品出し 値付け
支払い 支払 切り分け 仕分け 積込み 積み込み 荷下ろし 片付け 公証 アップグレード
ダウングレード
"""
)
# Katakana -ング words that are things or events, not activities.
JA_NOUN_INGS = _words(
    "ミーティング ビルディング ウェディング ランキング ダイニング リビング ストリング スプリング"
)
# Activity noun -> the result noun to suggest ("KPI設計" -> "KPI設計書").
JA_RESULT_OF: dict[str, str] = {
    "設計": "設計書",
    "定義": "定義書",
    "企画": "企画書",
    "報告": "報告書",
    "請求": "請求書",
    "申請": "申請書",
    "調査": "調査結果",
    "分析": "分析レポート",
    "測定": "測定結果",
    "評価": "評価結果",
    "検証": "検証結果",
    "診断": "診断結果",
    "テスト": "テスト結果",
    "レビュー": "レビュー記録",
    "ヒアリング": "ヒアリング記録",
    "説明": "説明資料",
    "集計": "集計結果",
    "議論": "議事録",
    "防止": "防止策",
    "改善": "改善案",
    "対策": "対策案",
}
# Activities for which "〜済みの<object>" does not make sense (導入支援 is not a 支援済みの導入).
JA_NO_DONE_FORM = frozenset(
    {
        *("支援", "開始", "防止", "継続", "推進", "促進", "維持", "向上"),
        # the work itself, not something done to the noun in front (負荷試験, 採用活動)
        *("作業", "活動", "管理", "手続き", "手続", "試験", "弁論", "決議", "相談", "付け"),
        *("運用", "監視", "交渉", "運転"),
    }
)
# Nouns in front of an activity noun that say how or where, not what it is done to: 本番デプロイ
# is not a デプロイ済みの本番, 口頭弁論 not a 弁論済みの口頭.
JA_NOT_OBJECTS = frozenset(
    {
        *("本番", "事前", "事後", "全体", "社内", "社外", "定期", "月次", "週次", "年次", "日次"),
        *("初回", "最終", "追加", "個別", "一括", "自動", "手動", "定例", "緊急", "本人", "口頭"),
        *("竣工", "負荷", "性能", "試", "仮", "本", "再", "新規", "臨時"),
    }
)
JA_OTHER_PARTICLES = ("に", "へ", "と", "で", "から", "より", "まで", "が", "は", "も")
COPULAS = frozenset({"だ", "です", "である"})

"""`prep schedule` end to end: every output format read back and checked against the JSON
(every predecessor, every milestone, the shading), the contract's JSON shape, the same
bytes on every run, and clear errors (never a traceback)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_prep
from tests.mspdi_schema import assert_valid

SAMPLE = "samples/schedule/onboarding.prep"
START = "2026-04-27"
NS = "{http://schemas.microsoft.com/project}"


def _run(*args: str, ok: bool = True) -> Any:
    r = run_prep("schedule", *args)
    if ok:
        assert r.returncode == 0, r.stderr.decode()
    assert b"Traceback" not in r.stderr
    return r


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    r = _run(SAMPLE, "--start", START, "--format", "json")
    data: dict[str, Any] = json.loads(r.stdout)
    return data


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("plan")
    out = {}
    for ext in ("xml", "xlsx", "ics", "mmd", "csv", "json", "txt"):
        path = folder / f"plan.{ext}"
        _run(SAMPLE, "--start", START, "-o", str(path))
        out[ext] = path
    return out


# --- JSON (contract §15) --------------------------------------------------------------------


def test_json_has_the_contract_shape(plan: dict[str, Any]) -> None:
    assert plan["start"] == START and plan["calendar"] == "jp"  # a Japanese model: jp
    for key in ("tasks", "milestones", "finish"):
        assert key in plan
    for t in plan["tasks"]:
        assert {"step", "name", "route", "start", "finish", "slack_days", "critical"} <= set(t)
        assert isinstance(t["step"], int) and isinstance(t["critical"], bool)
        assert isinstance(t["slack_days"], (int, float))
        dt.date.fromisoformat(t["start"])
        assert t["start"] <= t["finish"]
        assert t["critical"] == (t["slack_days"] == 0)
    for m in plan["milestones"]:
        assert set(m) >= {"name", "date"}
        dt.date.fromisoformat(m["date"])
    assert plan["finish"] == max(t["finish"] for t in plan["tasks"])


def test_the_sample_schedule(plan: dict[str, Any]) -> None:
    """The README's example: the partner's faster route (3.b) is assumed, Golden Week is
    skipped, measuring takes four weeks, and the renewal closes on 2026-06-29."""
    tasks = {t["name"]: t for t in plan["tasks"]}
    assert tasks["設定済みテナント"]["route"] == "3.b"
    assert tasks["成功定義書"]["start"] == "2026-04-27"
    assert tasks["成功定義書"]["finish"] == "2026-04-28"
    assert tasks["新業務フロー図"]["start"] == "2026-04-30"  # 4/29 is 昭和の日
    assert tasks["新業務フロー図"]["finish"] == "2026-05-11"  # 5/3-5/6 are holidays
    assert tasks["ヘルススコア定義書"]["slack_days"] == 11.5
    assert plan["finish"] == "2026-06-29"
    critical = [t["name"] for t in plan["tasks"] if t["critical"]]
    assert critical == [
        "成功定義書",
        "新業務フロー図",
        "トレーニング資料",
        "教育済みユーザー",
        "稼働中の業務フロー",
        "効果測定レポート",
        "更新提案書",
        "更新契約",
    ]
    assert [h["date"] for h in plan["holidays"]] == [
        "2026-04-29",
        "2026-05-03",
        "2026-05-04",
        "2026-05-05",
        "2026-05-06",
    ]
    for m in plan["milestones"]:
        assert m["date"] == tasks[m["name"]]["finish"]


def test_calendar_none_counts_weekends(plan: dict[str, Any]) -> None:
    r = _run(SAMPLE, "--start", START, "--calendar", "none", "--format", "json")
    data = json.loads(r.stdout)
    assert data["calendar"] == "none" and data["holidays"] == []
    assert data["finish"] < plan["finish"]
    assert data["working_days"] == plan["working_days"]


def test_goal_and_scenario_select_steps() -> None:
    r = _run(SAMPLE, "--start", START, "--goal", "定着した顧客業務", "--format", "json")
    names = [t["name"] for t in json.loads(r.stdout)["tasks"]]
    assert "更新契約" not in names and "定着した顧客業務" in names


def test_default_effort_fills_routes_and_the_notice_counts_them() -> None:
    r = _run("samples/software-design.prep", "--start", START, "--format", "json")
    assert "5 of 9 routes have no effort" in r.stderr.decode()
    plain = json.loads(r.stdout)
    r = _run(
        "samples/software-design.prep",
        "--start",
        START,
        "--format",
        "json",
        "--default-effort",
        "1d",
    )
    assert "counted as 1d each" in r.stderr.decode()
    filled = json.loads(r.stdout)
    assert filled["working_days"] > plain["working_days"]
    assert plain["calendar"] == "none"  # an English model counts every day by default


# --- text and CSV ------------------------------------------------------------------------------


def test_text_marks_the_critical_path(plan: dict[str, Any], outputs: dict[str, Path]) -> None:
    text = outputs["txt"].read_text("utf-8")
    assert text == _run(SAMPLE, "--start", START).stdout.decode()
    rows = {}
    for line in text.splitlines():
        parts = line.split()
        marked = bool(parts) and parts[0] == "*"
        if len(parts) > 2 and parts[int(marked)].isdigit():
            rows[parts[1 + int(marked)]] = marked
    assert rows == {t["name"]: t["critical"] for t in plan["tasks"]}
    assert "完了: 2026-06-29" in text


def test_csv_rows(plan: dict[str, Any], outputs: dict[str, Path]) -> None:
    rows = list(csv.reader(io.StringIO(outputs["csv"].read_text("utf-8"))))
    assert rows[0][:3] == ["手順", "成果物", "ルート"]
    assert [(r[1], r[4], r[5]) for r in rows[1:]] == [
        (t["name"], t["start"], t["finish"]) for t in plan["tasks"]
    ]


# --- MS Project XML ----------------------------------------------------------------------------


def test_xml_structure_links_and_milestones(plan: dict[str, Any], outputs: dict[str, Path]) -> None:
    assert_valid(outputs["xml"].read_bytes())  # the published schema (test_schedule_xsd.py)
    root = ET.parse(outputs["xml"]).getroot()
    assert root.tag == f"{NS}Project"

    def text(el: ET.Element, tag: str) -> str:
        found = el.find(f"{NS}{tag}")
        assert found is not None and found.text is not None, tag
        return found.text

    tasks = root.findall(f"{NS}Tasks/{NS}Task")
    by_uid = {text(t, "UID"): t for t in tasks}
    names = {uid: text(t, "Name") for uid, t in by_uid.items()}
    steps = {t["name"]: t for t in plan["tasks"]}
    seen_steps: set[str] = set()
    milestones: dict[str, str] = {}
    for t in tasks:
        name = text(t, "Name")
        wbs = text(t, "WBS")
        assert int(text(t, "OutlineLevel")) == wbs.count(".") + 1
        links = t.findall(f"{NS}PredecessorLink")
        for link in links:
            assert text(link, "Type") == "1"  # finish-to-start
        preds = [names[text(link, "PredecessorUID")] for link in links]
        if text(t, "Summary") == "1":
            assert name in {"Land", "Adopt", "Expand", "Renew"} and not preds
            assert text(t, "OutlineLevel") == "1"
        elif text(t, "Milestone") == "1":
            assert text(t, "Duration") == "PT0H0M0S"
            (step,) = preds
            milestones[step] = text(t, "Finish")[:10]
            assert name == f"{step} 完成"
        else:
            seen_steps.add(name)
            assert preds == steps[name]["predecessors"]
            assert text(t, "Start")[:10] == steps[name]["start"]
            assert text(t, "Finish")[:10] == steps[name]["finish"]
            assert (text(t, "Critical") == "1") == steps[name]["critical"]
            hours = int(steps[name]["days"] * 8)
            assert text(t, "Duration") == f"PT{hours}H0M0S"
    assert seen_steps == set(steps)
    numbers = [text(t, "WBS") for t in tasks]
    assert len(set(numbers)) == len(numbers)
    for number in numbers:  # 2.3 comes after 2 (its summary) and after 2.2
        parent, _, last = number.rpartition(".")
        earlier = numbers[: numbers.index(number)]
        assert (not parent or parent in earlier) and (
            last == "1" or f"{parent}.{int(last) - 1}".lstrip(".") in earlier
        )
    assert milestones == {m["name"]: m["date"] for m in plan["milestones"]}
    # resources and assignments: the `by` roles of the assumed routes
    resources = {text(r, "UID"): text(r, "Name") for r in root.iter(f"{NS}Resource")}
    assert set(resources.values()) == {r for t in plan["tasks"] for r in t["by"]}
    assigned: dict[str, list[str]] = {}
    for a in root.iter(f"{NS}Assignment"):
        task = names[text(a, "TaskUID")]
        assigned.setdefault(task, []).append(resources[text(a, "ResourceUID")])
    assert assigned == {t["name"]: t["by"] for t in plan["tasks"] if t["by"]}
    # the calendar: weekends off, each holiday an exception with its name
    exceptions = {
        text(e, "TimePeriod/" + NS + "FromDate")[:10]: text(e, "Name")
        for e in root.iter(f"{NS}Exception")
    }
    assert exceptions == {h["date"]: h["name"] for h in plan["holidays"]}
    weekdays = {
        text(w, "DayType"): text(w, "DayWorking")
        for w in root.iter(f"{NS}WeekDay")
        if text(w, "DayType") != "0"
    }
    assert weekdays == {"1": "0", "2": "1", "3": "1", "4": "1", "5": "1", "6": "1", "7": "0"}


def test_xml_has_no_creation_date(outputs: dict[str, Path]) -> None:
    data = outputs["xml"].read_text("utf-8")
    for tag in ("CreationDate", "LastSaved", "CreateDate", "CurrentDate"):
        assert f"<{tag}>" not in data


# --- xlsx ---------------------------------------------------------------------------------


def test_xlsx_wbs_sheet(plan: dict[str, Any], outputs: dict[str, Path]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(outputs["xlsx"])
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "J3"  # two header rows, nine task columns
    headers = [c.value for c in sheet[2]]
    assert headers[:3] == ["手順", "成果物", "ルート"]
    first = dt.date.fromisoformat(plan["tasks"][0]["start"])
    holidays = {dt.date.fromisoformat(h["date"]) for h in plan["holidays"]}

    def column(day: dt.date) -> int:
        return 10 + (day - first).days  # 1-based: J is the first day

    def fill(row: int, col: int) -> str:
        return str(sheet.cell(row, col).fill.fgColor.rgb)[-6:]

    rows = {sheet.cell(r, 2).value: r for r in range(3, sheet.max_row + 1)}
    for t in plan["tasks"]:
        r = rows[t["name"]]
        assert sheet.cell(r, 7).value == t["start"] and sheet.cell(r, 8).value == t["finish"]
        start = dt.date.fromisoformat(t["start"])
        finish = dt.date.fromisoformat(t["finish"])
        day = first
        while column(day) <= sheet.max_column:
            colour = fill(r, column(day))
            off = day.weekday() >= 5 or day in holidays
            if off:
                assert colour == "D9D9D9", (t["name"], day)
            elif start <= day <= finish:
                assert colour == ("E06666" if t["critical"] else "6FA8DC"), (t["name"], day)
            else:
                assert colour == "000000", (t["name"], day)  # no fill
            day += dt.timedelta(days=1)
    # a milestone row shows ◆ on its date
    for m in plan["milestones"]:
        r = rows["◆ " + m["name"]]
        assert sheet.cell(r, column(dt.date.fromisoformat(m["date"]))).value == "◆"
    # the header of a holiday column is shaded too; the holidays sheet names them
    golden = dt.date(2026, 4, 29)
    assert fill(2, column(golden)) == "D9D9D9"
    listed = [(row[0].value, row[1].value) for row in book.worksheets[1].iter_rows(min_row=2)]
    assert listed == [(h["date"], h["name"]) for h in plan["holidays"]]
    # Japanese names are wide: the deliverable column fits the widest (2 columns a char)
    assert sheet.column_dimensions["B"].width >= 2 * len("稼働中の業務フロー")


# --- ics --------------------------------------------------------------------------------------


def test_ics_one_all_day_event_per_milestone(
    plan: dict[str, Any], outputs: dict[str, Path]
) -> None:
    icalendar = pytest.importorskip("icalendar")
    data = outputs["ics"].read_bytes()
    assert b"\r\n" in data and all(len(line) <= 75 for line in data.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(data)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    got = [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in events]
    assert got == [("◆ " + m["name"], dt.date.fromisoformat(m["date"])) for m in plan["milestones"]]
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for e in events:
        assert e.decoded("DTEND") - e.decoded("DTSTART") == dt.timedelta(days=1)


def test_ics_uids_stay_when_the_dates_move(tmp_path: Path, outputs: dict[str, Path]) -> None:
    later = tmp_path / "later.ics"
    _run(SAMPLE, "--start", "2026-06-01", "-o", str(later))

    def uids(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.startswith("UID:")]

    assert uids(later.read_text("utf-8")) != []
    assert sorted(uids(later.read_text("utf-8"))) == sorted(uids(outputs["ics"].read_text("utf-8")))


# --- Mermaid ------------------------------------------------------------------------------------


def test_mmd_every_predecessor_and_milestone(
    plan: dict[str, Any], outputs: dict[str, Path]
) -> None:
    text = outputs["mmd"].read_text("utf-8")
    lines = text.splitlines()
    assert lines[0] == "gantt" and "    excludes weekends" in lines
    for h in plan["holidays"]:
        assert f"    excludes {h['date']}" in lines
    sections = [
        ln.strip().removeprefix("section ") for ln in lines if ln.strip().startswith("section ")
    ]
    assert sections == ["Land", "Adopt", "Expand", "Renew"]
    ids = {t["name"]: f"s{t['step']}" for t in plan["tasks"]}
    tasks = {}
    for ln in lines:
        if " :" in ln and not ln.strip().startswith("◆"):
            name, spec = ln.strip().split(" :", 1)
            tasks[name] = [c.strip() for c in spec.split(",")]
    for t in plan["tasks"]:
        spec = tasks[t["name"]]
        assert spec[-2] == (
            "after " + " ".join(ids[p] for p in t["predecessors"])
            if t["predecessors"]
            else t["start"]
        )
        assert ("crit" in spec) == t["critical"]
        assert spec[-1] == f"{t['days']}d"
    for m in plan["milestones"]:
        assert f"    ◆ {m['name']} :milestone" in text
        assert f"after {ids[m['name']]}, 0d" in text


# --- determinism and errors ----------------------------------------------------------------------


@pytest.mark.parametrize("ext", ["xml", "xlsx", "ics", "mmd", "csv", "json"])
def test_same_input_same_bytes(ext: str, tmp_path: Path, outputs: dict[str, Path]) -> None:
    again = tmp_path / f"again.{ext}"
    _run(SAMPLE, "--start", START, "-o", str(again))
    assert again.read_bytes() == outputs[ext].read_bytes()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--start", "2026-02-30"], "is not a date"),
        (["--start", "tomorrow"], "is not a date"),
        (["--start", START, "--goal", "更新契約書"], "did you mean '更新契約'"),
        (["--start", START, "--when", "代行"], "SC01"),
        (["--start", START, "--default-effort", "soon"], "cannot read 'soon'"),
        (["--start", START, "-o", "plan.pdf"], "cannot tell the format"),
    ],
)
def test_bad_arguments_exit_2(args: list[str], expected: str) -> None:
    r = _run(SAMPLE, *args, ok=False)
    assert r.returncode == 2, r.stderr
    assert expected in r.stderr.decode()


def test_missing_start_is_a_usage_error() -> None:
    r = _run(SAMPLE, ok=False)
    assert r.returncode == 2 and b"--start" in r.stderr


def test_syntax_errors_give_diagnostics_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.prep"
    bad.write_text("goal G\nG <- { effort: 1d\n", "utf-8")
    out = tmp_path / "plan.json"
    r = _run(str(bad), "--start", START, "-o", str(out), ok=False)
    assert r.returncode == 1
    assert b"PS01" in r.stderr and not out.exists()


def test_output_over_the_input_is_refused(tmp_path: Path) -> None:
    model = tmp_path / "m.prep"
    model.write_text("goal G\nexternal X\nG <- X { effort: 1d }\n", "utf-8")
    clone = tmp_path / "m.xml"
    clone.symlink_to(model)
    r = _run(str(model), "--start", START, "-o", str(clone), ok=False)
    assert r.returncode == 2
    assert model.read_text("utf-8").startswith("goal G")


def test_the_notice_speaks_the_models_language(tmp_path: Path) -> None:
    model = tmp_path / "m.prep"
    model.write_text(
        "goal 完成品\nexternal 材料\n部品 <- 材料\n完成品 <- 部品 { effort: 1d }\n", "utf-8"
    )
    r = _run(str(model), "--start", START)
    assert "ルート 2 本のうち 1 本に工数 (effort) がありません" in r.stderr.decode()
    assert r.stdout.decode().startswith("日程表 2026-04-27 開始")


def test_xml_every_day_calendar_has_no_exceptions() -> None:
    from prepmodel.checks.analysis import analyse_text
    from prepmodel.journey.schedule import plan
    from prepmodel.model.workdays import WorkCalendar
    from prepmodel.views.mspdi import project_xml
    from prepmodel.views.schedule import Dated

    a = analyse_text("goal G\nexternal X\nG <- X { effort: 3d }\n", "m.prep")
    d = Dated(a.journey, plan(a.journey), WorkCalendar("none", dt.date(2026, 5, 2)))
    data = project_xml(d)
    assert_valid(data)
    root = ET.fromstring(data)
    days = {
        w.findtext(f"{NS}DayType"): w.findtext(f"{NS}DayWorking") for w in root.iter(f"{NS}WeekDay")
    }
    assert days == {str(i): "1" for i in range(1, 8)}
    assert root.find(f"{NS}Calendars/{NS}Calendar/{NS}Exceptions") is None
    task, milestone = root.iter(f"{NS}Task")
    assert milestone.findtext(f"{NS}Milestone") == "1"
    assert milestone.findtext(f"{NS}Name") == "G ready"
    assert task.findtext(f"{NS}Start") == "2026-05-02T08:00:00"  # a Saturday counts
    assert task.findtext(f"{NS}Finish") == "2026-05-04T17:00:00"

"""`prep schedule -o x.xml` read back by MPXJ (the Java library behind ProjectLibre's and
many tools' MS Project import), through JPype in a child process so that the JVM never
lives in the test process. Skipped when MPXJ, JPype or a JVM is not there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_prep

pytest.importorskip("jpype")
pytest.importorskip("mpxj")

READER = r"""
import json, sys
import jpype
import mpxj  # noqa: F401  (puts the MPXJ jars on the class path)
try:
    jpype.startJVM()
except Exception as err:  # no usable JVM
    print(json.dumps({"skip": str(err)}))
    sys.exit(0)
from org.mpxj.reader import UniversalProjectReader
project = UniversalProjectReader().read(sys.argv[1])
tasks = []
for t in project.getTasks():
    tasks.append({
        "name": str(t.getName()),
        "level": int(t.getOutlineLevel()),
        "summary": bool(t.getSummary()),
        "milestone": bool(t.getMilestone()),
        "start": str(t.getStart())[:10],
        "finish": str(t.getFinish())[:10],
        "predecessors": [str(r.getPredecessorTask().getName()) for r in t.getPredecessors()],
        "link_types": [str(r.getType()) for r in t.getPredecessors()],
        "resources": [str(a.getResource().getName()) for a in t.getResourceAssignments()
                      if a.getResource() is not None],
    })
calendar = project.getDefaultCalendar()
exceptions = [str(e.getFromDate()) for e in calendar.getCalendarExceptions()]
print(json.dumps({"tasks": tasks, "exceptions": exceptions}, ensure_ascii=False))
"""


@pytest.mark.slow
def test_mpxj_reads_every_task_link_and_holiday(tmp_path: Path) -> None:
    out = tmp_path / "plan.xml"
    args = ("samples/schedule/onboarding.prep", "--start", "2026-04-27")
    r = run_prep("schedule", *args, "-o", str(out))
    assert r.returncode == 0, r.stderr.decode()
    plan: dict[str, Any] = json.loads(run_prep("schedule", *args, "--format", "json").stdout)
    script = tmp_path / "read.py"
    script.write_text(READER, "utf-8")
    try:
        done = subprocess.run(
            [sys.executable, str(script), str(out)], capture_output=True, timeout=240
        )
    except subprocess.TimeoutExpired:
        pytest.skip("the JVM did not start in time")
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace")
        if "JVM" in err or "libjvm" in err or "java" in err.lower():
            pytest.skip(f"no usable JVM: {err.strip().splitlines()[-1]}")
        raise AssertionError(err)
    read = json.loads(done.stdout)
    if "skip" in read:
        pytest.skip(read["skip"])
    steps = {t["name"]: t for t in read["tasks"] if not t["summary"] and not t["milestone"]}
    for t in plan["tasks"]:
        got = steps[t["name"]]
        assert got["predecessors"] == t["predecessors"], t["name"]
        assert set(got["link_types"]) <= {"FS"}  # finish-to-start
        assert (got["start"], got["finish"]) == (t["start"], t["finish"]), t["name"]
        assert got["resources"] == t["by"]
        assert got["level"] == 2
    milestones = {t["predecessors"][0]: t["finish"] for t in read["tasks"] if t["milestone"]}
    assert milestones == {m["name"]: m["date"] for m in plan["milestones"]}
    summaries = [t["name"] for t in read["tasks"] if t["summary"]]
    assert summaries == ["Land", "Adopt", "Expand", "Renew"]
    assert read["exceptions"] == [h["date"] for h in plan["holidays"]]

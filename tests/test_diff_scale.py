"""`prep diff` on big models (issue #18): the shortcuts that keep it linear must not
change what it reports.

* A deliverable whose routes are written the same, none of their inputs renamed or
  removed, is not compared input set by input set (``_Compare.same_routes``); the diff of
  edited models is the same with and without that shortcut.
* The rename facts are gathered for the unmatched deliverables only.
* The journey comparison reads the old step numbers once, not once per goal.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from prepmodel.checks.analysis import Analysis, analyse_text
from prepmodel.review import diff as diff_module
from prepmodel.review import match as match_module
from prepmodel.review.diff import journey_impact, semantic_diff
from prepmodel.review.report import diff_json, format_diff

from .conftest import ROOT, SAMPLES

_BOUNDARY = r"(?<![^\s,\[])%s(?![^\s,\]{;])"


def _generated(tmp: Path, n: int, lang: str, shape: str) -> str:
    path = tmp / f"g{n}-{lang}-{shape}.prep"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate.py"),
            *(str(n), "--lang", lang, "--shape", shape, "-o", str(path)),
        ],
        check=True,
        capture_output=True,
    )
    return path.read_text("utf-8")


def _edited(text: str, seed: int) -> str:
    """``text`` with some deliverables renamed everywhere, some one-line routes dropped,
    inputs swapped, made optional, and work changed: what a reviewer's diff shows."""
    rng = random.Random(seed)
    heads = sorted(set(re.findall(r'^("[^"]+"|\S+) <- ', text, re.M)))
    for name in rng.sample(heads, max(1, len(heads) // 20)):
        new = name[:-1] + ' v2"' if name.startswith('"') else name + "改"
        text = re.sub(_BOUNDARY % re.escape(name), new, text)
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        r = rng.random()
        following = lines[i + 1] if i + 1 < len(lines) else ""
        one_line = re.match(r'^("[^"]+"|\S+) <- [^{]*[^,]$', line)
        if one_line and r < 0.03 and not following.startswith(" "):
            continue
        if "work:" in line and r < 0.05:
            line = re.sub(r'work: ("[^"]*"|[^;}]+)', "work: 再検討", line, count=1)
        if " <- " in line and 0.05 < r < 0.08:
            line = re.sub(r' <- ("[^"]+"|[^\s,"]+), ("[^"]+"|[^\s,"]+),', r" <- \2, \1,", line)
        if " <- " in line and 0.08 < r < 0.1:
            line = re.sub(r' <- ("[^"]+"|[^\s,"]+),', r" <- [\1],", line, count=1)
        if " <- " in line and 0.1 < r < 0.12:  # a new input: a new external
            line = re.sub(r" <- ", f" <- Extra{i}, ", line, count=1)
        if " <- " in line and 0.12 < r < 0.14:  # an input dropped
            line = re.sub(r' <- ("[^"]+"|[^\s,"]+), ', " <- ", line, count=1)
        out.append(line)
    text = "\n".join(out)
    # A new step early on: every later step number moves.
    m = re.search(r'^("[^"]+"|\S+) <- ("[^"]+"|[^\s,"]+),', text, re.M)
    assert m is not None
    head = f"{m[1]} <- Added, {m[2]},"
    return text[: m.start()] + head + text[m.end() :] + f"\nAdded <- {m[2]}\n"


def _pairs(tmp: Path) -> list[tuple[str, str]]:
    samples = {p.name: p.read_text("utf-8") for p in SAMPLES.glob("*.prep")}
    pairs = [
        (samples["restaurant.prep"], samples["onboarding.prep"]),
        (samples["onboarding.prep"], samples["onboarding-jp.prep"]),
    ]
    for n, lang, shape in ((300, "en", "layered"), (600, "ja", "streams")):
        text = _generated(tmp, n, lang, shape)
        edited = _edited(text, n)
        pairs += [(text, edited), (edited, text)]
    return pairs


def _analyses(old: str, new: str) -> tuple[Analysis, Analysis]:
    return analyse_text(old, "old.prep"), analyse_text(new, "new.prep")


def test_edited_models_give_real_differences(tmp_path: Path) -> None:
    """The pairs below exercise every part of the comparison (else the next test would
    prove little): renames, route changes, optional inputs and renumbered steps."""
    found: set[str] = set()
    for old, new in _pairs(tmp_path)[2:]:
        j = diff_json(semantic_diff(*_analyses(old, new)))
        found |= {"renamed"} if j["renamed"] else set()
        found |= {d["change"] for c in j["changed"] for d in c["details"]}
        found |= {e["change"] for g in j["journey"] for e in g["events"]}
    assert {"renamed", "input_added", "input_removed", "attribute_changed"} <= found
    assert {"input_optional", "renumbered"} <= found


def test_same_routes_shortcut_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The diff with the shortcut equals the diff that compares every route's input sets."""
    for old, new in _pairs(tmp_path):
        fast = [format_diff(semantic_diff(*_analyses(old, new)), f) for f in ("text", "json")]
        with monkeypatch.context() as m:
            m.setattr(diff_module._Compare, "same_routes", lambda self, a, b: False)
            slow = [format_diff(semantic_diff(*_analyses(old, new)), f) for f in ("text", "json")]
        assert fast == slow
        assert json.loads(fast[1])["summary"]  # a real diff object, not an error


def test_rename_facts_only_for_unmatched(monkeypatch: pytest.MonkeyPatch) -> None:
    old_text = (SAMPLES / "restaurant.prep").read_text("utf-8")
    seen: list[set[str]] = []
    real = match_module._Side.__init__

    def spy(self: match_module._Side, a: Analysis, keys: set[str]) -> None:
        real(self, a, keys)
        seen.append(set(self.inputs))

    monkeypatch.setattr(match_module._Side, "__init__", spy)
    d = semantic_diff(*_analyses(old_text, old_text.replace("Bill", "Invoice")))
    assert [(r.old_name, r.new_name) for r in d.renamed] == [("Bill", "Invoice")]
    assert seen == [{"Bill"}, {"Invoice"}]
    seen.clear()
    assert semantic_diff(*_analyses(old_text, old_text)).empty
    assert seen == []  # nothing unmatched: no facts gathered at all


class _CountingDict(dict[str, int]):
    reads = 0

    def items(self):  # type: ignore[override]
        type(self).reads += 1
        return super().items()


def test_journey_comparison_reads_old_steps_once() -> None:
    """Many goals, every step renumbered: the old step numbers are mapped once."""
    goals = 40
    lines = ["external Seed"]
    for g in range(goals):
        lines += [f"goal G{g}", f"A{g} <- Seed", f"B{g} <- A{g}", f"G{g} <- B{g}"]
    old = "\n".join(lines) + "\n"
    new = old.replace("A0 <- Seed", "A0 <- Extra\nExtra <- Seed")
    a, b = _analyses(old, new)
    _CountingDict.reads = 0
    a.journey.step_of = _CountingDict(a.journey.step_of)
    impacts = journey_impact(a.journey, b.journey, {k: k for k in a.model.deliverables})
    assert _CountingDict.reads == 1
    assert len(impacts) == goals  # every goal saw its steps move
    assert all(e.change == "renumbered" for g in impacts[1:] for e in g.events)

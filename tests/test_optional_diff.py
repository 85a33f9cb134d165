"""`prep diff` on v2 constructs: an input becoming optional (or required again), a route's
scenarios (`when`) changing, in text, markdown, JSON and the union diagram."""

from __future__ import annotations

import json
from pathlib import Path

from prepmodel.checks.analysis import analyse_text
from prepmodel.review.diff import semantic_diff
from prepmodel.review.report import format_diff
from prepmodel.review.union import union_view

from .conftest import run_prep

OLD = """\
goal Copy
external Books, Receipts, Certificate
Return <- Books { when: accountant; work: File }
Return <- Books, Certificate { when: self; work: e-File }
Statement <- Receipts
Copy <- Return, Statement
"""


def _diff(old: str, new: str, fmt: str = "json", lang: str = "en") -> str:
    d = semantic_diff(analyse_text(old, "old.prep"), analyse_text(new, "new.prep"))
    return format_diff(d, fmt, False, "old.prep", "new.prep", lang)


def _details(old: str, new: str) -> list[dict[str, object]]:
    data = json.loads(_diff(old, new))
    return [det for c in data["changed"] for det in c["details"]]


def test_an_input_becoming_optional_and_required_again() -> None:
    new = OLD.replace("Copy <- Return, Statement", "Copy <- Return, [Statement]")
    (det,) = _details(OLD, new)
    assert det == {
        "aspect": "routes",
        "change": "input_optional",
        "route": "3",
        "key": "Statement",
        "old": "required",
        "new": "optional",
        "text": "input Statement of route 3 became optional",
    }
    (back,) = _details(new, OLD)
    assert back["change"] == "input_required"
    assert back["text"] == "input Statement of route 3 became required"
    text = _diff(OLD, new, "text")
    assert "* Copy: routes: input Statement of route 3 became optional" in text
    assert "Statement became route-dependent (step 2)" in text  # the journey follows
    md = _diff(OLD, new, "markdown")
    assert "| changed | Copy | routes: input Statement of route 3 became optional |" in md
    ja = _diff(OLD, new, "text", "ja")
    assert "ルート 3 のインプット Statement が任意になりました" in ja


def test_a_new_optional_input_and_a_route_with_one() -> None:
    new = OLD.replace("Copy <- Return, Statement", "Copy <- Return, Statement, [Books]")
    (det,) = _details(OLD, new)
    assert det["change"] == "input_added"
    assert det["text"] == "3 gained optional input Books"
    new = OLD + "Copy <- Books, [Receipts] { work: Shortcut }\n"
    (det,) = _details(OLD, new)
    assert det["change"] == "route_added"
    assert det["text"] == "alternative route 3.b added: Books + [Receipts] (Shortcut)"
    assert det["new"] == ["Books", "Receipts"]


def test_a_change_of_when_is_a_scenario_change() -> None:
    new = OLD.replace("{ when: self; work: e-File }", "{ when: self, e-Tax; work: e-File }")
    (det,) = _details(OLD, new)
    assert det["aspect"] == "routes" and det["change"] == "scenario_changed"
    assert det["key"] == "when" and det["old"] == ["self"] and det["new"] == ["self", "e-Tax"]
    assert det["text"] == "route 1.b now applies in self, e-Tax (was: self)"
    # from no `when` to one, and the words in Japanese
    plain = OLD.replace("Statement <- Receipts", "Statement <- Receipts { when: self }")
    (det,) = _details(OLD, plain)
    assert det["text"] == "route 2 now applies in self (was: every scenario)"
    ja = _diff(OLD, plain, "text", "ja")
    assert "ルート 2 の適用シナリオが self になりました（以前は すべてのシナリオ）" in ja
    # the same scenarios in another order or spelling are no change
    same = OLD.replace("when: self; work: e-File", "when: ｓｅｌｆ; work: e-File")
    assert _details(OLD, same) == []
    # `when` never shows up as an attribute change
    assert all(d["change"] != "attribute_changed" for d in _details(OLD, plain))


def test_the_union_diagram_shows_optional_inputs(tmp_path: Path) -> None:
    new = OLD.replace("Copy <- Return, Statement", "Copy <- Return, [Statement]")
    d = semantic_diff(analyse_text(OLD, "old.prep"), analyse_text(new, "new.prep"))
    view = union_view(d)
    (copy,) = [r for r in view.routes if r.label == "3"]
    assert copy.status == "changed"
    assert [s for _, s in copy.inputs] == ["same", "changed"]
    assert copy.optional == frozenset({"new:Statement"})
    (old_file, new_file) = (tmp_path / "old.prep", tmp_path / "new.prep")
    old_file.write_text(OLD, "utf-8")
    new_file.write_text(new, "utf-8")
    out = tmp_path / "u.svg"
    done = run_prep("diff", str(old_file), str(new_file), "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    svg = out.read_text("utf-8").replace("&#45;", "-")
    assert 'class="edge input diff-changed optional"' in svg
    assert "dashed: an optional input [X]" in svg
    assert "input became optional or required" in svg

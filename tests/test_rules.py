"""Rule tests are data: tests/cases/rules/CODE.toml has a failing and a passing snippet."""

from __future__ import annotations

import tomllib

import pytest

from prepmodel.checks.analysis import analyse_text
from prepmodel.checks.rules import RULES
from prepmodel.diagnostics import CODES

from .conftest import CASES

RULE_CASES = sorted((CASES / "rules").glob("*.toml"))


def test_every_code_has_a_rule_and_a_fixture() -> None:
    assert set(RULES) == set(CODES)
    assert {p.stem for p in RULE_CASES} == set(CODES)


@pytest.mark.parametrize("case", RULE_CASES, ids=lambda p: p.stem)
def test_rule_case(case: object) -> None:
    data = tomllib.loads(case.read_text("utf-8"))  # type: ignore[attr-defined]
    code = case.stem  # type: ignore[attr-defined]
    found = [
        d for d in analyse_text(data["fail"].lstrip("\n"), "t.prep").diagnostics if d.code == code
    ]
    assert [[d.span.line, d.span.column] for d in found] == data["expect"], found
    if "hint" in data:
        assert found[0].hint == data["hint"]
    if "message" in data:
        assert found[0].message == data["message"]
    assert all(d.severity == CODES[code].severity for d in found)
    passing = analyse_text(data["pass"].lstrip("\n"), "t.prep").diagnostics
    assert [d for d in passing if d.code == code] == []
    assert [d for d in passing if d.severity.value == "error"] == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_documents_itself(code: str) -> None:
    rule = RULES[code]
    assert rule.description
    assert rule.section("Bad") and rule.section("Good")


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_doc_examples_behave(code: str) -> None:
    """The bad example in a rule's docstring shows that rule; the good one does not."""
    rule = RULES[code]
    bad = analyse_text(rule.section("Bad") + "\n", "bad.prep").diagnostics
    good = analyse_text(rule.section("Good") + "\n", "good.prep").diagnostics
    assert code in {d.code for d in bad}
    assert code not in {d.code for d in good}


def test_each_rule_is_declared_beside_its_check_in_its_family_module() -> None:
    """One place per rule: the code's family names the module the check lives in, and the
    declaration (name, severity, summary) is the decorator on that check."""
    import subprocess
    import sys

    for code, rule in RULES.items():
        module = rule.check.__module__.rsplit(".", 1)[1]
        assert module.startswith(code[:2].lower() + "_"), (code, module)
        assert CODES[code].summary and CODES[code].name
    # a fresh interpreter that loads only the configuration still knows every code
    out = subprocess.run(
        [sys.executable, "-c", "import prepmodel.checks.config as c; print(len(c.CODES))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(out.stdout) == len(RULES)

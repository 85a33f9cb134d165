"""`prep checkpoints` runs the rules in two stages (issue #18): those that read the syntax
tree, then, with the tree freed, the others (in a forked process on a big model). The
findings must be those of every rule at once, and a rule not marked ``syntax`` must not
read the statements: after the first stage they are gone."""

from __future__ import annotations

import sys
import tomllib
from dataclasses import replace
from typing import Any, NoReturn

import pytest

from prepmodel.checks.analysis import analyse_text, finish_rules, stage_rules, with_rules
from prepmodel.checks.rules import RULES

from .conftest import CASES, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate, generate_streams


def _texts() -> list[tuple[str, str]]:
    out = [(p.name, p.read_text("utf-8")) for p in sorted((ROOT / "samples").glob("*.prep"))]
    for case in sorted((CASES / "rules").glob("*.toml")):
        data = tomllib.loads(case.read_text("utf-8"))
        out += [(f"{case.stem}-{kind}", data[kind]) for kind in ("fail", "pass") if kind in data]
    for path in sorted((ROOT / "tests" / "hostile" / "corpus").glob("*.prep")):
        out.append((path.name, path.read_bytes().decode("utf-8", errors="replace")))
    out.append(("generated", generate(600, seed=3, lang="mixed")))
    out.append(("streams", generate_streams(1500, seed=4, lang="ja")))
    return out


TEXTS = _texts()


class _NoTree(tuple[Any, ...]):
    """Statements that fail the test when a rule reads them."""

    def _read(self, *args: object) -> NoReturn:
        raise AssertionError("a rule not marked syntax=True read the syntax tree")

    __iter__ = __len__ = __getitem__ = __bool__ = __contains__ = _read  # type: ignore[assignment]


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=[t[0] for t in TEXTS])
def test_two_stages_find_what_all_rules_at_once_find(name: str, text: str) -> None:
    whole = with_rules(analyse_text(text, name, rules=False), name)
    a = analyse_text(text, name, rules=False)
    staged = stage_rules(a, name)
    assert a.source.statements == () and staged.ctx.source is a.source  # the tree is freed
    staged.ctx.source = replace(a.source, statements=_NoTree())
    split = finish_rules(staged)
    assert [d.to_dict() for d in split.diagnostics] == [d.to_dict() for d in whole.diagnostics]
    assert split.errors == whole.errors


def test_the_rules_that_read_the_tree_are_marked() -> None:
    """The rule modules that read ``source.statements`` mark their rules; the test above
    shows the others do not read them."""
    marked = {code for code, r in RULES.items() if r.syntax}
    assert marked == {"AT01", "EF01", "PS02", "RC01", "RS01", "RS02", "RS04"}

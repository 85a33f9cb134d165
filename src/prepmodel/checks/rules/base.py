"""What every rule sees (``RuleContext``) and what a rule is (``Rule``)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from prepmodel.diagnostics import CODES, CodeInfo, Diagnostic, Severity, declare
from prepmodel.model.core import Model, identity
from prepmodel.model.graph import ModelGraph
from prepmodel.syntax.tree import SourceFile

if TYPE_CHECKING:
    from prepmodel.journey.core import Journey


@dataclass(frozen=True)
class NamingOptions:
    """What the naming lint (NM01) looks at: ``[naming]`` in prep.toml.

    ``allow``: names that are fine as they are, as identities (NFKC, white space
    collapsed) in lower case; ``externals``: whether external deliverables, whose names
    are official names given from outside, are linted too.
    """

    allow: frozenset[str] = frozenset()
    externals: bool = False

    def allows(self, name: str) -> bool:
        return bool(self.allow) and allow_key(name) in self.allow


def allow_key(name: str) -> str:
    """How a name is compared with the ``[naming] allow`` list: identity, lower case."""
    return identity(name).casefold()


@dataclass
class RuleContext:
    """The parsed file, its model and its graph: built once, shared by every rule."""

    source: SourceFile
    model: Model
    memo: dict[str, Any] = field(default_factory=dict)  # results rules share
    naming: NamingOptions = field(default_factory=NamingOptions)

    @cached_property
    def graph(self) -> ModelGraph:
        return ModelGraph(self.model)

    @cached_property
    def journey(self) -> Journey:
        """Steps and checkpoints, for the rules that need them; the analysis keeps it."""
        from prepmodel.journey.core import Journey

        return Journey.of(self.model, self.graph)

    def known_names(self) -> list[str]:
        """Display names of deliverables that exist (produced or external)."""
        g = self.graph
        return [d.name for k, d in self.model.deliverables.items() if k in g.produced or d.external]


Check = Callable[[RuleContext], Iterator[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    """One diagnostic code and the function that finds it.

    The function's docstring is the rule's documentation: what it catches, then a bad and
    a good example after the lines ``Bad:`` and ``Good:``.
    """

    code: str
    check: Check
    #: The check reads the statements of the syntax tree (``ctx.source.statements``); the
    #: others need only the model, the source's text and its diagnostics, so they can run
    #: after a big model's tree is freed (`prep checkpoints`, issue #18).
    syntax: bool = False

    @property
    def info(self) -> CodeInfo:
        return CODES[self.code]

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    def section(self, title: str) -> str:
        """The indented block after ``Bad:`` or ``Good:`` in the docstring."""
        lines = self.doc.splitlines()
        out: list[str] = []
        inside = False
        for line in lines:
            if line.strip() in ("Bad:", "Good:"):
                inside = line.strip() == f"{title}:"
                continue
            if inside:
                out.append(line[4:] if line.startswith("    ") else line)
        return "\n".join(out).strip("\n")

    @property
    def description(self) -> str:
        return self.doc.split("\n\n")[0].replace("\n", " ")


DECLARED: list[Rule] = []
"""Every rule in the order its module declared it (``prepmodel.checks.rules`` sorts them)."""


def rule(
    code: str,
    name: str | None = None,
    severity: Severity | None = None,
    summary: str | None = None,
    *,
    syntax: bool = False,
) -> Callable[[Check], Check]:
    """Declare a rule beside its check: code, rule name, default severity, one-line summary;
    ``syntax=True`` when the check reads the statements of the syntax tree (:attr:`Rule.syntax`).

    ``@rule("PS01")`` alone names a code declared where it is found (the parser's PS01).
    """
    if name is None or severity is None or summary is None:
        if code not in CODES:
            raise ValueError(f"rule {code} needs a name, a severity and a summary")
    else:
        declare(code, name, severity, summary)

    def register(check: Check) -> Check:
        if any(r.code == code for r in DECLARED):
            raise ValueError(f"rule {code} registered twice")
        DECLARED.append(Rule(code, check, syntax))
        return check

    return register

"""Rules RS: responsibility (contract §10): parties and owners."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.checks.rules.gp_gaps import did_you_mean
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.model.core import identity
from prepmodel.model.responsibility import (
    declares_parties,
    party_of_word,
    party_words,
    role_party,
)
from prepmodel.syntax import tree as syn
from prepmodel.text.i18n import msg

ROLE_VALUED = ("owner", "by", "consulted", "informed")


def _role_mentions(ctx: RuleContext) -> Iterator[tuple[str, syn.Name]]:
    """(attribute key, role name) for every role named in owner/by/consulted/informed."""
    for st in ctx.source.statements:
        if st.block is None or (isinstance(st, syn.DeclStmt) and st.keyword in ("role", "kpi")):
            continue
        for attr in st.block.attrs:
            if attr.key.text in ROLE_VALUED:
                for v in attr.values:
                    yield attr.key.text, v


@rule(
    "RS01",
    "role-without-party",
    Severity.WARNING,
    "a role named in owner/by/consulted/informed has no party while other roles have one",
    syntax=True,
)
def role_without_party(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A role that performs, owns, is consulted or informed, but has no `party`, in a
    model where other roles have one: the support modes (自走/伴走/代走) and the hand-overs
    that involve it cannot be derived.

    Bad:
        role CSM { party: vendor }
        goal Plan { owner: CSM }
        external Brief
        Plan <- Brief { by: CSM, 顧客PM }
    Good:
        role CSM { party: vendor }
        role 顧客PM { party: customer }
        goal Plan { owner: CSM }
        external Brief
        Plan <- Brief { by: CSM, 顧客PM }
    """
    model = ctx.model
    if not any("party" in r.attrs for r in model.roles.values()):
        return
    seen: set[str] = set()
    for _key, name in _role_mentions(ctx):
        k = identity(name.text)
        if k in seen:
            continue
        seen.add(k)
        role = model.roles.get(k)
        if role is not None and "party" in role.attrs:
            continue  # a party that is not a known word is RS04's
        if role_party(model, name.text) is None:
            yield Diagnostic.make(
                "RS01",
                name.span,
                msg("the role '{role}' has no party", role=name.text),
                msg(
                    "declare it: `role {role} {{ party: customer }}` (or vendor, partner)",
                    role=name.text,
                ),
            )


@rule(
    "RS02",
    "two-owners",
    Severity.WARNING,
    "a deliverable has two different owners",
    syntax=True,
)
def two_owners(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Two statements give one deliverable different `owner`s; the later one wins, which
    is rarely what was meant. One deliverable, one accountable role.

    Bad:
        goal Plan { owner: CSM }
        external Brief
        Plan <- Brief
        deliverable Plan { owner: 顧客PM }
    Good:
        goal Plan { owner: CSM }
        external Brief
        Plan <- Brief
    """
    first: dict[str, tuple[frozenset[str], str]] = {}
    for st in ctx.source.statements:
        if st.block is None:
            continue
        if isinstance(st, syn.DeclStmt) and st.keyword in ("goal", "external", "deliverable"):
            names = st.names
        elif isinstance(st, syn.GroupStmt):
            names = (st.name,)
        else:
            continue
        for attr in st.block.attrs:
            if attr.key.text != "owner":
                continue
            value = frozenset(identity(v.text) for v in attr.values)
            shown = ", ".join(v.text for v in attr.values)
            for n in names:
                k = identity(n.text)
                before = first.get(k)
                if before is None:
                    first[k] = (value, shown)
                elif before[0] != value:
                    yield Diagnostic.make(
                        "RS02",
                        attr.values[0].span,
                        msg(
                            "'{name}' already has the owner '{old}'; now '{new}'",
                            name=ctx.model.name(k),
                            old=before[1],
                            new=shown,
                        ),
                        msg("keep one `owner:` per deliverable"),
                    )


@rule(
    "RS03",
    "checkpoint-without-owner",
    Severity.INFO,
    "a goal or checkpoint has no owner in a model that uses owner elsewhere",
)
def checkpoint_without_owner(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A goal or a journey checkpoint with no `owner`, in a model that gives owners to
    other deliverables and parties to its roles: every deliverable that every route
    passes should have someone accountable for it.

    Bad:
        role CSM { party: vendor }
        goal Plan { owner: CSM }
        external Brief
        Plan <- Draft
        Draft <- Brief
    Good:
        role CSM { party: vendor }
        goal Plan { owner: CSM }
        external Brief
        Plan <- Draft
        Draft <- Brief
        deliverable Draft { owner: CSM }
    """
    model = ctx.model
    # `owner` was already a (free) attribute in v1: only a model that speaks of parties
    # (contract §10) is held to owning every checkpoint
    if not declares_parties(model) or not any(
        "owner" in d.attrs for d in model.deliverables.values()
    ):
        return
    g = ctx.graph
    journey = ctx.journey
    wanted: dict[str, None] = {}
    for goal in model.goals:
        if goal not in g.produced:
            continue
        wanted.setdefault(goal, None)
        try:
            for c in journey.goal(goal).checkpoints:
                wanted.setdefault(c.key, None)
        except (KeyError, RecursionError):  # a goal in a cycle: CY01 says so
            continue
    for key in wanted:
        d = model.deliverables[key]
        if "owner" in d.attrs:
            continue
        what = msg("goal") if d.goal else msg("checkpoint")
        yield Diagnostic.make(
            "RS03",
            d.span,
            msg("the {what} '{name}' has no owner", what=what, name=d.name),
            msg("add `deliverable {name} {{ owner: ROLE }}`", name=d.name),
        )


@rule(
    "RS04",
    "unknown-party",
    Severity.WARNING,
    "a party that is not customer, vendor or partner",
    syntax=True,
)
def unknown_party(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A `party:` of a role or a kpi that is none of `customer`, `vendor`, `partner`
    (or `顧客`, `自社`, `パートナー`): the role counts as having no party.

    Bad:
        role CSM { party: vender }
        goal Plan
        external Brief
        Plan <- Brief { by: CSM }
    Good:
        role CSM { party: vendor }
        goal Plan
        external Brief
        Plan <- Brief { by: CSM }
    """
    words = list(party_words())
    for st in ctx.source.statements:
        if not isinstance(st, syn.DeclStmt) or st.keyword not in ("role", "kpi") or not st.block:
            continue
        for attr in st.block.attrs:
            if attr.key.text != "party":
                continue
            for v in attr.values:
                if party_of_word(v.text) is not None:
                    continue
                close = did_you_mean(v.text, words)
                hint = (
                    msg("did you mean '{name}'?", name=close)
                    if close
                    else msg("a party is one of: {words}", words=", ".join(words))
                )
                yield Diagnostic.make(
                    "RS04", v.span, msg("'{value}' is not a party", value=v.text), hint
                )

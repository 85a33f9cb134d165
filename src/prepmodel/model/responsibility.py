"""Who is responsible for what (contract §10): parties, owners, support modes, hand-overs.

Pure functions of a :class:`~prepmodel.model.core.Model`; nothing here reads files or
judges the model (the RS rules do). Definitions, as in the contract:

* the **party** of a role is its ``party:`` (``customer``/``vendor``/``partner``, or the
  aliases ``顧客``/``自社``/``パートナー``); a role without one, or with another value, has
  no party (None);
* the **owner** of a deliverable is its ``owner:`` (RACI's A); its **owner party** is the
  party of its owner roles when they all have the same one, else None;
* the **support mode** of a route, with the owner party P of its output and the parties of
  its performers (``by``): all performers in P → ``self`` (自走); performers in P and in
  another party → ``alongside`` (伴走); no performer in P → ``on-behalf`` (代走); None
  when the owner party, a performer's party or the performers themselves are unknown;
* a **hand-over** is an input→output edge (an input of a route, or a member of a group)
  whose two deliverables have owner parties that are known and differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from prepmodel.model.core import Model, Route, identity

Party = Literal["customer", "vendor", "partner"]
Mode = Literal["self", "alongside", "on-behalf"]

#: Parties in the order a service blueprint stacks them: customer above, partner
#: between, vendor below.
PARTIES: tuple[Party, ...] = ("customer", "partner", "vendor")
MODES: tuple[Mode, ...] = ("self", "alongside", "on-behalf")

_PARTY_WORDS: dict[str, Party] = {
    "customer": "customer",
    "vendor": "vendor",
    "partner": "partner",
    "顧客": "customer",
    "自社": "vendor",
    "パートナー": "partner",
}

#: How a Japanese model shows the modes (the words practitioners use).
MODE_JA: dict[Mode, str] = {"self": "自走", "alongside": "伴走", "on-behalf": "代走"}
PARTY_JA: dict[Party, str] = {"customer": "顧客", "vendor": "自社", "partner": "パートナー"}


def party_of_word(word: str) -> Party | None:
    """The party a ``party:`` value names (case and width do not matter), or None."""
    return _PARTY_WORDS.get(identity(word).lower())


def party_words() -> tuple[str, ...]:
    """Every spelling ``party:`` accepts, for messages."""
    return tuple(_PARTY_WORDS)


def role_party(model: Model, role: str) -> Party | None:
    """The party of the role spelled ``role`` (any spelling of its identity)."""
    r = model.roles.get(identity(role))
    if r is None:
        return None
    values = r.attrs.get("party", ())
    return party_of_word(values[-1]) if values else None


def owners(model: Model, key: str) -> tuple[str, ...]:
    """The owner roles of deliverable ``key`` as written (``owner: A, B``), or ()."""
    d = model.deliverables.get(key)
    return d.attrs.get("owner", ()) if d is not None else ()


def owner_party(model: Model, key: str) -> Party | None:
    """The party of the deliverable's owners when they all share one, else None."""
    parties = {role_party(model, o) for o in owners(model, key)}
    if len(parties) != 1:
        return None
    (party,) = parties
    return party


def mode_of(owner: Party | None, performers: Iterable[Party | None]) -> Mode | None:
    """The support mode for an owner party and the parties of the performers."""
    performer_parties = list(performers)
    if owner is None or not performer_parties or None in performer_parties:
        return None
    inside = sum(1 for p in performer_parties if p == owner)
    if inside == len(performer_parties):
        return "self"
    return "alongside" if inside else "on-behalf"


def route_mode(model: Model, route: Route) -> Mode | None:
    """The support mode of ``route`` (see the module's definitions)."""
    return mode_of(owner_party(model, route.output), (role_party(model, b) for b in route.by))


def mode_label(mode: Mode | None, lang: str) -> str:
    """``自走``/``伴走``/``代走`` in Japanese, ``self``/``alongside``/``on-behalf``
    otherwise; empty for an unknown mode."""
    if mode is None:
        return ""
    return MODE_JA[mode] if lang == "ja" else mode


def party_label(party: Party | None, lang: str) -> str:
    if party is None:
        return "—" if lang != "ja" else "不明"
    return PARTY_JA[party] if lang == "ja" else party


@dataclass(frozen=True, slots=True)
class Handover:
    """A deliverable passing from one party to another: ``source`` is an input (or a
    group member) of ``target``."""

    source: str
    target: str
    source_party: Party
    target_party: Party


def handovers(model: Model) -> list[Handover]:
    """Every hand-over edge once, routes in file order (inputs in the order written),
    then group members."""
    parties = Parties(model)
    if not parties.any:  # no role has a party: no owner party, no hand-over
        return []
    party = parties.owner_party
    edges: list[tuple[str, str]] = [(i, r.output) for r in model.routes for i in r.inputs]
    edges += [(m, g.key) for g in model.group_statements for m in g.members]
    seen: set[tuple[str, str]] = set()
    out: list[Handover] = []
    for source, target in edges:
        if (source, target) in seen:
            continue
        seen.add((source, target))
        a, b = party(source), party(target)
        if a is not None and b is not None and a != b:
            out.append(Handover(source, target, a, b))
    return out


class Parties:
    """:func:`role_party`, :func:`owner_party` and :func:`route_mode` of one model, each
    answer kept: a table of 100,000 routes asked for the same few roles' parties, and
    normalised each role name every time (issue #18)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        #: Whether some role has a ``party``: without one, every party and mode is None.
        self.any = any("party" in r.attrs for r in model.roles.values())
        self._roles: dict[str, Party | None] = {}
        self._owners: dict[str, Party | None] = {}

    def _kept(
        self,
        table: dict[str, Party | None],
        key: str,
        compute: Callable[[Model, str], Party | None],
    ) -> Party | None:
        if not self.any:
            return None
        if key not in table:
            table[key] = compute(self.model, key)
        return table[key]

    def role_party(self, role: str) -> Party | None:
        return self._kept(self._roles, role, role_party)

    def owner_party(self, key: str) -> Party | None:
        return self._kept(self._owners, key, owner_party)

    def route_mode(self, route: Route) -> Mode | None:
        """As :func:`route_mode`."""
        if not self.any:
            return None
        return mode_of(self.owner_party(route.output), map(self.role_party, route.by))


def roles_in_use(model: Model) -> list[str]:
    """The roles a model names: declared ones in declaration order, then the ones only
    named in ``owner``/``by``/``consulted``/``informed`` in order of first mention (as
    written the first time)."""
    out: dict[str, str] = {k: r.name for k, r in model.roles.items()}
    for d in model.deliverables.values():
        for o in d.attrs.get("owner", ()):
            out.setdefault(identity(o), o)
    for r in model.routes:
        for key in ("by", "consulted", "informed"):
            for name in r.attrs.get(key, ()):
                out.setdefault(identity(name), name)
    return list(out.values())


def uses_responsibility(model: Model) -> bool:
    """True when the model says anything about parties or owners (so outputs show
    modes and hand-overs)."""
    if any("party" in r.attrs for r in model.roles.values()):
        return True
    return any("owner" in d.attrs for d in model.deliverables.values())


def declares_parties(model: Model) -> bool:
    """True when some role has a ``party`` (tables and diagrams then show support modes
    and hand-overs; other models look as they did before v2)."""
    return any("party" in r.attrs for r in model.roles.values())

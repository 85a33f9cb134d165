"""Rename matching for the semantic diff: which removed deliverable became which added one.

Deliverables matched by identity are left alone; what is left over on each side is paired
into renames by where the deliverables sit in the structure (their inputs, their users, their
kind, work and phase) with the name only breaking ties; see :func:`rename_score` and
:func:`match_renames`. :mod:`prepmodel.review.diff` re-exports the public names, and the scoring is
documented for users in ``docs/git.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from prepmodel.checks.analysis import Analysis
from prepmodel.model.core import identity

__all__ = [
    "RENAME_EVIDENCE",
    "RENAME_NAME_FLOOR",
    "RENAME_THRESHOLD",
    "RENAME_WEIGHTS",
    "Renamed",
    "jaccard",
    "kind_of",
    "match_renames",
    "rename_score",
]

#: Weights of the rename score; they add up to 1. Structure decides, the name breaks ties.
RENAME_WEIGHTS: dict[str, float] = {
    "inputs": 0.30,  # overlap of input deliverables (all routes, group members)
    "outputs": 0.30,  # overlap of the deliverables that use it
    "kind": 0.10,  # same goal/external/produced/group/declared
    "work": 0.10,  # Jaccard of its routes' `work` values
    "phase": 0.05,  # same phase (or both in none)
    "name": 0.15,  # rapidfuzz ratio of the two identities, 0..1
}
#: A pair scoring below this is an addition plus a removal, not a rename.
RENAME_THRESHOLD = 0.60
#: A rename also needs this many neighbours in common (after mapping) ...
RENAME_EVIDENCE = 2
#: ... or names at least this similar: one shared neighbour and an unrelated name is a
#: replacement (``Fax`` swapped for ``Tablet``), not a rename.
RENAME_NAME_FLOOR = 0.50
#: Above this many candidate pairs, only pairs sharing a neighbour are scored.
_NAME_PAIR_LIMIT = 1_000_000


@dataclass(frozen=True)
class Renamed:
    """An old deliverable paired with a new one under another identity."""

    old_key: str
    new_key: str
    old_name: str
    new_name: str
    score: float


def kind_of(a: Analysis, key: str) -> str:
    """``goal``, ``external``, ``group``, ``produced`` or ``declared`` (attributes only)."""
    d = a.model.deliverables[key]
    if d.goal:
        return "goal"
    if d.external:
        return "external"
    if a.graph.is_group(key):
        return "group"
    if key in a.graph.produced:
        return "produced"
    return "declared"


class _Side:
    """Per-deliverable facts of one side that the rename score compares, for ``keys``
    only (the removed deliverables of the old side, the added ones of the new side: no
    other is ever scored). A diff of a big model with a few renames thus costs nothing
    per unchanged deliverable."""

    def __init__(self, a: Analysis, keys: Iterable[str]) -> None:
        self.a = a
        g = a.graph
        keys = list(keys)
        self.inputs = {k: frozenset(g.inputs(k)) for k in keys}
        self.outputs = {k: frozenset(g.users(k)) for k in keys}
        self.kind = {k: kind_of(a, k) for k in keys}
        self.work = {
            k: frozenset(r.work for r in g.routes_by_output.get(k, []) if r.work) for k in keys
        }
        phase_of = a.journey.phase_of
        self.phase = {k: identity(phase_of[k]) for k in keys if k in phase_of}


def jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    """Jaccard similarity of two sets; 1 when both are empty."""
    if not x and not y:
        return 1.0
    return len(x & y) / len(x | y)


def _name_similarity(old_key: str, new_key: str) -> float:
    return fuzz.ratio(old_key.casefold(), new_key.casefold()) / 100.0


def _mapped(keys: Iterable[str], mapping: dict[str, str]) -> frozenset[str]:
    # An old neighbour with no match yet can equal nothing on the new side.
    return frozenset(mapping.get(k, "\0old:" + k) for k in keys)


def _neighbour_overlap(old: frozenset[str], new: frozenset[str], pending_new: set[str]) -> float:
    """Jaccard of two neighbour sets, where a neighbour still unmatched on *both* sides
    counts half (it may be a rename found in a later round): with ``p`` such possible
    pairs, ``(common + p/2) / (union - p)``; 1 when both sets are empty."""
    if not old and not new:
        return 1.0
    p = min(sum(1 for k in old if k.startswith("\0old:")), sum(1 for k in new if k in pending_new))
    common = len(old & new)
    rest = len(old | new) - p
    return (common + p / 2) / rest if rest else 1.0


def rename_score(
    old: _Side,
    new: _Side,
    o: str,
    n: str,
    mapping: dict[str, str],
    pending_new: set[str],
    name_sim: float | None = None,
) -> tuple[float, int]:
    """The score of old ``o`` being renamed to new ``n``, and the evidence for it (the
    number of neighbours in common once old names are mapped to new ones).

    score = Σ weight × part, with the weights of :data:`RENAME_WEIGHTS` and the parts:
    overlap of inputs and of outputs (:func:`_neighbour_overlap`), same kind (0/1),
    Jaccard of the routes' work values, same phase (0/1), rapidfuzz name ratio (0..1).
    ``pending_new`` holds the new deliverables not matched yet.
    """
    ins_o, outs_o = _mapped(old.inputs[o], mapping), _mapped(old.outputs[o], mapping)
    ins_n, outs_n = new.inputs[n], new.outputs[n]
    if name_sim is None:
        name_sim = _name_similarity(o, n)
    w = RENAME_WEIGHTS
    score = (
        w["inputs"] * _neighbour_overlap(ins_o, ins_n, pending_new)
        + w["outputs"] * _neighbour_overlap(outs_o, outs_n, pending_new)
        + w["kind"] * (old.kind[o] == new.kind[n])
        + w["work"] * jaccard(old.work[o], new.work[n])
        + w["phase"] * (old.phase.get(o) == new.phase.get(n))
        + w["name"] * name_sim
    )
    evidence = len(ins_o & ins_n) + len(outs_o & outs_n)
    return round(score, 6), evidence


def _acceptable(score: float, evidence: int, name_sim: float) -> bool:
    if score < RENAME_THRESHOLD:
        return False
    return evidence >= RENAME_EVIDENCE or name_sim >= RENAME_NAME_FLOOR


def match_renames(
    old_a: Analysis, new_a: Analysis, mapping: dict[str, str], removed: set[str], added: set[str]
) -> list[Renamed]:
    """Pair removed with added deliverables, best first, until nothing more qualifies.

    Each round scores the candidate pairs under the current mapping and accepts every
    pair that is the other's best choice (the overall best always is), then maps them,
    which can lift their neighbours above the threshold in the next round: several
    neighbouring renames resolve from the unchanged part of the model inwards.
    ``mapping``, ``removed`` and ``added`` are updated in place.
    """
    found: list[Renamed] = []
    if not removed or not added:
        return found
    old, new = _Side(old_a, removed), _Side(new_a, added)
    names: dict[tuple[str, str], float] = {}
    if len(removed) * len(added) <= _NAME_PAIR_LIMIT:
        for o in removed:
            for n in added:
                sim = _name_similarity(o, n)
                if sim >= RENAME_NAME_FLOOR:
                    names[(o, n)] = sim
    while removed and added:
        by_neighbour: dict[str, set[str]] = {}
        for n in added:
            for x in new.inputs[n] | new.outputs[n]:
                by_neighbour.setdefault(x, set()).add(n)
        pairs: set[tuple[str, str]] = {p for p in names if p[0] in removed and p[1] in added}
        for o in removed:
            for x in _mapped(old.inputs[o] | old.outputs[o], mapping):
                pairs.update((o, n) for n in by_neighbour.get(x, ()))
        scored: list[tuple[tuple[float, float, str, str], str, str, float]] = []
        for o, n in pairs:
            sim = names[(o, n)] if (o, n) in names else _name_similarity(o, n)
            score, evidence = rename_score(old, new, o, n, mapping, added, sim)
            if _acceptable(score, evidence, sim):
                scored.append(((-score, -sim, o, n), o, n, score))
        if not scored:
            break
        scored.sort()
        best_old: dict[str, str] = {}
        best_new: dict[str, str] = {}
        for _, o, n, _s in scored:
            best_old.setdefault(o, n)
            best_new.setdefault(n, o)
        for _, o, n, score in scored:
            if best_old.get(o) == n and best_new.get(n) == o:
                mapping[o] = n
                removed.discard(o)
                added.discard(n)
                found.append(
                    Renamed(o, n, old.a.model.name(o), new.a.model.name(n), round(score, 3))
                )
    return found

"""Brute-force references shared by the property tests."""

from __future__ import annotations

import itertools


def built_on_every_way(usable: dict[str, list[list[str]]], goal: str) -> set[str] | None:
    """The produced deliverables built on every way of making ``goal``: each way picks one
    of ``usable[k]`` (the inputs a route waits for) for every deliverable ``k`` that has
    routes; None when no way makes the goal. A deliverable without usable routes fails
    only where it is needed."""
    names = list(usable)
    common: set[str] | None = None
    for pick in itertools.product(*(range(len(usable[n])) or [None] for n in names)):
        built: set[str] = set()

        def make(k: str, pick: tuple[int | None, ...] = pick, built: set[str] = built) -> bool:
            if k not in usable:
                return True
            choice = pick[names.index(k)]
            if choice is None:
                return False
            built.add(k)
            return all(make(x) for x in usable[k][choice])

        if make(goal):
            common = set(built) if common is None else common & built
    return common

"""Scenarios (contract §9): ``when: S[, S...]`` on a route names the scenarios in which it
applies; a route without ``when`` applies in every scenario. Choosing scenarios keeps only
the routes that apply in all of them."""

from __future__ import annotations

from prepmodel.model.core import Model, Route, identity


def scenarios(model: Model) -> list[str]:
    """The scenario names the routes mention, as first written, in file order (one per
    identity: ``ｅ-Tax`` and ``e-Tax`` are one scenario)."""
    seen: dict[str, str] = {}
    for r in model.routes:
        for name in r.when:
            seen.setdefault(identity(name), name)
    return list(seen.values())


def applies(route: Route, chosen: frozenset[str]) -> bool:
    """Whether ``route`` applies in every scenario of ``chosen`` (identities)."""
    if not route.when:
        return True
    return chosen <= {identity(name) for name in route.when}


def in_scenario(model: Model, chosen: frozenset[str]) -> Model:
    """``model`` with only the routes that apply in all the ``chosen`` scenarios.

    A deliverable the whole model makes but no kept route does cannot be had in the
    scenario, so a route that requires it does not apply either (and so on, to a
    fixpoint); a group that holds it likewise. A route whose *optional* input cannot be had
    still applies, without that input. Gaps of the whole model stay gaps, as in v1."""
    made = {r.output for r in model.routes}
    kept = [r for r in model.routes if applies(r, chosen)]
    while True:
        have = {r.output for r in kept}
        dead = made - have - set(model.externals)
        dead |= {k for k, g in model.groups.items() if dead.intersection(g.members)}
        still = [r for r in kept if not dead.intersection(r.required)]
        if len(still) == len(kept):
            break
        kept = still
    kept = [_without(r, dead) if dead.intersection(r.optional) else r for r in kept]
    return model.model_copy(update={"routes": tuple(kept)})


def _without(route: Route, dead: set[str]) -> Route:
    """``route`` without its optional inputs in ``dead``."""
    pairs = [(x, s) for x, s in zip(route.inputs, route.input_spans, strict=True) if x not in dead]
    return route.model_copy(
        update={
            "inputs": tuple(x for x, _ in pairs),
            "input_spans": tuple(s for _, s in pairs),
            "optional": tuple(x for x in route.optional if x not in dead),
        }
    )


def unknown(model: Model, names: list[str]) -> list[str]:
    """The names in ``names`` that no route mentions."""
    known = {identity(n) for n in scenarios(model)}
    return [n for n in names if identity(n) not in known]

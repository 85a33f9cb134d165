"""Where `prep checkpoints -f json` spends its time beyond `prep check`, stage by stage, in
one process (issue #18).

    python benchmarks/stages.py benchmarks/generated/m100k.prep

Runs `check`'s two stages (analysis, rules), frees the syntax tree as the command does,
then times each of the journey's passes in the order the command first needs them, and
the JSON. Each pass is a cached property, so timing it alone times its own work only.
Prints one line of seconds per stage and the sum beyond `check`.
"""

from __future__ import annotations

import argparse
import gc
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    args = parser.parse_args(argv)

    from prepmodel.checks.analysis import analyse_bytes, finish_rules, stage_rules
    from prepmodel.journey.core import Journey
    from prepmodel.views import checkpoints as tables

    gc.disable()  # as the `prep` command runs
    seconds: dict[str, float] = {}

    def timed(name: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        out = work()
        seconds[name] = time.perf_counter() - started
        return out

    path = args.file
    a = timed("analysis", lambda: analyse_bytes(Path(path).read_bytes(), path, rules=False))
    staged = timed("rules, syntax (frees the tree)", lambda: stage_rules(a, path))
    timed("rules, model", lambda: finish_rules(staged))
    check = sum(seconds.values())
    g = a.graph
    timed("compact graph", lambda: g.compact)
    timed("phase keys", lambda: g._phase_key_list if a.model.phases else None)
    j = timed("step order, steps", lambda: Journey.of(a.model, g))
    timed("positions", lambda: (j._order, j._bit, j._ids, j._at))
    timed("inputs by position", lambda: j._inputs)
    timed("goal needs, depths", lambda: (j._goal_needs, j.depth))
    timed("last uses", lambda: j._last_use if not j._per_goal else None)
    timed("exits", lambda: j._exits)
    goals = timed("mandatory sets, checkpoints", j.goals)
    timed("schedule", lambda: (j.effort_hours, j._schedule if j.timed else None))
    timed("critical paths", lambda: [x.critical_path for x in goals])
    with open(os.devnull, "wb") as out:
        timed("JSON", lambda: [out.write(p.encode()) for p in tables.render_chunks(j, "json")])
    beyond = sum(seconds.values()) - check
    for name, value in seconds.items():
        print(f"{name:32} {value:6.2f} s")
    print(f"{'check':32} {check:6.2f} s")
    ratio = (check + beyond) / check if check > 0 else 1.0
    print(f"{'beyond check':32} {beyond:6.2f} s  ({ratio:.2f} x check)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

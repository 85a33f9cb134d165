"""How much longer one `prep` command takes than another on the same file, measured so that
a machine whose speed drifts (by up to 1.6 x within minutes on the shared 2-core machine,
issue #18) does not decide the answer.

Each round runs the two commands both ways:

- **side by side**: both at once, each on its own core, so they see the same machine;
  the ratio is the command's wall time over the base's;
- **in turn**: base, command, command, base; each command run against the mean of the
  two base runs around it (a two-process command such as ``PREP_JOBS=2`` needs this one:
  side by side it would compete for the second core).

Prints each round and the median and range of each way. Output goes to /dev/null.

    python benchmarks/ratio.py benchmarks/generated/s100k.prep --rounds 3
    python benchmarks/ratio.py FILE --base "check {file}" --command "checkpoints {file} -f json"
    python benchmarks/ratio.py FILE --way turns --env PREP_JOBS=2
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass


@dataclass
class Run:
    wall: float
    cpu: float
    status: int


def _start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], float]:
    devnull = subprocess.DEVNULL
    proc = subprocess.Popen(args, stdout=devnull, stderr=devnull, env=env)
    return proc, time.perf_counter()


def _finish(proc: subprocess.Popen[bytes], started: float) -> Run:
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(wall, usage.ru_utime + usage.ru_stime, proc.returncode)


def run(args: list[str], env: dict[str, str]) -> Run:
    return _finish(*_start(args, env))


def side_by_side(base: list[str], command: list[str], env: dict[str, str]) -> tuple[Run, Run]:
    """Both at once; each waited for by its own pid, so each wall time is its own."""
    a = _start(base, env)
    b = _start(command, env)
    # wait for whichever ends first without blocking on the other
    ended: dict[int, Run] = {}
    pending = {a[0].pid: a, b[0].pid: b}
    while pending:
        pid, status, usage = os.wait4(-1, 0)
        if pid not in pending:
            continue
        proc, started = pending.pop(pid)
        proc.returncode = os.waitstatus_to_exitcode(status)
        ended[pid] = Run(
            time.perf_counter() - started, usage.ru_utime + usage.ru_stime, proc.returncode
        )
    return ended[a[0].pid], ended[b[0].pid]


def _summary(label: str, ratios: list[float]) -> str:
    if not ratios:
        return f"{label}: no rounds"
    listed = ", ".join(f"{r:.2f}" for r in ratios)
    return (
        f"{label}: median {statistics.median(ratios):.2f}, range "
        f"{min(ratios):.2f}-{max(ratios):.2f} ({listed})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--base", default="check {file}")
    parser.add_argument("--command", default="checkpoints {file} --format json")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--way", choices=("both", "side", "turns"), default="both")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set for the command's runs only (e.g. PREP_JOBS=2)",
    )
    opts = parser.parse_args(argv)
    prep = [sys.executable, "-m", "prepmodel"]
    env = dict(os.environ)
    command_env = dict(env)
    for item in opts.env:
        name, _, value = item.partition("=")
        command_env[name] = value
    failed = False
    for file in opts.files:
        base = prep + shlex.split(opts.base.format(file=file))
        command = prep + shlex.split(opts.command.format(file=file))
        side: list[float] = []
        turns: list[float] = []
        for i in range(1, opts.rounds + 1):
            if opts.way in ("both", "side"):
                if command_env != env:
                    print("side by side needs the same environment; use --way turns")
                    return 2
                b, c = side_by_side(base, command, env)
                side.append(c.wall / b.wall)
                print(
                    f"{file} round {i} side by side: base {b.wall:.2f} s, command "
                    f"{c.wall:.2f} s (cpu {b.cpu:.2f} / {c.cpu:.2f}): {side[-1]:.2f}",
                    flush=True,
                )
                failed |= bool(b.status > 1 or c.status > 1)
            if opts.way in ("both", "turns"):
                b1 = run(base, env)
                c1 = run(command, command_env)
                c2 = run(command, command_env)
                b2 = run(base, env)
                mean = (b1.wall + b2.wall) / 2
                turns += [c1.wall / mean, c2.wall / mean]
                print(
                    f"{file} round {i} in turn: base {b1.wall:.2f}/{b2.wall:.2f} s, command "
                    f"{c1.wall:.2f}/{c2.wall:.2f} s: {turns[-2]:.2f}, {turns[-1]:.2f}",
                    flush=True,
                )
                failed |= any(r.status > 1 for r in (b1, c1, c2, b2))
        print(_summary(f"{file} side by side", side))
        print(_summary(f"{file} in turn", turns))
    if failed:
        print("some run failed (exit status above 1)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

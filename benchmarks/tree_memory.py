"""Peak memory of a command and the processes it forks, together (Linux).

    python benchmarks/tree_memory.py [--every 0.05] -- prep checkpoints big.prep -f json

``/usr/bin/time -f %M`` reports the largest single process, which hides a forked helper
(`prep diff`, `prep checkpoints` on big models). This samples every process of the tree
and prints, at the command's end, the highest sum of their PSS (proportional set size:
each shared page counted once across the processes, the real memory used) and of their
RSS (each process's resident size, shared pages counted in every process), with the wall
time and the exit status (also this script's). The command's output goes to /dev/null.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _tree(root: int) -> list[int]:
    found = [root]
    for pid in found:  # grows while it is read
        found += _children(pid)
    return found


def _kb(pid: int, field: str) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=float, default=0.05, help="seconds between samples")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak_pss = peak_rss = peak_count = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        peak_pss = max(peak_pss, sum(_kb(p, "Pss") for p in pids))
        peak_rss = max(peak_rss, sum(_kb(p, "Rss") for p in pids))
        peak_count = max(peak_count, len(pids))
        time.sleep(args.every)
    wall = time.perf_counter() - start
    print(
        f"wall {wall:.2f} s  exit {proc.returncode}  processes {peak_count}  "
        f"peak PSS sum {peak_pss / 1024:.0f} MB  peak RSS sum {peak_rss / 1024:.0f} MB",
        file=sys.stderr,
    )
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()

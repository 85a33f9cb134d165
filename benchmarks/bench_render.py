"""Time and peak memory of `prep render` on generated models, and the share spent in Graphviz.

    python benchmarks/bench_render.py                                  # 200 1000 2000, all formats
    python benchmarks/bench_render.py --sizes 200 --formats svg png --repeat 3

Each measurement is one fresh process (the command as a user runs it: parse, check, DOT,
layout, SVG/HTML/PNG/PDF, write the file), so the peak resident memory (``ru_maxrss``) is
that command's alone and the one-off compile of the WebAssembly Graphviz is included, as a
user pays it. "Graphviz" is the time inside Graphviz itself (``engine.layout_stats``); the
rest is ours. ``pages`` is ``--pages phase`` written as PDF. Models: ``generate.py``, seed 1,
Japanese, 4-6 phases. Targets (the diagrams issue): 1,000 deliverables to SVG and HTML in
under 60 s; a 200-deliverable PNG in under 5 s and 500 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

FORMATS = ("svg", "html", "png", "pdf", "pages")
TARGETS = {(1000, "svg"): (60.0, None), (1000, "html"): (60.0, None), (200, "png"): (5.0, 500.0)}

# Runs in the child: the command's work in-process, then its own figures as JSON.
CHILD = r"""
import json, resource, sys, time
start = time.perf_counter()
from pathlib import Path
from prepmodel.checks.analysis import analyse_text
from prepmodel.render import render, render_pages
from prepmodel.render.engine import layout_stats
path, fmt, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
a = analyse_text(Path(path).read_text("utf-8"), path)
if fmt == "pages":
    files, _ = render_pages(a, "pdf")
    data = files[0]
else:
    data = render(a, fmt).data
out.write_bytes(data)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "graphviz": layout_stats().total_seconds,
                  "calls": layout_stats().calls,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "bytes": len(data)}))
"""


def measure(model: Path, fmt: str, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(model), fmt, str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        return {"error": 1.0, "seconds": float("nan")}
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 2000])
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from generate import generate

    missed = 0
    print(
        f"{'size':>6} {'format':<6} {'seconds':>8} {'Graphviz':>9} {'share':>6} "
        f"{'layouts':>7} {'peak MB':>8} {'output':>9}  target"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            model = Path(tmp) / f"m{size}.prep"
            model.write_text(generate(size, args.seed, "ja"), encoding="utf-8")
            for fmt in args.formats:
                runs = [measure(model, fmt, Path(tmp) / f"out.{fmt}") for _ in range(args.repeat)]
                if any("error" in r for r in runs):
                    print(f"{size:>6} {fmt:<6} failed")
                    missed += 1
                    continue
                best = min(runs, key=lambda r: r["seconds"])
                seconds = statistics.median(r["seconds"] for r in runs)
                rss = max(r["rss_mb"] for r in runs)
                note = ""
                if (size, fmt) in TARGETS:
                    limit, memory = TARGETS[(size, fmt)]
                    ok = seconds < limit and (memory is None or rss < memory)
                    note = f"{'ok' if ok else 'MISSED'} (< {limit:g} s" + (
                        f", < {memory:g} MB)" if memory else ")"
                    )
                    missed += not ok
                print(
                    f"{size:>6} {fmt:<6} {seconds:8.2f} {best['graphviz']:9.2f} "
                    f"{best['graphviz'] / best['seconds']:6.0%} {int(best['calls']):>7} "
                    f"{rss:8.0f} {int(best['bytes']) // 1024:>7}KB  {note}"
                )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

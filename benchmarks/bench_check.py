"""Time `prep check` and `prep checkpoints` on generated models, and the pipeline's phases.

    PYTHONPATH=src python benchmarks/bench_check.py [--sizes 1000 10000] [--repeat 5]

* CLI figures run ``python -m prepmodel`` in a subprocess with the same interpreter
  (start-up, imports and output included); each is the median of ``--repeat`` runs.
  On each model the commands run in rounds (check, checkpoints, fmt --check, diff, then
  again), and each ratio to `check` is the median of the per-round ratios: the machine's
  speed drifts by ±20 % over minutes, and a ratio of two runs made seconds apart is
  steadier than a ratio of two medians taken minutes apart.
* In-process figures time parse / build / rules / journey with ``time.perf_counter``
  (median of the same number of runs), after one warm-up parse.
* The peak memory of the journey computation on the largest model comes from tracemalloc.

Models come from ``benchmarks/generate.py`` and are written to ``--out-dir``
(``benchmarks/generated`` by default). See ``benchmarks/README.md`` for the targets.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
if importlib.util.find_spec("prepmodel") is None:
    sys.path.insert(0, str(ROOT / "src"))

from generate import generate  # noqa: E402

from prepmodel.review.fmt import format_source  # noqa: E402

TARGETS = {
    "check_big": 2.0,  # s, prep check on 10k deliverables
    "ratio": 12.0,  # check 10k / check 1k
    "version": 0.3,  # s, prep --version
    "sample": 0.6,  # s, prep check samples/restaurant.prep
    "checkpoints_big": 3.0,  # s, prep checkpoints --format json on 10k
    "cp_over_check": 2.0,  # checkpoints 10k / check 10k
    "fmt_over_check": 2.0,  # fmt --check 10k / check 10k
    "diff_over_check": 2.0,  # diff 10k (a renamed goal) / check 10k
}


def _env() -> dict[str, str]:
    """The environment for the CLI: the repo's ``src`` on PYTHONPATH unless installed."""
    env = dict(os.environ)
    probe = subprocess.run([sys.executable, "-c", "import prepmodel"], env=env, capture_output=True)
    if probe.returncode != 0:
        src = str(ROOT / "src")
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("NO_COLOR", "1")
    return env


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """(seconds, exit code) of one ``python -m prepmodel ARGS``; output is discarded."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "prepmodel", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    elapsed = time.perf_counter() - t0
    if b"Traceback" in proc.stderr:
        raise SystemExit(f"prep {' '.join(args)} crashed:\n{proc.stderr.decode()}")
    return elapsed, proc.returncode


def time_cli(args: list[str], repeat: int, env: dict[str, str]) -> tuple[float, float, int]:
    """(median, min, exit code) of ``python -m prepmodel ARGS``."""
    times: list[float] = []
    code = 0
    for _ in range(repeat):
        elapsed, code = run_once(args, env)
        times.append(elapsed)
    return statistics.median(times), min(times), code


def time_rounds(
    commands: dict[str, list[str]], repeat: int, env: dict[str, str]
) -> dict[str, tuple[list[float], int]]:
    """Each command once per round, ``repeat`` rounds: label -> (times, exit code)."""
    out: dict[str, tuple[list[float], int]] = {label: ([], 0) for label in commands}
    for _ in range(repeat):
        for label, args in commands.items():
            elapsed, code = run_once(args, env)
            out[label] = (out[label][0] + [elapsed], code)
    return out


def time_call(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds of ``fn()`` over ``repeat`` runs, and the last result."""
    times: list[float] = []
    result: Any = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def phases(text: str, path: str, repeat: int) -> dict[str, float]:
    """In-process medians: parse, build, rules (graph included), journey (graph included)
    and the checkpoint JSON object. As in the command (cli.main), the cyclic garbage
    collector is off while they run."""
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _phases(text, path, repeat)
    finally:
        if gc_was_on:
            gc.enable()


def _phases(text: str, path: str, repeat: int) -> dict[str, float]:
    from prepmodel.checks.rules import RuleContext, run_rules
    from prepmodel.journey.core import Journey
    from prepmodel.model.core import build
    from prepmodel.model.graph import ModelGraph
    from prepmodel.syntax.parser import parse
    from prepmodel.views.checkpoints import journey_json

    parse("warm <- up", "warm.prep")  # builds the Lark parser once
    out: dict[str, float] = {}
    out["parse"], source = time_call(lambda: parse(text, path), repeat)
    out["build"], model = time_call(lambda: build(source), repeat)

    def rules() -> RuleContext:
        ctx = RuleContext(source, model)
        run_rules(ctx)
        return ctx

    out["rules"], _ = time_call(rules, repeat)

    def journey() -> Journey:  # with a fresh graph: its cached queries are part of the cost
        j = Journey.of(model, ModelGraph(model))
        j.goals()
        return j

    out["journey"], j = time_call(journey, repeat)
    out["json"], _ = time_call(lambda: journey_json(j), repeat)
    out["total"] = sum(out.values())
    return out


def journey_memory(text: str, path: str) -> tuple[int, int]:
    """Peak bytes (tracemalloc) of Journey.of + goals(): without and with the graph build."""
    from prepmodel.journey.core import Journey
    from prepmodel.model.core import build
    from prepmodel.model.graph import ModelGraph
    from prepmodel.syntax.parser import parse

    model = build(parse(text, path))
    graph = ModelGraph(model)
    gc.collect()
    tracemalloc.start()
    Journey.of(model, graph).goals()
    _, peak_only = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gc.collect()
    tracemalloc.start()
    Journey.of(model).goals()
    _, peak_all = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak_only, peak_all


def generated_goal(text: str) -> str:
    """The first goal of a generated model (a bare name on a `goal` line)."""
    for line in text.splitlines():
        if line.startswith("goal "):
            return line.split()[1].rstrip(",")
    raise ValueError("no goal")


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lang", choices=["en", "ja", "mixed"], default="ja")
    ap.add_argument("--out-dir", type=Path, default=HERE / "generated")
    ap.add_argument("--no-phases", action="store_true", help="skip the in-process phases")
    args = ap.parse_args(argv)
    sizes = sorted(args.sizes)
    env = _env()
    args.out_dir.mkdir(parents=True, exist_ok=True)

    print(
        f"python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs; "
        f"repeat {args.repeat}, lang {args.lang}, seed {args.seed}"
    )
    files: dict[int, Path] = {}
    for n in sizes:
        path = args.out_dir / f"m{n}-{args.lang}-s{args.seed}.prep"
        text = generate(n, args.seed, args.lang)
        path.write_text(text, encoding="utf-8")
        files[n] = path
        lines = text.count("\n")
        print(
            f"  generated {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
            f": {n} deliverables, {lines} lines, {len(text.encode()) / 1e6:.2f} MB"
        )
    print()

    version, _, _ = time_cli(["--version"], args.repeat, env)
    sample, _, sample_code = time_cli(["check", "samples/restaurant.prep"], args.repeat, env)
    check: dict[int, float] = {}
    # command -> size -> median of the per-round ratios to check
    over: dict[str, dict[int, float]] = {"checkpoints": {}, "fmt": {}, "diff": {}}
    cps: dict[int, float] = {}
    print(f"{'command':<48} {'median s':>9} {'min s':>7} {'exit':>5}  {'/ check':>7}")
    print(f"{'prep --version':<48} {version:9.3f}")
    print(f"{'prep check samples/restaurant.prep':<48} {sample:9.3f} {'':>7} {sample_code:5d}")
    for n in sizes:
        rel = str(files[n].relative_to(ROOT)) if files[n].is_relative_to(ROOT) else str(files[n])
        # fmt --check on the canonical form (what CI runs), diff against a copy with a
        # deliverable renamed everywhere (the renames are found by structure).
        canon = files[n].with_suffix(".fmt.prep")
        canon.write_text(format_source(files[n].read_text("utf-8")).text, encoding="utf-8")
        renamed = files[n].with_suffix(".renamed.prep")
        first_goal = generated_goal(canon.read_text("utf-8"))
        renamed.write_text(
            canon.read_text("utf-8").replace(first_goal, first_goal + "改"), encoding="utf-8"
        )
        commands = {
            "check": ["check", rel],
            "checkpoints": ["checkpoints", rel, "--format", "json"],
            "fmt": ["fmt", "--check", str(canon)],
            "diff": ["diff", str(canon), str(renamed)],
        }
        labels = {
            "check": "prep check",
            "checkpoints": "prep checkpoints --format json",
            "fmt": "prep fmt --check",
            "diff": "prep diff (one rename)",
        }
        got = time_rounds(commands, args.repeat, env)
        base = got["check"][0]
        check[n] = statistics.median(base)
        cps[n] = statistics.median(got["checkpoints"][0])
        for label, (times, code) in got.items():
            ratio = ""
            if label != "check":
                over[label][n] = statistics.median(t / b for t, b in zip(times, base, strict=True))
                ratio = f"{over[label][n]:7.2f}"
            print(
                f"{labels[label] + f' ({n})':<48} {statistics.median(times):9.3f} "
                f"{min(times):7.3f} {code:5d}  {ratio:>7}"
            )
    print()

    if not args.no_phases:
        print(
            f"{'in-process (median s)':<22}"
            + "".join(f"{p:>9}" for p in ("parse", "build", "rules", "journey", "json", "total"))
        )
        for n in sizes:
            text = files[n].read_text(encoding="utf-8")
            ph = phases(text, str(files[n]), args.repeat)
            print(
                f"{n:<22}"
                + "".join(
                    f"{ph[p]:9.3f}" for p in ("parse", "build", "rules", "journey", "json", "total")
                )
            )
        big = sizes[-1]
        only, with_graph = journey_memory(files[big].read_text(encoding="utf-8"), str(files[big]))
        print(
            f"journey peak memory ({big}): {only / 1e6:.1f} MB "
            f"(with graph build: {with_graph / 1e6:.1f} MB)"
        )
        print()

    small, big = sizes[0], sizes[-1]
    print("targets")
    print(
        f"  prep --version < {TARGETS['version']} s: {version:.3f} "
        f"{_mark(version < TARGETS['version'])}"
    )
    print(
        f"  check sample < {TARGETS['sample']} s: {sample:.3f} {_mark(sample < TARGETS['sample'])}"
    )
    print(
        f"  check {big} < {TARGETS['check_big']} s: {check[big]:.3f} "
        f"{_mark(check[big] < TARGETS['check_big'])}"
    )
    if big != small:
        ratio = check[big] / check[small]
        print(
            f"  check ratio {big}/{small} <= {TARGETS['ratio']}: {ratio:.2f} "
            f"{_mark(ratio <= TARGETS['ratio'])}"
        )
    print(
        f"  checkpoints {big} < {TARGETS['checkpoints_big']} s: {cps[big]:.3f} "
        f"{_mark(cps[big] < TARGETS['checkpoints_big'])}"
    )
    for label, key in (
        ("checkpoints", "cp_over_check"),
        ("fmt", "fmt_over_check"),
        ("diff", "diff_over_check"),
    ):
        r = over[label][big]
        shown = "fmt --check" if label == "fmt" else label
        print(
            f"  {shown}/check ({big}, median of per-round ratios) <= {TARGETS[key]}: "
            f"{r:.2f} {_mark(r <= TARGETS[key])}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

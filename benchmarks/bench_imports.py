"""Time `prep check` on a model split over imported files against the same model in one.

    PYTHONPATH=src python benchmarks/bench_imports.py [--size 10000] [--files 50] [--repeat 5]

The model comes from ``benchmarks/generate.py`` (``generate(size, seed, lang)``). The
split keeps its meaning exactly (docs/language.md, "Imports"): ``main.prep`` holds
everything up to the last `goal` statement (the `model` statement, roles, goals: an
imported file's `model` and `goal` statements would not count) followed by one `import`
per part; the remaining statements, cut at statement boundaries, go to
``parts/part-NN.prep`` in order. The imported text stands at the imports, so the
resolved model is the one-file model: the script checks that `prep checkpoints --format
json` prints the same bytes for both before timing anything.

Each figure is the median of ``--repeat`` runs of ``python -m prepmodel check`` in a
subprocess with the same interpreter; the two commands alternate (one, split, one, ...)
and the ratio is the median of the per-round ratios (this machine's speed drifts by ±20 %
over minutes). Target: split / one ≤ 1.3.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
if importlib.util.find_spec("prepmodel") is None:
    sys.path.insert(0, str(ROOT / "src"))

from bench_check import _env, run_once  # noqa: E402
from generate import generate  # noqa: E402

from prepmodel.syntax.parser import parse  # noqa: E402
from prepmodel.syntax.tree import DeclStmt  # noqa: E402

TARGET = 1.3


def split(text: str, files: int) -> tuple[str, list[str]]:
    """``text`` as a main file and ``files`` parts it imports, meaning the same model."""
    source = parse(text, "one.prep")
    if source.diagnostics:
        raise SystemExit("the generated model has syntax errors")
    lines = text.split("\n")
    statements = source.statements
    last_goal = max(
        i for i, st in enumerate(statements) if isinstance(st, DeclStmt) and st.keyword == "goal"
    )
    head_end = statements[last_goal].span.end_line  # lines [0, head_end) stay in main
    rest = statements[last_goal + 1 :]
    per_part = -(-len(rest) // files)
    parts: list[str] = []
    start = head_end
    for k in range(files):
        chunk = rest[k * per_part : (k + 1) * per_part]
        if not chunk:
            parts.append("")
            continue
        end = chunk[-1].span.end_line if k < files - 1 else len(lines)
        parts.append("\n".join(lines[start:end]) + "\n")
        start = end
    imports = [f'import "parts/part-{k + 1:02d}.prep"' for k in range(files)]
    main = "\n".join([*lines[:head_end], "", *imports]) + "\n"
    return main, parts


def write(folder: Path, text: str, files: int) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    one = folder / "one.prep"
    one.write_text(text, "utf-8")
    main, parts = split(text, files)
    (folder / "parts").mkdir(exist_ok=True)
    for old in (folder / "parts").glob("part-*.prep"):
        old.unlink()
    for k, part in enumerate(parts):
        (folder / "parts" / f"part-{k + 1:02d}.prep").write_text(part, "utf-8")
    split_main = folder / "main.prep"
    split_main.write_text(main, "utf-8")
    return one, split_main


def _placeless(value: object) -> object:
    """A checkpoints JSON object without ``line`` and ``file`` (where, not what)."""
    if isinstance(value, dict):
        return {k: _placeless(v) for k, v in value.items() if k not in ("line", "file")}
    if isinstance(value, list):
        return [_placeless(v) for v in value]
    return value


def same_model(one: Path, main: Path, env: dict[str, str]) -> None:
    """Both forms print the same checkpoints (but for where each line is), and neither
    has an error."""
    outs = []
    for path in (one, main):
        done = subprocess.run(
            [sys.executable, "-m", "prepmodel", "checkpoints", str(path), "--format", "json"],
            env=env,
            capture_output=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"prep checkpoints {path} failed:\n{done.stderr.decode()}")
        outs.append(_placeless(json.loads(done.stdout)))
    if outs[0] != outs[1]:
        raise SystemExit("the split model does not mean the same as the one-file model")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=10_000, help="deliverables (default 10000)")
    ap.add_argument("--files", type=int, default=50, help="imported files (default 50)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lang", choices=["en", "ja", "mixed"], default="ja")
    ap.add_argument("--out-dir", type=Path, default=HERE / "generated" / "imports")
    args = ap.parse_args(argv)

    env = _env()
    text = generate(args.size, args.seed, args.lang)
    one, split_main = write(args.out_dir, text, args.files)
    same_model(one, split_main, env)
    run_once(["check", str(one)], env)  # warm the caches (Lark tables, SudachiPy)
    ones: list[float] = []
    splits: list[float] = []
    ratios: list[float] = []
    for _ in range(args.repeat):
        t_one, code_one = run_once(["check", str(one)], env)
        t_split, code_split = run_once(["check", str(split_main)], env)
        if code_one != code_split:
            raise SystemExit(f"exit codes differ: one file {code_one}, split {code_split}")
        ones.append(t_one)
        splits.append(t_split)
        ratios.append(t_split / t_one)
    ratio = statistics.median(ratios)
    print(f"model: {args.size} deliverables ({args.lang}, seed {args.seed})")
    print(f"prep check, one file:            {statistics.median(ones):.3f} s (median)")
    print(f"prep check, main + {args.files} imports:  {statistics.median(splits):.3f} s (median)")
    verdict = "ok" if ratio <= TARGET else "MISSED"
    print(f"ratio split / one:               {ratio:.2f}  (target <= {TARGET}: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

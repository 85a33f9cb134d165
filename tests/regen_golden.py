"""Regenerate golden files. Tests never do this; run it by hand and review the diff.

    PYTHONPATH=src python tests/regen_golden.py --fmt      # tests/cases/fmt/*.out.prep

Each flag names one family of golden files; add a new family by writing a function that
returns the files it rewrote and registering it in ``FAMILIES``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

CASES = Path(__file__).resolve().parent / "cases"


def regen_fmt() -> list[Path]:
    """``NAME.in.prep`` -> ``NAME.out.prep`` through the formatter."""
    from prepmodel.fmt import format_source

    written: list[Path] = []
    for src in sorted((CASES / "fmt").glob("*.in.prep")):
        result = format_source(src.read_bytes().decode("utf-8"), src.name)
        if not result.ok:
            raise SystemExit(f"{src}: does not parse: {result.diagnostics[0].message}")
        out = src.with_name(src.name.removesuffix(".in.prep") + ".out.prep")
        data = result.text.encode("utf-8")
        if not out.exists() or out.read_bytes() != data:
            out.write_bytes(data)
            written.append(out)
    return written


FAMILIES: dict[str, tuple[str, Callable[[], list[Path]]]] = {
    "fmt": ("formatter cases: tests/cases/fmt/*.out.prep", regen_fmt),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, (help_text, _) in FAMILIES.items():
        parser.add_argument(f"--{name}", action="store_true", help=help_text)
    parser.add_argument("--all", action="store_true", help="every family")
    args = parser.parse_args(argv)
    chosen = [n for n in FAMILIES if args.all or getattr(args, n)]
    if not chosen:
        parser.error("name at least one family (or --all)")
    for name in chosen:
        written = FAMILIES[name][1]()
        for path in written:
            print(f"wrote {path.relative_to(CASES.parent.parent)}")
        print(f"{name}: {len(written)} file(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

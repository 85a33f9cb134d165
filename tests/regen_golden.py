"""Regenerate golden files. Tests never do this; run it by hand and review the diff.

    PYTHONPATH=src python tests/regen_golden.py --fmt      # tests/cases/fmt/*.out.prep
    PYTHONPATH=src python tests/regen_golden.py --diff     # tests/cases/diff/*/expected.*
    PYTHONPATH=src python tests/regen_golden.py --render   # tests/cases/render/*.dot

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
    from prepmodel.review.fmt import format_source

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


def diff_outputs(case: Path) -> dict[str, bytes]:
    """The golden files of one ``tests/cases/diff/CASE`` (old.prep -> new.prep)."""
    from prepmodel.checks.analysis import analyse_text
    from prepmodel.review.diff import semantic_diff
    from prepmodel.review.report import format_diff

    sides = [
        analyse_text((case / f).read_bytes().decode("utf-8"), f) for f in ("old.prep", "new.prep")
    ]
    d = semantic_diff(sides[0], sides[1])
    return {
        f"expected.{ext}": format_diff(d, fmt, False, "old.prep", "new.prep").encode()
        for ext, fmt in (("txt", "text"), ("md", "markdown"), ("json", "json"))
    }


def regen_diff() -> list[Path]:
    """``CASE/old.prep`` + ``CASE/new.prep`` -> ``CASE/expected.{txt,md,json}``."""
    written: list[Path] = []
    for case in sorted(p for p in (CASES / "diff").iterdir() if p.is_dir()):
        for name, data in diff_outputs(case).items():
            out = case / name
            if not out.exists() or out.read_bytes() != data:
                out.write_bytes(data)
                written.append(out)
    return written


ROOT = CASES.parent.parent

#: Golden diagrams: name -> (.prep file relative to the repository, DiagramOptions fields).
RENDER_CASES: dict[str, tuple[str, dict[str, object]]] = {
    "restaurant": ("samples/restaurant.prep", {}),
    "onboarding": ("samples/onboarding.prep", {}),
    "software-design": ("samples/software-design.prep", {}),
    "onboarding-TB": ("samples/onboarding.prep", {"direction": "TB"}),
    "onboarding-goal": ("samples/onboarding.prep", {"goal": "定着した顧客業務"}),
    "onboarding-focus": ("samples/onboarding.prep", {"focus": "設定済みテナント", "depth": 1}),
    "semantic-errors": ("tests/cases/render/semantic-errors.prep", {}),
}


def render_case_dot(name: str) -> bytes:
    """The DOT text of one golden diagram case, as ``prep render -o X.dot`` writes it."""
    from prepmodel.checks.analysis import analyse_text
    from prepmodel.model.core import identity
    from prepmodel.render import render
    from prepmodel.render.dot import DiagramOptions

    path, opts = RENDER_CASES[name]
    source = (ROOT / path).read_bytes().decode("utf-8")
    a = analyse_text(source, path)
    fields = dict(opts)
    for key in ("goal", "focus"):
        if key in fields:
            fields[key] = identity(str(fields[key]))
    return render(a, "dot", DiagramOptions(**fields)).data  # type: ignore[arg-type]


def regen_render() -> list[Path]:
    """Each of ``RENDER_CASES`` -> ``tests/cases/render/NAME.dot``."""
    written: list[Path] = []
    for name in RENDER_CASES:
        out = CASES / "render" / f"{name}.dot"
        data = render_case_dot(name)
        if not out.exists() or out.read_bytes() != data:
            out.write_bytes(data)
            written.append(out)
    return written


FAMILIES: dict[str, tuple[str, Callable[[], list[Path]]]] = {
    "fmt": ("formatter cases: tests/cases/fmt/*.out.prep", regen_fmt),
    "diff": ("semantic diff cases: tests/cases/diff/*/expected.*", regen_diff),
    "render": ("diagram DOT cases: tests/cases/render/*.dot", regen_render),
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

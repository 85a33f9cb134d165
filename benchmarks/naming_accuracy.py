"""Accuracy and speed of the NM01 naming analysis on the labelled name list.

Run ``python benchmarks/naming_accuracy.py [TSV] [--added v1|#12]``.  Prints precision,
recall and F1 for the ``action`` class, every misclassified name, and the time taken
(analyser start-up included, because the Japanese analyser is loaded lazily on the first
Japanese name).  The list is ``benchmarks/naming_labelled.tsv``: ``name, label, note,
added``; ``--added v1`` scores only the first 554 names (the list before issue #12),
``--added '#12'`` only the names added for it.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TSV = Path(__file__).resolve().parent / "naming_labelled.tsv"


@dataclass(frozen=True)
class Scores:
    """Confusion counts for the ``action`` class and the names that were got wrong."""

    tp: int
    fp: int
    fn: int
    tn: int
    wrong: list[tuple[str, str, str | None]]  # (name, expected label, reason if flagged)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load(path: Path = DEFAULT_TSV, added: str | None = None) -> list[tuple[str, str]]:
    """Read ``name<TAB>label[<TAB>note[<TAB>added]]`` rows after the header line; with
    ``added``, only the rows whose fourth column is that."""
    rows: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if added is not None and (cols[3].strip() if len(cols) > 3 else "") != added:
            continue
        rows.append((cols[0], cols[1].strip()))
    return rows


def score(rows: list[tuple[str, str]]) -> Scores:
    """Classify every row with :func:`prepmodel.checks.naming.action_like` and count."""
    from prepmodel.checks.naming import action_like

    tp = fp = fn = tn = 0
    wrong: list[tuple[str, str, str | None]] = []
    for name, label in rows:
        finding = action_like(name)
        flagged = finding is not None
        if flagged and label == "action":
            tp += 1
        elif flagged:
            fp += 1
        elif label == "action":
            fn += 1
        else:
            tn += 1
        if flagged != (label == "action"):
            wrong.append((name, label, finding.reason if finding else None))
    return Scores(tp, fp, fn, tn, wrong)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="NM01 precision and recall on a labelled list")
    parser.add_argument("tsv", nargs="?", type=Path, default=DEFAULT_TSV)
    parser.add_argument("--added", help="only rows added in this set (v1, #12)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    rows = load(args.tsv, args.added)
    start = time.perf_counter()
    result = score(rows)
    elapsed = time.perf_counter() - start
    print(f"names: {len(rows)}  (tp={result.tp} fp={result.fp} fn={result.fn} tn={result.tn})")
    print(f"precision (action): {result.precision:.3f}")
    print(f"recall    (action): {result.recall:.3f}")
    print(f"F1        (action): {result.f1:.3f}")
    print(f"time: {elapsed * 1000:.1f} ms for {len(rows)} names (analyser start-up included)")
    print(f"misclassified: {len(result.wrong)}")
    for name, label, reason in result.wrong:
        got = f"flagged: {reason}" if reason else "not flagged"
        print(f"  {name!r}: labelled {label}, {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

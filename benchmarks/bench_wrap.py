"""Time ``wrap_label`` on 2,000 distinct Japanese labels (word-aware wrapping, issue #9).

    PYTHONPATH=src python benchmarks/bench_wrap.py [--count 2000] [--repeat 3]

Prints, with ``time.perf_counter``:

* start-up     the first wrap that needs the analysers (loads budoux and the SudachiPy
               dictionary; paid once per process, only by commands that wrap Japanese)
* cold         wrapping every label at the deliverable-name size (150 pt, 13 pt font) and
               at the work-text size (90 pt, 10 pt font) with empty caches (median of runs)
* cached       the same again with the caches filled (what a second view of a model costs)
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if importlib.util.find_spec("prepmodel") is None:
    sys.path.insert(0, str(ROOT / "src"))

HEADS = [
    "顧客",
    "契約",
    "導入",
    "オンボーディング",
    "エグゼクティブ",
    "ToBe",
    "KPI",
    "月次",
    "年次",
    "解約防止",
    "アップセル",
    "e-Tax",
    "四半期",
    "SLA",
    "データ移行",
    "新規顧客",
]
CORES = [
    "ビジネスレビュー",
    "ワークショップ",
    "業務設計",
    "ヘルススコア",
    "カスタマーサクセス",
    "利用状況",
    "ダッシュボード",
    "受入テスト",
    "プロジェクト体制",
    "効果測定",
    "要件定義",
    "ライセンス更新",
    "キックオフミーティング",
    "申告",
]
TAILS = [
    "計画書",
    "報告書",
    "議事録",
    "結果表",
    "定義書",
    "資料",
    "書控え",
    "一覧",
    "フロー図",
    "見積書",
    "(改訂版)",
    "チェックリスト",
]
SIZES = [(150.0, 13.0), (90.0, 10.0)]


def labels(count: int) -> list[str]:
    """``count`` distinct labels, deterministic (longer ones joined with の)."""
    short = ["".join(parts) for parts in itertools.product(HEADS, CORES, TAILS)]
    longer = [f"{first}の{second}" for first, second in zip(short, reversed(short), strict=True)]
    return list(dict.fromkeys(short + longer))[:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from prepmodel.render import measure, wrap

    texts = labels(args.count)
    start = time.perf_counter()
    measure.wrap_label("エグゼクティブビジネスレビュー資料", 90.0, 10.0)
    startup = time.perf_counter() - start

    def run() -> float:
        begin = time.perf_counter()
        for width, size in SIZES:
            for text in texts:
                measure.wrap_label(text, width, size)
        return time.perf_counter() - begin

    cold: list[float] = []
    for _ in range(args.repeat):
        measure._wrap.cache_clear()
        wrap.word_cuts.cache_clear()
        cold.append(run())
    cached = run()
    wrapped = sum(len(measure.wrap_label(text, *SIZES[0])) > 1 for text in texts)
    calls = len(texts) * len(SIZES)
    print(f"labels       {len(texts)} distinct ({wrapped} need more than one line at 150 pt)")
    print(f"start-up     {startup * 1000:8.1f} ms  (budoux + SudachiPy dictionary, once)")
    print(
        f"cold         {statistics.median(cold) * 1000:8.1f} ms  for {calls} wraps "
        f"({statistics.median(cold) / calls * 1e6:.0f} µs each)"
    )
    print(f"cached       {cached * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

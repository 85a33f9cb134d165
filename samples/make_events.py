"""Write samples/onboarding-events.csv: facts "customer C produced deliverable D on date T"
for samples/onboarding.prep, for `prep progress` (README, docs/progress.md).

Seeded and deterministic: the same file every run (`python samples/make_events.py [OUT]`).
Thirty customers start between October 2025 and March 2026 with their contract and move
along the journey in step order at their own pace; some stop. A few facts contradict the
model on purpose, as real exports do: a misspelt name, a fact entered twice, a deliverable
dated before one of its inputs.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "onboarding-events.csv"
# The journey of samples/onboarding.prep in step order (`prep checkpoints`), with the usual
# number of days each takes once its inputs are there.
JOURNEY = [
    ("成功定義書", 5),
    ("導入計画書", 7),
    ("設定済みテナント", 10),
    ("新業務フロー図", 6),
    ("トレーニング資料", 8),
    ("教育済みユーザー", 12),
    ("稼働中の業務フロー", 15),
    ("ヘルススコア定義書", 4),
    ("効果測定レポート", 30),
    ("定着した顧客業務", 20),
    ("更新提案書", 10),
    ("更新契約", 14),
]
AS_OF = date(2026, 3, 31)


def main(out: Path = OUT) -> None:
    rng = random.Random(16)
    rows: list[tuple[str, str, str]] = []
    for n in range(1, 31):
        customer = f"顧客{n:03d}"
        day = date(2025, 10, 1) + timedelta(days=rng.randint(0, 165))
        rows.append((customer, "契約書", day.isoformat()))
        pace = rng.uniform(0.6, 1.8)
        stop = rng.choice([2, 3, 4, 6, 7, 9, 12, 12, 12])
        for name, days in JOURNEY[:stop]:
            day += timedelta(days=max(1, round(days * pace * rng.uniform(0.7, 1.3))))
            if day > AS_OF:
                break
            rows.append((customer, name, day.isoformat()))
    # what real exports contain
    rows.append(("顧客004", "導入計画 書", "2025-12-01"))  # misspelt: reported, did-you-mean
    rows.append((rows[5][0], rows[5][1], rows[5][2]))  # the same fact entered twice
    rows.append(("顧客031", "ヘルススコア定義書", "2026-02-02"))  # before its input
    rows.append(("顧客031", "成功定義書", "2026-02-10"))
    rows.append(("顧客031", "契約書", "2026-02-01"))
    rows.sort(key=lambda r: (r[2], r[0], r[1]))
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["customer", "deliverable", "date"])
        w.writerows(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)

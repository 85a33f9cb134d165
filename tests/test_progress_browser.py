"""The `prep progress` HTML report in a real browser (headless Chromium via Playwright):
it opens from a file with no network request at all, and its charts are there, drawn, with
the numbers of the JSON output. Skipped without Chromium or Playwright (tests/test_browser.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SAMPLES, run_prep
from tests.test_browser import _launch, pytestmark, sync_playwright

__all__ = ["pytestmark"]

MODEL = SAMPLES / "onboarding.prep"
EVENTS = SAMPLES / "onboarding-events.csv"


def test_report_opens_offline_with_charts(tmp_path: Path) -> None:
    out = tmp_path / "progress.html"
    args = ["progress", str(MODEL), "--events", str(EVENTS), "--as-of", "2026-03-31"]
    r = run_prep(*args, "-o", str(out))
    assert r.returncode == 1 and out.is_file(), r.stderr  # 1: the sample's data problems
    data = json.loads(run_prep(*args, "-f", "json").stdout)
    requests: list[str] = []
    with sync_playwright() as p:
        browser = _launch(p)
        try:
            page = browser.new_page()
            page.on("request", lambda req: requests.append(req.url))
            page.route("http*://**", lambda route: route.abort())
            page.goto(out.as_uri())
            found: dict[str, Any] = page.evaluate(
                """() => {
                  const bars = cls => [...document.querySelectorAll(`svg.chart.${cls} g.bar`)]
                    .map(g => ({label: g.dataset.label, value: Number(g.dataset.value),
                                width: g.querySelector('rect').getBBox().width}));
                  return {
                    title: document.title,
                    headings: [...document.querySelectorAll('h1, h2')].map(h => h.textContent),
                    funnel: bars('funnel'), status: bars('status'), stuck: bars('stuck'),
                    rows: document.querySelectorAll('table.customers tbody tr').length,
                    cohorts: document.querySelectorAll('table.cohorts tbody tr').length,
                  };
                }"""
            )
        finally:
            browser.close()
    assert requests == [out.as_uri()]  # the page itself, nothing else
    assert "ファネル" in found["headings"] and "データの問題" in found["headings"]
    assert found["title"].startswith("顧客の進捗")
    funnel = found["funnel"]
    assert [b["value"] for b in funnel] == [f["reached"] for f in data["funnel"]]
    assert [b["label"].split(". ", 1)[1] for b in funnel] == [f["name"] for f in data["funnel"]]
    widths = [b["width"] for b in funnel]
    assert widths == sorted(widths, reverse=True) and widths[0] > 100 and widths[-1] > 0
    statuses = {b["label"]: b["value"] for b in found["status"]}
    assert statuses == {
        "完了": data["summary"]["done"],
        "順調": data["summary"]["on-track"],
        "遅れ": data["summary"]["behind"],
        "停滞": data["summary"]["stuck"],
    }
    assert sum(b["value"] for b in found["stuck"]) == data["summary"]["stuck"]
    not_done = sum(1 for c in data["customers"] if c["status"] != "done")
    assert found["rows"] == not_done and found["cohorts"] == len(data["cohorts"])

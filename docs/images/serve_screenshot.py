"""Take docs/images/serve.png: `prep serve` on the onboarding sample in headless Chromium at
1920×1080, a deliverable selected, the diagnostics open (one warning added to a copy).

    python docs/images/serve_screenshot.py            # from the repository root
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="serve-shot-"))
    model = folder / "onboarding.prep"
    shutil.copy(ROOT / "samples" / "onboarding.prep", model)
    with model.open("a", encoding="utf-8") as extra:
        extra.write("external 議事録テンプレート\n")  # GP02: an external nothing uses
    process = subprocess.Popen(
        [sys.executable, "-m", "prepmodel", "serve", model.name, "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().split(" at ")[1].split()[0]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=os.environ.get("PREP_CHROMIUM", "/usr/bin/chromium"),
                args=["--no-sandbox", "--disable-gpu"],
            )
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(url)
            page.wait_for_function(
                "() => prepServe.shown() > 0 && document.body.dataset.conn === 'connected'"
            )
            frame = page.frame_locator("iframe.front")
            frame.locator('g.node.deliverable[data-name="導入計画書"]').first.click()
            page.locator("#diag-toggle").click()
            page.evaluate("document.fonts.ready")
            page.wait_for_timeout(300)
            page.screenshot(path=str(ROOT / "docs" / "images" / "serve.png"))
            browser.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

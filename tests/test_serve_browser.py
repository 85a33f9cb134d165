"""`prep serve` in a real headless Chromium (Playwright with the system ``chromium``; skipped
without them, as ``test_browser.py``): the real server on a free port of 127.0.0.1, the
model edited on disk, the page watched until it shows the change.

CI runs the first three (edit → new deliverable with zoom and selection kept, syntax error →
overlay over the dimmed diagram → fixed, click → panel and file:line in the editor) and the
hostile-names test; the rest are marked slow.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import SAMPLES
from .serving import Server, save
from .test_browser import ARGS, CHROMIUM
from .test_browser import pytestmark as browser_marks

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

pytestmark = browser_marks
WIDTH, HEIGHT = 1920, 1080
RESTAURANT = (SAMPLES / "restaurant.prep").read_text("utf-8")
RECEIPT = RESTAURANT + '\ngoal Receipt\nReceipt <- Bill { work: "Hand over the receipt" }\n'


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Live:
    """The live page of one server at 1920×1080, recording dialogs and script errors."""

    def __init__(self, browser: Browser, server: Server) -> None:
        self.server = server
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page: Page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(server.url)
        self.wait("document.body.dataset.conn === 'connected'")

    def wait(self, condition: str, timeout: float = 30_000) -> None:
        self.page.wait_for_function(f"() => {condition}", timeout=timeout)

    def wait_node(self, name: str, timeout: float = 30_000) -> None:
        """Until the frame shown has a deliverable box named ``name``."""
        self.page.wait_for_function(
            "n => { const f = prepServe.frame(); return !!(f && f.contentDocument && "
            "[...f.contentDocument.querySelectorAll('g.node.deliverable')]"
            ".some(g => g.dataset.name === n)); }",
            arg=name,
            timeout=timeout,
        )

    def names(self) -> set[str]:
        return set(
            self.page.evaluate(
                "[...prepServe.frame().contentDocument.querySelectorAll('g.node.deliverable')]"
                ".map(g => g.dataset.name)"
            )
        )

    def view(self) -> dict[str, float]:
        return self.page.evaluate("prepServe.viewer().view()")  # type: ignore[no-any-return]

    def shown(self) -> int:
        return int(self.page.evaluate("prepServe.shown()"))

    def frame(self) -> Any:
        return self.page.frame_locator("iframe.front")

    def close(self) -> None:
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs
        self.page.close()


@pytest.fixture
def model(tmp_path: Path) -> Path:
    path = tmp_path / "restaurant.prep"
    path.write_text(RESTAURANT, "utf-8")
    return path


@pytest.fixture
def live(browser: Browser) -> Iterator[Any]:
    made: list[Live] = []

    def open_page(server: Server) -> Live:
        made.append(Live(browser, server))
        return made[-1]

    yield open_page
    for page in made:
        page.close()


def test_edit_shows_the_new_deliverable_and_keeps_zoom_and_selection(
    model: Path, live: Any
) -> None:
    with Server(model) as server:
        page = live(server)
        page.wait_node("Bill")
        assert "Receipt" not in page.names()
        page.frame().locator('g.node.deliverable[data-name="Bill"]').first.click()
        page.page.keyboard.press("+")
        page.page.keyboard.press("+")
        zoomed = page.view()
        fitted = page.page.evaluate("prepServe.frame().prepFitted")
        assert zoomed["scale"] > fitted["scale"] * 1.3
        first = page.shown()

        save(model, RECEIPT)
        page.wait_node("Receipt")
        assert page.shown() > first
        assert page.view() == pytest.approx(zoomed, abs=0.5)
        selected = page.page.evaluate("prepServe.viewer().selected()")
        data = page.page.evaluate(
            "JSON.parse(prepServe.frame().contentDocument.getElementById('prep-data').textContent)"
        )
        assert {d["id"]: d["name"] for d in data["deliverables"]}[selected] == "Bill"
        assert "Bill" in page.frame().locator("#panel h2").inner_text()
        rc, out, err = server.stop()
    assert rc == 0 and "Traceback" not in err, err
    assert out.rstrip().endswith("prep: stopped")


def test_syntax_error_dims_the_last_diagram_under_an_overlay_until_fixed(
    model: Path, live: Any
) -> None:
    with Server(model) as server:
        page = live(server)
        page.wait_node("Bill")
        shown = page.shown()
        broken = RESTAURANT + '"Tip <- Bill\n'  # line 13: an unclosed quote
        save(model, broken)
        page.wait("document.body.dataset.status === 'error'")
        overlay = page.page.locator("#overlay")
        assert overlay.is_visible()
        text = overlay.inner_text()
        assert "Line 13" in text and "PS01" in text and '"Tip <- Bill' in text
        opacity = page.page.evaluate("getComputedStyle(prepServe.frame()).opacity")
        assert float(opacity) < 0.5
        assert page.shown() == shown and "Bill" in page.names()  # the last good one stays
        assert page.page.locator("#diag").is_visible()
        assert page.page.locator("#diag li[data-code=PS01]").count() == 1

        save(model, RECEIPT)
        page.wait_node("Receipt")
        page.wait("document.body.dataset.status === 'ok'")
        assert not overlay.is_visible()
        assert float(page.page.evaluate("getComputedStyle(prepServe.frame()).opacity")) == 1


def test_click_shows_file_line_and_opens_the_editor(model: Path, live: Any, tmp_path: Path) -> None:
    record = tmp_path / "opened.json"
    editor = tmp_path / "editor.py"
    editor.write_text(
        f"import json, sys\nopen({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n",
        "utf-8",
    )
    command = f"{sys.executable} {editor} --goto {{file}}:{{line}}:{{column}}"
    with Server(model, "--editor", command) as server:
        page = live(server)
        page.wait_node("Cooked dish")
        page.frame().locator('g.node.deliverable[data-name="Cooked dish"]').first.click()
        source = page.frame().locator("#panel dd.src code")
        assert source.inner_text() == f"{model.name}:8"  # where "Cooked dish" is first named
        route = page.frame().locator("#panel .routes code").first
        assert route.inner_text() == f"{model.name}:9"  # its route
        route.click()
        deadline = time.monotonic() + 10
        while not record.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert json.loads(record.read_text("utf-8")) == ["--goto", f"{model.resolve()}:9:1"]
        assert page.page.locator("#source").is_visible()
        assert page.page.locator("#source .row.at").inner_text().startswith("9")
        assert '"Cooked dish"' in page.page.locator("#source .row.at").inner_text()
        page.page.locator("#diag-toggle").click()  # the focus is on the live bar now
        page.page.keyboard.press("Escape")  # closes the source pane
        assert not page.page.locator("#source").is_visible()
        page.page.keyboard.press("+")  # and the viewer's keys still reach the viewer
        fitted = page.page.evaluate("prepServe.frame().prepFitted")
        assert page.view()["scale"] > fitted["scale"] * 1.1


HOSTILE = """model "</script><script>alert('title')</script>" { note: "<img src=x onerror=alert('note')>" }
goal "\\"><img src=x onerror=alert('goal')>"
external "<script>alert('ext')</script>", "Menu"
"\\"><img src=x onerror=alert('goal')>" <- "<script>alert('ext')</script>", Menu { work: "</title><script>alert('work')</script>"; by: "\\"><svg onload=alert('by')>" }
deliverable "\\"><img src=x onerror=alert('goal')>" { kpi: "<img src=x onerror=alert('kpi')>"; owner: "<b onmouseover=alert('owner')>x</b>" }
"""  # noqa: E501


def test_hostile_names_attributes_and_titles_never_run(tmp_path: Path, live: Any) -> None:
    path = tmp_path / "<img src=x onerror=alert('file')>.prep"
    path.write_text(HOSTILE, "utf-8")
    with Server(path) as server:
        page = live(server)
        page.wait("prepServe.shown() > 0")
        goal = "\"><img src=x onerror=alert('goal')>"
        page.wait_node(goal)
        page.frame().locator("g.node.deliverable").first.click()
        page.frame().locator("g.node.deliverable").last.click()
        page.page.locator("#diag-toggle").click()
        # an edit that breaks it: the overlay and the diagnostics show the hostile line
        save(path, HOSTILE + "\"<img src=x onerror=alert('broken')> <- \n")
        page.wait("document.body.dataset.status === 'error'")
        assert "onerror" in page.page.locator("#overlay").inner_text()
        page.page.locator("#diag li.diagnostic").first.click()
        page.page.wait_for_selector("#source:not([hidden])")
        images = page.page.evaluate(
            "document.querySelectorAll('img').length +"
            " prepServe.frame().contentDocument.querySelectorAll('img, svg [onload]').length"
        )
        assert images == 0
        status, headers, _ = server.get("/view")
        assert status == 200 and "script-src 'sha256-" in headers["content-security-policy"]
    # Live.close (the fixture) asserts that no dialog opened and no script error happened


@pytest.mark.slow
def test_two_pages_both_update(model: Path, live: Any) -> None:
    with Server(model) as server:
        first, second = live(server), live(server)
        first.wait_node("Bill")
        second.wait_node("Bill")
        save(model, RECEIPT)
        first.wait_node("Receipt")
        second.wait_node("Receipt")


@pytest.mark.slow
def test_fifty_quick_saves_end_on_the_last_version(model: Path, live: Any) -> None:
    with Server(model) as server:
        page = live(server)
        page.wait_node("Bill")
        for n in range(1, 51):
            model.write_text(RESTAURANT + f"\ngoal Tip{n}\nTip{n} <- Bill\n", "utf-8")
            time.sleep(0.01)
        page.wait_node("Tip50")
        page.wait("document.body.dataset.status === 'ok'")
        time.sleep(1.0)  # nothing later may replace it
        names = page.names()
        assert "Tip50" in names and not any(f"Tip{n}" in names for n in range(1, 50))
        state = json.loads(server.get("/state")[2])
        assert state["status"] == "ok" and state["shown"] == page.shown()


@pytest.mark.slow
def test_deleted_model_shows_a_message_and_recovers(model: Path, live: Any) -> None:
    with Server(model) as server:
        page = live(server)
        page.wait_node("Bill")
        moved = model.with_name("elsewhere.prep")
        os.replace(model, moved)  # renamed away, as some tools do
        page.wait("document.body.dataset.status === 'missing'")
        assert "gone" in page.page.locator("#overlay").inner_text()
        assert "Bill" in page.names()
        moved.write_text(RECEIPT, "utf-8")
        os.replace(moved, model)
        page.wait_node("Receipt")
        page.wait("document.body.dataset.status === 'ok'")


@pytest.mark.slow
def test_diagnostic_click_shows_its_line(tmp_path: Path, live: Any) -> None:
    path = tmp_path / "gap.prep"
    path.write_text(RESTAURANT + "Bill <- Invoice\n", "utf-8")  # a gap on line 13
    with Server(path) as server:
        page = live(server)
        page.wait_node("Invoice")
        page.page.locator("#diag-toggle").click()
        item = page.page.locator("#diag li[data-code=GP01]")
        assert "gap.prep:13" in item.inner_text()
        item.click()
        page.page.wait_for_selector("#source:not([hidden])")
        assert page.page.locator("#source .row.at").get_attribute("data-line") == "13"


@pytest.mark.slow
def test_connection_state_and_reconnect(model: Path, live: Any) -> None:
    with Server(model) as server:
        page = live(server)
        page.wait_node("Bill")
        port = server.port
        server.stop()
    page.wait("document.body.dataset.conn === 'reconnecting'")
    assert page.page.locator("#conn").inner_text().startswith("Disconnected")
    save(model, RECEIPT)
    again = Server(model, "--port", str(port))  # the later --port wins over --port 0
    try:
        page.wait("document.body.dataset.conn === 'connected'", timeout=60_000)
        page.wait_node("Receipt")
    finally:
        again.stop()

"""`prep serve --when` (contract §9): the live preview draws the scenario as `prep render
--when` does, its exports are the command line's bytes, and the page says which scenario
it shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from prepmodel.serve.build import Settings, build

from .conftest import SAMPLES, run_prep
from .serving import Server

SAMPLE = (SAMPLES / "kakutei-shinkoku.prep").read_text("utf-8")


def test_a_build_with_when(tmp_path: Path) -> None:
    done = build(SAMPLE.encode(), "k.prep", tmp_path, Settings(when="自分で"))
    assert done.status == "ok" and done.scenario == ("自分で",)
    assert done.page is not None
    page = done.page.decode("utf-8")
    assert "<h1>確定申告 — シナリオ：自分で</h1>" in page
    assert "out&#45;of&#45;scenario" in page or "out-of-scenario" in page
    hidden = build(SAMPLE.encode(), "k.prep", tmp_path, Settings(when="自分で", when_hide=True))
    assert hidden.page is not None and "out&#45;of&#45;scenario" not in hidden.page.decode()
    wrong = build(SAMPLE.encode(), "k.prep", tmp_path, Settings(when="自分でｘ"))
    assert wrong.status == "error"
    assert wrong.message == "SC01 no route mentions the scenario '自分でｘ'; did you mean '自分で'?"
    plain = build(SAMPLE.encode(), "k.prep", tmp_path, Settings())
    assert plain.scenario == () and plain.page is not None
    assert "シナリオ：" not in plain.page.decode("utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Server:
    folder = tmp_path_factory.mktemp("serve-when")
    model = folder / "確定申告.prep"
    model.write_text(SAMPLE, "utf-8")
    server = Server(model, "--when", "自分で", "--when-hide")
    yield server  # type: ignore[misc]
    rc, _, err = server.stop()
    assert rc == 0 and "Traceback" not in err, err


def test_serve_passes_when_through(served: Server, tmp_path: Path) -> None:
    status, _headers, shell = served.get("/")
    assert status == 200
    assert '<span id="live-scenario">シナリオ：自分で</span>' in shell.decode("utf-8")
    connection, state = served.events()
    connection.close()
    assert state["status"] == "ok" and state["scenario"] == ["自分で"]
    folder = served.model.parent
    for name, args in [
        ("svg", ["render", served.model.name, "-o", str(tmp_path / "x.svg")]),
        ("csv", ["checkpoints", served.model.name, "--format", "csv"]),
    ]:
        status, _headers, data = served.get(f"/export/{name}")
        assert status == 200, name
        result = run_prep(
            *args, "--when", "自分で", *(["--when-hide"] if name == "svg" else []), cwd=folder
        )
        assert result.returncode == 0, result.stderr.decode()
        expected = (tmp_path / "x.svg").read_bytes() if name == "svg" else result.stdout
        assert data == expected, name
    assert "シナリオ：自分で" in (tmp_path / "x.svg").read_text("utf-8")


def test_when_hide_alone_is_a_usage_error(tmp_path: Path) -> None:
    model = tmp_path / "k.prep"
    model.write_text(SAMPLE, "utf-8")
    done = run_prep("serve", str(model), "--port", "0", "--when-hide")
    assert done.returncode == 2 and "--when-hide needs --when" in done.stderr.decode()

"""`prep serve` follows imports (contract §8): it watches the imported files too and
builds again when one changes, or when an import that could not be read comes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .serving import Server, save

MAIN = (
    'model 導入 { lang: ja }\nimport "patterns/kickoff.prep"\ngoal 計画書\n計画書 <- 成功定義書\n'
)
PATTERN = "external 契約書\n成功定義書 <- 契約書 { work: キックオフ }\n"


def state_when(server: Server, wanted: Any, timeout: float = 30) -> dict[str, Any]:
    """The served state, once ``wanted(state)`` holds (each look is a fresh page)."""
    deadline = time.monotonic() + timeout
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        connection, state = server.events()
        connection.close()
        if wanted(state):
            return state
        time.sleep(0.1)
    raise AssertionError(f"the preview never showed what was expected: {state}")


def found(state: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(d["code"], d["file"], d["line"]) for d in state["diagnostics"]]


def test_a_change_to_an_imported_file_rebuilds(tmp_path: Path) -> None:
    (tmp_path / "patterns").mkdir()
    pattern = tmp_path / "patterns" / "kickoff.prep"
    pattern.write_text(PATTERN, "utf-8")
    model = tmp_path / "main.prep"
    model.write_text(MAIN, "utf-8")
    with Server(model) as server:
        first = state_when(server, lambda s: s["status"] == "ok")
        assert found(first) == []
        # The imported file is saved with a gap: the preview lists it, in that file.
        save(pattern, PATTERN.replace("<- 契約書", "<- 契約書, 議事録"))
        broken = state_when(server, lambda s: s["shown"] > first["shown"] and s["diagnostics"])
        assert found(broken) == [("GP01", "patterns/kickoff.prep", 2)]
        excerpt = broken["diagnostics"][0]["excerpt"]
        assert excerpt.startswith("成功定義書 <- 契約書, 議事録")  # the line of that file
        # The imported file is removed: IM01 at the import line; when it comes back, the
        # model builds again without touching main.prep.
        pattern.unlink()
        gone = state_when(server, lambda s: s["status"] == "error")
        assert "IM01" in gone["message"] and gone["message"].startswith("main.prep:2:1:")
        save(pattern, PATTERN)
        back = state_when(server, lambda s: s["status"] == "ok")
        assert found(back) == []

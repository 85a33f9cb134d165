"""The editor packages: the TextMate grammar highlights the samples (checked with the
Python port of vscode-textmate), the VS Code extension builds into a .vsix with the right
contents (npm; slow), and the Neovim snippet starts the server in a real headless Neovim."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES
from tests.lsp_client import server_command

VSCODE = ROOT / "editors" / "vscode"
NVIM = ROOT / "editors" / "nvim"
GRAMMAR = VSCODE / "syntaxes" / "prep.tmLanguage.json"


@pytest.fixture(scope="module")
def highlight() -> object:
    import logging

    from textmate_grammar.parsers.base import LanguageParser

    logging.getLogger("textmate_grammar").setLevel(logging.ERROR)  # it logs every gap
    parser = LanguageParser(json.loads(GRAMMAR.read_text(encoding="utf-8")))

    def scopes(text: str) -> dict[tuple[int, int, str], str]:
        """(line, column, token text) -> its innermost scope."""
        element = parser.parse_string(text)
        assert element is not None
        return {
            (line, column, token): names[-1] for (line, column), token, names in element.flatten()
        }

    return scopes


def test_grammar_on_the_restaurant_sample(highlight: object) -> None:
    scopes = highlight((SAMPLES / "restaurant.prep").read_text(encoding="utf-8"))  # type: ignore[operator]
    lines = (SAMPLES / "restaurant.prep").read_text(encoding="utf-8").split("\n")
    by_text: dict[str, set[str]] = {}
    for (_, _, token), scope in scopes.items():
        by_text.setdefault(token, set()).add(scope)
    assert "keyword.control.statement.prep" in by_text["goal"]
    assert "keyword.control.statement.prep" in by_text["external"]
    assert "keyword.operator.arrow.prep" in by_text["<-"]
    assert "entity.name.function.output.prep" in by_text['"Order slip"']
    assert "variable.other.property.key.prep" in by_text["work"]
    assert "variable.other.property.key.prep" in by_text["by"]
    assert any(line.startswith("#") for line in lines)
    assert "comment.line.number-sign.prep" in by_text[lines[0][1:]]


def test_grammar_on_japanese_phases_and_ignores(highlight: object) -> None:
    text = (SAMPLES / "onboarding.prep").read_text(encoding="utf-8")
    text += "\n𠮷田さんの依頼書 <- 契約書  # prep: ignore[RC01]\n"
    text += "group 導入キット = 契約書, 製品マニュアル\n"
    scopes = highlight(text)  # type: ignore[operator]
    found = {(token, scope) for (_, _, token), scope in scopes.items()}
    assert ("Land", "entity.name.section.phase.prep") in found
    assert ("phase", "keyword.control.statement.prep") in found
    assert ("𠮷田さんの依頼書", "entity.name.function.output.prep") in found
    assert ("prep: ignore[RC01]", "keyword.other.directive.ignore.prep") in found
    assert ("導入キット", "entity.name.type.group.prep") in found
    # A keyword is a keyword only at the start of a statement.
    quoted = highlight('A <- "goal", B\n')  # type: ignore[operator]
    assert not [s for (_, _, t), s in quoted.items() if "keyword.control" in s]


def test_language_configuration_and_manifest() -> None:
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    language = manifest["contributes"]["languages"][0]
    assert language["id"] == "prep" and language["extensions"] == [".prep"]
    assert manifest["contributes"]["grammars"][0]["scopeName"] == "source.prep"
    config = json.loads((VSCODE / "language-configuration.json").read_text(encoding="utf-8"))
    assert config["comments"]["lineComment"] == "#"
    assert {"open": '"', "close": '"', "notIn": ["string", "comment"]} in config["autoClosingPairs"]
    assert "vscode-languageclient" in manifest["dependencies"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("npm") is None, reason="needs node and npm (apt-get install npm)")
def test_vsix_builds_with_its_contents(tmp_path: Path) -> None:
    work = tmp_path / "vscode"
    shutil.copytree(VSCODE, work, ignore=shutil.ignore_patterns("node_modules", "dist", "*.vsix"))
    done = subprocess.run(
        ["bash", str(work / "build.sh"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    version = json.loads((VSCODE / "package.json").read_text())["version"]
    vsix = tmp_path / "out" / f"prep-language-{version}.vsix"
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        assert {
            "extension.vsixmanifest",
            "extension/package.json",
            "extension/dist/extension.js",
            "extension/syntaxes/prep.tmLanguage.json",
            "extension/language-configuration.json",
        } <= names
        assert not [n for n in names if "node_modules" in n or n.endswith("build.sh")]
        assert archive.read("extension/syntaxes/prep.tmLanguage.json") == GRAMMAR.read_bytes()
        bundle = archive.read("extension/dist/extension.js").decode()
        assert "prep.restartServer" in bundle and "serve" in bundle
        assert '"lsp"' in bundle  # the command it starts: prep lsp
        packaged = json.loads(archive.read("extension/package.json"))
        assert packaged["main"] == "./dist/extension.js"
    checked = subprocess.run(["node", "--check", str(work / "dist" / "extension.js")])
    assert checked.returncode == 0


NVIM_DRIVER = """
vim.cmd("filetype on")
vim.g.prep_command = vim.fn.json_decode(os.getenv("PREP_COMMAND"))
dofile(os.getenv("PREP_LUA"))
vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("PREP_FILE")))
vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local out = { filetype = vim.bo.filetype, diagnostics = {} }
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out.diagnostics, { line = d.lnum, col = d.col, code = d.code })
end
-- Go to the definition of the name under the cursor (line 7, on the typo's neighbour).
vim.api.nvim_win_set_cursor(0, { 7, 20 })
local params = vim.lsp.util.make_position_params()
local results = vim.lsp.buf_request_sync(0, "textDocument/definition", params, 10000) or {}
for _, r in pairs(results) do out.definition = r.result end
vim.fn.writefile({ vim.fn.json_encode(out) }, os.getenv("PREP_OUT"))
vim.cmd("qa!")
"""


@pytest.mark.skipif(shutil.which("nvim") is None, reason="needs Neovim (apt-get install neovim)")
def test_neovim_snippet_starts_the_server(tmp_path: Path) -> None:
    from tests.test_lsp import JA_MODEL

    model = tmp_path / "ja.prep"
    model.write_text(JA_MODEL, encoding="utf-8")
    driver = tmp_path / "drive.lua"
    driver.write_text(NVIM_DRIVER, encoding="utf-8")
    out = tmp_path / "out.json"
    env = {
        **os.environ,
        "PREP_COMMAND": json.dumps(server_command()),
        "PREP_LUA": str(NVIM / "prep.lua"),
        "PREP_FILE": str(model),
        "PREP_OUT": str(out),
    }
    subprocess.run(
        ["nvim", "--headless", "-u", "NONE", "-i", "NONE", "-c", f"luafile {driver}"],
        env=env,
        timeout=120,
        capture_output=True,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["filetype"] == "prep"
    gap = next(d for d in result["diagnostics"] if d["code"] == "GP01")
    # Neovim turns the server's columns into byte columns: 𠮷 is four bytes, so the typo
    # after it starts at byte 40 of line 7 whatever encoding was negotiated.
    assert (gap["line"], gap["col"]) == (6, len("提案書 <- 𠮷田さんの依頼書, ".encode()))
    definition = result["definition"]
    targets = definition if isinstance(definition, list) else [definition]
    # Cursor on 𠮷田さんの依頼書 in the route: its definition is the `external` line.
    assert [t["range"]["start"]["line"] for t in targets] == [3]

"""Every command on every file of the hostile corpus (tests/hostile/corpus, written by
make_corpus.py): no traceback, exit code 0, 1 or 2, well-formed SVG and HTML, no raw
control byte in human-readable output, inputs byte-identical afterwards."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_prep

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = sorted(p.name for p in CORPUS.glob("*.prep"))
# The default run tries these; `-m slow` (or no -m) tries every file.
QUICK = {"terminal-escapes.prep", "formula.prep", "markdown-html.prep", "utf16-nobom.prep"}
FILE_PARAMS = [pytest.param(n, marks=() if n in QUICK else pytest.mark.slow) for n in FILES]
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
TEXT_COMMANDS = [
    ["check", "{f}"],
    ["check", "{f}", "--format", "github"],
    ["check", "{f}", "-f", "json"],
    ["check", "{f}", "-f", "sarif"],
    ["checkpoints", "{f}"],
    ["checkpoints", "{f}", "-f", "markdown"],
    ["checkpoints", "{f}", "-f", "csv", "--excel"],
    ["checkpoints", "{f}", "-f", "json"],
    ["fmt", "--check", "--diff", "{f}"],
    ["diff", str(SAMPLES / "restaurant.prep"), "{f}"],
    ["diff", "{f}", "{f}", "-f", "markdown"],
    ["render", "{f}", "-o", "{out}/d.dot"],
]
RENDER_COMMANDS = [
    ["render", "{f}", "-o", "{out}/d.svg"],
    ["render", "{f}", "-o", "{out}/d.html"],
    ["diff", str(SAMPLES / "restaurant.prep"), "{f}", "-o", "{out}/u.svg"],
]


def _run_all(name: str, commands: list[list[str]], tmp_path: Path) -> None:
    work = tmp_path / "in"
    work.mkdir()
    shutil.copy(CORPUS / name, work / name)
    before = (work / name).read_bytes()
    out = tmp_path / "out"
    out.mkdir()

    def one(template: list[str]) -> tuple[list[str], int, bytes, bytes]:
        args = [a.format(f=str(work / name), out=out) for a in template]
        done = run_prep(*args, cwd=tmp_path)
        return args, done.returncode, done.stdout, done.stderr

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(one, commands))
    for args, code, stdout, stderr in results:
        where = f"prep {' '.join(args)}"
        assert code in (0, 1, 2), (where, code, stderr)
        assert b"Traceback" not in stderr and b"Traceback" not in stdout, (where, stderr)
        human = stderr + (b"" if "json" in args or "sarif" in args or "csv" in args else stdout)
        assert not RAW_CONTROL.search(human.replace(b"\r\n", b"\n")), (where, human[:400])
    assert (work / name).read_bytes() == before, "an input was changed"
    for svg in out.glob("*.svg"):
        ET.fromstring(svg.read_bytes())  # well-formed XML
    for page in out.glob("*.html"):
        text = page.read_text("utf-8")
        assert not RAW_CONTROL.search(page.read_bytes())
        start, end = text.index("<svg"), text.index("</svg>") + len("</svg>")
        ET.fromstring(text[start:end])
        HTMLParser().feed(text)


@pytest.mark.parametrize("name", FILE_PARAMS)
def test_text_commands(name: str, tmp_path: Path) -> None:
    _run_all(name, TEXT_COMMANDS, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("name", FILES)
def test_render_commands(name: str, tmp_path: Path) -> None:
    _run_all(name, RENDER_COMMANDS, tmp_path)


def test_render_entities_is_well_formed(tmp_path: Path) -> None:
    """The subset CI runs without `slow`: the file that used to make a malformed SVG."""
    _run_all("entities.prep", RENDER_COMMANDS[:2], tmp_path)


def test_fmt_writes_only_what_it_was_asked_to(tmp_path: Path) -> None:
    for name in FILES:
        shutil.copy(CORPUS / name, tmp_path / name)
    run_prep("fmt", *[str(tmp_path / n) for n in FILES], cwd=tmp_path)
    changed = {n for n in FILES if (tmp_path / n).read_bytes() != (CORPUS / n).read_bytes()}
    for name in changed:  # each changed file still parses to the same diagnostics
        assert (
            run_prep("check", str(tmp_path / name)).returncode
            == run_prep("check", str(CORPUS / name)).returncode
        ), name
    assert sorted(p.name for p in tmp_path.iterdir()) == FILES  # no stray temporary file

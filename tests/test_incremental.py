"""The language server re-parses only the statements an edit touched
(:mod:`prepmodel.syntax.incremental`); this must never show: after every edit of random
edit sequences, the document's parse and analysis equal a full parse and analysis of its
text -- the same statements and spans, comments, syntax errors, diagnostics and model.

The edits are what typing and editing do: single characters and pieces of syntax that
break a statement and later fix it (undo), Japanese text, deletions and moves of line
ranges across statement boundaries, line breaks added and removed, on LF and CRLF files.
Each sequence runs through :class:`~prepmodel.lsp.documents.Project`, the server's own
path from a new text to its analysis.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from prepmodel.checks.analysis import analyse_text
from prepmodel.checks.imports import DiskReader
from prepmodel.lsp.documents import Project, shown_path
from prepmodel.syntax import incremental
from prepmodel.syntax.incremental import reparse
from prepmodel.syntax.parser import parse
from tests.conftest import ROOT, SAMPLES


def _generator() -> Callable[[int, int, str], str]:
    """``benchmarks/generate.py``'s ``generate`` (the benchmarks are not a package)."""
    name = "prepmodel_bench_generate"
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module.generate  # type: ignore[no-any-return]


generate = _generator()

PIECES = [
    " ",
    "\n",
    "\n\n",
    "{",
    "}",
    '"',
    "#",
    "# 注記\n",
    "<-",
    ",",
    ", ",
    ",\n    ",
    ";",
    ":",
    "[",
    "]",
    "、",
    "：",
    "←",
    "導入計画書",
    "成功定義書",
    "𠮷",
    "kpi",
    "goal 新しい目標\n",
    "external 新しい外部資料\n",
    "新成果物 <- 導入計画書 { work: 作成; by: PMO }\n",
    "phase 導入: 導入計画書\n",
    "group G = A, B\n",
    "{ effort: 3d }",
    " # prep: ignore[GP01]",
    "\u3000",
]

URI = "file:///work/model.prep"


@pytest.fixture
def full_parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the texts the incremental path gives up on (it then parses the whole)."""
    count = [0]
    real = incremental.parse

    def counting(*args: object, **kwargs: object) -> object:
        count[0] += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(incremental, "parse", counting)
    yield count


def _edit(text: str, rng: random.Random, history: list[str]) -> str:
    """One random edit of ``text``; ``history`` holds earlier texts, for undo."""
    roll = rng.random()
    at = rng.randrange(len(text) + 1)
    if roll < 0.15 and history:  # undo: back to an earlier text (a fix after a break)
        return history[-rng.randint(1, min(3, len(history)))]
    if roll < 0.55:
        return text[:at] + rng.choice(PIECES) + text[at:]
    if roll < 0.75:  # a deletion, often across a line end or two statements
        return text[:at] + text[at + rng.randint(1, 60) :]
    lines = text.split("\n")
    a = rng.randrange(len(lines))
    b = min(len(lines), a + rng.randint(1, 4))
    chunk = lines[a:b]
    rest = lines[:a] + lines[b:]
    if roll < 0.9:  # move a run of lines elsewhere
        c = rng.randrange(len(rest) + 1)
        return "\n".join(rest[:c] + chunk + rest[c:])
    return "\n".join(rest)  # delete whole lines


def _same_as_full(document_text: str, project: Project, version: int) -> bool:
    """Checks the version against a full analysis; whether it has no syntax error."""
    document = project.update(URI, document_text, version)
    path = shown_path(URI)
    assert document.parsed == parse(document_text, path)
    full = analyse_text(document_text, path, document.config)
    got = document.analysis
    assert got.source == full.source
    assert got.diagnostics == full.diagnostics
    assert got.model == full.model
    return full.source.ok


def _texts() -> list[tuple[str, str]]:
    onboarding = (SAMPLES / "onboarding-jp.prep").read_text(encoding="utf-8")
    english = (SAMPLES / "onboarding.prep").read_text(encoding="utf-8")
    generated = generate(40, 3, "ja")
    return [
        ("onboarding-jp", onboarding),
        ("onboarding", english),
        ("generated-ja", generated),
        ("onboarding-jp-crlf", onboarding.replace("\n", "\r\n")),
    ]


@pytest.mark.parametrize(("name", "start"), _texts(), ids=[n for n, _ in _texts()])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_edit_sequences_equal_a_full_analysis(
    name: str, start: str, seed: int, full_parses: list[int]
) -> None:
    rng = random.Random(f"{name}-{seed}")
    project = Project()
    text = start
    history: list[str] = []
    clean = _same_as_full(text, project, 1)
    steps = 150
    for version in range(2, steps + 2):
        if not clean and rng.random() < 0.8 and history:
            text = history.pop()  # mostly, a break is fixed soon (by undo here)
        else:
            history.append(text)
            text = _edit(text, rng, history)
        if "\r\n" in start:
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        clean = _same_as_full(text, project, version)
    # The point of it: many texts were not parsed whole (a broken base, or a slice with
    # an error, parses the whole file; the rest re-read a few lines).
    assert full_parses[0] < steps * 0.75, full_parses[0]


def test_a_clean_edit_reuses_the_statements_around_it() -> None:
    text = generate(40, 3, "ja")
    base = parse(text, "m.prep")
    lines = text.split("\n")
    middle = len(lines) // 2
    lines[middle] += " "  # a space at the end of a line in the middle
    got = reparse(base, "\n".join(lines), "m.prep")
    assert got == parse("\n".join(lines), "m.prep")
    assert got.statements[0] is base.statements[0]
    assert got.statements[-1] is base.statements[-1]  # no line moved: the same objects


def test_a_new_line_moves_the_statements_after_it() -> None:
    text = generate(40, 3, "ja")
    base = parse(text, "m.prep")
    lines = text.split("\n")
    lines.insert(len(lines) // 2, "追加成果物 <- 導入計画書")
    new = "\n".join(lines)
    got = reparse(base, new, "m.prep")
    assert got == parse(new, "m.prep")
    assert got.statements[0] is base.statements[0]
    assert got.statements[-1].span.line == base.statements[-1].span.line + 1


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
@pytest.mark.parametrize("breaking", [" <-", " {", ",", "、", '"', "}"])
def test_a_syntax_error_is_recovered_from_after_the_kept_statements(
    where: float, breaking: str
) -> None:
    text = generate(40, 3, "ja")
    base = parse(text, "m.prep")
    lines = text.split("\n")
    at = int(len(lines) * where)
    lines[at] += breaking
    new = "\n".join(lines)
    got = reparse(base, new, "m.prep")
    full = parse(new, "m.prep")
    assert got == full
    if not full.ok and base.statements[0].span.end_line < at:
        assert got.statements[0] is base.statements[0]  # not read again


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # The slice alone would parse: a comma at the end of the kept statement's line
        # joins the next line to it, so that statement is not kept.
        ("A <- B\nC <- D\n", "A <- B,\nC <- D\n"),
        # An opened brace swallows the statements after it.
        ("A <- B\nC <- D\nE <- F\n", "A <- B {\nC <- D\nE <- F\n"),
        # A statement after ';' on the edited line.
        ("A <- B; C <- D\nE <- F\n", "A <- B; C <- DD\nE <- F\n"),
        # `kpi` is a name before '<-' and a keyword elsewhere.
        ("goal A\nkpi <- B\n", "goal A\nkpi B\n"),
        # The whole text replaced, and emptied.
        ("goal A\nexternal B\nA <- B\n", "goal X\n"),
        ("goal A\nexternal B\nA <- B\n", ""),
        ("", "goal A\n"),
        # A BOM.
        ("\ufeffgoal A\nexternal B\n", "\ufeffgoal A\nexternal C\n"),
    ],
)
def test_boundaries(before: str, after: str) -> None:
    assert reparse(parse(before, "b.prep"), after, "b.prep") == parse(after, "b.prep")


def test_a_base_with_errors_or_another_path_is_not_used() -> None:
    broken = parse("goal A {\nexternal B\n", "b.prep")
    assert not broken.ok
    assert reparse(broken, "goal A\nexternal B\n", "b.prep") == parse(
        "goal A\nexternal B\n", "b.prep"
    )
    other = parse("goal A\n", "a.prep")
    assert reparse(other, "goal A\nexternal B\n", "b.prep").path == "b.prep"


def test_an_unchanged_import_is_not_parsed_again(tmp_path: Path) -> None:
    (tmp_path / "lib.prep").write_text("external 顧客要望\n要件定義書 <- 顧客要望\n", "utf-8")
    main = tmp_path / "main.prep"
    text = 'import "lib.prep"\ngoal 導入計画書\n導入計画書 <- 要件定義書\n'
    project = Project()
    uri = main.as_uri()
    first = project.update(uri, text, 1).analysis
    edited = text.replace("導入計画書 <-", "導入計画書  <-")
    second = project.update(uri, edited, 2).analysis
    assert second.source.imports[0] is first.source.imports[0]
    full = analyse_text(edited, str(main))
    assert (second.source, second.diagnostics, second.model) == (
        full.source,
        full.diagnostics,
        full.model,
    )
    # A changed import is parsed again (its text is compared, not its name).
    (tmp_path / "lib.prep").write_text("external 顧客要望\n要件定義書 <- 顧客要望, 予算\n", "utf-8")
    third = project.update(uri, text, 3).analysis
    assert third.source == analyse_text(text, str(main)).source
    assert third.source.imports[0] is not first.source.imports[0]


def test_an_importer_checked_again_does_not_parse_itself_again(tmp_path: Path) -> None:
    lib = tmp_path / "lib.prep"
    lib.write_text("external 顧客要望\n要件定義書 <- 顧客要望\n", "utf-8")
    main = tmp_path / "main.prep"
    text = 'import "lib.prep"\ngoal 導入計画書\n導入計画書 <- 要件定義書\n'
    project = Project()
    before = project.update(main.as_uri(), text, 1)
    assert before.analysis.diagnostics == []
    # The editor changes lib.prep (open, unsaved): main is dropped and checked again.
    assert project.importers(lib.as_uri()) == [main.as_uri()]
    changed = "external 顧客要望\n"
    buffers = {lib.as_uri(): changed, main.as_uri(): text}
    after = project.update(main.as_uri(), text, 1, buffers)
    assert after is not before and after.parsed is before.parsed
    full = analyse_text(text, str(main), reader=DiskReader({str(lib.resolve()): changed}))
    assert after.analysis.diagnostics == full.diagnostics != []
    assert after.analysis.model == full.model

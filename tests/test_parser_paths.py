"""The fast LALR driver (prepmodel.syntax.lalr) and Lark's own parser agree.

`syntax.parse` runs Lark's tables through a tight loop and asks `Lark.parse` only when the
text does not parse. Both must give the same statements and comments for every text the
loop accepts, and the loop must accept exactly what Lark accepts.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark.exceptions import UnexpectedInput

from prepmodel.syntax import parser as syntax

from .conftest import ROOT, SAMPLES
from .test_fuzz import TOKENS, mutated_samples

FAST = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def both(text: str) -> tuple[object, object]:
    """(fast result, Lark result); None for a path that rejects the text."""
    from prepmodel.syntax.lalr import Rejected

    lark, comments = syntax._parser()
    fast_comments: list[tuple[str, int, int]] = []
    try:
        fast_result: object = (syntax._fast_run(text, fast_comments), fast_comments)
    except Rejected:
        fast_result = None
    comments.clear()
    try:
        slow = lark.parse(text)
        slow_result: object = (slow, list(comments))
    except UnexpectedInput:
        slow_result = None
    return fast_result, slow_result


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("generated")
    files = []
    for lang in ("en", "ja", "mixed"):
        path = out / f"m300-{lang}.prep"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "generate.py"),
                "300",
                "--lang",
                lang,
                "-o",
                str(path),
            ],
            check=True,
            capture_output=True,
        )
        files.append(path)
    return files


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.prep")), ids=lambda p: p.name)
def test_samples_same_either_way(path: Path) -> None:
    text = path.read_text("utf-8")
    fast, slow = both(text)
    assert fast == slow
    if path.name != "broken.prep":
        assert fast is not None and fast[0]  # type: ignore[index]


def test_generated_models_same_either_way(generated: list[Path]) -> None:
    for path in generated:
        fast, slow = both(path.read_text("utf-8"))
        assert fast is not None and fast == slow, path.name


def test_lists_over_several_lines_with_comments() -> None:
    text = 'goal A\nA <- B,  # first\n  C,\n\n  "D" { work: x,\n y; by: Z }\n'
    fast, slow = both(text)
    assert fast is not None and fast == slow
    statements, comments = fast  # type: ignore[misc]
    (_, assembly) = statements
    assert [n.text for n in assembly.inputs] == ["B", "C", "D"]
    assert assembly.inputs[2].span.line == 5
    assert comments == [("# first", 2, 10)]


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_random_token_soup_same_either_way(text: str) -> None:
    fast, slow = both(text)
    assert fast == slow


@FAST
@given(mutated_samples())
def test_mutated_samples_same_either_way(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    fast, slow = both(text.removeprefix("\ufeff"))
    assert fast == slow


def _grammar_name_regex() -> re.Pattern[str]:
    lark, _ = syntax._parser()
    terminal = lark.get_terminal("NAME")
    return re.compile(terminal.pattern.to_regexp())  # Lark compiles it without DOTALL


@settings(max_examples=400, deadline=None, database=None)
@given(st.text(alphabet='"\\ \n\r\ta-あ#{},:;<=|()[]', max_size=12))
def test_lexer_names_match_the_grammar_terminal(text: str) -> None:
    """One NAME token from the lexer exactly when the grammar's NAME regex matches it all."""
    from prepmodel.syntax.lexer import KEYWORDS, scan

    if text in KEYWORDS:
        return
    comments: list[tuple[str, int, int]] = []
    try:
        tokens = [t for t in scan(text, comments) if t.type != "_NL"]
    except UnexpectedInput:
        tokens = []
    one_name = len(tokens) == 1 and tokens[0].type == "NAME" and str(tokens[0]) == text
    assert one_name == bool(_grammar_name_regex().fullmatch(text)), tokens


def test_quoted_name_does_not_run_over_a_line_end() -> None:
    source = syntax.parse('goal "A\\\nB"\nexternal X\n')
    # Both lines hold a quote that is not closed on its line.
    assert [(d.code, d.span.line, d.message) for d in source.diagnostics] == [
        ("PS01", 1, "unclosed quoted name"),
        ("PS01", 2, "unclosed quoted name"),
    ]
    assert [type(st).__name__ for st in source.statements] == ["DeclStmt"]


def _reference_parse(text: str) -> tuple[object, ...] | None:
    """Error recovery as it was first written: blank the bad statement, parse the whole
    text again with Lark. None when it gave up (too many errors, nothing to blank)."""
    from prepmodel.syntax.errors import blank_statement_at, describe

    lark, comments = syntax._parser()
    work, messages = text, []
    while True:
        comments.clear()
        try:
            statements = lark.parse(work)
            break
        except UnexpectedInput as err:
            diagnostic, offset = describe(err, work, lark)
            messages.append((diagnostic.span, diagnostic.message, diagnostic.hint))
            new_work = blank_statement_at(work, offset)
            if len(messages) >= syntax.MAX_SYNTAX_ERRORS or new_work == work:
                return None
            work = new_work
    return tuple(statements), tuple(comments), tuple(messages)


def _recovered(text: str) -> tuple[object, ...]:
    source = syntax.parse(text)
    return (
        source.statements,
        tuple((c.text, c.line, c.column) for c in source.comments),
        tuple((d.span, d.message, d.hint) for d in source.diagnostics),
    )


@pytest.mark.parametrize(
    "text",
    [
        "goal A\nA <- B C\nexternal D  # d\nA <- -x\nE <- F\n",
        "goal G\nexternal X,  # c\n\nG <- X\nexternal Y\n",
        "A <- B { work: x\nC <- D  # kept\nE <- F\n",
        "# top\nA <- B,\n  C # mid\n  D\nE <- F { by: x y }\n# end\n",
    ],
)
def test_recovery_keeps_what_a_full_reparse_keeps(text: str) -> None:
    expected = _reference_parse(text)
    assert expected is not None
    assert _recovered(text) == expected


@FAST
@given(mutated_samples())
def test_recovery_same_as_full_reparse_on_mutated_samples(data: bytes) -> None:
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return
    expected = _reference_parse(text)
    if expected is not None:
        assert _recovered(text) == expected


# --- the fast path fenced: a Lark whose internals changed ---------------------------------


@pytest.fixture
def fresh_tables() -> Iterator[None]:
    """Forget the cached tables before and after, so each test detects the shape anew."""
    syntax._tables.cache_clear()
    yield
    syntax._tables.cache_clear()


def _files(path: Path) -> list[tuple[str, str]]:
    return [(p.name, p.read_text("utf-8")) for p in sorted(path.glob("*.prep"))]


@pytest.mark.usefixtures("fresh_tables")
def test_changed_lark_internals_fall_back_to_lark_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Lark whose action objects changed (simulated: ``Shift`` is another object, as if
    renamed or wrapped) is detected once and every file parses through ``Lark.parse``:
    the same statements, comments and PS01 diagnostics as through the fast path."""
    import lark.parsers.lalr_analysis as analysis

    from prepmodel.syntax import lalr

    texts = [
        *_files(SAMPLES),
        ("typo.prep", "Menu <- Recipe\nOrder slip <- = Menu\nBill <- Order slip\n"),
        ("ja.prep", "注文票 ← メニュー\n請求書 ← 注文票、料理\n"),
    ]
    expected = [syntax.parse(text, name) for name, text in texts]
    assert syntax._tables() is not None  # the fast path was in use
    syntax._tables.cache_clear()

    monkeypatch.setattr(analysis, "Shift", object())
    runs: list[int] = []
    real_run = lalr.run
    monkeypatch.setattr(lalr, "run", lambda *a: runs.append(1) or real_run(*a))
    got = [syntax.parse(text, name) for name, text in texts]
    assert syntax._tables() is None
    assert runs == []  # the fast loop never ran
    assert got == expected
    assert any(source.diagnostics for source in got)  # the errors came through Lark too


@pytest.mark.usefixtures("fresh_tables")
@pytest.mark.parametrize(
    "change",
    ["no parse_table", "three-element actions", "no start state", "callbacks not callable"],
)
def test_unexpected_table_shapes_are_detected(monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    import copy
    from types import SimpleNamespace

    from prepmodel.syntax import lalr

    real = syntax._parser()[0].parser.parser.parser
    table = copy.copy(real.parse_table)
    callbacks = dict(real.callbacks)
    if change == "three-element actions":
        table.states = {
            s: {k: (*v, None) for k, v in row.items()} for s, row in table.states.items()
        }
    elif change == "no start state":
        table.start_states = {}
    elif change == "callbacks not callable":
        callbacks = {rule: None for rule in callbacks}
    inner = SimpleNamespace(callbacks=callbacks)
    if change != "no parse_table":
        inner.parse_table = table
    fake = SimpleNamespace(parser=SimpleNamespace(parser=SimpleNamespace(parser=inner)))
    assert lalr.tables(fake) is None  # type: ignore[arg-type]
    # The real one still reads.
    assert lalr.tables(syntax._parser()[0]) is not None

"""Fuzzing: whatever the input, the pipeline never raises and `prep` never shows a traceback.

* random text (control characters, NULs, CJK, quotes, braces, `<-`, keywords),
* random bytes (mostly invalid UTF-8),
* the samples mutated (slices deleted, inserted, duplicated),
* huge lines (100,000 characters).

In process: ``analyse_bytes`` (and, when the syntax is fine, the journey and its tables, as
`prep checkpoints` would). Through the CLI: typer's CliRunner on generated inputs, and a
few real subprocesses of ``python -m prepmodel``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from prepmodel.checks.analysis import analyse_bytes
from prepmodel.cli.app import app
from prepmodel.views.checkpoints import journey_json, journey_text

from .conftest import SAMPLES, run_prep

SAMPLE_BYTES = [p.read_bytes() for p in sorted(SAMPLES.glob("*.prep"))]
TOKENS = [
    "goal",
    "external",
    "deliverable",
    "group",
    "phase",
    "role",
    "model",
    "import",
    "<-",
    "<",
    "-",
    "=",
    ":",
    ";",
    ",",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "|",
    '"',
    '\\"',
    "\\",
    "#",
    "# prep: ignore[GP01]",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "  ",
    "\x00",
    "\x1b",
    "\ufeff",
    "\u3000",
    "A",
    "B",
    "Order slip",
    "導入計画書",
    "ＫＰＩ設計",
    "作成する",
    "work",
    "by",
    "effort",
    "kpi",
    "3d",
    "é",
    "\u200b",
    "\U0001f600",
    "e\u0301",
    "\ufffd",
]
FAST = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

prep_like = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
mixed_text = st.one_of(prep_like, any_text, st.tuples(prep_like, any_text, prep_like).map("".join))


@st.composite
def mutated_samples(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLE_BYTES)))
    for _ in range(draw(st.integers(1, 4))):
        n = len(data)
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + 80)))
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "replace"]))
        if op == "delete":
            del data[a:b]
        elif op == "insert":
            data[a:a] = draw(st.sampled_from(TOKENS)).encode("utf-8")
        elif op == "duplicate":
            data[a:a] = data[a:b]
        else:
            data[a:b] = draw(st.binary(max_size=8))
    return bytes(data)


def check_pipeline(data: bytes) -> None:
    """The whole in-process pipeline, as `prep check` and `prep checkpoints` run it."""
    a = analyse_bytes(data, "fuzz.prep")
    for d in a.diagnostics:
        assert d.code and d.span.line >= 1 and d.span.column >= 1
    if a.syntax_ok:
        j = a.journey
        journey_json(j)
        journey_text(j)


def run_cli(args: list[str], data: bytes) -> None:
    """`prep ARGS` on ``data`` through CliRunner: exit 0, 1 or 2 and no exception."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.prep"
        path.write_bytes(data)
        result = CliRunner().invoke(app, [*args[:1], str(path), *args[1:]])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output


@FAST
@given(mixed_text)
def test_random_text_never_raises(text: str) -> None:
    check_pipeline(text.encode("utf-8"))


@FAST
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    check_pipeline(data)


@FAST
@given(mutated_samples())
def test_mutated_samples_never_raise(data: bytes) -> None:
    check_pipeline(data)


@settings(
    max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.one_of(
        mixed_text.map(lambda t: t.encode("utf-8")), mutated_samples(), st.binary(max_size=200)
    )
)
def test_cli_exit_codes(data: bytes) -> None:
    run_cli(["check"], data)
    run_cli(["check", "--format", "json"], data)
    run_cli(["checkpoints", "--format", "json"], data)


HUGE = 100_000


def huge_inputs() -> dict[str, bytes]:
    names = ", ".join(f"n{i}" for i in range(HUGE // 8))
    return {
        "long-input-list": f"goal G\nG <- {names}\n".encode(),
        "long-name": ("goal G\nG <- " + "名" * HUGE + "\n").encode(),
        "long-quoted-name": ('goal "' + "x " * (HUGE // 2) + '"\n').encode(),
        "unclosed-quote": ('goal G\nG <- "' + "a" * HUGE).encode(),
        "long-comment": ("# " + "c" * HUGE + "\ngoal G\nG <- e\nexternal e\n").encode(),
        "braces": ("goal G {" + "{" * HUGE + "\n").encode(),
        "arrows": ("<-" * (HUGE // 2)).encode(),
        "nul-line": b"\x00" * HUGE,
        "one-line-statements": ";".join(f"n{i} <- n{i + 1}" for i in range(HUGE // 12)).encode()
        + b";goal n0",
    }


@pytest.mark.parametrize("name", sorted(huge_inputs()))
def test_huge_lines(name: str) -> None:
    check_pipeline(huge_inputs()[name])


ODD_FILES = {
    "invalid-utf8": b"goal G\nG <- \xff\xfe e\n",
    "nul-bytes": b"goal G\x00\nG <- e\x00\nexternal e\n",
    "bom-crlf": "\ufeffgoal G\r\nG <- e\r\nexternal e\r\n".encode(),
    "only-bom": b"\xef\xbb\xbf",
    # 100,000-character lines that check clean. (The same line with 12,500 gaps takes
    # minutes in text output: every diagnostic reprints the line, see report.caret_line.)
    "huge-line": (
        "goal G\nexternal "
        + ", ".join(f"n{i}" for i in range(HUGE // 8))
        + "\nG <- "
        + ", ".join(f"n{i}" for i in range(HUGE // 8))
    ).encode(),
    "truncated-sample": SAMPLE_BYTES[0][: len(SAMPLE_BYTES[0]) // 2],
}


@pytest.mark.parametrize("name", sorted(ODD_FILES))
def test_real_cli_never_shows_a_traceback(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.prep"
    path.write_bytes(ODD_FILES[name])
    for args in (["check", str(path)], ["checkpoints", str(path), "--format", "json"]):
        r = run_prep(*args)
        assert r.returncode in (0, 1, 2), (args, r.stderr.decode(errors="replace"))
        assert b"Traceback" not in r.stderr, r.stderr.decode(errors="replace")


def test_real_cli_on_stdin_and_missing_file() -> None:
    r = run_prep("check", "-", stdin=b"\xff\x00 <- {{{")
    assert r.returncode == 1 and b"Traceback" not in r.stderr
    r = run_prep("check", os.path.join("no", "such", "file.prep"))
    assert r.returncode == 2 and b"Traceback" not in r.stderr

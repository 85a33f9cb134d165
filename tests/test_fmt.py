"""`prep fmt`: golden cases, fixed point, same model, comments and ignores kept, the CLI.

Golden files are rewritten only by `python tests/regen_golden.py --fmt`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepmodel.checks.analysis import analyse_text
from prepmodel.model.core import build
from prepmodel.review.fmt import WIDTH, comment_texts, format_source, model_signature, width
from prepmodel.syntax import tree as syn
from prepmodel.syntax.names import KEYWORDS, is_bare, quote
from prepmodel.syntax.parser import parse

from .conftest import CASES, SAMPLES, run_prep

FMT_CASES = CASES / "fmt"
CASE_NAMES = sorted(p.name.removesuffix(".in.prep") for p in FMT_CASES.glob("*.in.prep"))
SAMPLE_NAMES = sorted(p.name for p in SAMPLES.glob("*.prep") if p.name != "broken.prep")


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _fmt(text: str) -> str:
    result = format_source(text)
    assert result.ok, [d.message for d in result.diagnostics]
    return result.text


def assert_formatter_laws(text: str) -> str:
    """Fixed point, same model, same comments, parses cleanly; returns the formatted text."""
    before = parse(text)
    assert before.ok
    out = _fmt(text)
    assert _fmt(out) == out, "not a fixed point"
    after = parse(out)
    assert after.ok
    assert model_signature(build(after)) == model_signature(build(before))
    assert comment_texts(after) == comment_texts(before)
    assert out == "" or (out.endswith("\n") and not out.endswith("\n\n"))
    assert not out.startswith("\n") and not out.startswith("\ufeff")
    assert "\n\n\n" not in out
    _assert_ignores_kept(before, after)
    return out


def _positions(source: syn.SourceFile) -> list[int]:
    """The line of every place a diagnostic can be reported, in file order."""
    lines: list[int] = []
    for st_ in source.statements:
        lines.append(st_.span.line)
        heads: list[syn.Name | None] = []
        if isinstance(st_, syn.ModelStmt):
            heads = [st_.title]
        elif isinstance(st_, syn.ImportStmt):
            heads = [st_.path]
        elif isinstance(st_, syn.DeclStmt):
            heads = list(st_.names)
        elif isinstance(st_, syn.AssemblyStmt):
            heads = [st_.output, *st_.inputs]
        else:
            heads = [st_.name, *st_.members]
        lines.extend(n.span.line for n in heads if n is not None)
        if st_.block is not None:
            for a in st_.block.attrs:
                lines.extend(n.span.line for n in (a.key, *a.values))
    return lines


def _assert_ignores_kept(before: syn.SourceFile, after: syn.SourceFile) -> None:
    """Whatever shared a line with a trailing comment still shares the comment's line."""
    old, new = _positions(before), _positions(after)
    assert len(old) == len(new)
    assert len(before.comments) == len(after.comments)
    for c_old, c_new in zip(before.comments, after.comments, strict=True):
        moved = {new[k] for k, line in enumerate(old) if line == c_old.line}
        assert moved <= {c_new.line}, f"{c_old.text!r} left the line of its elements"


# --- golden cases ------------------------------------------------------------------------


@pytest.mark.parametrize("name", CASE_NAMES)
def test_golden(name: str) -> None:
    text = _read(FMT_CASES / f"{name}.in.prep")
    expected = _read(FMT_CASES / f"{name}.out.prep")
    assert assert_formatter_laws(text) == expected
    assert format_source(expected).text == expected


def test_enough_golden_cases() -> None:
    assert len(CASE_NAMES) >= 8
    for name in CASE_NAMES:
        assert (FMT_CASES / f"{name}.out.prep").exists(), "run tests/regen_golden.py --fmt"


def test_crlf_bom_case_really_has_them() -> None:
    data = (FMT_CASES / "crlf_bom.in.prep").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    out = (FMT_CASES / "crlf_bom.out.prep").read_bytes()
    assert not out.startswith(b"\xef\xbb\xbf") and b"\r" not in out


def test_golden_lines_fit_unless_pinned_by_a_comment() -> None:
    for name in CASE_NAMES:
        for line in _read(FMT_CASES / f"{name}.out.prep").splitlines():
            assert width(line) <= WIDTH or "#" in line, (name, line)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_are_canonical(name: str) -> None:
    text = _read(SAMPLES / name)
    out = assert_formatter_laws(text)
    assert out == text


def test_syntax_error_leaves_text_untouched() -> None:
    text = "goal A\r\nA <- \r\n"
    result = format_source(text, "bad.prep")
    assert not result.ok and result.text == text and not result.changed
    assert {d.code for d in result.diagnostics} == {"PS01"}
    assert result.diagnostics[0].file == "bad.prep"


def test_empty_and_comment_only_files() -> None:
    assert _fmt("") == ""
    assert _fmt("\n\n  \n") == ""
    assert _fmt("\n\n# only a comment   \n\n\n# and another\n\n") == (
        "# only a comment\n\n# and another\n"
    )


def test_japanese_counts_two_columns() -> None:
    assert width("導入計画書") == 10 and width("KPI") == 3 and width("ＫＰＩ") == 6
    names = ", ".join(f"成果物{i:02d}番の長い名前" for i in range(12))
    out = _fmt(f"goal G\nG <- {names}\n")
    lines = out.splitlines()
    assert len(lines) > 2 and all(width(ln) <= WIDTH for ln in lines)
    assert all(ln.startswith("    ") for ln in lines[2:])


# --- ignores: `prep check` says the same before and after --------------------------------


def _check_summary(text: str) -> list[tuple[str, str, str]]:
    a = analyse_text(text, "m.prep")
    return sorted(
        (d.code, d.severity.value, re.sub(r"line \d+", "line N", d.message)) for d in a.diagnostics
    )


IGNORE_SOURCES = [
    FMT_CASES / "ignores.in.prep",
    FMT_CASES / "comments.in.prep",
    *[SAMPLES / n for n in SAMPLE_NAMES],
]


@pytest.mark.parametrize("path", IGNORE_SOURCES, ids=lambda p: p.name)
def test_check_same_diagnostics_after_fmt(path: Path) -> None:
    text = _read(path)
    assert _check_summary(_fmt(text)) == _check_summary(text)


def test_ignores_case_really_suppresses() -> None:
    text = _read(FMT_CASES / "ignores.in.prep")
    unsuppressed = _check_summary(re.sub(r"# prep: ignore\[\w+\]", "", text))
    kept = _check_summary(text)
    assert len(unsuppressed) >= len(kept) + 6
    assert _check_summary(_fmt(text)) == kept


def test_check_output_identical_when_lines_stay(tmp_path: Path) -> None:
    text = (
        "goal   Meal\nexternal Menu,Fax   # prep: ignore[GP02]\n"
        "Meal <- Menu   # prep: ignore[RT01]\nMeal <- Menu {wrok: x}  # prep: ignore[AT01]\n"
        "Meal<-Menu,Gap\n"
    )
    src = tmp_path / "m.prep"
    src.write_text(text, encoding="utf-8")
    before = run_prep("check", str(src))
    assert run_prep("fmt", str(src)).returncode == 0
    assert src.read_text(encoding="utf-8") != text
    after = run_prep("check", str(src))
    assert before.returncode == after.returncode == 1

    def same_lines(out: bytes) -> bytes:  # columns move with spacing; lines must not
        out = re.sub(rb"^  .*\n(  +\^.*\n)?", b"", out, flags=re.M)  # quoted source, caret
        return re.sub(rb"^(.*?:\d+):\d+:", rb"\1:C:", out, flags=re.M)

    assert same_lines(after.stdout) == same_lines(before.stdout)
    assert b"GP01" in after.stdout and b"GP02" not in after.stdout


# --- random models -----------------------------------------------------------------------

_BARE = [
    "Menu",
    "Bill",
    "order_slip",
    "KPI-2",
    "導入計画書",
    "契約書",
    "ＫＰＩ設計",
    "KPI設計",
    "3d",
    "a.b",
    "x\\y",
    "modelX",
    "goals",
    "とても長い名前の成果物です",
    "成果物" * 12,
]
_QUOTED = [
    "Order slip",
    "Customer's choice",
    "A: draft",
    'say "hi"',
    "back\\ slash",
    "-minus",
    "a#b",
    "顧客 の 業務",
    "semi;colon",
    "{brace}",
    "a  b",
    "tab\there",
    "<-",
    "",
    "A rather long deliverable name, with a comma",
    "顧客の 現行業務と その課題の一覧表",
]
_COMMENTS = [
    "# note",
    "#",
    "# prep: ignore[GP01]",
    "# prep: ignore[RC01,GP02]",
    "#日本語のコメント",
    '# "quoted" # twice',
    "# trailing blanks   ",
    "## ;{}<-",
]
# Names cannot hold control characters (PS01), tab aside: see tests/hostile for those.
_FREE = st.text(
    st.characters(
        exclude_categories=["Cs", "Cc"], include_characters="\t", exclude_characters="\ufeff"
    ),
    max_size=8,
)


@st.composite
def _name(draw: st.DrawFn, start: bool = False) -> str:
    text = draw(st.one_of(st.sampled_from(_BARE + _QUOTED + sorted(KEYWORDS)), _FREE))
    if is_bare(text) and draw(st.booleans()):
        return text
    if text in KEYWORDS and not start and draw(st.booleans()):
        return text  # keywords are names anywhere but at the start of a statement
    return quote(text)


def _comment(draw: st.DrawFn) -> str:
    return draw(st.one_of(st.sampled_from(_COMMENTS), _FREE.map(lambda s: "#" + s)))


def _list_sep(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return f", {_comment(draw)}\n  "
    if kind == 1:
        return f",\n{' ' * draw(st.integers(0, 6))}{_comment(draw)}\n\n   "
    return draw(st.sampled_from([", ", ",", " ,  ", ",\n", ",\n\n\t"]))


def _names(draw: st.DrawFn, lo: int = 1) -> str:
    items = [draw(_name()) for _ in range(draw(st.integers(lo, 8)))]
    out = items[0]
    for item in items[1:]:
        out += _list_sep(draw) + item
    return out


def _block(draw: st.DrawFn) -> str:
    multiline = draw(st.booleans())
    out = "{"
    if multiline and draw(st.booleans()):
        out += " " + _comment(draw)
    for k in range(draw(st.integers(0, 5))):
        key = draw(st.sampled_from(["work", "by", "effort", "note", "title", "colour", "k k"]))
        attr = f"{quote(key) if ' ' in key else key}: {_names(draw)}"
        if multiline:
            if draw(st.integers(0, 3)) == 0:
                attr = f"# about {key}\n  " + attr
            tail = f" {_comment(draw)}" if draw(st.integers(0, 3)) == 0 else ""
            out += f"\n  {attr}{tail}"
        else:
            out += (" " if k == 0 else draw(st.sampled_from(["; ", ";", " ;; "]))) + attr
    if multiline and draw(st.booleans()):
        out += f"\n    {_comment(draw)}"
    return out + ("\n}" if multiline else " }")


@st.composite
def _statement(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            [
                "model",
                "goal",
                "external",
                "deliverable",
                "role",
                "route",
                "route",
                "route",
                "group",
                "phase",
                "import",
            ]
        )
    )
    if kind == "import":
        return f"import {quote(draw(_FREE))}"
    if kind == "model":
        head = "model" + (" " + draw(_name()) if draw(st.booleans()) else "")
    elif kind == "route":
        head = f"{draw(_name(start=True))} <- {_names(draw)}"
    elif kind == "group":
        head = f"group {draw(_name())} = {_names(draw)}"
    elif kind == "phase":
        head = f"phase {draw(_name())}: {_names(draw)}"
    else:
        head = f"{kind} {_names(draw)}"
    return head + (" " + _block(draw) if draw(st.integers(0, 2)) == 0 else "")


@st.composite
def prep_files(draw: st.DrawFn) -> str:
    out = draw(st.sampled_from(["", "\n\n", f"{_COMMENTS[0]}\n\n"]))
    for _ in range(draw(st.integers(0, 8))):
        out += draw(_statement())
        sep = draw(st.integers(0, 5))
        if sep == 0:
            out += f"  {_comment(draw)}\n"
        elif sep == 1:
            out += f"\n\n {_comment(draw)}\n"
        elif sep == 2:
            out += draw(st.sampled_from([";", " ; ", ";\n"]))
        else:
            out += draw(st.sampled_from(["\n", "\n\n\n", "\n  \t\n"]))
    if draw(st.booleans()):
        out += _comment(draw)
    if draw(st.booleans()):
        out = out.replace("\n", "\r\n")
    return ("\ufeff" if draw(st.booleans()) else "") + out


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prep_files())
def test_random_models(text: str) -> None:
    source = parse(text)
    assert source.ok, (text, [d.message for d in source.diagnostics])
    assert_formatter_laws(text)


# --- the command line --------------------------------------------------------------------

UGLY = "goal   A\nA<-B ,C\nexternal B,C\n"
PRETTY = "goal A\nA <- B, C\nexternal B, C\n"


def test_cli_rewrites_in_place_atomically(tmp_path: Path) -> None:
    ugly, pretty = tmp_path / "ugly.prep", tmp_path / "pretty.prep"
    ugly.write_text(UGLY, encoding="utf-8")
    pretty.write_text(PRETTY, encoding="utf-8")
    pretty_mtime = pretty.stat().st_mtime_ns
    r = run_prep("fmt", str(tmp_path / "ugly.prep"), str(tmp_path / "pretty.prep"))
    assert r.returncode == 0, r.stderr
    assert ugly.read_text(encoding="utf-8") == PRETTY
    assert pretty.stat().st_mtime_ns == pretty_mtime  # unchanged files are not written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pretty.prep", "ugly.prep"]


def test_cli_check(tmp_path: Path) -> None:
    (tmp_path / "ugly.prep").write_text(UGLY, encoding="utf-8")
    (tmp_path / "pretty.prep").write_text(PRETTY, encoding="utf-8")
    r = run_prep("fmt", "--check", str(tmp_path / "ugly.prep"), str(tmp_path / "pretty.prep"))
    assert r.returncode == 1
    assert r.stdout.decode().splitlines() == [f"would reformat {tmp_path / 'ugly.prep'}"]
    assert (tmp_path / "ugly.prep").read_text(encoding="utf-8") == UGLY
    assert run_prep("fmt", "--check", str(tmp_path / "pretty.prep")).returncode == 0


def test_cli_diff(tmp_path: Path) -> None:
    (tmp_path / "ugly.prep").write_text(UGLY, encoding="utf-8")
    r = run_prep("fmt", "--diff", str(tmp_path / "ugly.prep"))
    assert r.returncode == 0
    out = r.stdout.decode()
    path = tmp_path / "ugly.prep"
    assert out.startswith(f"--- a/{path}\n+++ b/{path}\n@@ ")
    assert "-A<-B ,C\n" in out and "+A <- B, C\n" in out
    assert (tmp_path / "ugly.prep").read_text(encoding="utf-8") == UGLY
    assert run_prep("fmt", "--diff", "--check", str(tmp_path / "ugly.prep")).returncode == 1


def test_cli_stdin_to_stdout() -> None:
    r = run_prep("fmt", "-", stdin=("\ufeff" + UGLY).replace("\n", "\r\n").encode("utf-8"))
    assert r.returncode == 0
    assert r.stdout == PRETTY.encode("utf-8")
    r = run_prep("fmt", "-", stdin=PRETTY.encode("utf-8"))
    assert r.returncode == 0 and r.stdout == PRETTY.encode("utf-8")


def test_cli_syntax_error_file_untouched(tmp_path: Path) -> None:
    bad, ugly = tmp_path / "bad.prep", tmp_path / "ugly.prep"
    data = b"goal   A\r\nA <- \r\n  B<-C\r\n"
    bad.write_bytes(data)
    ugly.write_text(UGLY, encoding="utf-8")
    r = run_prep("fmt", str(tmp_path / "bad.prep"), str(tmp_path / "ugly.prep"))
    assert r.returncode == 1
    assert bad.read_bytes() == data
    assert ugly.read_text(encoding="utf-8") == PRETTY  # the other file is still formatted
    assert f"{bad}:2:".encode() in r.stderr and b"PS01" in r.stderr and r.stdout == b""
    r = run_prep("fmt", "-", stdin=data)
    assert r.returncode == 1 and r.stdout == b"" and b"PS01" in r.stderr


def test_cli_missing_file(tmp_path: Path) -> None:
    (tmp_path / "ugly.prep").write_text(UGLY, encoding="utf-8")
    r = run_prep("fmt", str(tmp_path / "missing.prep"), str(tmp_path / "ugly.prep"))
    assert r.returncode == 2
    assert b"missing.prep" in r.stderr
    assert (tmp_path / "ugly.prep").read_text(encoding="utf-8") == PRETTY


def test_check_mode_skips_the_proof_but_says_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """`fmt --check` writes nothing, so it does not parse the output again (#18); the text
    it compares is the one `fmt` would write."""
    from prepmodel.review import fmt

    text = 'goal "Paid meal"\nexternal Menu,Slip\n"Paid meal" <- Menu,Slip {work:Pay}\n'
    proven = fmt.format_source(text, "m.prep")
    assert proven.text != text

    def no_proof(*args: object) -> None:
        raise AssertionError("verified in check mode")

    monkeypatch.setattr(fmt, "_verify", no_proof)
    assert fmt.format_source(text, "m.prep", verify=False).text == proven.text
    with pytest.raises(AssertionError):
        fmt.format_source(text, "m.prep")

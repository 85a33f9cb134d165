"""The git recipes of docs/git.md and the pull-request workflow of
docs/examples/prep-review.yml, run as written against real git repositories."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLES, prep_on_path

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash"
)

GIT_MD = (ROOT / "docs" / "git.md").read_text("utf-8")
WORKFLOW = (ROOT / "docs" / "examples" / "prep-review.yml").read_text("utf-8")


def git(repo: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit(repo: Path, env: dict[str, str], files: dict[str, str], message: str) -> str:
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", message)
    return git(repo, env, "rev-parse", "HEAD").strip()


def textconv_recipe() -> str:
    (command,) = re.findall(r"^git config diff\.prep\.textconv (.+)$", GIT_MD, re.MULTILINE)
    return command.strip().strip("'")


def test_textconv_recipe_survives_a_syntax_error(tmp_path: Path) -> None:
    env = prep_on_path(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, env, "init", "-q")
    git(repo, env, "config", "diff.prep.textconv", textconv_recipe())
    (repo / ".gitattributes").write_text("*.prep diff=prep\n", encoding="utf-8")
    commit(repo, env, {"meal.prep": "goal   Meal\nMeal<-Dish\nexternal Dish\n"}, "good")
    commit(repo, env, {"meal.prep": "goal Meal\nMeal <- = Dish\nexternal Dish\n"}, "broken")
    commit(repo, env, {"meal.prep": "goal Meal\nMeal <- Dish, Wine\nexternal Dish,Wine\n"}, "ok")
    log = git(repo, env, "log", "-p", "--no-color")
    # The well-formed versions are shown formatted, the broken one as it is.
    assert "+Meal <- = Dish" in log
    assert "-Meal <- = Dish" in log
    assert "+Meal <- Dish, Wine" in log
    assert "+external Dish, Wine" in log  # formatted: the space after the comma
    assert "Meal<-Dish" not in log  # the first version, formatted


def workflow_step_script(name: str) -> str:
    """The `run: |` script of the workflow step called ``name``, dedented."""
    lines = WORKFLOW.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == f"- name: {name}")
    run = next(i for i in range(at, len(lines)) if lines[i].strip() == "run: |")
    indent = len(lines[run]) - len(lines[run].lstrip()) + 2
    body = []
    for line in lines[run + 1 :]:
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            break
        body.append(line[indent:])
    return "\n".join(body) + "\n"


def test_pull_request_diff_compares_with_the_head_not_the_merge(tmp_path: Path) -> None:
    """GitHub checks out the merge of the pull request into the base branch; the comment
    must show only the pull request's own changes."""
    env = prep_on_path(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, env, "init", "-q", "-b", "main")
    restaurant = (SAMPLES / "restaurant.prep").read_text("utf-8")
    commit(repo, env, {"restaurant.prep": restaurant, "gone.prep": "goal A\nexternal A\n"}, "v1")
    git(repo, env, "checkout", "-q", "-b", "feature")
    renamed = restaurant.replace("Bill", "Invoice")
    head = commit(
        repo,
        env,
        {"restaurant.prep": renamed, "new.prep": "goal 新しい成果物\nexternal 新しい成果物\n"},
        "pull request: rename Bill, add a model",
    )
    (repo / "gone.prep").unlink()
    head = commit(repo, env, {}, "pull request: delete a model")
    git(repo, env, "checkout", "-q", "main")
    base = commit(
        repo, env, {"restaurant.prep": restaurant + "\nexternal Dessert\n"}, "main moves on"
    )
    git(repo, env, "merge", "-q", "--no-ff", "--no-edit", "feature")  # GitHub's merge commit
    summary = tmp_path / "summary.md"
    done = subprocess.run(
        [
            "bash",
            "-e",
            "-o",
            "pipefail",
            "-c",
            workflow_step_script("Semantic diff of the changed models"),
        ],
        cwd=repo,
        env={**env, "BASE_SHA": base, "HEAD_SHA": head, "GITHUB_STEP_SUMMARY": str(summary)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    comment = (repo / "prep-diff.md").read_text("utf-8")
    assert comment.startswith("<!-- prep-diff -->\n")
    assert "Bill → Invoice" in comment
    assert "新しい成果物" in comment
    assert "Dessert" not in comment  # the base branch's change is not the pull request's
    assert "could not read" not in comment
    assert summary.read_text("utf-8") == comment


def test_workflow_guards_and_installs_from_a_checkout() -> None:
    upload = WORKFLOW[WORKFLOW.index("- name: Upload SARIF") : WORKFLOW.index("uses: github/")]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in upload
    assert "pip install prepmodel" not in WORKFLOW
    assert "python -m pip install ./.prepmodel" in WORKFLOW
    assert "--edit-last" not in workflow_step_script("Comment on the pull request")
    assert 'startswith("<!-- prep-diff -->")' in WORKFLOW
    for action, major in re.findall(r"uses: ([\w/-]+)@v(\d+)", WORKFLOW):
        assert int(major) >= {"actions/checkout": 7, "actions/setup-python": 7}.get(action, 4)

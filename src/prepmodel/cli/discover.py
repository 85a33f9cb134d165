"""Folders given on the command line: the `.prep` files under them, as ruff and black
find their files.

A folder is searched recursively, in sorted order. Hidden files and folders (a name that
starts with ``.``) are skipped, and so is whatever git would ignore: the ``.gitignore``
files of the folders searched and of their parents up to the top of the repository, and
the repository's ``.git/info/exclude`` (patterns matched by ``pathspec``, the library
black uses, with git's rules). Symbolic links to folders are not followed. A file named
on the command line is always read, ignored or not (docs/command-line.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pathspec import GitIgnoreSpec

SUFFIX = ".prep"


@dataclass(frozen=True)
class _Rules:
    """The patterns of one ignore file and the folder they are relative to."""

    base: Path
    spec: GitIgnoreSpec


def _read_rules(base: Path, file: Path) -> list[_Rules]:
    try:
        lines = file.read_text("utf-8", errors="replace").splitlines()
    except OSError:  # unreadable or absent: git ignores it too
        return []
    return [_Rules(base, GitIgnoreSpec.from_lines(lines))]


def _repository_top(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _inherited(folder: Path) -> list[_Rules]:
    """The ignore rules that apply inside ``folder`` before its own ``.gitignore``."""
    top = _repository_top(folder)
    if top is None:
        return []
    rules = _read_rules(top, top / ".git" / "info" / "exclude")
    between = [folder, *folder.parents]
    for parent in reversed(between[1 : between.index(top) + 1]):
        rules += _read_rules(parent, parent / ".gitignore")
    return rules


def _ignored(path: Path, is_folder: bool, rules: list[_Rules]) -> bool:
    """Git's answer: the last pattern that matches decides, deeper files overriding."""
    verdict = False
    for rule in rules:
        try:
            relative = path.relative_to(rule.base).as_posix()
        except ValueError:
            continue
        result = rule.spec.check_file(relative + "/" if is_folder else relative)
        if result.include is not None:
            verdict = result.include
    return verdict


def find_models(folder: Path) -> list[Path]:
    """The ``.prep`` files under ``folder``, sorted, without hidden or git-ignored ones."""
    top = Path(os.path.abspath(folder))
    found: list[Path] = []

    def walk(current: Path, rules: list[_Rules]) -> None:
        if (current / ".gitignore").is_file():
            rules = rules + _read_rules(current, current / ".gitignore")
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError:  # unreadable folder: nothing to find in it
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = current / entry.name
            if entry.is_dir(follow_symlinks=False):
                if not _ignored(path, True, rules):
                    walk(path, rules)
            elif (
                entry.name.endswith(SUFFIX) and entry.is_file() and not _ignored(path, False, rules)
            ):
                found.append(path)

    walk(top, _inherited(top))
    return found


def expand(arguments: list[str]) -> tuple[list[str], list[str]]:
    """The files to read for ``arguments`` (``-``, files and folders), in order and each
    once, and the folders that held no ``.prep`` file. A folder's files are named as the
    folder was (``models/a.prep`` for ``models``); a missing file is kept, so that reading
    it reports the problem in its turn."""
    files: list[str] = []
    empty: list[str] = []
    seen: set[str] = set()
    for argument in arguments:
        if argument != "-" and Path(argument).is_dir():
            base = Path(os.path.abspath(argument))
            models = find_models(base)
            if not models:
                empty.append(argument)
            names = [os.path.normpath(os.path.join(argument, m.relative_to(base))) for m in models]
        else:
            names = [argument]
        for name in names:
            key = name if name == "-" else os.path.normcase(os.path.abspath(name))
            if key not in seen:
                seen.add(key)
                files.append(name)
    return files, empty

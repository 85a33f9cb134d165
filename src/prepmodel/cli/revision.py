"""Imports of a model read from a git revision (`prep diff REV:path`).

``REV:path`` names a file as git does (from the repository's top, or ``REV:./path`` from
the current folder); its imports are read from the same revision, relative to it, with
``git show`` (the revision after ``--end-of-options``, as for the file itself).
"""

from __future__ import annotations

import posixpath
import subprocess

from prepmodel.checks.imports import MAX_IMPORT_BYTES, ImportProblem, too_big
from prepmodel.text.i18n import msg


def split(spec: str) -> tuple[str, str]:
    """``REV:path`` -> (REV, path)."""
    revision, _, path = spec.partition(":")
    return revision, path


class GitReader:
    """Files of one git revision, named ``REV:path`` (an import reader)."""

    def join(self, importer: str, written: str) -> str:
        revision, path = split(importer)
        relative = path.startswith(("./", "../"))
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), written))
        if relative and not joined.startswith("../"):
            joined = "./" + joined
        return f"{revision}:{joined}"

    def key(self, path: str) -> str:
        return path

    def read(self, path: str) -> bytes:
        revision = split(path)[0]

        def git(*args: str) -> subprocess.CompletedProcess[bytes]:
            try:
                return subprocess.run(
                    ["git", *args, "--end-of-options", path], capture_output=True, check=False
                )
            except FileNotFoundError:
                raise ImportProblem(msg("git is not installed (needed for REV:path)")) from None

        kind = git("cat-file", "-t")
        if kind.returncode != 0:
            raise ImportProblem(
                msg("there is no such file in revision {revision}", revision=revision)
            )
        what = kind.stdout.decode("utf-8", "replace").strip()
        if what != "blob":
            raise ImportProblem(msg("it is a {kind} in git, not a file", kind=what))
        size = git("cat-file", "-s")
        if size.returncode == 0 and int(size.stdout.strip() or 0) > MAX_IMPORT_BYTES:
            raise ImportProblem(too_big())
        shown = git("show", "--no-textconv")
        if shown.returncode != 0:
            raise ImportProblem(
                msg("there is no such file in revision {revision}", revision=revision)
            )
        return shown.stdout

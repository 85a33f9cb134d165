"""``--editor CMD``: open a file at a line in the user's editor.

The command is a template split like a shell would (``shlex``) but never run by a shell:
``{file}``, ``{line}`` and ``{column}`` in its words are replaced, and the words are the
program's arguments. The file is always one the server watches, found by the server from
its own list; a page only says which of them and where.
"""

from __future__ import annotations

import shlex
import string
import subprocess
import threading
from pathlib import Path

FIELDS = frozenset({"file", "line", "column"})


class EditorError(Exception):
    """The ``--editor`` template cannot be used, or the editor did not start."""


def parse_template(template: str) -> list[str]:
    """The words of ``template``; raises EditorError when it is empty, cannot be split or
    names a field other than ``{file}``, ``{line}`` and ``{column}``."""
    try:
        words = shlex.split(template)
    except ValueError as err:
        raise EditorError(f"--editor {template!r}: {err}") from None
    if not words:
        raise EditorError("--editor needs a command, e.g. --editor 'code -g {file}:{line}'")
    for word in words:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(word) if name is not None}
        except ValueError as err:
            raise EditorError(f"--editor {template!r}: {err}") from None
        unknown = names - FIELDS
        if unknown:
            raise EditorError(
                f"--editor {template!r}: unknown field {{{sorted(unknown)[0]}}}; "
                "use {file}, {line} and {column}"
            )
    if not any("{file}" in word for word in words):
        words.append("{file}")
    return words


def command(words: list[str], file: Path, line: int, column: int) -> list[str]:
    """The argument list for opening ``file`` at ``line``:``column``."""
    values = {"file": str(file), "line": str(line), "column": str(column)}
    return [word.format(**values) for word in words]


def open_in_editor(words: list[str], file: Path, line: int, column: int) -> None:
    """Start the editor and do not wait for it. Raises EditorError when it cannot start."""
    argv = command(words, file, line, column)
    try:
        process = subprocess.Popen(  # a list, never a shell: the user's own command
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as err:
        raise EditorError(f"cannot start the editor {argv[0]!r}: {err.strerror or err}") from None
    # Reap it when it ends (an editor launcher usually returns at once), leaving no zombie.
    threading.Thread(target=process.wait, name="prep-editor", daemon=True).start()

"""Writing the files a command was asked to write, and nothing else (docs/security.md).

A regular file is replaced atomically (a temporary file in the same folder, renamed over
it) with its mode, owner and group kept; a symbolic link is written through to its
target; a file with other hard links, or one whose owner cannot be kept, is rewritten in
place so every name still sees the new content; a FIFO or device is written into as it
is. A read-only file is refused, and so is an output that is one of the command's inputs.
When the caller says what the file held when it was read (``expect``), a file changed
since (an edit saved meanwhile) is left alone.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from prepmodel.errors import PrepError


class WriteRefused(PrepError):
    """A file was not written; the message says why, in one line."""


@dataclass(frozen=True)
class Snapshot:
    """What a file looked like when it was read: size, modification time, content hash."""

    size: int
    mtime_ns: int
    digest: bytes

    @classmethod
    def of(cls, path: Path, data: bytes) -> Snapshot | None:
        """The snapshot of ``path`` read as ``data`` (None when it cannot be stat'ed)."""
        try:
            info = os.stat(path)
        except OSError:
            return None
        return cls(info.st_size, info.st_mtime_ns, hashlib.sha256(data).digest())

    def matches(self, path: Path) -> bool:
        try:
            info = os.stat(path)
            if (info.st_size, info.st_mtime_ns) != (self.size, self.mtime_ns):
                return False
            return hashlib.sha256(path.read_bytes()).digest() == self.digest
        except OSError:
            return False


def same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name the same file (through links too)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def refuse_inputs(output: Path, inputs: list[str]) -> None:
    """Raise :class:`WriteRefused` when ``output`` is one of ``inputs`` ('-' aside)."""
    for name in inputs:
        if name != "-" and same_file(output, Path(name)):
            raise WriteRefused(f"{output}: is the input {name}; choose another output file")


def write_file(path: Path, data: bytes, expect: Snapshot | None = None) -> None:
    """Write ``data`` to ``path`` as the module docstring says; OSError becomes
    :class:`WriteRefused` with the reason."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise WriteRefused(f"{path}: cannot write: {err.strerror or err}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise WriteRefused(f"{path}: is a folder")
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_into(path, target, data)  # a FIFO, a terminal, /dev/null: no rename
        return
    # No write permission bit at all counts too: root may write anything, but a file
    # someone made read-only says "do not rewrite me".
    if info is not None and (not info.st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise WriteRefused(f"{path}: is read-only; not written")
    if expect is not None and not expect.matches(target):
        raise WriteRefused(f"{path}: changed since it was read; not written (run again)")
    if info is not None and info.st_nlink > 1:
        _write_into(path, target, data)  # keep the other hard links seeing the new text
        return
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise WriteRefused(f"{path}: cannot write: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if info is None:
            os.chmod(tmp, 0o666 & ~_umask())
        else:
            if (info.st_uid, info.st_gid) != _owner(tmp):
                try:
                    os.chown(tmp, info.st_uid, info.st_gid)
                except OSError:  # cannot keep the owner: rewrite the file itself instead
                    Path(tmp).unlink(missing_ok=True)
                    _write_into(path, target, data)
                    return
            os.chmod(tmp, stat.S_IMODE(info.st_mode))
        if expect is not None and not expect.matches(target):
            raise WriteRefused(f"{path}: changed since it was read; not written (run again)")
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise WriteRefused(f"{path}: cannot write: {err.strerror or err}") from None
    except WriteRefused:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_into(path: Path, target: Path, data: bytes) -> None:
    try:
        with open(target, "wb") as fh:
            fh.write(data)
    except OSError as err:
        raise WriteRefused(f"{path}: cannot write: {err.strerror or err}") from None


def _owner(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_uid, info.st_gid


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

"""Watch the files a model is made of and say when one of them changed.

The folders holding the files are watched (with ``watchfiles``), not the files
themselves: editors save by writing a new file and renaming it over the old one, and a
file that is deleted or renamed away must be noticed when it comes back. Changes to other
files in those folders are filtered out. The set of files is asked for again after every
change (``files()``), so when models can import others (contract v2, §8) the watcher
follows the imports without being rebuilt; today a model is one file.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Collection
from pathlib import Path

#: Milliseconds: changes are reported once nothing more changed for STEP_MS (an editor's
#: save is several file-system events), and at the latest after DEBOUNCE_MS.
STEP_MS = 30
DEBOUNCE_MS = 300


def watched_key(path: Path) -> str:
    """How a watched path is compared with the paths the watcher reports."""
    return os.path.normcase(os.path.abspath(path))


class _Either:
    """Stops ``awatch`` when the server stops or when the set of folders must change
    (watchfiles polls ``is_set`` from its watching thread)."""

    def __init__(self, stop: asyncio.Event, retarget: asyncio.Event) -> None:
        self.stop = stop
        self.retarget = retarget

    def is_set(self) -> bool:
        return self.stop.is_set() or self.retarget.is_set()

    def set(self) -> None:  # awatch sets it when it is cancelled
        self.retarget.set()


async def watch_files(
    files: Callable[[], Collection[Path]],
    changed: Callable[[], None],
    stop: asyncio.Event,
    *,
    force_polling: bool | None = None,
) -> None:
    """Call ``changed()`` after each batch of changes to any of ``files()`` (created,
    modified, deleted, renamed in or out), until ``stop`` is set."""
    while not stop.is_set():
        wanted = frozenset(watched_key(p) for p in files())
        folders = sorted({os.path.dirname(p) for p in wanted})
        existing = [f for f in folders if os.path.isdir(f)]
        if len(existing) < len(folders):  # a folder is gone: look again a little later
            changed()
            await _sleep_or_stop(stop, 0.5)
            if not existing:
                continue
        try:
            await _watch_folders(existing, wanted, files, changed, stop, force_polling)
        except (OSError, RuntimeError):  # e.g. the folder was removed while watched
            changed()
            await _sleep_or_stop(stop, 0.5)


async def _watch_folders(
    folders: list[str],
    wanted: frozenset[str],
    files: Callable[[], Collection[Path]],
    changed: Callable[[], None],
    stop: asyncio.Event,
    force_polling: bool | None,
) -> None:
    """Watch ``folders`` until ``stop`` is set or the set of files is no longer ``wanted``."""
    from watchfiles import awatch

    def relevant(_change: object, path: str) -> bool:
        return watched_key(Path(path)) in wanted

    retarget = asyncio.Event()
    async for batch in awatch(
        *folders,
        watch_filter=relevant,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        stop_event=_Either(stop, retarget),
        recursive=False,
        force_polling=force_polling,
    ):
        if batch:
            changed()
        if frozenset(watched_key(p) for p in files()) != wanted:  # imports changed (later)
            retarget.set()
            return
        if len(folders) < len({os.path.dirname(p) for p in wanted}):
            return  # a missing folder may be back: look again


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)

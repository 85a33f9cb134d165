"""The preview's state: the latest build, the last good one, and the pages watching.

One builder task rebuilds when the watcher says a file changed. Builds run one at a time
in a worker thread (layout is CPU work; the server stays responsive); changes that arrive
during a build are folded into one more build after it, so the last save always wins and
fifty quick saves cost a handful of builds, not fifty. Every open page gets each new state
through its own mailbox, which keeps only the newest state: a slow page skips versions
instead of queueing them.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
from pathlib import Path
from typing import Any

from prepmodel.serve.build import Build, Settings, build, export, read_model


class Mailbox:
    """The newest state for one page (older undelivered states are dropped)."""

    def __init__(self) -> None:
        self.state: dict[str, Any] | None = None
        self.ready = asyncio.Event()

    def put(self, state: dict[str, Any]) -> None:
        self.state = state
        self.ready.set()

    async def get(self) -> dict[str, Any]:
        await self.ready.wait()
        self.ready.clear()
        assert self.state is not None
        return self.state


class Preview:
    """The model being previewed: ``path`` on disk, ``shown`` as the user wrote it."""

    def __init__(self, path: Path, shown: str, settings: Settings, editor: bool = False) -> None:
        self.path = path
        self.shown = shown
        self.settings = settings
        self.editor = editor
        self.version = 0
        self.latest: Build | None = None
        self.good: Build | None = None
        self.good_version = 0
        self._last_data: tuple[bytes | None, tuple[bytes | None, ...]] | None = None
        self._built_once = False
        self._dirty = asyncio.Event()
        self._mailboxes: set[Mailbox] = set()
        self._exports: dict[tuple[int, str], bytes] = {}
        self._export_lock = asyncio.Lock()
        self.builds = 0
        #: Tells a page that reconnects whether it is still talking to the same server.
        self.instance = secrets.token_hex(8)

    # ----------------------------------------------------------------- files and builds

    def files(self) -> list[Path]:
        """The files the model is made of: its own and those its imports named at the last
        build (contract §8), so a change to an imported file rebuilds too."""
        imports = self.latest.imports if self.latest is not None else []
        return [self.path, *imports]

    def _read_all(self) -> tuple[bytes | None, str | None, bool, tuple[bytes | None, ...]]:
        """The model's bytes (as :func:`read_model`) and those of the files its imports
        named at the last build (None: unreadable), to tell whether anything changed."""
        data, problem, missing = read_model(self.path)
        others: list[bytes | None] = []
        for path in self.latest.imports if self.latest is not None else []:
            try:
                others.append(path.read_bytes())
            except OSError:
                others.append(None)
        return data, problem, missing, tuple(others)

    def changed(self) -> None:
        """A watched file changed: build again soon."""
        self._dirty.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Build now, then after every change, until ``stop`` is set."""
        self._dirty.set()
        while not stop.is_set():
            waiter = asyncio.ensure_future(self._dirty.wait())
            stopper = asyncio.ensure_future(stop.wait())
            await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            stopper.cancel()
            if stop.is_set():
                return
            self._dirty.clear()
            await self.rebuild()

    async def rebuild(self) -> None:
        """Read the model and, if it changed, build it and tell every page."""
        data, problem, _missing, others = await asyncio.to_thread(self._read_all)
        if self._built_once and problem is None and (data, others) == self._last_data:
            return  # touched, or saved unchanged (the model and the files it imports)
        self._last_data = (data, others)
        self._built_once = True
        if problem is not None:
            done = Build("error", message=problem)
        else:
            try:
                done = await asyncio.to_thread(
                    build, data, self.shown, self.path.parent, self.settings
                )
            except Exception as err:  # a bug of ours: say so, keep serving the last good one
                message = f"prep could not build {self.shown}: {type(err).__name__}: {err}"
                print(f"prep: internal error: {message}", file=sys.stderr, flush=True)
                done = Build("error", message=message)
        self.builds += 1
        self.version += 1
        self.latest = done
        if done.status == "ok":
            # The same picture (a comment or a blank line at the end): pages keep the one
            # they show instead of loading it again.
            unchanged = self.good is not None and self.good.page == done.page
            self.good = done
            if not unchanged:
                self.good_version = self.version
        state = self.state()
        for box in list(self._mailboxes):
            box.put(state)

    # ----------------------------------------------------------------- pages

    def state(self) -> dict[str, Any]:
        """What a page needs to know now (plain JSON types)."""
        done = self.latest or Build("error", message="starting")
        shown = self.good
        return {
            "version": self.version,
            "status": done.status,
            "message": done.message,
            "line": done.line,
            "file": self.shown,
            "diagnostics": done.diagnostics,
            "summary": done.summary,
            "lang": (shown.lang if shown else done.lang),
            "title": (shown.title if shown else None),
            "scenario": list(shown.scenario) if shown else [],
            "shown": self.good_version,
            "seconds": round(done.seconds, 3),
            "editor": self.editor,
            "server": self.instance,
        }

    def subscribe(self) -> Mailbox:
        box = Mailbox()
        box.put(self.state())
        self._mailboxes.add(box)
        return box

    def unsubscribe(self, box: Mailbox) -> None:
        self._mailboxes.discard(box)

    @property
    def pages_open(self) -> int:
        return len(self._mailboxes)

    async def export(self, name: str) -> tuple[int, bytes] | None:
        """Export ``name`` of the diagram shown now (made once per version)."""
        good, version = self.good, self.good_version
        if good is None:
            return None
        async with self._export_lock:  # one export at a time: PNG/PDF of a big model is heavy
            key = (version, name)
            if key not in self._exports:
                data = await asyncio.to_thread(export, good, name, self.settings)
                self._exports = {k: v for k, v in self._exports.items() if k[0] == version}
                self._exports[key] = data
            return version, self._exports[key]

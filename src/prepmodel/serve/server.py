"""Run ``prep serve``: bind the port, start Uvicorn with the app, the builder and the
watcher, stop cleanly on Ctrl-C.

The listening socket is made here, before Uvicorn starts, so that a port in use is one
clear sentence (not a traceback from deep in asyncio), ``--port 0`` can report the port
the system chose, and the URL is printed at once; connections wait in the socket's queue
until the first build is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
import sys
import threading
import webbrowser
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

from prepmodel.serve.build import Settings

LOOPBACK = ("127.0.0.1", "localhost", "::1")
#: Layouts of bands kept between builds (a few builds' worth of a big model).
LAYOUT_CACHE_ENTRIES = 96


class ServeError(Exception):
    """``prep serve`` cannot start; ``str(error)`` is a sentence for the user."""


@dataclass
class ServeOptions:
    path: Path
    shown: str
    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False
    editor: str | None = None
    settings: Settings = field(default_factory=Settings)
    force_polling: bool | None = None


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` and listening; ServeError when it cannot be."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        raise ServeError(f"cannot listen on {host!r}: {err.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # not SO_REUSEPORT
        sock.bind(address)
        sock.listen(128)
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {host} is already in use (another `prep serve`?); "
                "choose another with --port N, or --port 0 for a free one"
            ) from None
        if err.errno == errno.EACCES:
            raise ServeError(
                f"port {port} needs administrator rights; choose one above 1023 with --port"
            ) from None
        raise ServeError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
    sock.set_inheritable(False)
    return sock


def url_of(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    shown = (
        f"[{shown}]" if ":" in shown and host != "::" else ("localhost" if host == "::" else shown)
    )
    return f"http://{shown}:{port}/"


def allowed_hosts(host: str) -> list[str] | None:
    """Host header values accepted: the loopback names when bound to loopback (a web site
    that points its own name at 127.0.0.1 is refused: DNS rebinding); any when bound to
    every interface or a named one, where people reach it by the machine's address."""
    if host in LOOPBACK or host.startswith("127."):
        named = f"[{host}]" if ":" in host else host  # an IPv6 literal is bracketed in Host
        return sorted({named, "127.0.0.1", "localhost"})
    return None


def serve(options: ServeOptions, say: Callable[[str], None]) -> None:
    """Serve until Ctrl-C (or SIGTERM). Raises ServeError when it cannot start."""
    import gc

    import uvicorn
    from starlette.applications import Starlette

    from prepmodel.serve.editor import EditorError, parse_template
    from prepmodel.serve.hub import Preview
    from prepmodel.serve.watch import watch_files
    from prepmodel.serve.web import create_app

    try:
        editor = parse_template(options.editor) if options.editor is not None else None
    except EditorError as err:
        raise ServeError(str(err)) from None
    from prepmodel.render.engine import enable_layout_cache

    gc.enable()  # `prep` turns the collector off for short commands; a server runs for hours
    enable_layout_cache(LAYOUT_CACHE_ENTRIES)  # a save re-lays only the bands it changed
    preview = Preview(options.path, options.shown, options.settings, editor=editor is not None)
    sock = listen(options.host, options.port)
    url = url_of(sock, options.host)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        await preview.rebuild()  # the first pages see a diagram, not a spinner
        tasks = [
            asyncio.create_task(preview.run(stop), name="prep-builder"),
            asyncio.create_task(
                watch_files(
                    preview.files, preview.changed, stop, force_polling=options.force_polling
                ),
                name="prep-watcher",
            ),
        ]
        ready.set()
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    ready = threading.Event()
    app = create_app(preview, allowed_hosts(options.host), editor, lifespan=lifespan)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=2,
        server_header=False,
    )
    server = uvicorn.Server(config)
    say(f"prep: serving {options.shown} at {url} (Ctrl-C stops)")
    if options.host not in LOOPBACK and not options.host.startswith("127."):
        say(
            f"prep: warning: listening on {options.host}, not only this computer: anyone "
            "who can reach this machine on the network can see the model"
        )
    if options.open_browser:
        threading.Thread(
            target=lambda: ready.wait(60) and webbrowser.open(url), daemon=True
        ).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    say("prep: stopped")
    sys.stdout.flush()

"""The HTTP side of ``prep serve``: a Starlette application with a fixed set of routes.

``/`` the live page (the shell: status, diagnostics, exports, source), ``/view`` the
interactive viewer of the last good build (the page ``prep render -o x.html`` writes),
``/events`` the state as Server-Sent Events, ``/state`` the same as JSON, ``/source`` the
model text, ``/export/{svg,png,pdf,csv,md}`` the downloads, ``/assets/live.{js,css}`` the
shell's own script and style, and ``POST /open`` (with ``--editor``). No path from a
request reaches the file system: the routes match exact names and everything else is a
404. A Host header check keeps other web sites from reading the server through DNS
rebinding, ``/open`` needs the page's random token, and every page has a Content Security
Policy that lets only our own scripts run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import urllib.parse
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from importlib import resources
from typing import Any, Final

from sse_starlette import EventSourceResponse
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from prepmodel.render.viewer import asset as viewer_asset
from prepmodel.serve.build import EXPORTS
from prepmodel.serve.editor import EditorError, open_in_editor
from prepmodel.serve.hub import Preview
from prepmodel.serve.page import shell_page

#: How soon a page's EventSource tries again after the server went away.
RETRY_MS: Final = 1000
_ASSET_TYPES: Final = {
    "live.js": "text/javascript; charset=utf-8",
    "live.css": "text/css; charset=utf-8",
}


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _common(csp: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "Cross-Origin-Resource-Policy": "same-origin",
    }


SHELL_CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def viewer_csp() -> str:
    """Only the viewer's own inline script may run in the viewer page; no inline event
    handler, no script a model's text could smuggle in."""
    return (
        f"default-src 'none'; script-src '{_sha256(viewer_asset('viewer.js'))}'; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'self'"
    )


def _asset(name: str) -> str:
    return (resources.files("prepmodel.serve") / "assets" / name).read_text("utf-8")


def with_version(page: bytes, version: int) -> bytes:
    """The viewer page with its version in a ``<meta>`` (the live page reads it)."""
    meta = f'<meta name="prep-version" content="{version}">'.encode()
    return page.replace(b"<head>", b"<head>" + meta, 1)


#: What the frame's copy of the viewer page gets in its ``<head>`` (``/view?v=N``, the page
#: the live page loads): the diagram is styled and laid out once, after the viewer has
#: fitted it (the live page adds ``prep-fitted`` when the frame has loaded; until then the
#: viewer's start-up measures the stage without laying out the SVG, and its fit, a new
#: viewBox, does not lay it out a second time); the checkpoint tables below the picture stay
#: out of the first layout until the live page has shown the frame (``prep-shown``); the
#: page is not drawn before the diagram has been parsed (``blocking="render"``: no layout
#: of a half parsed SVG while it arrives); and the live page's own style for the panel's
#: ``file:line`` links, so that adding it does not restyle the whole page at the swap.
FRAME_HEAD: Final = (
    b"<style>html:not(.prep-fitted) #canvas{content-visibility:hidden}"
    b"html:not(.prep-shown) #tables{display:none}"
    b"#panel dd.src code,#panel .sub code{cursor:pointer;text-decoration:underline dotted}"
    b'</style><link rel="expect" href="#panel" blocking="render">'
)
_DIAGRAM: Final = b'<svg id="diagram"'


def for_frame(page: bytes) -> bytes:
    """The viewer page as the live page's frame loads it: :data:`FRAME_HEAD` in its head
    and no white space between the diagram's tags (half the nodes of the document; none of
    them is drawn). The same picture, the same data; ``/view`` without ``v`` is the page
    ``prep render`` writes."""
    page = page.replace(b"</head>", FRAME_HEAD + b"</head>", 1)
    start = page.find(_DIAGRAM)
    end = page.find(b"</svg>", start)
    if start < 0 or end < 0:
        return page
    end += 1  # up to the "<" of the closing tag
    return page[:start] + page[start:end].replace(b">\n<", b"><") + page[end:]


def export_filename(stem: str, name: str) -> str:
    return f"{stem}-checkpoints.{name}" if name in ("csv", "md") else f"{stem}.{name}"


def _disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{urllib.parse.quote(filename)}"


def create_app(
    preview: Preview,
    allowed_hosts: list[str] | None = None,
    editor: list[str] | None = None,
    token: str | None = None,
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
) -> Starlette:
    """The application serving ``preview``. ``allowed_hosts``: the Host header values
    accepted (None: any); ``editor``: the ``--editor`` words (None: no /open)."""
    token = token or secrets.token_urlsafe(24)
    assets = {name: _asset(name) for name in _ASSET_TYPES}
    view_csp = viewer_csp()
    framed: list[Any] = [None, b""]  # the last good build and its page for the frame
    stem = preview.path.stem

    async def shell(request: Request) -> Response:
        page = shell_page(preview.shown, preview.state(), token, sorted(EXPORTS))
        return Response(page, media_type="text/html; charset=utf-8", headers=_common(SHELL_CSP))

    async def view(request: Request) -> Response:
        good, version = preview.good, preview.good_version
        if good is None or good.page is None:
            return PlainTextResponse("no diagram yet", 404, headers=_common(SHELL_CSP))
        page = good.page
        if "v" in request.query_params:  # the live page's frame
            if framed[0] is not good:
                framed[:] = [good, for_frame(good.page)]
            page = framed[1]
        return Response(
            with_version(page, version),
            media_type="text/html; charset=utf-8",
            headers={**_common(view_csp), "X-Prep-Version": str(version)},
        )

    async def state(request: Request) -> Response:
        return JSONResponse(preview.state(), headers=_common(SHELL_CSP))

    async def source(request: Request) -> Response:
        done = preview.latest
        if done is None or done.text is None:
            return PlainTextResponse("no source", 404, headers=_common(SHELL_CSP))
        return PlainTextResponse(done.text, headers=_common(SHELL_CSP))

    async def events(request: Request) -> Response:
        box = preview.subscribe()

        async def stream() -> AsyncIterator[dict[str, Any]]:
            try:
                while True:
                    current = await box.get()
                    yield {
                        "retry": RETRY_MS,
                        "event": "state",
                        "id": str(current["version"]),
                        "data": json.dumps(current, ensure_ascii=False),
                    }
            finally:
                preview.unsubscribe(box)

        return EventSourceResponse(stream(), ping=15, headers=_common(SHELL_CSP))

    async def export(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in EXPORTS:
            return PlainTextResponse("not found", 404, headers=_common(SHELL_CSP))
        from prepmodel.render.engine import EngineError
        from prepmodel.render.raster import RasterError

        try:
            made = await preview.export(name)
        except (EngineError, RasterError) as err:
            return PlainTextResponse(str(err), 500, headers=_common(SHELL_CSP))
        if made is None:
            return PlainTextResponse("no diagram yet", 409, headers=_common(SHELL_CSP))
        version, data = made
        headers = {
            **_common(SHELL_CSP),
            "Content-Disposition": _disposition(export_filename(stem, name)),
            "X-Prep-Version": str(version),
        }
        return Response(data, media_type=EXPORTS[name][1], headers=headers)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in assets:
            return PlainTextResponse("not found", 404, headers=_common(SHELL_CSP))
        return Response(assets[name], media_type=_ASSET_TYPES[name], headers=_common(SHELL_CSP))

    async def open_file(request: Request) -> Response:
        if editor is None:
            return PlainTextResponse("no --editor given", 404, headers=_common(SHELL_CSP))
        if not secrets.compare_digest(request.headers.get("x-prep-token", ""), token):
            return PlainTextResponse("forbidden", 403, headers=_common(SHELL_CSP))
        try:
            body = await request.json()
            wanted, line, column = str(body["file"]), int(body["line"]), int(body.get("column", 1))
        except (ValueError, KeyError, TypeError):
            return PlainTextResponse("bad request", 400, headers=_common(SHELL_CSP))
        # The page names one of the files being watched; the path comes from our own list.
        files = {preview.shown: preview.path}
        if wanted not in files or line < 1 or column < 1:
            return PlainTextResponse("not a watched file", 404, headers=_common(SHELL_CSP))
        try:
            open_in_editor(editor, files[wanted].resolve(), line, column)
        except EditorError as err:
            return PlainTextResponse(str(err), 500, headers=_common(SHELL_CSP))
        return Response(status_code=204, headers=_common(SHELL_CSP))

    async def not_found(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("not found", 404, headers=_common(SHELL_CSP))

    routes = [
        Route("/", shell),
        Route("/view", view),
        Route("/state", state),
        Route("/source", source),
        Route("/events", events),
        Route("/export/{name}", export),
        Route("/assets/{name}", asset),
        Route("/open", open_file, methods=["POST"]),
    ]
    middleware = []
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={404: not_found},
        lifespan=lifespan,
    )

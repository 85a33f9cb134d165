"""``prep serve``: a live preview for workshops.

One person edits the ``.prep`` file, the room watches the diagram. A local web server
(Starlette on Uvicorn) serves the interactive viewer of ``prep render -o x.html``; the
model's files are watched (watchfiles), rebuilt on save and pushed to every open page
(Server-Sent Events). The page keeps its zoom and selection across updates, lists the
diagnostics, dims the last good diagram under an error overlay that names the line, shows
whether it is connected, opens ``file:line`` in the editor (``--editor``) and exports the
same bytes as ``prep render`` and ``prep checkpoints``.

Modules: ``build`` (one build, the exports), ``hub`` (versions, builder, pages),
``watch`` (the file watcher), ``web`` (the routes), ``page`` (the live page),
``editor`` (``--editor``), ``server`` (the socket, Uvicorn, Ctrl-C). Choices are written
down in ``docs/serve.md``.
"""

from prepmodel.serve.build import Settings
from prepmodel.serve.server import ServeError, ServeOptions, serve

__all__ = ["ServeError", "ServeOptions", "Settings", "serve"]

"""The `.prep` files of the workspace folders, for workspace symbols: the open documents
as the editor has them, the others as they are on disk (read again when they change)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from prepmodel.lsp.documents import Document, uri_to_path

if TYPE_CHECKING:
    from prepmodel.lsp.server import PrepServer

MAX_FILES = 2000
MAX_BYTES = 5_000_000
_SKIP = {"node_modules", "__pycache__", ".git", ".venv", "venv", ".tox"}
_on_disk: dict[Path, tuple[float, Document]] = {}


def _prep_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in _SKIP and not d.startswith("."))
        found.extend(Path(folder) / f for f in sorted(files) if f.endswith(".prep"))
        if len(found) >= MAX_FILES:
            break
    return found[:MAX_FILES]


def project_documents(ls: PrepServer) -> list[Document]:
    """Every open document, then every other `.prep` file under the workspace folders."""
    documents = [ls.document(uri) for uri in sorted(ls.workspace.text_documents)]
    open_paths = {uri_to_path(d.uri) for d in documents}
    roots = [uri_to_path(f.uri) for f in ls.workspace.folders.values()]
    if not roots and ls.workspace.root_uri:
        roots = [uri_to_path(ls.workspace.root_uri)]
    for root in sorted({r for r in roots if r is not None and r.is_dir()}):
        for path in _prep_files(root):
            if path in open_paths:
                continue
            try:
                stat = path.stat()
                if stat.st_size > MAX_BYTES:
                    continue
                known = _on_disk.get(path)
                if known is None or known[0] != stat.st_mtime:
                    text = path.read_text(encoding="utf-8")
                    document = Document(path.as_uri(), text, None, ls.project.encoding)
                    known = _on_disk[path] = (stat.st_mtime, document)
            except (OSError, UnicodeDecodeError):
                continue
            documents.append(known[1])
    return documents

"""The live page (the shell around the viewer): markup, words and the data its script reads.

The viewer itself is the page ``prep render -o x.html`` writes, loaded in a frame from
``/view``; the shell adds what a live preview needs around it: the connection state, the
build status, the diagnostics panel, the error overlay, the source pane and the export
buttons. Every text from the model reaches the page as JSON and is set with
``textContent`` by ``assets/live.js``.
"""

from __future__ import annotations

import html
from typing import Any, Final

from prepmodel.render.viewer import json_script

WORDS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "connecting": "Connecting…",
        "connected": "Live",
        "reconnecting": "Disconnected — reconnecting…",
        "diagnostics": "Diagnostics",
        "no_problems": "No problems.",
        "export": "Export",
        "csv": "Checkpoints CSV",
        "md": "Checkpoints Markdown",
        "error": "The model has an error — the last good diagram is shown, dimmed",
        "missing": "The model file is gone — waiting for it to come back",
        "no_diagram": "No diagram yet",
        "at_line": "Line {line}",
        "show_line": "Show the line",
        "open_editor": "Open in the editor",
        "version": "version {version} · {seconds} s",
        "counts": "{errors} errors, {warnings} warnings",
        "close": "Close",
        "source": "Source",
        "hint": "hint",
        "editor_failed": "The editor did not open: {message}",
        "title": "live preview",
        "scenario": "scenario: {names}",
    },
    "ja": {
        "connecting": "接続中…",
        "connected": "ライブ",
        "reconnecting": "切断 — 再接続しています…",
        "diagnostics": "診断",
        "no_problems": "問題はありません。",
        "export": "書き出し",
        "csv": "チェックポイント CSV",
        "md": "チェックポイント Markdown",
        "error": "モデルにエラーがあります — 最後に正しかった図を薄く表示しています",
        "missing": "モデルファイルが見つかりません — 戻るのを待っています",
        "no_diagram": "まだ図がありません",
        "at_line": "{line} 行目",
        "show_line": "その行を表示",
        "open_editor": "エディタで開く",
        "version": "版 {version} · {seconds} 秒",
        "counts": "エラー {errors} 件、警告 {warnings} 件",
        "close": "閉じる",
        "source": "ソース",
        "hint": "ヒント",
        "editor_failed": "エディタを開けませんでした: {message}",
        "title": "ライブプレビュー",
        "scenario": "シナリオ：{names}",
    },
}

_EXPORT_LABELS: Final = {"svg": "SVG", "png": "PNG", "pdf": "PDF"}


def _scenario(state: dict[str, Any], words: dict[str, str]) -> str:
    """The scenario shown (``prep serve --when``), beside the file name; "" without one."""
    names = state.get("scenario") or []
    if not names:
        return ""
    text = words["scenario"].format(names=", ".join(names))
    return f'<span id="live-scenario">{html.escape(text)}</span>'


def shell_page(file: str, state: dict[str, Any], token: str, exports: list[str]) -> bytes:
    """The live page for the model ``file`` in its current ``state``."""
    lang = state.get("lang") or "en"
    words = WORDS.get(lang, WORDS["en"])
    order = [name for name in ("svg", "png", "pdf", "csv", "md") if name in exports]
    buttons = "".join(
        f'<a class="export" id="export-{name}" href="/export/{name}" download '
        f'data-label="{name}">{html.escape(_EXPORT_LABELS.get(name) or words[name])}</a>'
        for name in order
    )
    data = {"words": WORDS, "token": token, "file": file, "state": state}
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(file)} — prep serve</title>",
        '<link rel="stylesheet" href="/assets/live.css"></head>',
        '<body data-conn="connecting" data-status="" data-shown="0">',
        '<header id="live-bar">',
        '<span id="conn" role="status" aria-live="polite"><i></i>'
        '<span id="conn-text"></span></span>',
        f'<code id="live-file">{html.escape(file)}</code>',
        _scenario(state, words),
        '<span id="live-status"></span>',
        '<button id="diag-toggle" type="button" aria-expanded="false">'
        '<span id="diag-label"></span> <b id="diag-count"></b></button>',
        f'<span id="exports"><span id="export-label"></span>{buttons}</span>',
        "</header>",
        '<main id="live-stage">',
        '<iframe id="frame-a" class="frame back" title="diagram"></iframe>',
        '<iframe id="frame-b" class="frame back" title="diagram"></iframe>',
        '<div id="overlay" role="alert" hidden><h2 id="overlay-title"></h2>',
        '<p id="overlay-message"></p><pre id="overlay-line"></pre>',
        '<button id="overlay-show" type="button"></button></div>',
        '<aside id="diag" hidden><h2 id="diag-title"></h2><ul id="diag-list"></ul></aside>',
        '<aside id="source" hidden><header><b id="source-title"></b>',
        '<button id="source-close" type="button"></button></header>',
        '<pre id="source-text"></pre></aside>',
        '<div id="toast" role="status" hidden></div>',
        "</main>",
        json_script(data, "live-data"),
        '<script src="/assets/live.js"></script>',
        "</body></html>",
        "",
    ]
    return "\n".join(parts).encode("utf-8")

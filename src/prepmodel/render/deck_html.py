"""The pages of ``prep render --pages`` as one offline HTML page: each page fills the window
(16:9, letterboxed), the arrow keys, Page Up/Down, space and a click move between them, and
the address keeps the page number (``#3``). No script or style is loaded from anywhere."""

from __future__ import annotations

import html

from prepmodel.journey.core import Journey
from prepmodel.render.pages import Page

_CSS = """
html,body{margin:0;height:100%;background:#1f2933;overflow:hidden}
body{font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic",Meiryo,
"DejaVu Sans",sans-serif}
.slide{position:absolute;inset:0;display:none;align-items:center;justify-content:center}
.slide.current{display:flex}
.slide svg{width:min(100vw,calc(100vh*16/9));height:auto;background:white}
nav{position:fixed;right:12px;bottom:8px;color:#d9e2ec;font-size:16px;user-select:none}
nav button{font-size:16px;margin-left:6px}
"""

_JS = """
(function(){
  var pages=[].slice.call(document.querySelectorAll('.slide'));
  var label=document.getElementById('where');
  function show(n){
    n=Math.max(0,Math.min(pages.length-1,n));
    pages.forEach(function(p,i){p.classList.toggle('current',i===n);});
    label.textContent=(n+1)+' / '+pages.length;
    current=n;
    if(location.hash!=='#'+(n+1)){location.replace('#'+(n+1));}
  }
  var current=0;
  var start=parseInt((location.hash||'#1').slice(1),10);
  show(isNaN(start)?0:start-1);
  document.addEventListener('keydown',function(e){
    var next=['ArrowRight','PageDown',' ','ArrowDown'], back=['ArrowLeft','PageUp','ArrowUp'];
    if(next.indexOf(e.key)>=0){show(current+1);e.preventDefault();}
    else if(back.indexOf(e.key)>=0){show(current-1);e.preventDefault();}
    else if(e.key==='Home'){show(0);}else if(e.key==='End'){show(pages.length-1);}
  });
  document.getElementById('prev').onclick=function(){show(current-1);};
  document.getElementById('next').onclick=function(){show(current+1);};
})();
"""


def _inline(svg: str) -> str:
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def deck_page(j: Journey, pages: list[Page]) -> bytes:
    """The deck as UTF-8 bytes; the same pages give the same bytes."""
    from prepmodel.render.steplist import diagram_language

    lang = diagram_language(j)
    title = html.escape(j.model.title or "prep", quote=True)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{_CSS}</style></head><body>",
    ]
    for n, page in enumerate(pages, start=1):
        parts.append(
            f'<section class="slide" id="page-{n}" '
            f'aria-label="{html.escape(page.title, quote=True)}">'
            f"{_inline(page.svg)}</section>"
        )
    parts += [
        '<nav><span id="where"></span><button id="prev" aria-label="previous">‹</button>'
        '<button id="next" aria-label="next">›</button></nav>',
        f"<script>{_JS}</script>",
        "</body></html>",
        "",
    ]
    return "\n".join(parts).encode("utf-8")

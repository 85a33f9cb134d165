"""SVG to PNG/PDF with Japanese fonts; the missing-font warning; determinism."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from prepmodel.render import raster
from prepmodel.render.engine import layout
from prepmodel.render.raster import (
    NO_JAPANESE_FONT_MESSAGE,
    MissingJapaneseFontWarning,
    RasterError,
    find_fallback_font,
    find_japanese_font,
    font_family,
    missing_font_message,
    svg_to_pdf,
    svg_to_png,
)

DOT = (
    'digraph { rankdir=LR; node [shape=box, fontname="Noto Sans CJK JP, sans-serif"]; '
    '"成功定義書" -> "導入計画書"; "契約書" -> "導入計画書" [label="計画策定 plan"] }'
)
JP_FONT = find_japanese_font()
needs_jp_font = pytest.mark.skipif(
    JP_FONT is None,
    reason="no Japanese font installed: apt-get install fonts-noto-cjk (or another CJK font)",
)
FALLBACK_FONT = find_fallback_font()
needs_fallback_font = pytest.mark.skipif(
    FALLBACK_FONT is None, reason="no Latin font installed: apt-get install fonts-dejavu-core"
)
SRC_DIR = Path(raster.__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def svg() -> bytes:
    return layout(DOT)


def _single_label_svg(label: str) -> bytes:
    return layout(f'digraph {{ node [shape=box]; "{label}" }}')


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _svg_size(svg: bytes) -> tuple[float, float]:
    match = re.search(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert match is not None
    return float(match.group(1)), float(match.group(2))


# ----------------------------------------------------------------------------- fonts


def test_no_search_paths_means_no_font() -> None:
    assert find_japanese_font(search_paths=[]) is None
    assert find_fallback_font(search_paths=[]) is None


def test_search_paths_skip_missing_and_non_fonts(tmp_path: Path) -> None:
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font at all")
    assert find_japanese_font(search_paths=[tmp_path / "nope.ttc", junk]) is None


@needs_jp_font
def test_search_paths_return_first_usable(tmp_path: Path) -> None:
    assert JP_FONT is not None
    found = find_japanese_font(search_paths=[tmp_path / "nope.ttc", JP_FONT])
    assert found == JP_FONT


def test_explicit_font_must_exist_and_be_a_font(tmp_path: Path) -> None:
    with pytest.raises(RasterError, match="font file not found"):
        find_japanese_font(tmp_path / "missing.ttf")
    text_file = tmp_path / "readme.ttf"
    text_file.write_text("hello", encoding="utf-8")
    with pytest.raises(RasterError, match="not a TrueType/OpenType font"):
        find_japanese_font(text_file)


@needs_jp_font
def test_explicit_font_wins() -> None:
    assert JP_FONT is not None
    assert find_japanese_font(JP_FONT, search_paths=[]) == JP_FONT


@needs_jp_font
def test_font_family_of_collection_prefers_japanese_face() -> None:
    assert JP_FONT is not None
    family = font_family(JP_FONT)
    assert family
    if JP_FONT.name.startswith("NotoSansCJK"):
        assert family == "Noto Sans CJK JP"


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig (fc-list) not installed")
@needs_jp_font
def test_fontconfig_lists_japanese_fonts() -> None:
    fonts = raster._fontconfig_fonts(":lang=ja")
    assert fonts, "fc-list :lang=ja found nothing although a Japanese font is installed"
    assert all(isinstance(p, Path) for p in fonts)


def test_set_font_family_rewrites_every_text(svg: bytes) -> None:
    text = raster._set_font_family(svg.decode("utf-8"), "IPAexGothic")
    families = set(re.findall(r'font-family="([^"]*)"', text))
    assert families == {"'IPAexGothic'"}
    assert re.search(r"<svg\b[^>]*font-family=\"'IPAexGothic'\"", text)
    css = raster._set_font_family(
        '<svg><text style="font-family: Times; fill:red">x</text></svg>', "A"
    )
    assert "font-family:'A'; fill:red" in css


# ----------------------------------------------------------------------------- PNG


@needs_jp_font
def test_png_header_and_size(svg: bytes) -> None:
    png = svg_to_png(svg, JP_FONT, scale=2.0)
    width, height = _png_size(png)
    svg_w, svg_h = _svg_size(svg)
    assert abs(width - 2 * svg_w) <= 1 and abs(height - 2 * svg_h) <= 1
    width1, _ = _png_size(svg_to_png(svg, JP_FONT, scale=1.0))
    assert abs(width1 - svg_w) <= 1


@needs_jp_font
def test_png_draws_japanese_glyphs() -> None:
    # Two different five-character labels: real glyphs give different pictures, while
    # missing glyphs ("tofu" boxes) or missing text would give identical ones.
    first = svg_to_png(_single_label_svg("成功定義書"), JP_FONT)
    second = svg_to_png(_single_label_svg("導入計画書"), JP_FONT)
    assert first != second
    blank = svg_to_png(
        _single_label_svg("成功定義書").replace("成功定義書".encode(), b" "), JP_FONT
    )
    assert first != blank


@needs_fallback_font
def test_tofu_check_is_meaningful() -> None:
    # The same pair with a font lacking Japanese glyphs renders identically (all tofu).
    with pytest.warns(MissingJapaneseFontWarning):
        first = svg_to_png(_single_label_svg("成功定義書"), None)
    with pytest.warns(MissingJapaneseFontWarning):
        second = svg_to_png(_single_label_svg("導入計画書"), None)
    assert first == second


@needs_jp_font
def test_png_is_deterministic(svg: bytes) -> None:
    assert svg_to_png(svg, JP_FONT) == svg_to_png(svg, JP_FONT)


def test_png_rejects_bad_scale(svg: bytes) -> None:
    with pytest.raises(ValueError, match="scale"):
        svg_to_png(svg, None, scale=0)


# ----------------------------------------------------------------------------- PDF


@needs_jp_font
def test_pdf_header_and_no_date(svg: bytes) -> None:
    pdf = svg_to_pdf(svg, JP_FONT)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"/CreationDate" not in pdf and b"/ModDate" not in pdf
    assert svg_to_pdf(svg, JP_FONT) == pdf


def test_pdf_date_stripping_keeps_offsets() -> None:
    pdf = b"1 0 obj\n<< /Producer (cairo) /CreationDate (D:20260101120000+09'00) >>\nendobj\n"
    stripped = raster._strip_pdf_dates(pdf)
    assert len(stripped) == len(pdf)
    assert b"CreationDate" not in stripped and b"/Producer (cairo)" in stripped


@needs_jp_font
def test_png_and_pdf_identical_across_processes(svg: bytes, tmp_path: Path) -> None:
    code = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from prepmodel.render.engine import layout\n"
        "from prepmodel.render.raster import svg_to_pdf, svg_to_png\n"
        f"svg = layout({DOT!r})\n"
        f"font = Path({str(JP_FONT)!r})\n"
        "print(hashlib.sha256(svg_to_png(svg, font)).hexdigest())\n"
        "print(hashlib.sha256(svg_to_pdf(svg, font)).hexdigest())\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC_DIR), env.get("PYTHONPATH", "")) if p)
    outputs = []
    for seed in ("1", "2"):
        env["PYTHONHASHSEED"] = seed
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, check=True, env=env, timeout=120
        )
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]
    import hashlib

    here = f"{hashlib.sha256(svg_to_png(svg, JP_FONT)).hexdigest()}\n"
    here += f"{hashlib.sha256(svg_to_pdf(svg, JP_FONT)).hexdigest()}\n"
    assert outputs[0].decode() == here


# ----------------------------------------------------------------------------- no font


def test_missing_japanese_font_warns_but_still_writes(svg: bytes) -> None:
    font = find_japanese_font(search_paths=[])  # a machine without Japanese fonts
    assert font is None
    assert missing_font_message(svg, font) == NO_JAPANESE_FONT_MESSAGE
    with pytest.warns(MissingJapaneseFontWarning, match="no Japanese font found") as record:
        png = svg_to_png(svg, font)
    assert png.startswith(b"\x89PNG")
    assert "apt-get install fonts-noto-cjk" in str(record[0].message)
    assert "--font FILE" in str(record[0].message)
    with pytest.warns(MissingJapaneseFontWarning, match="tofu"):
        pdf = svg_to_pdf(svg, font)
    assert pdf.startswith(b"%PDF-")


def test_no_warning_for_latin_only_diagram() -> None:
    svg = layout('digraph { node [shape=box]; "Order slip" -> "Invoice" }')
    assert missing_font_message(svg, None) is None
    if find_fallback_font() is None:
        pytest.skip("no Latin font installed: apt-get install fonts-dejavu-core")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert svg_to_png(svg, None).startswith(b"\x89PNG")


@needs_jp_font
def test_no_warning_with_a_font(svg: bytes) -> None:
    assert missing_font_message(svg, JP_FONT) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        svg_to_png(svg, JP_FONT)
        svg_to_pdf(svg, JP_FONT)


# ----------------------------------------------------------------------------- fallback


def _cairo_works() -> bool:
    try:
        import cairosvg  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@pytest.mark.skipif(not _cairo_works(), reason="cairosvg or the cairo library is not installed")
@needs_jp_font
def test_cairo_fallback_when_rust_converters_are_missing(
    svg: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "resvg_py", None)  # makes "import resvg_py" fail
    monkeypatch.setitem(sys.modules, "svg2pdf_py", None)
    png = svg_to_png(svg, JP_FONT)
    assert png.startswith(b"\x89PNG")
    pdf = svg_to_pdf(svg, JP_FONT)
    assert pdf.startswith(b"%PDF-") and b"/CreationDate" not in pdf
    assert svg_to_pdf(svg, JP_FONT) == pdf


def test_no_converter_at_all_is_a_clear_error(svg: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("resvg_py", "svg2pdf_py", "cairosvg"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(RasterError, match="no SVG converter is available"):
        svg_to_png(svg, JP_FONT)
    with pytest.raises(RasterError, match="install resvg-py"):
        svg_to_pdf(svg, JP_FONT)


def test_family_names_with_quotes_and_backslashes_are_escaped() -> None:
    out = raster._set_font_family('<svg><text font-family="Times">x</text></svg>', "A'B\\C&D")
    assert "font-family=\"'A\\'B\\\\C&amp;D'\"" in out

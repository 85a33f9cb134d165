"""SVG to PNG and PDF, with a Japanese font found on the machine or given by the user.

PNG is drawn by resvg (``resvg-py``) and PDF by svg2pdf (``svg2pdf-py``): self-contained Rust
wheels that need no system library, take font *files*, and give the same bytes on every run.
CairoSVG is a fallback for either when those wheels are missing (it needs the system
``libcairo`` and only sees fonts that fontconfig knows).

Fonts: SVG text names font families; a family that the converter cannot match is drawn as
nothing (resvg) or with a font lacking Japanese glyphs (cairo: "tofu" boxes). So every
``font-family`` in the SVG is rewritten to the family of the one font file used, and only
that file is loaded, which also keeps the output independent of the other fonts installed.
When no Japanese font is available and the diagram has CJK text, a
:class:`MissingJapaneseFontWarning` is issued (with :mod:`warnings`) and the file is still
written: the CLI prints the warning on stderr and keeps its exit code.
"""

from __future__ import annotations

import functools
import html
import math
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Final

from prepmodel.errors import PrepError
from prepmodel.render.measure import has_cjk

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import svg2pdf_py

__all__ = [
    "DEFAULT_JAPANESE_FONT_PATHS",
    "NO_JAPANESE_FONT_MESSAGE",
    "MissingFontWarning",
    "MissingJapaneseFontWarning",
    "RasterError",
    "find_fallback_font",
    "find_japanese_font",
    "font_family",
    "missing_font_message",
    "svg_to_pdf",
    "svg_to_png",
]

NO_JAPANESE_FONT_MESSAGE: Final[str] = (
    "no Japanese font found: Japanese text in the PNG/PDF would show as empty boxes (tofu); "
    "install one (apt-get install fonts-noto-cjk) or pass --font FILE"
)
NO_FONT_MESSAGE: Final[str] = (
    "no font found: text in the PNG/PDF may be missing; install one "
    "(apt-get install fonts-noto-cjk) or pass --font FILE"
)

#: Well-known Japanese font files, tried in this order before asking fontconfig.
DEFAULT_JAPANESE_FONT_PATHS: Final[tuple[Path, ...]] = tuple(
    Path(p)
    for p in (
        # Debian/Ubuntu fonts-noto-cjk, Arch noto-fonts-cjk, Fedora google-noto-cjk
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf",
        "/usr/share/fonts/google-noto-sans-cjk-vf-fonts/NotoSansCJK-VF.ttc",
        # Debian's alternatives link, IPA / IPAex, Takao, VL Gothic
        "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
        "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
        "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
        "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
        "/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf",
        "/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf",
        # macOS, Windows
        "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
        "/System/Library/Fonts/Hiragino Sans GB.ttc",
        "C:/Windows/Fonts/YuGothR.ttc",
        "C:/Windows/Fonts/meiryo.ttc",
        "C:/Windows/Fonts/msgothic.ttc",
    )
)

#: Latin fonts used when no Japanese font is available, so that Latin text still shows.
_FALLBACK_FONT_PATHS: Final[tuple[Path, ...]] = tuple(
    Path(p)
    for p in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
        "/System/Library/Fonts/Helvetica.ttc",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "C:/Windows/Fonts/arial.ttf",
    )
)

_SFNT_MAGIC: Final[frozenset[bytes]] = frozenset({b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf"})
_FONT_FAMILY_ATTR: Final[re.Pattern[str]] = re.compile(r"""font-family\s*=\s*("[^"]*"|'[^']*')""")
_FONT_FAMILY_CSS: Final[re.Pattern[str]] = re.compile(r"""font-family\s*:\s*[^;"'<>}]*""")
_SVG_OPEN_TAG: Final[re.Pattern[str]] = re.compile(r"<svg\b[^>]*>")
_TEXT_CONTENT: Final[re.Pattern[str]] = re.compile(r"<text\b[^>]*>(.*?)</text>", re.DOTALL)
_PDF_DATES: Final[re.Pattern[bytes]] = re.compile(rb"/(?:CreationDate|ModDate)\s*\([^)]*\)")


class RasterError(PrepError):
    """An SVG could not be converted, or a given font file is unusable (message for users)."""


class MissingFontWarning(UserWarning):
    """No font was found: text in the PNG/PDF may be missing."""


class MissingJapaneseFontWarning(MissingFontWarning):
    """The diagram has Japanese text but no Japanese font was found (it would be tofu)."""


class PngScaledDownWarning(UserWarning):
    """The PNG would have been too big at the asked scale and was drawn smaller."""


#: A PNG is held in memory while it is drawn (4 bytes a pixel, and the converters need
#: more): above this many pixels, or this many on one side, it is drawn smaller.
MAX_PIXELS: Final[int] = 16_000_000  # about 5,300 x 3,000: more than a 4K screen
MAX_SIDE: Final[int] = 32_000
_SVG_SIZE: Final[re.Pattern[str]] = re.compile(
    r'<svg\b[^>]*?\swidth="([\d.]+)(?:pt)?"[^>]*?\sheight="([\d.]+)(?:pt)?"', re.S
)


def capped_scale(svg_text: str, scale: float) -> float:
    """``scale``, or a smaller one that keeps the PNG under :data:`MAX_PIXELS` and
    :data:`MAX_SIDE` (with a :class:`PngScaledDownWarning` saying so)."""
    match = _SVG_SIZE.search(svg_text[:4096])
    if match is None:
        return scale
    width, height = float(match.group(1)), float(match.group(2))
    if width <= 0 or height <= 0:
        return scale
    fit: float = min(scale, math.sqrt(MAX_PIXELS / (width * height)), MAX_SIDE / max(width, height))
    if fit >= scale:
        return scale
    asked = f"{round(width * scale):,}×{round(height * scale):,} px"
    drawn = f"{round(width * fit):,}×{round(height * fit):,} px"
    warnings.warn(
        PngScaledDownWarning(
            f"the PNG would be {asked}; drawn at scale {fit:.3g} ({drawn}) instead; use .svg "
            "or .pdf for full detail, or draw less with --goal or --focus"
        ),
        stacklevel=2,
    )
    return fit


# --------------------------------------------------------------------------- font files


def _read(handle: BinaryIO, offset: int, size: int) -> bytes:
    handle.seek(offset)
    data = handle.read(size)
    if len(data) != size:
        raise ValueError("truncated font file")
    return data


def _u16(data: bytes, pos: int) -> int:
    return int.from_bytes(data[pos : pos + 2], "big")


def _u32(data: bytes, pos: int) -> int:
    return int.from_bytes(data[pos : pos + 4], "big")


def _face_family(handle: BinaryIO, face_offset: int) -> str | None:
    """Read the family name (typographic family if present) of the face at ``face_offset``."""
    header = _read(handle, face_offset, 12)
    num_tables = _u16(header, 4)
    records = _read(handle, face_offset + 12, 16 * num_tables)
    name_offset = None
    for i in range(num_tables):
        if records[16 * i : 16 * i + 4] == b"name":
            name_offset = _u32(records, 16 * i + 8)
            break
    if name_offset is None:
        return None
    head = _read(handle, name_offset, 6)
    count, string_offset = _u16(head, 2), _u16(head, 4)
    table = _read(handle, name_offset + 6, 12 * count)
    best: tuple[int, str] | None = None
    for i in range(count):
        rec = table[12 * i : 12 * i + 12]
        platform, encoding, language, name_id = (_u16(rec, k) for k in (0, 2, 4, 6))
        length, offset = _u16(rec, 8), _u16(rec, 10)
        if name_id not in (1, 16):
            continue
        if platform in (0, 3):
            codec = "utf-16-be"
            rank = 0 if platform == 3 and language == 0x409 else 2
        elif platform == 1 and encoding == 0:
            codec = "mac_roman"
            rank = 1 if language == 0 else 3
        else:
            continue
        rank = rank * 2 + (0 if name_id == 16 else 1)
        if best is not None and best[0] <= rank:
            continue
        raw = _read(handle, name_offset + string_offset + offset, length)
        name = raw.decode(codec, errors="replace").strip()
        if name:
            best = (rank, name)
    return best[1] if best else None


@functools.lru_cache(maxsize=64)
def _font_families(path: Path) -> tuple[str, ...]:
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
            if magic not in _SFNT_MAGIC:
                raise RasterError(f"{path} is not a TrueType/OpenType font file (.ttf/.otf/.ttc)")
            if magic == b"ttcf":
                head = _read(handle, 0, 12)
                count = _u32(head, 8)
                offsets_data = _read(handle, 12, 4 * count)
                offsets = [_u32(offsets_data, 4 * i) for i in range(count)]
            else:
                offsets = [0]
            families = [_face_family(handle, off) for off in offsets]
    except OSError as exc:
        raise RasterError(f"cannot read font file {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise RasterError(f"{path} is not a usable font file: {exc}") from exc
    names = tuple(name for name in families if name)
    if not names:
        raise RasterError(f"{path} has no font family name")
    return names


def font_family(path: Path) -> str:
    """Return the family name that SVG text should use for the font file at ``path``.

    For a collection (.ttc) the Japanese face is preferred (a family ending in "JP", as in
    "Noto Sans CJK JP"), else the first face. Raises :class:`RasterError` for a file that is
    missing or not a TrueType/OpenType font.
    """
    names = _font_families(Path(path))
    for name in names:
        if name.endswith(" JP") or "Japanese" in name:
            return name
    return names[0]


def _usable(path: Path) -> bool:
    try:
        return path.is_file() and bool(font_family(path))
    except RasterError:
        return False


def _fontconfig_rank(family: str, style: str, path: str) -> tuple[int, int, int, str]:
    fam = family.lower()
    sty = style.lower()
    sans = 0 if any(k in fam for k in ("sans", "gothic", "ゴシック")) else 1
    mono = 1 if "mono" in fam else 0
    regular = 0 if any(k in sty for k in ("regular", "book", "normal", "w3")) else 1
    if any(k in sty for k in ("bold", "black", "heavy", "light", "thin")):
        regular = 1
    return (sans, mono, regular, path)


@functools.lru_cache(maxsize=4)
def _fontconfig_fonts(pattern: str) -> tuple[Path, ...]:
    """Font files that ``fc-list PATTERN`` reports, best candidates first (empty if no fc-list)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    try:
        proc = subprocess.run(
            [fc_list, "--format", "%{file}\t%{family[0]}\t%{style[0]}\n", pattern],
            capture_output=True,
            check=False,
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    if proc.returncode != 0:
        return ()
    ranked: dict[str, tuple[int, int, int, str]] = {}
    for line in proc.stdout.decode("utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0]:
            continue
        rank = _fontconfig_rank(parts[1], parts[2], parts[0])
        if parts[0] not in ranked or rank < ranked[parts[0]]:
            ranked[parts[0]] = rank
    return tuple(Path(p) for p, _ in sorted(ranked.items(), key=lambda item: item[1]))


def _first_usable(candidates: Iterable[Path]) -> Path | None:
    for candidate in candidates:
        if _usable(candidate):
            return candidate
    return None


def find_japanese_font(
    explicit: Path | None = None, *, search_paths: Sequence[Path] | None = None
) -> Path | None:
    """Return a Japanese font file to draw PNG/PDF text with, or None when there is none.

    ``explicit`` (the CLI's ``--font FILE``) wins; it must be a TrueType/OpenType font file,
    else :class:`RasterError`. Otherwise the first usable file of ``search_paths`` is
    returned; by default that is :data:`DEFAULT_JAPANESE_FONT_PATHS` followed by what
    ``fc-list :lang=ja`` reports (when fontconfig is installed). Tests pass their own list,
    e.g. ``search_paths=[]`` to simulate a machine without Japanese fonts.
    """
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise RasterError(f"font file not found: {path}")
        font_family(path)
        return path
    if search_paths is not None:
        return _first_usable(Path(p) for p in search_paths)
    found = _first_usable(DEFAULT_JAPANESE_FONT_PATHS)
    if found is None:
        found = _first_usable(_fontconfig_fonts(":lang=ja"))
    return found


def find_fallback_font(*, search_paths: Sequence[Path] | None = None) -> Path | None:
    """Return a (Latin) sans-serif font file for when no Japanese font is available."""
    if search_paths is not None:
        return _first_usable(Path(p) for p in search_paths)
    found = _first_usable(_FALLBACK_FONT_PATHS)
    if found is None:
        found = _first_usable(_fontconfig_fonts(":lang=en"))
    return found


# --------------------------------------------------------------------------- SVG handling


def _svg_text(svg: bytes) -> str:
    try:
        return svg.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RasterError(f"SVG is not valid UTF-8: {exc}") from exc


def _has_cjk_text(svg_text: str) -> bool:
    return any(has_cjk(html.unescape(m.group(1))) for m in _TEXT_CONTENT.finditer(svg_text))


def _has_text(svg_text: str) -> bool:
    return any(html.unescape(m.group(1)).strip() for m in _TEXT_CONTENT.finditer(svg_text))


def missing_font_message(svg: bytes, font: Path | None) -> str | None:
    """Return the warning to show for converting ``svg`` with ``font``, or None if all is well.

    The message is :data:`NO_JAPANESE_FONT_MESSAGE` when the SVG has CJK text and ``font`` is
    None. :func:`svg_to_png` and :func:`svg_to_pdf` issue it as a warning themselves.
    """
    if font is not None:
        return None
    return NO_JAPANESE_FONT_MESSAGE if _has_cjk_text(_svg_text(svg)) else None


def _warn_if_missing(svg_text: str, font: Path | None, fallback: Path | None) -> None:
    if font is not None:
        return
    if _has_cjk_text(svg_text):
        warnings.warn(MissingJapaneseFontWarning(NO_JAPANESE_FONT_MESSAGE), stacklevel=4)
    elif fallback is None and _has_text(svg_text):
        warnings.warn(MissingFontWarning(NO_FONT_MESSAGE), stacklevel=4)


def _css_family(family: str) -> str:
    """Quote ``family`` for a CSS font-family list inside a double-quoted XML attribute."""
    escaped = family.replace("\\", "\\\\").replace("'", "\\'")
    return html.escape(f"'{escaped}'", quote=True).replace("&#x27;", "'")


def _set_font_family(svg_text: str, family: str) -> str:
    """Make all text of ``svg_text`` use ``family`` (attributes, CSS, and the root default)."""
    value = _css_family(family)
    out = _FONT_FAMILY_ATTR.sub(lambda _m: f'font-family="{value}"', svg_text)
    out = _FONT_FAMILY_CSS.sub(lambda _m: f"font-family:{value}", out)
    root = _SVG_OPEN_TAG.search(out)
    if root is not None and "font-family" not in root.group(0):
        tag = root.group(0)
        end = -2 if tag.endswith("/>") else -1
        new_tag = f'{tag[:end]} font-family="{value}"{tag[end:]}'
        out = out[: root.start()] + new_tag + out[root.end() :]
    return out


def _prepare(svg: bytes, font: Path | None) -> tuple[str, Path | None, str | None]:
    """Return (svg text with font families set, font file to load, its family name)."""
    text = _svg_text(svg)
    use = font if font is not None else find_fallback_font()
    _warn_if_missing(text, font, use)
    if use is None:
        return text, None, None
    family = font_family(use)
    return _set_font_family(text, family), use, family


# --------------------------------------------------------------------------- converters


def _png_resvg(text: str, font: Path | None, family: str | None, scale: float) -> bytes:
    import resvg_py

    try:
        data = resvg_py.svg_to_bytes(
            svg_string=text,
            dpi=72.0,  # SVG "pt" units map 1:1 to pixels before ``zoom``
            zoom=scale,
            skip_system_fonts=font is not None,
            font_files=[str(font)] if font is not None else None,
            font_family=family,
            serif_family=family,
            sans_serif_family=family,
            monospace_family=family,
            cursive_family=family,
            fantasy_family=family,
        )
    except (ValueError, RuntimeError, OSError) as exc:
        raise RasterError(f"could not convert the SVG to PNG: {exc}") from exc
    return bytes(data)


@functools.lru_cache(maxsize=8)
def _svg2pdf_fonts(font: Path | None) -> svg2pdf_py.FontDatabase:
    import svg2pdf_py

    if font is None:
        return svg2pdf_py.FontDatabase.system()
    database = svg2pdf_py.FontDatabase()
    database.load_font_file(str(font))
    return database


def _pdf_svg2pdf(text: str, font: Path | None) -> bytes:
    import svg2pdf_py

    database = _svg2pdf_fonts(font)
    try:
        data = svg2pdf_py.svg_to_pdf(text, database)
    except (ValueError, RuntimeError, OSError) as exc:
        raise RasterError(f"could not convert the SVG to PDF: {exc}") from exc
    return bytes(data)


def _png_cairo(text: str, scale: float) -> bytes:
    import cairosvg

    data = cairosvg.svg2png(bytestring=text.encode("utf-8"), dpi=72, scale=scale)
    return bytes(data)


def _strip_pdf_dates(pdf: bytes) -> bytes:
    """Blank out /CreationDate and /ModDate with spaces of the same length (keeps xref valid)."""
    return _PDF_DATES.sub(lambda m: b" " * len(m.group(0)), pdf)


def _pdf_cairo(text: str) -> bytes:
    import cairosvg

    data = cairosvg.svg2pdf(bytestring=text.encode("utf-8"), dpi=72)
    return _strip_pdf_dates(bytes(data))


def _cairo_unavailable(exc: BaseException) -> RasterError:
    return RasterError(
        "no SVG converter is available: install resvg-py (PNG) and svg2pdf-py (PDF), "
        f"or cairosvg with the cairo library ({type(exc).__name__}: {exc})"
    )


def svg_to_png(svg: bytes, font: Path | None, scale: float = 2.0) -> bytes:
    """Convert a Graphviz SVG to PNG bytes; ``scale`` pixels per SVG point (pt).

    ``font`` is the font file for all text, normally ``find_japanese_font(cli_font)``. None
    means "no Japanese font": a Latin fallback font is used and, if the SVG has CJK text, a
    :class:`MissingJapaneseFontWarning` is issued; the PNG is still returned. Raises
    :class:`RasterError` if no converter works. Same input and font give the same bytes.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    text, use, family = _prepare(svg, font)
    scale = capped_scale(text, scale)
    try:
        return _png_resvg(text, use, family, scale)
    except ImportError as first:
        try:
            return _png_cairo(text, scale)
        except (ImportError, OSError) as exc:
            raise _cairo_unavailable(exc) from first


def svg_to_pdf(svg: bytes, font: Path | None) -> bytes:
    """Convert a Graphviz SVG to a one-page vector PDF with the used glyphs embedded.

    ``font`` as for :func:`svg_to_png` (same warning when it is None and there is CJK text).
    The PDF carries no creation date, so the same input gives the same bytes.
    """
    text, use, _family = _prepare(svg, font)
    try:
        return _pdf_svg2pdf(text, use)
    except ImportError as first:
        try:
            return _pdf_cairo(text)
        except (ImportError, OSError) as exc:
            raise _cairo_unavailable(exc) from first


def join_pdfs(pdfs: Sequence[bytes]) -> bytes:
    """One PDF with the pages of ``pdfs`` in order (pypdf; no dates, so same bytes)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

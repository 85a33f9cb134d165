"""Durations in ``effort`` (contract §12): a number with ``h``, ``d`` or ``w`` (``4h``,
``3d``, ``1.5w``; 1d = 8h, 1w = 5d), or ``時間``, ``日``, ``週``. Full-width digits and
letters (an input method's ``３日``) read as their ASCII forms; a space between the number
and the unit is allowed. Anything else is not a duration (EF01)."""

from __future__ import annotations

import re
import unicodedata

HOURS_PER_UNIT = {"h": 1.0, "時間": 1.0, "d": 8.0, "日": 8.0, "w": 40.0, "週": 40.0}

_DURATION = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*(h|d|w|時間|日|週)", re.IGNORECASE)


def parse_effort(text: str) -> float | None:
    """Hours in ``text``, or None when it is not a duration."""
    match = _DURATION.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        return None
    return float(match.group(1)) * HOURS_PER_UNIT[match.group(2).lower()]


def format_hours(hours: float) -> str:
    """``36.0`` -> ``"36h"``, ``2.5`` -> ``"2.5h"``: hours as the outputs print them."""
    return f"{hours:g}h"

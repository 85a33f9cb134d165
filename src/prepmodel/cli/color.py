"""Whether the `prep` command colours its text: ``--color``, then the environment.

``--color always`` and ``--color never`` decide. With ``--color auto`` (the default) the
conventions of other command-line tools apply, in this order:

1. ``NO_COLOR`` set and not empty: no colour (https://no-color.org);
2. ``FORCE_COLOR`` set and not empty: colour (https://force-color.org), even into a pipe;
3. ``CLICOLOR_FORCE`` set and not ``0``: colour (https://bixense.com/clicolors);
4. ``CLICOLOR=0`` or ``TERM=dumb``: no colour;
5. otherwise colour when the stream is a terminal.

The escape sequences themselves come from ``click.style`` (what Typer prints with), and
``typer.echo(..., color=...)`` is told the decision so it neither strips forced colour
from a pipe nor adds any.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping


class ColorMode(enum.StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


_chosen = [ColorMode.auto]


def choose(mode: ColorMode) -> None:
    """Remember the ``--color`` the command was given (for this run)."""
    _chosen[0] = mode


def use_color(stream: object, environ: Mapping[str, str] | None = None) -> bool:
    """True when text written to ``stream`` should be coloured."""
    mode = _chosen[0]
    if mode is not ColorMode.auto:
        return mode is ColorMode.always
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    if env.get("CLICOLOR") == "0" or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False

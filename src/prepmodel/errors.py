"""The root of the library's exceptions.

Every error prepmodel raises for a reason the caller can act on (a settings file that
cannot be used, Graphviz that cannot lay a diagram out, a font that cannot be read, an
output that may not be written, a formatter that would change a model) derives from
:class:`PrepError`, so an application embedding prepmodel can catch them all in one
place, as with lark's ``LarkError``. Bad input text is never an exception: it becomes a
diagnostic. Wrong arguments (an unknown format name) stay ``ValueError``, and
control-flow exceptions between prepmodel's own modules stay private.
"""

from __future__ import annotations

__all__ = ["PrepError"]


class PrepError(Exception):
    """Base class of prepmodel's errors; ``str(error)`` is a sentence meant for people."""

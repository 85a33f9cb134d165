"""prepmodel: deliverable-perspective (PReP) business-process models.

The public API takes text and returns data; nothing here reads argv or prints::

    import prepmodel
    result = prepmodel.check(open("samples/restaurant.prep").read(), "restaurant.prep")
    for d in result: print(d.code, d.message)

Heavy modules load on first use, so ``import prepmodel`` is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prepmodel.errors import PrepError

if TYPE_CHECKING:
    from prepmodel.checks.analysis import Analysis
    from prepmodel.diagnostics import Diagnostic

    __version__: str

__all__ = ["PrepError", "__version__", "check", "checkpoints", "load"]


def load(text: str, path: str = "<stdin>") -> Analysis:
    """Parse and check ``text``: the model, its graph, journey and diagnostics."""
    from prepmodel.checks.analysis import analyse_text

    return analyse_text(text, path)


def check(text: str, path: str = "<stdin>") -> list[Diagnostic]:
    """The diagnostics of ``text``, sorted by file, line, column and code."""
    return load(text, path).diagnostics


def checkpoints(text: str, path: str = "<stdin>", goal: str | None = None) -> dict[str, Any]:
    """The contract's checkpoint JSON object for ``text``."""
    from prepmodel.views.checkpoints import journey_json

    analysis = load(text, path)
    return journey_json(analysis.journey, goal)


def _package_version() -> str:
    """The installed distribution's version: pyproject.toml is the one place it is written."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("prepmodel")
    except PackageNotFoundError:  # imported from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    # ``__version__`` is looked up on first use: importlib.metadata costs a start-up
    # that `prep --help` and `import prepmodel` need not pay.
    if name == "__version__":
        return _package_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""A command's findings made in a short-lived forked child while this process makes the
output (#18).

`prep checkpoints` on a big model spends about as long making its tables (the journey,
every goal's checkpoints, the JSON) as running the rules, and the two need nothing from
each other: the tables read the model, the rules report on it. On a machine with two cores
a child runs the rules, prints the findings and ends with their exit status, while this
process makes the tables; it writes them only after the child has ended, so the output,
its order after the findings (also with ``2>&1``) and the exit status are those of the
one-process run.

The child runs the rules that need only the model (:func:`prepmodel.checks.analysis.
finish_rules`); those that read the syntax tree run before the fork, and the tree is freed
before it too. The child copies the pages it reads (a reference count written is a page
copied), so sharing the tree as well took the two processes to 1.55-1.65 GB on a
100,000-deliverable model; without it they stay under issue #18's 1.5 GB.

On by default for a big model on a machine with two cores or more; ``PREP_JOBS=1`` keeps
one process, ``PREP_JOBS=2`` (or more) forks on one core too. On a machine without
``fork``, for a small model, or when standard error is not a file descriptor (a test
runner's captured output), the command runs in one process.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable

import typer

from prepmodel.checks.analysis import jobs

# Below this much source text the second process costs more than it saves (the same
# threshold as prepmodel.checks.analysis.analyse_pair's).
PARALLEL_CHARS = 400_000

#: The exit status of a child whose work raised (EX_SOFTWARE).
CRASHED = 70


def can_fork(size: int) -> bool:
    """Whether to run the rules of a model of ``size`` characters in a child: not with
    ``PREP_JOBS=1``, two cores or more (or ``PREP_JOBS=2`` asking for it), ``fork``
    exists, the model is big enough and standard error (where the child prints) is a real
    file descriptor the child shares."""
    asked = jobs()
    wanted = asked is not None and asked >= 2
    if asked == 1 or size < PARALLEL_CHARS or not hasattr(os, "fork"):
        return False
    if not wanted and _cores() < 2:
        return False
    try:
        sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Child:
    """``work()`` running in a forked child; :meth:`wait` gives its exit status."""

    def __init__(self, work: Callable[[], int]) -> None:
        sys.stdout.flush()  # the child must not write this process's buffered text again
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:
            os._exit(_run(work))
        self.status: int | None = None

    def wait(self) -> int:
        """The child's exit status, once it has ended: what ``work`` returned, 70 when it
        raised (the traceback is on stderr), 128 + the signal's number when a signal
        ended it (killed, out of memory; reported on stderr)."""
        if self.status is None:
            _, raw = os.waitpid(self.pid, 0)
            code = os.waitstatus_to_exitcode(raw)
            if code < 0:
                typer.echo(
                    f"prep: the process checking the model ended by signal {-code}", err=True
                )
                code = 128 - code
            self.status = code
        return self.status


def _run(work: Callable[[], int]) -> int:
    try:
        code = work()
    except typer.Exit as done:  # prepmodel.cli.app.fail: already reported on stderr
        code = done.exit_code
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except BrokenPipeError:
        code = 1
    except KeyboardInterrupt:
        code = 130
    except BaseException:
        traceback.print_exc()
        code = CRASHED
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        code = code or 1
    return code

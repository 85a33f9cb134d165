"""A command's output made in a forked child while this process checks the model (#18).

`prep checkpoints` on a big model spends about as long making its tables (the journey,
every goal's checkpoints, the JSON) as running the rules, and the two need nothing from
each other: the tables read the model, the rules report on it. On a machine with two cores
the child makes the tables while this process runs the rules; the child writes nothing
until this process has printed the diagnostics, so the output and the exit status are
those of the one-process run, in the same order.

``PREP_JOBS=1`` in the environment keeps every command in one process (as do a machine
without ``fork``, a small model, and an output stream that is not a file descriptor, such
as a test runner's captured output).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterator
from itertools import chain

import typer

# Below this much source text the second process costs more than it saves (the same
# threshold as prepmodel.checks.analysis.analyse_pair's).
PARALLEL_CHARS = 400_000


def jobs_allowed() -> bool:
    """False when ``PREP_JOBS=1`` asks for one process."""
    return os.environ.get("PREP_JOBS", "").strip() != "1"


def can_fork(size: int, needs_stdout: bool) -> bool:
    """Whether to make an output of a model of ``size`` characters in a child: ``fork``
    exists, the model is big enough, ``PREP_JOBS`` allows it and (when the child writes to
    standard output) standard output is a real file descriptor the child shares."""
    if size < PARALLEL_CHARS or not jobs_allowed() or not hasattr(os, "fork"):
        return False
    if needs_stdout:
        try:
            sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):
            return False
    return True


def beside(
    make: Callable[[], Iterator[str]],
    write: Callable[[Iterator[str]], None],
    here: Callable[[], None],
) -> int:
    """Run ``write(make())`` in a forked child and ``here()`` in this process at the same
    time; the child makes its first piece of output, then waits until ``here`` has
    returned before writing anything. Returns the child's exit status (0: all written).

    When ``here`` raises, the child is told to stop without writing, and the exception
    goes on once the child has ended. A child ended by a signal is reported and counts
    as status 1."""
    sys.stdout.flush()  # the child must not write this process's buffered text again
    sys.stderr.flush()
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(go_write)
        os._exit(_child(make, write, go_read))
    os.close(go_read)
    try:
        here()
    except BaseException:
        os.close(go_write)  # the child reads no go and ends without writing
        os.waitpid(pid, 0)
        raise
    sys.stdout.flush()
    sys.stderr.flush()
    os.write(go_write, b"1")
    os.close(go_write)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code < 0:  # ended by a signal (killed, out of memory): nothing more was written
        typer.echo(f"prep: the process writing the output ended by signal {-code}", err=True)
        return 1
    return code


def _child(
    make: Callable[[], Iterator[str]], write: Callable[[Iterator[str]], None], go: int
) -> int:
    code = 0
    try:
        pieces = make()
        first = next(pieces, None)  # most of the work (the journey, every goal) is done here
        if os.read(go, 1) != b"1":
            return 1  # the parent failed: it reports why
        write(chain(() if first is None else (first,), pieces))
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
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        code = code or 1
    return code

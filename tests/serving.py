"""Start the real `prep serve` for a test: a subprocess on a free port of 127.0.0.1 (``--port
0``), its URL read from the line it prints, stopped with Ctrl-C (SIGINT) at the end."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

from .conftest import ROOT


class Server:
    """One `prep serve FILE --port 0 ARGS...` process, run in the model's folder."""

    def __init__(self, model: Path, *args: str) -> None:
        self.model = model
        env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
        env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "prepmodel", "serve", model.name, "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=model.parent,
            env=env,
            text=True,
        )
        self.lines: list[str] = []
        assert self.process.stdout is not None
        first = self.process.stdout.readline()
        self.lines.append(first)
        if " at http://" not in first:
            self.process.kill()
            _, err = self.process.communicate(timeout=10)
            raise AssertionError(f"prep serve did not start: {first!r} {err}")
        self.url = first.split(" at ")[1].split()[0]
        parsed = urllib.parse.urlsplit(self.url)
        self.host, self.port = parsed.hostname or "", parsed.port or 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.wait_ready()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                status, _, _ = self.get("/state")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("prep serve did not answer")

    def request(
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """A raw HTTP request: ``target`` is sent as written (no normalising of ``..``)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            every = {"Host": f"{self.host}:{self.port}", **(headers or {})}
            if body is not None:
                every["Content-Length"] = str(len(body))
            for key, value in every.items():
                connection.putheader(key, value)
            connection.endheaders(body)
            response = connection.getresponse()
            return (
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        finally:
            connection.close()

    def get(self, target: str, **kwargs: Any) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", target, **kwargs)

    def events(self) -> tuple[socket.socket, dict[str, Any]]:
        """Open ``/events`` as a page does; the open connection and the first state."""
        connection = socket.create_connection((self.host, self.port), timeout=10)
        connection.sendall(
            f"GET /events HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode()
        )
        received = b""
        while b"data: " not in received or b"\r\n\r\n" not in received.split(b"data: ")[1]:
            chunk = connection.recv(65536)
            if not chunk:
                raise AssertionError(f"the event stream ended: {received!r}")
            received += chunk
        assert b"text/event-stream" in received.split(b"\r\n\r\n", 1)[0]
        data = received.split(b"data: ", 1)[1].split(b"\r\n", 1)[0]
        return connection, json.loads(data)

    def stop(self, timeout: float = 20) -> tuple[int, str, str]:
        """Ctrl-C; the exit status, stdout and stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError("prep serve did not stop on Ctrl-C") from None
        self._reader.join(timeout=5)
        assert self.process.stderr is not None
        err = self.process.stderr.read()
        return self.process.returncode, "".join(self.lines), err

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.stop()


def save(path: Path, text: str) -> None:
    """Write ``text`` as an editor that saves atomically does: a new file renamed over it."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)

"""`prep serve` over HTTP, without a browser: the real server (a subprocess on a free port of
127.0.0.1), raw requests. Security (bind address, path traversal, Host header, the editor
endpoint), exports byte-for-byte equal to the command line, start-up errors, Ctrl-C.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from prepmodel.serve.editor import EditorError, command, parse_template
from prepmodel.serve.server import ServeError, allowed_hosts, listen

from .conftest import SAMPLES, run_prep
from .serving import Server, save

ONBOARDING = (SAMPLES / "onboarding.prep").read_text("utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Server:
    folder = tmp_path_factory.mktemp("serve")
    model = folder / "オンボーディング.prep"  # a Japanese file name, as workshops have
    model.write_text(ONBOARDING, "utf-8")
    server = Server(model)
    yield server  # type: ignore[misc]
    rc, _, err = server.stop()
    assert rc == 0 and "Traceback" not in err, err


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on ``port`` (Linux /proc/net/tcp{,6})."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":
                found.add(address)
    return found


def test_binds_to_loopback_only_by_default(served: Server) -> None:
    assert served.url.startswith("http://127.0.0.1:")
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp to read the bound address from")
    assert _listening_addresses(served.port) == {"0100007F"}  # 127.0.0.1, nothing else


TRAVERSALS = [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/assets/../../pyproject.toml",
    "/assets/..%2F..%2F..%2Fpyproject.toml",
    "/assets/%2e%2e/web.py",
    "/assets/live.js/../../build.py",
    "/assets//etc/passwd",
    "/export/..%2F..%2F..%2Fetc%2Fpasswd",
    "/export/../../%E3%82%AA%E3%83%B3%E3%83%9C%E3%83%BC%E3%83%87%E3%82%A3%E3%83%B3%E3%82%B0.prep",
    "/view/../../etc/passwd",
    "//etc/passwd",
    "/etc/passwd",
    "/%2Fetc%2Fpasswd",
    "/C:/Windows/win.ini",
    "/C:%5CWindows%5Cwin.ini",
    "/..\\..\\etc\\passwd",
    "/%252e%252e/%252e%252e/etc/passwd",
    "/%E3%82%AA%E3%83%B3%E3%83%9C%E3%83%BC%E3%83%87%E3%82%A3%E3%83%B3%E3%82%B0.prep",
    "/assets/viewer.js",
    "/prep.lark",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_no_request_path_reaches_the_file_system(served: Server, target: str) -> None:
    status, _, body = served.get(target)
    assert status == 404, (target, status)
    assert b"root:" not in body and b"goal" not in body and b"[project]" not in body


def test_absolute_form_request_target_is_not_a_path(served: Server) -> None:
    status, _, body = served.get(f"http://127.0.0.1:{served.port}/../../etc/passwd")
    assert status in (400, 404) and b"root:" not in body


def test_other_host_names_are_refused(served: Server) -> None:
    """A web site that points its own name at 127.0.0.1 (DNS rebinding) gets nothing."""
    status, _, body = served.get("/state", headers={"Host": f"evil.example:{served.port}"})
    assert status == 400 and b"goal" not in body
    assert served.get("/state", headers={"Host": f"localhost:{served.port}"})[0] == 200


def test_pages_carry_a_content_security_policy(served: Server) -> None:
    for target in ("/", "/view", "/state"):
        status, headers, _ = served.get(target)
        assert status == 200
        policy = headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert headers["x-content-type-options"] == "nosniff"


def test_the_frame_gets_the_same_diagram_drawn_once(served: Server) -> None:
    """``/view`` is the page ``prep render`` writes; ``/view?v=N`` (the live page's frame)
    adds only the head that keeps the browser to one layout and drops the white space
    between the diagram's tags: the same elements, attributes, text and data."""
    import re

    from prepmodel.serve.web import FRAME_HEAD

    status, headers, page = served.get("/view")
    assert status == 200 and FRAME_HEAD not in page
    status, framed_headers, framed = served.get("/view?v=1")
    assert status == 200 and framed.count(FRAME_HEAD) == 1
    assert framed_headers["content-security-policy"] == headers["content-security-policy"]
    assert b'blocking="render"' in framed and b"prep-fitted" in framed
    assert framed.replace(FRAME_HEAD, b"") == re.sub(
        rb"(<svg id=\"diagram\".*?</svg>)",
        lambda m: m.group(1).replace(b">\n<", b"><"),
        page,
        count=1,
        flags=re.DOTALL,
    )
    assert len(framed) < len(page)


def test_open_needs_an_editor_and_the_token(served: Server) -> None:
    body = json.dumps({"file": "オンボーディング.prep", "line": 1}).encode()
    status, _, _ = served.request("POST", "/open", body, {"Content-Type": "application/json"})
    assert status == 404  # no --editor: nothing to open
    assert served.get("/open")[0] == 405


def test_exports_are_the_bytes_the_command_line_writes(served: Server, tmp_path: Path) -> None:
    folder = served.model.parent
    for name, args in [
        ("svg", ["render", served.model.name, "-o", str(tmp_path / "x.svg")]),
        ("csv", ["checkpoints", served.model.name, "--format", "csv"]),
        ("md", ["checkpoints", served.model.name, "--format", "markdown"]),
    ]:
        status, headers, data = served.get(f"/export/{name}")
        assert status == 200, name
        result = run_prep(*args, cwd=folder)
        assert result.returncode == 0, result.stderr.decode()
        expected = (tmp_path / "x.svg").read_bytes() if name == "svg" else result.stdout
        assert data == expected, name
        disposition = headers["content-disposition"]
        assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
        assert "%E3%82%AA" in disposition  # the Japanese stem, encoded
    assert served.get("/export/exe")[0] == 404


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_png_and_pdf_exports_match_the_command_line(
    served: Server, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"x.{fmt}"
    result = run_prep("render", served.model.name, "-o", str(out), cwd=served.model.parent)
    assert result.returncode == 0, result.stderr.decode()
    status, headers, data = served.get(f"/export/{fmt}")
    assert status == 200 and headers["content-type"].startswith(
        f"{'image' if fmt == 'png' else 'application'}/"
    )
    assert data == out.read_bytes()


def test_events_stream_the_state(served: Server) -> None:
    connection, state = served.events()
    connection.close()
    assert state["status"] == "ok" and state["file"] == "オンボーディング.prep"
    assert state["lang"] == "ja" and state["shown"] >= 1


def test_port_in_use_is_one_clear_sentence(served: Server) -> None:
    result = run_prep("serve", str(served.model), "--port", str(served.port))
    assert result.returncode == 2
    err = result.stderr.decode()
    assert f"port {served.port} on 127.0.0.1 is already in use" in err and "--port 0" in err
    assert "Traceback" not in err


def test_listen_reports_the_port_in_use_and_picks_a_free_one() -> None:
    sock = listen("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        assert port > 0
        with pytest.raises(ServeError, match="already in use"):
            listen("127.0.0.1", port)
    finally:
        sock.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere.prep"], "nowhere.prep: no such file"),
        (["samples"], "samples: not a .prep file"),
        (["samples/restaurant.prep", "--editor", "code '{file}"], "--editor"),
        (["samples/restaurant.prep", "--editor", "code {path}"], "unknown field {path}"),
        (["samples/restaurant.prep", "--host", "no-such-host.invalid"], "cannot listen on"),
    ],
)
def test_start_up_problems_exit_2_with_a_message(args: list[str], message: str) -> None:
    result = run_prep("serve", *args, "--port", "0")
    assert result.returncode == 2, result.stdout
    err = result.stderr.decode()
    assert message in err and "Traceback" not in err


def test_host_0000_must_be_asked_for_and_warns(tmp_path: Path) -> None:
    model = tmp_path / "m.prep"
    model.write_text("goal A\nA <- B\nexternal B\n", "utf-8")
    with Server(model, "--host", "0.0.0.0") as server:
        time.sleep(0.2)
        assert any("warning: listening on 0.0.0.0" in line for line in server.lines)
        assert server.get("/state", headers={"Host": f"192.0.2.1:{server.port}"})[0] == 200
    assert allowed_hosts("127.0.0.1") == ["127.0.0.1", "localhost"]
    assert allowed_hosts("0.0.0.0") is None
    assert allowed_hosts("::1") == ["127.0.0.1", "[::1]", "localhost"]


def test_ctrl_c_with_open_pages_stops_at_once(tmp_path: Path) -> None:
    model = tmp_path / "m.prep"
    model.write_text("goal A\nA <- B\nexternal B\n", "utf-8")
    with Server(model) as server:  # stopped on the way out even if a check fails
        streams = [server.events()[0] for _ in range(3)]  # pages listening to the events
        started = time.monotonic()
        rc, out, err = server.stop(timeout=10)
        assert time.monotonic() - started < 5
        assert rc == 0 and "Traceback" not in err and "prep: stopped" in out, err
        for connection in streams:
            connection.close()


def test_broken_model_at_start_is_served_with_its_error(tmp_path: Path) -> None:
    model = tmp_path / "m.prep"
    model.write_text('goal A\nA <- "B\n', "utf-8")
    with Server(model) as server:
        state = json.loads(server.get("/state")[2])
        assert state["status"] == "error" and state["line"] == 2 and state["shown"] == 0
        assert state["diagnostics"][0]["code"] == "PS01"
        assert server.get("/view")[0] == 404
        assert server.get("/export/svg")[0] == 409
        save(model, "goal A\nA <- B\nexternal B\n")
        deadline = time.monotonic() + 20
        while json.loads(server.get("/state")[2])["status"] != "ok":
            assert time.monotonic() < deadline, "the fixed model was not picked up"
            time.sleep(0.05)
        assert server.get("/view")[0] == 200


def test_editor_template() -> None:
    words = parse_template("code -g {file}:{line}:{column}")
    assert command(words, Path("/m/a b.prep"), 3, 4) == ["code", "-g", "/m/a b.prep:3:4"]
    assert parse_template("subl") == ["subl", "{file}"]  # the file goes last when not named
    for bad in ("", "code '{file}", "code {path}", "code {0}", "code {file"):
        with pytest.raises(EditorError):
            parse_template(bad)


@pytest.mark.slow
def test_sigterm_stops_too(tmp_path: Path) -> None:
    model = tmp_path / "m.prep"
    model.write_text("goal A\nA <- B\nexternal B\n", "utf-8")
    server = Server(model)
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        raise
    assert server.process.returncode in (0, -signal.SIGTERM)
    assert server.process.stderr is not None and "Traceback" not in server.process.stderr.read()


def test_layout_cache_is_off_by_default_and_gives_the_same_bytes() -> None:
    """`prep serve` keeps band layouts between builds; commands lay out every time."""
    from prepmodel.render import engine

    source = 'digraph { a -> b; b -> "導入計画書" }'
    engine.reset_layout_stats()
    first = engine.layout(source)
    engine.layout(source)
    assert engine.layout_stats().calls == 2  # no cache unless asked for
    try:
        engine.enable_layout_cache(2)
        assert engine.layout(source) == first
        calls = engine.layout_stats().calls
        assert engine.layout(source) == first
        assert engine.layout_stats().calls == calls  # the second one came from the cache
        engine.layout("digraph { x }")
        engine.layout("digraph { y }")  # the oldest entry goes
        engine.layout(source)
        assert engine.layout_stats().calls == calls + 3
    finally:
        engine.enable_layout_cache(0)


def test_a_build_lists_diagnostics_as_prep_check_prints_them(tmp_path: Path) -> None:
    from prepmodel.serve.build import Settings, build

    text = "goal 受注\n受注 <- 見積書, 仕様書\nexternal 見積書\n"  # 仕様書 is a gap (GP01)
    (tmp_path / "m.prep").write_text(text, "utf-8")
    done = build(text.encode(), "m.prep", tmp_path, Settings())
    assert done.status == "ok" and done.page is not None and done.summary["errors"] == 1
    (gap,) = [d for d in done.diagnostics if d["code"] == "GP01"]
    printed = run_prep("check", "m.prep", cwd=tmp_path).stdout.decode()
    assert "\n".join("  " + line for line in gap["excerpt"].split("\n")) in printed
    assert gap["excerpt"].endswith("^^^^")  # two wide characters: four columns
    broken = build(b'goal A\nA <- "B\n', "m.prep", tmp_path, Settings())
    assert broken.status == "error" and broken.line == 2 and broken.page is None
    assert broken.message is not None and broken.message.startswith("m.prep:2:")
    missing = build(None, "m.prep", tmp_path, Settings())
    assert missing.status == "missing" and "no such file" in (missing.message or "")
    no_goal = build(text.encode(), "m.prep", tmp_path, Settings(goal="受注書"))
    assert no_goal.status == "error" and "did you mean '受注'" in (no_goal.message or "")


def test_a_build_that_crashes_keeps_the_last_good_diagram(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug in a build must not stop the builder: the page says so, the diagram stays."""
    import asyncio

    from prepmodel.serve import hub
    from prepmodel.serve.build import Settings

    model = tmp_path / "m.prep"
    model.write_text("goal A\nA <- B\nexternal B\n", "utf-8")
    preview = hub.Preview(model, "m.prep", Settings())

    def broken(*_args: object) -> hub.Build:
        raise ValueError("boom")

    async def scenario() -> None:
        await preview.rebuild()
        assert preview.state()["status"] == "ok"
        monkeypatch.setattr(hub, "build", broken)
        model.write_text("goal A\nA <- B, C\nexternal B, C\n", "utf-8")
        await preview.rebuild()
        monkeypatch.undo()
        model.write_text("goal A\nA <- C\nexternal C\n", "utf-8")
        await preview.rebuild()

    states: list[dict[str, object]] = []
    box = preview.subscribe()
    original = box.put
    box.put = lambda state: (states.append(state), original(state))  # type: ignore[method-assign]
    asyncio.run(scenario())
    crashed = states[-2]
    assert crashed["status"] == "error" and crashed["shown"] == 1
    assert "ValueError: boom" in str(crashed["message"])
    assert states[-1]["status"] == "ok" and states[-1]["shown"] == 3
    assert "prep: internal error" in capsys.readouterr().err


def test_a_save_that_draws_the_same_picture_reloads_nothing(tmp_path: Path) -> None:
    import asyncio

    from prepmodel.serve.build import Settings
    from prepmodel.serve.hub import Preview

    model = tmp_path / "m.prep"
    model.write_text("goal A\nA <- B\nexternal B\n", "utf-8")
    preview = Preview(model, "m.prep", Settings())

    async def scenario() -> list[tuple[int, int]]:
        seen = []
        for text in (
            "goal A\nA <- B\nexternal B\n",
            "goal A\nA <- B\nexternal B\n# a comment at the end\n",  # same picture
            "goal A\nA <- B, C\nexternal B, C\n",  # a new box
        ):
            model.write_text(text, "utf-8")
            await preview.rebuild()
            seen.append((preview.state()["version"], preview.state()["shown"]))
        return seen

    assert asyncio.run(scenario()) == [(1, 1), (2, 1), (3, 3)]


def test_the_panel_speaks_the_language_prep_check_speaks(tmp_path: Path) -> None:
    """A Japanese model's findings are listed in Japanese, as `prep check` prints them;
    `--lang en` (Settings.lang) keeps English."""
    from prepmodel.serve.build import Settings, build

    text = "goal 受注\n受注 <- 見積書, 仕様書\nexternal 見積書\n"
    (tmp_path / "m.prep").write_text(text, "utf-8")
    printed = run_prep("check", "m.prep", cwd=tmp_path).stdout.decode()
    (gap,) = [
        d
        for d in build(text.encode(), "m.prep", tmp_path, Settings()).diagnostics
        if d["code"] == "GP01"
    ]
    assert gap["message"] in printed and "仕様書" in gap["message"]
    assert "is needed" not in gap["message"]
    (gap,) = [
        d
        for d in build(text.encode(), "m.prep", tmp_path, Settings(lang="en")).diagnostics
        if d["code"] == "GP01"
    ]
    assert "is needed" in gap["message"]

"""Browser tests of the web UI: Playwright driving Debian's Chromium against a live server.

Playwright never downloads a browser here: it launches the Chromium named by
ARMSWATCH_TEST_CHROMIUM, else /usr/bin/chromium (.ci/chromium.sh installs it and
prints its path). Without one the browser tests are skipped, unless
ARMSWATCH_REQUIRE_BROWSER=1 (set by .ci/run), where they fail.

Import the fixture functions into a test module (as with tests/httpserver.py:
pytest finds fixtures by the name they are registered under, ``browser`` and
``page``; ``tests/`` is on ``sys.path`` under pytest)::

    from browser_support import (  # noqa: F401
        browser_fixture, js_errors, live_server, page_fixture, screenshot)

    def test_dashboard(page: Page, tmp_path: Path) -> None:
        with live_server(str(tmp_path / "store.db")) as base:
            page.goto(base + "/")
            assert page.title().startswith("ArmsWatch")
            screenshot(page, "dashboard")
        assert js_errors(page) == []

``page.js_log`` lists what the page said: console messages (CSP violations
are console errors), uncaught exceptions, and requests to anywhere but the
local machine, which are blocked (the UI must not use a CDN).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, cast
from urllib.parse import urlsplit

import httpx
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ENV = "ARMSWATCH_TEST_CHROMIUM"
REQUIRE_ENV = "ARMSWATCH_REQUIRE_BROWSER"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Even so, Chromium looks up accounts.google.com and update.googleapis.com in the
    # background (Debian's build ships Google API keys): resolve no name but localhost,
    # so the browser cannot reach beyond this machine at all.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
SERVER_START_TIMEOUT = 60.0
SERVER_STOP_TIMEOUT = 10.0
LOCAL_HOSTS = {"127.0.0.1", "localhost"}  # what --host-resolver-rules lets through


def chromium_path() -> str | None:
    """The Chromium to drive: $ARMSWATCH_TEST_CHROMIUM (a path or a command name), else
    /usr/bin/chromium; None when that is not an executable file."""
    configured = os.environ.get(CHROMIUM_ENV, "").strip()
    return shutil.which(configured or DEFAULT_CHROMIUM)


# -- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="session", name="browser")
def browser_fixture() -> Iterator[Browser]:
    """One headless Chromium for the whole session (each test gets its own context)."""
    require = os.environ.get(REQUIRE_ENV) == "1"

    def unavailable(reason: str) -> NoReturn:
        if require:
            pytest.fail(f"{reason}, but {REQUIRE_ENV}=1")
        pytest.skip(reason)

    path = chromium_path()
    if path is None:
        configured = os.environ.get(CHROMIUM_ENV, "").strip()
        where = f"{CHROMIUM_ENV}={configured!r}" if configured else DEFAULT_CHROMIUM
        unavailable(f"browser tests need Chromium: none at {where} (.ci/chromium.sh installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("browser tests need Playwright for Python (the dev dependencies: make install)")
    # Only `playwright install` downloads browsers; this is belt and braces.
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass(frozen=True)
class JSLogEntry:
    """One thing the page reported.

    ``kind`` is "console" (``type`` is the console level: log, info, warning, error, ...),
    "pageerror" (an uncaught exception) or "blocked" (a request off this machine, aborted).
    """

    kind: str
    type: str
    text: str
    location: str = ""

    def __str__(self) -> str:
        where = f" ({self.location})" if self.location else ""
        return f"[{self.kind}:{self.type}] {self.text}{where}"


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https", "ws", "wss"}:
        return True  # data:, blob:, about: never leave the machine
    return (parts.hostname or "") in LOCAL_HOSTS


@pytest.fixture(name="page")
def page_fixture(browser: Browser) -> Iterator[Page]:
    """A fresh page in a fresh context (1280x900, en-US, UTC); ``page.js_log`` collects
    console messages, uncaught exceptions and blocked off-machine requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US",
                                  timezone_id="UTC", service_workers="block")
    log: list[JSLogEntry] = []

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        loc = message.location or {}
        where = f"{loc.get('url', '')}:{loc.get('lineNumber', '')}" if loc.get("url") else ""
        log.append(JSLogEntry("console", message.type, message.text, where))

    def on_pageerror(error) -> None:  # type: ignore[no-untyped-def]
        frames = [line.strip() for line in (error.stack or "").splitlines() if line.strip().startswith("at ")]
        log.append(JSLogEntry("pageerror", "error", f"{error.name}: {error.message}",
                              frames[0] if frames else ""))

    def block(route) -> None:  # type: ignore[no-untyped-def]
        log.append(JSLogEntry("blocked", route.request.resource_type, route.request.url))
        route.abort("blockedbyclient")

    context.route(lambda url: not _is_local(url), block)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.js_log = log  # type: ignore[attr-defined]
    page.on("console", on_console)
    page.on("pageerror", on_pageerror)
    try:
        yield page
    finally:
        context.close()


def js_log(page: Page) -> list[JSLogEntry]:
    """Everything ``page`` reported so far (from the ``page`` fixture)."""
    return cast("list[JSLogEntry]", page.js_log)  # type: ignore[attr-defined]


def js_errors(page: Page) -> list[JSLogEntry]:
    """What a test of a healthy page wants empty: console errors (including Content-Security-
    Policy violations and failed loads), uncaught exceptions and blocked off-machine requests."""
    return [e for e in js_log(page)
            if e.kind in {"pageerror", "blocked"} or e.type == "error"
            or "Content Security Policy" in e.text]


# -- a live server ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(no log: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(the log is empty)"


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=SERVER_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class ServerStartError(RuntimeError):
    """`armswatch serve` exited early or did not answer /api/health in time."""


@contextlib.contextmanager
def live_server(db: str, *, token: str | None = None, read: str = "open") -> Iterator[str]:
    """Run ``python -m armswatch serve`` on a free port of 127.0.0.1 against ``db``; yield
    its base URL ("http://127.0.0.1:PORT") once GET /api/health answers 200; stop it after
    (SIGTERM, then SIGKILL after 10 s).

    The server's output goes to a log in a temporary directory; if it exits early or is not
    healthy within 60 s, ServerStartError carries the log's tail. The environment's
    ARMSWATCH_API_TOKEN / ARMSWATCH_API_READ are not passed on: only ``token`` and ``read``
    count (``--read`` is passed only when it is not the default, "open").
    """
    env = {k: v for k, v in os.environ.items() if k not in {"ARMSWATCH_API_TOKEN", "ARMSWATCH_API_READ"}}
    env["PYTHONUNBUFFERED"] = "1"
    options = ["--db", db]
    if token is not None:
        options += ["--token", token]
    if read != "open":
        options += ["--read", read]
    with tempfile.TemporaryDirectory(prefix="armswatch-serve-") as tmp:
        for attempt in range(3):
            port = _free_port()
            cmd = [sys.executable, "-m", "armswatch", "serve", "--host", "127.0.0.1", "--port", str(port),
                   *options]
            log_path = Path(tmp) / f"server-{attempt}.log"
            with log_path.open("wb") as log:
                proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                        cwd=ROOT, env=env)
            base = f"http://127.0.0.1:{port}"
            try:
                _wait_healthy(proc, base, log_path, cmd)
                break
            except ServerStartError:
                _stop(proc)
                # another process took the free port between our check and the server's bind
                if attempt < 2 and "address already in use" in _tail(log_path).lower():
                    continue
                raise
            except BaseException:
                _stop(proc)
                raise
        try:
            yield base
        finally:
            _stop(proc)


def _wait_healthy(proc: subprocess.Popen[bytes], base: str, log_path: Path, cmd: list[str]) -> None:
    shown = " ".join(cmd[1:])
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    last = "no answer yet"
    # trust_env=False: never send 127.0.0.1 through a proxy from the environment
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        while True:
            code = proc.poll()
            if code is not None:
                raise ServerStartError(f"`{shown}` exited with status {code} before it was healthy; "
                                       f"its log ends:\n{_tail(log_path)}")
            try:
                response = client.get(base + "/api/health")
                if response.status_code == 200:
                    return
                last = f"HTTP {response.status_code}"
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
            if time.monotonic() > deadline:
                raise ServerStartError(f"`{shown}` did not answer GET /api/health with 200 within "
                                       f"{SERVER_START_TIMEOUT:.0f} s (last: {last}); its log ends:\n"
                                       f"{_tail(log_path)}")
            time.sleep(0.1)


# -- screenshots --------------------------------------------------------------------------


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of ``page`` as artifacts/screenshots/NAME.png ($ARMSWATCH_ARTIFACTS, if set,
    replaces artifacts/); return its path."""
    artifacts = os.environ.get("ARMSWATCH_ARTIFACTS")
    folder = (Path(artifacts) if artifacts else ROOT / "artifacts") / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name.removesuffix(".png")).strip("._") or "page"
    path = folder / f"{stem}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path

"""A real HTTP server on 127.0.0.1 for tests of anything that fetches URLs.

Tests of the network boundary must see real sockets, real redirects and real
timeouts, not a mocked transport (DESIGN.md: no mocks where the real thing
runs here). The server runs in a thread on a free port for one test; routes
can be changed while it runs.

Use it by importing the fixture function into a test module: pytest finds
fixtures by the name they are registered under (``http_server``), and the
function's own name keeps ruff from seeing the argument shadow the import.
``tests/`` is on ``sys.path`` under pytest, as it has no ``__init__.py``::

    from httpserver import HTTPTestServer, http_server_fixture  # noqa: F401

    def test_page(http_server: HTTPTestServer) -> None:
        http_server.route("/a", "<p>hi</p>", headers={"ETag": '"v1"'})
        httpx.get(http_server.url("/a"))
        assert http_server.hits("/a") == 1

A route whose headers carry an ``ETag`` or ``Last-Modified`` answers a matching
``If-None-Match`` / ``If-Modified-Since`` with 304. ``status=302`` with a
``Location`` header is a redirect; ``delay`` makes a slow response; a callable
body (returning an iterator of chunks) is streamed without Content-Length, so
it can be huge without being held in memory. Unknown paths are 404.
"""

from __future__ import annotations

import email.utils
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

Body = bytes | str | Callable[[], Iterable[bytes]]


@dataclass
class Route:
    """What the server answers on one path."""

    body: Body
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class HTTPTestServer:
    """A threaded HTTP/1.0 server with routes that tests set and requests it counts."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, body: Body = b"", *, status: int = 200,
              content_type: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None, delay: float = 0.0) -> None:
        """Serve ``body`` on ``path`` (replacing any earlier route), after ``delay`` seconds."""
        all_headers = {"Content-Type": content_type, **(headers or {})}
        with self._lock:
            self._routes[path] = Route(body=body, status=status, headers=all_headers, delay=delay)

    def redirect(self, path: str, location: str, *, status: int = 302) -> None:
        """Answer ``path`` with a redirect to ``location`` (a path or a full URL)."""
        self.route(path, b"", status=status, headers={"Location": location})

    def hits(self, path: str) -> int:
        """How many requests ``path`` has received (query strings ignored)."""
        with self._lock:
            return self._hits[path]

    def close(self) -> None:
        self._closing.set()  # wakes handlers sleeping in a delay
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, path: str) -> Route | None:
        with self._lock:
            self._hits[path] += 1
            return self._routes.get(path)


class _Handler(BaseHTTPRequestHandler):
    server_version = "ArmsWatchTestServer/1"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches on
        owner: HTTPTestServer = self.server.owner  # type: ignore[attr-defined]
        route = owner._answer(urlsplit(self.path).path)
        if route is None:
            route = Route(body=b"not found", status=404, headers={"Content-Type": "text/plain"})
        if route.delay and owner._closing.wait(route.delay):
            return
        try:
            if _not_modified(route.headers, self.headers):
                self._send(304, {k: v for k, v in route.headers.items()
                                 if k.lower() in ("etag", "last-modified")}, [])
            elif callable(route.body):
                self._send(route.status, route.headers, route.body())
            else:
                body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
                self._send(route.status, {**route.headers, "Content-Length": str(len(body))},
                           [body])
        except (ConnectionError, TimeoutError):
            pass  # the client hung up: the oversize and timeout tests do that on purpose

    def _send(self, status: int, headers: dict[str, str], chunks: Iterable[bytes]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        for chunk in chunks:
            self.wfile.write(chunk)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        """Silence the per-request log on stderr."""


def _not_modified(route_headers: dict[str, str], request_headers: Message) -> bool:
    """RFC 9110: If-None-Match decides when sent; else If-Modified-Since."""
    get = request_headers.get
    headers = {k.lower(): v for k, v in route_headers.items()}
    if_none_match, if_modified_since = get("If-None-Match"), get("If-Modified-Since")
    if if_none_match is not None:
        etag = headers.get("etag")
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag is not None and ("*" in tags or etag.removeprefix("W/") in tags)
    if if_modified_since is not None and "last-modified" in headers:
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since)
            modified = email.utils.parsedate_to_datetime(headers["last-modified"])
        except (TypeError, ValueError):
            return False
        return modified <= since
    return False


def chunks(total: int, *, size: int = 64 * 1024) -> Callable[[], Iterator[bytes]]:
    """A streamed body of ``total`` bytes, for routes that must be too big to read."""

    def generate() -> Iterator[bytes]:
        sent = 0
        while sent < total:
            piece = min(size, total - sent)
            sent += piece
            yield b"x" * piece

    return generate


def refused_url(path: str = "/") -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


@pytest.fixture(name="http_server")
def http_server_fixture() -> Iterator[HTTPTestServer]:
    """A fresh :class:`HTTPTestServer` for one test, shut down afterwards."""
    server = HTTPTestServer()
    yield server
    server.close()

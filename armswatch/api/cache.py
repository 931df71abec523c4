"""A response cache for the read endpoints, invalidated by the store's generation.

Analysts page through the same register and facts again and again, and the
store changes only when a run, an import or a screening commits. Every write
transaction adds one to the store's generation (:meth:`Store.generation`); a
cached response is served only while the generation it was made under is
current. The generation is read from the database at most every
``check_interval`` seconds (so a run by another process shows within that
time) and writes made through this server invalidate at once.

Only successful GET responses under /api/ are kept, keyed by path and query
string, and only for requests allowed to read: when reads need the token, a
request without a valid one goes to the app (and its 401/403). Responses carry
an ETag; ``If-None-Match`` gets a 304.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from armswatch.api.deps import presented_token, token_ok
from armswatch.settings import Settings
from armswatch.store import Store

#: paths never cached: liveness must be live
UNCACHED = ("/api/health",)


@dataclass
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class ResponseCache:
    """Pure ASGI middleware; see the module docstring."""

    def __init__(self, app: ASGIApp, *, max_entries: int = 4096, max_bytes: int = 128 * 1024 * 1024,
                 max_entry_bytes: int = 4 * 1024 * 1024, check_interval: float = 0.5) -> None:
        self.app = app
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.check_interval = check_interval
        self.entries: OrderedDict[bytes, Entry] = OrderedDict()
        self.size = 0
        self.generation: tuple[int, int] | None = None
        self.checked_at = 0.0
        self.hits = self.misses = 0

    async def _current(self, store: Store) -> tuple[int, int]:
        now = time.monotonic()
        local = store.local_generation
        if self.generation is None or now - self.checked_at >= self.check_interval \
                or local != self.generation[1]:
            self.checked_at = now  # one reader at a time: the others use the last value
            # off the event loop: a database call must never block the server
            self.generation = (await anyio.to_thread.run_sync(store.generation), local)
        return self.generation

    def _cacheable(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        path: str = scope["path"]
        if not path.startswith("/api/") or path in UNCACHED:
            return False
        settings: Settings = scope["app"].state.settings
        return settings.api_read == "open" or token_ok(settings, presented_token(Request(scope)))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        store: Store = scope["app"].state.store
        generation = await self._current(store)
        key = b"%d:%d " % generation + scope["path"].encode() + b"?" + scope["query_string"]
        entry = self.entries.get(key)
        if entry is not None:
            self.hits += 1
            self.entries.move_to_end(key)
            await self._replay(scope, send, entry, b"hit")
            return
        self.misses += 1
        start: Message | None = None
        chunks: list[bytes] = []
        too_big = False

        async def capture(message: Message) -> None:
            nonlocal start, too_big
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            status = int(start["status"])
            headers = list(start.get("headers", []))
            if status == 200 and not too_big and len(body) <= self.max_entry_bytes:
                etag = b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
                self._put(key, Entry(status, list(headers), body, etag))
                headers.append((b"etag", etag))
            headers.append((b"x-cache", b"miss"))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)

    async def _replay(self, scope: Scope, send: Send, entry: Entry, state: bytes) -> None:
        if Headers(scope=scope).get("if-none-match") == entry.etag.decode():
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", entry.etag), (b"x-cache", state)]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": entry.status,
                    "headers": [*entry.headers, (b"etag", entry.etag), (b"x-cache", state)]})
        await send({"type": "http.response.body", "body": entry.body})

    def _put(self, key: bytes, entry: Entry) -> None:
        # entries of older generations are never served again: drop them all at once
        prefix = key.split(b" ", 1)[0]
        if self.entries and not next(iter(reversed(self.entries))).startswith(prefix + b" "):
            self.entries.clear()
            self.size = 0
        self.entries[key] = entry
        self.size += len(entry.body)
        while self.entries and (len(self.entries) > self.max_entries or self.size > self.max_bytes):
            _, old = self.entries.popitem(last=False)
            self.size -= len(old.body)

"""The ArmsWatch web application: JSON API under /api, web UI at /, OpenAPI docs at /docs.

``create_app(settings)`` builds the app over the store that ``settings.db``
names (or a store passed in, for tests); ``armswatch serve`` runs it with
uvicorn. Every response carries a Content-Security-Policy that allows only
this server's own scripts and styles: document text and names from the
reporting are hostile input, and the templates escape them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import Depends, FastAPI, Request, status
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import armswatch
from armswatch.api.cache import ResponseCache
from armswatch.api.deps import require_read
from armswatch.api.models import Health, Stats
from armswatch.api.routers import documents, entities, events, facts, ingest, lists
from armswatch.api.totals import Totals
from armswatch.errors import ArmsWatchError, InputError
from armswatch.settings import Settings
from armswatch.store import Store
from armswatch.store.browse import NotFound
from armswatch.store.lists import ListImportRefused

log = logging.getLogger(__name__)

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Pure ASGI middleware: adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend((k, v) for k, v in SECURITY_HEADERS if k not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _warm(store: Store) -> None:
    """Build the resolver and the screening index in the background: first requests are not slow."""
    from armswatch.sanctions import screening

    try:
        store.resolver  # noqa: B018 - built on first use; actor filters need it

        loaded = screening.load_index(store)
        if len(loaded):
            loaded.index.screen(screening.Query(name="Warm Up"), limit=1)
    except Exception:  # noqa: BLE001 - a failed warm-up only costs the first request time
        log.exception("warming the screening index failed")


def create_app(settings: Settings | None = None, store: Store | None = None, *,
               warm: bool = True, cache: bool = True) -> FastAPI:
    """The app over ``store`` (or the store ``settings.db`` names, opened at start-up).

    ``warm`` builds the screening index in the background at start-up; ``cache``
    keeps read responses until the store changes (:mod:`armswatch.api.cache`).
    """
    settings = settings or Settings.from_env()
    settings.validate()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        # path operations run in worker threads; with the GIL, a few threads serve more
        # requests than many (they mostly wait for the GIL, not for the database)
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.api_threads
        app.state.store = store if store is not None else Store.open(settings.db)
        if warm:
            threading.Thread(target=_warm, args=(app.state.store,), daemon=True,
                             name="armswatch-warm").start()
        try:
            yield
        finally:
            if own:
                app.state.store.close()

    app = FastAPI(
        title="ArmsWatch",
        version=armswatch.__version__,
        description="Arms transfers, sanctions and the diplomacy around them, read from open "
                    "sources: facts with evidence, events consolidated across documents, a deal "
                    "register, contradictions, and sanctions screening.",
        lifespan=lifespan, docs_url=None, redoc_url=None,
    )
    app.state.settings = settings
    app.state.totals = Totals()
    if store is not None:
        app.state.store = store

    read = [Depends(require_read)]
    for module in (documents, facts, events, entities, lists):
        app.include_router(module.router, prefix="/api", dependencies=read)
    app.include_router(ingest.router, prefix="/api")

    @app.get("/api/health", response_model=Health, tags=["meta"])
    def health() -> dict[str, Any]:
        """Liveness, cheap at any store size; always open."""
        return {"status": "ok", "version": armswatch.__version__, "reads": settings.api_read,
                "writes": bool(settings.api_token)}

    @app.get("/api/stats", response_model=Stats, tags=["meta"], dependencies=read)
    def stats(request: Request) -> dict[str, Any]:
        """How many documents, facts, entities, events, runs, errors and feeds the store holds."""
        st: Store = request.app.state.store
        return {"counts": st.counts(), "generation": st.generation()}

    _error_handlers(app)

    from armswatch.web.routes import mount_web

    mount_web(app)
    if cache:
        app.add_middleware(ResponseCache)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so cached responses get it too
    return app


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": f"{exc.path}: {exc.reason}"}, status.HTTP_404_NOT_FOUND)

    @app.exception_handler(InputError)
    async def bad_input(_request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": [{"loc": ["query"], "msg": f"{exc.path}: {exc.reason}",
                                         "type": "value_error", "input": exc.path}]},
                            status.HTTP_422_UNPROCESSABLE_CONTENT)

    @app.exception_handler(ListImportRefused)
    async def no_list(_request: Request, exc: ListImportRefused) -> JSONResponse:
        code = status.HTTP_404_NOT_FOUND if "no list named" in str(exc) or "has no version" in str(exc) \
            else status.HTTP_422_UNPROCESSABLE_CONTENT
        return JSONResponse({"detail": str(exc)}, code)

    @app.exception_handler(ArmsWatchError)
    async def armswatch_error(_request: Request, exc: ArmsWatchError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status.HTTP_422_UNPROCESSABLE_CONTENT)


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` and worker processes: settings from ARMSWATCH_*."""
    return create_app(Settings.from_env())

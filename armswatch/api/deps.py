"""What the routers share: the store, the settings, access control.

Reads are open or need the token (``Settings.api_read``); writes always need
it, and are disabled when no token is configured. The token comes as
``Authorization: Bearer <token>``, an ``X-API-Token`` header, or (for the web
UI's pages) the cookie the login page sets. No token: 401; a wrong one: 403.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy import Connection

from armswatch.api.totals import Totals
from armswatch.settings import Settings
from armswatch.store import Store

TOKEN_COOKIE = "armswatch_token"


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_conn(store: Annotated[Store, Depends(get_store)]) -> Iterator[Connection]:
    with store.engine.connect() as conn:
        yield conn


def counted(request: Request, conn: Connection, flt: Any, count: Callable[[], int]) -> int:
    """A list's total, counted once per filter (paging aside) while the store is unchanged."""
    totals: Totals = request.app.state.totals
    key = (type(flt).__name__, replace(flt, limit=0, offset=0))
    return totals.get(request.app.state.store, key, count, conn=conn)


def presented_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    token = request.headers.get("x-api-token") or request.cookies.get(TOKEN_COOKIE)
    return token or None


def token_ok(settings: Settings, token: str | None) -> bool:
    return bool(settings.api_token and token and
                hmac.compare_digest(token.encode(), settings.api_token.encode()))


def _check(settings: Settings, token: str | None, what: str) -> None:
    if token is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED,
                            f"{what} need the API token: send 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": 'Bearer realm="armswatch"'})
    if not token_ok(settings, token):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the API token is not valid")


def require_read(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> None:
    if settings.api_read == "token":
        _check(settings, presented_token(request), "reads")


def require_write(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> None:
    if not settings.api_token:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            "writes are disabled: the server has no API token "
                            "(start it with --token or ARMSWATCH_API_TOKEN)")
    _check(settings, presented_token(request), "writes")


#: a connection for the path operation, returned to the pool as soon as it ends (before the
#: response is sent): connections are not held while responses travel
Conn = Annotated[Connection, Depends(get_conn, scope="function")]
StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

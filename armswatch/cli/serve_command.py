"""``armswatch serve``: the REST API and the web UI over a store."""

from __future__ import annotations

import ipaddress
import os
from typing import Annotated

import typer

from armswatch.cli.store_commands import err, fail
from armswatch.errors import ConfigurationError
from armswatch.settings import Settings


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def add_commands(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str, typer.Option(
            help="Address to bind; only this machine by default.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
        db: Annotated[str | None, typer.Option(help="SQLite file or postgresql:// URL.")] = None,
        token: Annotated[str | None, typer.Option(
            help="API token for writes (ingest, feeds); default ARMSWATCH_API_TOKEN. "
                 "Without one, writes are disabled.")] = None,
        read: Annotated[str | None, typer.Option(
            help="'open' (default): anyone who reaches the server may read; 'token': reads need "
                 "the token too. Default ARMSWATCH_API_READ.")] = None,
        workers: Annotated[int, typer.Option(min=1, max=32, help="Worker processes.")] = 1,
        log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "warning",
    ) -> None:
        """Serve the REST API (/api, docs at /docs) and the web UI (/)."""
        import uvicorn

        try:
            settings = Settings.from_env(db=db, api_token=token, api_read=read)
            from armswatch.store import Store

            Store.open(settings.db).close()  # a store that cannot open fails here, not per request
        except ConfigurationError as exc:
            raise fail(str(exc), 3) from exc
        except Exception as exc:  # noqa: BLE001 - a database that cannot be opened
            raise fail(f"cannot open the store {settings.db or ''}: {exc}", 3) from exc
        if not _loopback(host) and settings.api_read == "open":
            err.print(f"[yellow]warning:[/yellow] serving on {host} with open reads: anyone who can "
                      "reach this address can read the store (use --read token)")
        # worker processes build the app from the environment: pass the settings on that way
        for name, value in (("DB", settings.db), ("API_TOKEN", settings.api_token),
                            ("API_READ", settings.api_read)):
            if value is not None:
                os.environ[f"ARMSWATCH_{name}"] = value
        writes = "need the token" if settings.api_token else "disabled"
        err.print(f"ArmsWatch on http://{host}:{port}/ (API docs at /docs); "
                  f"reads {settings.api_read}, writes {writes}")
        uvicorn.run("armswatch.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level=log_level, proxy_headers=False, server_header=False)

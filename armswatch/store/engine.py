"""Opening a store: database URLs, engine settings and migrations.

SQLite (the default) gets write-ahead logging, a generous busy timeout and
``BEGIN IMMEDIATE`` transactions, so that two runs at once queue for the write
lock instead of failing half-way with "database is locked" on a lock upgrade.
PostgreSQL URLs (``postgresql://...``) use psycopg 3. The schema is brought to
the newest Alembic revision whenever a store is opened.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from armswatch.errors import ConfigurationError

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_S = 60
#: execution option set on connections that will write (SQLite: BEGIN IMMEDIATE)
WRITE_OPTION = "armswatch_write"


def default_db_path() -> Path:
    """``armswatch.db`` in the user's data directory (e.g. ~/.local/share/armswatch)."""
    return Path(platformdirs.user_data_dir("armswatch", appauthor=False)) / "armswatch.db"


def database_url(db: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL from what a user typed: a URL, a file path, or nothing (the default)."""
    if db is None or str(db) == "":
        db = default_db_path()
    text = str(db)
    if "://" not in text:
        path = Path(text).expanduser()
        if path.is_dir():
            raise ConfigurationError(f"--db {text}: is a directory; give a database file or URL")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigurationError(f"--db {text}: cannot create its directory: {exc}") from exc
        return f"sqlite:///{path.resolve()}"
    scheme, rest = text.split("://", 1)
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    if scheme in ("postgresql+psycopg", "sqlite"):
        return text
    raise ConfigurationError(
        f"--db {text}: unsupported database; use a file path, sqlite:///PATH or postgresql://..."
    )


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"cannot read the database URL {url!r}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        # a server's thread pool reads in parallel: SQLite connections are cheap, so allow many
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, pool_size=10,
                               max_overflow=40)
        _sqlite_setup(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_setup(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and cannot do IMMEDIATE;
    # switch it off and emit the BEGIN ourselves (SQLAlchemy's documented recipe).
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # writers (Store.transaction) take the write lock up front; readers don't block anyone
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is there)."""
    command.upgrade(alembic_config(engine), "head")

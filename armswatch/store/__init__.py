"""Persistence: SQLAlchemy 2 over SQLite (default) or PostgreSQL, Alembic migrations."""

from armswatch.store.engine import database_url, default_db_path
from armswatch.store.store import Store

__all__ = ["Store", "database_url", "default_db_path"]

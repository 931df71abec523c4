"""Shared fixtures: settings objects, the loaded extractor, paths to shared data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from armswatch.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "dev"
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def extractor(settings: Settings):  # type: ignore[no-untyped-def]
    from armswatch.service import Extractor

    return Extractor(settings=settings)


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    if not (DEV / "docs").is_dir():
        pytest.skip(f"the dev set is not here ({DEV}); it lives in ../shared beside the checkout")
    return DEV


# -- stores: every store test runs on SQLite and on a real PostgreSQL server ------------
#
# ARMSWATCH_TEST_POSTGRES_URL names a server where the role may CREATE DATABASE
# (.ci/postgres.sh sets one up and prints it); each test gets a database of its
# own, dropped afterwards. Without the variable the PostgreSQL cases are skipped,
# unless ARMSWATCH_REQUIRE_POSTGRES=1 (set by .ci/run), where they fail.

POSTGRES_ENV = "ARMSWATCH_TEST_POSTGRES_URL"


def _postgres_admin_url() -> str | None:
    import os

    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("ARMSWATCH_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{POSTGRES_ENV} is not set but ARMSWATCH_REQUIRE_POSTGRES=1")
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (run .ci/postgres.sh)")
    return url


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """A fresh, empty database URL of ``kind``: a SQLite file in ``folder`` or a new PostgreSQL database."""
    if kind == "sqlite":
        yield str(folder / "store.db")
        return
    import uuid

    import sqlalchemy as sa

    admin = _postgres_admin_url()
    assert admin is not None
    name = f"aw_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(admin.replace("postgresql://", "postgresql+psycopg://", 1),
                              isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        _drop_database(engine, name)
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh, empty database URL: a SQLite file or a new PostgreSQL database."""
    with database(request.param, tmp_path) as url:
        yield url


def _drop_database(engine, name: str) -> None:  # type: ignore[no-untyped-def]
    """Drop a test database; an autovacuum worker still on it may need a moment to go."""
    import time
    import warnings

    import sqlalchemy as sa

    for attempt in range(10):
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except sa.exc.DBAPIError as exc:
            last = exc
            time.sleep(0.5 * (attempt + 1))
    warnings.warn(f"could not drop test database {name}: {last}", stacklevel=2)


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    from armswatch.store import Store

    opened = Store.open(db_url)
    yield opened
    opened.close()

"""Shared fixtures: settings objects, the loaded extractor, paths to shared data."""

from __future__ import annotations

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

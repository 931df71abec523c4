"""Kill -9 in the middle of a run, then run again: the store ends as if nothing happened.

Also two runs at once on one store. These drive the real ``armswatch run``
in subprocesses, on SQLite and PostgreSQL, and compare the resulting store
with one filled by a single uninterrupted run.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from test_pipeline import snapshot

from armswatch.store import Store
from armswatch.store import schema as t
from armswatch.store.engine import database_url, make_engine

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 odd documents: the samples cut into chunks of a few sentences each."""
    folder = tmp_path_factory.mktemp("corpus")
    n = 0
    for sample in sorted(SAMPLES.glob("*.txt")):
        sentences = re.split(r"(?<=[.!?])\s+", sample.read_text())
        for i in range(0, len(sentences), 3):
            chunk = " ".join(sentences[i:i + 3]).strip()
            if len(chunk) > 40:
                (folder / f"{sample.stem[:2]}-{i:03d}.txt").write_text(chunk)
                n += 1
    assert n >= 30
    return folder


def armswatch(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "armswatch.cli.main", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def run_to_end(*args: str) -> None:
    proc = armswatch(*args)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, (out.decode(), err.decode())


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    db = str(tmp_path_factory.mktemp("reference") / "reference.db")
    run_to_end("run", str(corpus), "--db", db, "--no-poll")
    with Store.open(db) as store:
        return snapshot(store)


def progress(db_url: str) -> tuple[int, int]:
    """(documents stored, documents extracted), read while another process writes."""
    engine = make_engine(database_url(db_url))
    try:
        with engine.connect() as conn:
            if not engine.dialect.has_table(conn, "documents"):
                return 0, 0
            stored = conn.execute(select(func.count()).select_from(t.documents)).scalar_one()
            done = conn.execute(select(func.count()).select_from(t.documents)
                                .where(t.documents.c.status != "pending")).scalar_one()
            return int(stored), int(done)
    finally:
        engine.dispose()


@pytest.mark.parametrize("moment", ["ingesting", "extracting"])
def test_kill_9_then_rerun_gives_the_same_store(db_url: str, corpus: Path, reference: dict[str, object],
                                                moment: str) -> None:
    proc = armswatch("run", str(corpus), "--db", db_url, "--no-poll")
    deadline = time.monotonic() + 300
    while True:
        assert proc.poll() is None, "the run ended before it could be killed: " + proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no progress to kill in"
        stored, done = progress(db_url)
        if (moment == "ingesting" and stored >= 1) or (moment == "extracting" and done >= 3):
            break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    stored, done = progress(db_url)
    total = len(list(corpus.glob("*.txt")))
    assert done < total, "killed too late to test anything"

    run_to_end("run", str(corpus), "--db", db_url, "--no-poll")
    with Store.open(db_url) as store:
        assert snapshot(store) == reference
        counts = store.counts()
        assert counts.get("documents_pending", 0) == 0 and counts["documents_done"] == total


def test_two_runs_at_once_leave_a_consistent_store(db_url: str, corpus: Path,
                                                   reference: dict[str, object]) -> None:
    Store.open(db_url).close()  # migrate first: two processes creating tables at once is not a run
    procs = [armswatch("run", str(corpus), "--db", db_url, "--no-poll") for _ in range(2)]
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, (out.decode(), err.decode())
    with Store.open(db_url) as store:
        assert snapshot(store) == reference

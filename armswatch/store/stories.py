"""Rebuilding signatures, LSH bands and story ids after the MinHash scheme changed.

A store remembers which scheme its signatures were made with
(``store_state.minhash_version``). When it is older than
:data:`armswatch.analysis.stories.MINHASH_VERSION`, :func:`rebuild_stories`
recomputes every document's signature and bands from its stored text and gives
each document the story it would get if the documents were ingested again, one
by one in ingest order ``(ingested_at, id)``: the story of the most similar
earlier document sharing a band (:func:`armswatch.analysis.stories.pick_story`,
the rule :meth:`Store._story_for` applies), or its own id.

The work is done in two steps so that the write lock is held briefly:

1. without writing, the texts are read in batches (never all at once) and
   their signatures and band keys kept in arrays (~800 bytes a document),
   and the stories are assigned in memory;
2. in one write transaction, under the ``stories`` lock, the version is
   checked again (a concurrent run may have rebuilt already), documents that
   arrived meanwhile are taken in (and the stories assigned again), and the
   bands, signatures, story ids and the version are written.

A process killed in step 1 wrote nothing; in step 2 the transaction rolls
back. Either way the version stays old and the next run starts again.
Events count stories; the pipeline's consolidation rebuilds them.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Connection, bindparam, delete, insert, select, update

from armswatch.analysis.stories import (
    BANDS,
    MINHASH_VERSION,
    NUM_PERM,
    band_hex,
    pick_story,
    signature,
)
from armswatch.store import schema as t
from armswatch.store.store import lock

if TYPE_CHECKING:
    from armswatch.store.store import Store

log = logging.getLogger(__name__)

#: documents whose texts are read at once
READ_BATCH = 500
#: rows per INSERT/UPDATE statement batch
WRITE_BATCH = 10_000

ProgressCallback = Callable[[str, int, int | None], None]


def minhash_version(conn: Connection) -> int:
    """The scheme the store's signatures were computed with."""
    value = conn.execute(select(t.store_state.c.minhash_version)
                         .where(t.store_state.c.id == 1)).scalar()
    return int(value) if value is not None else 1


def rebuild_stories(store: Store, *, progress: ProgressCallback | None = None,
                    read_batch: int = READ_BATCH) -> int:
    """Redo signatures, bands and stories if they are of an older scheme; how many documents.

    0 when the store is current (the common case costs one query).
    """
    with store.engine.connect() as conn:
        if minhash_version(conn) >= MINHASH_VERSION:
            return 0
        ids = ordered_ids(conn)
    started = time.perf_counter()
    report = progress or (lambda _phase, _done, _total: None)
    computed = _Signatures()
    report("stories", 0, len(ids))
    for done in computed.compute(store, ids, read_batch=read_batch):
        report("stories", done, len(ids))
    sigs, keys = computed.arrays(ids)
    stories = assign_stories(ids, sigs, keys)
    with store.transaction() as conn:
        lock(conn, "stories")  # one rebuild at a time
        if minhash_version(conn) >= MINHASH_VERSION:  # a concurrent run did it meanwhile
            return 0
        current = ordered_ids(conn)
        if current != ids:  # documents stored meanwhile (by a process that did not wait for this)
            for _ in computed.compute(conn, [i for i in current if i not in computed.row],
                                      read_batch=read_batch):
                pass
            sigs, keys = computed.arrays(current)
            stories = assign_stories(current, sigs, keys)
        _write(conn, current, sigs, keys, stories)
        conn.execute(update(t.store_state).where(t.store_state.c.id == 1)
                     .values(minhash_version=MINHASH_VERSION))
    log.info("rebuilt MinHash signatures and stories (version %d) of %d documents in %.1f s: %d stories",
             MINHASH_VERSION, len(current), time.perf_counter() - started, len(set(stories)))
    report("stories", len(current), len(current))
    return len(current)


def ordered_ids(conn: Connection) -> list[str]:
    """Document ids in ingest order."""
    return list(conn.execute(select(t.documents.c.id)
                             .order_by(t.documents.c.ingested_at, t.documents.c.id)).scalars())


def assign_stories(ids: Sequence[str], sigs: np.ndarray, keys: np.ndarray) -> list[str]:
    """Story ids of documents ingested one by one in the order given.

    ``sigs`` (n, NUM_PERM) holds the signatures, ``keys`` (n, BANDS) the band
    keys. A document's candidates are the earlier documents that share a band
    key, in any band (as the store's lookup by hash); it joins the story
    :func:`pick_story` chooses among them, or starts its own.
    """
    n = len(ids)
    stories = list(ids)
    if n == 0:
        return stories
    flat = keys.reshape(-1)
    owner = np.repeat(np.arange(n), keys.shape[1])
    order = np.lexsort((owner, flat))
    flat, owner = flat[order], owner[order]
    distinct = np.ones(len(flat), dtype=bool)
    distinct[1:] = (flat[1:] != flat[:-1]) | (owner[1:] != owner[:-1])
    flat, owner = flat[distinct], owner[distinct]
    starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
    ends = np.r_[starts[1:], len(flat)]
    group = np.repeat(np.arange(len(starts)), ends - starts)
    shared = ((ends - starts) >= 2)[group]  # keys held by more than one document
    member_doc, member_group = owner[shared], group[shared]
    if not len(member_doc):
        return stories
    by_doc = np.argsort(member_doc, kind="stable")
    member_doc, member_group = member_doc[by_doc], member_group[by_doc]
    cuts = np.flatnonzero(np.r_[True, member_doc[1:] != member_doc[:-1]])
    # walk the documents with shared keys in ingest order; members of a group are sorted
    for start, stop in zip(cuts, np.r_[cuts[1:], len(member_doc)], strict=True):
        j = int(member_doc[start])
        earlier = [owner[starts[g]:starts[g] + np.searchsorted(owner[starts[g]:ends[g]], j)]
                   for g in member_group[start:stop]]
        candidates = np.unique(np.concatenate(earlier))
        if not len(candidates):
            continue
        scores = (sigs[candidates] == sigs[j]).mean(axis=1)
        chosen = pick_story((float(s), ids[c], stories[c])
                            for s, c in zip(scores, candidates.tolist(), strict=True))
        if chosen is not None:
            stories[j] = chosen
    return stories


class _Signatures:
    """Signatures and band keys of documents, computed from their stored texts."""

    def __init__(self) -> None:
        self.row: dict[str, int] = {}
        self._sigs: list[np.ndarray] = []
        self._keys: list[np.ndarray] = []

    def compute(self, source: Store | Connection, ids: Sequence[str], *,
                read_batch: int) -> Iterator[int]:
        """Read the texts of ``ids`` in batches and compute; yields how many are done."""
        for start in range(0, len(ids), read_batch):
            chunk = list(ids[start:start + read_batch])
            offset = sum(len(s) for s in self._sigs)
            texts = dict(_read_texts(source, chunk))
            sigs = np.empty((len(chunk), NUM_PERM), dtype=np.uint32)
            keys = np.empty((len(chunk), BANDS), dtype=np.uint64)
            for i, doc_id in enumerate(chunk):
                sig = signature(texts[doc_id])
                sigs[i] = sig.values
                keys[i] = sig.band_keys()
                self.row[doc_id] = offset + i
            self._sigs.append(sigs)
            self._keys.append(keys)
            yield start + len(chunk)

    def arrays(self, ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Signatures and band keys of ``ids``, in that order."""
        rows = np.fromiter((self.row[i] for i in ids), dtype=np.int64, count=len(ids))
        sigs = np.concatenate(self._sigs) if self._sigs else np.empty((0, NUM_PERM), np.uint32)
        keys = np.concatenate(self._keys) if self._keys else np.empty((0, BANDS), np.uint64)
        return sigs[rows], keys[rows]


def _read_texts(source: Store | Connection, ids: list[str]) -> list[tuple[str, str]]:
    query = select(t.documents.c.id, t.documents.c.text).where(t.documents.c.id.in_(ids))
    if isinstance(source, Connection):
        return [(r.id, r.text) for r in source.execute(query)]
    with source.engine.connect() as conn:
        return [(r.id, r.text) for r in conn.execute(query)]


def _write(conn: Connection, ids: Sequence[str], sigs: np.ndarray, keys: np.ndarray,
           stories: Sequence[str]) -> None:
    """Replace every document's bands, signature and story id."""
    conn.execute(delete(t.document_bands))
    n = len(ids)
    if n == 0:
        return
    # insert the bands in key order: B-tree pages fill in sequence
    flat = keys.reshape(-1)
    band = np.tile(np.arange(BANDS), n)
    owner = np.repeat(np.arange(n), BANDS)
    order = np.lexsort((owner, band, flat))

    def band_rows() -> Iterator[tuple[str, int, str]]:  # converted a batch at a time: 32 rows a document
        for start in range(0, len(order), WRITE_BATCH):
            part = order[start:start + WRITE_BATCH]
            for k, b, d in zip(flat[part].tolist(), band[part].tolist(), owner[part].tolist(),
                               strict=True):
                yield band_hex(k), b, ids[d]

    _insert_bands(conn, band_rows())
    statement = (update(t.documents).where(t.documents.c.id == bindparam("doc_id"))
                 .values(minhash=bindparam("new_minhash"), story_id=bindparam("new_story")))
    little = sigs.astype("<u4")
    for start in range(0, n, WRITE_BATCH):
        rows: list[dict[str, Any]] = [
            {"doc_id": ids[i], "new_minhash": little[i].tobytes(), "new_story": stories[i]}
            for i in range(start, min(n, start + WRITE_BATCH))]
        conn.execute(statement, rows)


def _insert_bands(conn: Connection, rows: Iterable[tuple[str, int, str]]) -> None:
    """Insert (hash, band, document id) rows the fastest way the database offers.

    PostgreSQL: COPY (~3x faster than INSERT); SQLite: the driver's executemany
    (~2.5x faster than going through SQLAlchemy's parameter processing).
    """
    columns = "document_bands (hash, band, document_id)"
    if conn.dialect.name == "postgresql":
        psycopg_connection: Any = conn.connection.driver_connection  # in this transaction
        with psycopg_connection.cursor() as cursor, cursor.copy(f"COPY {columns} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    if conn.dialect.name == "sqlite":
        for chunk in _batched(rows, WRITE_BATCH):
            conn.exec_driver_sql(f"INSERT INTO {columns} VALUES (?, ?, ?)", chunk)
        return
    for chunk in _batched(rows, WRITE_BATCH):
        conn.execute(insert(t.document_bands),
                     [{"hash": h, "band": b, "document_id": d} for h, b, d in chunk])


def _batched(rows: Iterable[tuple[str, int, str]], size: int) -> Iterator[list[tuple[str, int, str]]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk

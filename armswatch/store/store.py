"""The store: every write ArmsWatch makes, each in one short transaction.

Write paths are built for resumability. A document is ingested (row with
status ``pending``) in one transaction; its facts, roles, evidence and the
``done`` status land together in another, guarded by ``status = 'pending'``,
so a process killed at any instant leaves either nothing or a whole document,
and two runs racing for the same document cannot both store its facts.
Events are rebuilt from facts in one transaction under a named lock.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from armswatch.analysis.dates import resolve_dates
from armswatch.analysis.stories import Signature, pick_story
from armswatch.model import Document, Fact
from armswatch.resolve import EntityResolver, ResolvedEntity
from armswatch.store import schema as t
from armswatch.store.engine import WRITE_OPTION, database_url, make_engine, migrate


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Ingested:
    """What :meth:`Store.add_document` did: ``created`` False for a text already stored."""

    document_id: str
    created: bool
    story_id: str


@dataclass(frozen=True)
class PendingDocument:
    id: str
    name: str
    text: str


class Store:
    """A database of documents, facts, entities, events, runs, errors and feeds."""

    def __init__(self, engine: Engine, *, resolver: EntityResolver | None = None) -> None:
        self.engine = engine
        self._resolver = resolver
        self._resolver_lock = threading.Lock()
        self._local_generation = 0

    @classmethod
    def open(cls, db: str | None = None, *, upgrade: bool = True) -> Store:
        """Open (creating and migrating if needed) the store at a path or URL; None: the default."""
        engine = make_engine(database_url(db))
        if upgrade:
            migrate(engine)
        return cls(engine)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def resolver(self) -> EntityResolver:
        """The entity resolver (built once, ~0.5 s: threads of a server wait for the first)."""
        if self._resolver is None:
            with self._resolver_lock:
                if self._resolver is None:
                    self._resolver = EntityResolver()
        return self._resolver

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction: committed on success, rolled back on any exception.

        It ends by adding one to the store's generation (:meth:`generation`), in the
        same transaction: readers in any process see that something changed.
        """
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn
                conn.execute(update(t.store_state).where(t.store_state.c.id == 1)
                             .values(generation=t.store_state.c.generation + 1))
        self._local_generation += 1

    def generation(self, conn: Connection | None = None) -> int:
        """A number that changes whenever a write transaction commits (in any process).

        Pass the connection a caller already holds: taking a second one from the pool
        while holding one can starve a busy server's pool.
        """
        query = select(t.store_state.c.generation).where(t.store_state.c.id == 1)
        if conn is not None:
            return int(conn.execute(query).scalar() or 0)
        with self.engine.connect() as own:
            return int(own.execute(query).scalar() or 0)

    @property
    def local_generation(self) -> int:
        """Write transactions committed through this object (no database round trip)."""
        return self._local_generation

    # -- documents ---------------------------------------------------------

    def find_document(self, *, content_hash: str | None = None, url: str | None = None) -> str | None:
        query = select(t.documents.c.id)
        if content_hash is not None:
            query = query.where(t.documents.c.content_hash == content_hash)
        elif url is not None:
            query = query.where(t.documents.c.url == url)
        else:
            return None
        with self.engine.connect() as conn:
            return conn.execute(query.limit(1)).scalar_one_or_none()

    def add_document(self, document: Document, *, origin: str, run_id: int | None,
                     signature: Signature) -> Ingested:
        """Store a new text (pending extraction), or say which stored document has it."""
        return self.add_documents([(document, origin, signature)], run_id=run_id)[0]

    def add_documents(self, batch: Sequence[tuple[Document, str, Signature]], *,
                      run_id: int | None) -> list[Ingested]:
        """Store new texts in one transaction; each result says whether it was new.

        ``batch`` holds (document, origin, MinHash signature); origin is file,
        url, feed or text. A text stored earlier (or by a concurrent run) is
        not stored again: its result names the stored document.
        """
        results: list[Ingested] = []
        with self.transaction() as conn:
            for document, origin, signature in batch:
                results.append(self._add(conn, storable(document), origin, signature, run_id))
            added = sum(r.created for r in results)
            if run_id is not None and added:
                conn.execute(update(t.runs).where(t.runs.c.id == run_id)
                             .values(documents_added=t.runs.c.documents_added + added))
        return results

    def _add(self, conn: Connection, document: Document, origin: str, signature: Signature,
             run_id: int | None) -> Ingested:
        content_hash = document.content_hash
        doc_id = content_hash[:32]
        existing = conn.execute(select(t.documents.c.id, t.documents.c.story_id)
                                .where(t.documents.c.content_hash == content_hash)).first()
        if existing is not None:
            return Ingested(existing.id, False, existing.story_id)
        bands = signature.bands()
        story_id = self._story_for(conn, signature, bands) or doc_id
        values = {
            "id": doc_id, "content_hash": content_hash, "name": document.doc_id, "text": document.text,
            "url": document.url, "path": document.path, "title": document.title,
            "author": document.author, "source": document.source,
            "published": iso_date(document.published), "origin": origin,
            "encoding": document.encoding, "story_id": story_id, "minhash": signature.to_bytes(),
            "status": "pending", "ingested_at": now(), "run_id": run_id}
        # ON CONFLICT DO NOTHING: a concurrent run that stored the same text first wins,
        # without an error that would abort a PostgreSQL transaction
        inserted = conn.execute(dialect_insert(conn, t.documents).values(**values)
                                .on_conflict_do_nothing().returning(t.documents.c.id)).first()
        if inserted is None:
            return Ingested(doc_id, False, story_id)
        conn.execute(insert(t.document_bands), [
            {"band": i, "hash": h, "document_id": doc_id} for i, h in enumerate(bands)])
        return Ingested(doc_id, True, story_id)

    def _story_for(self, conn: Connection, sig: Signature, bands: Sequence[str]) -> str | None:
        """The story of the most similar stored document at or above SAME_STORY, if any."""
        candidates = conn.execute(
            select(t.documents.c.id, t.documents.c.story_id, t.documents.c.minhash)
            .join(t.document_bands, t.document_bands.c.document_id == t.documents.c.id)
            .where(t.document_bands.c.hash.in_(list(bands)))
            .distinct()
        ).all()
        return pick_story((sig.similarity(Signature.from_bytes(row.minhash)), row.id, row.story_id)
                          for row in candidates if row.minhash is not None)

    def pending_documents(self, *, limit: int) -> list[PendingDocument]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.documents.c.id, t.documents.c.name, t.documents.c.text)
                                .where(t.documents.c.status == "pending")
                                .order_by(t.documents.c.ingested_at, t.documents.c.id)
                                .limit(limit)).all()
        return [PendingDocument(r.id, r.name, r.text) for r in rows]

    def count_pending(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.documents)
                                    .where(t.documents.c.status == "pending")).scalar_one())

    def save_facts(self, document_id: str, facts: Sequence[Fact], *, extractor_version: str,
                   run_id: int | None) -> bool:
        """Store a document's facts and mark it done; False if it was not pending any more."""
        return self.save_extractions([(document_id, facts)], extractor_version=extractor_version,
                                     run_id=run_id)[document_id]

    def save_extractions(self, batch: Sequence[tuple[str, Sequence[Fact]]], *, extractor_version: str,
                         run_id: int | None) -> dict[str, bool]:
        """Store the facts of several documents in one transaction and mark them done.

        A document is claimed by ``UPDATE ... WHERE status = 'pending'``; one
        that another run has finished meanwhile is skipped (False). Documents
        are claimed in id order, so concurrent runs cannot deadlock.
        """
        claimed: dict[str, bool] = {}
        entities: dict[str, ResolvedEntity] = {}
        fact_rows: list[dict[str, Any]] = []
        role_rows: list[dict[str, Any]] = []
        evidence_rows: list[dict[str, Any]] = []
        with self.transaction() as conn:
            for document_id, facts in sorted(batch, key=lambda item: item[0]):
                row = conn.execute(
                    update(t.documents)
                    .where(t.documents.c.id == document_id, t.documents.c.status == "pending")
                    .values(status="done", extracted_at=now(), extractor_version=extractor_version,
                            error=None)
                    .returning(t.documents.c.published)
                ).first()
                claimed[document_id] = row is not None
                if row is not None:
                    self._fact_rows(document_id, facts, row.published, entities, fact_rows, role_rows,
                                    evidence_rows)
            if entities:
                insert_ignore(conn, t.entities, [
                    {"id": e.id, "name": e.name, "kind": e.kind, "country": e.country,
                     "category": e.category}
                    for e in sorted(entities.values(), key=lambda e: e.id)], key=["id"])
            for table, rows in ((t.facts, fact_rows), (t.fact_roles, role_rows),
                                (t.evidence, evidence_rows)):
                if rows:
                    conn.execute(insert(table), rows)
            if run_id is not None:
                conn.execute(update(t.runs).where(t.runs.c.id == run_id).values(
                    documents_extracted=t.runs.c.documents_extracted + sum(claimed.values()),
                    facts_added=t.runs.c.facts_added + len(fact_rows)))
        return claimed

    def _fact_rows(self, document_id: str, facts: Sequence[Fact], published: str | None,
                   entities: dict[str, ResolvedEntity],
                   fact_rows: list[dict[str, Any]], role_rows: list[dict[str, Any]],
                   evidence_rows: list[dict[str, Any]]) -> None:
        seen: set[str] = set()
        for fact in facts:
            if fact.id in seen:
                continue
            seen.add(fact.id)
            dates = resolve_dates(fact.dates, published=published)
            fact_rows.append({
                "id": fact.id, "document_id": document_id, "type": fact.type, "stage": fact.stage,
                "kind": fact.kind, "domain": fact.domain, "factuality": fact.factuality,
                "items": list(fact.items), "designations": list(fact.designations),
                "quantities": list(fact.quantities), "source": [e.to_dict() for e in fact.source],
                "dates": list(fact.dates), "event_date": min(dates) if dates else None,
                "published": published, "extractor_version": fact.extractor_version})
            for role, mentions in fact.roles.items():
                for position, mention in enumerate(mentions):
                    resolved = self.resolver.resolve(mention)
                    entities[resolved.id] = resolved
                    role_rows.append({"fact_id": fact.id, "role": role, "position": position,
                                      "entity_id": resolved.id, "mention": mention.name})
            evidence_rows.extend(
                {"fact_id": fact.id, "position": i, "start": ev.start, "end": ev.end,
                 "text": ev.text} for i, ev in enumerate(fact.evidence))

    def mark_failed(self, document_id: str, reason: str, *, run_id: int | None) -> None:
        with self.transaction() as conn:
            conn.execute(update(t.documents)
                         .where(t.documents.c.id == document_id, t.documents.c.status == "pending")
                         .values(status="failed", error=reason, extracted_at=now()))
        self.record_error(document_id, stage="extract", reason=reason, run_id=run_id,
                          document_id=document_id)

    def retry_failed(self) -> int:
        """Put failed documents back in the queue (after a fix); returns how many."""
        with self.transaction() as conn:
            return conn.execute(update(t.documents).where(t.documents.c.status == "failed")
                                .values(status="pending", error=None)).rowcount

    # -- errors and runs ---------------------------------------------------

    def record_error(self, source: str, *, stage: str, reason: str, run_id: int | None,
                     document_id: str | None = None) -> bool:
        """Record a failed input once; a repeat only updates ``last_seen``. True if new."""
        key = _sha1(f"{stage}\0{source}\0{reason}")
        stamp = now()
        with self.transaction() as conn:
            updated = conn.execute(update(t.ingest_errors).where(t.ingest_errors.c.key == key)
                                   .values(last_seen=stamp)).rowcount
            if updated:
                return False
            insert_ignore(conn, t.ingest_errors, [{
                "key": key, "input": source, "stage": stage, "reason": reason, "first_seen": stamp,
                "last_seen": stamp, "run_id": run_id, "document_id": document_id}], key=["key"])
            if run_id is not None:
                conn.execute(update(t.runs).where(t.runs.c.id == run_id)
                             .values(errors=t.runs.c.errors + 1))
        return True

    def start_run(self, command: str) -> int:
        with self.transaction() as conn:
            result = conn.execute(insert(t.runs).values(
                started_at=now(), status="running", command=command, documents_added=0,
                documents_extracted=0, facts_added=0, errors=0).returning(t.runs.c.id))
            return int(result.scalar_one())

    def finish_run(self, run_id: int, *, status: str) -> dict[str, Any]:
        with self.transaction() as conn:
            conn.execute(update(t.runs).where(t.runs.c.id == run_id)
                         .values(status=status, finished_at=now()))
            row = conn.execute(select(t.runs).where(t.runs.c.id == run_id)).one()
        return dict(row._mapping)

    def counts(self) -> dict[str, int]:
        """Rows per table and documents per status: a quick picture of the store."""
        out: dict[str, int] = {}
        with self.engine.connect() as conn:
            for name in ("documents", "facts", "evidence", "entities", "events", "ingest_errors",
                         "feeds", "runs"):
                out[name] = int(conn.execute(select(func.count()).select_from(
                    t.metadata.tables[name])).scalar_one())
            for status, n in conn.execute(select(t.documents.c.status, func.count())
                                          .group_by(t.documents.c.status)):
                out[f"documents_{status}"] = int(n)
            out["stories"] = int(conn.execute(
                select(func.count(func.distinct(t.documents.c.story_id)))).scalar_one())
        return out

    # -- feeds -------------------------------------------------------------

    def add_feed(self, url: str, *, title: str | None = None) -> tuple[int, bool]:
        """Follow a feed; returns its id and whether it is new."""
        with self.transaction() as conn:
            existing = conn.execute(select(t.feeds.c.id).where(t.feeds.c.url == url)).scalar()
            if existing is not None:
                return int(existing), False
            new_id = conn.execute(insert(t.feeds).values(url=url, title=title, added_at=now())
                                  .returning(t.feeds.c.id)).scalar_one()
            return int(new_id), True

    def list_feeds(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            entries = dict(conn.execute(select(t.feed_entries.c.feed_id, func.count())
                                        .group_by(t.feed_entries.c.feed_id)).tuples().all())
            rows = conn.execute(select(t.feeds).order_by(t.feeds.c.id)).all()
        return [{**dict(r._mapping), "entries": int(entries.get(r.id, 0))} for r in rows]

    def remove_feed(self, feed: str) -> bool:
        """Stop following a feed given by URL or id; its documents stay."""
        cond = t.feeds.c.url == feed
        if feed.isdigit():
            cond = cond | (t.feeds.c.id == int(feed))
        with self.transaction() as conn:
            ids = conn.execute(select(t.feeds.c.id).where(cond)).scalars().all()
            if not ids:
                return False
            conn.execute(delete(t.feed_entries).where(t.feed_entries.c.feed_id.in_(ids)))
            conn.execute(delete(t.feeds).where(t.feeds.c.id.in_(ids)))
        return True

    def update_feed(self, feed_id: int, *, status: str, error: str | None = None,
                    title: str | None = None, etag: str | None = None,
                    last_modified: str | None = None) -> None:
        values: dict[str, Any] = {"last_polled_at": now(), "last_status": status, "last_error": error}
        if title:
            values["title"] = title
        if etag is not None or last_modified is not None:
            values.update(etag=etag, last_modified=last_modified)
        with self.transaction() as conn:
            conn.execute(update(t.feeds).where(t.feeds.c.id == feed_id).values(**values))

    def feed_entry_seen(self, feed_id: int, entry_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(t.feed_entries.c.feed_id).where(
                t.feed_entries.c.feed_id == feed_id,
                t.feed_entries.c.entry_key == _sha1(entry_id))).first() is not None

    def mark_feed_entry(self, feed_id: int, entry_id: str, *, link: str | None, title: str | None,
                        published: str | None, document_id: str | None) -> None:
        with self.transaction() as conn:
            insert_ignore(conn, t.feed_entries, [{
                "feed_id": feed_id, "entry_key": _sha1(entry_id), "entry_id": entry_id, "link": link,
                "title": title, "published": iso_date(published), "document_id": document_id,
                "seen_at": now()}], key=["feed_id", "entry_key"])

    # -- events ------------------------------------------------------------

    def replace_events(self, rows: Iterable[dict[str, Any]]) -> int:
        """Swap the consolidated events for ``rows`` in one transaction, under a lock."""
        events: list[dict[str, Any]] = []
        roles: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for row in rows:
            events.append({k: v for k, v in row.items() if k not in ("roles", "fact_ids")})
            roles.extend({"event_id": row["id"], "role": role, "entity_id": entity_id}
                         for role, entity_id in row["roles"])
            links.extend({"event_id": row["id"], "fact_id": fid} for fid in row["fact_ids"])
        with self.transaction() as conn:
            lock(conn, "events")
            for table in (t.event_facts, t.event_roles, t.events):
                conn.execute(delete(table))
            for table, batch in ((t.events, events), (t.event_roles, roles), (t.event_facts, links)):
                for chunk in _chunks(batch, 5000):
                    conn.execute(insert(table), chunk)
        return len(events)


def lock(conn: Connection, name: str) -> None:
    """Hold the named lock until the transaction ends (a row lock on PostgreSQL; SQLite's
    write lock serialises writers already)."""
    insert_ignore(conn, t.locks, [{"name": name, "holder": None}], key=["name"])
    conn.execute(select(t.locks.c.name).where(t.locks.c.name == name).with_for_update())


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(document: Document) -> Document:
    """NUL (PostgreSQL text refuses it) and lone surrogates (not UTF-8) become U+FFFD.

    One character for one, so evidence offsets into the text stay exact.
    """
    changes = {name: _UNSTORABLE.sub("\ufffd", value)
               for name, value in document.__dict__.items()
               if isinstance(value, str) and _UNSTORABLE.search(value)}
    return replace(document, **changes) if changes else document


def dialect_insert(conn: Connection, table: Any) -> Any:
    """The dialect's INSERT construct, which knows ON CONFLICT (SQLite and PostgreSQL)."""
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def insert_ignore(conn: Connection, table: Any, rows: list[dict[str, Any]], *, key: list[str]) -> None:
    """INSERT, skipping rows whose ``key`` already exists (SQLite and PostgreSQL)."""
    if rows:
        conn.execute(dialect_insert(conn, table).on_conflict_do_nothing(index_elements=key), rows)


def iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from an ISO date or timestamp; None for anything else."""
    if not value:
        return None
    text = value.strip()[:10]
    try:
        return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
    except ValueError:
        return None


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]

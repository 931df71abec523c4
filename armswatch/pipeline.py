"""The monitoring job: ingest sources, extract what is new, store, consolidate.

Every step is idempotent and commits per document, which is what makes runs
resumable: a document is stored once by content hash (pending extraction),
its facts land in one transaction that also marks it done, and events are
rebuilt from all facts at the end. Kill the process at any moment and the
next run picks up the pending documents; run twice and the second adds
nothing. Bad inputs are recorded in the store with their reason and skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx

from armswatch.analysis.consolidate import consolidate
from armswatch.analysis.stories import signature
from armswatch.errors import InputError
from armswatch.model import EXTRACTOR_VERSION, Document, Fact
from armswatch.nlp.extractor import Extractor
from armswatch.settings import Settings
from armswatch.sources import discover, read_document
from armswatch.sources.feeds import FeedEntry, fetch_feed, parse_feed
from armswatch.sources.sidecar import Sidecar, find_sidecar, load_sidecar
from armswatch.sources.web import (
    document_from_resource,
    fetch_conditional,
    fetch_document,
    looks_like_feed,
    make_client,
)
from armswatch.store import Store
from armswatch.store import queries as q
from armswatch.store.store import PendingDocument
from armswatch.store.stories import rebuild_stories

log = logging.getLogger(__name__)

#: phase, done, total (None while unknown)
ProgressCallback = Callable[[str, int, int | None], None]


@dataclass
class RunSummary:
    """What a run did; ``errors`` lists (input, reason) for inputs that failed this run."""

    run_id: int | None = None
    documents_seen: int = 0
    documents_added: int = 0
    duplicates: int = 0
    documents_extracted: int = 0
    facts_added: int = 0
    events: int = 0
    feeds_polled: int = 0
    actors_screened: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {**self.__dict__, "errors": [{"input": i, "reason": r} for i, r in self.errors]}


class Pipeline:
    """Ingest, extract and consolidate into one store."""

    def __init__(self, store: Store, *, settings: Settings | None = None,
                 extractor: Extractor | None = None, client: httpx.Client | None = None,
                 progress: ProgressCallback | None = None) -> None:
        self.store = store
        self.settings = settings or (extractor.settings if extractor else Settings())
        self._extractor = extractor
        self._client = client
        self.progress = progress or (lambda _phase, _done, _total: None)

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = Extractor(settings=self.settings)
        return self._extractor

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    # -- the jobs ------------------------------------------------------------

    def run(self, sources: Sequence[str] = (), *, command: str = "run", poll: bool = False,
            extract: bool = True, meta: str | None = None) -> RunSummary:
        """Ingest ``sources`` (and followed feeds if ``poll``), then extract and consolidate."""
        summary = RunSummary(run_id=self.store.start_run(command))
        status = "failed"
        try:
            rebuild_stories(self.store, progress=self.progress)  # a store of an older MinHash scheme
            self.ingest(sources, summary=summary, meta=meta)
            if poll:
                self.poll_feeds(summary=summary)
            if extract:
                self.extract_pending(summary=summary)
                summary.events = self.consolidate()
                summary.actors_screened = self.screen_actors()
            status = "completed"
        finally:
            self.store.finish_run(summary.run_id or 0, status=status)
        return summary

    def ingest(self, sources: Sequence[str], *, summary: RunSummary, meta: str | None = None) -> None:
        paths = [s for s in sources if not _is_url(s)]
        urls = [s for s in sources if _is_url(s)]
        sidecar = load_sidecar(Path(meta)) if meta else None
        done = 0
        batch: list[tuple[Document, str]] = []
        for document in self._read_paths(paths, sidecar=sidecar, summary=summary):
            batch.append((document, "file"))
            if len(batch) >= self.settings.batch_size:
                self._add_batch(batch, summary=summary)
                done += len(batch)
                batch = []
                self.progress("ingest", done, None)
        self._add_batch(batch, summary=summary)
        done += len(batch)
        for url in urls:
            self._ingest_url(url, summary=summary)
            done += 1
            self.progress("ingest", done, None)

    def poll_feeds(self, *, summary: RunSummary) -> None:
        """Fetch every followed feed (conditional GET) and ingest the entries not seen before."""
        for feed in self.store.list_feeds():
            self._poll_feed(feed["id"], feed["url"], etag=feed["etag"],
                            last_modified=feed["last_modified"], summary=summary)
            summary.feeds_polled += 1

    def extract_pending(self, *, summary: RunSummary) -> None:
        total = self.store.count_pending()
        done = 0
        self.progress("extract", 0, total)
        seen: set[str] = set()
        while True:
            batch = [p for p in self.store.pending_documents(limit=self.settings.batch_size)
                     if p.id not in seen]
            if not batch:
                break
            seen.update(p.id for p in batch)
            extracted: list[tuple[str, list[Fact]]] = []
            for pending, facts, error in self._extract_batch(batch):
                if error is not None:
                    self.store.mark_failed(pending.id, error, run_id=summary.run_id)
                    summary.errors.append((pending.name, error))
                else:
                    extracted.append((pending.id, facts))
            saved = self.store.save_extractions(extracted, extractor_version=EXTRACTOR_VERSION,
                                                run_id=summary.run_id)
            for document_id, facts in extracted:
                if saved[document_id]:
                    summary.documents_extracted += 1
                    summary.facts_added += len({f.id for f in facts})
            done += len(batch)
            self.progress("extract", done, max(total, done))

    def consolidate(self) -> int:
        self.progress("consolidate", 0, None)
        with self.store.engine.connect() as conn:
            records = q.fact_records(conn)
        count = self.store.replace_events(event.to_row() for event in consolidate(records))
        self.progress("consolidate", 1, 1)
        return count

    def screen_actors(self) -> int:
        """Screen new actors against the stored sanctions lists (none loaded: nothing to do)."""
        from armswatch.sanctions.screening import screen_actors

        self.progress("screen", 0, None)
        screened = screen_actors(self.store)
        self.progress("screen", 1, 1)
        return screened

    # -- steps -----------------------------------------------------------------

    def _read_paths(self, paths: Sequence[str], *, sidecar: Sidecar | None,
                    summary: RunSummary) -> Iterator[Document]:
        sidecars: dict[Path, Sidecar | None] = {}
        for item in discover(paths):
            if isinstance(item, InputError):
                self._error(item.path, "read", item.reason, summary)
                continue
            try:
                document = read_document(item, settings=self.settings)
                for applied in (self._dir_sidecar(item.parent, sidecars, summary), sidecar):
                    if applied is not None:
                        document = applied.apply(document)
            except InputError as exc:
                self._error(exc.path, "read", exc.reason, summary)
                continue
            yield document

    def _dir_sidecar(self, directory: Path, cache: dict[Path, Sidecar | None],
                     summary: RunSummary) -> Sidecar | None:
        """The directory's meta.jsonl; a broken one is reported once and its files go on without."""
        if directory not in cache:
            found = find_sidecar(directory)
            try:
                cache[directory] = load_sidecar(found) if found else None
            except InputError as exc:
                self._error(exc.path, "read", f"metadata not applied: {exc.reason}", summary)
                cache[directory] = None
        return cache[directory]

    def _ingest_url(self, url: str, *, summary: RunSummary) -> None:
        """A page, or a feed whose entries are all fetched."""
        if self.store.find_document(url=url):
            summary.documents_seen += 1
            summary.duplicates += 1
            return
        try:
            resource = fetch_conditional(url, client=self.client, max_bytes=self.settings.max_file_bytes)
            if looks_like_feed(resource):
                feed = parse_feed(resource.content or b"", url=resource.url)
                self._ingest_entries(None, feed.title, feed.entries, summary=summary)
                return
            document = document_from_resource(resource, url=url)
        except InputError as exc:
            self._error(exc.path, "fetch", exc.reason, summary)
            return
        self._add(document, origin="url", summary=summary)

    def _poll_feed(self, feed_id: int, url: str, *, etag: str | None, last_modified: str | None,
                   summary: RunSummary) -> None:
        try:
            fetched = fetch_feed(url, client=self.client, etag=etag, last_modified=last_modified,
                                 max_bytes=self.settings.max_file_bytes)
        except InputError as exc:
            self.store.update_feed(feed_id, status="error", error=exc.reason)
            self._error(url, "fetch", exc.reason, summary)
            return
        if fetched.not_modified or fetched.feed is None:
            self.store.update_feed(feed_id, status="not modified")
            return
        added = self._ingest_entries(feed_id, fetched.feed.title, fetched.feed.entries, summary=summary)
        self.store.update_feed(feed_id, status=f"{added} new", title=fetched.feed.title,
                               etag=fetched.etag, last_modified=fetched.last_modified)

    def _ingest_entries(self, feed_id: int | None, title: str | None, entries: Iterable[FeedEntry], *,
                        summary: RunSummary) -> int:
        added = 0
        for entry in entries:
            entry_id, link = entry.entry_id, entry.link
            if feed_id is not None and self.store.feed_entry_seen(feed_id, entry_id):
                continue
            document_id = self.store.find_document(url=link) if link else None
            if document_id is not None:
                summary.documents_seen += 1
                summary.duplicates += 1
            elif link is None:
                self._error(f"{entry_id}", "fetch", "feed entry has no link", summary)
            else:
                try:
                    document = fetch_document(link, settings=self.settings, client=self.client)
                except InputError as exc:
                    self._error(exc.path, "fetch", exc.reason, summary)
                    continue  # not marked seen: the next poll tries again
                if document.published is None and entry.published:
                    document = replace(document, published=entry.published)
                if document.source is None and title:
                    document = replace(document, source=title)
                before = summary.documents_added
                document_id = self._add(document, origin="feed", summary=summary)
                added += summary.documents_added - before
            if feed_id is not None:
                self.store.mark_feed_entry(feed_id, entry_id, link=link,
                                           title=entry.title, published=entry.published,
                                           document_id=document_id)
        return added

    def _add(self, document: Document, *, origin: str, summary: RunSummary) -> str:
        return self._add_batch([(document, origin)], summary=summary)[0]

    def _add_batch(self, batch: Sequence[tuple[Document, str]], *, summary: RunSummary) -> list[str]:
        if not batch:
            return []
        results = self.store.add_documents(
            [(document, origin, signature(document.text)) for document, origin in batch],
            run_id=summary.run_id)
        summary.documents_seen += len(results)
        summary.documents_added += sum(r.created for r in results)
        summary.duplicates += sum(not r.created for r in results)
        return [r.document_id for r in results]

    def _extract_batch(self, batch: Sequence[PendingDocument]
                       ) -> Iterator[tuple[PendingDocument, list[Fact], str | None]]:
        """Facts of each document; an extractor error is isolated to its document."""
        documents = [Document(doc_id=p.id, text=p.text) for p in batch]
        try:
            results = list(self.extractor.extract_documents(documents))
        except Exception:  # noqa: BLE001 - find the document that broke the batch
            log.exception("extraction failed on a batch; retrying one document at a time")
            for pending, document in zip(batch, documents, strict=True):
                try:
                    facts = list(next(self.extractor.extract_documents([document])).facts)
                except Exception as exc:  # noqa: BLE001 - record it and go on
                    yield pending, [], f"extractor error: {type(exc).__name__}: {exc}"
                    continue
                yield pending, facts, None
            return
        for pending, result in zip(batch, results, strict=True):
            yield pending, list(result.facts), None

    def _error(self, source: str, stage: str, reason: str, summary: RunSummary) -> None:
        summary.errors.append((source, reason))
        self.store.record_error(source, stage=stage, reason=reason, run_id=summary.run_id)


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))

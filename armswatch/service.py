"""The library facade: what the CLI (and later the API) call.

Store-backed calls: :func:`open_store`, :func:`run` (ingest, extract,
consolidate), :func:`register`, :func:`facts`, :func:`events`,
:func:`contradictions`; each query takes the same keyword filters as the
matching CLI command and returns JSON-ready dicts.

``extract_facts(text)`` for one text; :class:`Extractor` for many, keeping
the loaded spaCy pipeline; :func:`extract_paths` reads files and directories
and yields one :class:`DocumentResult` per document, errors included, so a
batch goes on past a bad file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from armswatch.errors import InputError
from armswatch.model import Document, DocumentResult, Fact
from armswatch.nlp.extractor import Extractor
from armswatch.settings import Settings
from armswatch.sources import discover, read_document
from armswatch.store import Store
from armswatch.store import queries as q

if TYPE_CHECKING:
    from armswatch.pipeline import ProgressCallback, RunSummary


def extract_facts(text: str, *, settings: Settings | None = None) -> list[Fact]:
    """Facts stated in ``text``, each with its evidence sentences."""
    return Extractor(settings=settings).extract_text(text)


def extract_paths(paths: Iterable[str], *, settings: Settings | None = None,
                  extractor: Extractor | None = None) -> Iterator[DocumentResult]:
    """Read every file under ``paths`` and extract its facts; bad files become error results."""
    extractor = extractor or Extractor(settings=settings)
    batch: list[Document] = []
    for item in discover(paths):
        if isinstance(item, InputError):
            yield DocumentResult(doc_id=_doc_id(item.path), path=item.path, error=item.reason)
            continue
        try:
            batch.append(read_document(item, settings=extractor.settings))
        except InputError as exc:
            yield from extractor.extract_documents(batch)
            batch = []
            yield DocumentResult(doc_id=_doc_id(exc.path), path=exc.path, error=exc.reason)
            continue
        if len(batch) >= extractor.settings.batch_size:
            yield from extractor.extract_documents(batch)
            batch = []
    yield from extractor.extract_documents(batch)


def _doc_id(path: str) -> str:
    """The id a readable file would have had: its name without the extension."""
    return Path(path).stem


def open_store(db: str | None = None, *, settings: Settings | None = None) -> Store:
    """The store at ``db`` (path or URL), else ``settings.db``, else the user's default file."""
    settings = settings or Settings.from_env()
    return Store.open(db or settings.db)


def run(sources: Sequence[str] = (), *, store: Store, settings: Settings | None = None,
        poll: bool = False, extract: bool = True, meta: str | None = None,
        extractor: Extractor | None = None, progress: ProgressCallback | None = None,
        command: str = "run") -> RunSummary:
    """Ingest ``sources`` (files, directories, URLs, feed URLs) and, if ``poll``, the followed
    feeds; then extract every pending document and rebuild the events."""
    from armswatch.pipeline import Pipeline

    pipeline = Pipeline(store, settings=settings, extractor=extractor, progress=progress)
    return pipeline.run(sources, command=command, poll=poll, extract=extract, meta=meta)


def facts(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Stored facts; filters: type, actor, document, since, until, factuality, limit, offset."""
    with store.engine.connect() as conn:
        return q.list_facts(conn, store.resolver, q.FactFilter(**filters))


def events(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Events; filters: type, actor, supplier, recipient, item, since, contradicted, limit, offset."""
    with store.engine.connect() as conn:
        return q.list_events(conn, store.resolver, q.EventFilter(**filters))


def register(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """The deal register; filters: supplier, recipient, item, since, limit, offset."""
    with store.engine.connect() as conn:
        return q.register(conn, store.resolver, q.EventFilter(**filters))


def contradictions(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Events some sources assert and others deny, with both sides' evidence."""
    with store.engine.connect() as conn:
        return q.contradictions(conn, store.resolver, q.EventFilter(**filters))

"""The library facade: what the CLI (and later the API) call.

``extract_facts(text)`` for one text; :class:`Extractor` for many, keeping
the loaded spaCy pipeline; :func:`extract_paths` reads files and directories
and yields one :class:`DocumentResult` per document, errors included, so a
batch goes on past a bad file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from spacy.language import Language

from armswatch.errors import InputError
from armswatch.model import Document, DocumentResult, Fact
from armswatch.nlp.extract import FactExtractor
from armswatch.nlp.pipeline import load_pipeline
from armswatch.settings import Settings
from armswatch.sources import discover, read_document


class Extractor:
    """A loaded pipeline plus the fact rules; reuse it across documents."""

    def __init__(self, *, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp: Language = load_pipeline(self.settings.spacy_model)
        self.facts = FactExtractor()

    def extract_text(self, text: str, *, doc_id: str | None = None) -> list[Fact]:
        return self.facts(self.nlp(text), doc_id=doc_id)

    def extract_texts(self, texts: Sequence[str]) -> list[list[Fact]]:
        return [self.facts(doc) for doc in self.nlp.pipe(texts, batch_size=self.settings.batch_size)]

    def extract_documents(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        docs = list(documents)
        texts = (d.text for d in docs)
        for document, parsed in zip(docs, self.nlp.pipe(texts, batch_size=self.settings.batch_size),
                                    strict=True):
            facts = self.facts(parsed, doc_id=document.doc_id)
            yield DocumentResult(doc_id=document.doc_id, path=document.path, facts=tuple(facts))


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

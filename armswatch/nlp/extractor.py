"""A loaded spaCy pipeline plus the fact rules: the one object that turns text into facts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from spacy.language import Language

from armswatch.model import Document, DocumentResult, Fact
from armswatch.nlp.extract import FactExtractor
from armswatch.nlp.pipeline import load_pipeline
from armswatch.settings import Settings


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

"""Weapon mentions: generic words and named designations mapped to item categories.

A spaCy component. Generic words are matched on lower-cased forms (singular
and plural), designations on their exact spelling and lower case. A word that
has an everyday sense ("upper arms", "pasta shells") is dropped when a
false-friend word from ``triggers.yaml`` is beside it. Quantities before an
item ("over 1 million shells", "180 K2 tanks") are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from armswatch.vocab import Vocabulary, WeaponTerm, load_vocabulary

QUANTITY_WORDS = frozenset(
    [
        "million",
        "millions",
        "billion",
        "thousands",
        "thousand",
        "hundreds",
        "hundred",
        "dozens",
        "dozen",
        "several",
        "over",
        "about",
        "around",
        "nearly",
        "some",
        "up",
        "to",
        "more",
        "than",
        "at",
        "least",
    ]
)


@dataclass(frozen=True)
class ItemMention:
    start: int
    end: int
    text: str
    categories: tuple[str, ...]
    designation: str | None
    quantity: str | None


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


class ItemFinder:
    def __init__(self, nlp: Language, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary or load_vocabulary()
        self.generic = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.named = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.terms: dict[str, WeaponTerm] = {}
        for i, term in enumerate(self.vocabulary.weapons):
            key = f"W:{i}"
            self.terms[key] = term
            forms = {term.name, *term.aliases}
            if term.designation:
                self.named.add(key, [nlp.make_doc(f) for f in sorted(forms)])
                lower = {f.lower() for f in forms if len(f) > 4 and not f.isupper()}
                if lower:
                    self.generic.add(key, [nlp.make_doc(f) for f in sorted(lower)])
            else:
                words = set()
                for f in forms:
                    f = f.lower()
                    head, _, last = f.rpartition(" ")
                    words.add(f)
                    words.add(f"{head} {_plural(last)}".strip())
                self.generic.add(key, [nlp.make_doc(w) for w in sorted(words)])
        self.false_friends: dict[str, set[str]] = {
            k: set(v or []) for k, v in (self.vocabulary.triggers.get("weapon_false_friends") or {}).items()
        }

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data["aw_items"] = self.find(doc)
        return doc

    def find(self, doc: Doc) -> list[ItemMention]:
        spans = [
            Span(doc, s, e, label=doc.vocab.strings[m])
            for matcher in (self.named, self.generic)
            for m, s, e in matcher(doc)
        ]
        out = []
        for span in filter_spans(spans):
            if self._false_friend(span):
                continue
            term = self.terms[span.label_]
            out.append(
                ItemMention(
                    span.start,
                    span.end,
                    span.text,
                    term.categories,
                    term.name if term.designation else None,
                    self._quantity(span),
                )
            )
        return out

    def _false_friend(self, span: Span) -> bool:
        key = span[-1].lower_
        friends = self.false_friends.get(key)
        if not friends:
            return False
        doc = span.doc
        near = [t.lower_ for t in doc[max(0, span.start - 2) : span.start]]
        near += [t.lower_ for t in span[-1].children] + [span[-1].head.lower_]
        near += [t.lower_ for t in doc[span.end : span.end + 1]]
        return any(w in friends for w in near)

    @staticmethod
    def _quantity(span: Span) -> str | None:
        doc = span.doc
        i = span.start - 1
        # skip adjectives and compounds between the number and the item
        while (
            i >= 0 and span.start - i <= 4 and doc[i].pos_ in ("ADJ", "PROPN", "NOUN") and not doc[i].like_num
        ):
            i -= 1
        if i >= 1 and doc[i].lower_ == "of":
            i -= 1
        if i < 0 or not (doc[i].like_num or doc[i].lower_ in QUANTITY_WORDS):
            return None
        start = i
        while start > 0 and (
            doc[start - 1].like_num
            or doc[start - 1].lower_ in QUANTITY_WORDS
            or doc[start - 1].text in ("$",)
        ):
            start -= 1
        if not any(
            t.like_num or t.lower_ in ("millions", "thousands", "hundreds", "dozens", "several")
            for t in doc[start : i + 1]
        ):
            return None
        return doc[start : span.end].text


def items_of(doc: Doc) -> list[ItemMention]:
    return doc.user_data.get("aw_items", [])

"""Name parts as alignment sees them: their kinds, their weights, and the links between them.

A name part is a word of a name (rigour's ``NamePart``). What it *is* decides
what it counts for when two names are aligned: a particle (``al``, ``of``)
or a legal form (``LLC``) little, a number more, a word that rigour knows as
a generic symbol (``company``, ``trust``) less than a distinctive one. Those
judgements are the constants of this module; :mod:`.names` applies them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rigour.names import Name, NamePart, NamePartTag, Symbol

from armswatch.sanctions.matching.conventions import father_names

#: score of a pair of parts that share a symbol but are spelled differently
SYMBOL_SCORES = {"NAME": 0.9, "NICK": 0.75, "ORGCLS": 0.9, "INITIAL": 0.9, "NUM": 1.0,
                 "SYMBOL": 0.9, "LOC": 0.9, "DOMAIN": 0.9, "PHON": 0.85}
#: how much such a pair counts, relative to an ordinary name part
SYMBOL_WEIGHTS = {"ORGCLS": 0.3, "INITIAL": 0.5, "NICK": 0.8, "SYMBOL": 0.6, "NUM": 1.3, "LOC": 0.8}
#: symbols of words that prove little: legal forms, "company", "international"
GENERIC_SYMBOLS = ("ORGCLS", "SYMBOL")
HOW = {"NAME": "same name", "NICK": "nickname", "ORGCLS": "same legal form", "INITIAL": "initial",
       "NUM": "same number", "SYMBOL": "same word", "LOC": "same place", "DOMAIN": "same word",
       "PHON": "sounds alike"}
#: symbol categories that set a single part's weight, the strongest last
PART_CATEGORIES = ("LOC", "NUM", "SYMBOL", "ORGCLS")
#: what a part counts for before alignment: particles and legal forms little, numbers more
BASE_WEIGHTS = {"stop": 0.4, "legal": 0.3, "number": 1.5, "initial": 0.5, "word": 1.0}
#: articles rigour does not tag as stopwords in every script
ARTICLES = frozenset({"\u0627\u0644", "al", "el"})

Categories = dict[NamePart, str]


@dataclass(frozen=True, slots=True)
class PartLink:
    """Parts of the two names aligned with each other (one side empty: no counterpart)."""

    query: str
    result: str
    score: float
    weight: float
    how: str
    #: legal forms, articles, generic words ("company", "trust"): they prove little
    generic: bool = False

    def describe(self) -> str:
        if not self.result:
            return f"'{self.query}' not in listed name"
        if not self.query:
            return f"'{self.result}' not in query"
        if self.how == "identical":
            return f"'{self.query}'"
        return f"'{self.query}'~'{self.result}' ({self.how} {self.score:.0%})"


def part_categories(name: Name) -> Categories:
    """Per part, the symbol category that sets its weight (``company``: SYMBOL, ``iv``: NUM)."""
    found: Categories = {}
    for span in name.spans:
        category = span.symbol.category.value
        if category not in PART_CATEGORIES:
            continue
        rank = PART_CATEGORIES.index(category)
        for part in span.parts:
            known = found.get(part)
            if known is None or PART_CATEGORIES.index(known) < rank:
                found[part] = category
    return found


@dataclass(frozen=True, slots=True, eq=False)
class NameForm:
    """A rigour ``Name`` with what alignment reads again and again, computed once."""

    name: Name
    #: per part, the symbol category that sets its weight (see :func:`part_categories`)
    categories: Categories
    #: per part, the symbols of the spans it belongs to
    symbols: dict[NamePart, set[Symbol]]
    #: parts that follow a patronymic particle, None without one
    fathers: frozenset[str] | None

    @classmethod
    def of(cls, name: Name) -> NameForm:
        symbols: dict[NamePart, set[Symbol]] = {}
        for span in name.spans:
            symbol = span.symbol
            for part in span.parts:
                symbols.setdefault(part, set()).add(symbol)
        return cls(name, part_categories(name), symbols, father_names([p.comparable for p in name.parts]))

    def symbols_of(self, parts: Sequence[NamePart]) -> set[Symbol]:
        found: set[Symbol] = set()
        for part in parts:
            found.update(self.symbols.get(part, ()))
        return found


def kind_of(part: NamePart, categories: Categories) -> str:
    """What sort of part this is: ``stop`` (al, of), ``legal`` (LLC), ``number``, ``initial`` or ``word``."""
    tag = part.tag
    if tag == NamePartTag.NUM or categories.get(part) == "NUM" or part.form.isdigit():
        return "number"
    if tag == NamePartTag.LEGAL:
        return "legal"
    if tag == NamePartTag.STOP or part.comparable in ARTICLES:
        return "stop"
    return "initial" if len(part.comparable) == 1 else "word"


def is_generic(kind: str) -> bool:
    return kind in ("stop", "legal")


def identical_link(part: NamePart, categories: Categories) -> PartLink:
    """The link of a part spelled the same on both sides, weighed by what it is."""
    kind = kind_of(part, categories)
    category = categories.get(part)
    weighty = category in ("SYMBOL", "ORGCLS", "LOC")
    weight = SYMBOL_WEIGHTS[category] if weighty and category is not None else BASE_WEIGHTS[kind]
    generic = is_generic(kind) or category in GENERIC_SYMBOLS
    return PartLink(part.comparable, part.comparable, 1.0, weight, "identical", generic)

"""Name similarity: align the parts of two names, then weigh what agrees and what does not.

The idea follows nomenklatura's logic-v2 name matcher (written afresh here on
rigour's primitives). Parts spelled the same are paired first, wherever they
stand; then parts that carry the same *symbol* (rigour knows that
``Владимир``, ``Vladimir`` and ``Wladimir`` are one given name, that ``OOO``
and ``LLC`` are one legal form, that ``forty four`` is 44); then initials
with the names they abbreviate; what is left is lined up -- in any order for
persons -- and scored by edit distance (rigour's ``compare_parts``, with a
Jaro-Winkler fallback for near misses its budget refuses). Every aligned pair
becomes a :class:`PartLink` with a score and a weight; the name score is
their weighted mean.

The weights carry the judgement:

* a part present on one side only (a patronymic the list adds, a middle name
  the query adds) costs little: it is missing information, not disagreement;
* parts left over on *both* sides contradict each other (``Sergey
  Viktorovich Lavrov`` vs ``Sergey Borisovich Lavrov``) and cost a lot;
* legal forms, articles, particles (``al``, ``of``) and generic words
  (``company``, ``trust``) count little, and a match on them alone is
  halved; numbers count more, and must agree (``Vessel 1`` is not
  ``Vessel 2``);
* a name that is one's own on one side and one's father's on the other
  (``Salman bin Muhammad`` vs ``Muhammad bin Salman``) is not a match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from normality import ascii_text
from rapidfuzz.distance import JaroWinkler, Levenshtein
from rigour.names import (
    Alignment,
    Name,
    NamePart,
    NamePartTag,
    NameTypeTag,
    Symbol,
    align_person_name_order,
    compare_parts,
    pair_symbols,
)

#: score of a pair of parts that share a symbol but are spelled differently
SYMBOL_SCORES = {"NAME": 0.9, "NICK": 0.75, "ORGCLS": 0.9, "INITIAL": 0.9, "NUM": 1.0,
                 "SYMBOL": 0.9, "LOC": 0.9, "DOMAIN": 0.9, "PHON": 0.85}
#: how much such a pair counts, relative to an ordinary name part
SYMBOL_WEIGHTS = {"ORGCLS": 0.3, "INITIAL": 0.5, "NICK": 0.8, "SYMBOL": 0.6, "NUM": 1.3, "LOC": 0.8}
GENERIC_SYMBOLS = ("ORGCLS", "SYMBOL")
HOW = {"NAME": "same name", "NICK": "nickname", "ORGCLS": "same legal form", "INITIAL": "initial",
       "NUM": "same number", "SYMBOL": "same word", "LOC": "same place", "DOMAIN": "same word",
       "PHON": "sounds alike"}
#: symbol categories that set a single part's weight, the strongest last
PART_CATEGORIES = ("LOC", "NUM", "SYMBOL", "ORGCLS")

#: what a part counts for before alignment: particles and legal forms little, numbers more
BASE_WEIGHTS = {"stop": 0.4, "legal": 0.3, "number": 1.5, "initial": 0.5, "word": 1.0}
#: leftover parts of these kinds on both sides contradict each other (particles never do)
CONFLICT_CLASS = {"word": "name", "initial": "name", "number": "name", "legal": "legal"}
#: weight of a part found on the query side only / on the listed side only: low for
#: persons (lists add patronymics, texts drop middle names), higher for companies, whose
#: extra word often names a different company, highest for vessels, whose name is a unit
EXTRAS = {NameTypeTag.PER: (0.3, 0.15), NameTypeTag.ORG: (0.5, 0.15), NameTypeTag.OBJ: (0.6, 0.6)}
#: a number on one side only (a hull or series number left out) weighs less than a word
NUMBER_EXTRA = 0.5
#: weight of each part of a contradiction (parts left over on both sides)
CONFLICT = 1.3
#: a near miss rigour's edit budget refuses still earns credit above this Jaro-Winkler
JW_FLOOR = 0.8
#: articles rigour does not tag as stopwords in every script
ARTICLES = frozenset({"\u0627\u0644", "al", "el"})
#: particles before a father's (or ancestor's) name in Arabic and related naming
PATRONYMIC_PARTICLES = frozenset({"bin", "ben", "ibn", "bint", "binti", "ould", "walad"})
#: score of two parts with the same consonants, one transliterated from Arabic or Hebrew
ABJAD_SCORE = 0.8
#: factor for a score that rests on generic words alone
GENERIC_ONLY = 0.5
#: pairings of symbols to try (rigour returns the most complete first)
MAX_PAIRINGS = 4

Categories = dict[NamePart, str]


@dataclass(frozen=True, slots=True, eq=False)
class NameForm:
    """A rigour ``Name`` with what alignment reads again and again, computed once."""

    name: Name
    #: per part, the symbol category that sets its weight (see :func:`part_categories`)
    categories: Categories
    #: per part, the symbols of the spans it belongs to
    symbols: dict[NamePart, set[Symbol]]

    @classmethod
    def of(cls, name: Name) -> NameForm:
        symbols: dict[NamePart, set[Symbol]] = {}
        for span in name.spans:
            symbol = span.symbol
            for part in span.parts:
                symbols.setdefault(part, set()).add(symbol)
        return cls(name, part_categories(name), symbols)

    def symbols_of(self, parts: Sequence[NamePart]) -> set[Symbol]:
        found: set[Symbol] = set()
        for part in parts:
            found.update(self.symbols.get(part, ()))
        return found


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


def _kind(part: NamePart, categories: Categories) -> str:
    """What sort of part this is: ``stop`` (al, of), ``legal`` (LLC), ``number``, ``initial`` or ``word``."""
    tag = part.tag
    if tag == NamePartTag.NUM or categories.get(part) == "NUM" or part.form.isdigit():
        return "number"
    if tag == NamePartTag.LEGAL:
        return "legal"
    if tag == NamePartTag.STOP or part.comparable in ARTICLES:
        return "stop"
    return "initial" if len(part.comparable) == 1 else "word"


def _identical_link(part: NamePart, categories: Categories) -> PartLink:
    kind = _kind(part, categories)
    category = categories.get(part)
    weighty = category in ("SYMBOL", "ORGCLS", "LOC")
    weight = SYMBOL_WEIGHTS[category] if weighty and category is not None else BASE_WEIGHTS[kind]
    generic = kind in ("stop", "legal") or category in GENERIC_SYMBOLS
    return PartLink(part.comparable, part.comparable, 1.0, weight, "identical", generic)


def _pair_identical(query: Sequence[NamePart], result: Sequence[NamePart], categories: Categories,
                    links: list[PartLink]) -> tuple[list[NamePart], list[NamePart]]:
    """Pair parts spelled the same on both sides, wherever they stand (cheap, and most common)."""
    rest_r = list(result)
    rest_q: list[NamePart] = []
    for part in query:
        form = part.comparable
        twin = next((p for p in rest_r if p.comparable == form), None)
        if twin is None:
            rest_q.append(part)
            continue
        rest_r.remove(twin)
        links.append(_identical_link(part, categories))
    return rest_q, rest_r


def _symbol_links(edges: Sequence[Alignment], rest_q: list[NamePart], rest_r: list[NamePart],
                  links: list[PartLink]) -> tuple[list[NamePart], list[NamePart]]:
    """Pair the parts of one symbol pairing that are still unpaired; returns what is left."""
    free_q, free_r = set(rest_q), set(rest_r)
    for edge in edges:
        qps, rps = edge.qps, edge.rps
        if not free_q.issuperset(qps) or not free_r.issuperset(rps):
            continue
        category = edge.symbol.category.value if edge.symbol is not None else "NAME"
        weight = SYMBOL_WEIGHTS.get(category, 1.0) * (1.0 + 0.5 * (max(len(qps), len(rps)) - 1))
        stop = all(p.tag == NamePartTag.STOP for p in qps)
        if category == "NAME" and stop:
            weight *= 0.4
        links.append(PartLink(edge.qstr, edge.rstr, SYMBOL_SCORES.get(category, 0.9), weight,
                              HOW.get(category, "same word"), category in GENERIC_SYMBOLS or stop))
        free_q.difference_update(qps)
        free_r.difference_update(rps)
    return [p for p in rest_q if p in free_q], [p for p in rest_r if p in free_r]


def _fuzzy(query: str, result: str) -> float:
    """Credit for two spellings rigour's edit budget rejects, from their Jaro-Winkler similarity."""
    if any(c.isdigit() for c in query + result):
        return 0.0
    jw = JaroWinkler.normalized_similarity(query.replace(" ", ""), result.replace(" ", ""))
    if jw < JW_FLOOR:
        return 0.0
    return round((jw - JW_FLOOR) / (1 - JW_FLOOR) * 0.8, 3)


def _pair_initials(query: list[NamePart], result: list[NamePart],
                   links: list[PartLink]) -> tuple[list[NamePart], list[NamePart]]:
    """Pair a one-letter part with an unmatched full part that starts with it (J ~ Joachim)."""
    for side_a, side_b, flip in ((query, result, False), (result, query, True)):
        for initial in [p for p in side_a if len(p.comparable) == 1 and p.comparable.isalpha()]:
            full = next((p for p in side_b if len(p.comparable) > 1
                         and p.comparable[0] == initial.comparable), None)
            if full is None:
                continue
            side_a.remove(initial)
            side_b.remove(full)
            pair = (full.comparable, initial.comparable) if flip else (initial.comparable, full.comparable)
            links.append(PartLink(pair[0], pair[1], 0.9, 0.5, "initial"))
    return query, result


def skeleton(text: str) -> str:
    """The consonants of a word, doubled letters once: ``Assad``, ``asd`` -> ``sd``.

    Arabic, Persian and Hebrew leave short vowels unwritten, so a
    transliteration from them lacks the vowels a Latin spelling has.
    """
    letters = [c for c in text if c.isalpha() and c not in "aeiouyw"]
    return "".join(c for i, c in enumerate(letters) if i == 0 or c != letters[i - 1])


@lru_cache(maxsize=8192)
def _bones(form: str) -> str:
    """The skeleton of a part, transliterated first if rigour kept its script."""
    latin = form if form.isascii() else (ascii_text(form) or "").lower()
    return skeleton(latin) if len(latin) >= 3 else ""


def _pair_skeletons(query: list[NamePart], result: list[NamePart],
                    links: list[PartLink]) -> tuple[list[NamePart], list[NamePart]]:
    """Pair leftover parts with the same consonants (for names transliterated from an abjad)."""
    rest_r = list(result)
    rest_q: list[NamePart] = []
    for part in query:
        bones = _bones(part.comparable)
        twin = next((p for p in rest_r if bones and _bones(p.comparable) == bones), None)
        if twin is None:
            rest_q.append(part)
            continue
        rest_r.remove(twin)
        links.append(PartLink(part.comparable, twin.comparable, ABJAD_SCORE, 1.0, "same consonants"))
    return rest_q, rest_r


def _residue(query: list[NamePart], result: list[NamePart], tag: NameTypeTag,
             categories: Categories, links: list[PartLink], abjad: bool = False) -> None:
    """Align the parts neither spelling nor symbols explained, and weigh those left unmatched."""
    if query and result and tag == NameTypeTag.PER:
        query, result = _pair_initials(query, result, links)
    if not query or not result:
        _weigh_leftovers(query, result, tag, categories, links)
        return
    if tag == NameTypeTag.PER:
        query, result = align_person_name_order(query, result)
    else:
        query, result = NamePart.tag_sort(query), NamePart.tag_sort(result)
    leftover_q: list[NamePart] = []
    leftover_r: list[NamePart] = []
    for align in compare_parts(query, result):
        if align.qps and align.rps:
            score = align.score if align.score > 0 else _fuzzy(align.qstr, align.rstr)
            if score > 0:
                kinds = [_kind(p, categories) for p in align.qps + align.rps]
                weight = max(BASE_WEIGHTS[k] for k in kinds)
                generic = all(k in ("stop", "legal") for k in kinds)
                links.append(PartLink(align.qstr, align.rstr, score, weight, "similar", generic))
                continue
        leftover_q.extend(align.qps)
        leftover_r.extend(align.rps)
    if abjad and leftover_q and leftover_r:
        leftover_q, leftover_r = _pair_skeletons(leftover_q, leftover_r, links)
    _weigh_leftovers(leftover_q, leftover_r, tag, categories, links)


def _weigh_leftovers(leftover_q: list[NamePart], leftover_r: list[NamePart], tag: NameTypeTag,
                     categories: Categories, links: list[PartLink]) -> None:
    """Parts without a counterpart: missing information on one side, a contradiction on both."""
    if not leftover_q and not leftover_r:
        return
    matched_q = {link.query for link in links}
    matched_r = {link.result for link in links}
    kinds_q = [_kind(p, categories) for p in leftover_q]
    kinds_r = [_kind(p, categories) for p in leftover_r]
    classes_q = {CONFLICT_CLASS.get(k) for k in kinds_q}
    classes_r = {CONFLICT_CLASS.get(k) for k in kinds_r}
    extra_q, extra_r = EXTRAS.get(tag, EXTRAS[NameTypeTag.ORG])
    for parts, kinds, matched, extra, others, is_query in (
            (leftover_q, kinds_q, matched_q, extra_q, classes_r, True),
            (leftover_r, kinds_r, matched_r, extra_r, classes_q, False)):
        for part, kind in zip(parts, kinds, strict=True):
            conflict_class = CONFLICT_CLASS.get(kind)
            differs = conflict_class is not None and conflict_class in others
            weight = BASE_WEIGHTS[kind] * (CONFLICT if differs else extra)
            if kind == "number" and not differs:
                weight *= NUMBER_EXTRA  # "Victory" and "Victory 3": a hull number left out
            if part.comparable in matched:
                weight *= 0.2  # a repeated part ("Shoigu Shoigu Sergey") adds nothing
            query_form, result_form = (part.comparable, "") if is_query else ("", part.comparable)
            links.append(PartLink(query_form, result_form, 0.0, weight, "differs" if differs else "extra",
                                  kind in ("stop", "legal")))


def _father_names(name: Name) -> set[str] | None:
    """Parts that follow a patronymic particle (``bin Salman``): a father's, not one's own name.

    ``None`` when the name has no such particle, so nothing can be said.
    """
    parts = [p.comparable for p in name.parts]
    if not any(p in PATRONYMIC_PARTICLES for p in parts):
        return None
    return {b for a, b in zip(parts, parts[1:], strict=False) if a in PATRONYMIC_PARTICLES}


def _check_lineage(query: Name, result: Name, links: list[PartLink]) -> list[PartLink]:
    """A name that is one's own on one side and one's father's on the other is no match.

    ``Salman bin Muhammad`` is Muhammad's son; ``Muhammad bin Salman`` his
    father, perhaps: the same parts, reversed across the particle.
    """
    q_fathers, r_fathers = _father_names(query), _father_names(result)
    if q_fathers is None or r_fathers is None:
        return links
    checked = []
    for link in links:
        if link.query and link.result and link.score > 0 and not link.generic \
                and (link.query in q_fathers) != (link.result in r_fathers):
            link = PartLink(link.query, link.result, link.score * 0.3, link.weight,
                            "father's name on one side only")
        checked.append(link)
    return checked


def _weighted(links: Sequence[PartLink]) -> float:
    """Weighted mean of the links; halved when only generic words agree ("Management Company")."""
    total = sum(link.weight for link in links)
    if total <= 0:
        return 0.0
    score = sum(link.score * link.weight for link in links) / total
    if not any(link.score > 0 and not link.generic for link in links):
        score *= GENERIC_ONLY
    return score


def align_names(query: NameForm, result: NameForm, tag: NameTypeTag,
                abjad: bool = False) -> tuple[float, tuple[PartLink, ...]]:
    """The best alignment of two analysed names: its score in [0, 1] and its part links.

    ``abjad``: one of them is transliterated from a script without short
    vowels, so parts with the same consonants may pair (see :func:`skeleton`).
    """
    categories = {**query.categories, **result.categories}
    identical: list[PartLink] = []
    rest_q, rest_r = _pair_identical(query.name.parts, result.name.parts, categories, identical)
    pairings: Sequence[Sequence[Alignment]] = [()]
    # rigour's pairing is the costliest step: skip it when the parts left share no symbol
    if rest_q and rest_r and not query.symbols_of(rest_q).isdisjoint(result.symbols_of(rest_r)):
        pairings = pair_symbols(query.name, result.name)[:MAX_PAIRINGS] or [()]
    best_score: float = -1.0
    best_links: tuple[PartLink, ...] = ()
    for edges in pairings:
        links = list(identical)
        left_q, left_r = _symbol_links(edges, rest_q, rest_r, links)
        _residue(left_q, left_r, tag, categories, links, abjad)
        if tag == NameTypeTag.PER:
            links = _check_lineage(query.name, result.name, links)
        score = _weighted(links)
        if score > best_score:
            best_score, best_links = score, tuple(links)
            if score >= 1.0:
                break
    return max(best_score, 0.0), best_links


def script_similarity(query: str, result: str) -> float:
    """Similarity of two names in the same syllabic script (Han, Hangul, kana), sign by sign.

    One sign is one syllable, so one different sign in a three-sign Korean
    name is a different name, though the transliterations may look alike.
    """
    q = "".join(c for c in query if c.isalpha())
    r = "".join(c for c in result if c.isalpha())
    # squared: one sign in four differing leaves 56%, not 75%
    return Levenshtein.normalized_similarity(q, r) ** 2 if q and r else 0.0

"""Name similarity: align the parts of two names, then weigh what agrees and what does not.

The idea follows nomenklatura's logic-v2 name matcher (written afresh here on
rigour's primitives). Parts spelled the same are paired first, wherever they
stand; then parts that carry the same *symbol* (rigour knows that
``Владимир``, ``Vladimir`` and ``Wladimir`` are one given name, that ``OOO``
and ``LLC`` are one legal form, that ``forty four`` is 44); then initials
with the names they abbreviate; what is left is lined up -- in any order for
persons -- and scored by edit distance (rigour's ``compare_parts``, with a
Jaro-Winkler fallback for near misses its budget refuses, and consonant
skeletons for names transliterated from Arabic or Hebrew). Every aligned pair
becomes a :class:`~.parts.PartLink` with a score and a weight; the name
score is their weighted mean.

The weights carry the judgement (their values are in :mod:`.parts` and here):

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

from rapidfuzz.distance import JaroWinkler
from rigour.names import (
    Alignment,
    NamePart,
    NamePartTag,
    NameTypeTag,
    align_person_name_order,
    compare_parts,
    pair_symbols,
)

from armswatch.sanctions.matching.conventions import bones, lineage_differs
from armswatch.sanctions.matching.parts import (
    BASE_WEIGHTS,
    GENERIC_SYMBOLS,
    HOW,
    SYMBOL_SCORES,
    SYMBOL_WEIGHTS,
    Categories,
    NameForm,
    PartLink,
    identical_link,
    is_generic,
    kind_of,
)

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
#: score of two parts with the same consonants, one transliterated from an abjad
ABJAD_SCORE = 0.8
#: score left to a part that is one's own name on one side and a father's on the other
LINEAGE_FACTOR = 0.3
#: factor for a score that rests on generic words alone
GENERIC_ONLY = 0.5
#: pairings of symbols to try (rigour returns the most complete first)
MAX_PAIRINGS = 4


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
        links.append(identical_link(part, categories))
    return rest_q, rest_r


def _symbol_links(edges: Sequence[Alignment], rest_q: list[NamePart], rest_r: list[NamePart],
                  links: list[PartLink]) -> tuple[list[NamePart], list[NamePart]]:
    """Pair the parts of one symbol pairing that are still unpaired; returns what is left."""
    if not edges:
        return rest_q, rest_r
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
    if all(len(p.comparable) > 1 for p in query) and all(len(p.comparable) > 1 for p in result):
        return query, result
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


def _pair_skeletons(query: list[NamePart], result: list[NamePart],
                    links: list[PartLink]) -> tuple[list[NamePart], list[NamePart]]:
    """Pair leftover parts with the same consonants (for names transliterated from an abjad)."""
    rest_r = list(result)
    rest_q: list[NamePart] = []
    for part in query:
        skeleton = bones(part.comparable)
        twin = next((p for p in rest_r if skeleton and bones(p.comparable) == skeleton), None)
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
                kinds = [kind_of(p, categories) for p in align.qps + align.rps]
                weight = max(BASE_WEIGHTS[k] for k in kinds)
                generic = all(is_generic(k) for k in kinds)
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
    kinds_q = [kind_of(p, categories) for p in leftover_q]
    kinds_r = [kind_of(p, categories) for p in leftover_r]
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
                                  is_generic(kind)))


def _check_lineage(query: NameForm, result: NameForm, links: list[PartLink]) -> list[PartLink]:
    """Lower the links of parts that are one's own name on one side, a father's on the other."""
    if query.fathers is None or result.fathers is None:
        return links
    return [PartLink(link.query, link.result, link.score * LINEAGE_FACTOR, link.weight,
                     "father's name on one side only")
            if link.query and link.result and link.score > 0 and not link.generic
            and lineage_differs(link.query, link.result, query.fathers, result.fathers) else link
            for link in links]


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

    ``abjad``: one of them is written in a script without short vowels, so
    leftover parts with the same consonants may pair (see :mod:`.conventions`).
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
            links = _check_lineage(query, result, links)
        score = _weighted(links)
        if score > best_score:
            best_score, best_links = score, tuple(links)
            if score >= 1.0:
                break
    return max(best_score, 0.0), best_links

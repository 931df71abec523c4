"""The screening index: listed parties, found by name and scored with their evidence.

``ScreeningIndex`` holds the entries of one or more lists. Each name of an
entry (the primary name and every alias) gets an id. A query is answered in
three stages, each costlier per name than the one before and run on fewer
names:

1. the compact :class:`~.candidates.TokenIndex` retrieves the names sharing
   the most (IDF-weighted) words, sounds, typos and name symbols with the
   query (``CANDIDATE_NAMES``);
2. those are re-ranked by that share blended with a letter-level similarity
   of the whole normalised names (rapidfuzz, microseconds a pair), and
   grouped by entry; the best few entries go on (``CANDIDATE_ENTRIES``,
   more up to the ``limit`` for close contenders), those far below
   (``PRE_SCORE_FLOOR``) never: on the lists' benchmarks no name scoring
   0.6 or more in full ranked that low;
3. their best names are scored in full (name features, then qualifiers), the
   best name of an entry standing for it; the alignment is described in
   words only for the matches returned.

An identifier given with the query (an IMO number, a passport) finds its
entries directly, whatever their name. Memory stays small for large lists:
per name the index keeps two ints (its entry and which of the entry's names
it is), its normalised text and its postings. Analysed names are cached;
small indexes (the official lists) analyse every name up front so that the
first queries are as fast as the later ones.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process
from rigour.names import NameTypeTag
from rigour.text.scripts import is_modern_alphabet

from armswatch.model import Alias, ListEntry
from armswatch.sanctions.matching.analysis import analyse
from armswatch.sanctions.matching.candidates import NAME_SYMBOLS, TokenIndex
from armswatch.sanctions.matching.compare import (
    DEFAULT_THRESHOLD,
    NameEvidence,
    describe_alignment,
    name_features,
)
from armswatch.sanctions.matching.explain import explain
from armswatch.sanctions.matching.normalise import name_parts, normalise_name, type_tag
from armswatch.sanctions.matching.qualifiers import (
    normalise_identifier,
    qualifier_features,
    schemata_compatible,
)
from armswatch.sanctions.matching.results import Feature, Match, Query, total

#: names retrieved from the token index per query
CANDIDATE_NAMES = 25
#: entries scored in full per query; more, up to the ``limit`` asked for, if they rank
#: above ``CONTENDER_FLOOR`` in stage 2
CANDIDATE_ENTRIES = 5
CONTENDER_FLOOR = 0.65
#: candidates ranking below this in stage 2 are not scored (names in alphabetic scripts only:
#: transliterated Han or Arabic shares too few letters with its Latin spelling to be judged so)
PRE_SCORE_FLOOR = 0.4
#: names of one entry scored in full, if they rank within ``SECOND_NAME_MARGIN`` of its best
NAMES_PER_ENTRY = 2
SECOND_NAME_MARGIN = 0.1
#: indexes up to this many names analyse them all when frozen
EAGER_ANALYSIS = 150_000
_TAG_SCHEMA = {NameTypeTag.PER: "Person", NameTypeTag.ORG: "Organization",
               NameTypeTag.ENT: "LegalEntity", NameTypeTag.OBJ: "Vessel", NameTypeTag.UNK: None}


@lru_cache(maxsize=4096)
def _query_terms(name: str, tags: tuple[NameTypeTag, ...]
                 ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The words of a query name under each kind of name it may be, adjacent words
    joined ("Good Will" may be listed as "Goodwill"), and its name symbols."""
    tokens: set[str] = set()
    joined: set[str] = set()
    symbols: set[str] = set()
    for tag in tags:
        parts = name_parts(name, _TAG_SCHEMA[tag])
        tokens.update(parts)
        joined.update(a + b for a, b in zip(parts, parts[1:], strict=False))
        analysed = analyse(name, tag)
        if analysed.name is not None:
            symbols.update(f"{s.symbol.category.value}:{s.symbol.id}" for s in analysed.name.spans
                           if s.symbol.category.value in NAME_SYMBOLS)
    return tuple(sorted(tokens)), tuple(sorted(joined - tokens)), tuple(sorted(symbols))


class ScreeningIndex:
    """Listed parties, searchable by name (see the module docstring)."""

    def __init__(self, entries: Iterable[ListEntry] = ()) -> None:
        self._entries: list[ListEntry] = []
        self._name_entry = array("i")  # name id -> entry index
        self._name_slot = array("i")  # name id -> 0 for the primary name, i for aliases[i - 1]
        self._normalised: list[str] = []  # name id -> normalised name
        self._entry_first_name = array("i")  # entry index -> id of its primary name
        self._tokens = TokenIndex()
        self._identifiers: dict[str, list[int]] = {}
        self._tags: set[NameTypeTag] = set()
        self._analysed = 0  # names analysed up front so far
        self.add(entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def name_count(self) -> int:
        return len(self._name_entry)

    def add(self, entries: Iterable[ListEntry]) -> None:
        """Index more entries (their names, aliases and identifiers)."""
        for entry in entries:
            entry_index = len(self._entries)
            self._entries.append(entry)
            self._tags.add(type_tag(entry.schema))
            self._entry_first_name.append(len(self._name_entry))
            for slot, text in enumerate((entry.name, *(a.name for a in entry.aliases))):
                name_id = len(self._name_entry)
                parts = name_parts(text, entry.schema)
                self._name_entry.append(entry_index)
                self._name_slot.append(slot)
                self._normalised.append(" ".join(parts))
                self._tokens.add_name(name_id, parts)
            for identifier in entry.identifiers:
                value = normalise_identifier(identifier.value)
                if len(value) >= 5:
                    self._identifiers.setdefault(value, []).append(entry_index)

    def freeze(self) -> None:
        """Prepare the index for searching (done by the first search after an ``add``)."""
        self._tokens.freeze()
        if self.name_count <= EAGER_ANALYSIS:
            for name_id in range(self._analysed, self.name_count):
                entry, text, _ = self._name(name_id)
                analyse(text, type_tag(entry.schema))
            self._analysed = self.name_count

    def _name(self, name_id: int) -> tuple[ListEntry, str, Alias | None]:
        entry = self._entries[self._name_entry[name_id]]
        slot = self._name_slot[name_id]
        if slot == 0:
            return entry, entry.name, None
        alias = entry.aliases[slot - 1]
        return entry, alias.name, alias

    def _candidates(self, query: Query, entries: int) -> list[list[int]]:
        """Name ids to score in full, grouped by entry, the most promising entries first."""
        if query.schema is not None:
            tags: tuple[NameTypeTag, ...] = (type_tag(query.schema),)
        else:
            tags = tuple(sorted(self._tags, key=lambda t: t.value)) or (NameTypeTag.PER,)
        tokens, joined, symbols = _query_terms(query.name, tags)
        compatible: dict[str, bool] = {}
        forms: dict[str, str] = {}
        hits: list[tuple[int, float]] = []
        by_form: dict[str, list[int]] = {}
        for name_id, share in self._tokens.search(tokens, symbols, CANDIDATE_NAMES, joined=joined):
            schema = self._entries[self._name_entry[name_id]].schema
            fits = compatible.get(schema)
            if fits is None:
                fits = compatible[schema] = schemata_compatible(query.schema, schema)
                forms[schema] = normalise_name(query.name, query.schema or schema)
            if fits:
                by_form.setdefault(forms[schema], []).append(len(hits))
                hits.append((name_id, share))
        letters = [0.0] * len(hits)
        for form, positions in by_form.items():
            similarities = process.cdist([form], [self._normalised[hits[i][0]] for i in positions],
                                         scorer=fuzz.token_sort_ratio)[0]
            for i, similarity in zip(positions, similarities.tolist(), strict=True):
                letters[i] = similarity / 100.0
        floor = PRE_SCORE_FLOOR if is_modern_alphabet(query.name) else 0.0
        ranked: dict[int, list[tuple[float, int]]] = {}
        for (name_id, share), similarity in zip(hits, letters, strict=True):
            pre = 0.5 * min(share, 1.0) + 0.5 * similarity
            if pre >= floor:
                ranked.setdefault(self._name_entry[name_id], []).append((pre, name_id))
        best_first = sorted(ranked.items(), key=lambda item: -max(item[1])[0])[:entries]
        # past the first few, only close contenders (namesakes) are worth their cost
        best_first = [item for rank, item in enumerate(best_first)
                      if rank < CANDIDATE_ENTRIES or max(item[1])[0] >= CONTENDER_FLOOR]
        groups = []
        for _, names in best_first:
            names.sort(reverse=True)
            groups.append([name_id for pre, name_id in names[:NAMES_PER_ENTRY]
                           if pre >= names[0][0] - SECOND_NAME_MARGIN])
        seen = {self._name_entry[group[0]] for group in groups}
        for value in query.identifiers:
            for entry_index in self._identifiers.get(normalise_identifier(value), ()):
                if entry_index not in seen:
                    seen.add(entry_index)
                    groups.insert(0, [self._entry_first_name[entry_index]])
        return groups

    def _score_entry(self, query: Query, name_ids: list[int]
                     ) -> tuple[float, list[Feature], NameEvidence, str, Alias | None] | None:
        entry = self._entries[self._name_entry[name_ids[0]]]
        if not schemata_compatible(query.schema, entry.schema):
            return None
        tag = type_tag(query.schema if query.schema is not None else entry.schema)
        query_name = analyse(query.name, tag)
        best: tuple[float, list[Feature], NameEvidence, str, Alias | None] | None = None
        for name_id in name_ids:
            _, text, alias = self._name(name_id)
            features, evidence = name_features(query_name, analyse(text, tag), detailed=False)
            features.extend(qualifier_features(query, entry, alias))
            score = total(features)
            if best is None or score > best[0]:
                best = (score, features, evidence, text, alias)
        return best

    def screen(self, query: Query, *, threshold: float = DEFAULT_THRESHOLD, limit: int = 10) -> list[Match]:
        """Listed parties the query may be, best first, scoring at least ``threshold``."""
        if not query.name.strip() or not self._entries:
            return []
        self.freeze()
        found = []
        for name_ids in self._candidates(query, max(CANDIDATE_ENTRIES, limit)):
            scored = self._score_entry(query, name_ids)
            if scored is not None and scored[0] >= threshold:
                found.append((self._entries[self._name_entry[name_ids[0]]], scored))
        found.sort(key=lambda item: (-item[1][0], item[0].list, item[0].entry_id))
        matches = []
        for entry, (score, features, evidence, text, alias) in found[:limit]:
            features = describe_alignment(features, evidence)
            kind = "listed name" if alias is None else ("weak alias" if alias.strength == "weak" else "alias")
            matches.append(Match(entry=entry, score=score, matched_name=text, features=tuple(features),
                                 explanation=explain(features, evidence, matched_name=text, kind=kind)))
        return matches

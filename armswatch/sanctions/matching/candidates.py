"""Candidate generation: which listed names are worth scoring, found through an index.

Scoring a name against every listed name is far too slow (rigour's alignment
costs tens of microseconds a pair; a list has tens of thousands of names, a
consolidated one millions). So names are first retrieved by the *words* they
share with the query, as a search engine would:

* an inverted index maps each normalised word (token) to the names that
  contain it, stored compactly: token ids are ints, postings one numpy
  ``int32`` array sliced by an offsets array (CSR);
* a query word also reaches words that *sound* alike (same metaphone key:
  ``Mohammed``/``Muhammad``, typos like ``Vladmir``), words one typo away
  (a shared deletion, as in SymSpell: ``Afiz``/``Faiz``) and words that are the
  *same name* in rigour's name symbols (``贝拉克`` -> ``Barack``, ``Wolodymyr``
  -> ``Volodymyr``), through maps built over the vocabulary rather than
  over every name, so they cost no postings;
* names are ranked by the inverse document frequency (IDF) of what they
  share with the query: one rare surname says more than three common given
  names. Very common words are skipped once enough postings are gathered.

Only the best-ranked few are then scored in full (see :mod:`.index`).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable

import numpy as np
from rigour.names import NameTypeTag, analyze_names
from rigour.text import metaphone

#: how much a word reached through an expansion counts, relative to the word itself
W_EXACT = 1.0
W_SYMBOL = 0.8
W_PHONETIC = 0.6
W_TYPO = 0.6
#: words at least this long are reachable with one typo (a letter missing, added, changed or moved)
TYPO_MIN_LENGTH = 4
#: stop gathering postings of common words past this many
MAX_POSTINGS = 60_000
#: symbols that identify a name across scripts and spellings (not legal forms or numbers)
NAME_SYMBOLS = ("NAME", "NICK")


def phonetic_key(token: str) -> str | None:
    """The metaphone key of a word, for words long enough for one to mean something."""
    if len(token) < 3 or not token.isalpha():
        return None
    key = metaphone(token)
    return key if len(key) >= 2 else None


def deletions(token: str) -> set[str]:
    """The word with each one letter left out (SymSpell's symmetric delete).

    Two words one edit apart (``faiz``/``afiz``, ``nkunda``/``tnkunda``)
    share a deletion, so looking up a query word's deletions among the
    vocabulary's finds its typos without comparing it with every word.
    """
    return {token[:i] + token[i + 1:] for i in range(len(token))}


def token_symbols(token: str) -> list[str]:
    """rigour's name symbols for one word, as ``CATEGORY:id`` strings."""
    names = analyze_names(NameTypeTag.PER, [token], consolidate=False, phonetics=False, numerics=False)
    return sorted({f"{span.symbol.category.value}:{span.symbol.id}" for name in names
                   for span in name.spans if span.symbol.category.value in NAME_SYMBOLS})


class TokenIndex:
    """Words -> names, with sound-alike and same-name expansions of the vocabulary."""

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self._pair_tokens = array("i")
        self._pair_names = array("i")
        self.name_count = 0
        self._offsets = np.zeros(1, dtype=np.int64)
        self._postings = np.zeros(0, dtype=np.int32)
        self._idf = np.zeros(0, dtype=np.float64)
        self._phonetic: dict[str, list[int]] = {}
        self._symbols: dict[str, list[int]] = {}
        self._deletions: dict[str, list[int]] = {}
        self._expanded = 0  # vocabulary entries already in the expansion maps
        self._dirty = False

    def add_name(self, name_id: int, tokens: Iterable[str]) -> None:
        """Record that name ``name_id`` contains ``tokens`` (ids are given in increasing order)."""
        vocabulary = self.vocabulary
        for token in set(tokens):
            token_id = vocabulary.get(token)
            if token_id is None:
                token_id = vocabulary[token] = len(vocabulary)
            self._pair_tokens.append(token_id)
            self._pair_names.append(name_id)
        self.name_count = max(self.name_count, name_id + 1)
        self._dirty = True

    def freeze(self) -> None:
        """Sort the postings into CSR arrays and extend the expansion maps to new words."""
        if not self._dirty:
            return
        tokens = np.frombuffer(self._pair_tokens, dtype=np.int32)
        names = np.frombuffer(self._pair_names, dtype=np.int32)
        order = np.argsort(tokens, kind="stable")
        self._postings = names[order]
        counts = np.bincount(tokens, minlength=len(self.vocabulary))
        self._offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self._idf = np.log1p(self.name_count / np.maximum(counts, 1))
        words = list(self.vocabulary)
        for token_id in range(self._expanded, len(words)):
            token = words[token_id]
            key = phonetic_key(token)
            if key is not None:
                self._phonetic.setdefault(key, []).append(token_id)
            if token.isalpha() and len(token) >= 2:
                for symbol in token_symbols(token):
                    self._symbols.setdefault(symbol, []).append(token_id)
            if len(token) >= TYPO_MIN_LENGTH:
                for variant in (token, *deletions(token)):
                    self._deletions.setdefault(variant, []).append(token_id)
        self._expanded = len(words)
        self._dirty = False

    def _lookups(self, tokens: Iterable[str], joined: Iterable[str],
                 symbols: Iterable[str]) -> dict[int, float]:
        """Vocabulary entries the query reaches, each with how much a hit counts."""
        weights: dict[int, float] = {}
        vocabulary, phonetic = self.vocabulary, self._phonetic
        for token in tokens:
            key = phonetic_key(token)
            for other in phonetic.get(key, ()) if key is not None else ():
                weights[other] = W_PHONETIC
        for token in tokens:
            if len(token) >= TYPO_MIN_LENGTH and token not in vocabulary:
                for variant in (token, *deletions(token)):
                    for other in self._deletions.get(variant, ()):
                        weights[other] = W_TYPO
        for symbol in symbols:
            for other in self._symbols.get(symbol, ()):
                weights[other] = W_SYMBOL
        for token in (*tokens, *joined):
            token_id = vocabulary.get(token)
            if token_id is not None:
                weights[token_id] = W_EXACT
        return weights

    def search(self, tokens: Iterable[str], symbols: Iterable[str], limit: int,
               joined: Iterable[str] = ()) -> list[tuple[int, float]]:
        """The ``limit`` names sharing the most (IDF-weighted) with the query, best first.

        ``joined`` are adjacent query words written together (``goodwill``
        for ``good will``), looked up as they are. Scores are normalised by
        the query's own IDF mass, so 1.0 means every word of the query was
        found as it is written.
        """
        self.freeze()
        tokens = list(tokens)
        weights = self._lookups(tokens, joined, symbols)
        if not weights:
            return []
        token_ids = np.fromiter(weights.keys(), dtype=np.int64, count=len(weights))
        hit_weights = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
        idf = self._idf[token_ids]
        order = np.argsort(-idf, kind="stable")
        token_ids, hit_weights, idf = token_ids[order], hit_weights[order], idf[order]
        starts = self._offsets[token_ids]
        lengths = self._offsets[token_ids + 1] - starts
        # the rarest words always count; very common ones only while postings stay few
        keep = np.cumsum(lengths) <= MAX_POSTINGS
        keep[0] = True
        starts, lengths, gains = starts[keep], lengths[keep], (hit_weights * idf)[keep]
        total = int(lengths.sum())
        # the postings of every kept word, gathered without a Python loop
        first = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        ids = self._postings[first + np.arange(total)]
        unique, inverse = np.unique(ids, return_inverse=True)
        scores = np.bincount(inverse, weights=np.repeat(gains, lengths))
        unknown = math.log1p(self.name_count)
        mass = sum(float(self._idf[t]) if (t := self.vocabulary.get(tok)) is not None else unknown
                   for tok in set(tokens)) or 1.0
        if len(unique) > limit:
            top = np.argpartition(-scores, limit)[:limit]
            top = top[np.argsort(-scores[top], kind="stable")]
        else:
            top = np.argsort(-scores, kind="stable")
        return list(zip(unique[top].tolist(), (scores[top] / mass).tolist(), strict=True))

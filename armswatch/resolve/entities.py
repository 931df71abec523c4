"""Resolve actor mentions to canonical entities, so facts from many documents line up.

States resolve to their ISO code. People, agencies, groups and companies
resolve to the vocabulary entry whose name or alias the mention ends with
("European Council President Charles Michel" -> Charles Michel), and
otherwise to their normalised name ("Kim Jong-un" and "Kim Jong Un" meet).
A state organ ("the Iranian government", "Russian forces") is the state.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from armswatch.model import Entity
from armswatch.vocab import Vocabulary, load_vocabulary

_MAX_ID = 200
STATE_CATEGORIES = frozenset({"government", "military", "intelligence"})
_NON_WORD = re.compile(r"[^\w]+")
_POSSESSIVE = re.compile(r"['’]s\b")


@dataclass(frozen=True)
class ResolvedEntity:
    """A canonical actor: ``id`` is stable across documents and runs."""

    id: str
    name: str
    kind: str
    country: str | None
    #: for organizations: government, bloc, military, intelligence, company, group, media, other
    category: str | None = None

    @property
    def acts_for_state(self) -> bool:
        """An official or a state body: what it does, its state does (for arms and sanctions)."""
        if self.country is None:
            return False
        return self.kind in ("country", "person") or self.category in STATE_CATEGORIES


def normalise_name(name: str) -> str:
    """Casefolded ASCII words: accents, hyphens, possessives and punctuation dropped."""
    text = unicodedata.normalize("NFKD", _POSSESSIVE.sub("", name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


class EntityResolver:
    """Maps :class:`~armswatch.model.Entity` mentions to :class:`ResolvedEntity`."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        vocab = vocabulary or load_vocabulary()
        self.vocabulary = vocab
        self._known: dict[str, ResolvedEntity] = {}
        for actor in (*vocab.people, *vocab.organizations):
            resolved = ResolvedEntity(id=_entity_id(actor.kind, actor.name), name=actor.name,
                                      kind=actor.kind, country=actor.country,
                                      category=actor.category if actor.kind != "person" else None)
            for alias in (actor.name, *actor.aliases):
                self._known.setdefault(normalise_name(alias), resolved)
        self._state_words: dict[str, str] = {}
        for country in vocab.countries.values():
            for word in (country.name, *country.aliases, *country.demonyms):
                self._state_words.setdefault(normalise_name(word), country.code)
        data = vocab.resolution
        self._organs = {normalise_name(w) for w in data.get("state_organs", [])}
        self._stopwords = {normalise_name(w) for w in data.get("name_stopwords", [])}

    def resolve(self, entity: Entity) -> ResolvedEntity:
        return self._resolve(entity.name, entity.kind, entity.country)

    @lru_cache(maxsize=65536)  # noqa: B019 - one resolver per store; the cache is the point
    def _resolve(self, name: str, kind: str, country: str | None) -> ResolvedEntity:
        if kind == "country" and country:
            return self.country(country)
        words = [w for w in normalise_name(name).split() if w not in self._stopwords]
        for start in range(len(words)):  # the longest known tail: titles fall away
            known = self._known.get(" ".join(words[start:]))
            if known is not None and (start == 0 or known.kind == "person" or kind != "person"):
                return known
        if country and self._is_state_organ(words, country):
            return self.country(country)
        label = " ".join(words) or normalise_name(name) or name
        return ResolvedEntity(id=_entity_id(kind, label), name=name, kind=kind, country=country)

    def state_code(self, text: str) -> str | None:
        """The ISO code of a state named, aliased or described ("North Korean") by ``text``."""
        return self._state_words.get(normalise_name(text))

    def known(self, text: str) -> ResolvedEntity | None:
        """The vocabulary actor that ``text`` names, if any."""
        return self._known.get(normalise_name(text))

    def country(self, code: str) -> ResolvedEntity:
        return ResolvedEntity(id=f"country:{code}", name=self.vocabulary.country_name(code),
                              kind="country", country=code)

    def _is_state_organ(self, words: list[str], country: str) -> bool:
        """Demonym or state name, then only organ words: "north korean foreign ministry"."""
        for cut in range(len(words) - 1, 0, -1):
            if self._state_words.get(" ".join(words[:cut])) == country:
                rest = " ".join(words[cut:])
                return rest in self._organs
        return False


def _entity_id(kind: str, label: str) -> str:
    slug = "-".join(normalise_name(label).split()) or hashlib.sha1(label.encode()).hexdigest()[:12]
    entity_id = f"{kind}:{slug}"
    if len(entity_id) > _MAX_ID:
        digest = hashlib.sha1(entity_id.encode()).hexdigest()[:12]
        entity_id = f"{entity_id[:_MAX_ID - 13]}~{digest}"
    return entity_id


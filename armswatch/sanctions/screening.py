"""Screening: names and the actors of the reporting against the stored lists.

The index is built from the newest version of every list in the store and
kept per process for that set of versions. Actors are screened once per set
of versions: after a run, only new entities are screened; after a list
import, all of them again. States are not screened (lists name people,
companies, organisations and vessels, not countries).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from armswatch.model import ListEntry
from armswatch.sanctions.matching import DEFAULT_THRESHOLD, Match, Query, ScreeningIndex
from armswatch.store import Store
from armswatch.store import lists as store_lists

#: entity kinds screened, and the list schema each may match
SCREENED_KINDS = {"person": "Person", "organization": "Organization", "group": "Organization",
                  "vessel": "Vessel"}
#: actors are screened at the default threshold; a person named by one word ("Kim") is not
#: screened at all: a surname alone matches hundreds of listed people
ACTOR_THRESHOLD = DEFAULT_THRESHOLD


@dataclass
class LoadedIndex:
    key: str
    index: ScreeningIndex
    versions: dict[tuple[str, str], int]  # (list, entry_id) -> version id

    def __len__(self) -> int:
        return len(self.index)


_CACHE: dict[tuple[str, str], LoadedIndex] = {}


def load_index(store: Store) -> LoadedIndex:
    """The screening index over the store's current list versions (cached per process)."""
    with store.engine.connect() as conn:
        key = store_lists.lists_key(conn)
    cached = _CACHE.get((store.url, key))
    if cached is not None:
        return cached
    pairs = store_lists.current_entries(store)
    index = ScreeningIndex(entry for _, entry in pairs)
    loaded = LoadedIndex(key, index, {(e.list, e.entry_id): v for v, e in pairs})
    _CACHE.clear()  # one store's index at a time: they are large
    _CACHE[(store.url, key)] = loaded
    return loaded


def screen(store: Store, query: Query, *, threshold: float = DEFAULT_THRESHOLD,
           limit: int = 10) -> list[Match]:
    return load_index(store).index.screen(query, threshold=threshold, limit=limit)


def match_dict(match: Match) -> dict[str, Any]:
    """A match as the CLI and API show it."""
    entry: ListEntry = match.entry
    return {
        "score": round(match.score, 3), "list": entry.list, "entry_id": entry.entry_id,
        "name": entry.name, "schema": entry.schema, "matched_name": match.matched_name,
        "programs": list(entry.programs), "listed_on": entry.listed_on,
        "countries": list(entry.countries), "birth_dates": list(entry.birth_dates),
        "explanation": match.explanation, "features": feature_dicts(match),
    }


def feature_dicts(match: Match) -> list[dict[str, Any]]:
    return [{"name": f.name, "value": round(f.value, 3), "weight": f.weight, "detail": f.detail}
            for f in match.features]


def screen_actors(store: Store, *, threshold: float = ACTOR_THRESHOLD, rescreen: bool = False) -> int:
    """Screen the stored actors not yet screened against the current lists; returns how many."""
    loaded = load_index(store)
    if not len(loaded):
        return 0
    key = "" if rescreen else loaded.key
    entities = store_lists.unscreened_entities(store, key, kinds=list(SCREENED_KINDS))
    results: dict[str, list[dict[str, Any]]] = {}
    for entity in entities:
        if entity["kind"] == "person" and len(entity["name"].split()) < 2:
            results[entity["id"]] = []
            continue
        query = Query(name=entity["name"], schema=SCREENED_KINDS.get(entity["kind"]),
                      country=entity["country"])
        results[entity["id"]] = [
            {"list": m.entry.list, "entry_id": m.entry.entry_id,
             "version_id": loaded.versions[(m.entry.list, m.entry.entry_id)], "score": m.score,
             "matched_name": m.matched_name, "explanation": m.explanation,
             "features": feature_dicts(m)}
            for m in loaded.index.screen(query, threshold=threshold, limit=3)]
    store_lists.save_screening(store, loaded.key, results)
    return len(entities)


def sanctioned_actors(store: Store) -> list[dict[str, Any]]:
    """Every actor of the reporting found on a list, with its matches and fact count."""
    with store.engine.connect() as conn:
        return store_lists.sanctioned_entities(conn)


def country_code(store: Store, value: str | None) -> str | None:
    """A user's country for a screening query: an ISO code, or a name the resolver knows."""
    if not value:
        return None
    if len(value) == 2 and value.isalpha():
        return value.upper()
    return store.resolver.state_code(value) or value.upper()

"""Domain vocabulary, kept as data under this folder and loaded once.

Files (YAML), validated when loaded:

- ``countries.yaml``: ISO 3166-1 alpha-2 code -> ``name``, ``aliases`` (short
  and official names), ``demonyms`` and ``seats`` (capitals and seats of power
  used as stand-ins for the state: Pyongyang, the Kremlin).
- ``organizations.yaml``: agencies, blocs, international bodies, armed groups,
  companies and news media, each with ``name``, ``aliases``, ``kind`` and the
  ``country`` it acts for (or null).
- ``people.yaml``: well-known officials and leaders with the state they act for.
- ``weapons.yaml``: generic weapon words and named designations, each mapped
  to one or more item categories of the annotation guide.
- ``triggers.yaml``: the words that signal each fact type, stage, hedge,
  denial and attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from armswatch.errors import VocabularyError
from armswatch.model import ENTITY_KINDS, ITEM_CATEGORIES

_ISO = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    seats: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedActor:
    """An organization, group, company, medium or person known by name."""

    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...] = ()
    #: finer role of organizations: government, bloc, military, intelligence,
    #: company, group, media, other
    category: str = "other"


@dataclass(frozen=True)
class WeaponTerm:
    """A weapon word or designation and the item categories it stands for."""

    name: str
    categories: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    designation: bool = False


@dataclass(frozen=True)
class Vocabulary:
    countries: dict[str, Country]
    organizations: tuple[NamedActor, ...]
    people: tuple[NamedActor, ...]
    weapons: tuple[WeaponTerm, ...]
    triggers: dict[str, Any] = field(default_factory=dict)
    #: how mentions resolve to entities across documents (resolution.yaml)
    resolution: dict[str, Any] = field(default_factory=dict)

    def country_name(self, code: str) -> str:
        country = self.countries.get(code)
        return country.name if country else code

    @property
    def designations(self) -> tuple[WeaponTerm, ...]:
        return tuple(w for w in self.weapons if w.designation)


def _read(name: str) -> Any:
    try:
        text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise VocabularyError(f"vocabulary file {name} is missing") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise VocabularyError(f"vocabulary file {name} is not valid YAML: {exc}") from exc


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise VocabularyError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _country_code(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _ISO.match(value):
        raise VocabularyError(f"{where}: country must be an ISO alpha-2 code or null, got {value!r}")
    return value


def _load_countries(data: Any) -> dict[str, Country]:
    if not isinstance(data, dict):
        raise VocabularyError("countries.yaml: expected a mapping of ISO code to country")
    out: dict[str, Country] = {}
    for code, entry in data.items():
        where = f"countries.yaml:{code}"
        if not isinstance(code, str) or not _ISO.match(code):
            raise VocabularyError(f"{where}: key must be an ISO alpha-2 code")
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise VocabularyError(f"{where}: needs a name")
        out[code] = Country(
            code=code,
            name=entry["name"],
            aliases=_strings(entry.get("aliases"), where),
            demonyms=_strings(entry.get("demonyms"), where),
            seats=_strings(entry.get("seats"), where),
        )
    return out


def _load_actors(data: Any, fname: str, default_kind: str) -> tuple[NamedActor, ...]:
    if not isinstance(data, list):
        raise VocabularyError(f"{fname}: expected a list of entries")
    out = []
    for i, entry in enumerate(data):
        where = f"{fname}[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise VocabularyError(f"{where}: needs a name")
        kind = entry.get("kind", default_kind)
        if kind not in ENTITY_KINDS:
            raise VocabularyError(f"{where}: kind {kind!r} is not one of {ENTITY_KINDS}")
        out.append(
            NamedActor(
                name=entry["name"],
                kind=kind,
                country=_country_code(entry.get("country"), where),
                aliases=_strings(entry.get("aliases"), where),
                category=str(entry.get("category", "other")),
            )
        )
    return tuple(out)


def _load_weapons(data: Any) -> tuple[WeaponTerm, ...]:
    if not isinstance(data, dict):
        raise VocabularyError("weapons.yaml: expected 'terms' and 'designations'")
    out = []
    for section, is_designation in (("terms", False), ("designations", True)):
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise VocabularyError(f"weapons.yaml:{section}: expected a list")
        for i, entry in enumerate(entries):
            where = f"weapons.yaml:{section}[{i}]"
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise VocabularyError(f"{where}: needs a name")
            cats = _strings(entry.get("categories"), where)
            bad = [c for c in cats if c not in ITEM_CATEGORIES]
            if not cats or bad:
                raise VocabularyError(f"{where}: categories {bad or cats!r} not in {ITEM_CATEGORIES}")
            out.append(
                WeaponTerm(
                    name=entry["name"],
                    categories=cats,
                    aliases=_strings(entry.get("aliases"), where),
                    designation=is_designation,
                )
            )
    return tuple(out)


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Load and validate every vocabulary file (once per process)."""
    triggers = _read("triggers.yaml")
    if not isinstance(triggers, dict):
        raise VocabularyError("triggers.yaml: expected a mapping")
    return Vocabulary(
        countries=_load_countries(_read("countries.yaml")),
        organizations=_load_actors(_read("organizations.yaml"), "organizations.yaml", "organization"),
        people=_load_actors(_read("people.yaml"), "people.yaml", "person"),
        weapons=_load_weapons(_read("weapons.yaml")),
        triggers=triggers,
        resolution=_read("resolution.yaml") or {},
    )

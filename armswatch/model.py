"""The domain model: documents, entities, evidence and facts.

These are plain frozen dataclasses with no I/O and no spaCy imports, so that
every layer can use them. The words (fact types, roles, stages, kinds) are
those of the annotation guide; :data:`ROLES` and friends are the one place
they are spelled.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

EXTRACTOR_VERSION = "0.1.0"

FACT_TYPES = ("arms_transfer", "sanction", "diplomatic_contact", "cooperation", "statement")

#: every role of each fact type, core roles first
ROLES: dict[str, tuple[str, ...]] = {
    "arms_transfer": ("supplier", "recipient", "broker"),
    "sanction": ("imposer", "target"),
    "diplomatic_contact": ("participant",),
    "cooperation": ("participant",),
    "statement": ("speaker", "target"),
}
CORE_ROLES: dict[str, tuple[str, ...]] = {
    "arms_transfer": ("supplier", "recipient"),
    "sanction": ("imposer", "target"),
    "diplomatic_contact": ("participant",),
    "cooperation": ("participant",),
    "statement": ("speaker",),
}
ITEM_CATEGORIES = (
    "ammunition", "artillery", "rockets", "missiles", "drones", "air_defence",
    "armoured_vehicles", "aircraft", "ships", "small_arms", "components",
    "raw_materials", "fuel", "technology", "troops", "weapons",
)
TRANSFER_STAGES = ("sought", "negotiating", "agreed", "delivered")
SANCTION_STAGES = ("imposed", "threatened", "lifted")
COOPERATION_STAGES = ("pledged", "agreed")
CONTACT_KINDS = ("visit", "meeting", "letter", "call")
STATEMENT_KINDS = ("condemnation", "warning", "accusation")
DOMAINS = ("military", "economic", "general")
FACTUALITIES = ("asserted", "possible", "negated")
ENTITY_KINDS = ("country", "person", "organization", "vessel", "group", "other")


@dataclass(frozen=True)
class Document:
    """A text to read, with where it came from."""

    doc_id: str
    text: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    encoding: str | None = None
    author: str | None = None
    #: where it came from, in words: a site or feed name, a publisher
    source: str | None = None

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text: the same text twice is one document."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entity:
    """An actor as the text names it, with the state it is or acts for."""

    name: str
    kind: str
    country: str | None = None

    @property
    def key(self) -> str:
        """Canonical key within a document: the state for states, else the name."""
        if self.kind == "country" and self.country:
            return self.country
        return self.name.casefold()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "country": self.country}


@dataclass(frozen=True)
class Evidence:
    """A sentence that states a fact; ``text == document.text[start:end]``."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Fact:
    """One happening the text reports, with its roles, attributes and evidence."""

    type: str
    roles: dict[str, tuple[Entity, ...]]
    factuality: str = "asserted"
    stage: str | None = None
    kind: str | None = None
    domain: str | None = None
    items: tuple[str, ...] = ()
    designations: tuple[str, ...] = ()
    quantities: tuple[str, ...] = ()
    source: tuple[Entity, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    doc_id: str | None = None
    extractor_version: str = field(default=EXTRACTOR_VERSION)
    #: date expressions in the evidence sentences, as written ("in August 2023")
    dates: tuple[str, ...] = ()

    def role(self, name: str) -> tuple[Entity, ...]:
        return self.roles.get(name, ())

    @property
    def id(self) -> str:
        """Deterministic id: the same fact from the same text gets the same id."""
        basis = {
            "doc": self.doc_id,
            "type": self.type,
            "roles": {r: sorted(e.key for e in ents) for r, ents in sorted(self.roles.items())},
            "stage": self.stage,
            "kind": self.kind,
            "factuality": self.factuality,
            "evidence": [(e.start, e.end) for e in self.evidence],
            "version": self.extractor_version,
        }
        digest = hashlib.sha1(json.dumps(basis, sort_keys=True).encode("utf-8")).hexdigest()
        return f"f-{digest[:16]}"

    def to_dict(self) -> dict[str, Any]:
        """The FORMAT.md shape, with extra fields the scorer ignores."""
        out: dict[str, Any] = {"id": self.id, "type": self.type}
        for role in ROLES[self.type]:
            out[role] = [e.to_dict() for e in self.role(role)]
        if self.type == "arms_transfer":
            out["items"] = list(self.items)
            out["designations"] = list(self.designations)
            out["quantities"] = list(self.quantities)
        if self.stage is not None:
            out["stage"] = self.stage
        if self.kind is not None:
            out["kind"] = self.kind
        if self.domain is not None:
            out["domain"] = self.domain
        if self.type != "statement":
            out["factuality"] = self.factuality
        out["source"] = [e.to_dict() for e in self.source]
        out["evidence"] = [e.to_dict() for e in self.evidence]
        out["dates"] = list(self.dates)
        out["extractor_version"] = self.extractor_version
        return out


@dataclass(frozen=True)
class DocumentResult:
    """The facts of one document, or the error that stopped it."""

    doc_id: str
    path: str | None
    facts: tuple[Fact, ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"doc_id": self.doc_id, "facts": [f.to_dict() for f in self.facts]}
        if self.path is not None:
            out["path"] = self.path
        if self.error is not None:
            out["error"] = self.error
        return out


# -- sanctions lists ---------------------------------------------------------------

#: schemata of listed parties (FollowTheMoney's names)
LIST_SCHEMATA = ("Person", "Company", "Organization", "LegalEntity", "Vessel", "Aircraft")


@dataclass(frozen=True)
class Alias:
    """Another name of a listed party. ``strength`` weak: OFAC's low-quality a.k.a.s."""

    name: str
    kind: str = "aka"  # aka | fka | nka | original_script
    strength: str = "strong"  # strong | weak

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "strength": self.strength}


@dataclass(frozen=True)
class Identifier:
    """An identifying number: ``type`` e.g. imo, passport, national_id, registration, swift."""

    type: str
    value: str
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "value": self.value, "country": self.country}


@dataclass(frozen=True)
class ListEntry:
    """One party on one sanctions list, as the list publishes it.

    ``entry_id`` is the list's own id (OFAC ent_num, UN reference number, EU
    logical id, FtM entity id). Dates are ISO strings at the precision given
    (``1964``, ``1964-08``, ``1964-08-17``). ``countries`` are ISO 3166-1
    alpha-2 codes (nationality, citizenship, address or flag).
    """

    list: str
    entry_id: str
    schema: str
    name: str
    aliases: tuple[Alias, ...] = ()
    programs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    listed_on: str | None = None
    remarks: str | None = None
    linked_to: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()

    def names(self, *, weak: bool = True) -> tuple[str, ...]:
        """The primary name, then every alias (weak ones only if ``weak``)."""
        return (self.name, *(a.name for a in self.aliases if weak or a.strength != "weak"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "list": self.list, "entry_id": self.entry_id, "schema": self.schema, "name": self.name,
            "aliases": [a.to_dict() for a in self.aliases], "programs": list(self.programs),
            "countries": list(self.countries), "birth_dates": list(self.birth_dates),
            "identifiers": [i.to_dict() for i in self.identifiers], "listed_on": self.listed_on,
            "remarks": self.remarks, "linked_to": list(self.linked_to),
            "addresses": list(self.addresses),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListEntry:
        return cls(
            list=data["list"], entry_id=data["entry_id"], schema=data["schema"], name=data["name"],
            aliases=tuple(Alias(**a) for a in data.get("aliases", ())),
            programs=tuple(data.get("programs", ())), countries=tuple(data.get("countries", ())),
            birth_dates=tuple(data.get("birth_dates", ())),
            identifiers=tuple(Identifier(**i) for i in data.get("identifiers", ())),
            listed_on=data.get("listed_on"), remarks=data.get("remarks"),
            linked_to=tuple(data.get("linked_to", ())), addresses=tuple(data.get("addresses", ())),
        )

    @property
    def content_hash(self) -> str:
        """Hash of the record's content: what a diff compares (not the list's version numbers)."""
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
                              .encode("utf-8")).hexdigest()

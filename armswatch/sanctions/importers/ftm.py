"""FollowTheMoney entities, one JSON object a line (OpenSanctions exports and deltas).

Listed parties are the entities of our list schemata (Person, Company,
Organization, LegalEntity, Vessel, and FtM's Airplane as Aircraft); followthemoney's
model cleans their property values (country codes, dates). Sanction entities are
not parties but say under which program and since when the party they point to
is listed; Address and Identification entities fill in the party's address and
ids. Entities marked ``"target": false`` are related parties, not listed ones.

Delta files (``{"op": "ADD|MOD|DEL", "entity": {...}}``) are read too, but a
delta is not a full list, and the warnings say so.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from armswatch.errors import ListFormatError
from armswatch.model import Alias, Identifier, ListEntry
from armswatch.sanctions.importers.countries import country_code
from armswatch.sanctions.importers.dates import iso_date
from armswatch.sanctions.importers.parsed import ListContent, ListFile, unique

#: FtM schema (or an ancestor) -> ours, most specific first
_SCHEMATA = (("Person", "Person"), ("Company", "Company"), ("Organization", "Organization"),
             ("LegalEntity", "LegalEntity"), ("Vessel", "Vessel"), ("Airplane", "Aircraft"))
_ID_PROPERTIES = {"imoNumber": "imo", "passportNumber": "passport", "idNumber": "national_id",
                  "registrationNumber": "registration", "taxNumber": "tax", "swiftBic": "swift",
                  "mmsi": "mmsi", "callSign": "call_sign"}
_COUNTRY_PROPERTIES = ("nationality", "citizenship", "country", "jurisdiction", "flag")
_ALIAS_PROPERTIES = (("alias", "aka", "strong"), ("weakAlias", "aka", "weak"),
                     ("previousName", "fka", "strong"))
_HELPERS = {"Sanction", "Address", "Identification", "Passport"}


def read_ftm(files: Sequence[ListFile], *, list_name: str | None = None) -> ListContent:
    """Read every file (in the order given, later lines replacing earlier ones), then map the parties.

    The list is named after the one dataset all parties share, else "ftm"; its
    date is the latest ``last_change`` (or ``first_seen``) of any entity.
    """
    records: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    for file in files:
        warnings.extend(_read_file(file, records))
    proxies = [_proxy(record) for record in records.values()]
    parties, skipped, helpers = [], Counter[str](), defaultdict(list)
    for proxy in proxies:
        if proxy is None:
            continue
        if proxy.schema.name in _HELPERS or any(proxy.schema.is_a(h) for h in _HELPERS):
            helpers[proxy.schema.name].append(proxy)
        elif _our_schema(proxy) is None:
            skipped[proxy.schema.name] += 1
        elif records[proxy.id or ""].get("target") is False:
            skipped["non-target " + proxy.schema.name] += 1
        else:
            parties.append(proxy)
    skipped.update({"of an unknown schema": sum(1 for proxy in proxies if proxy is None)})
    if +skipped:
        warnings.append("skipped entities that are not listed parties: " + ", ".join(
            f"{count} {name}" for name, count in sorted((+skipped).items())))
    name = list_name or _dataset([records[p.id or ""] for p in parties]) or "ftm"
    linked = _Links(helpers, _canonical_ids(records))
    entries = tuple(_entry(proxy, records[proxy.id or ""], name, linked) for proxy in parties)
    changed = (iso_date(r.get("last_change") or r.get("first_seen")) for r in records.values())
    published = max((date for date in changed if date), default=None)
    return ListContent(list=name, title=f"FollowTheMoney entities ({name})", published=published,
                       entries=entries, warnings=tuple(warnings))


def _read_file(file: ListFile, records: dict[str, dict[str, Any]]) -> list[str]:
    """Add the file's entities to ``records`` (by id, later lines winning); return warnings."""
    operations: Counter[str] = Counter()
    ignored_deletes = 0
    # split on newlines only: str.splitlines would also cut at U+2028 inside a JSON string
    lines = file.content.decode("utf-8", errors="replace").split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise ListFormatError(file.path, f"line {number} is not JSON ({exc})") from exc
        entity = record.get("entity") if isinstance(record, dict) and "op" in record else record
        if not isinstance(entity, dict) or not isinstance(entity.get("id"), str):
            raise ListFormatError(file.path, f"line {number} is not a FollowTheMoney entity (no \"id\")")
        operation = str(record.get("op", "")).upper() if entity is not record else ""
        operations[operation] += 1
        if operation == "DEL":
            # a deletion cancels an entity added earlier in the same import; otherwise
            # there is nothing here to delete from, and the line is skipped
            if records.pop(entity["id"], None) is None:
                ignored_deletes += 1
            continue
        if "schema" not in entity:
            raise ListFormatError(file.path, f"line {number}: entity {entity['id']} has no \"schema\"")
        records[entity["id"]] = entity
    warnings = []
    deltas = {op: count for op, count in operations.items() if op}
    if deltas:
        summary = ", ".join(f"{count} {op}" for op, count in sorted(deltas.items()))
        warnings.append(f"{file.name}: a delta file ({summary}), not a full list; entities it does not "
                        "mention are missing from this import")
    if ignored_deletes:
        warnings.append(f"{file.name}: {ignored_deletes} DEL line(s) skipped (their entities are not "
                        "in this import)")
    return warnings


def _proxy(record: dict[str, Any]) -> EntityProxy | None:
    try:
        return model.get_proxy(record, cleaned=False)
    except InvalidData:
        return None


def _our_schema(proxy: EntityProxy) -> str | None:
    return next((ours for ftm, ours in _SCHEMATA if proxy.schema.is_a(ftm)), None)


def _dataset(records: list[dict[str, Any]]) -> str | None:
    """The one dataset every party belongs to, if there is exactly one."""
    shared: set[str] | None = None
    for record in records:
        datasets = set(record.get("datasets") or ())
        shared = datasets if shared is None else shared & datasets
    return next(iter(shared)) if shared and len(shared) == 1 else None


def _canonical_ids(records: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Old id -> merged id: OpenSanctions links may point at an id listed in ``referents``."""
    return {ref: entity_id for entity_id, record in records.items()
            for ref in record.get("referents") or () if isinstance(ref, str)}


class _Links:
    """What Sanction, Address and Identification entities say about the parties."""

    def __init__(self, helpers: dict[str, list[EntityProxy]], canonical: dict[str, str]) -> None:
        self.canonical = canonical
        self.programs: dict[str, list[str]] = defaultdict(list)
        self.listed_on: dict[str, list[str]] = defaultdict(list)
        self.identifiers: dict[str, list[Identifier]] = defaultdict(list)
        self.addresses = {a.id: a.first("full") or a.caption for a in helpers.get("Address", [])}
        for sanction in helpers.get("Sanction", []):
            for target in map(self.resolve, sanction.get("entity")):
                self.programs[target].extend(sanction.get("program"))
                self.listed_on[target].extend(sanction.get("listingDate") or sanction.get("startDate"))
        for document in (*helpers.get("Identification", []), *helpers.get("Passport", [])):
            kind = "passport" if document.schema.is_a("Passport") else "national_id"
            for holder in map(self.resolve, document.get("holder")):
                for number in document.get("number"):
                    self.identifiers[holder].append(
                        Identifier(kind, number, country_code(document.first("country"))))

    def resolve(self, entity_id: str) -> str:
        return self.canonical.get(entity_id, entity_id)

    def address(self, entity_id: str) -> str | None:
        return self.addresses.get(self.resolve(entity_id))


def _entry(proxy: EntityProxy, record: dict[str, Any], list_name: str, links: _Links) -> ListEntry:
    entity_id = proxy.id or ""
    names = proxy.get("name")
    caption = record.get("caption") or proxy.caption  # the exporter's choice of name, if it made one
    primary = caption if caption in names or not names else names[0]
    aliases = [Alias(other) for other in names if other != primary]
    for prop, kind, strength in _ALIAS_PROPERTIES:
        aliases.extend(Alias(value, kind=kind, strength=strength) for value in proxy.get(prop, quiet=True))
    identifiers = [Identifier(kind, value.removeprefix("IMO") if kind == "imo" else value)
                   for prop, kind in _ID_PROPERTIES.items() for value in proxy.get(prop, quiet=True)]
    countries = [country_code(value) for prop in _COUNTRY_PROPERTIES for value in proxy.get(prop, quiet=True)]
    notes = [*proxy.get("notes", quiet=True)]
    topics = proxy.get("topics", quiet=True)
    if topics:
        notes.append("Topics: " + ", ".join(topics))
    addresses = [*proxy.get("address", quiet=True),
                 *(links.address(ref) for ref in proxy.get("addressEntity", quiet=True))]
    listed = [d for d in (iso_date(v) for v in links.listed_on.get(entity_id, [])) if d]
    return ListEntry(
        list=list_name, entry_id=entity_id, schema=_our_schema(proxy) or "LegalEntity", name=primary,
        aliases=unique(aliases), programs=unique([*proxy.get("program", quiet=True),
                                                  *links.programs.get(entity_id, [])]),
        countries=unique(c for c in countries if c),
        birth_dates=unique(d for d in (iso_date(v) for v in proxy.get("birthDate", quiet=True)) if d),
        identifiers=unique([*identifiers, *links.identifiers.get(entity_id, [])]),
        listed_on=min(listed, default=None), remarks="\n".join(notes) or None,
        addresses=unique(a for a in addresses if a))

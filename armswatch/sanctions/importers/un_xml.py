"""The UN Security Council Consolidated List (root ``CONSOLIDATED_LIST``).

Entries are keyed by REFERENCE_NUMBER (``KPi.033``), the id the UN publishes
in press releases, falling back to DATAID. VERSIONNUM is ignored: the UN does
not bump it when a record changes. The names carry stray spaces (``" RI "``),
which are normalised; NAME_ORIGINAL_SCRIPT becomes an ``original_script``
alias, and aliases of QUALITY Low are weak, as OFAC's weak a.k.a.s.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from armswatch.model import Alias, Identifier, ListEntry
from armswatch.sanctions.importers.countries import country_code
from armswatch.sanctions.importers.dates import iso, iso_date, year_range
from armswatch.sanctions.importers.parsed import ListContent, ListFile, unique
from armswatch.sanctions.importers.safexml import child_text, children, iter_elements, local, text

TITLE = "UN Security Council Consolidated List"
_SCHEMATA = {"INDIVIDUAL": "Person", "ENTITY": "Organization"}
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_ALIAS_KINDS = {"good": ("aka", "strong"), "a.k.a.": ("aka", "strong"), "low": ("aka", "weak"),
                "f.k.a.": ("fka", "strong")}
_DOCUMENT_TYPES = {"passport": "passport", "national identification number": "national_id",
                   "national identification no.": "national_id", "numéro de passeport": "passport",
                   "número de pasaporte": "passport"}


def read_un_xml(file: ListFile, *, list_name: str | None = None) -> ListContent:
    """Stream the INDIVIDUAL and ENTITY records; dateGenerated is the list date."""
    published: str | None = None
    entries: list[ListEntry] = []
    for event, element in iter_elements(file):
        tag = local(element.tag)
        if event == "start" and tag == "CONSOLIDATED_LIST":
            published = iso_date(element.get("dateGenerated"))
        elif event == "end" and tag in _SCHEMATA:
            entries.append(_entry(element, _SCHEMATA[tag], list_name or "un_sc"))
            element.clear()
    return ListContent(list=list_name or "un_sc", title=TITLE, published=published, entries=tuple(entries))


def _entry(element: Element, schema: str, list_name: str) -> ListEntry:
    prefix = "INDIVIDUAL" if schema == "Person" else "ENTITY"
    name = " ".join(part for part in (child_text(element, tag) for tag in _NAME_PARTS) if part)
    aliases = [Alias(original, kind="original_script")
               for original in (text(e) for e in children(element, "NAME_ORIGINAL_SCRIPT")) if original]
    for alias in children(element, f"{prefix}_ALIAS"):
        alias_name = child_text(alias, "ALIAS_NAME")
        if alias_name:
            kind, strength = _ALIAS_KINDS.get((child_text(alias, "QUALITY") or "").lower(), ("aka", "strong"))
            aliases.append(Alias(alias_name, kind=kind, strength=strength))
    countries = [country_code(value) for nationality in children(element, "NATIONALITY")
                 for value in (text(v) for v in children(nationality, "VALUE"))]
    addresses = []
    for address in children(element, f"{prefix}_ADDRESS"):
        parts = [child_text(address, tag) for tag in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE",
                                                       "COUNTRY")]
        if any(parts):
            addresses.append(", ".join(part for part in parts if part))
        countries.append(country_code(child_text(address, "COUNTRY")))
    return ListEntry(
        list=list_name,
        entry_id=child_text(element, "REFERENCE_NUMBER") or child_text(element, "DATAID") or "",
        schema=schema, name=name, aliases=unique(aliases),
        programs=unique(p for p in (text(e) for e in children(element, "UN_LIST_TYPE")) if p),
        countries=unique(c for c in countries if c),
        birth_dates=unique(d for b in children(element, "INDIVIDUAL_DATE_OF_BIRTH") for d in _birth_dates(b)),
        identifiers=unique(i for d in children(element, "INDIVIDUAL_DOCUMENT") if (i := _document(d))),
        listed_on=iso_date(child_text(element, "LISTED_ON")), remarks=child_text(element, "COMMENTS1"),
        addresses=unique(addresses))


def _birth_dates(element: Element) -> tuple[str, ...]:
    date = iso_date(child_text(element, "DATE"))
    if date:
        return (date,)
    year = child_text(element, "YEAR")
    if year and year.isdigit():
        found = iso(int(year))
        return (found,) if found else ()
    start, end = child_text(element, "FROM_YEAR"), child_text(element, "TO_YEAR")
    if start and end and start.isdigit() and end.isdigit():
        return year_range(int(start), int(end))
    return ()


def _document(element: Element) -> Identifier | None:
    number = child_text(element, "NUMBER")
    if not number:
        return None
    kind = (child_text(element, "TYPE_OF_DOCUMENT") or "").strip().lower()
    country = country_code(child_text(element, "ISSUING_COUNTRY") or child_text(element, "COUNTRY_OF_ISSUE"))
    return Identifier(_DOCUMENT_TYPES.get(kind, "other"), number, country)

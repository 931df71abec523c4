"""The EU Financial Sanctions Files (FSF) XML, schema 1.1 (``export`` in the fsd namespace).

Written from the published XSD (``eu_fsf_schema_1_1.xsd``); no full real file
was available. Each ``sanctionEntity`` has a logicalId, a subjectType (P: person,
E: enterprise, which the EU does not split into companies and other bodies),
name aliases in many languages, and regulations whose programme codes are the
EU's sanctions regimes. The first name alias (in English when one is marked
so) is the entry's name; ``strong="false"`` aliases are weak.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from armswatch.model import Alias, Identifier, ListEntry
from armswatch.sanctions.importers.countries import country_code
from armswatch.sanctions.importers.dates import iso, iso_date, year_range
from armswatch.sanctions.importers.parsed import ListContent, ListFile, unique
from armswatch.sanctions.importers.safexml import children, iter_elements, local, text

TITLE = "EU Financial Sanctions Files (FSF): consolidated list"
_SUBJECT_TYPES = {"P": "Person", "E": "Organization", "person": "Person", "enterprise": "Organization"}
_ID_TYPES = {"passport": "passport", "nationalpass": "passport", "id": "national_id",
             "nationalid": "national_id", "ssn": "national_id", "fiscalcode": "tax", "tin": "tax",
             "regnumber": "registration", "swiftbic": "swift", "imo": "imo"}


def read_eu_xml(file: ListFile, *, list_name: str | None = None) -> ListContent:
    """Stream the sanctionEntity elements; generationDate is the list date."""
    name = list_name or "eu_fsf"
    published: str | None = None
    entries: list[ListEntry] = []
    for event, element in iter_elements(file):
        tag = local(element.tag)
        if event == "start" and tag == "export":
            published = iso_date(element.get("generationDate"))
        elif event == "end" and tag == "sanctionEntity":
            entry = _entry(element, name)
            if entry is not None:
                entries.append(entry)
            element.clear()
    return ListContent(list=name, title=TITLE, published=published, entries=tuple(entries))


def _entry(element: Element, list_name: str) -> ListEntry | None:
    subject = children(element, "subjectType")
    schema = "Organization"
    if subject:
        schema = _SUBJECT_TYPES.get(subject[0].get("classificationCode") or "",
                                    _SUBJECT_TYPES.get(subject[0].get("code") or "", "Organization"))
    aliases = _aliases(element)
    if not aliases:
        return None
    regulations = children(element, "regulation")
    listed_on = element.get("designationDate") or min(
        (r.get("publicationDate") or "" for r in regulations), default="") or None
    countries = [country_code(c.get("countryIso2Code")) for c in children(element, "citizenship")]
    addresses = []
    for address in children(element, "address"):
        countries.append(country_code(address.get("countryIso2Code")))
        parts = [address.get(key) for key in ("street", "poBox", "city", "zipCode", "region", "place",
                                              "countryDescription")]
        if any(part and part != "UNKNOWN" for part in parts):
            addresses.append(", ".join(part for part in parts if part and part != "UNKNOWN"))
    remarks = [r for r in (text(remark) for remark in children(element, "remark")) if r]
    return ListEntry(
        list=list_name, entry_id=element.get("logicalId") or "", schema=schema, name=aliases[0].name,
        aliases=unique(aliases[1:]),
        programs=unique(p for p in (r.get("programme") for r in regulations) if p),
        countries=unique(c for c in countries if c),
        birth_dates=unique(d for b in children(element, "birthdate") for d in _birth_dates(b)),
        identifiers=unique(i for i in (_identifier(e) for e in children(element, "identification")) if i),
        listed_on=iso_date(listed_on), remarks="\n".join(remarks) or None, addresses=unique(addresses))


def _aliases(element: Element) -> list[Alias]:
    """Every name alias, the one to call the entry by first."""
    found: list[tuple[bool, Alias]] = []
    for alias in children(element, "nameAlias"):
        whole = alias.get("wholeName") or " ".join(
            part for part in (alias.get("firstName"), alias.get("middleName"), alias.get("lastName")) if part)
        whole = " ".join(whole.split())
        if whole:
            strength = "weak" if alias.get("strong") == "false" else "strong"
            english = (alias.get("nameLanguage") or "").upper() in ("", "EN")
            found.append((english and strength == "strong", Alias(whole, strength=strength)))
    first = next((index for index, (preferred, _) in enumerate(found) if preferred), 0)
    ordered = found[first:first + 1] + found[:first] + found[first + 1:]
    return [alias for _, alias in ordered]


def _birth_dates(element: Element) -> tuple[str, ...]:
    date = iso_date(element.get("birthdate"))
    if date:
        return (date,)
    year, month, day = (_int(element.get(key)) for key in ("year", "monthOfYear", "dayOfMonth"))
    if year is not None:
        if element.get("circa") == "true":
            month = day = None
        found = iso(year, month, day if month else None)
        return (found,) if found else ()
    start, end = _int(element.get("yearRangeFrom")), _int(element.get("yearRangeTo"))
    if start is not None and end is not None:
        return year_range(start, end)
    return ()


def _identifier(element: Element) -> Identifier | None:
    number = element.get("number") or element.get("latinNumber")
    if not number or not number.strip():
        return None
    code = (element.get("identificationTypeCode") or "").strip()
    return Identifier(_ID_TYPES.get(code.lower(), code.lower() or "other"), number.strip(),
                      country_code(element.get("countryIso2Code")))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().lstrip("-").isdigit() else None

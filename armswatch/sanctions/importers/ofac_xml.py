"""OFAC's legacy XML (root ``sdnList``): sdn.xml and consolidated.xml.

The XML carries as elements what the CSV hides in remarks (akas with their
weak/strong category, nationalities, dates of birth, ids), but the id labels
and date spellings are the CSV's, so both go through :mod:`ofac_remarks` and
an entry reads the same from either format. Names are written "LAST, First"
like the CSV's.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from armswatch.model import Alias, Identifier, ListEntry
from armswatch.sanctions.importers.countries import country_code
from armswatch.sanctions.importers.dates import ofac_dates, us_date
from armswatch.sanctions.importers.ofac_csv import TITLES, list_name_for
from armswatch.sanctions.importers.ofac_remarks import identifier, read_remarks
from armswatch.sanctions.importers.parsed import ListContent, ListFile, unique
from armswatch.sanctions.importers.safexml import child, child_text, children, iter_elements, local, text

SDN_TYPES = {"individual": "Person", "entity": "Organization", "vessel": "Vessel", "aircraft": "Aircraft"}
_AKA_KINDS = {"a.k.a.": "aka", "f.k.a.": "fka", "n.k.a.": "nka"}
#: idTypes that are countries of the party rather than identifiers
_COUNTRY_ID_TYPES = {"Nationality of Registration", "Nationality Country", "Citizenship Country"}


def read_ofac_xml(file: ListFile, *, list_name: str | None = None) -> ListContent:
    """Stream the sdnEntry elements; Publish_Date is the list date, Record_Count a check."""
    name = list_name or list_name_for([file])
    published: str | None = None
    record_count: int | None = None
    entries: list[ListEntry] = []
    for event, element in iter_elements(file):
        if event != "end":
            continue
        tag = local(element.tag)
        if tag == "publshInformation":  # sic: OFAC's spelling
            published = us_date(child_text(element, "Publish_Date"))
            count = child_text(element, "Record_Count")
            record_count = int(count) if count and count.isdigit() else None
        elif tag == "sdnEntry":
            entries.append(_entry(element, name))
            element.clear()
    warnings = []
    if record_count is not None and record_count != len(entries):
        warnings.append(f"{file.name}: Record_Count says {record_count:,} entries, the file has "
                        f"{len(entries):,}")
    return ListContent(list=name, title=TITLES.get(name, TITLES["us_ofac_sdn"]), published=published,
                       entries=tuple(entries), warnings=tuple(warnings))


def _full_name(element: Element) -> str:
    last, first = child_text(element, "lastName"), child_text(element, "firstName")
    return ", ".join(part for part in (last, first) if part)


def _entry(element: Element, list_name: str) -> ListEntry:
    schema = SDN_TYPES.get((child_text(element, "sdnType") or "").lower(), "Organization")
    remarks = child_text(element, "remarks")
    facts = read_remarks(remarks, schema=schema)
    aliases = [_alias(aka) for aka in _items(element, "akaList", "aka")]
    countries: list[str | None] = list(facts.countries)
    for listed in ("nationalityList", "citizenshipList"):
        countries.extend(country_code(child_text(item, "country"))
                         for item in _items(element, listed, listed.removesuffix("List")))
    identifiers = list(facts.identifiers)
    linked = list(facts.linked_to)  # vessel owners join the remarks' links
    listed_on: list[str | None] = [facts.listed_on]
    for item in _items(element, "idList", "id"):
        id_type, number = child_text(item, "idType") or "", child_text(item, "idNumber") or ""
        if id_type in _COUNTRY_ID_TYPES:
            countries.append(country_code(number))
            continue
        if id_type.startswith("Listing Date"):
            listed_on.extend(ofac_dates(number))
            continue
        issuer = country_code(child_text(item, "idCountry"))
        found = identifier(id_type, number, schema=schema, country=issuer)
        if found is not None:
            identifiers.append(found)
    vessel = child(element, "vesselInfo")
    if vessel is not None:
        flag = country_code(child_text(vessel, "vesselFlag"))
        countries.append(flag)
        call_sign = child_text(vessel, "callSign")
        if call_sign:
            identifiers.append(Identifier("call_sign", call_sign, flag))
        owner = child_text(vessel, "vesselOwner")
        if owner:
            linked.append(owner)
    addresses = [line for address in _items(element, "addressList", "address")
                 if (line := _address(address))]
    countries.extend(country_code(child_text(address, "country"))
                     for address in _items(element, "addressList", "address"))
    birth_dates = list(facts.birth_dates)
    for item in _items(element, "dateOfBirthList", "dateOfBirthItem"):
        birth_dates.extend(ofac_dates(child_text(item, "dateOfBirth") or ""))
    programs = [text(program) for program in _items(element, "programList", "program")]
    return ListEntry(
        list=list_name, entry_id=child_text(element, "uid") or "", schema=schema, name=_full_name(element),
        aliases=unique([*(a for a in aliases if a is not None), *facts.aliases]),
        programs=unique(p for p in programs if p), countries=unique(c for c in countries if c),
        birth_dates=unique(birth_dates), identifiers=unique(identifiers),
        listed_on=min((d for d in listed_on if d), default=None), remarks=remarks,
        linked_to=unique(linked), addresses=unique(addresses))


def _address(address: Element) -> str | None:
    """One line, written as the CSV writes it: "street, city, state postcode, country"."""
    city = ", ".join(p for p in (child_text(address, "city"), child_text(address, "stateOrProvince")) if p)
    locality = " ".join(p for p in (city, child_text(address, "postalCode")) if p)
    streets = (child_text(address, f"address{n}") for n in (1, 2, 3))
    parts = [*streets, locality, child_text(address, "country")]
    return ", ".join(part for part in parts if part) or None


def _alias(aka: Element) -> Alias | None:
    name = _full_name(aka)
    if not name:
        return None
    kind = _AKA_KINDS.get((child_text(aka, "type") or "").lower(), "aka")
    strength = "weak" if (child_text(aka, "category") or "").lower() == "weak" else "strong"
    return Alias(name, kind=kind, strength=strength)


def _items(element: Element, list_tag: str, item_tag: str) -> list[Element]:
    container = child(element, list_tag)
    return children(container, item_tag) if container is not None else []

"""What OFAC's legacy files state only inside free text: remarks and id labels.

The legacy CSV keeps dates of birth, nationalities, passports, IMO numbers,
weak a.k.a.s and links to other listed parties inside the remarks column, as
``;``-separated phrases (``DOB 17 Aug 1964; nationality Russia; Passport
750722630 (Russia); a.k.a. 'BNC'; Linked To: HAMAS.``). The legacy XML puts the
same identifier labels in ``idType``. Both use :func:`identifier`, so the two
formats of one list agree. Phrases not recognised here stay in ``remarks``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from armswatch.model import Alias, Identifier
from armswatch.sanctions.importers.countries import country_code
from armswatch.sanctions.importers.dates import ofac_dates

#: OFAC's identifier labels (as in remarks and in the XML's idType) -> our identifier type
ID_TYPES: dict[str, str] = {
    "Passport": "passport", "Diplomatic Passport": "passport", "Travel Document Number": "passport",
    "National ID No.": "national_id", "Cedula No.": "national_id", "C.U.R.P.": "national_id",
    "C.U.R.P. #": "national_id", "D.N.I.": "national_id", "Personal ID Card": "national_id",
    "National Foreign ID Number": "national_id", "Turkish Identification Number": "national_id",
    "Kenyan ID No.": "national_id", "SSN": "national_id", "Numero de Identidad": "national_id",
    "Citizen's Card Number": "national_id", "Residency Number": "national_id",
    "Tax ID No.": "tax", "R.F.C.": "tax", "R.F.C. #": "tax", "RFC": "tax", "NIT #": "tax",
    "RUC #": "tax", "RIF #": "tax", "V.A.T. Number": "tax", "Italian Fiscal Code": "tax",
    "US FEIN": "tax", "C.U.I.T.": "tax",
    "Registration Number": "registration", "Registration ID": "registration",
    "Business Registration Number": "registration", "Commercial Registry Number": "registration",
    "Company Number": "registration", "UK Company Number": "registration",
    "Public Registration Number": "registration", "Folio Mercantil No.": "registration",
    "Matricula Mercantil No": "registration", "Unified Social Credit Code (USCC)": "registration",
    "Legal Entity Number": "registration", "Chamber of Commerce Number": "registration",
    "Business Registration Document #": "registration", "Trade License No.": "registration",
    "Economic Register Number (CBLS)": "registration", "Enterprise Number": "registration",
    "Certificate of Incorporation Number": "registration", "Business Number": "registration",
    "C.R. No.": "registration", "Central Registration System Number": "registration",
    "Registered Charity No.": "registration", "D-U-N-S Number": "duns",
    "SWIFT/BIC": "swift", "BIK (RU)": "bik", "MMSI": "mmsi",
    "Vessel Registration Identification": "imo", "Identification Number": "national_id",
    "Aircraft Manufacturer's Serial Number (MSN)": "aircraft_msn",
    "Aircraft Tail Number": "aircraft_tail", "Aircraft Mode S Transponder Code": "aircraft_mode_s",
}
_LABELS = "|".join(re.escape(label) for label in sorted(ID_TYPES, key=len, reverse=True))
_ID_PHRASE = re.compile(rf"^(?:alt\.\s+)?({_LABELS})\s+(.+)$")
_DOB = re.compile(r"^(?:alt\.\s+)?DOB\s+(.+)$")
_COUNTRY_PHRASE = re.compile(r"^(?:alt\.\s+)?(?:nationality|citizen|Nationality of Registration)\s+(.+)$")
_WEAK_ALIAS = re.compile(r"^([afn])\.k\.a\.\s+'(.+)'$")
_LINKED = re.compile(r"^Linked To:\s*(.+)$")
_LISTING_DATE = re.compile(r"^Listing Date(?:\s*\([^)]*\))?:?\s+(.+)$")
_IMO = re.compile(r"\bIMO\s*(\d{7})\b")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_ISSUED = re.compile(r"\s+(?:issued|expires)\b.*$")


@dataclass
class RemarkFacts:
    """The structured facts found in one entry's remarks."""

    birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    listed_on: str | None = None


def read_remarks(remarks: str | None, *, schema: str) -> RemarkFacts:
    """Pick the structured phrases out of an OFAC remarks text.

    OFAC ends every remarks text with a full stop, which is dropped; a linked
    name that really ends in one (``HERJEZ LTDA.``) is restored by the caller,
    which knows the names on the list.
    """
    facts = RemarkFacts()
    if not remarks:
        return facts
    for phrase in (_unwrap(part.strip()) for part in remarks.strip().removesuffix(".").split(";")):
        if phrase:
            _read_phrase(phrase, schema, facts)
    return facts


def _unwrap(phrase: str) -> str:
    """``(Linked To: X (LONDON) LIMITED)`` -> ``Linked To: X (LONDON) LIMITED``: the XML's wrapping."""
    if not (phrase.startswith("(") and phrase.endswith(")")):
        return phrase
    depth = 0
    for index, char in enumerate(phrase):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(phrase) - 1:
            return phrase  # the first parenthesis closes early: not a wrapper
    return phrase[1:-1].strip()


def _read_phrase(phrase: str, schema: str, facts: RemarkFacts) -> None:
    if match := _DOB.match(phrase):
        facts.birth_dates.extend(ofac_dates(match.group(1)))
    elif match := _COUNTRY_PHRASE.match(phrase):
        code = country_code(match.group(1))
        if code:
            facts.countries.append(code)
    elif match := _WEAK_ALIAS.match(phrase):
        facts.aliases.append(Alias(match.group(2).strip(), kind=f"{match.group(1)}ka", strength="weak"))
    elif match := _LINKED.match(phrase):
        facts.linked_to.append(match.group(1).strip())
    elif match := _LISTING_DATE.match(phrase):
        dates = ofac_dates(match.group(1))
        if dates and (facts.listed_on is None or dates[0] < facts.listed_on):
            facts.listed_on = dates[0]
    elif match := _ID_PHRASE.match(phrase):
        found = identifier(match.group(1), match.group(2), schema=schema)
        if found is not None:
            facts.identifiers.append(found)


def identifier(label: str, value: str, *, schema: str, country: str | None = None) -> Identifier | None:
    """An identifier from an OFAC label and its text (``DM001478 (Burma) issued 10 Sep 2012``).

    The country is the last parenthesised group that names one (a register's
    city may come first: ``HRA 738569 (Stuttgart) (Germany)``), unless given.
    Labels that are not identifiers (Website, Email Address, ...) give None.
    """
    label = label.strip().removesuffix(":").strip()
    id_type = ID_TYPES.get(label)
    imo = _IMO.search(value)
    if imo is not None and (id_type is not None or label.startswith("IMO")):
        return Identifier("imo", imo.group(1), None)
    if id_type is None or id_type == "imo":
        return None
    if label == "Identification Number" and schema != "Person":
        id_type = "registration"
    rest = _ISSUED.sub("", value.strip())
    if country is None:
        for group in reversed(_PARENTHESES.findall(rest)):
            country = country_code(group)
            if country:
                break
    number = rest.split(" (", 1)[0].strip(" .;")
    return Identifier(id_type, number, country) if number else None

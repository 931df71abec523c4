"""Qualifiers: what besides the name makes a listed party more or less likely to be the one.

A name is the main evidence, but namesakes abound (``Mohammad Hassan``). As in
nomenklatura's qualifying features, other properties *adjust* the name score:

* schema: a person is never a vessel; companies, organisations and legal
  entities may be one another (FollowTheMoney's schema hierarchy decides);
* country: agreeing raises the score a little, disagreeing lowers it;
* date of birth, compared at the precision both sides give and tolerant of a
  year either way (lists often know only "about 1958"): agreeing raises,
  years two or more apart lower;
* an identifier (IMO number, passport, registration) found on both sides is
  strong evidence of its own: it alone carries a match past the threshold
  (vessels are renamed, their IMO number stays);
* a weak alias (OFAC's "low quality a.k.a.") counts less than a real name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from followthemoney import model
from rigour.territories import lookup_territory

from armswatch.model import Alias, ListEntry
from armswatch.sanctions.matching.results import Feature, Query

W_COUNTRY_AGREES = 0.03
W_COUNTRY_DISAGREES = -0.1
W_BIRTH_DATE_AGREES = 0.05
W_BIRTH_DATE_DISAGREES = -0.2
W_IDENTIFIER = 0.8
W_WEAK_ALIAS = -0.1

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_YEAR = re.compile(r"^\d{4}")
_ID_PREFIXES = ("IMO", "NO")
ID_LABELS = {"imo": "IMO number", "passport": "passport number", "national_id": "national ID",
             "registration": "registration number", "swift": "SWIFT/BIC code", "tax_id": "tax number"}


@lru_cache(maxsize=256)
def schemata_compatible(query_schema: str | None, entry_schema: str) -> bool:
    """Whether a party of ``query_schema`` can be listed as ``entry_schema`` (None: any)."""
    if query_schema is None or query_schema == entry_schema:
        return True
    query = model.get(query_schema)
    entry = model.get(entry_schema)
    if query is None or entry is None:
        return False
    return query.is_a(entry) or entry.is_a(query)


@lru_cache(maxsize=1024)
def country_code(value: str) -> str | None:
    """An ISO 3166-1 alpha-2 code for a code or a country name (``Iraq`` -> ``iq``)."""
    territory = lookup_territory(value.strip()) if value and value.strip() else None
    if territory is None:
        return None
    return str(territory.ftm_country or territory.code).lower()


def country_feature(query: Query, entry: ListEntry) -> Feature | None:
    """Country agrees (any of the entry's countries) or disagrees (none of them)."""
    if not query.country or not entry.countries:
        return None
    wanted = country_code(query.country)
    if wanted is None:
        return None
    listed = {code for code in (country_code(c) for c in entry.countries) if code}
    if not listed:
        return None
    shown = wanted.upper()
    if wanted in listed:
        return Feature("country_agrees", 1.0, W_COUNTRY_AGREES, f"country {shown} agrees")
    others = ", ".join(sorted(c.upper() for c in listed))
    return Feature("country_disagrees", 1.0, W_COUNTRY_DISAGREES,
                   f"country {shown} is not among the listed {others}")


def _date_agreement(query: str, listed: str) -> float | None:
    """1.0 if the dates agree at their common precision, 0.5 if only the year does,
    0.0 if the years are two or more apart, None if neither (a year apart, or unreadable)."""
    if not _YEAR.match(query) or not _YEAR.match(listed):
        return None
    common = min(len(query), len(listed), 10)
    if query[:common] == listed[:common]:
        return 1.0
    gap = abs(int(query[:4]) - int(listed[:4]))
    if gap == 0:
        return 0.5
    return 0.0 if gap >= 2 else None


def birth_date_feature(query: Query, entry: ListEntry) -> Feature | None:
    """The query's date of birth against the listed ones: the best agreement counts."""
    if not query.birth_date or not entry.birth_dates:
        return None
    best: tuple[float, str] | None = None
    undecided = False
    for listed in entry.birth_dates:
        agreement = _date_agreement(query.birth_date.strip(), listed.strip())
        if agreement is None:
            undecided = True
        elif best is None or agreement > best[0]:
            best = (agreement, listed)
    if best is None:
        return None
    value, listed = best
    if value > 0:
        how = "agrees with" if value == 1.0 else "has the same year as"
        return Feature("birth_date_agrees", value, W_BIRTH_DATE_AGREES,
                       f"date of birth {query.birth_date} {how} {listed}")
    if undecided:
        return None  # another listed date is within a year
    dates = ", ".join(entry.birth_dates)
    return Feature("birth_date_disagrees", 1.0, W_BIRTH_DATE_DISAGREES,
                   f"date of birth {query.birth_date} is years away from {dates}")


def normalise_identifier(value: str) -> str:
    """``IMO 9123456`` and ``9123456`` are one number: upper-case alphanumerics, type prefix dropped."""
    text = _NOT_ALNUM.sub("", value.upper())
    for prefix in _ID_PREFIXES:
        if text.startswith(prefix) and text[len(prefix):].isdigit():
            return text[len(prefix):]
    return text


def identifier_feature(query: Query, entry: ListEntry) -> Feature | None:
    """An identifier of the query equal to one of the entry's (five characters or more)."""
    if not query.identifiers or not entry.identifiers:
        return None
    wanted = {normalise_identifier(v) for v in query.identifiers}
    for identifier in entry.identifiers:
        value = normalise_identifier(identifier.value)
        if len(value) >= 5 and value in wanted:
            label = ID_LABELS.get(identifier.type, identifier.type.replace("_", " "))
            detail = f"{label} {value} is the same on both sides"
            return Feature("identifier_match", 1.0, W_IDENTIFIER, detail)
    return None


def weak_alias_feature(alias: Alias | None) -> Feature | None:
    if alias is None or alias.strength != "weak":
        return None
    return Feature("weak_alias", 1.0, W_WEAK_ALIAS,
                   f"'{alias.name}' is a weak alias: the list itself doubts it identifies the party")


def qualifier_features(query: Query, entry: ListEntry, alias: Alias | None) -> list[Feature]:
    """Every qualifier that applies, in the order the explanation gives them."""
    found = (identifier_feature(query, entry), country_feature(query, entry),
             birth_date_feature(query, entry), weak_alias_feature(alias))
    return [f for f in found if f is not None]

"""Dates the reporting gives for a happening, read from date expressions.

Only expressions that name a calendar date, month or year become dates:
"13 September 2023", "Sept. 13, 2023", "in August 2023", "early 2022",
"2023-09-13". A day or month without a year ("on September 13", "in
March") takes its year from the publication date, as a reader would: the
latest such date not after publication. So do the relative expressions news
style uses for precise days: a weekday ("on Tuesday": the latest Tuesday up
to publication), "today", "yesterday", "this/last month", "this/last year".
Vague ones ("last week", "recent months", "a few months") are left alone
rather than guessed.
Results are ISO dates at the precision given: ``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

_MONTHS = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s*\d)", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\b", re.IGNORECASE),
    re.compile(rf"\b{_YEAR}\b"),
]
# a month name that is also a common word: alone, only after a preposition ("in May")
_AMBIGUOUS_MONTHS = {"may", "march", "mar"}


_WEEKDAYS = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday",
                                         "saturday", "sunday"))}
_RELATIVE = re.compile(r"^(?:on\s+|earlier\s+|late\s+|early\s+)?(?:(?P<weekday>" + "|".join(_WEEKDAYS)
                       + r")|(?P<today>today|tonight)|(?P<yesterday>yesterday)|(?P<which>this|last)\s+"
                       r"(?P<unit>month|year))$", re.IGNORECASE)


def _relative(text: str, reference: date) -> str | None:
    match = _RELATIVE.match(text)
    if match is None:
        return None
    if match["weekday"]:
        back = (reference.weekday() - _WEEKDAYS[match["weekday"].lower()]) % 7
        return date.fromordinal(reference.toordinal() - back).isoformat()
    if match["today"]:
        return reference.isoformat()
    if match["yesterday"]:
        return date.fromordinal(reference.toordinal() - 1).isoformat()
    last = match["which"].lower() == "last"
    if match["unit"].lower() == "year":
        return f"{reference.year - last:04d}"
    month = reference.month - last
    return f"{reference.year - (month == 0):04d}-{(month - 1) % 12 + 1:02d}"


def resolve_date(expression: str, *, published: str | None = None) -> str | None:
    """The ISO date (at its precision) an expression names, or None."""
    text = " ".join(expression.split())
    reference = _day(published)
    if reference is not None and (relative := _relative(text, reference)):
        return relative
    for index, pattern in enumerate(_PATTERNS):
        match = pattern.search(text)
        if match is None:
            continue
        groups = match.groupdict()
        if index == 0:
            return _iso(int(groups["year"]), int(match["m"]), int(match["d"]))
        month = _MONTHS[groups["month"].lower().rstrip(".")] if groups.get("month") else None
        day = int(groups["day"]) if groups.get("day") else None
        year = int(groups["year"]) if groups.get("year") else None
        if year is None and month is not None:
            if reference is None or (day is None and groups["month"].lower() in _AMBIGUOUS_MONTHS
                                     and not re.search(r"\b(in|since|until|by|from|early|late|mid|last)"
                                                       r"[- ]?\s*$", text[:match.start()], re.I)):
                continue
            year = reference.year
            later = (month, day) > (reference.month, reference.day) if day else month > reference.month
            if later:  # "on September 13" in a March report: last September
                year -= 1
        if year is None:
            continue
        return _iso(year, month, day)
    return None


def resolve_dates(expressions: Iterable[str], *, published: str | None = None) -> list[str]:
    """Every expression's date, in order, each once."""
    out: dict[str, None] = {}
    for expression in expressions:
        resolved = resolve_date(expression, published=published)
        if resolved:
            out.setdefault(resolved, None)
    return list(out)


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None

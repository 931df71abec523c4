"""Dates as the lists write them, to ISO strings at the precision given.

Birth dates are evidence for or against a match, so only what the list states
precisely is kept: ``17 Aug 1964`` -> ``1964-08-17``, ``Aug 1964`` -> ``1964-08``,
``1964`` and ``circa 1964`` -> ``1964`` (a year is all a circa date says). A range
("1958 to 1960", UN FROM_YEAR/TO_YEAR) becomes each year in it, as OFAC's own
screening treats it; a range over more than :data:`MAX_RANGE_YEARS` years
says too little and is dropped.
"""

from __future__ import annotations

import calendar
import re

MAX_RANGE_YEARS = 10
_MONTHS = {name: index for index, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_DAY_MONTH_YEAR = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_RANGE = re.compile(r"^(.+?)\s+(?:to|-)\s+(.+)$")

Parts = tuple[int, int | None, int | None]


def iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """``YYYY[-MM[-DD]]``, or None for an impossible month or day."""
    if not 1000 <= year <= 2999 or (month is not None and not 1 <= month <= 12):
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def iso_date(value: str | None) -> str | None:
    """The date at the start of an ISO date or timestamp (``2018-10-29T19:09:49`` -> ``2018-10-29``)."""
    if not value:
        return None
    match = _ISO.match(value.strip())
    if match is None:
        return None
    year, month, day = match.groups()
    return iso(int(year), int(month) if month else None, int(day) if day else None)


def us_date(value: str | None) -> str | None:
    """OFAC's ``MM/DD/YYYY`` publish date as ISO."""
    match = _US.match((value or "").strip())
    if match is None:
        return iso_date(value)
    month, day, year = (int(part) for part in match.groups())
    return iso(year, month, day)


def year_range(start: int, end: int) -> tuple[str, ...]:
    """Each year from ``start`` to ``end``; nothing for a range too wide to help."""
    if start > end:
        start, end = end, start
    if end - start > MAX_RANGE_YEARS:
        return ()
    return tuple(f"{year:04d}" for year in range(start, end + 1))


def ofac_dates(value: str) -> tuple[str, ...]:
    """An OFAC date of birth (``17 Aug 1964``, ``circa 1957``, ``1958 to 1960``) as ISO dates."""
    text = " ".join(value.split()).strip(" .;")
    circa = re.match(r"^(?:circa|approximately|approx\.?|c\.)\s+(.+)$", text, re.I)
    if circa:
        parts = _ofac_parts(circa.group(1))
        return (f"{parts[0]:04d}",) if parts else ()
    ranged = _RANGE.match(text)
    if ranged:
        start, end = _ofac_parts(ranged.group(1)), _ofac_parts(ranged.group(2))
        if start is None or end is None:
            return ()
        if start == end:
            return _one(start)
        if start[0] == end[0] and start[1] == end[1] and start[1] is not None:
            return _one((start[0], start[1], None))  # days within one month
        if start[0] == end[0]:
            return (f"{start[0]:04d}",)
        return year_range(start[0], end[0])
    parts = _ofac_parts(text)
    return _one(parts) if parts else ()


def _one(parts: Parts) -> tuple[str, ...]:
    date = iso(*parts)
    return (date,) if date else ()


def _ofac_parts(text: str) -> Parts | None:
    text = text.strip(" .")
    year = _YEAR.match(text)
    if year:
        return int(year.group(1)), None, None
    match = _DAY_MONTH_YEAR.match(text)
    if match:
        day, month_name, year_text = match.groups()
        month = _MONTHS.get(month_name.lower())
        if month is None:
            return None
        return int(year_text), month, int(day) if day else None
    iso_match = _ISO.fullmatch(text)
    if iso_match:
        y, m, d = iso_match.groups()
        return int(y), int(m) if m else None, int(d) if d else None
    return None

"""Event dates from date expressions, at the precision the text gives."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armswatch.analysis.dates import resolve_date, resolve_dates


@pytest.mark.parametrize(("expression", "published", "expected"), [
    ("13 September 2023", None, "2023-09-13"),
    ("Sept. 13, 2023", None, "2023-09-13"),
    ("September 13th, 2023", None, "2023-09-13"),
    ("2023-09-13", None, "2023-09-13"),
    ("in August 2023", None, "2023-08"),
    ("early 2022", None, "2022"),
    ("since 2022", None, "2022"),
    ("September 13", "2024-03-01", "2023-09-13"),   # last September, seen from March
    ("September 13", "2023-10-01", "2023-09-13"),
    ("in May", "2024-06-01", "2024-05"),
    ("September", "2023-05-01", "2022-09"),
    ("September 13", None, None),                     # no year and no publication date
    ("May", "2024-06-01", None),                      # the modal verb, not the month
    ("last week", "2024-01-01", None),
    ("Tuesday", "2024-01-05", "2024-01-02"),          # a Friday report: that week's Tuesday
    ("on Friday", "2024-01-05", "2024-01-05"),
    ("Tuesday", None, None),
    ("today", "2024-01-05", "2024-01-05"),
    ("yesterday", "2024-03-01", "2024-02-29"),
    ("last month", "2024-01-05", "2023-12"),
    ("this month", "2024-01-05", "2024-01"),
    ("Last year", "2024-01-05", "2023"),
    ("last December", "2024-03-01", "2023-12"),
    ("recent months", None, None),
    ("31 February 2024", None, None),
])
def test_resolve_date(expression: str, published: str | None, expected: str | None) -> None:
    assert resolve_date(expression, published=published) == expected


def test_resolve_dates_keeps_order_and_drops_repeats() -> None:
    assert resolve_dates(["August 2023", "last week", "Aug. 2023", "2024"]) == ["2023-08", "2024"]


@given(st.text(max_size=60), st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_any_text_gives_an_iso_date_or_nothing(expression: str, published: str | None) -> None:
    result = resolve_date(expression, published=published)
    assert result is None or len(result) in (4, 7, 10)

"""Entity resolution: the same actor under many names gets one id."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armswatch.model import Entity
from armswatch.resolve import EntityResolver
from armswatch.resolve.entities import normalise_name

RESOLVER = EntityResolver()  # hypothesis tests cannot take function-scoped fixtures


@pytest.fixture(scope="module")
def resolver() -> EntityResolver:
    return EntityResolver()


@pytest.mark.parametrize(("name", "kind", "country", "expected"), [
    ("North Korea", "country", "KP", "country:KP"),
    ("Kim Jong-un", "person", "KP", "person:kim-jong-un"),
    ("Kim Jong Un", "person", "KP", "person:kim-jong-un"),
    ("Russian President Vladimir Putin", "person", "RU", "person:vladimir-putin"),
    ("Putin", "person", "RU", "person:vladimir-putin"),
    ("the Iranian government", "organization", "IR", "country:IR"),
    ("North Korean officials", "organization", "KP", "country:KP"),
    ("Russian forces", "organization", "RU", "country:RU"),
    ("Treasury Department", "organization", "US", "organization:us-department-of-the-treasury"),
    ("OFAC", "organization", "US", "organization:office-of-foreign-assets-control"),
    ("Wagner", "group", "RU", "group:wagner-group"),
    ("Chinese companies", "organization", "CN", "organization:chinese-companies"),
])
def test_names_resolve_to_one_entity(resolver: EntityResolver, name: str, kind: str, country: str,
                                     expected: str) -> None:
    assert resolver.resolve(Entity(name, kind, country)).id == expected


def test_officials_and_state_bodies_act_for_their_state(resolver: EntityResolver) -> None:
    assert resolver.resolve(Entity("Treasury", "organization", "US")).acts_for_state
    assert resolver.resolve(Entity("Sergei Shoigu", "person", "RU")).acts_for_state
    assert not resolver.resolve(Entity("Wagner Group", "group", "RU")).acts_for_state
    assert not resolver.resolve(Entity("Chinese companies", "organization", "CN")).acts_for_state


@given(st.text(max_size=200))
def test_normalised_names_are_plain_lowercase_words(name: str) -> None:
    normal = normalise_name(name)
    assert normal == normal.strip() and "  " not in normal
    assert normal == normal.casefold()
    assert normalise_name(normal) == normal


@given(st.text(min_size=1, max_size=300))
def test_any_name_gets_a_bounded_id(name: str) -> None:
    entity = RESOLVER.resolve(Entity(name, "organization", None))
    assert 0 < len(entity.id) <= 200 and entity.id.startswith("organization:")



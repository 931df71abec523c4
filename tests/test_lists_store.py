"""Sanctions list versions in the store: import, refusals, diffs, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from armswatch.model import Alias, ListEntry
from armswatch.store import Store
from armswatch.store.lists import ListImportRefused, current_entries, diff, import_version, versions


def entries(n: int, *, prefix: str = "") -> list[ListEntry]:
    return [ListEntry(list="test_list", entry_id=str(i), schema="Person", name=f"{prefix}PERSON {i}",
                      aliases=(Alias(f"P{i}", strength="weak"),), programs=("DPRK",), countries=("KP",))
            for i in range(n)]


def put(store: Store, items: list[ListEntry], *, file_hash: str, force: bool = False) -> int:
    return import_version(store, list_name="test_list", title="Test", fmt="ftm", published="2024-01-01",
                          entries=items, source_files=["x"], file_hash=file_hash, force=force).version_id


def test_versions_and_the_current_entries(store: Store) -> None:
    first = put(store, entries(10), file_hash="a")
    second = put(store, entries(12), file_hash="b")
    again = import_version(store, list_name="test_list", title="Test", fmt="ftm", published=None,
                           entries=entries(12), source_files=["x"], file_hash="b")
    assert not again.created and again.version_id == second
    listed = versions(store)
    assert [(v["id"], v["entry_count"], v["current"]) for v in listed] == [(first, 10, False),
                                                                          (second, 12, True)]
    current = current_entries(store)
    assert len(current) == 12 and {v for v, _ in current} == {second}
    assert current[0][1].aliases[0].strength == "weak"


def test_a_shrinking_or_empty_list_is_refused_and_nothing_changes(store: Store) -> None:
    put(store, entries(100), file_hash="full")
    with pytest.raises(ListImportRefused, match="drop of 70%"):
        put(store, entries(30), file_hash="truncated")
    with pytest.raises(ListImportRefused, match="no entries"):
        put(store, [], file_hash="empty")
    assert [v["entry_count"] for v in versions(store)] == [100]
    assert put(store, entries(30), file_hash="truncated", force=True)
    assert [v["forced"] for v in versions(store)] == [False, True]


def test_diff_judges_record_content_not_version_numbers(store: Store) -> None:
    old = entries(6)
    new = [*old[:4], replace(old[4], countries=("RU",)), *entries(8)[6:]]  # 5 removed, 4 changed, 6-7 added
    new[0] = replace(new[0], programs=("DPRK", "RUSSIA-EO14024"))
    put(store, old, file_hash="v1")
    put(store, new, file_hash="v2")
    result = diff(store, "test_list")
    assert [a["entry_id"] for a in result.added] == ["6", "7"]
    assert [r["entry_id"] for r in result.removed] == ["5"]
    assert {c["entry_id"]: sorted(c["fields"]) for c in result.changed} == {"0": ["programs"],
                                                                           "4": ["countries"]}
    assert result.changed[1]["fields"]["countries"] == [["KP"], ["RU"]]


def test_diff_errors_name_the_problem(store: Store) -> None:
    with pytest.raises(ListImportRefused, match="no list named"):
        diff(store, "nope")
    put(store, entries(3), file_hash="one")
    with pytest.raises(ListImportRefused, match="one version"):
        diff(store, "test_list")
    with pytest.raises(ListImportRefused, match="no version 99"):
        diff(store, "test_list", 1, 99)

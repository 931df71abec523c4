"""Consolidation of facts into events, on hand-built fact records."""

from __future__ import annotations

from armswatch.analysis.consolidate import FactRecord, consolidate

KP_RU = {"supplier": ("country:KP",), "recipient": ("country:RU",)}
counter = iter(range(10**6))


def rec(*, roles: dict[str, tuple[str, ...]] = KP_RU, factuality: str = "asserted",
        stage: str | None = "delivered", items: tuple[str, ...] = ("ammunition",),
        published: str | None = "2024-01-10", story: str | None = None, publisher: str = "a.example",
        type: str = "arms_transfer", kind: str | None = None,
        acts_for: dict[str, str] | None = None) -> FactRecord:
    n = next(counter)
    return FactRecord(id=f"f-{n:04d}", type=type, factuality=factuality, roles=roles,
                      document_id=f"d-{n}", story_id=story or f"s-{n}", publisher=publisher,
                      published=published, stage=stage, kind=kind, items=items,
                      acts_for=acts_for or {})


def only(events: list) -> dict:  # type: ignore[type-arg]
    assert len(events) == 1, [e.to_row() for e in events]
    return events[0].to_row()


def test_reports_of_one_deal_become_one_event_with_its_history() -> None:
    facts = [rec(stage="sought", published="2023-08-01", publisher="a"),
             rec(stage="agreed", published="2023-09-14", publisher="b"),
             rec(stage="delivered", published="2023-10-13", publisher="c"),
             rec(stage="delivered", published="2024-02-01", publisher="c", story="s-shared"),
             rec(stage="delivered", published="2024-02-02", publisher="d", story="s-shared")]
    row = only(consolidate(facts))
    assert row["stage"] == "delivered"
    assert row["stage_history"] == [{"stage": "sought", "first_reported": "2023-08-01"},
                                    {"stage": "agreed", "first_reported": "2023-09-14"},
                                    {"stage": "delivered", "first_reported": "2023-10-13"}]
    assert (row["first_reported"], row["last_reported"]) == ("2023-08-01", "2024-02-02")
    assert (row["facts"], row["documents"], row["stories"], row["sources"]) == (5, 5, 4, 4)
    assert row["status"] == "reported" and not row["contradicted"]


def test_a_denial_contradicts_the_reports_it_denies() -> None:
    facts = [rec(publisher="us"), rec(factuality="negated", items=("weapons",), publisher="kcna")]
    row = only(consolidate(facts))
    assert row["contradicted"] and row["status"] == "contradicted"
    assert row["factuality"] == {"asserted": 1, "possible": 0, "negated": 1}
    assert row["stage"] == "delivered"  # the furthest stage reported, not the denied one


def test_denial_alone_is_a_denied_event_and_hedges_are_possible() -> None:
    assert only(consolidate([rec(factuality="negated")]))["status"] == "denied"
    assert only(consolidate([rec(factuality="possible")]))["status"] == "possible"


def test_directions_and_parties_make_different_events() -> None:
    events = consolidate([rec(), rec(roles={"supplier": ("country:RU",), "recipient": ("country:KP",)}),
                          rec(roles={"supplier": ("country:IR",), "recipient": ("country:RU",)})])
    assert len(events) == 3


def test_a_state_stands_for_its_own_organs_in_the_key() -> None:
    with_ministry = rec(roles={"supplier": ("country:KP",),
                               "recipient": ("country:RU", "organization:russian-mod")},
                        acts_for={"organization:russian-mod": "RU"})
    row = only(consolidate([rec(), with_ministry]))
    assert ("recipient", "country:RU") in row["roles"]
    assert ("recipient", "organization:russian-mod") not in row["roles"]


def test_unrelated_items_split_and_generic_weapons_join_the_main_deal() -> None:
    events = consolidate([rec(items=("ammunition", "artillery")), rec(items=("artillery",)),
                          rec(items=("troops",)), rec(items=("weapons",)), rec(items=())])
    rows = sorted((e.to_row() for e in events), key=lambda r: -r["facts"])
    assert [r["facts"] for r in rows] == [4, 1]
    assert rows[1]["items"] == ["troops"]


def test_reports_far_apart_in_time_are_different_events() -> None:
    contact = {"participant": ("country:KP", "country:RU")}
    events = consolidate([
        rec(type="diplomatic_contact", roles=contact, stage=None, items=(), kind="visit",
            published="2023-09-13"),
        rec(type="diplomatic_contact", roles=contact, stage=None, items=(), kind="meeting",
            published="2023-09-15"),
        rec(type="diplomatic_contact", roles=contact, stage=None, items=(), kind="visit",
            published="2024-06-19"),
        rec(type="diplomatic_contact", roles=contact, stage=None, items=(), kind="visit", published=None),
    ])
    assert sorted(e.to_row()["facts"] for e in events) == [1, 3]


def test_the_same_facts_give_the_same_events_in_any_order() -> None:
    facts = [rec(), rec(stage="agreed", published="2023-01-01"), rec(factuality="negated"),
             rec(roles={"supplier": ("country:IR",), "recipient": ("country:RU",)}, items=("drones",))]
    first = [e.to_row() for e in consolidate(facts)]
    again = [e.to_row() for e in consolidate(list(reversed(facts)))]
    assert first == again
    assert len({r["id"] for r in first}) == len(first)

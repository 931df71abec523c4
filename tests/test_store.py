"""The store on SQLite and PostgreSQL: schema, documents, facts, errors, stories, events."""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from armswatch.analysis.stories import signature
from armswatch.model import Document, Entity, Evidence, Fact
from armswatch.store import Store
from armswatch.store import schema as t

TEXT = ("North Korea has delivered more than a million artillery shells to Russia since August, "
        "South Korea's intelligence service said on Wednesday, citing satellite imagery of rail "
        "traffic between the two countries and the Tumangang border station.")


def add(store: Store, text: str, *, name: str = "doc", **fields: str) -> str:
    document = Document(doc_id=name, text=text, **fields)
    return store.add_document(document, origin="text", run_id=None,
                              signature=signature(text)).document_id


def a_fact(doc_id: str, text: str = TEXT) -> Fact:
    end = text.index(".") + 1 if "." in text else len(text)
    return Fact(type="arms_transfer",
                roles={"supplier": (Entity("North Korea", "country", "KP"),),
                       "recipient": (Entity("Russian Ministry of Defence", "organization", "RU"),
                                     Entity("Russia", "country", "RU"))},
                stage="delivered", items=("ammunition",), quantities=("a million artillery shells",),
                source=(Entity("South Korea's intelligence service", "organization", "KR"),),
                evidence=(Evidence(text[:end], 0, end),), doc_id=doc_id)


def test_migrations_create_exactly_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), t.metadata)
    assert diff == []


def test_opening_twice_migrates_once_and_keeps_data(db_url: str) -> None:
    with Store.open(db_url) as first:
        add(first, TEXT)
    with Store.open(db_url) as second:
        assert second.counts()["documents"] == 1


def test_the_same_text_is_stored_once(store: Store) -> None:
    first = store.add_document(Document(doc_id="a", text=TEXT), origin="file", run_id=None,
                               signature=signature(TEXT))
    again = store.add_document(Document(doc_id="b", text=TEXT, url="https://example.org/b"),
                               origin="url", run_id=None, signature=signature(TEXT))
    assert first.created and not again.created
    assert again.document_id == first.document_id
    assert store.counts()["documents"] == 1


def test_unusual_fields_are_kept_whole(store: Store) -> None:
    long_text = ("Iran sent drones to Russia. " * 40000) + "Ωμέγα Ж 북한 ﻣﺴﻴّﺮات 🚀 \u202eRTL\u202c end"
    odd_title = "Title with <tags> & 'quotes' \"double\" \\ backslash; DROP TABLE facts; --" * 50
    doc_id = add(store, long_text, title=odd_title, url="https://example.org/" + "a" * 3000,
                 published="2024-02-29T23:59:59+09:00", author="Ким Чен Ын")
    with store.engine.connect() as conn:
        row = conn.execute(select(t.documents).where(t.documents.c.id == doc_id)).one()
    assert row.text == long_text
    assert row.title == odd_title
    assert row.url.endswith("a" * 3000)
    assert row.published == "2024-02-29"
    assert row.author == "Ким Чен Ын"


def test_nul_and_lone_surrogates_are_replaced_one_for_one(store: Store) -> None:
    text = "Before\x00after \ud800 and the rest."
    doc_id = add(store, text)
    with store.engine.connect() as conn:
        stored = conn.execute(select(t.documents.c.text).where(t.documents.c.id == doc_id)).scalar_one()
    assert stored == "Before\ufffdafter \ufffd and the rest."
    assert len(stored) == len(text)


def test_facts_land_with_roles_evidence_and_entities_once(store: Store) -> None:
    doc_id = add(store, TEXT)
    fact = a_fact(doc_id)
    assert store.save_facts(doc_id, [fact, fact], extractor_version="t", run_id=None)
    assert not store.save_facts(doc_id, [fact], extractor_version="t", run_id=None)
    counts = store.counts()
    assert (counts["facts"], counts["evidence"], counts["documents_done"]) == (1, 1, 1)
    with store.engine.connect() as conn:
        roles = conn.execute(select(t.fact_roles.c.role, t.fact_roles.c.entity_id)
                             .order_by(t.fact_roles.c.role, t.fact_roles.c.position)).all()
        evidence = conn.execute(select(t.evidence)).one()
    assert [tuple(r) for r in roles] == [("recipient", "organization:russian-ministry-of-defence"),
                                         ("recipient", "country:RU"), ("supplier", "country:KP")]
    assert TEXT[evidence.start:evidence.end] == evidence.text


def test_errors_are_recorded_once_per_input_and_reason(store: Store) -> None:
    run_id = store.start_run("test")
    assert store.record_error("bad.pdf", stage="read", reason="cannot read the PDF", run_id=run_id)
    assert not store.record_error("bad.pdf", stage="read", reason="cannot read the PDF", run_id=run_id)
    assert store.record_error("bad.pdf", stage="read", reason="the file is empty", run_id=run_id)
    assert store.counts()["ingest_errors"] == 2
    assert store.finish_run(run_id, status="completed")["errors"] == 2


def test_a_failed_document_keeps_its_reason_and_can_be_retried(store: Store) -> None:
    doc_id = add(store, TEXT)
    store.mark_failed(doc_id, "extractor error: boom", run_id=None)
    assert store.counts()["documents_failed"] == 1
    assert store.pending_documents(limit=10) == []
    assert store.retry_failed() == 1
    assert [p.id for p in store.pending_documents(limit=10)] == [doc_id]


def test_near_duplicates_share_a_story_and_other_texts_do_not(store: Store) -> None:
    wire = (TEXT + " The shipments began in August 2023, according to officials in Seoul, who said "
            "the containers were loaded at Rajin and carried by Russian-flagged ships to Dunai. "
            "Pyongyang and Moscow have both denied the transfers.")
    copy = "Reuters | World | " + wire.replace("Wednesday", "Thursday") + " Reporting by Staff."
    other = ("The European Union adopted its fourteenth package of sanctions against Russia, "
             "listing 116 people and entities, including Chinese firms that supply drone parts.")
    first, second, third = add(store, wire), add(store, copy), add(store, other)
    with store.engine.connect() as conn:
        stories = dict(conn.execute(select(t.documents.c.id, t.documents.c.story_id)).tuples().all())
    assert stories[first] == stories[second] == first
    assert stories[third] == third


@pytest.mark.parametrize("threads", [4])
def test_racing_writers_store_each_document_once(db_url: str, threads: int) -> None:
    stores = [Store.open(db_url) for _ in range(threads)]
    doc_id = add(stores[0], TEXT)
    wins: list[bool] = []
    added: list[bool] = []
    other = TEXT.replace("Wednesday", "Friday")

    def work(store: Store) -> None:
        wins.append(store.save_facts(doc_id, [a_fact(doc_id)], extractor_version="t", run_id=None))
        added.append(store.add_document(Document(doc_id="x", text=other), origin="text", run_id=None,
                                        signature=signature(other)).created)

    workers = [threading.Thread(target=work, args=(s,)) for s in stores]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(wins) == [False] * (threads - 1) + [True]
    assert sorted(added) == [False] * (threads - 1) + [True]
    counts = stores[0].counts()
    assert (counts["documents"], counts["facts"]) == (2, 1)
    for s in stores:
        s.close()


def test_events_are_replaced_whole(store: Store) -> None:
    doc_id = add(store, TEXT)
    fact = a_fact(doc_id)
    store.save_facts(doc_id, [fact], extractor_version="t", run_id=None)
    row = {"id": "e-1", "type": "arms_transfer", "stage": "delivered", "kind": None,
           "status": "reported", "contradicted": False, "items": ["ammunition"], "designations": [],
           "quantities": [], "stage_history": [], "factuality": {"asserted": 1}, "first_reported": None,
           "last_reported": None, "event_dates": [], "documents": 1, "stories": 1, "sources": 1,
           "facts": 1, "roles": [("supplier", "country:KP")], "fact_ids": [fact.id]}
    assert store.replace_events([row]) == 1
    assert store.replace_events([{**row, "id": "e-2"}]) == 1
    with store.engine.connect() as conn:
        assert conn.execute(select(t.events.c.id)).scalars().all() == ["e-2"]
        assert conn.execute(select(t.event_facts.c.event_id)).scalars().all() == ["e-2"]

"""On the real dev documents: the register and the contradictions an analyst expects.

North Korea -> Russia is reported delivered by several independent stories,
and North Korea's denials stand against those reports as a contradiction.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from armswatch import service
from armswatch.nlp.extractor import Extractor
from armswatch.pipeline import Pipeline
from armswatch.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dev_store(dev_dir: Path, extractor: Extractor, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    store = Store.open(str(tmp_path_factory.mktemp("dev") / "dev.db"))
    summary = Pipeline(store, extractor=extractor).run([str(dev_dir / "docs")],
                                                       meta=str(dev_dir / "meta.jsonl"))
    assert summary.errors == [] and summary.documents_extracted == len(list((dev_dir / "docs").iterdir()))
    yield store
    store.close()


def test_north_korea_to_russia_is_delivered_and_corroborated(dev_store: Store) -> None:
    rows = service.register(dev_store, supplier="North Korea", recipient="Russia")
    assert rows, "no North Korea -> Russia deal in the register"
    main = max(rows, key=lambda r: r["stories"])
    assert main["supplier"] == ["KP"] and main["recipient"] == ["RU"]
    assert main["stage"] == "delivered"
    assert main["stories"] >= 5 and main["sources"] >= 5
    assert "ammunition" in main["items"]
    assert [h["stage"] for h in main["stage_history"]][-1] == "delivered"
    assert main["first_reported"] is not None and main["first_reported"] <= main["last_reported"]


def test_north_korean_denials_contradict_the_reports(dev_store: Store) -> None:
    events = service.contradictions(dev_store, supplier="KP", recipient="RU")
    assert events
    denials = [f for e in events for f in e["denied"]]
    assert len(denials) >= 2
    for fact in denials:
        assert fact["factuality"] == "negated"
        assert any(e["country"] == "KP" for e in fact["source"]) or \
            any(e["country"] == "KP" for ents in fact["roles"].values() for e in ents)
    assert any("denie" in f["evidence"][0]["text"].lower() for f in denials)
    for event in events:
        assert len(event["asserted"]) > len(event["denied"])  # many report, one side denies


def test_facts_carry_their_document_and_publication_date(dev_store: Store) -> None:
    facts = service.facts(dev_store, actor="KP", since="2023-01-01", limit=500)
    assert facts and all(f["document"]["published"] >= "2023-01-01" for f in facts)
    assert all(f["document"]["url"].startswith("http") for f in facts)


def test_event_dates_come_from_the_text_read_against_publication(dev_store: Store) -> None:
    dated = [f for f in service.facts(dev_store, limit=1000) if f["event_date"]]
    assert len(dated) >= 5
    for fact in dated:
        published = fact["document"]["published"]
        assert fact["dates"], fact
        if published:  # a date the text gives is not after the report (a planned one may be)
            assert fact["event_date"][:4] <= published[:4] or fact["stage"] in ("sought", None)
    events = service.events(dev_store, limit=1000)
    assert any(e["event_dates"] for e in events)

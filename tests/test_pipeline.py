"""The monitoring job end to end: files, pages and feeds into a store, twice, with bad inputs.

Runs on SQLite and PostgreSQL (the ``db_url`` fixture), with the real
extractor and a real HTTP server on 127.0.0.1 for pages and feeds.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from httpserver import HTTPTestServer, http_server_fixture  # noqa: F401
from sqlalchemy import select

from armswatch import service
from armswatch.nlp.extractor import Extractor
from armswatch.pipeline import Pipeline
from armswatch.store import Store
from armswatch.store import schema as t

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
pytestmark = pytest.mark.slow


def snapshot(store: Store) -> dict[str, object]:
    """Everything a rerun must reproduce exactly (not runs or timestamps)."""
    with store.engine.connect() as conn:
        return {
            "documents": sorted(conn.execute(select(t.documents.c.id, t.documents.c.status,
                                                    t.documents.c.story_id)).tuples().all()),
            "facts": sorted(conn.execute(select(t.facts.c.id, t.facts.c.document_id)).tuples().all()),
            "evidence": sorted(conn.execute(select(t.evidence.c.fact_id, t.evidence.c.start,
                                                   t.evidence.c.end)).tuples().all()),
            "roles": sorted(conn.execute(select(t.fact_roles.c.fact_id, t.fact_roles.c.role,
                                                t.fact_roles.c.entity_id)).tuples().all()),
            "events": sorted(conn.execute(select(t.events.c.id, t.events.c.stage,
                                                 t.events.c.stories)).tuples().all()),
            "event_facts": sorted(conn.execute(select(t.event_facts)).tuples().all()),
        }


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


def hostile_files(folder: Path) -> dict[str, str]:
    """Bad inputs beside the good ones, and a word each that their error must contain."""
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.txt").write_bytes(b"North Korea shipped shells. " * 60_000)  # > 1 MB
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated")
    (folder / "garbage.pdf").write_bytes(b"this is not a PDF at all")
    (folder / "broken.html").write_bytes(b"<html><head><title>x</title></head><body><script>"
                                         b"</script></body>")
    return {"binary.txt": "binary", "empty.txt": "empty", "huge.txt": "limit",
            "broken.pdf": "pdf", "garbage.pdf": "pdf", "broken.html": "no text"}


def pipeline(store: Store, extractor: Extractor, **settings: int) -> Pipeline:
    return Pipeline(store, settings=replace(extractor.settings, **settings), extractor=extractor)


def test_files_land_bad_ones_are_recorded_and_a_rerun_adds_nothing(
        db_url: str, corpus: Path, extractor: Extractor) -> None:
    expected_errors = hostile_files(corpus)
    with Store.open(db_url) as store:
        first = pipeline(store, extractor, max_file_bytes=1024 * 1024).run([str(corpus)])
        assert first.documents_added == 10 and first.documents_extracted == 10
        assert first.facts_added >= 5 and first.events >= 4
        failed = {Path(source).name: reason for source, reason in first.errors}
        assert set(failed) == set(expected_errors)
        for name, word in expected_errors.items():
            assert word in failed[name].lower(), (name, failed[name])
        counts = store.counts()
        assert counts["ingest_errors"] == len(expected_errors)
        before = snapshot(store)

        second = pipeline(store, extractor, max_file_bytes=1024 * 1024).run([str(corpus)])
        assert (second.documents_added, second.documents_extracted, second.facts_added) == (0, 0, 0)
        assert second.duplicates == 10
        assert snapshot(store) == before
        assert store.counts()["ingest_errors"] == len(expected_errors)
        runs = store.counts()["runs"]
        assert runs == 2


def test_sidecar_metadata_and_duplicates(db_url: str, tmp_path: Path, extractor: Extractor) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    wire = (SAMPLES / "03-wh-kirby-gaggle-iran-uavs-crimea.txt").read_text()
    (folder / "a.txt").write_text(wire)
    (folder / "b.txt").write_text(wire)  # the same text twice
    (folder / "c.txt").write_text("SITE HEADER | Subscribe now\n" + wire.replace("Kirby", "Kirby")
                                  + "\nCopyright 2024 Some Site. All rights reserved.")
    (folder / "meta.jsonl").write_text(
        json.dumps({"doc_id": "a", "url": "https://a.example/story", "published": "2022-10-20"}) + "\n"
        + json.dumps({"file": "c.txt", "url": "https://c.example/x", "published": "2022-10-21",
                      "source": "C News"}) + "\n")
    with Store.open(db_url) as store:
        summary = pipeline(store, extractor).run([str(folder)])
        assert (summary.documents_added, summary.duplicates) == (2, 1)
        with store.engine.connect() as conn:
            rows = conn.execute(select(t.documents.c.name, t.documents.c.url, t.documents.c.published,
                                       t.documents.c.source, t.documents.c.story_id)
                                .order_by(t.documents.c.name)).all()
        assert [(r.name, r.url, r.published, r.source) for r in rows] == [
            ("a", "https://a.example/story", "2022-10-20", None),
            ("c", "https://c.example/x", "2022-10-21", "C News")]
        assert rows[0].story_id == rows[1].story_id  # one wire story on two sites
        events = service.events(store, type="arms_transfer")
        assert events and all(e["stories"] == 1 for e in events)
        assert any(e["sources"] == 2 and e["documents"] == 2 for e in events)


def test_an_extractor_failure_is_recorded_and_the_rest_go_on(
        db_url: str, corpus: Path, extractor: Extractor) -> None:
    class Exploding(Extractor):
        """The real extractor, failing on one document as a bug would."""

        def __init__(self, real: Extractor) -> None:
            self.settings, self.nlp, self.facts = real.settings, real.nlp, real.facts

        def extract_documents(self, documents):  # type: ignore[no-untyped-def]
            documents = list(documents)
            if any("EXPLODE" in d.text for d in documents):
                raise RuntimeError("boom")
            return super().extract_documents(documents)

    (corpus / "bad.txt").write_text("Russia bought drones from Iran. EXPLODE")
    with Store.open(db_url) as store:
        summary = Pipeline(store, extractor=Exploding(extractor)).run([str(corpus)])
        assert summary.documents_extracted == 10
        assert summary.errors == [("bad", "extractor error: RuntimeError: boom")]
        counts = store.counts()
        assert (counts["documents_done"], counts["documents_failed"]) == (10, 1)


def test_pages_and_feeds_from_a_local_server(db_url: str, http_server: HTTPTestServer,
                                             extractor: Extractor) -> None:
    texts = {name: (SAMPLES / name).read_text() for name in sorted(p.name for p in SAMPLES.glob("0[3-5]*"))}
    for i, text in enumerate(texts.values()):
        paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
        http_server.route(f"/news/{i}", f"<html><head><title>Story {i}</title>"
                          f'<meta property="article:published_time" content="2024-03-0{i + 1}">'
                          f"</head><body><nav>Home | World</nav><article>{paragraphs}</article>"
                          f"<footer>(c) Example News</footer></body></html>",
                          headers={"Content-Type": "text/html; charset=utf-8"})
    http_server.route("/gone", "no", status=404)

    def feed(entries: list[int]) -> str:
        items = "".join(f"<item><title>Story {i}</title><link>{http_server.url(f'/news/{i}')}</link>"
                        f"<guid>story-{i}</guid><pubDate>Fri, 0{i + 1} Mar 2024 10:00:00 GMT</pubDate>"
                        "</item>" for i in entries)
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title>'
                f"<link>{http_server.url('/')}</link>{items}</channel></rss>")

    http_server.route("/feed.xml", feed([0, 1]), headers={"Content-Type": "application/rss+xml",
                                                          "ETag": '"v1"'})
    with Store.open(db_url) as store:
        first = pipeline(store, extractor).run([http_server.url("/news/2"), http_server.url("/gone")])
        assert first.documents_added == 1
        assert [reason for _, reason in first.errors] and "404" in first.errors[0][1]

        feed_id, new = store.add_feed(http_server.url("/feed.xml"))
        assert new
        polled = pipeline(store, extractor).run([], poll=True)
        assert (polled.feeds_polled, polled.documents_added) == (1, 2)
        assert http_server.hits("/news/0") == 1

        again = pipeline(store, extractor).run([], poll=True)  # 304: nothing fetched
        assert again.documents_added == 0
        assert http_server.hits("/news/0") == 1
        assert store.list_feeds()[0]["last_status"] == "not modified"

        http_server.route("/feed.xml", feed([0, 1, 2]), headers={"Content-Type": "application/rss+xml",
                                                                 "ETag": '"v2"'})
        third = pipeline(store, extractor).run([], poll=True)
        # story 2 was ingested by URL before: the entry is recognised, not fetched again
        assert (third.documents_added, third.duplicates) == (0, 1)
        assert http_server.hits("/news/2") == 1
        with store.engine.connect() as conn:
            rows = conn.execute(select(t.documents.c.url, t.documents.c.title, t.documents.c.published,
                                       t.documents.c.origin).order_by(t.documents.c.url)).all()
        assert [r.url for r in rows] == [http_server.url(f"/news/{i}") for i in range(3)]
        assert [r.origin for r in rows] == ["feed", "feed", "url"]
        assert rows[0].published == "2024-03-01" and rows[0].title == "Story 0"
        assert store.list_feeds()[0]["entries"] == 3

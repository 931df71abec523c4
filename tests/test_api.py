"""The REST API through an in-process ASGI client, over a store filled by a real run.

The store holds the ten bundled samples, a hostile document full of markup,
and two versions of the bundled OFAC SDN snapshot; every endpoint, its
filters, pagination, access control and bad parameters are checked, on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLES, database
from fastapi.testclient import TestClient
from httpserver import HTTPTestServer, http_server_fixture  # noqa: F401

from armswatch.api.app import create_app
from armswatch.api.totals import Totals
from armswatch.exports.records import REGISTER_COLUMNS
from armswatch.pipeline import Pipeline
from armswatch.sanctions.lists import import_lists
from armswatch.settings import Settings
from armswatch.store import Store

pytestmark = pytest.mark.slow
TOKEN = "test-token-0123456789abcdef"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile" / "script-tags.txt"
SDN = SAMPLES / "sanctions" / "ofac_sdn_2024-05-03.csv.gz"


def _second_sdn_version(folder: Path) -> Path:
    """The SDN snapshot with its first entry removed and its second renamed."""
    lines = gzip.decompress(SDN.read_bytes()).decode("latin-1").splitlines(keepends=True)
    assert lines[1].startswith('173,"ANGLO-CARIBBEAN CO., LTD."')
    lines[1] = lines[1].replace("ANGLO-CARIBBEAN CO., LTD.", "ANGLO-CARIBBEAN TRADING CO., LTD.")
    path = folder / "sdn_next.csv"
    path.write_text("".join(lines[1:]), encoding="latin-1")
    return path


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def filled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           extractor: Any) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("api")
    with database(request.param, folder) as url:
        store = Store.open(url)
        docs = folder / "docs"
        shutil.copytree(SAMPLES, docs, ignore=shutil.ignore_patterns("*.md", "sanctions"))
        shutil.copy(HOSTILE, docs / HOSTILE.name)
        settings = Settings(db=url)
        import_lists(store, [str(SDN)], settings=settings)
        import_lists(store, [str(_second_sdn_version(folder))], list_name="us_ofac_sdn", settings=settings)
        summary = Pipeline(store, settings=settings, extractor=extractor).run([str(docs)])
        assert summary.documents_added == 11 and not summary.errors, summary.errors
        yield store
        store.close()


@pytest.fixture(scope="module")
def client(filled: Store, extractor: Any) -> Iterator[TestClient]:
    app = create_app(Settings(db=filled.url, api_token=TOKEN), store=filled, warm=False)
    app.state.pipeline = Pipeline(filled, settings=Settings(db=filled.url), extractor=extractor)
    with TestClient(app) as c:
        yield c


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.text)
    return response.json()


def page_through(client: TestClient, url: str, size: int) -> list[dict[str, Any]]:
    sep = "&" if "?" in url else "?"
    items: list[dict[str, Any]] = []
    first = get(client, f"{url}{sep}limit={size}")
    for offset in range(0, first["total"], size):
        page = get(client, f"{url}{sep}limit={size}&offset={offset}")
        assert page["total"] == first["total"] and page["limit"] == size and page["offset"] == offset
        assert len(page["items"]) == min(size, first["total"] - offset)
        items.extend(page["items"])
    return items


# -- reads ------------------------------------------------------------------------------------

def test_health_and_security_headers(client: TestClient) -> None:
    response = client.get("/api/health")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["writes"] is True and body["reads"] == "open"
    assert get(client, "/api/stats")["counts"]["documents"] == 11
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    paths = get(client, "/openapi.json")["paths"]
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/facts", "/api/events",
                 "/api/events/{event_id}", "/api/register", "/api/contradictions", "/api/entities",
                 "/api/entities/{entity_id}", "/api/entities/{entity_id}/graph", "/api/network",
                 "/api/lists", "/api/lists/{name}/diff", "/api/screen", "/api/ingest", "/api/feeds",
                 "/api/health", "/api/stats"):
        assert path in paths, path
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger-ui-bundle.js" in docs.text and "cdn" not in docs.text.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_documents_paginate_search_and_hold_exact_evidence(client: TestClient) -> None:
    docs = page_through(client, "/api/documents", 4)
    assert len(docs) == 11 and len({d["id"] for d in docs}) == 11
    published = [d["published"] for d in docs if d["published"]]
    assert published == sorted(published, reverse=True)
    found = get(client, "/api/documents?q=kirby")["items"]
    assert [d["name"] for d in found] == ["03-wh-kirby-gaggle-iran-uavs-crimea"]
    assert get(client, "/api/documents?status=failed")["total"] == 0
    hostile = get(client, "/api/documents?q=script-tags")["items"][0]
    detail = get(client, f"/api/documents/{hostile['id']}")
    assert "<script>" in detail["text"]  # stored as written: escaping is the renderer's job
    assert len(detail["facts"]) == 2
    for fact in detail["facts"]:
        for ev in fact["evidence"]:
            assert detail["text"][ev["start"]:ev["end"]] == ev["text"]
    assert get(client, "/api/documents/script-tags")["id"] == hostile["id"]  # by name too
    assert "no document" in get(client, "/api/documents/nope", 404)["detail"]


def test_facts_filters_and_pages(client: TestClient) -> None:
    everything = page_through(client, "/api/facts", 3)
    assert len({f["id"] for f in everything}) == len(everything) == get(client, "/api/facts")["total"]
    transfers = get(client, "/api/facts?type=arms_transfer&limit=500")["items"]
    assert transfers and all(f["type"] == "arms_transfer" for f in transfers)
    for name in ("IR", "Iran", "Iranian", "country:IR"):
        iran = get(client, f"/api/facts?actor={name}")["items"]
        assert iran and all(any(e["country"] == "IR" for es in f["roles"].values() for e in es) for f in iran)
    denied = get(client, "/api/facts?factuality=negated")["items"]
    assert denied and all(f["factuality"] == "negated" for f in denied)
    one = get(client, f"/api/facts/{denied[0]['id']}")
    assert one["id"] == denied[0]["id"] and one["events"]
    assert get(client, "/api/facts?since=2999-01-01")["total"] == 0


@pytest.mark.parametrize(("url", "where", "says"), [
    ("/api/facts?actor=Atlantis", ["query"], "Atlantis: no state, person or organisation"),
    ("/api/facts?type=picnic", ["query", "type"], "Input should be"),
    ("/api/facts?limit=0", ["query", "limit"], "greater than or equal to 1"),
    ("/api/facts?limit=501", ["query", "limit"], "less than or equal to 500"),
    ("/api/facts?offset=-1", ["query", "offset"], "greater than or equal to 0"),
    ("/api/facts?since=yesterday", ["query", "since"], "should match pattern"),
    ("/api/register?sort=cheapest", ["query", "sort"], "should match pattern"),
    ("/api/register?format=xml", ["query", "format"], "'json' or 'csv'"),
    ("/api/events?contradicted=perhaps", ["query", "contradicted"], "valid boolean"),
    ("/api/entities?kind=alien", ["query", "kind"], "Input should be"),
    ("/api/network?type=war", ["query"], "unknown event type"),
])
def test_bad_parameters_are_422_with_a_clear_message(client: TestClient, url: str, where: list[str],
                                                     says: str) -> None:
    detail = get(client, url, 422)["detail"]
    assert detail[0]["loc"][:len(where)] == where
    assert says in detail[0]["msg"], detail


def test_register_filters_sort_and_csv(client: TestClient) -> None:
    rows = get(client, "/api/register?supplier=Iran&recipient=RU")["items"]
    assert rows and all(r["supplier"] == ["IR"] and r["recipient"] == ["RU"] for r in rows)
    assert any(r["stage"] == "delivered" and "drones" in r["items"] for r in rows)
    drones = get(client, "/api/register?item=drone")["items"]
    assert drones and all(any("drone" in i for i in r["items"]) for r in drones)
    shahed = get(client, "/api/register?item=Shahed")["items"]
    assert shahed and all(any("Shahed" in d for d in r["designations"]) for r in shahed)
    nothing = {"items": [], "total": 0, "limit": 50, "offset": 0}
    assert get(client, "/api/register?since=2999-01-01") == nothing

    by_stories = get(client, "/api/register?sort=-stories")["items"]
    assert [r["stories"] for r in by_stories] == sorted((r["stories"] for r in by_stories), reverse=True)
    by_stage = [r["stage"] for r in get(client, "/api/register?sort=stage")["items"]]
    order = ["sought", "negotiating", "agreed", "delivered"]
    assert by_stage == sorted(by_stage, key=lambda s: order.index(s) if s in order else -1)

    all_rows = get(client, "/api/register?limit=1000")
    response = client.get("/api/register?format=csv&limit=1000")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(response.text)))
    assert tuple(table[0]) == REGISTER_COLUMNS and len(table) == all_rows["total"] + 1
    assert {r[-1] for r in table[1:]} == {r["event_id"] for r in all_rows["items"]}


def test_events_and_contradictions(client: TestClient) -> None:
    events = page_through(client, "/api/events", 2)
    assert {e["type"] for e in events} >= {"arms_transfer", "sanction"}
    contradicted = get(client, "/api/events?contradicted=true")["items"]
    assert contradicted and all(e["contradicted"] for e in contradicted)
    detail = get(client, f"/api/events/{contradicted[0]['id']}")
    stances = {f["stance"] for f in detail["supporting_facts"]}
    assert "denying" in stances and stances - {"denying"}
    assert detail["source_list"] and all(s["documents"] for s in detail["source_list"])
    both = get(client, "/api/contradictions")["items"]
    assert both and all(c["asserted"] and c["denied"] for c in both)
    assert all(f["factuality"] == "negated" for c in both for f in c["denied"])
    assert get(client, "/api/events/e-nothing", 404)


def test_entities_with_sanctions_explained_and_graphs(client: TestClient) -> None:
    found = get(client, "/api/entities?q=mkrtychev")["items"]
    assert [e["id"] for e in found] == ["person:ashot-mkrtychev"]
    match = found[0]["sanctions"][0]
    assert match["list"] == "us_ofac_sdn" and match["entry_id"] == "41736" and "DPRK" in match["programs"]
    assert "matches listed name 'MKRTYCHEV, Ashot'" in match["explanation"] and match["features"]
    listed = get(client, "/api/entities?sanctioned=true")["items"]
    assert listed and all(e["sanctions"] for e in listed)
    states = get(client, "/api/entities?kind=country&limit=500")["items"]
    assert {"country:IR", "country:RU"} <= {e["id"] for e in states}
    assert all(not e["sanctions"] for e in get(client, "/api/entities?sanctioned=false&limit=500")["items"])

    iran = get(client, "/api/entities/country:IR")
    assert iran["events"] and iran["facts"] and iran["fact_count"] >= len(iran["facts"])
    graph = get(client, "/api/entities/country:IR/graph")
    ids = {n["id"] for n in graph["nodes"]}
    assert "country:IR" in ids and graph["edges"]
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    assert all("country:IR" in (e["source"], e["target"]) for e in graph["edges"])
    assert get(client, "/api/entities/person:nobody", 404)
    assert get(client, "/api/entities/person:nobody/graph", 404)


def test_network_filters(client: TestClient) -> None:
    everything = get(client, "/api/network")
    assert everything["nodes"] and everything["edges"] and not everything["truncated"]
    transfers = get(client, "/api/network?type=arms_transfer&stage=delivered")
    assert transfers["edges"] and all(e["type"] == "arms_transfer" and e["stage"] == "delivered"
                                      for e in transfers["edges"])
    sanctions = get(client, "/api/network?type=sanction")
    assert all(e["type"] == "sanction" for e in sanctions["edges"])
    assert get(client, "/api/network?since=2999-01-01") == {"nodes": [], "edges": [], "truncated": False}


def test_lists_versions_and_diff(client: TestClient) -> None:
    versions = get(client, "/api/lists")
    assert [v["list"] for v in versions] == ["us_ofac_sdn", "us_ofac_sdn"]
    assert [v["current"] for v in versions] == [False, True]
    assert versions[0]["entry_count"] == 14965 and versions[1]["entry_count"] == 14964
    diff = get(client, "/api/lists/us_ofac_sdn/diff")
    assert (diff["old_version"], diff["new_version"]) == (versions[0]["id"], versions[1]["id"])
    assert diff["added"] == [] and [r["entry_id"] for r in diff["removed"]] == ["36"]
    assert [c["entry_id"] for c in diff["changed"]] == ["173"]
    assert get(client, f"/api/lists/us_ofac_sdn/diff?old={versions[1]['id']}&new={versions[0]['id']}"
               )["added"] == diff["removed"]
    assert "no list named" in get(client, "/api/lists/eu_nothing/diff", 404)["detail"]
    assert "has no version" in get(client, "/api/lists/us_ofac_sdn/diff?old=1&new=99", 404)["detail"]


def test_screen_one_name_and_a_batch(client: TestClient) -> None:
    one = client.post("/api/screen", json={"name": "Ashot Mkrtychev", "schema": "Person"}).json()
    assert one["entries"] == 14964 and len(one["results"]) == 1
    top = one["results"][0]["matches"][0]
    assert top["entry_id"] == "41736" and top["score"] >= 0.9 and top["explanation"]
    batch = client.post("/api/screen", json={"names": [
        {"name": "Mkrtychev Ashot"}, {"name": "Banco Nacional de Cuba", "schema": "Organization"},
        {"name": "Jane Q. Nobody-Here", "country": "Norway"}]}).json()
    assert [bool(r["matches"]) for r in batch["results"]] == [True, True, False]
    assert batch["results"][2]["query"] == {"name": "Jane Q. Nobody-Here", "country": "Norway"}


@pytest.mark.parametrize(("body", "says"), [
    ({}, "either 'name'"),
    ({"name": "A", "names": [{"name": "B"}]}, "not both"),
    ({"name": "   "}, "blank"),
    ({"names": [{"name": "X", "dob": "last year"}]}, "should match pattern"),
    ({"name": "X", "threshold": 2}, "less than or equal to 1"),
    ({"name": "X", "shoe_size": 44}, "Extra inputs are not permitted"),
])
def test_screen_refuses_bad_requests(client: TestClient, body: dict[str, Any], says: str) -> None:
    response = client.post("/api/screen", json=body)
    assert response.status_code == 422 and says in response.text


# -- writes and access control ----------------------------------------------------------------

def test_writes_need_the_token(client: TestClient) -> None:
    no_token = client.post("/api/feeds", json={"url": "https://example.org/feed.xml"})
    assert no_token.status_code == 401 and "need the API token" in no_token.json()["detail"]
    assert no_token.headers["www-authenticate"].startswith("Bearer")
    wrong = client.post("/api/feeds", json={"url": "https://example.org/feed.xml"},
                        headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 403
    assert client.post("/api/ingest", json={"urls": ["https://example.org/a"]}).status_code == 401
    assert client.delete("/api/feeds/1").status_code == 401
    assert get(client, "/api/stats")["counts"]["feeds"] == 0


def test_feeds_add_list_remove(client: TestClient) -> None:
    added = client.post("/api/feeds", json={"url": "https://example.org/feed.xml"}, headers=AUTH)
    assert added.status_code == 201 and added.json()["url"] == "https://example.org/feed.xml"
    again = client.post("/api/feeds", json={"url": "https://example.org/feed.xml"}, headers=AUTH)
    assert again.json()["id"] == added.json()["id"]
    assert [f["url"] for f in get(client, "/api/feeds")] == ["https://example.org/feed.xml"]
    bad = client.post("/api/feeds", json={"url": "file:///etc/passwd"}, headers=AUTH)
    assert bad.status_code == 422 and "not an http(s) URL" in bad.text
    assert client.delete(f"/api/feeds/{added.json()['id']}", headers=AUTH).status_code == 204
    assert client.delete(f"/api/feeds/{added.json()['id']}", headers=AUTH).status_code == 404
    assert get(client, "/api/feeds") == []


def test_ingest_urls_and_uploads(client: TestClient, http_server: HTTPTestServer) -> None:
    http_server.route("/report.html", "<html><head><title>Report</title></head><body><article><p>"
                    "Belarus has delivered tanks to Sudan, officials said on Monday. "
                    + "The report gives details of the shipments and the routes used. " * 5
                    + "</p></article></body></html>")
    before = get(client, "/api/stats")["counts"]["documents"]
    response = client.post("/api/ingest", json={"urls": [http_server.url("/report.html"),
                                                         http_server.url("/missing")]}, headers=AUTH)
    assert response.status_code == 200, response.text
    run = response.json()
    assert run["documents_added"] == 1 and len(run["errors"]) == 1 and "404" in run["errors"][0]["reason"]
    assert get(client, "/api/register?supplier=Belarus")["items"][0]["recipient"] == ["SD"]

    serbia = b"Serbia has sold howitzers to Armenia."
    files = [("files", ("../../../etc/evil report.txt", serbia, "text/plain")),
             ("files", ("empty.txt", b"   ", "text/plain"))]
    upload = client.post("/api/ingest", files=files, headers=AUTH)
    assert upload.status_code == 200, upload.text
    run = upload.json()
    assert run["documents_added"] == 1
    assert [e["input"] for e in run["errors"]] == ["empty.txt"] and "/tmp" not in upload.text
    assert get(client, "/api/documents?q=evil")["items"][0]["name"] == "evil_report"
    assert get(client, "/api/stats")["counts"]["documents"] == before + 2

    assert client.post("/api/ingest", json={"urls": ["ftp://x"]}, headers=AUTH).status_code == 422
    assert client.post("/api/ingest", content=b"nonsense", headers={**AUTH, "content-type":
                                                                   "application/json"}).status_code == 422
    assert client.post("/api/ingest", files={"other": ("a.txt", b"x")}, headers=AUTH).status_code == 422


def test_closed_reads_and_disabled_writes(filled: Store) -> None:
    closed = create_app(Settings(db=filled.url, api_token=TOKEN, api_read="token"), store=filled, warm=False)
    with TestClient(closed) as c:
        assert c.get("/api/health").status_code == 200
        assert c.get("/api/facts").status_code == 401
        assert c.get("/api/register", headers={"X-API-Token": "wrong-token-value"}).status_code == 403
        assert c.get("/api/register", headers={"X-API-Token": TOKEN}).status_code == 200
        assert c.get("/api/entities", headers=AUTH).status_code == 200
        assert c.post("/api/screen", json={"name": "x"}).status_code == 401
    read_only = create_app(Settings(db=filled.url), store=filled, warm=False)
    with TestClient(read_only) as c:
        assert c.get("/api/facts").status_code == 200
        refused = c.post("/api/feeds", json={"url": "https://example.org/f"}, headers=AUTH)
        assert refused.status_code == 403 and "writes are disabled" in refused.json()["detail"]


# -- the response cache -----------------------------------------------------------------------

def test_cache_serves_repeats_and_sees_every_write(filled: Store) -> None:
    app = create_app(Settings(db=filled.url, api_token=TOKEN, api_read="token"), store=filled, warm=False)
    other_process = Store.open(filled.engine.url.render_as_string(hide_password=False))  # as a CLI run
    try:
        with TestClient(app) as c:
            first = c.get("/api/feeds", headers=AUTH)
            again = c.get("/api/feeds", headers=AUTH)
            assert first.headers["x-cache"] == "miss" and again.headers["x-cache"] == "hit"
            assert again.json() == first.json() and "content-security-policy" in again.headers
            # a cached answer is never a way around the token
            assert c.get("/api/feeds").status_code == 401
            assert c.get("/api/feeds", headers={"X-API-Token": "wrong-token-value"}).status_code == 403
            unchanged = c.get("/api/feeds", headers={**AUTH, "If-None-Match": again.headers["etag"]})
            assert unchanged.status_code == 304
            # a write through this server shows at once
            added = c.post("/api/feeds", json={"url": "https://example.org/cache.xml"}, headers=AUTH)
            assert [f["url"] for f in c.get("/api/feeds", headers=AUTH).json()] == [added.json()["url"]]
            # a write by another process shows once the generation is read again (0.5 s)
            generation = filled.generation()
            other_process.remove_feed(str(added.json()["id"]))
            assert filled.generation() == generation + 1
            deadline = time.monotonic() + 5
            while c.get("/api/feeds", headers=AUTH).json() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert c.get("/api/feeds", headers=AUTH).json() == []
            assert again.json() == [] and c.get("/api/feeds", headers={
                **AUTH, "If-None-Match": again.headers["etag"]}).status_code == 304  # same content
    finally:
        other_process.close()


# -- the web pages, without a browser -------------------------------------------------------------

class Tags(HTMLParser):
    """The elements a page would make: names, event-handler attributes, script sources, links."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.handlers: list[tuple[str, str]] = []
        self.scripts: list[str | None] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self.scripts.append(dict(attrs).get("src"))
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def test_pages_escape_hostile_text_and_send_the_csp(client: TestClient) -> None:
    hostile = get(client, "/api/documents?q=script-tags")["items"][0]
    event = get(client, "/api/facts?document=script-tags")["items"][0]
    event_id = get(client, f"/api/facts/{event['id']}")["events"][0]
    for url in (f"/documents/{hostile['id']}", "/documents", "/", "/register", "/entities", "/network",
                f"/events/{event_id}", "/entities/country:IR"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "script-src 'self'" in page.headers["content-security-policy"]
        tags = Tags()
        tags.feed(page.text)
        assert not tags.handlers, (url, tags.handlers)  # no on...= attribute on any element
        assert "img" not in tags.names and "iframe" not in tags.names, url
        assert tags.scripts and all(src and src.startswith("/static/") for src in tags.scripts), url
        assert not any(href.lower().startswith("javascript:") for href in tags.hrefs), url
    document = client.get(f"/documents/{hostile['id']}").text
    tags = Tags()
    tags.feed(document)
    assert "svg" not in tags.names and "b" not in tags.names
    assert "&lt;script&gt;window.__pwned=5&lt;/script&gt;" in document
    assert any(f"onerror={q}window.__pwned=4{q}" in document for q in ("&#34;", "&quot;"))


def test_pages_for_unknown_ids_and_bad_filters(client: TestClient) -> None:
    missing = client.get("/events/e-nothing")
    assert missing.status_code == 404 and 'id="not-found"' in missing.text
    assert client.get("/entities/person:nobody").status_code == 404
    bad = client.get("/register?supplier=Atlantis")
    assert bad.status_code == 422 and "Atlantis" in bad.text


def test_totals_are_counted_once_while_the_store_is_unchanged(filled: Store) -> None:
    totals, calls = Totals(size=2), []

    def count() -> int:
        calls.append(1)
        return 7

    assert totals.get(filled, "facts?type=sanction", count) == 7
    assert totals.get(filled, "facts?type=sanction", count) == 7 and len(calls) == 1
    feed_id, _ = filled.add_feed("https://example.org/totals.xml")  # any write
    filled.remove_feed(str(feed_id))
    assert totals.get(filled, "facts?type=sanction", count) == 7 and len(calls) == 2
    for key in ("a", "b", "c"):  # bounded: the oldest go first
        totals.get(filled, key, count)
    assert totals.get(filled, "facts?type=sanction", count) == 7 and len(calls) == 6

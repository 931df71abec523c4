"""The web UI in real headless Chromium against a live ``armswatch serve``.

The store is filled by a real run over the bundled samples and a hostile
document (script tags, event handlers, a ``javascript:`` link), with the
bundled OFAC SDN snapshot imported. Each test does what an analyst would and
checks what a person would see; screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from browser_support import (  # noqa: F401
    browser_fixture,
    js_errors,
    live_server,
    page_fixture,
    screenshot,
)
from conftest import ROOT, SAMPLES
from playwright.sync_api import Page, expect

from armswatch.pipeline import Pipeline
from armswatch.sanctions.lists import import_lists
from armswatch.settings import Settings
from armswatch.store import Store

pytestmark = pytest.mark.slow
TOKEN = "browser-token-0123456789"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile" / "script-tags.txt"
SDN = SAMPLES / "sanctions" / "ofac_sdn_2024-05-03.csv.gz"
SLOW = 60_000  # ms: the first screening in a server process waits for the name library to load
# a fresh server spends its first seconds loading the name library for screening in a thread: its
# first pages can take a few seconds on a busy machine
expect.set_options(timeout=30_000)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> str:
    folder = tmp_path_factory.mktemp("browser")
    docs = folder / "docs"
    shutil.copytree(SAMPLES, docs, ignore=shutil.ignore_patterns("*.md", "sanctions"))
    shutil.copy(HOSTILE, docs / HOSTILE.name)
    db = str(folder / "store.db")
    with Store.open(db) as store:
        import_lists(store, [str(SDN)], settings=Settings(db=db))
        summary = Pipeline(store, settings=Settings(db=db), extractor=extractor).run([str(docs)])
    assert summary.documents_added == 11 and not summary.errors
    return db


@pytest.fixture(scope="module")
def base(store_path: str) -> Iterator[str]:
    with live_server(store_path, token=TOKEN) as url:
        yield url


def api(base: str, path: str) -> Any:
    response = httpx.get(base + path, trust_env=False, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def no_errors(page: Page) -> None:
    errors = js_errors(page)
    assert errors == [], "\n".join(map(str, errors))


def test_dashboard(page: Page, base: str) -> None:
    page.goto(base + "/")
    expect(page.locator("[data-count=documents]")).to_contain_text("11")
    assert page.locator("svg#month-chart rect.bar").count() > 0
    expect(page.locator("#sanctioned-actors")).to_contain_text("Ashot Mkrtychev")
    expect(page.locator("#sanctioned-actors")).to_contain_text("matches listed name 'MKRTYCHEV, Ashot'")
    assert page.locator("#latest-events tr").count() > 1
    screenshot(page, "dashboard")
    no_errors(page)


def test_register_filter_sort_and_open_an_event(page: Page, base: str) -> None:
    page.goto(base + "/register")
    everything = int(page.locator("#register-results").get_attribute("data-total") or 0)
    form = page.locator("#register-filters")
    form.locator("[name=supplier]").fill("Iran")
    form.locator("[name=recipient]").fill("Russia")
    form.locator("[type=submit]").click()
    expect(page).to_have_url(re.compile(r"supplier=Iran"))
    # htmx pushes the URL, then swaps the table in: wait for the new table
    expect(page.locator("#register-results")).not_to_have_attribute("data-total", str(everything))
    rows = page.locator("#register-table tbody tr[data-event]")
    expect(rows.first).to_be_visible()
    filtered = int(page.locator("#register-results").get_attribute("data-total") or 0)
    assert 0 < filtered < everything and rows.count() == filtered
    assert all("Iran" in text and "Russia" in text for text in rows.all_inner_texts())
    expected = {r["event_id"] for r in api(base, "/api/register?supplier=Iran&recipient=Russia")["items"]}
    assert {rows.nth(i).get_attribute("data-event") for i in range(rows.count())} == expected
    csv_link = page.locator("#register-csv").get_attribute("href") or ""
    assert "format=csv" in csv_link and "supplier=Iran" in csv_link
    assert httpx.get(base + csv_link, trust_env=False).text.count("\n") == filtered + 1

    page.locator("th a.sort[data-sort='-stories'], th a.sort[data-sort='stories']").first.click()
    expect(page).to_have_url(re.compile(r"sort=-?stories"))
    screenshot(page, "register-filtered")

    event_id = rows.first.get_attribute("data-event")
    rows.first.locator("a[href^='/events/']").first.click()
    expect(page.locator("#event-title")).to_have_attribute("data-event", event_id or "")
    assert page.locator("#stage-timeline li[data-stage]").count() >= 1
    event = api(base, f"/api/events/{event_id}")
    for fact in event["supporting_facts"]:
        marks = page.locator(f"#supporting-facts mark.evidence[data-fact='{fact['id']}']")
        assert marks.all_text_contents() == [e["text"] for e in fact["evidence"]]  # exactly the evidence
    assert page.locator("#sources-table tbody tr").count() == len(event["source_list"])
    screenshot(page, "event")
    no_errors(page)


def test_contradicted_event_shows_both_stances(page: Page, base: str) -> None:
    contradiction = api(base, "/api/contradictions")["items"][0]
    page.goto(f"{base}/events/{contradiction['id']}")
    stances = page.locator("#supporting-facts li.fact").evaluate_all("els => els.map(e => e.dataset.stance)")
    assert "denying" in stances and set(stances) - {"denying"}
    screenshot(page, "event-contradicted")
    no_errors(page)


def test_hostile_document_is_shown_as_text_with_its_evidence(page: Page, base: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    doc = api(base, "/api/documents?q=script-tags")["items"][0]
    detail = api(base, f"/api/documents/{doc['id']}")
    page.goto(f"{base}/documents/{doc['id']}")
    text = page.locator("#doc-text").text_content() or ""
    assert "<script>window.__pwned=5</script>" in text and 'onerror="window.__pwned=4"' in text
    assert page.evaluate("window.__pwned") is None and page.title() != "pwned" and dialogs == []
    # the page runs only its own scripts, and the markup of the text made no elements
    sources = page.locator("script").evaluate_all("els => els.map(e => e.getAttribute('src'))")
    assert sources and all(s and s.startswith("/static/") for s in sources)
    assert page.locator("#doc-text img, #doc-text svg, #doc-text script, #doc-text b").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    for fact in detail["facts"]:
        segments = page.locator(f"#doc-text mark.evidence[data-fact~='{fact['id']}']")
        shown = "".join(segments.all_text_contents())
        assert shown == "".join(e["text"] for e in fact["evidence"])
        assert page.locator(f"#document-facts #fact-{fact['id']}").count() == 1
    page.locator("#doc-text mark.evidence").first.hover()  # handlers in the text must not fire
    assert page.evaluate("window.__pwned") is None
    screenshot(page, "document-hostile")
    no_errors(page)


def test_entity_page_with_sanctions_and_graph(page: Page, base: str) -> None:
    page.goto(base + "/entities/person:ashot-mkrtychev")
    expect(page.locator("#entity-name")).to_contain_text("Ashot Mkrtychev")
    match = page.locator("#sanctions .match").first
    expect(match).to_contain_text("41736")
    expect(match).to_contain_text("DPRK")
    expect(match).to_contain_text("matches listed name 'MKRTYCHEV, Ashot'")
    graph = page.locator("#graph")
    expect(graph).to_have_attribute("data-ready", "1")
    assert int(graph.get_attribute("data-nodes") or 0) >= 2
    assert int(graph.get_attribute("data-edges") or 0) >= 1
    screenshot(page, "entity-sanctioned")

    page.goto(base + "/entities/" + quote("country:IR", safe=":"))
    expect(page.locator("#graph")).to_have_attribute("data-ready", "1")
    served = api(base, "/api/entities/country:IR/graph")
    assert int(page.locator("#graph").get_attribute("data-nodes") or 0) == len(served["nodes"])
    assert int(page.locator("#graph").get_attribute("data-edges") or 0) == len(served["edges"])
    drawn = page.evaluate("window.armswatchGraph.nodes().map(n => n.id())")
    assert "country:IR" in drawn and "country:RU" in drawn
    screenshot(page, "entity-graph")
    no_errors(page)


def test_network_page_filters(page: Page, base: str) -> None:
    page.goto(base + "/network")
    graph = page.locator("#graph")
    expect(graph).to_have_attribute("data-ready", "1")
    everything = api(base, "/api/network")
    assert int(graph.get_attribute("data-edges") or 0) == len(everything["edges"]) > 0
    screenshot(page, "network")
    sanctions = api(base, "/api/network?type=sanction")
    form = page.locator("#network-filters")
    for box in form.locator("input[name=type]").all():
        if box.get_attribute("value") != "sanction" and box.is_checked():
            box.uncheck()
    form.locator("input[name=type][value=sanction]").check()
    page.wait_for_function(f"document.querySelector('#graph').dataset.ready === '1' && "
                           f"document.querySelector('#graph').dataset.edges === '{len(sanctions['edges'])}'")
    kinds = page.evaluate("window.armswatchGraph.edges().map(e => e.data('type'))")
    assert set(kinds) <= {"sanction"}
    screenshot(page, "network-sanctions")
    no_errors(page)


def test_screening_a_name(page: Page, base: str) -> None:
    page.set_default_timeout(SLOW)
    page.goto(base + "/screen")
    form = page.locator("#screen-form")
    form.locator("[name=name]").fill("Mkrtychev, Ashot")
    form.locator("[type=submit]").click()
    results = page.locator("#screen-results li.screen-match")
    expect(results.first).to_be_visible(timeout=SLOW)
    assert results.first.get_attribute("data-entry") == "us_ofac_sdn:41736"
    expect(results.first.locator(".explanation")).to_contain_text("MKRTYCHEV, Ashot")
    screenshot(page, "screening")
    form = page.locator("#screen-form")
    form.locator("[name=name]").fill("Zzyzx Qwertyuiop")
    form.locator("[type=submit]").click()
    expect(page.locator("#no-matches")).to_be_visible()
    no_errors(page)


def test_closed_reads_ask_for_the_token(page: Page, store_path: str) -> None:
    with live_server(store_path, token=TOKEN, read="token") as closed:
        page.goto(closed + "/register")
        expect(page).to_have_url(re.compile(r"/login\?next="))
        page.locator("#login-form [name=token]").fill("not-the-right-token")
        page.locator("#login-form [type=submit]").click()
        expect(page.locator("#login-error")).to_be_visible()
        page.locator("#login-form [name=token]").fill(TOKEN)
        page.locator("#login-form [type=submit]").click()
        expect(page).to_have_url(re.compile(r"/register$"))
        expect(page.locator("#register-table")).to_be_visible()
        assert httpx.get(closed + "/api/register", trust_env=False).status_code == 401
    # a wrong token is answered 403: the console's failed-load line is expected, nothing else
    assert all("403" in e.text for e in js_errors(page)), js_errors(page)

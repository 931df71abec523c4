"""Pages of the web UI, and the static files they use.

Templates autoescape everything; the only scripts are this package's static
files (the Content-Security-Policy forbids inline ones), so text from the
reporting can never run in an analyst's browser. Highlighted text is built by
:mod:`armswatch.web.highlight`, which escapes every piece of it.

Pages read through the same functions as the JSON API (``armswatch.store.browse``
and ``armswatch.store.queries``) and obey the same read rule: when reads need
the token, a page without it redirects to ``/login``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Connection, select

import armswatch
from armswatch.api.deps import TOKEN_COOKIE, presented_token, token_ok
from armswatch.api.deps import get_settings as _settings
from armswatch.api.deps import get_store as _store
from armswatch.errors import InputError
from armswatch.model import TRANSFER_STAGES
from armswatch.store import browse, queries
from armswatch.store import schema as t
from armswatch.web import highlight

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)

ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
EVENT_TYPES = tuple(browse.EDGE_ROLES)
ENTITY_KINDS = ("country", "person", "organization", "group", "vessel")
SCREEN_SCHEMAS = ("Person", "Organization", "Company", "LegalEntity", "Vessel")
#: event types whose edges point from the first role to the second
DIRECTED = {k for k, (a, b) in browse.EDGE_ROLES.items() if a != b}
PAGE_SIZES = (25, 50, 100, 200)


def static(path: str) -> str:
    """The URL of a static file (relative to the site root, versioned against stale caches)."""
    return f"/static/{path}?v={armswatch.__version__}"


def urlid(value: object) -> str:
    """An id as a URL path segment (``:`` kept: ``country:KP``)."""
    return quote(str(value), safe=":")


def http_url(value: object) -> str | None:
    """``value`` if it is an http(s) URL fit for an href, else None (no ``javascript:``)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or any(ord(c) < 33 or c in "\"'<>\\`" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def qs(params: Mapping[str, Any], **changes: Any) -> str:
    """A query string (with ``?``) from ``params`` updated by ``changes``; empty values dropped."""
    merged = {**params, **changes}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, str(v)) for v in values if v is not None and v != "")
    return "?" + urlencode(pairs) if pairs else ""


def label(value: object) -> str:
    """A machine name for people: ``arms_transfer`` -> ``arms transfer``."""
    return str(value or "").replace("_", " ")


def party_name(entity: Mapping[str, Any]) -> str:
    return str(entity.get("name") or entity.get("id") or "")


def event_title(event: Mapping[str, Any]) -> str:
    """``Iran → Russia`` for an event (``A · B`` when its parties have the same role)."""
    roles = event.get("roles") or {}
    first, second = browse.EDGE_ROLES.get(str(event.get("type")), ("", ""))
    names = {role: [party_name(e) for e in roles.get(role, [])] for role in roles}
    if first and first != second and (names.get(first) or names.get(second)):
        text = f"{', '.join(names.get(first) or ['?'])} → {', '.join(names.get(second) or ['?'])}"
    elif first and names.get(first):
        text = " · ".join(names[first][:4]) + (" …" if len(names[first]) > 4 else "")
    else:
        text = " · ".join(n for ns in names.values() for n in ns[:2]) or "(no parties)"
    return text


templates.env.globals.update(static=static, qs=qs, DIRECTED=DIRECTED, TRANSFER_STAGES=TRANSFER_STAGES)
templates.env.filters.update(urlid=urlid, http_url=http_url, label=label, party=party_name,
                            event_title=event_title)


# -- access --------------------------------------------------------------------------------

class LoginRequired(Exception):
    """A page asked for without the token while reads need it: go to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def page_access(request: Request) -> None:
    """Pages follow the API's read rule; without a valid token they send you to /login."""
    settings = _settings(request)
    if settings.api_read == "token" and not token_ok(settings, presented_token(request)):
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(path)


pages = APIRouter(include_in_schema=False, dependencies=[Depends(page_access)])


def safe_next(value: str | None) -> str:
    """A local path to go back to after logging in (never another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value \
            or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "/"
    return value


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200,
           headers: Mapping[str, str] | None = None) -> HTMLResponse:
    settings = _settings(request)
    ctx = {"closed": settings.api_read == "token",
           "logged_in": settings.api_read == "token" and token_ok(settings, presented_token(request)),
           **context}
    return templates.TemplateResponse(request, name, ctx, status_code=status_code,
                                      headers=dict(headers or {}))


def not_found(request: Request, exc: browse.NotFound, what: str) -> HTMLResponse:
    return render(request, "404.html", {"what": what, "ident": exc.path, "reason": exc.reason},
                  status_code=404)


# -- parameters ------------------------------------------------------------------------------

class Params:
    """A page's query parameters, checked without raising: problems become messages."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    @staticmethod
    def text(value: str | None, limit: int = 200) -> str | None:
        value = (value or "").strip()
        return value[:limit] or None

    def date(self, name: str, value: str | None) -> str | None:
        value = self.text(value, 10)
        if value and not ISO_DATE.match(value):
            self.errors.append(f"{name}: '{value}' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
            return None
        return value

    def integer(self, name: str, value: str | None, default: int, lo: int, hi: int) -> int:
        if value is None or not value.strip():
            return default
        try:
            number = int(value)
        except ValueError:
            self.errors.append(f"{name}: '{value[:20]}' is not a whole number")
            return default
        if not lo <= number <= hi:
            self.errors.append(f"{name}: {number} is out of range ({lo}-{hi})")
            return default
        return number

    def yesno(self, name: str, value: str | None) -> bool | None:
        value = (value or "").strip().lower()
        if value in ("", "any"):
            return None
        if value in ("yes", "true", "1"):
            return True
        if value in ("no", "false", "0"):
            return False
        self.errors.append(f"{name}: '{value[:20]}' is not yes or no")
        return None

    def choice(self, name: str, value: str | None, choices: tuple[str, ...]) -> str | None:
        value = self.text(value)
        if value and value not in choices:
            self.errors.append(f"{name}: '{value}' is not one of {', '.join(choices)}")
            return None
        return value

    def choices(self, name: str, values: list[str], choices: tuple[str, ...]) -> list[str]:
        kept = [v for v in values if v in choices]
        for bad in sorted({v for v in values if v and v not in choices}):
            self.errors.append(f"{name}: '{bad[:40]}' is not one of {', '.join(choices)}")
        return kept


def pager(total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "first": offset + 1 if total else 0,
            "last": min(offset + limit, total),
            "prev": max(offset - limit, 0) if offset > 0 else None,
            "next": offset + limit if offset + limit < total else None}


def input_message(exc: InputError) -> str:
    return f"{exc.path}: {exc.reason}"


# -- small read-only queries the pages need ---------------------------------------------------

def document_texts(conn: Connection, ids: list[str]) -> dict[str, str]:
    d = t.documents.c
    if not ids:
        return {}
    return {r.id: r.text for r in conn.execute(select(d.id, d.text).where(d.id.in_(sorted(set(ids)))))}


def month_chart(per_month: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Documents and facts per month as SVG geometry (every month in the range, gaps as zero)."""
    if not per_month:
        return None
    counts = {m["month"]: m for m in per_month}
    months: list[str] = []
    try:
        year, month = (int(x) for x in per_month[0]["month"].split("-"))
        end = per_month[-1]["month"]
        while len(months) < 600:
            key = f"{year:04d}-{month:02d}"
            months.append(key)
            if key >= end:
                break
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    except ValueError:
        months = [m["month"] for m in per_month]
    top = max(max(m["documents"], m["facts"]) for m in per_month) or 1
    height, slot, bar = 160.0, 18.0, 7.0
    bars = []
    for i, key in enumerate(months):
        row = counts.get(key, {"documents": 0, "facts": 0})
        x = 40 + i * slot
        for j, what in enumerate(("documents", "facts")):
            h = round(height * row[what] / top, 1)
            bars.append({"x": x + j * (bar + 1), "y": 10 + height - h, "w": bar, "h": h, "what": what,
                         "month": key, "n": row[what]})
    ticks = [{"x": 40 + i * slot + bar, "label": key} for i, key in enumerate(months)
             if key.endswith("-01") or i == 0 or len(months) <= 12]
    return {"bars": bars, "ticks": ticks, "width": 40 + len(months) * slot + 10, "height": height,
            "top": top, "months": len(months)}


def timeline(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rank = {s: i for i, s in enumerate(TRANSFER_STAGES)}
    return sorted(history, key=lambda h: (rank.get(h.get("stage") or "", len(rank)),
                                          h.get("first_reported") or "9999"))


# -- pages -----------------------------------------------------------------------------------

@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """OpenAPI docs (Swagger UI, vendored: no CDN)."""
    return templates.TemplateResponse(request, "docs.html", {"openapi_url": request.app.openapi_url})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    target = safe_next(next)
    settings = _settings(request)
    if settings.api_read != "token" or token_ok(settings, presented_token(request)):
        return RedirectResponse(target, status_code=303)
    return render(request, "login.html", {"next": target, "error": None})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    body = (await request.body())[:10_000].decode("utf-8", "replace")
    form = parse_qs(body, keep_blank_values=True)
    token = (form.get("token") or [""])[0].strip()
    target = safe_next((form.get("next") or ["/"])[0])
    settings = _settings(request)
    if settings.api_read != "token":
        return RedirectResponse(target, status_code=303)
    if not token_ok(settings, token):
        return render(request, "login.html", {"next": target, "error": "That token is not valid."},
                      status_code=403)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(TOKEN_COOKIE, path="/", httponly=True, samesite="strict")
    return response


@pages.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    with _store(request).engine.connect() as conn:
        data = browse.dashboard(conn)
    return render(request, "dashboard.html", {"section": "dashboard", "data": data,
                                              "chart": month_chart(data["per_month"])})


@pages.get("/register", response_class=HTMLResponse)
def register(request: Request, supplier: str | None = None, recipient: str | None = None,
             item: str | None = None, since: str | None = None, contradicted: str | None = None,
             sort: str | None = None, limit: str | None = None, offset: str | None = None) -> HTMLResponse:
    p = Params()
    params: dict[str, Any] = {
        "supplier": p.text(supplier), "recipient": p.text(recipient), "item": p.text(item, 100),
        "since": p.date("since", since),
    }
    flag = p.yesno("contradicted", contradicted)
    params["contradicted"] = None if flag is None else ("yes" if flag else "no")
    sort_value = p.text(sort, 40)
    if sort_value and sort_value.lstrip("-") not in queries.EVENT_SORTS:
        p.errors.append(f"sort: '{sort_value}' is not one of {', '.join(queries.EVENT_SORTS)}"
                        " (prefix - to reverse)")
        sort_value = None
    size = p.integer("limit", limit, 50, 1, 500)
    start = p.integer("offset", offset, 0, 0, 10_000_000)
    rows: list[dict[str, Any]] = []
    total = 0
    if not p.errors:
        flt = queries.EventFilter(type="arms_transfer", supplier=params["supplier"],
                                  recipient=params["recipient"], item=params["item"],
                                  since=params["since"], contradicted=flag, sort=sort_value,
                                  limit=size, offset=start)
        store = _store(request)
        with store.engine.connect() as conn:
            for field in ("supplier", "recipient"):
                if params[field]:
                    try:
                        queries.actor_ids(conn, store.resolver, params[field])
                    except InputError as exc:
                        p.errors.append(f"{field}: {input_message(exc)}")
            if not p.errors:
                try:
                    rows = queries.list_events(conn, store.resolver, flt)
                    total = queries.count_events(conn, store.resolver, flt)
                except InputError as exc:
                    p.errors.append(input_message(exc))
    filters = {k: v for k, v in params.items() if v}
    state = {**filters, "sort": sort_value, "limit": size if size != 50 else None}
    ctx = {"section": "register", "rows": rows, "params": params, "filters": filters, "state": state,
           "sort": sort_value or "", "errors": p.errors, "page": pager(total, size, start),
           "csv": "/api/register" + qs({**filters, "contradicted": "true" if flag else
                                        ("false" if flag is False else None)},
                                       sort=sort_value, format="csv", limit=10_000),
           "sorts": queries.EVENT_SORTS}
    partial = request.headers.get("hx-request") == "true" and \
        request.headers.get("hx-history-restore-request") != "true"
    return render(request, "register_results.html" if partial else "register.html", ctx,
                  status_code=422 if p.errors else 200, headers={"Vary": "HX-Request"})


@pages.get("/events/{event_id:path}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    with _store(request).engine.connect() as conn:
        try:
            event = browse.get_event(conn, event_id)
        except browse.NotFound as exc:
            return not_found(request, exc, "event")
        texts = document_texts(conn, [f["document"]["id"] for f in event["supporting_facts"]])
    for fact in event["supporting_facts"]:
        fact["contexts"] = [highlight.in_context(texts.get(fact["document"]["id"]), ev, fact["id"])
                            for ev in fact["evidence"]]
    return render(request, "event.html", {"section": "register" if event["type"] == "arms_transfer"
                                          else "network", "event": event,
                                          "timeline": timeline(event.get("stage_history") or [])})


@pages.get("/documents", response_class=HTMLResponse)
def documents(request: Request, q: str | None = None, limit: str | None = None,
              offset: str | None = None) -> HTMLResponse:
    p = Params()
    query = p.text(q)
    size = p.integer("limit", limit, 50, 1, 500)
    start = p.integer("offset", offset, 0, 0, 10_000_000)
    flt = browse.DocumentFilter(q=query, limit=size, offset=start)
    with _store(request).engine.connect() as conn:
        items = browse.list_documents(conn, flt)
        total = browse.count_documents(conn, flt)
    state = {"q": query, "limit": size if size != 50 else None}
    return render(request, "documents.html", {"section": "documents", "items": items, "q": query or "",
                                              "state": state, "page": pager(total, size, start),
                                              "errors": p.errors},
                  status_code=422 if p.errors else 200)


@pages.get("/documents/{doc_id:path}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    store = _store(request)
    with store.engine.connect() as conn:
        try:
            doc = browse.get_document(conn, store.resolver, doc_id)
        except browse.NotFound as exc:
            return not_found(request, exc, "document")
        events = browse.events_of_facts(conn, [f["id"] for f in doc["facts"]])
    text = doc.get("text") or ""
    spans = highlight.fact_spans(text, doc["facts"])
    placed = {s.fact_id for s in spans}
    for fact in doc["facts"]:
        fact["events"] = events.get(fact["id"], [])
        fact["placed"] = fact["id"] in placed
    return render(request, "document.html", {"section": "documents", "doc": doc,
                                             "body": highlight.highlight(text, spans),
                                             "spans": len(spans)})


@pages.get("/entities", response_class=HTMLResponse)
def entities(request: Request, q: str | None = None, kind: str | None = None,
             sanctioned: str | None = None, limit: str | None = None,
             offset: str | None = None) -> HTMLResponse:
    p = Params()
    query = p.text(q)
    kind_value = p.choice("kind", kind, ENTITY_KINDS)
    listed = p.yesno("sanctioned", sanctioned)
    size = p.integer("limit", limit, 50, 1, 500)
    start = p.integer("offset", offset, 0, 0, 10_000_000)
    flt = browse.EntityFilter(q=query, kind=kind_value, sanctioned=listed, limit=size, offset=start)
    with _store(request).engine.connect() as conn:
        items = browse.list_entities(conn, flt)
        total = browse.count_entities(conn, flt)
    state = {"q": query, "kind": kind_value,
             "sanctioned": None if listed is None else ("yes" if listed else "no"),
             "limit": size if size != 50 else None}
    return render(request, "entities.html", {"section": "entities", "items": items, "state": state,
                                             "kinds": ENTITY_KINDS, "page": pager(total, size, start),
                                             "errors": p.errors},
                  status_code=422 if p.errors else 200)


@pages.get("/entities/{entity_id:path}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str) -> HTMLResponse:
    store = _store(request)
    with store.engine.connect() as conn:
        try:
            entity = browse.get_entity(conn, store.resolver, entity_id)
        except browse.NotFound as exc:
            return not_found(request, exc, "entity")
    return render(request, "entity.html", {"section": "entities", "entity": entity,
                                           "graph_src": f"/api/entities/{urlid(entity['id'])}/graph"})


@pages.get("/network", response_class=HTMLResponse)
def network(request: Request, since: str | None = None, until: str | None = None) -> HTMLResponse:
    p = Params()
    types = p.choices("type", request.query_params.getlist("type"), EVENT_TYPES)
    stages = p.choices("stage", request.query_params.getlist("stage"), browse.STAGES)
    since_value, until_value = p.date("since", since), p.date("until", until)
    data: dict[str, Any] = {"nodes": [], "edges": [], "truncated": False}
    if not p.errors:
        store = _store(request)
        try:
            with store.engine.connect() as conn:
                data = browse.network(conn, store.resolver, types=types, stages=stages,
                                      since=since_value, until=until_value)
        except InputError as exc:
            p.errors.append(input_message(exc))
    api = "/api/network" + qs({"type": types, "stage": stages, "since": since_value, "until": until_value})
    top = sorted(data["nodes"], key=lambda n: (-n["degree"], n["name"]))[:20]
    return render(request, "network.html", {
        "section": "network", "types": EVENT_TYPES, "stages": browse.STAGES, "chosen_types": types,
        "chosen_stages": stages, "since": since_value or "", "until": until_value or "",
        "data": data, "top": top, "api": api, "errors": p.errors}, status_code=422 if p.errors else 200)


@pages.get("/screen", response_class=HTMLResponse)
def screen(request: Request, name: str | None = None, schema: str | None = None,
           country: str | None = None, dob: str | None = None) -> HTMLResponse:
    from armswatch.sanctions import screening
    from armswatch.sanctions.matching import Query as NameQuery
    from armswatch.store import lists as store_lists

    p = Params()
    form = {"name": p.text(name, 500) or "", "schema": p.choice("schema", schema, SCREEN_SCHEMAS) or "",
            "country": p.text(country, 64) or "", "dob": p.date("dob", dob) or ""}
    store = _store(request)
    with store.engine.connect() as conn:
        lists = store_lists.current_list_names(conn)
    matches: list[dict[str, Any]] | None = None
    entries = 0
    if form["name"] and lists and not p.errors:
        loaded = screening.load_index(store)
        entries = len(loaded)
        query = NameQuery(name=form["name"], schema=form["schema"] or None,
                          country=screening.country_code(store, form["country"] or None),
                          birth_date=form["dob"] or None)
        matches = [screening.match_dict(m) for m in loaded.index.screen(query, limit=10)]
    return render(request, "screen.html", {"section": "screen", "form": form, "schemas": SCREEN_SCHEMAS,
                                           "lists": lists, "matches": matches, "entries": entries,
                                           "errors": p.errors},
                  status_code=422 if p.errors else 200)


def mount_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(router)
    app.include_router(pages)

    async def to_login(_request: Request, exc: Exception) -> Response:
        target = safe_next(exc.next_path if isinstance(exc, LoginRequired) else "/")
        return RedirectResponse("/login" + qs({"next": target}), status_code=303)

    app.add_exception_handler(LoginRequired, to_login)


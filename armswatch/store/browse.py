"""Read queries for browsing the store: documents, entities, their network, the dashboard.

Like :mod:`armswatch.store.queries`, everything returns plain JSON-ready dicts
and every list query has a matching count, so the API and the web UI page
through the same records. Values from users only ever reach SQL as bound
parameters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, func, or_, select

from armswatch.errors import InputError
from armswatch.model import TRANSFER_STAGES
from armswatch.resolve.entities import EntityResolver, normalise_name
from armswatch.store import schema as t
from armswatch.store.lists import entity_sanctions, sanctioned_entities
from armswatch.store.queries import (
    FactFilter,
    _count,
    _events_out,
    _facts_out,
    actor_ids,
    event_facts,
    list_facts,
    publisher,
)


class NotFound(InputError):
    """A document, fact, event or entity id that the store does not have."""


@dataclass(frozen=True, kw_only=True)
class DocumentFilter:
    q: str | None = None  # words of the title, name or URL
    status: str | None = None  # pending | done | failed
    source: str | None = None  # publisher (site name or host)
    since: str | None = None
    until: str | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, kw_only=True)
class EntityFilter:
    q: str | None = None
    kind: str | None = None  # country | person | organization | group | vessel
    sanctioned: bool | None = None
    limit: int = 50
    offset: int = 0


def _like(text: str) -> str:
    cleaned = text.strip().casefold().replace("\\", "").replace("%", "").replace("_", " ")
    return "%" + "%".join(cleaned.split()) + "%"


# -- documents ------------------------------------------------------------------------------

def _document_query(flt: DocumentFilter) -> Select[Any]:
    d = t.documents.c
    fact_count = (select(func.count()).where(t.facts.c.document_id == d.id)
                  .correlate(t.documents).scalar_subquery())
    query: Select[Any] = select(d.id, d.name, d.title, d.url, d.published, d.source, d.author,
                                d.status, d.error, d.origin, d.story_id, fact_count.label("facts"))
    if flt.q and flt.q.strip():
        needle = _like(flt.q)
        query = query.where(or_(func.lower(d.title).like(needle), func.lower(d.name).like(needle),
                                func.lower(d.url).like(needle)))
    if flt.status:
        query = query.where(d.status == flt.status)
    if flt.source and flt.source.strip():
        needle = _like(flt.source)
        query = query.where(or_(func.lower(d.source).like(needle), func.lower(d.url).like(needle)))
    if flt.since:
        query = query.where(d.published >= flt.since)
    if flt.until:
        query = query.where(d.published <= flt.until)
    return query


def list_documents(conn: Connection, flt: DocumentFilter) -> list[dict[str, Any]]:
    d = t.documents.c
    rows = conn.execute(_document_query(flt).order_by(d.published.desc().nulls_last(), d.id)
                        .limit(flt.limit).offset(flt.offset)).all()
    return [_document_out(r) for r in rows]


def count_documents(conn: Connection, flt: DocumentFilter) -> int:
    return _count(conn, _document_query(flt))


def _document_out(r: Any) -> dict[str, Any]:
    out = {k: v for k, v in r._mapping.items() if k != "text"}
    out["publisher"] = publisher(r.source, r.url, r.name)
    return out


def get_document(conn: Connection, resolver: EntityResolver, doc_id: str) -> dict[str, Any]:
    """A document with its text and every fact found in it (evidence offsets slice the text)."""
    d = t.documents.c
    row = conn.execute(select(t.documents).where(or_(d.id == doc_id, d.name == doc_id))
                       .order_by(d.id).limit(1)).first()
    if row is None:
        raise NotFound(doc_id, "no document with this id or name")
    out = {k: v for k, v in row._mapping.items() if k not in ("minhash",)}
    out["publisher"] = publisher(row.source, row.url, row.name)
    out["facts"] = list_facts(conn, resolver, FactFilter(document=row.id, limit=10_000))
    out["facts"].sort(key=lambda f: min((e["start"] for e in f["evidence"]), default=0))
    return out


# -- facts and events -----------------------------------------------------------------------

def get_fact(conn: Connection, fact_id: str) -> dict[str, Any]:
    f, d = t.facts.c, t.documents.c
    rows = conn.execute(select(t.facts, d.name.label("doc_name"), d.title, d.url,
                               d.source.label("doc_source"))
                        .join(t.documents, d.id == f.document_id).where(f.id == fact_id)).all()
    if not rows:
        raise NotFound(fact_id, "no fact with this id")
    fact = _facts_out(conn, rows)[0]
    fact["events"] = events_of_facts(conn, [fact_id]).get(fact_id, [])
    return fact


def events_of_facts(conn: Connection, fact_ids: Sequence[str]) -> dict[str, list[str]]:
    """The events each fact supports."""
    ef = t.event_facts.c
    out: dict[str, list[str]] = {}
    if not fact_ids:
        return out
    for row in conn.execute(select(ef.fact_id, ef.event_id).where(ef.fact_id.in_(list(fact_ids)))
                            .order_by(ef.fact_id, ef.event_id)):
        out.setdefault(row.fact_id, []).append(row.event_id)
    return out


def get_event(conn: Connection, event_id: str) -> dict[str, Any]:
    """An event with its supporting facts, each fact's stance, and its sources."""
    rows = conn.execute(select(t.events).where(t.events.c.id == event_id)).all()
    if not rows:
        raise NotFound(event_id, "no event with this id")
    event = _events_out(conn, rows)[0]
    facts = event_facts(conn, event_id)
    for fact in facts:
        fact["stance"] = "denying" if fact["factuality"] == "negated" else (
            "hedging" if fact["factuality"] == "possible" else "asserting")
    event["supporting_facts"] = facts
    sources: dict[str, dict[str, Any]] = {}
    for fact in facts:
        doc = fact["document"]
        entry = sources.setdefault(doc["publisher"], {"publisher": doc["publisher"], "documents": [],
                                                      "stances": Counter()})
        if doc["id"] not in [x["id"] for x in entry["documents"]]:
            entry["documents"].append(doc)
        entry["stances"][fact["stance"]] += 1
    event["source_list"] = [{**s, "stances": dict(s["stances"])}
                            for s in sorted(sources.values(), key=lambda s: s["publisher"])]
    return event


# -- entities -------------------------------------------------------------------------------

def _entity_query(conn: Connection, flt: EntityFilter) -> Select[Any]:
    e = t.entities.c
    facts = (select(func.count(func.distinct(t.fact_roles.c.fact_id)))
             .where(t.fact_roles.c.entity_id == e.id).correlate(t.entities).scalar_subquery())
    events = (select(func.count(func.distinct(t.event_roles.c.event_id)))
              .where(t.event_roles.c.entity_id == e.id).correlate(t.entities).scalar_subquery())
    query: Select[Any] = select(t.entities, facts.label("facts"), events.label("events"))
    if flt.q and flt.q.strip():
        needle = _like(normalise_name(flt.q) or flt.q)
        query = query.where(or_(func.lower(e.name).like(needle), func.lower(e.id).like(needle)))
    if flt.kind:
        query = query.where(e.kind == flt.kind)
    if flt.sanctioned is not None:
        listed = select(t.entity_matches.c.entity_id)
        query = query.where(e.id.in_(listed) if flt.sanctioned else e.id.not_in(listed))
    return query


def list_entities(conn: Connection, flt: EntityFilter) -> list[dict[str, Any]]:
    e = t.entities.c
    rows = conn.execute(_entity_query(conn, flt).order_by(e.kind, e.name, e.id)
                        .limit(flt.limit).offset(flt.offset)).all()
    sanctions = entity_sanctions(conn, [r.id for r in rows])
    return [{**r._mapping, "sanctions": sanctions.get(r.id, [])} for r in rows]


def count_entities(conn: Connection, flt: EntityFilter) -> int:
    return _count(conn, _entity_query(conn, flt))


def get_entity_row(conn: Connection, entity_id: str) -> dict[str, Any]:
    row = conn.execute(select(t.entities).where(t.entities.c.id == entity_id)).first()
    if row is None:
        raise NotFound(entity_id, "no entity with this id")
    return dict(row._mapping)


def get_entity(conn: Connection, resolver: EntityResolver, entity_id: str) -> dict[str, Any]:
    """An entity, its sanctions matches with explanations, its facts and events."""
    out = get_entity_row(conn, entity_id)
    out["sanctions"] = entity_sanctions(conn, [entity_id]).get(entity_id, [])
    ev = t.events.c
    event_rows = conn.execute(
        select(t.events).where(ev.id.in_(select(t.event_roles.c.event_id)
                                         .where(t.event_roles.c.entity_id == entity_id)))
        .order_by(ev.last_reported.desc(), ev.id).limit(200)).all()
    out["events"] = _events_out(conn, event_rows)
    flt = FactFilter(actor=entity_id, limit=200)
    out["facts"] = list_facts(conn, resolver, flt)
    f = t.fact_roles.c
    out["fact_count"] = int(conn.execute(select(func.count(func.distinct(f.fact_id)))
                                         .where(f.entity_id == entity_id)).scalar_one())
    return out


# -- the network ----------------------------------------------------------------------------

#: event types drawn as edges, and the roles at each end of the edge
EDGE_ROLES = {
    "arms_transfer": ("supplier", "recipient"),
    "sanction": ("imposer", "target"),
    "diplomatic_contact": ("participant", "participant"),
    "cooperation": ("participant", "participant"),
    "statement": ("speaker", "target"),
}
#: the stages of every event type (transfers, sanctions, cooperation)
STAGES = (*TRANSFER_STAGES, "imposed", "threatened", "lifted", "pledged")


def network(conn: Connection, resolver: EntityResolver, *, types: Sequence[str] = (),
            since: str | None = None, until: str | None = None, actor: str | None = None,
            stages: Sequence[str] = (), limit: int = 2000) -> dict[str, Any]:
    """States and actors as nodes, events as edges (Cytoscape.js elements).

    An edge joins each first-role party to each second-role party of an event
    (supplier -> recipient, imposer -> target, ...); parties of a symmetric
    event (contacts, pledges) are joined pairwise. ``actor`` keeps the events
    that involve it: its neighbourhood.
    """
    unknown = sorted(set(types) - set(EDGE_ROLES))
    if unknown:
        raise InputError(", ".join(unknown), f"unknown event type; use {', '.join(EDGE_ROLES)}")
    bad_stages = sorted(set(stages) - set(STAGES))
    if bad_stages:
        raise InputError(", ".join(bad_stages), f"unknown stage; use {', '.join(STAGES)}")
    e = t.events.c
    query = select(e.id, e.type, e.stage, e.status, e.contradicted, e["items"], e.first_reported,
                   e.last_reported, e.stories, e.facts).where(e.type.in_(list(types) or list(EDGE_ROLES)))
    if since:
        query = query.where(e.last_reported >= since)
    if until:
        query = query.where(e.first_reported <= until)
    if stages:
        query = query.where(e.stage.in_(list(stages)))
    if actor:
        ids = actor_ids(conn, resolver, actor)
        query = query.where(e.id.in_(select(t.event_roles.c.event_id)
                                     .where(t.event_roles.c.entity_id.in_(ids))))
    events = conn.execute(query.order_by(e.stories.desc(), e.last_reported.desc(), e.id)
                          .limit(limit)).all()
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in conn.execute(select(t.event_roles).where(
            t.event_roles.c.event_id.in_([ev.id for ev in events]))
            .order_by(t.event_roles.c.event_id, t.event_roles.c.role, t.event_roles.c.entity_id)):
        roles[row.event_id][row.role].append(row.entity_id)
    edges: list[dict[str, Any]] = []
    used: set[str] = set()
    for ev in events:
        first, second = EDGE_ROLES[ev.type]
        a_side, b_side = roles[ev.id].get(first, []), roles[ev.id].get(second, [])
        pairs = ([(a, b) for i, a in enumerate(a_side) for b in a_side[i + 1:]] if first == second
                 else [(a, b) for a in a_side for b in b_side if a != b])
        for a, b in pairs:
            used.update((a, b))
            edges.append({"id": f"{ev.id}:{a}:{b}", "source": a, "target": b, "event_id": ev.id,
                          "type": ev.type, "stage": ev.stage, "status": ev.status,
                          "contradicted": ev.contradicted, "items": ev.items,
                          "first_reported": ev.first_reported, "last_reported": ev.last_reported,
                          "stories": ev.stories,
                          "label": (ev.stage or ev.type.replace("_", " ")) +
                          (f": {', '.join(ev.items[:2])}" if ev.items else "")})
    nodes = []
    degree = Counter(end for edge in edges for end in (edge["source"], edge["target"]))
    if used:
        listed = set(conn.execute(select(t.entity_matches.c.entity_id)
                                  .where(t.entity_matches.c.entity_id.in_(sorted(used)))).scalars())
        for row in conn.execute(select(t.entities).where(t.entities.c.id.in_(sorted(used)))
                                .order_by(t.entities.c.id)):
            nodes.append({"id": row.id, "label": row.country if row.kind == "country" and row.country
                          else row.name, "name": row.name, "kind": row.kind, "country": row.country,
                          "sanctioned": row.id in listed, "degree": degree[row.id]})
    return {"nodes": nodes, "edges": edges, "truncated": len(events) >= limit}


# -- the dashboard --------------------------------------------------------------------------

def dashboard(conn: Connection) -> dict[str, Any]:
    """Counts, counts per month, the latest events and contradictions, sanctioned actors."""
    d, f, ev = t.documents.c, t.facts.c, t.events.c
    month_doc = func.substr(d.published, 1, 7)
    per_month: dict[str, dict[str, int]] = defaultdict(lambda: {"documents": 0, "facts": 0})
    for month, n in conn.execute(select(month_doc, func.count()).where(d.published.is_not(None))
                                 .group_by(month_doc)):
        per_month[month]["documents"] = int(n)
    month_fact = func.substr(f.published, 1, 7)
    for month, n in conn.execute(select(month_fact, func.count()).where(f.published.is_not(None))
                                 .group_by(month_fact)):
        per_month[month]["facts"] = int(n)
    latest = conn.execute(select(t.events).order_by(ev.last_reported.desc().nulls_last(),
                                                    ev.stories.desc(), ev.id).limit(10)).all()
    contradicted = conn.execute(select(t.events).where(ev.contradicted.is_(True))
                                .order_by(ev.last_reported.desc().nulls_last(), ev.id).limit(10)).all()
    sanctioned = sanctioned_entities(conn)
    counts = {name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
              for name, table in (("documents", t.documents), ("facts", t.facts), ("events", t.events),
                                  ("entities", t.entities))}
    counts["contradictions"] = int(conn.execute(select(func.count()).select_from(t.events)
                                                .where(ev.contradicted.is_(True))).scalar_one())
    counts["sanctioned_actors"] = len(sanctioned)
    return {
        "counts": counts,
        "per_month": [{"month": m, **per_month[m]} for m in sorted(per_month)],
        "latest_events": _events_out(conn, latest),
        "contradictions": _events_out(conn, contradicted),
        "sanctioned_actors": sanctioned[:50],
    }

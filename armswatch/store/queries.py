"""Read queries over the store: facts, events, the deal register, contradictions.

Every list query takes keyword filters and ``limit``/``offset`` and returns
plain dicts (JSON-ready), so the CLI, the library and the API render the same
records. Actor filters accept an ISO code (``KP``), a name or alias
("North Korea", "DPRK", "Putin") or an entity id (``country:KP``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Connection, Select, Text, and_, case, cast, func, or_, select

from armswatch.analysis.consolidate import FactRecord
from armswatch.errors import InputError
from armswatch.model import TRANSFER_STAGES
from armswatch.resolve.entities import EntityResolver, ResolvedEntity, normalise_name
from armswatch.store import schema as t
from armswatch.store.lists import entity_sanctions


@dataclass(frozen=True, kw_only=True)
class FactFilter:
    type: str | None = None
    actor: str | None = None
    document: str | None = None
    since: str | None = None
    until: str | None = None
    factuality: str | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True, kw_only=True)
class EventFilter:
    type: str | None = None
    actor: str | None = None
    supplier: str | None = None
    recipient: str | None = None
    item: str | None = None
    since: str | None = None
    contradicted: bool | None = None
    sort: str | None = None
    limit: int = 100
    offset: int = 0


class UnknownActorError(InputError):
    """An actor filter that matches nothing known to the store."""


def actor_ids(conn: Connection, resolver: EntityResolver, text: str) -> list[str]:
    """Entity ids a user's actor filter stands for; raises UnknownActorError if none."""
    raw = text.strip()
    if not raw:
        raise UnknownActorError(text, "empty actor name")
    if conn.execute(select(t.entities.c.id).where(t.entities.c.id == raw)).first():
        return [raw]
    if len(raw) == 2 and raw.isalpha() and raw.upper() in resolver.vocabulary.countries:
        return [f"country:{raw.upper()}"]
    code = resolver.state_code(raw)
    if code:
        return [f"country:{code}"]
    known = resolver.known(raw)
    if known is not None:
        return [known.id]
    needle = f"%{normalise_name(raw).replace(' ', '%')}%"
    rows = conn.execute(select(t.entities.c.id).where(or_(
        func.lower(t.entities.c.name).like(needle), t.entities.c.id.like(needle)))
        .order_by(t.entities.c.id).limit(50)).scalars().all()
    if not rows:
        raise UnknownActorError(text, "no state, person or organisation of that name in the store")
    return list(rows)


def fact_records(conn: Connection) -> list[FactRecord]:
    """Every fact with its roles and document context, for consolidation."""
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    states: dict[str, dict[str, str]] = defaultdict(dict)
    for row in conn.execute(select(t.fact_roles.c.fact_id, t.fact_roles.c.role,
                                   t.fact_roles.c.entity_id, t.entities.c.kind, t.entities.c.country,
                                   t.entities.c.category)
                            .join(t.entities, t.entities.c.id == t.fact_roles.c.entity_id)
                            .order_by(t.fact_roles.c.fact_id, t.fact_roles.c.role,
                                      t.fact_roles.c.position)):
        roles[row.fact_id][row.role].append(row.entity_id)
        entity = ResolvedEntity(row.entity_id, "", row.kind, row.country, row.category)
        if entity.acts_for_state and row.country:
            states[row.fact_id][row.entity_id] = row.country
    d = t.documents.c
    query = (select(t.facts, d.story_id, d.source.label("doc_source"), d.url, d.name)
             .join(t.documents, d.id == t.facts.c.document_id).order_by(t.facts.c.id))
    out = []
    for row in conn.execute(query):
        out.append(FactRecord(
            id=row.id, type=row.type, factuality=row.factuality,
            roles={r: tuple(ids) for r, ids in roles[row.id].items()},
            document_id=row.document_id, story_id=row.story_id,
            publisher=publisher(row.doc_source, row.url, row.name), published=row.published,
            stage=row.stage, kind=row.kind, items=tuple(row.items), designations=tuple(row.designations),
            quantities=tuple(row.quantities), event_date=row.event_date,
            acts_for=states[row.id]))
    return out


def publisher(source: str | None, url: str | None, name: str) -> str:
    """Who published a document: its site name, its URL's host, else the document itself."""
    if source and source.strip():
        return source.strip()
    if url:
        host = urlsplit(url).hostname or url
        return host.removeprefix("www.")
    return f"document:{name}"


def _fact_conditions(conn: Connection, resolver: EntityResolver,
                     flt: FactFilter) -> list[ColumnElement[bool]]:
    f, d = t.facts.c, t.documents.c
    conds: list[ColumnElement[bool]] = []
    if flt.type:
        conds.append(f.type == flt.type)
    if flt.factuality:
        conds.append(f.factuality == flt.factuality)
    if flt.document:
        conds.append(f.document_id.in_(select(d.id).where(or_(d.id == flt.document,
                                                              d.name == flt.document))))
    if flt.since:
        conds.append(f.published >= flt.since)
    if flt.until:
        conds.append(f.published <= flt.until)
    if flt.actor:
        ids = actor_ids(conn, resolver, flt.actor)
        # EXISTS, not IN: SQLite then walks facts in date order and stops at the page's end
        conds.append(select(t.fact_roles.c.fact_id)
                     .where(t.fact_roles.c.fact_id == f.id, t.fact_roles.c.entity_id.in_(ids)).exists())
    return conds


def _fact_query(conn: Connection, resolver: EntityResolver, flt: FactFilter) -> Select[Any]:
    f, d = t.facts.c, t.documents.c
    # facts.published is the document's publication date (copied when the facts are stored)
    return (select(t.facts, d.name.label("doc_name"), d.title, d.url, d.source.label("doc_source"))
            .join(t.documents, d.id == f.document_id)
            .where(*_fact_conditions(conn, resolver, flt)))


def list_facts(conn: Connection, resolver: EntityResolver, flt: FactFilter) -> list[dict[str, Any]]:
    f = t.facts.c
    query = _fact_query(conn, resolver, flt)
    query = query.order_by(f.published.desc(), f.id).limit(flt.limit).offset(flt.offset)
    rows = conn.execute(query).all()
    return _facts_out(conn, rows)


def count_facts(conn: Connection, resolver: EntityResolver, flt: FactFilter) -> int:
    """How many facts match ``flt`` (its limit and offset aside)."""
    only_actor = flt.actor and not (flt.type or flt.factuality or flt.document or flt.since or flt.until)
    if only_actor:  # straight from the roles' entity index
        r = t.fact_roles.c
        ids = actor_ids(conn, resolver, flt.actor or "")
        return int(conn.execute(select(func.count(func.distinct(r.fact_id)))
                                .where(r.entity_id.in_(ids))).scalar_one())
    return int(conn.execute(select(func.count()).select_from(t.facts)
                            .where(*_fact_conditions(conn, resolver, flt))).scalar_one())


def _count(conn: Connection, query: Select[Any]) -> int:
    return int(conn.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one())


def _facts_out(conn: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    ids = [r.id for r in rows]
    roles = _roles_of(conn, ids)
    evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ev in conn.execute(select(t.evidence).where(t.evidence.c.fact_id.in_(ids))
                           .order_by(t.evidence.c.fact_id, t.evidence.c.position)):
        evidence[ev.fact_id].append({"text": ev.text, "start": ev.start, "end": ev.end})
    out = []
    for r in rows:
        out.append({
            "id": r.id, "type": r.type, "stage": r.stage, "kind": r.kind, "domain": r.domain,
            "factuality": r.factuality, "roles": roles.get(r.id, {}), "items": r.items,
            "designations": r.designations, "quantities": r.quantities, "source": r.source,
            "evidence": evidence.get(r.id, []), "dates": r.dates, "event_date": r.event_date,
            "document": {"id": r.document_id, "name": r.doc_name, "title": r.title, "url": r.url,
                         "published": r.published, "source": r.doc_source,
                         "publisher": publisher(r.doc_source, r.url, r.doc_name)},
            "extractor_version": r.extractor_version,
        })
    return out


def _roles_of(conn: Connection, fact_ids: Sequence[str]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    out: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    query = (select(t.fact_roles, t.entities.c.name, t.entities.c.kind, t.entities.c.country)
             .join(t.entities, t.entities.c.id == t.fact_roles.c.entity_id)
             .where(t.fact_roles.c.fact_id.in_(fact_ids))
             .order_by(t.fact_roles.c.fact_id, t.fact_roles.c.role, t.fact_roles.c.position))
    rows = conn.execute(query).all()
    sanctions = entity_sanctions(conn, sorted({row.entity_id for row in rows}))
    for row in rows:
        out[row.fact_id][row.role].append({"id": row.entity_id, "name": row.name, "kind": row.kind,
                                           "country": row.country, "mention": row.mention,
                                           "sanctions": sanctions.get(row.entity_id, [])})
    return {k: dict(v) for k, v in out.items()}


#: register and event orderings a user may ask for (``-`` first means descending)
EVENT_SORTS = ("last_reported", "first_reported", "stories", "sources", "facts", "documents", "stage")


def _event_query(conn: Connection, resolver: EntityResolver, flt: EventFilter) -> Select[Any]:
    e = t.events.c
    query: Select[Any] = select(t.events)
    if flt.type:
        query = query.where(e.type == flt.type)
    if flt.contradicted is not None:
        query = query.where(e.contradicted == flt.contradicted)
    if flt.since:
        query = query.where(e.last_reported >= flt.since)
    for role, value in (("supplier", flt.supplier), ("recipient", flt.recipient), (None, flt.actor)):
        if value:
            ids = actor_ids(conn, resolver, value)
            cond: ColumnElement[bool] = t.event_roles.c.entity_id.in_(ids)
            if role:
                cond = and_(cond, t.event_roles.c.role == role)
            query = query.where(e.id.in_(select(t.event_roles.c.event_id).where(cond)))
    if flt.item and flt.item.strip():
        # items and designations are JSON lists of strings: a substring of their text form
        # finds "drones" in ["drones"] and "Shahed" in ["Shahed-136"] on SQLite and PostgreSQL
        needle = "%" + flt.item.strip().casefold().replace("\\", "").replace("%", "").replace("_", "") + "%"
        query = query.where(or_(func.lower(cast(e["items"], Text)).like(needle),
                                func.lower(cast(e.designations, Text)).like(needle)))
    return query


def _event_order(sort: str | None) -> list[Any]:
    e = t.events.c
    # all descending, so that SQLite walks ix_events_(type_)order backwards instead of sorting
    default = [e.last_reported.desc(), e.stories.desc(), e.id.desc()]
    if not sort:
        return default
    name = sort.lstrip("-")
    if name not in EVENT_SORTS:
        raise InputError(sort, f"unknown sort; use one of {', '.join(EVENT_SORTS)} (prefix - to reverse)")
    column: Any = e[name]
    if name == "stage":  # by how far the deal went, not alphabetically
        column = case({stage: i for i, stage in enumerate(TRANSFER_STAGES)}, value=e.stage, else_=-1)
    primary = column.desc() if sort.startswith("-") else column.asc()
    return [primary.nulls_last(), *default]  # nulls_last: PostgreSQL puts NULL first in DESC


def list_events(conn: Connection, resolver: EntityResolver, flt: EventFilter) -> list[dict[str, Any]]:
    query = _event_query(conn, resolver, flt).order_by(*_event_order(flt.sort))
    rows = conn.execute(query.limit(flt.limit).offset(flt.offset)).all()
    return _events_out(conn, rows)


def count_events(conn: Connection, resolver: EntityResolver, flt: EventFilter) -> int:
    """How many events match ``flt`` (its limit and offset aside)."""
    return _count(conn, _event_query(conn, resolver, flt))


def _events_out(conn: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    ids = [r.id for r in rows]
    roles: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in conn.execute(select(t.event_roles, t.entities.c.name, t.entities.c.kind,
                                   t.entities.c.country)
                            .join(t.entities, t.entities.c.id == t.event_roles.c.entity_id)
                            .where(t.event_roles.c.event_id.in_(ids))
                            .order_by(t.event_roles.c.event_id, t.event_roles.c.role,
                                      t.event_roles.c.entity_id)):
        roles[row.event_id][row.role].append({"id": row.entity_id, "name": row.name,
                                              "kind": row.kind, "country": row.country})
    sanctions = entity_sanctions(conn, sorted({e["id"] for r in roles.values() for es in r.values()
                                               for e in es}))
    out = []
    for r in rows:
        record = dict(r._mapping)
        record["roles"] = {role: [{**e, "sanctions": sanctions.get(e["id"], [])} for e in ents]
                           for role, ents in roles.get(r.id, {}).items()}
        out.append(record)
    return out


def register(conn: Connection, resolver: EntityResolver, flt: EventFilter) -> list[dict[str, Any]]:
    """The deal register: one row per arms-transfer event."""
    rows = list_events(conn, resolver, EventFilter(**{**flt.__dict__, "type": "arms_transfer"}))
    out = []
    for ev in rows:
        out.append({
            "event_id": ev["id"],
            "supplier": _names(ev["roles"].get("supplier", [])),
            "recipient": _names(ev["roles"].get("recipient", [])),
            "broker": _names(ev["roles"].get("broker", [])),
            "items": ev["items"], "designations": ev["designations"], "quantities": ev["quantities"],
            "stage": ev["stage"], "status": ev["status"],
            "stage_history": ev["stage_history"],
            "first_reported": ev["first_reported"], "last_reported": ev["last_reported"],
            "stories": ev["stories"], "sources": ev["sources"], "documents": ev["documents"],
            "facts": ev["facts"], "factuality": ev["factuality"], "contradicted": ev["contradicted"],
            "listed": [{"party": e["name"], "role": role, "list": m["list"], "entry_id": m["entry_id"],
                        "programs": m["programs"], "score": m["score"]}
                       for role, ents in ev["roles"].items() for e in ents for m in e["sanctions"][:1]],
        })
    return out


def _names(entities: list[dict[str, Any]]) -> list[str]:
    return [e["country"] if e["kind"] == "country" and e["country"] else e["name"] for e in entities]


def event_facts(conn: Connection, event_id: str) -> list[dict[str, Any]]:
    f, d = t.facts.c, t.documents.c
    rows = conn.execute(
        select(t.facts, d.name.label("doc_name"), d.title, d.url, d.source.label("doc_source"))
        .join(t.documents, d.id == f.document_id)
        .join(t.event_facts, t.event_facts.c.fact_id == f.id)
        .where(t.event_facts.c.event_id == event_id)
        .order_by(f.published, f.id)).all()
    return _facts_out(conn, rows)


def contradictions(conn: Connection, resolver: EntityResolver, flt: EventFilter) -> list[dict[str, Any]]:
    """Contradicted events, each with the asserting and the denying side and their evidence."""
    out = []
    for ev in list_events(conn, resolver, EventFilter(**{**flt.__dict__, "contradicted": True})):
        facts = event_facts(conn, ev["id"])
        ev["asserted"] = [f for f in facts if f["factuality"] != "negated"]
        ev["denied"] = [f for f in facts if f["factuality"] == "negated"]
        out.append(ev)
    return out

"""/api/events, /api/register and /api/contradictions: facts consolidated across documents."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from armswatch.api.deps import Conn, StoreDep, counted
from armswatch.api.models import ContradictionOut, EventDetail, EventOut, Page, RegisterRow
from armswatch.api.routers.common import Actor, IsoDate, Limit, Offset
from armswatch.exports.records import REGISTER_COLUMNS, cell
from armswatch.store import browse, queries

router = APIRouter(tags=["events"])

EventType = Literal["arms_transfer", "sanction", "diplomatic_contact", "cooperation", "statement"]
Sort = Annotated[str | None, Query(
    pattern=r"^-?(" + "|".join(queries.EVENT_SORTS) + ")$",
    description="order by " + ", ".join(queries.EVENT_SORTS) + "; prefix - for descending")]
Item = Annotated[str | None, Query(min_length=1, max_length=100,
                                   description="item category or designation, e.g. drones, Shahed")]


@router.get("/events", response_model=Page[EventOut])
def list_events(request: Request, conn: Conn, store: StoreDep, type: EventType | None = None,
                actor: Actor = None,
                supplier: Actor = None, recipient: Actor = None, item: Item = None,
                since: IsoDate = None, contradicted: bool | None = None, sort: Sort = None,
                limit: Limit = 50, offset: Offset = 0) -> dict[str, object]:
    """Events: facts about one happening from all documents, newest report first."""
    flt = queries.EventFilter(type=type, actor=actor, supplier=supplier, recipient=recipient, item=item,
                              since=since, contradicted=contradicted, sort=sort, limit=limit,
                              offset=offset)
    return {"items": queries.list_events(conn, store.resolver, flt),
            "total": counted(request, conn, flt, lambda: queries.count_events(conn, store.resolver, flt)),
            "limit": limit, "offset": offset}


@router.get("/events/{event_id}", response_model=EventDetail)
def get_event(event_id: str, conn: Conn) -> dict[str, object]:
    """An event with every supporting fact, its evidence, and each source's stance."""
    return browse.get_event(conn, event_id)


@router.get("/register", response_model=Page[RegisterRow],
            responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"}})
def register(request: Request, conn: Conn, store: StoreDep, supplier: Actor = None, recipient: Actor = None,
             actor: Actor = None, item: Item = None, since: IsoDate = None,
             contradicted: bool | None = None, sort: Sort = None,
             format: Literal["json", "csv"] = "json",
             limit: Annotated[int, Query(ge=1, le=10_000, description="rows per page")] = 50,
             offset: Offset = 0) -> object:
    """The deal register: one row per arms transfer, as ``armswatch register``."""
    flt = queries.EventFilter(actor=actor, supplier=supplier, recipient=recipient, item=item, since=since,
                              contradicted=contradicted, sort=sort, limit=limit, offset=offset,
                              type="arms_transfer")
    rows = queries.register(conn, store.resolver, flt)
    if format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(REGISTER_COLUMNS)
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in REGISTER_COLUMNS])
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="register.csv"'})
    return {"items": rows, "limit": limit, "offset": offset,
            "total": counted(request, conn, flt, lambda: queries.count_events(conn, store.resolver, flt))}


@router.get("/contradictions", response_model=Page[ContradictionOut])
def contradictions(request: Request, conn: Conn, store: StoreDep, actor: Actor = None, since: IsoDate = None,
                   type: EventType | None = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, object]:
    """Events that some report and others deny, with both sides' evidence."""
    flt = queries.EventFilter(actor=actor, since=since, type=type, contradicted=True, limit=limit,
                              offset=offset)
    return {"items": queries.contradictions(conn, store.resolver, flt),
            "total": counted(request, conn, flt, lambda: queries.count_events(conn, store.resolver, flt)),
            "limit": limit, "offset": offset}

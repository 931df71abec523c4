"""/api/entities and /api/network: the actors of the reporting and who deals with whom."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from armswatch.api.deps import Conn, StoreDep
from armswatch.api.models import EntityDetail, EntityOut, Graph, Page
from armswatch.api.routers.common import Actor, IsoDate, Limit, Offset
from armswatch.store import browse

router = APIRouter(tags=["entities"])

Kind = Literal["country", "person", "organization", "group", "vessel"]
Types = Annotated[list[str], Query(description="event types drawn as edges (repeatable): "
                                   + ", ".join(browse.EDGE_ROLES))]
Stages = Annotated[list[str], Query(description="stages kept (repeatable): " + ", ".join(browse.STAGES))]


@router.get("/entities", response_model=Page[EntityOut])
def list_entities(conn: Conn, q: Annotated[str | None, Query(max_length=200)] = None,
                  kind: Kind | None = None, sanctioned: bool | None = None,
                  limit: Limit = 50, offset: Offset = 0) -> dict[str, object]:
    """States, people, organisations, groups and vessels, with their sanctions matches explained."""
    flt = browse.EntityFilter(q=q, kind=kind, sanctioned=sanctioned, limit=limit, offset=offset)
    return {"items": browse.list_entities(conn, flt), "total": browse.count_entities(conn, flt),
            "limit": limit, "offset": offset}


@router.get("/entities/{entity_id}", response_model=EntityDetail)
def get_entity(entity_id: str, conn: Conn, store: StoreDep) -> dict[str, object]:
    """An entity with its sanctions matches, events and facts."""
    return browse.get_entity(conn, store.resolver, entity_id)


@router.get("/entities/{entity_id}/graph", response_model=Graph)
def entity_graph(entity_id: str, conn: Conn, store: StoreDep, type: Types = [],  # noqa: B006
                 since: IsoDate = None, until: IsoDate = None) -> dict[str, object]:
    """The entity's neighbourhood: the events it takes part in, as a graph."""
    browse.get_entity_row(conn, entity_id)
    return browse.network(conn, store.resolver, types=type, since=since, until=until, actor=entity_id)


@router.get("/network", response_model=Graph)
def network(conn: Conn, store: StoreDep, type: Types = [], stage: Stages = [],  # noqa: B006
            since: IsoDate = None, until: IsoDate = None, actor: Actor = None,
            limit: Annotated[int, Query(ge=1, le=10_000, description="events at most")] = 2000
            ) -> dict[str, object]:
    """States and actors as nodes; transfers, sanctions, contacts, cooperation as edges."""
    return browse.network(conn, store.resolver, types=type, stages=stage, since=since, until=until,
                          actor=actor, limit=limit)

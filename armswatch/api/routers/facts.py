"""/api/facts: facts with their roles, evidence and source."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from armswatch.api.deps import Conn, StoreDep, counted
from armswatch.api.models import FactOut, Page
from armswatch.api.routers.common import Actor, IsoDate, Limit, Offset
from armswatch.store import browse, queries

router = APIRouter(prefix="/facts", tags=["facts"])

FactType = Literal["arms_transfer", "sanction", "diplomatic_contact", "cooperation", "statement"]


@router.get("", response_model=Page[FactOut])
def list_facts(request: Request, conn: Conn, store: StoreDep, type: FactType | None = None,
               actor: Actor = None,
               document: Annotated[str | None, Query(max_length=200)] = None,
               since: IsoDate = None, until: IsoDate = None,
               factuality: Literal["asserted", "possible", "negated"] | None = None,
               limit: Limit = 50, offset: Offset = 0) -> dict[str, object]:
    """Facts, newest document first, filtered like ``armswatch facts``."""
    flt = queries.FactFilter(type=type, actor=actor, document=document, since=since, until=until,
                             factuality=factuality, limit=limit, offset=offset)
    return {"items": queries.list_facts(conn, store.resolver, flt),
            "total": counted(request, conn, flt, lambda: queries.count_facts(conn, store.resolver, flt)),
            "limit": limit, "offset": offset}


@router.get("/{fact_id}", response_model=FactOut)
def get_fact(fact_id: str, conn: Conn) -> dict[str, object]:
    return browse.get_fact(conn, fact_id)

"""/api/documents: what was read, and the facts found in each."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from armswatch.api.deps import Conn, StoreDep
from armswatch.api.models import DocumentDetail, DocumentOut, Page
from armswatch.api.routers.common import IsoDate, Limit, Offset
from armswatch.store import browse

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get("", response_model=Page[DocumentOut])
def list_documents(conn: Conn, q: Annotated[str | None, Query(max_length=200)] = None,
                   status: Literal["pending", "done", "failed"] | None = None,
                   source: Annotated[str | None, Query(max_length=200)] = None,
                   since: IsoDate = None, until: IsoDate = None,
                   limit: Limit = 50, offset: Offset = 0) -> dict[str, object]:
    """Documents, newest first; ``q`` searches titles, names and URLs."""
    flt = browse.DocumentFilter(q=q, status=status, source=source, since=since, until=until,
                                limit=limit, offset=offset)
    return {"items": browse.list_documents(conn, flt), "total": browse.count_documents(conn, flt),
            "limit": limit, "offset": offset}


@router.get("/{doc_id}", response_model=DocumentDetail)
def get_document(doc_id: str, conn: Conn, store: StoreDep) -> dict[str, object]:
    """A document's text and its facts; evidence ``start``/``end`` slice ``text``."""
    return browse.get_document(conn, store.resolver, doc_id)

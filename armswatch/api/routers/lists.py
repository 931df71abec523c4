"""/api/lists and /api/screen: the sanctions lists and screening names against them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from armswatch.api.deps import StoreDep
from armswatch.api.models import ListDiffOut, ListVersion, ScreenRequest, ScreenResponse
from armswatch.sanctions import screening
from armswatch.sanctions.matching import Query as NameQuery
from armswatch.store import lists as store_lists

router = APIRouter(tags=["sanctions"])


@router.get("/lists", response_model=list[ListVersion])
def list_versions(store: StoreDep) -> list[dict[str, object]]:
    """Every imported version of every list (``current`` marks the one screened against)."""
    return store_lists.versions(store)


@router.get("/lists/{name}/diff", response_model=ListDiffOut)
def list_diff(name: str, store: StoreDep,
              old: Annotated[int | None, Query(ge=1, description="version id")] = None,
              new: Annotated[int | None, Query(ge=1, description="version id")] = None) -> dict[str, object]:
    """Entries added, removed and changed between two versions (default: the last two)."""
    return store_lists.diff(store, name, old, new).to_dict()


@router.post("/screen", response_model=ScreenResponse)
async def screen(request: ScreenRequest, store: StoreDep) -> dict[str, object]:
    """Screen one name or a batch against the newest version of every stored list.

    Each match carries its score, the listed name it matched, and the features
    that explain it.
    """
    def work() -> dict[str, object]:
        loaded = screening.load_index(store)
        results = []
        for q in request.queries():
            query = NameQuery(name=q.name, schema=q.schema_, country=screening.country_code(store, q.country),
                              birth_date=q.dob)
            matches = loaded.index.screen(query, threshold=request.threshold, limit=request.limit)
            results.append({"query": q.model_dump(by_alias=True, exclude_none=True),
                            "matches": [screening.match_dict(m) for m in matches]})
        with store.engine.connect() as conn:
            names = store_lists.current_list_names(conn)
        return {"lists": names, "entries": len(loaded), "results": results}
    return await run_in_threadpool(work)

"""Writes: /api/ingest (URLs or uploaded files) and /api/feeds. They need the API token."""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from armswatch.api.deps import SettingsDep, StoreDep, require_read, require_write
from armswatch.api.models import FeedIn, FeedOut, IngestRequest, RunOut
from armswatch.pipeline import Pipeline

router = APIRouter(tags=["ingest"])

#: one pipeline run at a time per server: runs share the extractor and the store's writers
_RUN_LOCK = threading.Lock()
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str | None, index: int) -> str:
    """An uploaded file's name reduced to a harmless base name (the document keeps it as its name)."""
    base = Path((name or "").replace("\\", "/")).name
    base = _SAFE.sub("_", base).lstrip("._")[:100]
    return base or f"upload-{index}.txt"


def _run(request: Request, sources: list[str], *, extract: bool, command: str,
         names: dict[str, str] | None = None) -> dict[str, object]:
    """Run the server's one pipeline (made on first use: its extractor loads the language model
    once) over ``sources``, in a worker thread, one run at a time."""
    state = request.app.state
    with _RUN_LOCK:
        if getattr(state, "pipeline", None) is None:
            state.pipeline = Pipeline(state.store, settings=state.settings)
        summary = state.pipeline.run(sources, command=command, extract=extract)
    if names:  # report uploads by the names they were sent with, not the server's temporary paths
        summary.errors = [(names.get(source, source), reason.replace(source, names.get(source, source)))
                          for source, reason in summary.errors]
    return summary.to_dict()


@router.post("/ingest", response_model=RunOut, dependencies=[Depends(require_write)],
             openapi_extra={"requestBody": {"content": {
                 "application/json": {"schema": IngestRequest.model_json_schema()},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}})
async def ingest(request: Request, settings: SettingsDep) -> dict[str, object]:
    """Ingest URLs (JSON ``{"urls": [...]}``) or uploaded files (multipart ``files``), then extract.

    Inputs that fail are listed in ``errors``; the others are stored.
    """
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form(max_files=100)
        uploads = [f for f in form.getlist("files") if not isinstance(f, str)]
        if not uploads:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                                [{"loc": ["body", "files"], "msg": "no files uploaded in field 'files'",
                                  "type": "missing"}])
        with tempfile.TemporaryDirectory(prefix="armswatch-upload-") as tmp:
            paths, names = [], {}
            for i, upload in enumerate(uploads):
                data = await upload.read(settings.max_file_bytes + 1)
                target = Path(tmp) / f"{i:03d}" / safe_filename(upload.filename, i)
                target.parent.mkdir()
                target.write_bytes(data)
                paths.append(str(target))
                names[str(target)] = upload.filename or target.name
            return await run_in_threadpool(_run, request, paths, extract=True, command="api upload",
                                           names=names)
    try:
        payload = await request.json()
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, [
            {"loc": ["body"], "msg": 'the body is not JSON: send {"urls": [...]} or multipart files',
             "type": "json_invalid"}]) from exc
    try:
        body = IngestRequest.model_validate(payload)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False, include_context=False)]
        ) from exc
    return await run_in_threadpool(_run, request, body.urls, extract=body.extract, command="api ingest")


@router.get("/feeds", response_model=list[FeedOut], dependencies=[Depends(require_read)])
def list_feeds(store: StoreDep) -> list[dict[str, object]]:
    """The feeds that ``armswatch poll`` follows."""
    return store.list_feeds()


@router.post("/feeds", response_model=FeedOut, status_code=201, dependencies=[Depends(require_write)])
def add_feed(feed: FeedIn, store: StoreDep) -> dict[str, object]:
    """Follow a feed (RSS or Atom); adding one already followed changes nothing."""
    feed_id, _added = store.add_feed(feed.url, title=feed.title)
    return next(f for f in store.list_feeds() if f["id"] == feed_id)


@router.delete("/feeds/{feed_id}", status_code=204, dependencies=[Depends(require_write)])
def remove_feed(feed_id: Annotated[int, "feed id"], store: StoreDep) -> None:
    if not store.remove_feed(str(feed_id)):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no feed with id {feed_id}")

"""Pages of the web UI, and the static files they use.

Templates autoescape everything; the only scripts are this package's static
files (the Content-Security-Policy forbids inline ones), so text from the
reporting can never run in an analyst's browser.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import armswatch

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)


def static(path: str) -> str:
    """The URL of a static file (relative to the site root, versioned against stale caches)."""
    return f"/static/{path}?v={armswatch.__version__}"


templates.env.globals["static"] = static


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """OpenAPI docs (Swagger UI, vendored: no CDN)."""
    return templates.TemplateResponse(request, "docs.html", {"openapi_url": request.app.openapi_url})


def mount_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(router)

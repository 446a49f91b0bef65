"""The chat page: ``GET /`` serves ``bot/static/index.html``; ``/static/`` its script and style."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

# The page is plain files without a build step; a stale cached copy would talk to a changed
# API, so the browser revalidates on every load (cheap: aiohttp answers 304 by mtime).
_REVALIDATE = {"Cache-Control": "no-cache"}


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html", headers=_REVALIDATE)


async def _revalidate_static(request: web.Request, response: web.StreamResponse) -> None:
    if request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-cache")


def setup_page_routes(app: web.Application) -> None:
    """Register ``GET /`` and the page's static files under ``/static/``."""
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC_DIR, name="static")
    app.on_response_prepare.append(_revalidate_static)

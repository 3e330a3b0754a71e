"""Reaching everyone (issue 14): the service worker that keeps a few pages for offline use, and the offline page.

Both need no database: a resident without a connection, or a site whose database is down, still gets the
emergency numbers."""
import re
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.templating import STATIC_DIR, static_url, templates

router = APIRouter(include_in_schema=False)

_STATISCH = re.compile(r'"/static/([\w/.-]+\.\w+)"')


@lru_cache
def service_worker() -> bytes:
    """static/sw.js with its static URLs given their content hash: a new stylesheet changes these bytes, so the
    browser installs the new worker, which fetches the new stylesheet into its cache."""
    source = (STATIC_DIR / "sw.js").read_text(encoding="utf-8")
    return _STATISCH.sub(lambda m: f'"{static_url(m.group(1))}"', source).encode()


@router.get("/sw.js")
def sw() -> Response:
    # At the root, so its scope is the whole site; never kept by the HTTP cache, so an update is seen at once.
    return Response(service_worker(), media_type="application/javascript",
                    headers={"service-worker-allowed": "/", "cache-control": "no-cache"})


@router.get("/offline", response_class=HTMLResponse)
def offline(request: Request):
    return templates.TemplateResponse(request, "offline.html", {})

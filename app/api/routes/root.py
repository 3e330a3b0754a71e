from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app import hsds
from app.templating import templates

router = APIRouter(tags=["api"])


@router.get("/")
def api_root(request: Request) -> dict:
    """Over deze API (HSDS 3.0)."""
    return {
        "version": hsds.HSDS_VERSION,
        "profile": hsds.HSDS_PROFILE,
        "openapi_url": str(request.url_for("openapi")),
    }


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
def api_docs(request: Request):
    """A plain HTML reference made from the OpenAPI document: no script, so the strict CSP holds."""
    return templates.TemplateResponse(request, "api_docs.html", {"spec": request.app.openapi()})

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse

from app import hsds
from app.api.deps import PagingDep, SearchDep, SessionDep
from app.errors import fout
from app.listings import cached_json, cached_services, load_services

router = APIRouter(prefix="/services", tags=["services"])
NOT_FOUND = "Deze dienst bestaat niet (meer). Zoek opnieuw via /api/v1/services."


@router.get("")
def read_services(session: SessionDep, found: SearchDep, paging: PagingDep) -> dict:
    """Diensten zoeken: tekst, thema, laag, wijk, en afstand vanaf een postcode of lat/lon."""
    hits = paging.slice(found.result.hits)
    views = cached_services(session, [h.service_id for h in hits], found.result.version)
    contents = [
        cached_json(v.service.id, lambda v=v: hsds.service(v)) | hsds.distance(h.distance_m)
        for v, h in zip(views, hits, strict=False)
    ]
    body = hsds.page(contents, len(found.result.hits), paging.page, paging.per_page)
    if not found.result.hits:
        body["suggesties"] = found.result.suggesties
    # Plain dicts of JSON types: skip FastAPI's generic encoder on this hot path.
    return JSONResponse(body)


@router.get("/{service_id}", responses=fout(404, "Deze dienst bestaat niet (meer)."))
def read_service(session: SessionDep, service_id: str) -> dict:
    views = load_services(session, [service_id])
    if not views:
        raise HTTPException(404, NOT_FOUND)
    return hsds.service(views[0])

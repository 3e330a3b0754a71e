from fastapi import APIRouter, HTTPException

from app import hsds
from app.api.deps import PagingDep, SearchDep, SessionDep
from app.errors import fout
from app.listings import ServiceView, cached_services, load_services
from app.models import ServiceAtLocation

router = APIRouter(prefix="/service_at_locations", tags=["service_at_locations"])


def _sal(view: ServiceView, location_id: str | None, distance_m: int | None) -> dict | None:
    lv = next((lv for lv in view.locations if lv.location.id == location_id), None)
    if lv is None:
        return None
    return {
        "id": lv.sal_ids[view.service.id],
        "service_id": view.service.id,
        "location_id": lv.location.id,
        "service": hsds.service(view, with_locations=False),
        "location": hsds.location(lv, distance_m),
        "distance_m": distance_m,
    }


@router.get("")
def read_service_at_locations(session: SessionDep, found: SearchDep, paging: PagingDep) -> dict:
    """Dienst op een plek. Met postcode (of lat/lon) en proximity (meters): dichtstbij eerst."""
    hits = [h for h in found.result.hits if h.location_id]
    page_hits = paging.slice(hits)
    views = cached_services(session, [h.service_id for h in page_hits], found.result.version)
    contents = [_sal(v, h.location_id, h.distance_m) for v, h in zip(views, page_hits, strict=False)]
    return hsds.page([c for c in contents if c], len(hits), paging.page, paging.per_page)


@router.get("/{sal_id}", responses=fout(404, "Deze dienst op deze plek bestaat niet (meer)."))
def read_service_at_location(session: SessionDep, sal_id: str) -> dict:
    sal = session.get(ServiceAtLocation, sal_id)
    views = load_services(session, [sal.service_id]) if sal else []
    if not views or not any(lv.location.id == sal.location_id for lv in views[0].locations):
        raise HTTPException(404, "Deze dienst op deze plek bestaat niet (meer). Zoek via /api/v1/service_at_locations.")
    return _sal(views[0], sal.location_id, None)

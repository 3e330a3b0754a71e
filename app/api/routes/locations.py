from fastapi import APIRouter, HTTPException
from sqlalchemy import func
from sqlmodel import select

from app import hsds
from app.api.deps import PagingDep, SearchDep, SessionDep
from app.listings import load_locations, load_services
from app.models import Location, ServiceAtLocation

router = APIRouter(tags=["locations"])


@router.get("/locations")
def read_locations(session: SessionDep, paging: PagingDep) -> dict:
    total = session.exec(select(func.count()).select_from(Location)).one()
    ids = session.exec(
        select(Location.id).order_by(Location.name)
        .offset((paging.page - 1) * paging.per_page).limit(paging.per_page)
    ).all()
    return hsds.page([hsds.location(lv) for lv in load_locations(session, ids)], total, paging.page, paging.per_page)


@router.get("/locations/{location_id}")
def read_location(session: SessionDep, location_id: str) -> dict:
    views = load_locations(session, [location_id])
    if not views:
        raise HTTPException(404, "Deze plek bestaat niet (meer). Zie de lijst op /api/v1/locations.")
    service_ids = session.exec(
        select(ServiceAtLocation.service_id).where(ServiceAtLocation.location_id == location_id)
    ).all()
    return hsds.location(views[0]) | {
        "services": [hsds.service(v, with_locations=False) for v in load_services(session, service_ids)]
    }


@router.get("/locaties.geojson")
def read_locaties_geojson(session: SessionDep, found: SearchDep) -> dict:
    """De plekken van de gevonden diensten als GeoJSON (alleen plekken met een punt op de kaart)."""
    by_location: dict[str, list[str]] = {}
    distances: dict[str, int | None] = {}
    for hit in found.result.hits:
        if hit.location_id:
            by_location.setdefault(hit.location_id, []).append(hit.service_id)
            distances.setdefault(hit.location_id, hit.distance_m)
    features = []
    for lv in load_locations(session, by_location):
        loc = lv.location
        if loc.latitude is None:
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [loc.longitude, loc.latitude]},
            "properties": {
                "id": loc.id, "naam": loc.name, "url": f"/locaties/{loc.slug}",
                "adres": lv.address.address_1 or None if lv.address else None,
                "plaatsing": loc.plaatsing, "wijkentree": loc.is_wijkentree,
                "wijk": loc.wijk_code, "aantal_diensten": len(by_location[loc.id]),
                "distance_m": distances[loc.id],
            },
        })
    return {"type": "FeatureCollection", "features": features}

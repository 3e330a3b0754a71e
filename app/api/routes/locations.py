import json

from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import JSONResponse
from sqlalchemy import func
from sqlmodel import col, select

from app import hsds
from app.api.deps import PagingDep, SearchDep, SessionDep
from app.conventions import etag_of
from app.errors import fout
from app.listings import cached_made, load_locations, load_services
from app.models import Location, ServiceAtLocation, zichtbare_locatie

router = APIRouter(tags=["locations"])


@router.get("/locations")
def read_locations(session: SessionDep, paging: PagingDep) -> dict:
    total = session.exec(select(func.count()).select_from(Location).where(zichtbare_locatie())).one()
    ids = session.exec(
        select(Location.id).where(zichtbare_locatie()).order_by(Location.name)
        .offset((paging.page - 1) * paging.per_page).limit(paging.per_page)
    ).all()
    return hsds.page([hsds.location(lv) for lv in load_locations(session, ids)], total, paging.page, paging.per_page)


@router.get("/locations/{location_id}", responses=fout(404, "Deze plek bestaat niet (meer)."))
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


class GeoJSONResponse(JSONResponse):
    media_type = "application/geo+json"


@router.get("/locaties.geojson", response_class=GeoJSONResponse,
            responses={200: {"content": {"application/geo+json": {"schema": {"type": "object"}}}}})
def read_locaties_geojson(session: SessionDep, found: SearchDep) -> Response:
    """De plekken van de gevonden diensten als GeoJSON (alleen plekken met een punt op de kaart)."""
    by_location: dict[str, list[str]] = {}
    distances: dict[str, int | None] = {}
    for hit in found.result.hits:
        if hit.location_id:
            by_location.setdefault(hit.location_id, []).append(hit.service_id)
            distances.setdefault(hit.location_id, hit.distance_m)
    version = found.result.version
    # Made once per data version and per set of places (the same filter gives the same places): the map asks
    # for it on every search page.
    key = ("locaties.geojson", *((i, len(s), distances[i]) for i, s in by_location.items()))
    body, etag = cached_made(session, version, key, lambda own: _geojson(own, version, by_location, distances))
    return Response(body, media_type="application/geo+json", headers={"etag": etag})


def _geojson(session, version: tuple, by_location: dict[str, list[str]], distances: dict) -> tuple[bytes, str]:
    points = cached_made(session, version, ("kaartpunten",), _points)
    features = [
        points[i] | {"properties": points[i]["properties"] | {
            "aantal_diensten": len(service_ids), "distance_m": distances[i]}}
        for i, service_ids in by_location.items() if i in points
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":")).encode()
    return body, etag_of(body)


def _points(session) -> dict[str, dict]:
    """Every location with a point on the map, as a GeoJSON feature without the counts of a search."""
    ids = session.exec(select(Location.id).where(col(Location.latitude).is_not(None))).all()
    return {
        lv.location.id: {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lv.location.longitude, lv.location.latitude]},
            "properties": {
                "id": lv.location.id, "naam": lv.location.name, "url": f"/locaties/{lv.location.slug}",
                "adres": lv.address.address_1 or None if lv.address else None,
                "plaatsing": lv.location.plaatsing, "wijkentree": lv.location.is_wijkentree,
                "wijk": lv.location.wijk_code,
            },
        }
        for lv in load_locations(session, ids)
    }

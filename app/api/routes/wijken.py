import json

from fastapi import APIRouter, HTTPException
from sqlalchemy import func
from sqlmodel import select

from app.api.deps import SessionDep
from app.errors import fout
from app.models import Location, Wijk, zichtbare_locatie
from app.params import find_wijk

router = APIRouter(prefix="/wijken", tags=["wijken"])


def wijk_features(session, wijken: list[Wijk]) -> list[dict]:
    counts = dict(session.exec(
        select(Location.wijk_code, func.count()).where(zichtbare_locatie()).group_by(Location.wijk_code)).all())
    entrees: dict[str, list[dict]] = {}
    for loc in session.exec(select(Location).where(Location.is_wijkentree, zichtbare_locatie()).order_by(Location.name)):
        entrees.setdefault(loc.wijk_code, []).append({"naam": loc.name, "slug": loc.slug, "url": f"/locaties/{loc.slug}"})
    return [
        {
            "type": "Feature",
            "geometry": json.loads(w.geometry),
            "properties": {
                "code": w.code, "naam": w.naam, "slug": w.slug, "url": f"/wijken/{w.slug}",
                "aantal_locaties": counts.get(w.code, 0),
                "wijkentree": entrees.get(w.code, []),
            },
        }
        for w in wijken
    ]


@router.get("")
def read_wijken(session: SessionDep) -> dict:
    """Alle wijken van Hengelo als GeoJSON (CBS 2024; Bron: CBS, Kadaster)."""
    wijken = session.exec(select(Wijk).order_by(Wijk.code)).all()
    return {"type": "FeatureCollection", "features": wijk_features(session, wijken)}


@router.get("/{code_or_slug}", responses=fout(404, "Deze wijk kennen we niet."))
def read_wijk(session: SessionDep, code_or_slug: str) -> dict:
    wijk = find_wijk(session, code_or_slug)
    if wijk is None:
        raise HTTPException(404, f"De wijk '{code_or_slug}' kennen we niet. Zie de lijst op /api/v1/wijken.")
    return wijk_features(session, [wijk])[0]

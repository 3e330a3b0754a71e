from fastapi import APIRouter, HTTPException

from app import geo
from app.api.deps import SessionDep
from app.geocoder import locate_postcode
from app.models import Buurt, Wijk

router = APIRouter(prefix="/postcodes", tags=["postcodes"])


@router.get("/{postcode}")
def read_postcode(session: SessionDep, postcode: str) -> dict:
    """Waar een postcode ligt: punt, wijk en buurt."""
    try:
        pc = geo.parse_postcode(postcode)
        (lat, lon), precise = locate_postcode(pc)
    except geo.PostcodeError as e:
        raise HTTPException(422, str(e)) from None
    wijk_code, buurt_code = geo.locate(lat, lon)
    wijk = session.get(Wijk, wijk_code) if wijk_code else None
    buurt = session.get(Buurt, buurt_code) if buurt_code else None
    return {
        "postcode": str(pc),
        "lat": lat,
        "lon": lon,
        "precisie": "postcode" if precise else "postcodegebied (4 cijfers)",
        "wijk": {"code": wijk.code, "naam": wijk.naam, "slug": wijk.slug} if wijk else None,
        "buurt": {"code": buurt.code, "naam": buurt.naam} if buurt else None,
    }

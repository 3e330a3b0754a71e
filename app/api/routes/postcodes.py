from typing import Annotated

from fastapi import APIRouter, Path

from app import geo
from app.api.deps import POSTCODE_PAD, SessionDep
from app.errors import InputError
from app.geocoder import locate_postcode
from app.models import Buurt, Wijk

router = APIRouter(prefix="/postcodes", tags=["postcodes"])


@router.get("/{postcode}")
def read_postcode(session: SessionDep, postcode: Annotated[str, Path(
        max_length=10, description="Postcode in Hengelo: 7551 AB of 7551",
        json_schema_extra=POSTCODE_PAD)]) -> dict:
    """Waar een postcode ligt: punt, wijk en buurt."""
    try:
        pc = geo.parse_postcode(postcode)
        (lat, lon), precise = locate_postcode(pc)
    except geo.PostcodeError as e:
        raise InputError("postcode", str(e), where="path") from None
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

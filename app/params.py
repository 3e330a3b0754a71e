"""Turn request parameters into a search Query, with Dutch errors for anything we cannot use."""
from dataclasses import dataclass

from sqlmodel import Session, or_, select

from app import geo
from app.errors import InputError
from app.geocoder import locate_postcode
from app.listings import terms_of
from app.models import Wijk
from app.search import Query


@dataclass
class Origin:
    """Where distances are measured from."""
    lat: float
    lon: float
    postcode: str | None = None
    wijk_code: str | None = None


def parse_coordinate(value: str, field: str) -> float | None:
    """A coordinate from a web form: empty means not given (a GET form sends lat=&lon=)."""
    if not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        raise InputError(field, "Deze plaats kunnen we niet lezen. Zoek met uw postcode.") from None
    if not (-90 <= number <= 90 if field == "lat" else -180 <= number <= 180):
        raise InputError(field, "Deze plaats bestaat niet. Zoek met uw postcode.")
    return number


def parse_origin(postcode: str | None, lat: float | None, lon: float | None) -> Origin | None:
    if postcode and postcode.strip():
        try:
            pc = geo.parse_postcode(postcode)
            (plat, plon), _ = locate_postcode(pc)
        except geo.PostcodeError as e:
            raise InputError("postcode", str(e)) from None
        wijk_code, _ = geo.locate(plat, plon)
        return Origin(plat, plon, str(pc), wijk_code)
    if (lat is None) != (lon is None):
        raise InputError("lat", "Geef lat en lon allebei op, of geen van beide.")
    if lat is not None:
        wijk_code, _ = geo.locate(lat, lon)
        return Origin(lat, lon, None, wijk_code)
    return None


def check_codes(session: Session, taxonomy: str, codes: list[str], field: str) -> tuple[str, ...]:
    if not codes:
        return ()
    known = {t.code for t in terms_of(session, taxonomy)}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InputError(
            field, f"{taxonomy.capitalize()} '{unknown[0]}' bestaat niet. Kies uit: {', '.join(sorted(known))}."
        )
    return tuple(codes)


def find_wijk(session: Session, code_or_slug: str) -> Wijk | None:
    return session.exec(
        select(Wijk).where(or_(Wijk.code == code_or_slug.upper(), Wijk.slug == code_or_slug.lower()))
    ).first()


def build_query(
    session: Session, *, q: str = "", thema: list[str] | None = None, laag: list[str] | None = None,
    wijk: str | None = None, origin: Origin | None = None, open_nu: bool = False, **hsds,
) -> Query:
    wijk_code = None
    if wijk:
        found = find_wijk(session, wijk)
        if found is None:
            raise InputError("wijk", f"De wijk '{wijk}' kennen we niet. Kies een wijk uit de lijst op /wijken.")
        wijk_code = found.code
    return Query(
        q=(q or "").strip()[:200],
        themas=check_codes(session, "thema", [t for t in thema or [] if t], "thema"),
        laag=check_codes(session, "laag", [x for x in laag or [] if x], "laag"),
        wijk=wijk_code,
        point=(origin.lat, origin.lon) if origin else None,
        open_nu=open_nu,
        **hsds,
    )

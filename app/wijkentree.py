"""The nearest wijkentree: by distance over every location marked as wijkentree (not only the own wijk)."""
from datetime import datetime, timedelta

from sqlmodel import Session

from app import geo, hours, search
from app.listings import wijkentree_locations
from app.params import Origin

# Two wijkentrees whose distances differ less than this count as "about equally near";
# then the one that opens sooner comes first.
EVEN_VER_M = 500
FAR_FUTURE = timedelta(days=3650)


def nearest_wijkentrees(session: Session, origin: Origin | None, now: datetime) -> list[dict]:
    """Every wijkentree with distance and opening status; nearest first when there is an origin."""
    out = []
    for lv in wijkentree_locations(session, search.get_index(session).version):
        loc = lv.location
        distance = None
        if origin is not None and loc.latitude is not None:
            distance = geo.distance_m((origin.lat, origin.lon), (loc.latitude, loc.longitude))
        out.append({"location": lv, "distance_m": distance, "status": hours.status(lv.schedules, now)})

    def opens_in(item) -> timedelta:
        status = item["status"]
        if status.open_nu:
            return timedelta(0)
        return (status.volgende_opening - now) if status.volgende_opening else FAR_FUTURE

    if origin is None:
        out.sort(key=lambda i: i["location"].location.name)
    else:
        out.sort(key=lambda i: (i["distance_m"] is None, (i["distance_m"] or 0) // EVEN_VER_M, opens_in(i),
                                i["distance_m"] or 0))
    return out

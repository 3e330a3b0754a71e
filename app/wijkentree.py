"""Wijkentree locations: the nearest one (by distance over every location marked as wijkentree, not only
the own wijk), and importing the official list from a CSV file."""
import re
from datetime import datetime, time, timedelta

from sqlmodel import Session, select

from app import geo, hours, search
from app.data.core import SYSTEEM, Schrijver, Wie, schrijf
from app.listings import wijkentree_locations
from app.models import Address, Location, Phone, Schedule
from app.params import Origin

# Two wijkentrees whose distances differ less than this count as "about equally near";
# then the one that opens sooner comes first.
EVEN_VER_M = 500
FAR_FUTURE = timedelta(days=3650)


def nearest_wijkentrees(session: Session, origin: Origin | None, now: datetime) -> list[dict]:
    """Every wijkentree with distance and opening status; nearest first when there is an origin."""
    if now.tzinfo is None:  # as in app.hours: a naive time is Amsterdam time
        now = now.replace(tzinfo=hours.TZ)
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


# --- the official list: import from CSV (python -m app wijkentree FILE) ------------------------------

CSV_COLUMNS = ("slug", "naam", "adres", "postcode", "lat", "lon", "telefoon", "openingstijden", "bron")
_HOURS_RE = re.compile(r"^\s*((?:MO|TU|WE|TH|FR|SA|SU)(?:\s*,\s*(?:MO|TU|WE|TH|FR|SA|SU))*)\s+"
                       r"(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


def parse_hours(text: str) -> list[tuple[str, time, time]]:
    """'MO,TU 09:00-17:00; FR 09:00-12:00' -> weekly rules. Raises ValueError with a Dutch message."""
    rules = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        m = _HOURS_RE.match(part.upper())
        if not m:
            raise ValueError(f"openingstijden '{part}' begrijp ik niet; schrijf bijvoorbeeld 'MO,TU 09:00-17:00'")
        rules.append((m.group(1).replace(" ", ""), time.fromisoformat(m.group(2).zfill(5)),
                      time.fromisoformat(m.group(3).zfill(5))))
    return rules


def import_wijkentrees(session: Session, rows: list[dict[str, str]], only_these: bool = False,
                       wie: Wie = SYSTEEM) -> dict[str, int]:
    """Mark (and where needed create) the wijkentree locations from the official list.

    Every row is checked first; one wrong row and nothing is written. With only_these, locations not
    in the list lose their wijkentree mark, so the official list replaces what the seed marked.
    One transaction through the data layer, with an audit row per location.
    """
    errors, plans = [], []
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        row = {k: (row.get(k) or "").strip() for k in CSV_COLUMNS}
        try:
            plans.append((row, _plan(session, row)))
        except ValueError as e:
            errors.append(f"regel {n} ({row['slug'] or 'zonder slug'}): {e}")
    if errors:
        raise ValueError("Niets ingelezen. " + " | ".join(errors))
    with schrijf(session, wie) as w:
        created = _mark(session, w, plans, only_these)
    return {"gemarkeerd": len(plans), "nieuw": created}


def _mark(session: Session, w: Schrijver, plans: list, only_these: bool) -> int:
    if only_these:
        keep = {row["slug"] for row, _ in plans}
        for loc in session.exec(select(Location).where(Location.is_wijkentree)):
            if loc.slug not in keep:
                voor = w.foto("location", loc.id)
                loc.is_wijkentree = False
                w.vastleggen("geen wijkentree meer", "location", loc.id, voor)
    created = 0
    for row, (location, point, hours_rules) in plans:
        voor = None
        if location is None:
            created += 1
            location = Location(slug=row["slug"], name=row["naam"])
            session.add(location)
        else:
            voor = w.foto("location", location.id)
        location.is_wijkentree = True
        if row["naam"]:
            location.name = row["naam"]
        if point:
            (location.latitude, location.longitude), location.plaatsing, location.plaatsing_bron = point
            location.wijk_code, location.buurt_code = geo.locate(location.latitude, location.longitude)
            if location.plaatsing == "benadering":
                location.buurt_code = None
        session.flush()
        if row["adres"] or row["postcode"]:
            address = session.exec(select(Address).where(Address.location_id == location.id)).first()
            address = address or Address(location_id=location.id, city="Hengelo")
            address.address_1 = row["adres"] or address.address_1
            address.postal_code = row["postcode"] or address.postal_code
            session.add(address)
        if row["telefoon"] and not session.exec(
            select(Phone).where(Phone.location_id == location.id, Phone.number == row["telefoon"])
        ).first():
            session.add(Phone(location_id=location.id, number=row["telefoon"]))
        if hours_rules:
            for old in session.exec(select(Schedule).where(Schedule.location_id == location.id)):
                session.delete(old)
            for byday, opens, closes in hours_rules:
                session.add(Schedule(location_id=location.id, freq="WEEKLY", byday=byday, opens_at=opens,
                                     closes_at=closes, description=row["openingstijden"]))
        w.vastleggen("wijkentree" if voor else "aangemaakt als wijkentree", "location", location.id, voor)
    return created


def _plan(session: Session, row: dict[str, str]):
    if not row["slug"]:
        raise ValueError("de kolom slug is leeg")
    location = session.exec(select(Location).where(Location.slug == row["slug"])).first()
    if location is None and not row["naam"]:
        raise ValueError("deze plek bestaat nog niet; vul dan ook de naam in")
    point = None
    if row["lat"] or row["lon"]:
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            raise ValueError("lat en lon moeten allebei een getal zijn, zoals 52.2661 en 6.7914") from None
        if geo.locate(lat, lon) == (None, None):
            raise ValueError("dit punt ligt niet in Hengelo")
        point = ((lat, lon), "exact", row["bron"] or "officiële lijst van wijkentree-locaties")
    elif row["postcode"]:
        try:
            pc = geo.parse_postcode(row["postcode"])
            point = (geo.postcode_point(pc), "benadering", f"midden van postcodegebied {pc.pc4}")
        except geo.PostcodeError as e:
            raise ValueError(str(e)) from None
    return location, point, parse_hours(row["openingstijden"])

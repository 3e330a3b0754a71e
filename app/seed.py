"""Load the sourced Hengelo listings (seed/) and the CBS areas (geo/) into the database.

One CSV row is one service. Rows that seed/gebouwen.csv puts in the same building share one location.
A location is placed, in this order, by: coordinates a source states (hengelo-places-geo.csv), its
postcode (PC4 reference point), or the area its source names (hengelo-places-gebied.csv). The last two
are "plaats bij benadering". Nothing is guessed: an empty field stays empty.

Ids are UUIDs derived from the seed id, so a fresh install gets the same ids as the last one.
"""
import csv
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache
from pathlib import Path

import yaml
from sqlmodel import Session, select

from app import geo, listings
from app.data.core import SYSTEEM, schrijf
from app.models import (
    Address,
    Attribute,
    Buurt,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    Wijk,
    utcnow,
)

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
PLACES_DIR = SEED_DIR / "bron"
NAMESPACE = uuid.UUID("5b0c6f4e-2f1a-4c7e-9a51-1e6f0b6a7d10")
HEADER = [
    "id", "naam", "organisatie", "soort", "laag", "themas", "straat", "huisnummer", "postcode", "plaats",
    "telefoon", "email", "website", "openingstijden", "omschrijving_b1", "bron_url", "bron_jaar", "zekerheid",
]
ZEKERHEDEN = {"hoog", "middel", "laag"}
SOURCE_YEAR_RECENT = 2022  # the seed's own rule: "hoog" needs a source from 2022 or later


def stable_id(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def place_files() -> list[Path]:
    """hengelo-places.csv and every hengelo-places-*.csv with the same header."""
    files = []
    for path in sorted(PLACES_DIR.glob("hengelo-places*.csv")):
        with open(path, encoding="utf-8") as f:
            if next(csv.reader(f), []) == HEADER:
                files.append(path)
    return files


@lru_cache
def load_taxonomies() -> dict:
    with open(SEED_DIR / "taxonomie.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@dataclass
class Problem:
    id: str
    missing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def rows() -> list[dict[str, str]]:
    return [row | {"_bestand": path.name} for path in place_files() for row in _read_csv(path)]


def check_data() -> tuple[list[Problem], dict[str, int]]:
    """What each listing misses, and errors that would make the seed wrong. Reads files only."""
    taxonomies = load_taxonomies()
    themas = set(taxonomies["thema"]["terms"])
    lagen = set(taxonomies["laag"]["terms"])
    all_rows = rows()
    ids = [r["id"] for r in all_rows]
    by_id = {r["id"]: r for r in all_rows}
    geo_rows = {r["id"]: r for r in _read_csv(PLACES_DIR / "hengelo-places-geo.csv")}
    gebied = {r["id"]: r for r in _read_csv(PLACES_DIR / "hengelo-places-gebied.csv")}
    gebouwen = {r["id"]: r["gebouw"] for r in _read_csv(SEED_DIR / "gebouwen.csv")}
    hours = {r["id"] for r in _read_csv(SEED_DIR / "openingstijden.csv")}
    problems = []
    for row in all_rows:
        p = Problem(row["id"])
        if ids.count(row["id"]) > 1:
            p.errors.append(f"id komt {ids.count(row['id'])} keer voor")
        if row["laag"] not in lagen:
            p.errors.append(f"onbekende laag '{row['laag']}'")
        for t in filter(None, row["themas"].split(";")):
            if t not in themas:
                p.errors.append(f"onbekend thema '{t}'")
        if row["zekerheid"] not in ZEKERHEDEN:
            p.errors.append(f"zekerheid '{row['zekerheid']}' is niet hoog, middel of laag")
        if row["postcode"]:
            try:
                geo.postcode_point(geo.parse_postcode(row["postcode"]))
            except geo.PostcodeError as e:
                p.errors.append(str(e))
        building = gebouwen.get(row["id"], row["id"])
        # Placement is per building, as in _seed_location: any row of the building may name its place.
        group = [r for r in all_rows if gebouwen.get(r["id"], r["id"]) == building]
        if building not in ids:
            p.errors.append(f"gebouw '{building}' staat niet in de bestanden")
        if row["laag"] != "spoed":
            coords = geo_rows.get(building, {})
            if not ((coords.get("straat") or row["straat"]) and (coords.get("huisnummer") or row["huisnummer"])):
                p.missing.append("adres (straat en huisnummer)")
            postcode = by_id[building]["postcode"] or coords.get("postcode")
            if not postcode:
                p.missing.append("postcode")
            if not coords.get("lat"):
                p.missing.append("exacte coördinaten")
            if not (coords.get("lat") or postcode or any(r["id"] in gebied for r in group)):
                p.missing.append("plaats op de kaart")
        if not row["telefoon"]:
            p.missing.append("telefoonnummer")
        if not (row["openingstijden"] or row["id"] in hours):
            p.missing.append("openingstijden")
        year = int(row["bron_jaar"]) if row["bron_jaar"].isdigit() else None
        if year is None or year < SOURCE_YEAR_RECENT:
            p.missing.append(f"recente bron (nu: {row['bron_jaar'] or 'onbekend'})")
        # Search hides a listing whose period ended (listings.einde); beheer sees it here.
        ended = listings.einde(Service(slug=row["id"], name=row["naam"], description=row["omschrijving_b1"]), [])
        if ended is not None and ended < date.today():
            p.missing.append(f"een lopende periode (voorbij sinds {ended:%d-%m-%Y}, verborgen voor inwoners)")
        if p.missing or p.errors:
            problems.append(p)
    return problems, {"rijen": len(all_rows), "bestanden": len(place_files())}


def seed(session: Session, refresh: bool = False) -> dict[str, int]:
    """Add what is missing; with refresh, also overwrite seed fields of existing listings.

    Either way, assured_date and the wijkentree marks set by Wijkracht are left alone. One transaction through
    the data layer: every cache and the search index follow (the data version), and the audit says "seed".
    """
    with schrijf(session, SYSTEEM) as w:
        counts = _seed(session, refresh)
        w.vastleggen("seed --refresh" if refresh else "seed", "sociale_kaart", "seed", na=counts)
    return counts


def _seed(session: Session, refresh: bool) -> dict[str, int]:
    counts = {"wijken": _seed_areas(session), "termen": _seed_taxonomies(session)}
    all_rows = rows()
    by_id = {r["id"]: r for r in all_rows}
    gebouwen = {r["id"]: r["gebouw"] for r in _read_csv(SEED_DIR / "gebouwen.csv")}
    geo_rows = {r["id"]: r for r in _read_csv(PLACES_DIR / "hengelo-places-geo.csv")}
    gebied = {r["id"]: r for r in _read_csv(PLACES_DIR / "hengelo-places-gebied.csv")}
    wijkentree = {r["id"] for r in _read_csv(SEED_DIR / "wijkentree.csv")}
    hours: dict[str, list[dict]] = {}
    for r in _read_csv(SEED_DIR / "openingstijden.csv"):
        hours.setdefault(r["id"], []).append(r)
    terms = {(t.taxonomy_id, t.code): t.id for t in session.exec(select(TaxonomyTerm))}
    taxonomy_ids = {t.name: t.id for t in session.exec(select(Taxonomy))}

    organizations = {}
    for row in all_rows:
        name = row["organisatie"] or row["naam"]
        if name not in organizations:
            organizations[name] = _upsert(session, Organization, stable_id("organization", name), refresh, name=name,
                                          description="", website=None)
    counts["organisaties"] = len(organizations)

    locations: dict[str, Location] = {}
    added = 0
    for row in all_rows:
        building_id = gebouwen.get(row["id"], row["id"])
        if building_id not in locations:
            b = by_id[building_id]
            group = [r for r in all_rows if gebouwen.get(r["id"], r["id"]) == building_id]
            locations[building_id] = _seed_location(
                session, b, group, geo_rows, gebied, organizations, building_id in wijkentree, refresh
            )
        location = locations[building_id]
        service_id = stable_id("service", row["id"])
        is_new = session.get(Service, service_id) is None
        added += is_new
        service = _upsert(
            session, Service, service_id, refresh,
            slug=row["id"], name=row["naam"], description=row["omschrijving_b1"],
            organization_id=organizations[row["organisatie"] or row["naam"]].id,
            url=row["website"] or None, email=row["email"] or None, soort=row["soort"],
            bron_url=row["bron_url"], bron_jaar=int(row["bron_jaar"]) if row["bron_jaar"].isdigit() else None,
            zekerheid=row["zekerheid"],
        )
        if is_new or refresh:
            _replace_children(session, service.id, location.id, row, hours.get(row["id"], []), terms, taxonomy_ids)
    counts.update(diensten=len(all_rows), nieuw=added, locaties=len(locations))
    return counts


def _upsert(session: Session, model, id_: str, refresh: bool, **fields):
    obj = session.get(model, id_)
    if obj is None:
        obj = model(id=id_, **fields)
        session.add(obj)
    elif refresh:
        for k, v in fields.items():
            setattr(obj, k, v)
        if hasattr(obj, "last_modified"):
            obj.last_modified = utcnow()
    session.flush()
    return obj


def _seed_location(session, b, group, geo_rows, gebied, organizations, is_wijkentree, refresh) -> Location:
    lat = lon = None
    plaatsing, plaatsing_bron = "geen", ""
    coords = geo_rows.get(b["id"], {})
    postcode = b["postcode"] or coords.get("postcode", "")
    area = next((gebied[r["id"]] for r in [b, *group] if r["id"] in gebied), None)
    if coords.get("lat") and coords.get("lon"):
        lat, lon = float(coords["lat"]), float(coords["lon"])
        plaatsing, plaatsing_bron = "exact", coords.get("coord_bron", "")
    elif postcode:
        lat, lon = geo.postcode_point(geo.parse_postcode(postcode))
        plaatsing, plaatsing_bron = "benadering", f"midden van postcodegebied {postcode[:4]}"
    elif area:
        lat, lon = geo.area_point(area["gebied_code"])
        plaatsing, plaatsing_bron = "benadering", f"een punt in {area['gebied_naam']} ({area['grond']})"
    wijk_code, buurt_code = geo.locate(lat, lon) if lat is not None else (None, None)
    if plaatsing == "benadering":
        # An approximate point says which wijk, not which buurt: keep only what the source names.
        named = area["gebied_code"] if area and not postcode else ""
        buurt_code = named if named.startswith("BU") else None
    street = coords.get("straat") or b["straat"]
    number = coords.get("huisnummer") or b["huisnummer"]
    has_address = bool(street or b["plaats"])
    location_id = stable_id("location", b["id"])
    existing = session.get(Location, location_id)
    location = _upsert(
        session, Location, location_id, refresh,
        slug=b["id"], name=b["naam"], description=b["omschrijving_b1"],
        organization_id=organizations[b["organisatie"] or b["naam"]].id,
        location_type="physical" if has_address else "virtual",
        latitude=lat, longitude=lon, plaatsing=plaatsing, plaatsing_bron=plaatsing_bron,
        wijk_code=wijk_code, buurt_code=buurt_code,
    )
    if existing is None:
        location.is_wijkentree = is_wijkentree
    if has_address and (existing is None or refresh):
        for old in session.exec(select(Address).where(Address.location_id == location.id)):
            session.delete(old)
        session.add(Address(
            id=stable_id("address", b["id"]), location_id=location.id,
            address_1=" ".join(filter(None, [street, number])), postal_code=postcode,
            city=b["plaats"] or "Hengelo",
        ))
    return location


def _replace_children(session, service_id, location_id, row, hours, terms, taxonomy_ids) -> None:
    for model, column in ((Phone, Phone.service_id), (Schedule, Schedule.service_id)):
        for old in session.exec(select(model).where(column == service_id)):
            session.delete(old)
    for old in session.exec(select(Attribute).where(Attribute.link_id == service_id)):
        session.delete(old)
    session.flush()
    if not session.exec(select(ServiceAtLocation).where(
        ServiceAtLocation.service_id == service_id, ServiceAtLocation.location_id == location_id
    )).first():
        session.add(ServiceAtLocation(id=stable_id("sal", f"{row['id']}@{location_id}"),
                                      service_id=service_id, location_id=location_id))
    if row["telefoon"]:
        session.add(Phone(id=stable_id("phone", row["id"]), service_id=service_id, number=row["telefoon"]))
    for i, h in enumerate(hours):
        session.add(Schedule(
            id=stable_id("schedule", f"{row['id']}:{i}"), service_id=service_id, freq="WEEKLY", byday=h["byday"],
            opens_at=time.fromisoformat(h["opens_at"]), closes_at=time.fromisoformat(h["closes_at"]),
            description=row["openingstijden"],
        ))
    if row["openingstijden"] and not hours:
        # The source's words could not be made into weekly rules; keep them as they are.
        session.add(Schedule(id=stable_id("schedule", f"{row['id']}:tekst"), service_id=service_id,
                             description=row["openingstijden"]))
    codes = [("laag", row["laag"])] + [("thema", t) for t in filter(None, row["themas"].split(";"))]
    for taxonomy, code in codes:
        term_id = terms[(taxonomy_ids[taxonomy], code)]
        session.add(Attribute(id=stable_id("attribute", f"{row['id']}:{term_id}"), link_id=service_id,
                              taxonomy_term_id=term_id))


def _seed_taxonomies(session: Session) -> int:
    n = 0
    for name, spec in load_taxonomies().items():
        tax = session.get(Taxonomy, stable_id("taxonomy", name)) or Taxonomy(id=stable_id("taxonomy", name), name=name)
        tax.description = spec["description"]
        session.add(tax)
        for code, term in spec["terms"].items():
            tid = stable_id("taxonomy_term", f"{name}:{code}")
            obj = session.get(TaxonomyTerm, tid) or TaxonomyTerm(id=tid, taxonomy_id=tax.id, code=code)
            obj.name, obj.description = term["name"], term["description"]
            session.add(obj)
            n += 1
    session.flush()
    return n


def _seed_areas(session: Session) -> int:
    for w in geo.wijken():
        session.merge(Wijk(code=w.code, naam=w.naam, slug=w.slug, geometry=json.dumps(w.geometry.__geo_interface__)))
    session.flush()
    for b in geo.buurten():
        session.merge(Buurt(code=b.code, naam=b.naam, wijk_code=b.wijk_code,
                            geometry=json.dumps(b.geometry.__geo_interface__)))
    session.flush()
    return len(geo.wijken())

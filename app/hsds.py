"""Listings as Open Referral HSDS 3.0 JSON, and HSDS pagination.

Our own additions (source, certainty, placement, wijk, distance) are extra keys with Dutch names;
HSDS allows additional properties, so standard clients can ignore them.
"""
import math
import uuid
from typing import Any

from app.listings import LocationView, ServiceView
from app.models import Language, Organization, Phone, Schedule, TaxonomyTerm

HSDS_VERSION = "3.0"
HSDS_PROFILE = "https://openreferral.org/imls/hsds/"


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    """Leave out unknown values: HSDS types are strings/numbers, not null."""
    return {k: v for k, v in d.items() if v is not None}


def phone(p: Phone) -> dict:
    return _clean({"id": p.id, "service_id": p.service_id, "location_id": p.location_id,
                   "number": p.number, "description": p.description or None})


def language(x: Language) -> dict:
    return _clean({"id": x.id, "service_id": x.service_id, "location_id": x.location_id, "name": x.name,
                   "code": x.code, "note": x.note or None})


def schedule(s: Schedule) -> dict:
    return _clean({
        "id": s.id, "service_id": s.service_id, "location_id": s.location_id,
        "freq": s.freq, "byday": s.byday,
        "opens_at": s.opens_at.strftime("%H:%M") if s.opens_at else None,
        "closes_at": s.closes_at.strftime("%H:%M") if s.closes_at else None,
        "valid_from": s.valid_from.isoformat() if s.valid_from else None,
        "valid_to": s.valid_to.isoformat() if s.valid_to else None,
        "description": s.description or None,
        "notes": "gesloten" if s.gesloten else None,
    })


def taxonomy_term(t: TaxonomyTerm, taxonomy_name: str | None = None) -> dict:
    return _clean({"id": t.id, "code": t.code, "name": t.name, "description": t.description,
                   "taxonomy_id": t.taxonomy_id, "taxonomy": taxonomy_name, "language": "nl"})


def organization(o: Organization) -> dict:
    return _clean({"id": o.id, "name": o.name, "description": o.description or "",
                   "email": o.email, "website": o.website})


def location(lv: LocationView, distance_m: int | None = None) -> dict:
    loc = lv.location
    a = lv.address
    return _clean({
        "id": loc.id,
        "location_type": loc.location_type,
        "organization_id": loc.organization_id,
        "name": loc.name,
        "description": loc.description or None,
        "latitude": loc.latitude,
        "longitude": loc.longitude,
        "addresses": [_clean({
            "id": a.id, "location_id": loc.id, "address_1": a.address_1, "city": a.city,
            "state_province": a.state_province, "postal_code": a.postal_code, "country": a.country,
            "address_type": a.address_type,
        })] if a else [],
        "phones": [phone(p) for p in lv.phones],
        "schedules": [schedule(s) for s in lv.schedules],
        "accessibility": [{"id": loc.id, "location_id": loc.id, "description": loc.accessibility}]
        if loc.accessibility else [],
        # Ours:
        "slug": loc.slug,
        "plaatsing": loc.plaatsing,
        "plaatsing_bron": loc.plaatsing_bron or None,
        "wijkentree": loc.is_wijkentree,
        "wijk": {"code": lv.wijk.code, "naam": lv.wijk.naam, "slug": lv.wijk.slug} if lv.wijk else None,
        "buurt": {"code": lv.buurt.code, "naam": lv.buurt.naam} if lv.buurt else None,
        "distance_m": distance_m,
    })


def service(v: ServiceView, distance_m: int | None = None, with_locations: bool = True) -> dict:
    s = v.service
    return _clean({
        "id": s.id,
        "organization_id": s.organization_id,
        "name": s.name,
        "description": s.description,
        "url": s.url,
        "email": s.email,
        "status": s.status,
        "assured_date": s.assured_date.isoformat() if s.assured_date else None,
        "last_modified": s.last_modified.isoformat(),
        "phones": [phone(p) for p in v.phones],
        "schedules": [schedule(x) for x in v.schedules],
        "languages": [language(x) for x in v.languages],
        "organization": organization(v.organization) if v.organization else None,
        "attributes": [
            {"id": str(uuid.uuid5(uuid.UUID(s.id), t.id)), "link_id": s.id, "link_type": "service", "link_entity": "service",
             "taxonomy_term_id": t.id, "taxonomy_term": taxonomy_term(t, tax)}
            for tax, t in v.terms
        ],
        "service_at_locations": [
            {"id": lv.sal_ids.get(s.id, lv.location.id), "service_id": s.id, "location_id": lv.location.id,
             "location": location(lv)}
            for lv in v.locations
        ] if with_locations else None,
        # Ours:
        "slug": s.slug,
        "laag": v.codes("laag"),
        "themas": v.codes("thema"),
        "bron": {"url": s.bron_url, "jaar": s.bron_jaar, "zekerheid": s.zekerheid},
        # The listing's own texts as an editor translated them, per language (app/models.Vertaling): not HSDS.
        "vertalingen": v.vertalingen,
        "distance_m": distance_m,
    })


def distance(metres: int | None) -> dict:
    return {} if metres is None else {"distance_m": metres}


def page(contents: list, total: int, page_number: int, per_page: int) -> dict:
    total_pages = max(1, math.ceil(total / per_page)) if per_page else 1
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }

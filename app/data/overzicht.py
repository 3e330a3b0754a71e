"""What beheer reads: the listings that match the filters, the to-do list, and what an audit row changed.

The API (app/api/routes/beheer.py) and the pages (app/routes/beheer.py) both answer from these, so a filter or
a to-do rule is written once.
"""
import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import col, select

from app import hours
from app.data.meldingen import nog_open, open_meldingen
from app.listings import einde, load_services
from app.models import Attribute, Location, Melding, Service, ServiceAtLocation, TaxonomyTerm

# A listing not checked for this long counts as "nog niet gecontroleerd" (issue 10: 12 months).
CONTROLE_TERMIJN = timedelta(days=365)


def grens() -> date:
    return datetime.now(UTC).date() - CONTROLE_TERMIJN


def zoek_diensten(session, q: str = "", organisatie: str = "", wijk: str = "", thema: str = "",
                  filters: frozenset[str] = frozenset()) -> list[str]:
    """Ids of the services that match, by name; deleted ones only with the filter "verwijderd"."""
    query = select(Service.id).order_by(Service.name, Service.id)
    if q:
        woord = f"%{q.lower()}%"
        query = query.where(or_(func.lower(Service.name).like(woord), func.lower(Service.description).like(woord)))
    if organisatie:
        query = query.where(Service.organization_id == organisatie)
    if wijk:
        query = query.where(col(Service.id).in_(
            select(ServiceAtLocation.service_id).join(Location, Location.id == ServiceAtLocation.location_id)
            .where(Location.wijk_code == wijk)))
    if thema:
        query = query.where(col(Service.id).in_(
            select(Attribute.link_id).join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
            .where(TaxonomyTerm.code == thema)))
    if "ongecontroleerd" in filters:
        query = query.where(or_(col(Service.assured_date).is_(None), col(Service.assured_date) < grens()))
    if "melding" in filters:
        query = query.where(col(Service.id).in_(
            select(Melding.service_id).where(nog_open())))
    query = query.where(col(Service.verwijderd).isnot(None) if "verwijderd" in filters
                        else col(Service.verwijderd).is_(None))
    return list(session.exec(query).all())


def te_doen(session, organisatie_ids: set[str] | None = None) -> dict[str, list]:
    """What needs a look, per kind: never or long not checked, missing address/phone/hours, ended periods,
    and residents' open reports. `organisatie_ids` narrows it to a redacteur's organisations."""
    query = select(Service.id).where(col(Service.verwijderd).is_(None)).order_by(Service.name)
    if organisatie_ids is not None:
        query = query.where(col(Service.organization_id).in_(organisatie_ids))
    views = load_services(session, session.exec(query).all(), alles=True)
    vandaag = datetime.now(UTC).astimezone(hours.TZ).date()
    drempel = grens()
    out: dict[str, list] = {"controle": [], "adres": [], "telefoon": [], "tijden": [], "afgelopen": []}
    for v in views:
        s = v.service
        if s.assured_date is None or s.assured_date < drempel:
            out["controle"].append(v)
        fysiek = [lv for lv in v.locations if lv.location.location_type != "virtual"]
        if fysiek and not any(lv.address and lv.address.address_1 for lv in fysiek):
            out["adres"].append(v)
        if not v.phones and not any(lv.phones for lv in v.locations):
            out["telefoon"].append(v)
        if not any(sch.freq for sch in v.schedules) and not any(
                sch.freq for lv in v.locations for sch in lv.schedules):
            out["tijden"].append(v)
        eind = einde(s, v.schedules)
        if eind is not None and eind < vandaag:
            out["afgelopen"].append(v)
    out["meldingen"] = open_meldingen(session, organisatie_ids)
    return out


TE_DOEN_KOPPEN = {
    "meldingen": "Meldingen van inwoners",
    "controle": "Nooit of langer dan een jaar niet gecontroleerd",
    "adres": "Adres ontbreekt",
    "telefoon": "Telefoonnummer ontbreekt",
    "tijden": "Openingstijden ontbreken",
    "afgelopen": "Periode is voorbij",
}


def verschillen(voor: dict | None, na: dict | None) -> list[dict]:
    """Field by field what an audit row changed: [{veld, voor, na}], fields in a fixed order.

    Nested values (phones, schedules, addresses) are compared whole and shown as short JSON: one row per field
    is what a person can read; last_modified changes with every save and says nothing.
    """
    voor, na = voor or {}, na or {}
    out = []
    for veld in sorted(set(voor) | set(na)):
        if veld == "last_modified" or voor.get(veld) == na.get(veld):
            continue
        out.append({"veld": veld, "voor": _tekst(voor.get(veld)), "na": _tekst(na.get(veld))})
    return out


def _tekst(waarde) -> str:
    if waarde in (None, "", [], {}):
        return "(leeg)"
    if isinstance(waarde, str):
        return waarde
    return json.dumps(waarde, ensure_ascii=False, sort_keys=True)

"""Beheer pages for Wijkracht (/beheer): the list of listings with filters, a preview as residents see it, the
audit history and the to-do list. Server-rendered, no JavaScript needed.

These pages only read. Edits go through app/data/aanbod.py and the accounts of app/toegang.py once those exist;
until then the pages are behind the staff login of app/staff.py (the only login there is today).
"""
import json
from datetime import UTC, date, datetime, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import func, or_
from sqlmodel import col, select

from app import hours
from app.api.deps import SessionDep
from app.listings import einde, load_services, service_status, terms_of
from app.models import (
    Attribute,
    Audit,
    Location,
    Melding,
    Organization,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
    Wijk,
)
from app.staff import is_staff
from app.templating import templates

router = APIRouter(prefix="/beheer", include_in_schema=False)
PER_PAGINA = 25
# A listing not checked for this long counts as "nog niet gecontroleerd" (issue 10: 12 months).
CONTROLE_TERMIJN = timedelta(days=365)
NO_STORE = {"cache-control": "no-store"}
FILTERS = {"ongecontroleerd": "Nog niet gecontroleerd (of langer dan een jaar geleden)",
           "melding": "Met een melding van een inwoner", "verwijderd": "Verwijderd"}


def _ingelogd(request: Request) -> RedirectResponse | None:
    """A redirect to the login when the visitor is not staff; None when they may read on.

    These pages only read. Until the beheer login (/beheer/inloggen, issue 10) exists they go with the staff login;
    the edit pages will take app/toegang's role dependencies.
    """
    if is_staff(request):
        return None
    return RedirectResponse("/medewerkers/inloggen", status_code=303, headers=NO_STORE)


def _page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    # Beheer pages show unpublished data and reports: never kept in a shared cache.
    return templates.TemplateResponse(request, name, context, status_code=status_code, headers=NO_STORE)


def _grens() -> date:
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
        query = query.where(or_(col(Service.assured_date).is_(None), col(Service.assured_date) < _grens()))
    if "melding" in filters:
        query = query.where(col(Service.id).in_(
            select(Melding.service_id).where(col(Melding.afgehandeld).is_(None))))
    query = query.where(col(Service.verwijderd).isnot(None) if "verwijderd" in filters
                        else col(Service.verwijderd).is_(None))
    return list(session.exec(query).all())


@router.get("", response_class=HTMLResponse)
def lijst(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
    organisatie: Annotated[str, Query(max_length=36)] = "",
    wijk: Annotated[str, Query(max_length=8)] = "",
    thema: Annotated[str, Query(max_length=50)] = "",
    filter: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies defaults)
    pagina: Annotated[int, Query(ge=1, le=1000)] = 1,
):
    if (weg := _ingelogd(request)) is not None:
        return weg
    gekozen = frozenset(f for f in filter if f in FILTERS)
    ids = zoek_diensten(session, q.strip(), organisatie, wijk, thema, gekozen)
    totaal = len(ids)
    pagina_ids = ids[(pagina - 1) * PER_PAGINA: pagina * PER_PAGINA]
    form = {"q": q, "organisatie": organisatie, "wijk": wijk, "thema": thema, "filter": sorted(gekozen)}
    meldingen = dict(session.exec(
        select(Melding.service_id, func.count()).where(col(Melding.service_id).in_(pagina_ids),
                                                       col(Melding.afgehandeld).is_(None))
        .group_by(Melding.service_id)).all()) if pagina_ids else {}
    return _page(request, "beheer/lijst.html", {
        "form": form, "filters": FILTERS, "diensten": load_services(session, pagina_ids, alles=True),
        "meldingen": meldingen, "totaal": totaal, "pagina": pagina,
        "paginas": max(1, -(-totaal // PER_PAGINA)), "grens": _grens(),
        "organisaties": session.exec(select(Organization.id, Organization.name).order_by(Organization.name)).all(),
        "wijken": session.exec(select(Wijk.code, Wijk.naam).order_by(Wijk.naam)).all(),
        "themas": terms_of(session, "thema"),
        "pagina_query": lambda n: urlencode({**{k: v for k, v in form.items() if v}, "pagina": n}, doseq=True),
    })


def _dienst(session, dienst_id: str):
    views = load_services(session, [dienst_id], alles=True)
    if not views:
        raise HTTPException(404, "Dit aanbod bestaat niet. Zoek het op in de lijst op /beheer.")
    return views[0]


@router.get("/diensten/{dienst_id}/voorbeeld", response_class=HTMLResponse)
def voorbeeld(request: Request, session: SessionDep, dienst_id: str):
    """The listing as residents will see it, also when it is deleted or not public (then with a warning)."""
    if (weg := _ingelogd(request)) is not None:
        return weg
    view = _dienst(session, dienst_id)
    now = datetime.now(UTC)
    today = now.astimezone(hours.TZ).date()
    return _page(request, "beheer/voorbeeld.html", {
        "view": view, "status": service_status(view, now),
        "week": hours.week(view.schedules, today) if any(s.freq for s in view.schedules) else [],
        "thema_labels": {t.code: t.name for t in terms_of(session, "thema")},
    })


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


@router.get("/diensten/{dienst_id}/geschiedenis", response_class=HTMLResponse)
def geschiedenis(request: Request, session: SessionDep, dienst_id: str):
    """Who changed the listing, when and what: the audit rows, newest first."""
    if (weg := _ingelogd(request)) is not None:
        return weg
    view = _dienst(session, dienst_id)
    rijen = session.exec(select(Audit).where(Audit.object_id == dienst_id)
                         .order_by(col(Audit.tijd).desc(), col(Audit.id).desc())).all()
    return _page(request, "beheer/geschiedenis.html", {
        "view": view,
        "rijen": [{"audit": a, "verschillen": verschillen(json.loads(a.voor) if a.voor else None,
                                                           json.loads(a.na) if a.na else None)} for a in rijen],
    })


def te_doen(session, organisatie_ids: set[str] | None = None) -> dict[str, list]:
    """What needs a look, per kind: never or long not checked, missing address/phone/hours, ended periods,
    and residents' open reports. `organisatie_ids` narrows it to a redacteur's organisations."""
    query = select(Service.id).where(col(Service.verwijderd).is_(None)).order_by(Service.name)
    if organisatie_ids is not None:
        query = query.where(col(Service.organization_id).in_(organisatie_ids))
    views = load_services(session, session.exec(query).all(), alles=True)
    vandaag = datetime.now(UTC).astimezone(hours.TZ).date()
    grens = _grens()
    out: dict[str, list] = {"controle": [], "adres": [], "telefoon": [], "tijden": [], "afgelopen": []}
    for v in views:
        s = v.service
        if s.assured_date is None or s.assured_date < grens:
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
    meldingen = select(Melding).where(col(Melding.afgehandeld).is_(None)).order_by(col(Melding.aangemaakt).desc())
    if organisatie_ids is not None:
        meldingen = meldingen.where(col(Melding.organization_id).in_(organisatie_ids))
    out["meldingen"] = list(session.exec(meldingen).all())
    return out


TE_DOEN_KOPPEN = {
    "meldingen": "Meldingen van inwoners",
    "controle": "Nooit of langer dan een jaar niet gecontroleerd",
    "adres": "Adres ontbreekt",
    "telefoon": "Telefoonnummer ontbreekt",
    "tijden": "Openingstijden ontbreken",
    "afgelopen": "Periode is voorbij",
}


@router.get("/te-doen", response_class=HTMLResponse)
def te_doen_pagina(request: Request, session: SessionDep):
    if (weg := _ingelogd(request)) is not None:
        return weg
    lijsten = te_doen(session)
    namen = dict(session.exec(select(Service.id, Service.name).where(
        col(Service.id).in_({m.service_id for m in lijsten["meldingen"] if m.service_id}))).all())
    return _page(request, "beheer/te_doen.html", {"lijsten": lijsten, "koppen": TE_DOEN_KOPPEN,
                                                   "dienst_namen": namen})

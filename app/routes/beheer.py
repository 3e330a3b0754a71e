"""Beheer pages for Wijkracht (/beheer): the list of listings with filters, a preview as residents see it, the
audit history and the to-do list. Server-rendered, no JavaScript needed.

Every role may read them (a medewerker only reads); changes go through app/data/aanbod.py, which checks whether
this person may change this organisation's listings.
"""
import json
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import func
from sqlmodel import col, select

from app import hours
from app.api.deps import SessionDep
from app.api.routes.beheer import IdPad
from app.data import meldingen, overzicht
from app.data.aanbod import GeenToegang
from app.data.core import NietGevonden
from app.listings import load_services, service_status, terms_of
from app.models import (
    Audit,
    Melding,
    Organization,
    Service,
    Wijk,
)
from app.templating import templates
from app.toegang import CsrfDep, IngelogdDep, RedacteurDep

router = APIRouter(prefix="/beheer", include_in_schema=False)
PER_PAGINA = 25
NO_STORE = {"cache-control": "no-store"}
FILTERS = {"ongecontroleerd": "Nog niet gecontroleerd (of langer dan een jaar geleden)",
           "melding": "Met een melding van een inwoner", "verwijderd": "Verwijderd"}


def _page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    # Beheer pages show unpublished data and reports: never kept in a shared cache.
    return templates.TemplateResponse(request, name, context, status_code=status_code, headers=NO_STORE)


@router.get("", response_class=HTMLResponse)
def lijst(
    request: Request,
    session: SessionDep,
    wie: IngelogdDep,
    q: Annotated[str, Query(max_length=200)] = "",
    organisatie: Annotated[str, Query(max_length=36)] = "",
    wijk: Annotated[str, Query(max_length=8)] = "",
    thema: Annotated[str, Query(max_length=50)] = "",
    filter: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies defaults)
    pagina: Annotated[int, Query(ge=1, le=1000)] = 1,
):
    gekozen = frozenset(f for f in filter if f in FILTERS)
    ids = overzicht.zoek_diensten(session, q.strip(), organisatie, wijk, thema, gekozen)
    totaal = len(ids)
    pagina_ids = ids[(pagina - 1) * PER_PAGINA: pagina * PER_PAGINA]
    form = {"q": q, "organisatie": organisatie, "wijk": wijk, "thema": thema, "filter": sorted(gekozen)}
    open_per_dienst = dict(session.exec(
        select(Melding.service_id, func.count()).where(col(Melding.service_id).in_(pagina_ids), meldingen.nog_open())
        .group_by(Melding.service_id)).all()) if pagina_ids else {}
    return _page(request, "beheer/lijst.html", {
        "form": form, "filters": FILTERS, "diensten": load_services(session, pagina_ids, alles=True),
        "meldingen": open_per_dienst, "totaal": totaal, "pagina": pagina,
        "paginas": max(1, -(-totaal // PER_PAGINA)), "grens": overzicht.grens(),
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
def voorbeeld(request: Request, session: SessionDep, wie: IngelogdDep, dienst_id: str):
    """The listing as residents will see it, also when it is deleted or not public (then with a warning)."""
    view = _dienst(session, dienst_id)
    now = datetime.now(UTC)
    today = now.astimezone(hours.TZ).date()
    return _page(request, "beheer/voorbeeld.html", {
        "view": view, "status": service_status(view, now),
        "week": hours.week(view.schedules, today) if any(s.freq for s in view.schedules) else [],
        "thema_labels": {t.code: t.name for t in terms_of(session, "thema")},
    })


@router.get("/diensten/{dienst_id}/geschiedenis", response_class=HTMLResponse)
def geschiedenis(request: Request, session: SessionDep, wie: IngelogdDep, dienst_id: str):
    """Who changed the listing, when and what: the audit rows, newest first."""
    view = _dienst(session, dienst_id)
    rijen = session.exec(select(Audit).where(Audit.object_id == dienst_id)
                         .order_by(col(Audit.tijd).desc(), col(Audit.id).desc())).all()
    return _page(request, "beheer/geschiedenis.html", {
        "view": view,
        "rijen": [{"audit": a, "verschillen": overzicht.verschillen(json.loads(a.voor) if a.voor else None,
                                                           json.loads(a.na) if a.na else None)} for a in rijen],
    })


GEDAAN = {"afgehandeld": "De melding is afgehandeld. Ze staat niet meer op deze lijst."}


@router.get("/te-doen", response_class=HTMLResponse)
def te_doen_pagina(request: Request, session: SessionDep, wie: IngelogdDep,
                   gedaan: Annotated[str, Query(max_length=20)] = ""):
    # A redacteur sees the to-do list of their own organisations; the others see all of it.
    lijsten = overzicht.te_doen(session, set(wie.organisaties) if wie.rol == "redacteur" else None)
    namen = dict(session.exec(select(Service.id, Service.name).where(
        col(Service.id).in_({m.service_id for m in lijsten["meldingen"] if m.service_id}))).all())
    return _page(request, "beheer/te_doen.html", {
        "lijsten": lijsten, "koppen": overzicht.TE_DOEN_KOPPEN, "dienst_namen": namen,
        "soorten": meldingen.SOORTEN, "gedaan": GEDAAN.get(gedaan, ""),
        # Only who may handle a report gets its button (a medewerker reads, the data layer checks again).
        "afhandelbaar": {m.id for m in lijsten["meldingen"] if wie.mag_wijzigen(m.organization_id)}})


@router.post("/meldingen/{id}/afgehandeld")
def melding_afgehandeld(session: SessionDep, wie: RedacteurDep, _: CsrfDep, melding_id: IdPad):
    try:
        meldingen.afhandelen(session, wie, melding_id)
    except NietGevonden:
        raise HTTPException(404, "Deze melding bestaat niet. Ga terug naar /beheer/te-doen.") from None
    except GeenToegang:
        raise HTTPException(403, "U mag de meldingen van deze organisatie niet afhandelen. Vraag een beheerder "
                                 "van Wijkracht om toegang, als dat nodig is.") from None
    # 303 back to the list: a reload never sends the form again.
    return RedirectResponse("/beheer/te-doen?gedaan=afgehandeld", status_code=303, headers=NO_STORE)

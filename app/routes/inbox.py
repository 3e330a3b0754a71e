"""/beheer/contact: the inbox of residents' questions for medewerkers (beheerder and medewerker).

The list shows no personal data; opening a request shows it and writes an audit row ("bekeken"), and so does
every change (app/data/contact.py). Plain forms, no JavaScript: each button is a POST with the CSRF token that
comes back to the request's page (303), so a reload never repeats the change.
"""
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.api.deps import SessionDep
from app.api.routes.beheer import IdPad
from app.api.routes.contact import vertaald, vol
from app.contact import MOMENTEN, SOORTEN
from app.data import contact as data
from app.data.aanbod import Ongeldig
from app.routes.contact import themas
from app.templating import templates
from app.toegang import CsrfDep, StaffDep

router = APIRouter(prefix="/beheer/contact", include_in_schema=False)
NO_STORE = {"cache-control": "no-store"}
STATUSSEN = {"nieuw": "Nieuw", "opgepakt": "Opgepakt", "afgehandeld": "Afgehandeld"}
GEDAAN = {"opgepakt": "U heeft deze vraag opgepakt.", "afgehandeld": "Deze vraag is afgehandeld.",
          "toegewezen": "De vraag staat nu bij de andere wijkentree. Daar is hij weer nieuw."}
Status = Literal["", "nieuw", "opgepakt", "afgehandeld"]


def _page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    base = {"statussen": STATUSSEN, "themas": themas(), "soorten": SOORTEN, "momenten": MOMENTEN}
    return templates.TemplateResponse(request, name, base | context, status_code=status_code, headers=NO_STORE)


@router.get("", response_class=HTMLResponse)
def inbox(request: Request, session: SessionDep, _: StaffDep,
          wijkentree: Annotated[str, Query(max_length=36)] = "", status: Status = ""):
    entrees = data.wijkentrees(session)
    return _page(request, "beheer/inbox.html", {
        "verzoeken": data.lijst(session, wijkentree or None, status or None), "wijkentrees": entrees,
        "namen": dict(entrees), "form": {"wijkentree": wijkentree, "status": status}})


@router.get("/{id}", response_class=HTMLResponse)
def verzoek(request: Request, session: SessionDep, wie: StaffDep, verzoek_id: IdPad,
            gedaan: Annotated[str, Query(max_length=20)] = ""):
    return _verzoek_pagina(request, session, wie, verzoek_id, melding=GEDAAN.get(gedaan, ""))


def _verzoek_pagina(request: Request, session, wie, verzoek_id: str, melding: str = "", fouten: list | None = None,
                    status_code: int = 200) -> HTMLResponse:
    return _page(request, "beheer/inbox_verzoek.html", {
        "v": vol(session, wie, verzoek_id), "wijkentrees": data.wijkentrees(session), "melding": melding,
        "fouten": fouten or []}, status_code)


def _terug(verzoek_id: str, gedaan: str) -> RedirectResponse:
    return RedirectResponse(f"/beheer/contact/{verzoek_id}?gedaan={gedaan}", status_code=303, headers=NO_STORE)


@router.post("/{id}/oppakken")
def oppakken(session: SessionDep, wie: StaffDep, _: CsrfDep, verzoek_id: IdPad):
    with vertaald():
        data.oppakken(session, wie, verzoek_id)
    return _terug(verzoek_id, "opgepakt")


@router.post("/{id}/afgehandeld")
def afgehandeld(session: SessionDep, wie: StaffDep, _: CsrfDep, verzoek_id: IdPad):
    with vertaald():
        data.afhandelen(session, wie, verzoek_id)
    return _terug(verzoek_id, "afgehandeld")


@router.post("/{id}/toewijzen")
def toewijzen(request: Request, session: SessionDep, wie: StaffDep, _: CsrfDep, verzoek_id: IdPad,
              location_id: Annotated[str, Form(max_length=36)] = ""):
    with vertaald():
        try:
            data.toewijzen(session, wie, verzoek_id, location_id)
        except Ongeldig as e:
            # The page again, with the message at the field, as on every form of the site.
            fouten = [{"veld": f["veld"], "tekst": f["msg"]} for f in e.fouten]
            return _verzoek_pagina(request, session, wie, verzoek_id, fouten=fouten, status_code=422)
    return _terug(verzoek_id, "toegewezen")

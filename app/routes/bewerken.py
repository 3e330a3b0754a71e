"""Beheer's edit pages: new, change, delete and restore organisations, services and locations; link a service to
a location; mark a service as checked; mark a location as wijkentree.

Thin: every change is app/data/aanbod.py, the same function the admin API calls, with the same checks and
errors. The form carries the object's ETag (`versie`), so two editors never overwrite each other unseen.
After a save the page redirects (POST-redirect-GET); the B1 warnings come from the saved text itself.
"""
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import col, select

from app import formulieren, leesbaarheid, taal
from app.api.deps import SessionDep
from app.data import aanbod
from app.listings import terms_of
from app.models import Address, Location, Organization, Phone, Schedule, ServiceAtLocation
from app.templating import templates
from app.toegang import CsrfDep, IngelogdDep, RedacteurDep

router = APIRouter(prefix="/beheer", include_in_schema=False)
NO_STORE = {"cache-control": "no-store"}
PADEN = {"diensten": "service", "locaties": "location", "organisaties": "organization"}
NAMEN = {"service": "dienst", "location": "locatie", "organization": "organisatie"}
MELDINGEN = {"opgeslagen": "Opgeslagen. Inwoners zien de wijziging binnen een paar minuten.",
             "gecontroleerd": "Gecontroleerd: de datum van vandaag staat nu bij dit aanbod.",
             "hersteld": "Hersteld: inwoners zien het weer.", "gekoppeld": "De locatie is gekoppeld.",
             "ontkoppeld": "De locatie is losgekoppeld.", "wijkentree": "De wijkentree is bijgewerkt."}
CONFLICT = ("Iemand anders heeft dit gewijzigd terwijl u bezig was. Uw wijziging is nog niet opgeslagen. Kijk wat er "
            "nu staat (open de pagina opnieuw in een ander tabblad, of kijk bij Geschiedenis) en sla dan opnieuw op.")


def _soort(pad: str) -> str:
    if pad not in PADEN:
        raise HTTPException(404, "Deze pagina bestaat niet. Ga terug naar /beheer.")
    return PADEN[pad]


def _weg(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


def _beeld(session, soort: str, obj_id: str) -> dict:
    try:
        return aanbod.toon(session, soort, obj_id)
    except aanbod.NietGevonden:
        raise HTTPException(404, f"Deze {NAMEN[soort]} bestaat niet. Zoek hem op in de lijst op /beheer.") from None


def _verboden() -> HTTPException:
    return HTTPException(403, "U mag het aanbod van deze organisatie niet wijzigen. Vraag een beheerder van "
                              "Wijkracht om toegang.")


def _mag(wie, soort: str, beeld: dict) -> None:
    if not wie.mag_wijzigen(beeld.get("id") if soort == "organization" else beeld.get("organization_id")):
        raise _verboden()


def _waarschuwingen(soort: str, beeld: dict | None) -> list[dict]:
    """What to improve in the saved object: hard texts (B1), and a physical place that is not on the map."""
    if not beeld:
        return []
    out = [*leesbaarheid.waarschuwingen("name", beeld.get("name") or ""),
           *leesbaarheid.waarschuwingen("description", beeld.get("description") or "")]
    if soort == "location" and beeld.get("location_type") == "physical" and beeld.get("latitude") is None:
        out.append({"veld": "address-postal_code", "msg": "Deze plek staat niet op de kaart. Vul een postcode in, "
                                                          "of latitude en longitude."})
    return formulieren.fouten_bij_velden(out)


def _form_page(request: Request, session, soort: str, beeld: dict | None, *, velden: dict | None = None,
               fouten: list[dict] | None = None, status: int = 200, melding: str | None = None) -> HTMLResponse:
    obj_id = beeld["id"] if beeld else None
    context = {
        "soort": soort, "naam": NAMEN[soort], "soort_pad": next(p for p, s in PADEN.items() if s == soort),
        "beeld": beeld, "velden": velden or formulieren.naar_velden(soort, beeld), "fouten": fouten or [],
        "waarschuwingen": [] if fouten else _waarschuwingen(soort, beeld), "melding": melding,
        "versie": aanbod.etag_van(session, soort, obj_id) if obj_id else "",
        "organisaties": session.exec(select(Organization.id, Organization.name).where(
            col(Organization.verwijderd).is_(None)).order_by(Organization.name)).all(),
        "themas": terms_of(session, "thema"), "lagen": {t.code: t.name for t in terms_of(session, "laag")},
        "statussen": formulieren.STATUS, "locatie_soorten": formulieren.LOCATIE_SOORT, "dagen": formulieren.DAGEN,
        "talen": taal.TALEN, "vertaaltalen": [taal.TALEN[c] for c in taal.VERTAALD],
    }
    if soort == "service" and obj_id:
        context["koppelingen"] = session.exec(
            select(ServiceAtLocation.id, Location.id, Location.name).join(
                Location, Location.id == ServiceAtLocation.location_id)
            .where(ServiceAtLocation.service_id == obj_id).order_by(Location.name)).all()
        context["locaties"] = session.exec(select(Location.id, Location.name).where(
            col(Location.verwijderd).is_(None)).order_by(Location.name)).all()
    return templates.TemplateResponse(request, "beheer/bewerken.html", context, status_code=status,
                                      headers=NO_STORE)


async def _formulier(request: Request, soort: str) -> tuple[dict, str]:
    form = await request.form()
    return formulieren.uit_formulier(soort, form, form.getlist), str(form.get("versie") or "")


@router.get("/{pad}/nieuw", response_class=HTMLResponse)
def nieuw_form(request: Request, session: SessionDep, wie: RedacteurDep, pad: str):
    return _form_page(request, session, _soort(pad), None)


@router.post("/{pad}/nieuw", response_class=HTMLResponse)
async def nieuw(request: Request, session: SessionDep, wie: RedacteurDep, _: CsrfDep, pad: str):
    soort = _soort(pad)
    data, _versie = await _formulier(request, soort)
    try:
        obj_id, _w = aanbod.maak(session, wie, soort, data)
    except aanbod.Ongeldig as e:
        return _form_page(request, session, soort, None, velden=formulieren.velden_na_fout(soort, data),
                          fouten=formulieren.fouten_bij_velden(e.fouten), status=422)
    except aanbod.GeenToegang:
        raise _verboden() from None
    return _weg(f"/beheer/{pad}/{obj_id}/bewerken?melding=opgeslagen")


@router.get("/{pad}/{obj_id}/bewerken", response_class=HTMLResponse)
def bewerken_form(request: Request, session: SessionDep, wie: RedacteurDep, pad: str, obj_id: str,
                  melding: str = ""):
    soort = _soort(pad)
    beeld = _beeld(session, soort, obj_id)
    _mag(wie, soort, beeld)
    return _form_page(request, session, soort, beeld, melding=MELDINGEN.get(melding))


@router.post("/{pad}/{obj_id}/bewerken", response_class=HTMLResponse)
async def bewerken(request: Request, session: SessionDep, wie: RedacteurDep, _: CsrfDep, pad: str, obj_id: str):
    soort = _soort(pad)
    beeld = _beeld(session, soort, obj_id)
    _mag(wie, soort, beeld)
    data, versie = await _formulier(request, soort)
    try:
        aanbod.wijzig(session, wie, soort, obj_id, data, if_match=versie)
    except (aanbod.Ongeldig, aanbod.Conflict) as e:
        fouten = ([{"veld": "name", "tekst": CONFLICT}] if isinstance(e, aanbod.Conflict)
                  else formulieren.fouten_bij_velden(e.fouten))
        return _form_page(request, session, soort, beeld, velden=formulieren.velden_na_fout(soort, data),
                          fouten=fouten, status=412 if isinstance(e, aanbod.Conflict) else 422)
    except aanbod.GeenToegang:
        raise _verboden() from None
    return _weg(f"/beheer/{pad}/{obj_id}/bewerken?melding=opgeslagen")


@router.get("/{pad}/{obj_id}/verwijderen", response_class=HTMLResponse)
def verwijderen_form(request: Request, session: SessionDep, wie: RedacteurDep, pad: str, obj_id: str):
    soort = _soort(pad)
    beeld = _beeld(session, soort, obj_id)
    _mag(wie, soort, beeld)
    return templates.TemplateResponse(request, "beheer/verwijderen.html", {
        "beeld": beeld, "naam": NAMEN[soort], "soort_pad": pad, "versie": aanbod.etag_van(session, soort, obj_id),
        "fout": None}, headers=NO_STORE)


@router.post("/{pad}/{obj_id}/verwijderen", response_class=HTMLResponse)
def verwijderen(request: Request, session: SessionDep, wie: RedacteurDep, _: CsrfDep, pad: str, obj_id: str,
                versie: Annotated[str, Form(max_length=100)] = ""):
    soort = _soort(pad)
    beeld = _beeld(session, soort, obj_id)
    _mag(wie, soort, beeld)
    try:
        aanbod.verwijderen(session, wie, soort, obj_id, if_match=versie)
    except (aanbod.NietMogelijk, aanbod.Conflict) as e:
        fout = CONFLICT if isinstance(e, aanbod.Conflict) else str(e)
        return templates.TemplateResponse(request, "beheer/verwijderen.html", {
            "beeld": beeld, "naam": NAMEN[soort], "soort_pad": pad, "fout": fout,
            "versie": aanbod.etag_van(session, soort, obj_id)}, status_code=409, headers=NO_STORE)
    return _weg(f"/beheer/{pad}/{obj_id}/bewerken")


@router.post("/{pad}/{obj_id}/herstellen")
def herstellen(request: Request, session: SessionDep, wie: RedacteurDep, _: CsrfDep, pad: str, obj_id: str):
    soort = _soort(pad)
    _mag(wie, soort, _beeld(session, soort, obj_id))
    try:
        aanbod.herstellen(session, wie, soort, obj_id)
    except aanbod.NietMogelijk as e:
        raise HTTPException(409, str(e)) from None
    return _weg(f"/beheer/{pad}/{obj_id}/bewerken?melding=hersteld")


@router.post("/diensten/{obj_id}/gecontroleerd")
def gecontroleerd(request: Request, session: SessionDep, wie: RedacteurDep, _: CsrfDep, obj_id: str):
    _mag(wie, "service", _beeld(session, "service", obj_id))
    aanbod.gecontroleerd(session, wie, obj_id)
    return _weg(f"/beheer/diensten/{obj_id}/bewerken?melding=gecontroleerd")


@router.post("/diensten/{obj_id}/locaties", response_class=HTMLResponse)
def koppelen(request: Request, session: SessionDep, wie: RedacteurDep, _: CsrfDep, obj_id: str,
             location_id: Annotated[str, Form(max_length=36)] = ""):
    beeld = _beeld(session, "service", obj_id)
    _mag(wie, "service", beeld)
    try:
        aanbod.maak(session, wie, "service_at_location", {"service_id": obj_id, "location_id": location_id})
    except (aanbod.Ongeldig, aanbod.NietMogelijk) as e:
        tekst = str(e) if isinstance(e, aanbod.NietMogelijk) else "Kies een locatie uit de lijst."
        return _form_page(request, session, "service", beeld, status=422,
                          fouten=[{"veld": "location_id", "tekst": tekst}])
    return _weg(f"/beheer/diensten/{obj_id}/bewerken?melding=gekoppeld")


@router.post("/diensten/{obj_id}/locaties/{sal_id}/ontkoppelen")
def ontkoppelen(request: Request, session: SessionDep, wie: RedacteurDep, _: CsrfDep, obj_id: str, sal_id: str):
    _mag(wie, "service", _beeld(session, "service", obj_id))
    try:
        aanbod.verwijderen(session, wie, "service_at_location", sal_id)
    except aanbod.NietGevonden:
        raise HTTPException(404, "Deze koppeling bestaat niet meer. Laad de pagina opnieuw.") from None
    return _weg(f"/beheer/diensten/{obj_id}/bewerken?melding=ontkoppeld")


@router.post("/locaties/{obj_id}/wijkentree")
def wijkentree(request: Request, session: SessionDep, wie: RedacteurDep, _: CsrfDep, obj_id: str,
               wijkentree: Annotated[str, Form(max_length=5)] = ""):
    _mag(wie, "location", _beeld(session, "location", obj_id))
    if wijkentree not in ("ja", "nee"):
        raise HTTPException(422, "Kies of deze locatie een wijkentree is: ja of nee.")
    # The hours are the location's own, changed in its form: this only marks or unmarks.
    aanbod.wijkentree(session, wie, obj_id, {"wijkentree": wijkentree == "ja"})
    return _weg(f"/beheer/locaties/{obj_id}/bewerken?melding=wijkentree")


@router.get("/wijkentrees", response_class=HTMLResponse)
def wijkentrees(request: Request, session: SessionDep, wie: IngelogdDep):
    """The wijkentrees with what residents need to find them: address, phone, hours. Empty ones first."""
    locaties = session.exec(select(Location).where(Location.is_wijkentree, col(Location.verwijderd).is_(None))
                            .order_by(Location.name)).all()
    rijen = [{"locatie": loc, "adres": session.exec(select(Address).where(Address.location_id == loc.id)).first(),
              "telefoons": session.exec(select(Phone.number).where(Phone.location_id == loc.id)).all(),
              "tijden": session.exec(select(Schedule.id).where(Schedule.location_id == loc.id)).first() is not None}
             for loc in locaties]
    rijen.sort(key=lambda r: r["tijden"] and bool(r["telefoons"]))  # what is missing first; sort is stable
    return templates.TemplateResponse(request, "beheer/wijkentrees.html", {"rijen": rijen}, headers=NO_STORE)

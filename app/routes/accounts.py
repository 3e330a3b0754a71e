"""Logging in to beheer, logging out, one's own password, and (for beheerders) people and machine tokens.

Sessions live in the database (app/data/accounts.py), so logging out, a new password or a deactivated account ends
them on every replica at once. The login form has no session yet to carry its CSRF token, so it uses a
double-submit cookie: a random value in an HttpOnly SameSite=Strict cookie that the form must echo.
"""
import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import col, select

from app import throttle, toegang
from app.api.deps import SessionDep
from app.config import get_settings
from app.data import accounts
from app.data.core import ROLLEN
from app.models import Gebruiker, Organization
from app.templating import templates
from app.toegang import BeheerderDep, CsrfDep, IngelogdDep

router = APIRouter(prefix="/beheer", include_in_schema=False)
NO_STORE = {"cache-control": "no-store"}
LOGIN_CSRF = "beheer_inlog_csrf"
ROL_LABELS = {
    "beheerder": "Beheerder: alles, ook accounts en tokens",
    "redacteur": "Redacteur: het aanbod van de eigen organisatie(s)",
    "medewerker": "Medewerker (wijkteam, KCC): vraagwijzer voor medewerkers, cijfers, inbox; aanbod alleen lezen",
}
FOUT_INLOGGEN = "Het e-mailadres of het wachtwoord klopt niet. Controleer ze en probeer het opnieuw."


def _secure() -> bool:
    return get_settings().base_url.startswith("https")


def _page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code, headers=NO_STORE)


def _veilig_terug(terug: str) -> str:
    # Only a path on this site (no "//host" or "http://"): a login link can never send someone elsewhere.
    return terug if terug.startswith("/") and not terug.startswith("//") and "\\" not in terug else "/beheer"


def _fout(veld: str, tekst: str) -> dict:
    return {"veld": veld, "tekst": tekst}


# --------------------------------------------------------------------------------------------- logging in

def _login_page(request: Request, status: int, *, terug: str, email: str = "", fouten: list[dict] | None = None,
                melding: str | None = None) -> HTMLResponse:
    csrf = request.cookies.get(LOGIN_CSRF) or secrets.token_urlsafe(32)
    response = _page(request, "beheer/inloggen.html", {
        "terug": terug, "email": email, "fouten": fouten or [], "melding": melding, "login_csrf": csrf,
    }, status)
    response.set_cookie(LOGIN_CSRF, csrf, path="/beheer/inloggen", httponly=True, samesite="strict",
                        secure=_secure())
    return response


@router.get("/inloggen", response_class=HTMLResponse)
def inloggen_form(request: Request, session: SessionDep, terug: str = "/beheer", uitgelogd: str = ""):
    terug = _veilig_terug(terug)
    if toegang.huidige(request, session) is not None:
        return RedirectResponse(terug, status_code=303, headers=NO_STORE)
    return _login_page(request, 200, terug=terug, melding="U bent uitgelogd." if uitgelogd else None)


def _limieten() -> tuple[throttle.Limiet, throttle.Limiet]:
    s = get_settings()
    return (throttle.Limiet("inloggen-account", s.limiet_inloggen_account, 900),
            throttle.Limiet("inloggen-adres", s.limiet_inloggen_adres, 900))


@router.post("/inloggen", response_class=HTMLResponse)
def inloggen(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form(max_length=255)] = "",
    wachtwoord: Annotated[str, Form(max_length=1000)] = "",
    terug: Annotated[str, Form(max_length=500)] = "/beheer",
    csrf: Annotated[str, Form(max_length=100)] = "",
):
    terug = _veilig_terug(terug)
    email = email.strip().lower()
    cookie = request.cookies.get(LOGIN_CSRF, "")
    if not cookie or not hmac.compare_digest(cookie, csrf):
        return _login_page(request, 403, terug=terug, email=email, fouten=[_fout(
            "email", "Dit formulier is verlopen. Vul uw e-mailadres en wachtwoord opnieuw in.")])
    fouten = []
    if not email:
        fouten.append(_fout("email", "Vul uw e-mailadres in."))
    if not wachtwoord:
        fouten.append(_fout("wachtwoord", "Vul uw wachtwoord in."))
    if fouten:
        return _login_page(request, 422, terug=terug, email=email, fouten=fouten)
    per_account, per_adres = _limieten()
    adres = throttle.client_adres(request)
    # Checked before the password, counted only when it is wrong: a person who types it right is never stopped
    # by someone else's attempts for longer than one window.
    wacht = throttle.stand(per_account, email) or throttle.stand(per_adres, adres)
    if wacht is not None:
        raise throttle.te_vaak(wacht, "Inloggen")
    gebruiker = accounts.controleer_wachtwoord(session, email, wachtwoord)
    if gebruiker is None:
        throttle.tel(per_account, email)
        throttle.tel(per_adres, adres)
        return _login_page(request, 401, terug=terug, email=email, fouten=[_fout("email", FOUT_INLOGGEN)])
    waarde = accounts.nieuwe_sessie(session, gebruiker)
    response = RedirectResponse(terug, status_code=303, headers=NO_STORE)
    response.set_cookie(toegang.COOKIE, waarde, max_age=get_settings().sessie_max_uren * 3600, path="/",
                        httponly=True, samesite="strict", secure=_secure())
    response.delete_cookie(LOGIN_CSRF, path="/beheer/inloggen", httponly=True, samesite="strict", secure=_secure())
    return response


@router.post("/uitloggen")
def uitloggen(request: Request, session: SessionDep, wie: IngelogdDep, _: CsrfDep):
    sessie = getattr(request.state, "sessie", None)
    if sessie is not None:
        accounts.beeindig_sessie(session, sessie.id)
    response = RedirectResponse(f"{toegang.LOGIN_URL}?uitgelogd=1", status_code=303, headers=NO_STORE)
    response.delete_cookie(toegang.COOKIE, path="/", httponly=True, samesite="strict", secure=_secure())
    return response


# --------------------------------------------------------------------------------------------- own password

def _eigen_account(request: Request, session) -> Gebruiker:
    sessie = getattr(request.state, "sessie", None)
    if sessie is None:
        raise HTTPException(403, "Een token heeft geen wachtwoord. Log in met uw e-mailadres om uw wachtwoord te "
                                 "wijzigen.")
    return session.get(Gebruiker, sessie.gebruiker_id)


@router.get("/wachtwoord", response_class=HTMLResponse)
def wachtwoord_form(request: Request, session: SessionDep, wie: IngelogdDep, gewijzigd: str = ""):
    _eigen_account(request, session)
    return _page(request, "beheer/wachtwoord.html", {"fouten": [], "gewijzigd": bool(gewijzigd)})


@router.post("/wachtwoord", response_class=HTMLResponse)
def wachtwoord(
    request: Request,
    session: SessionDep,
    wie: IngelogdDep,
    _: CsrfDep,
    oud: Annotated[str, Form(max_length=1000)] = "",
    nieuw: Annotated[str, Form(max_length=1000)] = "",
    herhaal: Annotated[str, Form(max_length=1000)] = "",
):
    gebruiker = _eigen_account(request, session)
    fouten = []
    if nieuw != herhaal:
        fouten.append(_fout("herhaal", "De twee nieuwe wachtwoorden zijn niet gelijk. Typ het nieuwe wachtwoord "
                                       "twee keer hetzelfde."))
    if not fouten:
        try:
            accounts.wijzig_eigen_wachtwoord(session, gebruiker, oud, nieuw, request.state.sessie.id)
        except accounts.AccountFout as e:
            fouten.append(_fout(e.veld, e.bericht))
    if fouten:
        return _page(request, "beheer/wachtwoord.html", {"fouten": fouten, "gewijzigd": False}, 422)
    return RedirectResponse("/beheer/wachtwoord?gewijzigd=1", status_code=303, headers=NO_STORE)


# --------------------------------------------------------------------------------------------- people and tokens

def _organisaties(session) -> list:
    return session.exec(select(Organization.id, Organization.name).where(
        col(Organization.verwijderd).is_(None)).order_by(Organization.name)).all()


def _accounts_page(request: Request, session, status: int = 200, *, fouten: list[dict] | None = None,
                   form: dict | None = None, nieuw_token: str | None = None, melding: str | None = None):
    return _page(request, "beheer/accounts.html", {
        "gebruikers": accounts.gebruikers(session), "tokens": accounts.tokens(session),
        "organisaties": _organisaties(session), "rollen": {r: ROL_LABELS[r] for r in ROLLEN},
        "fouten": fouten or [], "form": form or {}, "nieuw_token": nieuw_token, "melding": melding,
        "token_geldig": accounts.token_geldig,
    }, status)


@router.get("/accounts", response_class=HTMLResponse)
def accounts_pagina(request: Request, session: SessionDep, wie: BeheerderDep, melding: str = ""):
    meldingen = {"gebruiker": "De gebruiker is aangemaakt.", "gewijzigd": "De gebruiker is gewijzigd.",
                 "ingetrokken": "Het token is ingetrokken. Het werkt niet meer."}
    return _accounts_page(request, session, melding=meldingen.get(melding))


@router.post("/accounts/gebruikers", response_class=HTMLResponse)
def gebruiker_maken(
    request: Request,
    session: SessionDep,
    wie: BeheerderDep,
    _: CsrfDep,
    # The form's field names carry the form's name, so that an error links to the right one of the two forms.
    email: Annotated[str, Form(max_length=255, alias="gebruiker-email")] = "",
    naam: Annotated[str, Form(max_length=200, alias="gebruiker-naam")] = "",
    rol: Annotated[str, Form(max_length=20, alias="gebruiker-rol")] = "",
    organisatie: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    wachtwoord: Annotated[str, Form(max_length=1000, alias="gebruiker-wachtwoord")] = "",
):
    try:
        accounts.maak_gebruiker(session, wie, email, naam, rol, wachtwoord, organisatie)
    except accounts.AccountFout as e:
        form = {"email": email, "naam": naam, "rol": rol, "organisatie": organisatie}
        return _accounts_page(request, session, 422, fouten=[_fout(f"gebruiker-{e.veld}", e.bericht)], form=form)
    return RedirectResponse("/beheer/accounts?melding=gebruiker", status_code=303, headers=NO_STORE)


@router.post("/accounts/gebruikers/{gebruiker_id}", response_class=HTMLResponse)
def gebruiker_wijzigen(
    request: Request,
    session: SessionDep,
    wie: BeheerderDep,
    _: CsrfDep,
    gebruiker_id: str,
    rol: Annotated[str, Form(max_length=20)] = "",
    actief: Annotated[str, Form(max_length=5)] = "",
):
    try:
        accounts.wijzig_gebruiker(session, wie, gebruiker_id, rol=rol or None,
                                  actief={"ja": True, "nee": False}.get(actief))
    except accounts.AccountFout as e:
        return _accounts_page(request, session, 422, fouten=[_fout(f"rol-{gebruiker_id}", e.bericht)])
    return RedirectResponse("/beheer/accounts?melding=gewijzigd", status_code=303, headers=NO_STORE)


@router.post("/accounts/tokens", response_class=HTMLResponse)
def token_maken(
    request: Request,
    session: SessionDep,
    wie: BeheerderDep,
    _: CsrfDep,
    naam: Annotated[str, Form(max_length=200, alias="token-naam")] = "",
    rol: Annotated[str, Form(max_length=20, alias="token-rol")] = "",
    organisatie: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    dagen: Annotated[str, Form(max_length=10, alias="token-dagen")] = "365",
):
    form = {"token-naam": naam, "token-rol": rol, "token-organisatie": organisatie, "token-dagen": dagen}
    if not dagen.strip().isdigit():
        return _accounts_page(request, session, 422, form=form,
                              fouten=[_fout("token-dagen", "Vul het aantal dagen in als getal, bijvoorbeeld 365.")])
    try:
        nieuw = accounts.maak_token(session, wie, naam, rol, organisatie, int(dagen))
    except accounts.AccountFout as e:
        veld = "naam" if e.veld == "token" else e.veld
        return _accounts_page(request, session, 422, fouten=[_fout(f"token-{veld}", e.bericht)], form=form)
    # Shown once, on this answer only (no-store): only its hash is kept.
    return _accounts_page(request, session, 201, nieuw_token=nieuw.geheim)


@router.post("/accounts/tokens/{token_id}/intrekken", response_class=HTMLResponse)
def token_intrekken(request: Request, session: SessionDep, wie: BeheerderDep, _: CsrfDep, token_id: str):
    try:
        accounts.trek_token_in(session, wie, token_id)
    except accounts.AccountFout as e:
        return _accounts_page(request, session, 404, fouten=[_fout("tokens", e.bericht)])
    return RedirectResponse("/beheer/accounts?melding=ingetrokken", status_code=303, headers=NO_STORE)

"""Who is asking, and may they: beheer accounts (session cookie) and machine tokens (Authorization: Bearer).

Roles: beheerder (everything, accounts too), redacteur (the listings of their own organisations), medewerker
(wijkteam and KCC: the staff vraagwijzer, statistics and the contact inbox; listings read-only).
Every dependency resolves to an `app.data.core.Wie`. No login: 401 for the API, a redirect to the login page for
pages. Wrong role: 403. Forms carry a CSRF token; cookie-authenticated API writes send it as X-CSRF-Token.
"""
import hmac
from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Form, HTTPException, Request
from sqlmodel import Session

from app import throttle
from app.config import get_settings
from app.data import accounts
from app.data.core import Wie
from app.db import get_session

COOKIE = "beheer_sessie"
LOGIN_URL = "/beheer/inloggen"
ONVEILIG = {"POST", "PUT", "PATCH", "DELETE"}


class NietIngelogd(HTTPException):
    """401; app/main.py sends a page request to the login page instead."""

    def __init__(self, terug: str) -> None:
        super().__init__(401, "Log eerst in. Ga naar /beheer/inloggen, of stuur een token mee als "
                              "'Authorization: Bearer ...'.", headers={"www-authenticate": "Bearer"})
        self.terug = terug


def login_url(terug: str) -> str:
    # Only a path on this site: never an open redirect.
    terug = terug if terug.startswith("/") and not terug.startswith("//") else "/beheer"
    return f"{LOGIN_URL}?terug={quote(terug)}"


def _wie(request: Request, session: Session) -> Wie | None:
    settings = get_settings()
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        wie = accounts.wie_van_token(session, auth[7:].strip())
        if wie is None:
            wacht = throttle.tel(throttle.Limiet("token-fout", settings.limiet_inloggen_adres, 900),
                                 throttle.client_adres(request))
            if wacht is not None:
                raise throttle.te_vaak(wacht, "Inloggen met een token")
        return wie
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return None
    found = accounts.sessie_van(session, cookie, timedelta(minutes=settings.sessie_idle_minuten),
                                timedelta(hours=settings.sessie_max_uren))
    if found is None:
        return None
    sessie, user = found
    request.state.sessie = sessie
    if request.method in ONVEILIG and request.url.path.startswith("/api/"):
        if not hmac.compare_digest(request.headers.get("x-csrf-token", ""), sessie.csrf):
            raise HTTPException(403, "Deze wijziging mist de controlecode (X-CSRF-Token). Laad de pagina opnieuw.")
    return accounts.wie_van_gebruiker(session, user)


def huidige(request: Request, session: Session) -> Wie | None:
    """Who is asking, or None; kept on the request so several dependencies look it up once."""
    if not hasattr(request.state, "wie"):
        request.state.wie = _wie(request, session)
    return request.state.wie


def _vereist(*rollen: str):
    def check(request: Request, session: Annotated[Session, Depends(get_session)]) -> Wie:
        wie = huidige(request, session)
        if wie is None:
            raise NietIngelogd(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        if wie.rol not in rollen:
            raise HTTPException(403, "U mag dit niet doen met uw account. Vraag een beheerder van Wijkracht om "
                                     "de juiste rol.")
        return wie
    return check


IngelogdDep = Annotated[Wie, Depends(_vereist("beheerder", "redacteur", "medewerker"))]
MedewerkerDep = IngelogdDep  # read access to staff things: every role
RedacteurDep = Annotated[Wie, Depends(_vereist("beheerder", "redacteur"))]
BeheerderDep = Annotated[Wie, Depends(_vereist("beheerder"))]
StaffDep = Annotated[Wie, Depends(_vereist("beheerder", "medewerker"))]  # staff vraagwijzer, statistics, inbox


def csrf_token(request: Request) -> str:
    """The logged-in session's CSRF token, for the hidden `csrf` field of every beheer form."""
    sessie = getattr(request.state, "sessie", None)
    return sessie.csrf if sessie else ""


def _check_csrf(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> None:
    sessie = getattr(request.state, "sessie", None)
    if sessie is None or not hmac.compare_digest(csrf, sessie.csrf):
        raise HTTPException(403, "Dit formulier is verlopen of komt niet van deze site. Laad de pagina opnieuw en "
                                 "probeer het nog eens.")


# After a role dependency (which finds the session): `_: CsrfDep` on every form POST of beheer.
CsrfDep = Annotated[None, Depends(_check_csrf)]

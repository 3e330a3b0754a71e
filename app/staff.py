"""Access for wijkteam and KCC staff: a beheer account or token (app/toegang.py) of a medewerker or beheerder, or,
during the move to accounts, the one shared token (STAFF_TOKEN) as before. The move: `python -m app token create
--naam kcc --rol medewerker` for each integration, then unset STAFF_TOKEN.

The shared token is sent as `Authorization: Bearer <token>` (API) or entered once on /medewerkers/inloggen, which sets
a signed, HttpOnly cookie. The cookie holds only an HMAC of the token, never the token itself.
"""
import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session

from app import toegang
from app.config import get_settings
from app.db import get_session

COOKIE = "medewerker"
# Redacteurs keep their own organisation's listings right: they do not need the staff tool or the counts.
STAFF_ROLLEN = ("medewerker", "beheerder")


def cookie_value() -> str:
    settings = get_settings()
    return hmac.new(settings.secret_key.encode(), settings.staff_token.encode(), hashlib.sha256).hexdigest()


def token_ok(token: str) -> bool:
    expected = get_settings().staff_token
    return bool(expected) and hmac.compare_digest(token.encode(), expected.encode())


def is_staff(request: Request) -> bool:
    if not get_settings().staff_token:
        return False
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer ") and token_ok(auth[7:].strip()):
        return True
    return hmac.compare_digest(request.cookies.get(COOKIE, ""), cookie_value())


def require_staff(request: Request, session: Annotated[Session, Depends(get_session)]) -> None:
    """The shared STAFF_TOKEN, or (its successor) a beheer account or token of a medewerker or beheerder."""
    if is_staff(request):
        return
    wie = toegang.huidige(request, session)
    if wie is not None and wie.rol not in STAFF_ROLLEN:
        raise HTTPException(403, "Dit is alleen voor medewerkers van wijkteams en het KCC. Vraag een beheerder "
                                 "van Wijkracht om een account met de rol medewerker.")
    if wie is None:
        raise HTTPException(
            401,
            "Dit is alleen voor medewerkers. Log in op /medewerkers/inloggen, of stuur het token mee "
            "als 'Authorization: Bearer ...'.",
        )


StaffDep = Annotated[None, Depends(require_staff)]

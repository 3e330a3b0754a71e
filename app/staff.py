"""Access for wijkteam and KCC staff, until accounts exist: one configured token (STAFF_TOKEN).

Sent as `Authorization: Bearer <token>` (API) or entered once on /medewerkers/inloggen, which sets
a signed, HttpOnly cookie. The cookie holds only an HMAC of the token, never the token itself.
"""
import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from app.config import get_settings

COOKIE = "medewerker"


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


def require_staff(request: Request) -> None:
    if not is_staff(request):
        raise HTTPException(
            401,
            "Dit is alleen voor medewerkers. Log in op /medewerkers/inloggen, of stuur het token mee "
            "als 'Authorization: Bearer ...'.",
        )


StaffDep = Annotated[None, Depends(require_staff)]

"""The answers of the vraagwijzer between its steps, as one short-lived token that cannot be read or changed.

A token is the answers (codes only, never free text) as JSON, encrypted and signed with Fernet (AES-128-CBC and
HMAC-SHA256, from `cryptography`), with a key derived from SECRET_KEY. It goes in the URL (`?s=...`) and in a
hidden field, so the back button and "Vorige" keep working while nothing is stored on the server and nothing of
the answers shows in the browser history of a shared device. After MAX_AGE it no longer opens.

    >>> lees(maak({"gevaar": ["nee"]}))
    {'gevaar': ['nee']}
"""
import base64
import json
import time
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.config import get_settings

MAX_AGE = 2 * 3600  # seconds: long enough to fill in, short enough that a shared device forgets
# "terug": the resident came from "Uw antwoorden" to change one answer, so the step leads straight back to the result.
SLEUTELS = ("gevaar", "thema", "signaal", "voor_wie", "leeftijd", "haast", "postcode", "suggestie", "terug")


class TokenFout(ValueError):
    """The token cannot be opened: changed, made with another key, or older than MAX_AGE."""


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    # A key of its own for this purpose: the staff cookie's HMAC uses the same secret directly.
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"wijkentree vraagwijzer").derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def schoon(state: dict, sleutels: tuple[str, ...] = SLEUTELS) -> dict[str, list[str]]:
    """Only known keys, only short codes: what may go into (and comes out of) a token."""
    uit = {}
    for k in sleutels:
        waarden = state.get(k) or []
        waarden = [waarden] if isinstance(waarden, str) else waarden
        waarden = [str(v)[:200] for v in waarden if v][:32]
        if waarden:
            uit[k] = waarden
    return uit


def maak(state: dict, nu: float | None = None, sleutels: tuple[str, ...] = SLEUTELS) -> str:
    data = json.dumps(schoon(state, sleutels), separators=(",", ":")).encode()
    return _fernet(get_settings().secret_key).encrypt_at_time(data, int(time.time() if nu is None else nu)).decode()


def lees(token: str, nu: float | None = None, sleutels: tuple[str, ...] = SLEUTELS) -> dict[str, list[str]]:
    """The answers in a token; TokenFout when it was changed, made elsewhere or is too old."""
    f = _fernet(get_settings().secret_key)
    nu = int(time.time() if nu is None else nu)
    try:
        state = json.loads(f.decrypt_at_time(token.encode(), MAX_AGE, nu))
    except (InvalidToken, ValueError, TypeError):  # a bad signature, too old, or (never ours) not JSON
        raise TokenFout() from None
    return schoon(state, sleutels) if isinstance(state, dict) else {}

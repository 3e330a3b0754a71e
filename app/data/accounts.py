"""Accounts: people (gebruiker), machine tokens (api_token), their organisations (toegang) and sessions (sessie).

Secrets are never stored: a password as an argon2 hash, a token and a session cookie as a SHA-256 (they are
256-bit random values, so a fast hash is enough and lets the database look them up). Creating accounts and
tokens, role and password changes and revocations get an audit row (no data version: no reader caches them).
"""
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete
from sqlmodel import Session, select

from app.data.core import ROLLEN, Wie, schrijf
from app.models import ApiToken, Gebruiker, Organization, Sessie, Toegang, utcnow

MIN_WACHTWOORD = 12
MAX_WACHTWOORD = 1000  # argon2 hashes any length; a bound keeps a huge body from costing CPU
TOKEN_PREFIX = "wkt_"
BIJWERKEN_NA = timedelta(minutes=1)  # laatst_gebruikt is written at most once a minute per token or session
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

_hasher = PasswordHasher()


class AccountFout(ValueError):
    """A wrong value for an account or token; `veld` names the form field, the message says what to do."""

    def __init__(self, veld: str, bericht: str) -> None:
        super().__init__(bericht)
        self.veld = veld
        self.bericht = bericht


def sha256(waarde: str) -> str:
    return hashlib.sha256(waarde.encode()).hexdigest()


def aware(dt: datetime | None) -> datetime | None:
    """Datetimes from the database as UTC-aware (SQLite may hand them back without a zone)."""
    return dt.replace(tzinfo=UTC) if dt is not None and dt.tzinfo is None else dt


@lru_cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


# ----------------------------------------------------------------------------------------- checks


def _check_rol(rol: str, organisaties: list[str], session: Session) -> list[str]:
    if rol not in ROLLEN:
        raise AccountFout("rol", "Kies een rol: beheerder, redacteur of medewerker.")
    organisaties = list(dict.fromkeys(o.strip() for o in organisaties if o and o.strip()))
    if rol == "redacteur" and not organisaties:
        raise AccountFout("organisatie", "Een redacteur hoort bij een organisatie. Kies de organisatie.")
    if rol != "redacteur" and organisaties:
        raise AccountFout("organisatie", "Alleen een redacteur hoort bij een organisatie. Kies geen organisatie, "
                                         "of kies de rol redacteur.")
    for org_id in organisaties:
        if session.get(Organization, org_id) is None:
            raise AccountFout("organisatie", f"De organisatie '{org_id}' bestaat niet. Kies een organisatie "
                                             "uit de lijst.")
    return organisaties


def check_wachtwoord(wachtwoord: str, veld: str = "wachtwoord") -> None:
    if len(wachtwoord) < MIN_WACHTWOORD:
        raise AccountFout(veld, f"Kies een wachtwoord van minstens {MIN_WACHTWOORD} tekens. Een zin van een paar "
                                "woorden is goed te onthouden.")
    if len(wachtwoord) > MAX_WACHTWOORD:
        raise AccountFout(veld, f"Kies een wachtwoord van hoogstens {MAX_WACHTWOORD} tekens.")


def _organisaties_van(session: Session, houder_id: str) -> frozenset[str]:
    return frozenset(session.exec(select(Toegang.organization_id).where(Toegang.houder_id == houder_id)).all())


def _zet_organisaties(session: Session, houder_id: str, organisaties: list[str]) -> None:
    session.exec(delete(Toegang).where(Toegang.houder_id == houder_id))
    for org_id in organisaties:
        session.add(Toegang(houder_id=houder_id, organization_id=org_id))


# ----------------------------------------------------------------------------------------- people


def gebruiker_foto(session: Session, g: Gebruiker) -> dict:
    """What the audit keeps of a person: never the password hash."""
    return {"email": g.email, "naam": g.naam, "rol": g.rol, "actief": g.actief,
            "organisaties": sorted(_organisaties_van(session, g.id))}


def maak_gebruiker(session: Session, wie: Wie, email: str, naam: str, rol: str, wachtwoord: str,
                   organisaties: list[str] | None = None) -> Gebruiker:
    email = email.strip().lower()
    naam = naam.strip()
    if not EMAIL.match(email) or len(email) > 255:
        raise AccountFout("email", "Vul een e-mailadres in zoals naam@voorbeeld.nl.")
    if not naam or len(naam) > 100:
        raise AccountFout("naam", "Vul een naam in van hoogstens 100 tekens.")
    organisaties = _check_rol(rol, organisaties or [], session)
    check_wachtwoord(wachtwoord)
    if session.exec(select(Gebruiker).where(Gebruiker.email == email)).first():
        raise AccountFout("email", "Er is al een gebruiker met dit e-mailadres. Kies een ander e-mailadres.")
    g = Gebruiker(email=email, naam=naam, rol=rol, wachtwoord_hash=_hasher.hash(wachtwoord))
    with schrijf(session, wie, versie_ophogen=False) as w:
        session.add(g)
        session.flush()
        _zet_organisaties(session, g.id, organisaties)
        session.flush()
        w.vastleggen("aangemaakt", "gebruiker", g.id, None, gebruiker_foto(session, g))
    return g


def wijzig_gebruiker(session: Session, wie: Wie, gebruiker_id: str, *, rol: str | None = None,
                     organisaties: list[str] | None = None, actief: bool | None = None,
                     wachtwoord: str | None = None) -> Gebruiker:
    """A beheerder changes someone's role, organisations, active state or sets a new password. Deactivating or a
    new password ends all their sessions."""
    g = session.get(Gebruiker, gebruiker_id)
    if g is None:
        raise AccountFout("gebruiker", "Deze gebruiker bestaat niet (meer). Kies een gebruiker uit de lijst.")
    voor = gebruiker_foto(session, g)
    nieuwe_rol = rol or g.rol
    orgs = _check_rol(nieuwe_rol, organisaties if organisaties is not None else
                      (sorted(_organisaties_van(session, g.id)) if nieuwe_rol == "redacteur" else []), session)
    if wachtwoord is not None:
        check_wachtwoord(wachtwoord)
    if wie.id == g.id and (actief is False or nieuwe_rol != "beheerder"):
        raise AccountFout("rol", "U kunt uw eigen rol of account niet uitzetten. Vraag een andere beheerder.")
    with schrijf(session, wie, versie_ophogen=False) as w:
        g.rol = nieuwe_rol
        _zet_organisaties(session, g.id, orgs)
        if actief is not None:
            g.actief = actief
        if wachtwoord is not None:
            g.wachtwoord_hash = _hasher.hash(wachtwoord)
            g.wachtwoord_gewijzigd = utcnow()
        if wachtwoord is not None or not g.actief:
            session.exec(delete(Sessie).where(Sessie.gebruiker_id == g.id))
        session.add(g)
        session.flush()
        na = gebruiker_foto(session, g) | ({"wachtwoord": "nieuw"} if wachtwoord is not None else {})
        w.vastleggen("gewijzigd", "gebruiker", g.id, voor, na)
    return g


def gebruikers(session: Session) -> list[tuple[Gebruiker, frozenset[str]]]:
    rows = session.exec(select(Gebruiker).order_by(Gebruiker.email)).all()
    return [(g, _organisaties_van(session, g.id)) for g in rows]


def controleer_wachtwoord(session: Session, email: str, wachtwoord: str) -> Gebruiker | None:
    """The active person with this e-mail and password, else None. An unknown e-mail costs the same argon2 work,
    so the time taken does not tell which e-mail addresses exist. Rehashes when the parameters changed."""
    g = session.exec(select(Gebruiker).where(Gebruiker.email == email.strip().lower())).first()
    if len(wachtwoord) > MAX_WACHTWOORD:
        return None
    try:
        _hasher.verify(g.wachtwoord_hash if g else _dummy_hash(), wachtwoord)
    except (VerificationError, InvalidHashError):
        return None
    if g is None or not g.actief:
        return None
    if _hasher.check_needs_rehash(g.wachtwoord_hash):
        g.wachtwoord_hash = _hasher.hash(wachtwoord)
        session.add(g)
        session.commit()
    return g


def wie_van_gebruiker(session: Session, g: Gebruiker) -> Wie:
    return Wie(naam=g.email, id=g.id, rol=g.rol, soort="gebruiker", organisaties=_organisaties_van(session, g.id))


def wijzig_eigen_wachtwoord(session: Session, g: Gebruiker, oud: str, nieuw: str, sessie_id: str) -> None:
    """Change one's own password: the old one must be right; every other session of this person ends."""
    try:
        _hasher.verify(g.wachtwoord_hash, oud)
    except (VerificationError, InvalidHashError):
        raise AccountFout("oud", "Uw huidige wachtwoord klopt niet. Vul het opnieuw in.") from None
    check_wachtwoord(nieuw, "nieuw")
    with schrijf(session, wie_van_gebruiker(session, g), versie_ophogen=False) as w:
        g.wachtwoord_hash = _hasher.hash(nieuw)
        g.wachtwoord_gewijzigd = utcnow()
        session.add(g)
        session.exec(delete(Sessie).where(Sessie.gebruiker_id == g.id, Sessie.id != sessie_id))
        w.vastleggen("wachtwoord", "gebruiker", g.id, None, {"email": g.email, "wachtwoord": "nieuw"})


# ----------------------------------------------------------------------------------------- sessions


def nieuwe_sessie(session: Session, g: Gebruiker) -> str:
    """A new session for this person; returns the cookie value (only its SHA-256 is stored)."""
    waarde = secrets.token_urlsafe(32)
    session.add(Sessie(id=sha256(waarde), gebruiker_id=g.id, csrf=secrets.token_urlsafe(32)))
    session.commit()
    return waarde


def sessie_van(session: Session, waarde: str, idle: timedelta, maximaal: timedelta,
               nu: datetime | None = None) -> tuple[Sessie, Gebruiker] | None:
    """The live session for this cookie value and its (active) person; an expired session is removed."""
    if not waarde or len(waarde) > 100:
        return None
    s = session.get(Sessie, sha256(waarde))
    if s is None:
        return None
    nu = nu or utcnow()
    g = session.get(Gebruiker, s.gebruiker_id)
    if (g is None or not g.actief or nu - aware(s.laatst_gebruikt) > idle or nu - aware(s.aangemaakt) > maximaal):
        session.delete(s)
        session.commit()
        return None
    if nu - aware(s.laatst_gebruikt) > BIJWERKEN_NA:
        s.laatst_gebruikt = nu
        session.add(s)
        session.commit()
    return s, g


def beeindig_sessie(session: Session, sessie_id: str) -> None:
    session.exec(delete(Sessie).where(Sessie.id == sessie_id))
    session.commit()


# ----------------------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class NieuwToken:
    token: ApiToken
    geheim: str  # shown once, never stored


def token_foto(session: Session, t: ApiToken) -> dict:
    return {"naam": t.naam, "rol": t.rol, "verloopt": aware(t.verloopt).isoformat(),
            "ingetrokken": aware(t.ingetrokken).isoformat() if t.ingetrokken else None,
            "organisaties": sorted(_organisaties_van(session, t.id))}


def maak_token(session: Session, wie: Wie, naam: str, rol: str, organisaties: list[str] | None = None,
               dagen: int = 365, geheim: str | None = None) -> NieuwToken:
    """A new bearer token. `geheim` is only given when an existing secret moves in (the old STAFF_TOKEN)."""
    naam = naam.strip()
    if not naam or len(naam) > 100:
        raise AccountFout("naam", "Geef het token een naam van hoogstens 100 tekens, bijvoorbeeld 'kcc'.")
    if not 1 <= dagen <= 3660:
        raise AccountFout("dagen", "Kies een geldigheid van 1 tot 3660 dagen.")
    organisaties = _check_rol(rol, organisaties or [], session)
    if session.exec(select(ApiToken).where(ApiToken.naam == naam)).first():
        raise AccountFout("naam", f"Er is al een token met de naam '{naam}'. Kies een andere naam.")
    geheim = geheim or TOKEN_PREFIX + secrets.token_urlsafe(32)
    if session.exec(select(ApiToken).where(ApiToken.token_hash == sha256(geheim))).first():
        raise AccountFout("token", "Dit token is al opgeslagen onder een andere naam.")
    t = ApiToken(naam=naam, rol=rol, token_hash=sha256(geheim), verloopt=utcnow() + timedelta(days=dagen))
    with schrijf(session, wie, versie_ophogen=False) as w:
        session.add(t)
        session.flush()
        _zet_organisaties(session, t.id, organisaties)
        session.flush()
        w.vastleggen("aangemaakt", "token", t.id, None, token_foto(session, t))
    return NieuwToken(t, geheim)


def tokens(session: Session) -> list[tuple[ApiToken, frozenset[str]]]:
    rows = session.exec(select(ApiToken).order_by(ApiToken.naam)).all()
    return [(t, _organisaties_van(session, t.id)) for t in rows]


def trek_token_in(session: Session, wie: Wie, naam_of_id: str) -> ApiToken:
    t = session.exec(select(ApiToken).where((ApiToken.naam == naam_of_id) | (ApiToken.id == naam_of_id))).first()
    if t is None:
        raise AccountFout("naam", f"Er is geen token met de naam '{naam_of_id}'. Kijk met 'token list' welke er zijn.")
    if t.ingetrokken is None:
        with schrijf(session, wie, versie_ophogen=False) as w:
            voor = token_foto(session, t)
            t.ingetrokken = utcnow()
            session.add(t)
            w.vastleggen("ingetrokken", "token", t.id, voor, token_foto(session, t))
    return t


def token_geldig(t: ApiToken, nu: datetime | None = None) -> bool:
    nu = nu or utcnow()
    return t.ingetrokken is None and aware(t.verloopt) > nu


def wie_van_token(session: Session, geheim: str) -> Wie | None:
    """Who this bearer token belongs to, when it is known, not revoked and not expired."""
    if not geheim or len(geheim) > 200:
        return None
    t = session.exec(select(ApiToken).where(ApiToken.token_hash == sha256(geheim))).first()
    nu = utcnow()
    if t is None or not token_geldig(t, nu):
        return None
    if t.laatst_gebruikt is None or nu - aware(t.laatst_gebruikt) > BIJWERKEN_NA:
        t.laatst_gebruikt = nu
        session.add(t)
        session.commit()
    return Wie(naam=t.naam, id=t.id, rol=t.rol, soort="token", organisaties=_organisaties_van(session, t.id))

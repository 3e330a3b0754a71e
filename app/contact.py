"""The digital front door: a resident's question or call-back request (/contact, POST /api/v1/contact).

Only the fields below are asked. The personal ones (name, phone, e-mail, postcode, question, moment) are stored
together as one Fernet token (AES-128-CBC + HMAC-SHA256) under CONTACT_SLEUTELS: a MultiFernet, so the first
key encrypts and every key decrypts; add a new key in front, run `python -m app sleutel-roteren`, then drop the
old one. `contact_hash` (an HMAC of the normalised phone or e-mail) lets a resident withdraw without us decrypting
anything. Nothing personal is ever logged (only a reference, at most).
"""
import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
import smtplib
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app import geo
from app.config import get_settings
from app.taal import N_, _

# Labels for the form: translated where they are shown (app/routes/contact.py); the inbox shows them in Dutch.
SOORTEN = {"vraag": N_("Stel uw vraag"), "terugbellen": N_("Bel mij terug")}
MOMENTEN = {
    "ochtend": N_("In de ochtend (9 tot 12 uur)"),
    "middag": N_("In de middag (12 tot 17 uur)"),
    "maakt-niet-uit": N_("Het maakt niet uit"),
}
NAAM_MAX = 60
VRAAG_MAX = 500
# No 0/O and 1/I: a reference read out over the phone cannot be misheard.
ALFABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENTIE_LENGTE = 8
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
log = logging.getLogger("wijkentree.contact")
PERSOONLIJK = ("naam", "telefoon", "email", "postcode", "vraag", "moment")


class SleutelFout(RuntimeError):
    """No CONTACT_SLEUTELS in production: we refuse to encrypt with a key derived from SECRET_KEY."""


@dataclass
class Verzoek:
    soort: str
    naam: str
    telefoon: str
    email: str
    postcode: str
    thema: str
    vraag: str
    moment: str
    wijkentree: str  # a wijkentree's slug, or ""

    def persoonlijk(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if k in PERSOONLIJK}


def _tekst(data: dict, key: str) -> str:
    value = data.get(key)
    return str(value).strip() if value is not None else ""


def normaliseer_telefoon(text: str) -> str:
    digits = re.sub(r"[\s\-().]", "", text)
    if digits.startswith("+31"):
        digits = "0" + digits[3:]
    elif digits.startswith("0031"):
        digits = "0" + digits[4:]
    return digits


def valideer(data: dict, themas: dict[str, str]) -> tuple[Verzoek, list[dict[str, str]]]:
    """The request and a list of errors ({veld, tekst}, saying what to do); no errors means it is fine. The texts
    are in the request's language (app/taal.py): the resident's on the page, always Dutch in the API."""
    v = Verzoek(**{k: _tekst(data, k) for k in ("soort", "naam", "telefoon", "email", "postcode", "thema",
                                                  "vraag", "moment", "wijkentree")})
    fouten = []

    def fout(veld: str, tekst: str) -> None:
        fouten.append({"veld": veld, "tekst": tekst})

    if v.soort not in SOORTEN:
        fout("soort", _("Kies wat u wilt: uw vraag stellen of teruggebeld worden."))
    if not v.naam:
        fout("naam", _("Vul uw voornaam of voorletters in."))
    elif len(v.naam) > NAAM_MAX:
        fout("naam", _("Uw naam is te lang. Gebruik hoogstens %(max)d tekens, bijvoorbeeld alleen uw voornaam.")
                 % {"max": NAAM_MAX})
    if v.telefoon:
        nummer = normaliseer_telefoon(v.telefoon)
        if not re.fullmatch(r"0\d{9}", nummer):
            fout("telefoon", _("Dit telefoonnummer klopt niet. Een nummer heeft 10 cijfers, bijvoorbeeld 06 12345678."))
        else:
            v.telefoon = nummer
    if v.email:
        if len(v.email) > 254 or not EMAIL_RE.match(v.email):
            fout("email", _("Dit e-mailadres klopt niet. Een e-mailadres ziet eruit als naam@voorbeeld.nl."))
    if v.soort == "terugbellen" and not v.telefoon:
        fout("telefoon", _("Vul uw telefoonnummer in. Dan kunnen we u terugbellen."))
    elif not v.telefoon and not v.email:
        fout("telefoon", _("Vul een telefoonnummer of een e-mailadres in. Eén van de twee is genoeg."))
    if v.postcode:
        try:
            pc = geo.parse_postcode(v.postcode)
            geo.postcode_point(pc)
            v.postcode = str(pc)
        except geo.PostcodeError as e:
            fout("postcode", str(e))
    if v.thema not in themas:
        fout("thema", _("Kies waar uw vraag over gaat."))
    if len(v.vraag) > VRAAG_MAX:
        fout("vraag", _("Uw vraag is te lang: %(lengte)d tekens. Gebruik hoogstens %(max)d tekens. Vertel de rest "
                        "als we contact met u hebben.") % {"lengte": len(v.vraag), "max": VRAAG_MAX})
    if v.moment not in MOMENTEN:
        fout("moment", _("Kies wanneer we u het best kunnen bellen."))
    return v, fouten


# --- keys and encryption ---------------------------------------------------------------------------

def _afgeleid(secret: str, doel: bytes) -> bytes:
    return base64.urlsafe_b64encode(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=doel)
                                    .derive(secret.encode()))


@lru_cache(maxsize=4)
def _multifernet(sleutels: str, secret: str, productie: bool) -> MultiFernet:
    keys = [k.strip() for k in sleutels.split(",") if k.strip()]
    if not keys:
        if productie:
            raise SleutelFout("Zet CONTACT_SLEUTELS (Fernet-sleutels, met komma's): in productie mag de "
                              "sleutel niet van SECRET_KEY komen.")
        keys = [_afgeleid(secret, b"wijkentree contactverzoek").decode()]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _fernet() -> MultiFernet:
    s = get_settings()
    return _multifernet(s.contact_sleutels, s.secret_key, s.environment != "development")


def versleutel(gegevens: dict[str, str]) -> str:
    return _fernet().encrypt(json.dumps(gegevens, ensure_ascii=False).encode()).decode()


def ontsleutel(token: str) -> dict[str, str]:
    return json.loads(_fernet().decrypt(token.encode()))


def herversleutel(token: str) -> str:
    """The same data under the first key (for key rotation)."""
    return _fernet().rotate(token.encode()).decode()


def contact_hash(telefoon: str, email: str) -> str:
    """A keyed hash of the phone (else the e-mail), normalised, to check a withdrawal without decrypting."""
    waarde = normaliseer_telefoon(telefoon) if telefoon else email.strip().lower()
    sleutel = _afgeleid(get_settings().secret_key, b"wijkentree contact-hash")
    return hmac.new(sleutel, waarde.encode(), hashlib.sha256).hexdigest()


def hashes_van(contact: str) -> set[str]:
    """Both readings of what a resident types to withdraw: as a phone number and as an e-mail address."""
    contact = contact.strip()
    return {contact_hash(contact, ""), contact_hash("", contact)}


def nieuwe_referentie() -> str:
    return "".join(secrets.choice(ALFABET) for _ in range(REFERENTIE_LENGTE))


def normaliseer_referentie(text: str) -> str:
    return re.sub(r"[\s\-]", "", text or "").upper()[:20]


def stuur_melding(referentie: str) -> bool:
    """Mail CONTACT_MELDING_AAN that a request came in: only the reference and a link, no personal data. In Dutch
    whatever language the resident used (not marked for translation): it is for the staff.

    Off without SMTP_URL. A failure is logged (without the reference's data) and never loses the request: it is
    already stored, and the inbox shows it anyway."""
    s = get_settings()
    if not s.smtp_url or not s.contact_melding_aan:
        return False
    url = urlsplit(s.smtp_url)
    bericht = EmailMessage()
    bericht["Subject"] = f"Nieuwe vraag via de wijkentree-website ({referentie})"
    bericht["From"] = f"wijkentree@{url.hostname or 'localhost'}"
    bericht["To"] = s.contact_melding_aan
    bericht.set_content(
        f"Er is een nieuwe vraag binnengekomen met code {referentie}.\n\n"
        f"Lees de vraag in de inbox (u moet inloggen): {s.base_url}/beheer/contact\n\n"
        "In deze e-mail staan met opzet geen persoonlijke gegevens.\n")
    try:
        with smtplib.SMTP(url.hostname or "localhost", url.port or 25, timeout=5) as smtp:
            smtp.send_message(bericht)
    except (OSError, smtplib.SMTPException) as e:
        log.warning("Melding van contactverzoek %s niet verstuurd: %s", referentie, type(e).__name__)
        return False
    return True

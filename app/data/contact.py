"""Contact requests: create, withdraw, clean up, re-encrypt. Every change writes an audit row through
app.data.core.schrijf, and an audit row never holds personal data: only the reference, the status and who."""
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import contact, geo
from app.config import get_settings
from app.data.aanbod import NietMogelijk, Ongeldig
from app.data.core import SYSTEEM, NietGevonden, Wie, schrijf
from app.models import Contactverzoek, Location, utcnow
from app.params import Origin
from app.wijkentree import nearest_wijkentrees

SOORT = "contactverzoek"
INWONER = Wie("inwoner")


def _samenvatting(v: Contactverzoek) -> dict:
    """What the audit may know about a request: never a personal field."""
    return {"referentie": v.referentie, "status": v.status, "location_id": v.location_id,
            "opgepakt_door": v.opgepakt_door}


def kies_wijkentree(session: Session, slug: str, postcode: str, nu: datetime) -> Location | None:
    """The chosen wijkentree, else the nearest by postcode, else none (Wijkracht's general inbox)."""
    if slug:
        loc = session.exec(select(Location).where(Location.slug == slug, Location.is_wijkentree)).first()
        if loc is not None:
            return loc
    if postcode:
        from app.geocoder import locate_postcode

        (lat, lon), _ = locate_postcode(geo.parse_postcode(postcode))
        entrees = nearest_wijkentrees(session, Origin(lat, lon), nu)
        if entrees and entrees[0]["distance_m"] is not None:
            return entrees[0]["location"].location
    return None


def naam_van(session: Session, rij: Contactverzoek) -> str:
    """The name of the request's wijkentree, or "" for Wijkracht's general inbox."""
    loc = session.get(Location, rij.location_id) if rij.location_id else None
    return loc.name if loc else ""


def maak(session: Session, verzoek: contact.Verzoek, nu: datetime | None = None) -> Contactverzoek:
    """Store a valid request (encrypted) and return it; the reference is unique."""
    nu = nu or utcnow()
    loc = kies_wijkentree(session, verzoek.wijkentree, verzoek.postcode, nu)
    for _ in range(5):  # 32^8 references: a clash is rare, but the unique index decides
        rij = Contactverzoek(referentie=contact.nieuwe_referentie(), soort=verzoek.soort, thema=verzoek.thema,
                             location_id=loc.id if loc else None,
                             versleuteld=contact.versleutel(verzoek.persoonlijk()),
                             contact_hash=contact.contact_hash(verzoek.telefoon, verzoek.email), aangemaakt=nu)
        try:
            with schrijf(session, INWONER, versie_ophogen=False) as w:
                session.add(rij)
                session.flush()
                w.vastleggen("aangemaakt", SOORT, rij.id, na=_samenvatting(rij))
            return rij
        except IntegrityError:
            continue
    raise RuntimeError("Geen vrije referentie gevonden")


def intrekken(session: Session, referentie: str, telefoon_of_email: str) -> bool:
    """Delete the request when the reference and the phone or e-mail match; False otherwise."""
    rij = session.exec(select(Contactverzoek).where(
        Contactverzoek.referentie == contact.normaliseer_referentie(referentie))).first()
    if rij is None or not telefoon_of_email.strip() or rij.contact_hash not in contact.hashes_van(telefoon_of_email):
        return False
    with schrijf(session, INWONER, versie_ophogen=False) as w:
        w.vastleggen("ingetrokken", SOORT, rij.id, voor=_samenvatting(rij))
        session.delete(rij)
    return True


def opruimen(session: Session, nu: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete handled requests after CONTACT_BEWAARDAGEN, unhandled ones after CONTACT_MAX_DAGEN."""
    nu = nu or utcnow()
    s = get_settings()
    afgehandeld = session.exec(select(Contactverzoek).where(
        Contactverzoek.status == "afgehandeld",
        Contactverzoek.afgehandeld < nu - timedelta(days=s.contact_bewaardagen))).all()
    open_ = session.exec(select(Contactverzoek).where(
        Contactverzoek.status != "afgehandeld",
        Contactverzoek.aangemaakt < nu - timedelta(days=s.contact_max_dagen))).all()
    if not dry_run and (afgehandeld or open_):
        with schrijf(session, SYSTEEM, versie_ophogen=False) as w:
            for rij in [*afgehandeld, *open_]:
                w.vastleggen("opgeruimd", SOORT, rij.id, voor=_samenvatting(rij))
                session.delete(rij)
    return {"afgehandeld": len(afgehandeld), "niet_afgehandeld": len(open_)}


def herversleutelen(session: Session) -> int:
    """Re-encrypt every stored request with the first key of CONTACT_SLEUTELS; returns the count."""
    rijen = session.exec(select(Contactverzoek)).all()
    with schrijf(session, SYSTEEM, versie_ophogen=False) as w:
        for rij in rijen:
            rij.versleuteld = contact.herversleutel(rij.versleuteld)
            session.add(rij)
        if rijen:
            w.vastleggen("herversleuteld", SOORT, "alle", na={"aantal": len(rijen)})
    return len(rijen)


# --- the staff side (routes come with app/toegang.py): every view and change is audited --------------

STATUSSEN = ("nieuw", "opgepakt", "afgehandeld")


def lijst(session: Session, location_id: str | None = None, status: str | None = None) -> list[Contactverzoek]:
    """The inbox, newest first, without decrypting anything (the list shows reference, topic and status)."""
    q = select(Contactverzoek).order_by(Contactverzoek.aangemaakt.desc())
    if location_id:
        q = q.where(Contactverzoek.location_id == location_id)
    if status:
        q = q.where(Contactverzoek.status == status)
    return list(session.exec(q).all())


def _haal(session: Session, verzoek_id: str) -> Contactverzoek:
    rij = session.get(Contactverzoek, verzoek_id)
    if rij is None:
        raise NietGevonden(verzoek_id)
    return rij


def bekijk(session: Session, wie: Wie, verzoek_id: str) -> tuple[Contactverzoek, dict[str, str]]:
    """One request with its personal fields decrypted; the view itself is an audit row ("bekeken")."""
    rij = _haal(session, verzoek_id)
    with schrijf(session, wie, versie_ophogen=False) as w:
        w.vastleggen("bekeken", SOORT, rij.id, na=_samenvatting(rij))
    return rij, contact.ontsleutel(rij.versleuteld)


def wijkentrees(session: Session) -> list[tuple[str, str]]:
    """(id, name) of every wijkentree that is not deleted, by name: the inbox's filter and where to assign to."""
    return list(session.exec(select(Location.id, Location.name).where(
        Location.is_wijkentree, col(Location.verwijderd).is_(None)).order_by(Location.name)).all())


def _wijzig(session: Session, wie: Wie, verzoek_id: str, actie: str, **velden) -> Contactverzoek:
    rij = _haal(session, verzoek_id)
    if rij.status == "afgehandeld":
        # Handled is final: the resident was helped, and the retention clock runs from that moment.
        raise NietMogelijk("Deze vraag is al afgehandeld. Er is niets veranderd. Heeft de inwoner nog een vraag? "
                           "Dan kan de inwoner een nieuwe vraag sturen via /contact.")
    with schrijf(session, wie, versie_ophogen=False) as w:
        voor = _samenvatting(rij)
        for k, v in velden.items():
            setattr(rij, k, v)
        session.add(rij)
        w.vastleggen(actie, SOORT, rij.id, voor=voor, na=_samenvatting(rij))
    return rij


def oppakken(session: Session, wie: Wie, verzoek_id: str) -> Contactverzoek:
    return _wijzig(session, wie, verzoek_id, "opgepakt", status="opgepakt", opgepakt_door=wie.naam, opgepakt=utcnow())


def afhandelen(session: Session, wie: Wie, verzoek_id: str) -> Contactverzoek:
    return _wijzig(session, wie, verzoek_id, "afgehandeld", status="afgehandeld", afgehandeld=utcnow())


def toewijzen(session: Session, wie: Wie, verzoek_id: str, location_id: str) -> Contactverzoek:
    """To another wijkentree: back to "nieuw" there, so their inbox shows it as new."""
    _haal(session, verzoek_id)  # an unknown request is a 404 before any check of the body
    loc = session.get(Location, location_id)
    if loc is None or not loc.is_wijkentree or loc.verwijderd is not None:
        raise Ongeldig([{"veld": "location_id", "msg": "Dit is geen wijkentree. Kies een wijkentree uit de lijst."}])
    return _wijzig(session, wie, verzoek_id, "toegewezen", location_id=loc.id, status="nieuw", opgepakt_door=None,
                   opgepakt=None)

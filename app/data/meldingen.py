"""Residents' reports ("Klopt er iets niet?"): a resident says a listing is wrong; its organisation fixes it.

No login and no personal data: what is wrong (one of SOORTEN) and an optional short remark. The audit row names
the report, its kind and its listing, never the remark: a resident may write a name there despite the hint.
"""
from sqlmodel import Session, col, select

from app.data.aanbod import GeenToegang, Ongeldig
from app.data.core import NietGevonden, Wie, schrijf
from app.models import Melding, Service, ServiceAtLocation, utcnow, zichtbare_dienst
from app.taal import N_

SOORT = "melding"
INWONER = Wie("inwoner")
OPMERKING_MAX = 300

# What can be wrong, with the label residents and beheer read (N_: translated where residents see it,
# templates/_melding.html; the beheer stays Dutch).
SOORTEN = {
    "adres": N_("Het adres klopt niet"),
    "telefoon": N_("Het telefoonnummer klopt niet"),
    "tijden": N_("De openingstijden kloppen niet"),
    "gesloten": N_("Het is gesloten of bestaat niet meer"),
    "anders": N_("Iets anders"),
}
KEUZES = ", ".join(list(SOORTEN)[:-1]) + " of " + list(SOORTEN)[-1]


def _samenvatting(m: Melding) -> dict:
    """What the audit may know about a report: never the remark."""
    return {"wat": m.wat, "service_id": m.service_id, "location_id": m.location_id,
            "organization_id": m.organization_id, "afgehandeld": m.afgehandeld}


def _schoon(opmerking: str | None) -> str:
    # A textarea posts CRLF: count a line break as one character, as the browser's maxlength does. Control
    # characters (a NUL, which PostgreSQL refuses in text) carry no meaning in a remark.
    tekst = (opmerking or "").replace("\r\n", "\n")
    return "".join(ch for ch in tekst if ch.isprintable() or ch in "\n\t").strip()


def controleer(soort: str, opmerking: str | None) -> tuple[str, list[dict]]:
    """The remark as it is stored, and what is wrong with the kind and the remark ([{veld, msg}], Dutch)."""
    tekst = _schoon(opmerking)
    fouten = []
    if soort not in SOORTEN:
        fouten.append({"veld": "soort", "msg": f"Kies wat er niet klopt: {KEUZES}."})
    if len(tekst) > OPMERKING_MAX:
        fouten.append({"veld": "opmerking", "msg": f"Uw opmerking is te lang: {len(tekst)} tekens. Gebruik "
                                                   f"hoogstens {OPMERKING_MAX} tekens."})
    return tekst, fouten


def meld(session: Session, service_id: str, soort: str, opmerking: str | None = "",
         location_id: str | None = None) -> Melding:
    """Store a report about a service residents can see; it lands on its organisation's to-do list.

    NietGevonden for an unknown, deleted or hidden service; Ongeldig (per field, Dutch) for a wrong kind, a
    remark that is too long or a location where the service is not offered."""
    service = session.exec(select(Service).where(Service.id == service_id, zichtbare_dienst())).first()
    if service is None:
        raise NietGevonden(service_id)
    tekst, fouten = controleer(soort, opmerking)
    if location_id is not None and session.exec(select(ServiceAtLocation.id).where(
            ServiceAtLocation.service_id == service_id, ServiceAtLocation.location_id == location_id)).first() is None:
        fouten.append({"veld": "location_id", "msg": "Dit aanbod is niet op deze plek. Laat location_id weg, of "
                                                     "kies een plek uit de locaties van dit aanbod."})
    if fouten:
        raise Ongeldig(fouten)
    melding = Melding(service_id=service.id, location_id=location_id, organization_id=service.organization_id,
                      wat=soort, opmerking=tekst)
    with schrijf(session, INWONER, versie_ophogen=False) as w:
        session.add(melding)
        session.flush()
        w.vastleggen("aangemaakt", SOORT, melding.id, na=_samenvatting(melding))
    return melding


def nog_open():
    """When a report is open: not yet handled. The to-do list, the list's filter and its counts all use this."""
    return col(Melding.afgehandeld).is_(None)


def open_meldingen(session: Session, organisatie_ids: set[str] | frozenset[str] | None = None) -> list[Melding]:
    """Reports not yet handled, newest first; only those of these organisations, or all with None."""
    query = select(Melding).where(nog_open())
    if organisatie_ids is not None:
        query = query.where(col(Melding.organization_id).in_(organisatie_ids))
    return list(session.exec(query.order_by(col(Melding.aangemaakt).desc(), col(Melding.id))).all())


def afhandelen(session: Session, wie: Wie, melding_id: str) -> Melding:
    """Mark a report as handled. A redacteur only their own organisations' reports; handling twice changes
    nothing (the first handling stays on record)."""
    melding = session.get(Melding, melding_id)
    if melding is None:
        raise NietGevonden(melding_id)
    if not wie.mag_wijzigen(melding.organization_id):
        raise GeenToegang(melding.organization_id)
    if melding.afgehandeld is not None:
        return melding
    with schrijf(session, wie, versie_ophogen=False) as w:
        voor = _samenvatting(melding)
        melding.afgehandeld = utcnow()
        melding.afgehandeld_door = wie.naam
        session.add(melding)
        w.vastleggen("afgehandeld", SOORT, melding.id, voor=voor, na=_samenvatting(melding))
    return melding

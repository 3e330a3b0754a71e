"""One transaction per change: the change, its audit row, last_modified and the data version, or nothing.

    with schrijf(session, wie) as w:
        voor = w.foto("service", service_id)
        ... change the rows ...
        w.vastleggen("gewijzigd", "service", service_id, voor)

Leaving the block flushes, writes the audit rows, raises the data version once and commits; an error anywhere
(also in the audit insert) rolls the whole change back. A `schrijf` inside another one on the same session is part
of the outer change: it flushes, and the outer block alone commits or rolls back (an import: many aanbod calls, one
transaction). `w.terugdraaien = True` in the outer block undoes everything at its end (a dry run). The version lives in the database (table data_versie),
so every worker and replica sees an edit at its next version check (SEARCH_FRESHNESS_SECONDS).
"""
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from app.models import Audit, DataVersie, Location, Organization, Service, utcnow

ROLLEN = ("beheerder", "redacteur", "medewerker")

# Object types the audit knows, and the table behind each that has last_modified and a soft delete.
MODELLEN = {"organization": Organization, "service": Service, "location": Location}


@dataclass(frozen=True)
class Wie:
    """Who makes a change: a person (their e-mail), a machine token (its name), or the system (seed, CLI)."""
    naam: str
    id: str | None = None
    rol: str = "systeem"
    soort: str = "systeem"  # gebruiker | token | systeem
    organisaties: frozenset[str] = field(default_factory=frozenset)  # a redacteur's organisations

    def mag_wijzigen(self, organization_id: str | None) -> bool:
        """Beheerders and the system change everything; a redacteur only their own organisations' listings."""
        if self.rol in ("beheerder", "systeem"):
            return True
        return self.rol == "redacteur" and organization_id is not None and organization_id in self.organisaties


SYSTEEM = Wie("systeem")


def versie(session: Session) -> int:
    """The data version: raised by every write of listing data."""
    return session.exec(select(DataVersie.versie).where(DataVersie.id == 1)).first() or 0


def verhoog_versie(session: Session) -> None:
    """Raise the version inside the caller's transaction (an UPDATE, so two writers never lose a raise)."""
    session.exec(update(DataVersie).where(DataVersie.id == 1).values(versie=DataVersie.versie + 1))


def foto(session: Session, soort: str, obj_id: str) -> dict | None:
    """The object as the API shows it (HSDS JSON, with our fields), also when deleted; None when absent."""
    from app import hsds, listings  # listings reads; importing it here keeps data.core free of read-side imports

    session.flush()
    if soort == "service":
        views = listings.load_services(session, [obj_id], alles=True)
        if not views:
            return None
        out = hsds.service(views[0], with_locations=False)
        out["location_ids"] = [lv.location.id for lv in views[0].locations]
    elif soort == "location":
        views = listings.load_locations(session, [obj_id], alles=True)
        if not views:
            return None
        out = hsds.location(views[0])
    elif soort == "organization":
        org = session.get(Organization, obj_id)
        if org is None:
            return None
        out = hsds.organization(org)
    else:
        raise ValueError(f"onbekend soort object: {soort}")
    obj = session.get(MODELLEN[soort], obj_id)
    out["verwijderd"] = obj.verwijderd.isoformat() if obj.verwijderd else None
    return json.loads(json.dumps(out, default=str))


class Schrijver:
    def __init__(self, session: Session, wie: Wie) -> None:
        self.session = session
        self.wie = wie
        self.nu = utcnow()
        self.audits: list[Audit] = []
        self.terugdraaien = False  # set in the block: roll everything back at its end instead of committing

    def foto(self, soort: str, obj_id: str) -> dict | None:
        return foto(self.session, soort, obj_id)

    def vastleggen(self, actie: str, soort: str, obj_id: str, voor: dict | None = None,
                   na: dict | None = None, raak: bool = True) -> Audit:
        """Record one change: touch the object's last_modified and add the audit row (with the object after)."""
        model = MODELLEN.get(soort)
        if raak and model is not None:
            obj = self.session.get(model, obj_id)
            if obj is not None:
                obj.last_modified = self.nu
                self.session.add(obj)
        if na is None and model is not None:
            na = foto(self.session, soort, obj_id)
        row = Audit(tijd=self.nu, wie=self.wie.naam, wie_id=self.wie.id, actie=actie, object_type=soort,
                    object_id=obj_id, voor=_json(voor), na=_json(na))
        self.session.add(row)
        self.audits.append(row)
        return row


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@contextmanager
def schrijf(session: Session, wie: Wie, versie_ophogen: bool = True) -> Iterator[Schrijver]:
    """One change, all or nothing (see the module text). `versie_ophogen=False` for writes that no reader
    caches (a report, an account)."""
    w = Schrijver(session, wie)
    if session.info.get("schrijf") is not None:
        # Part of an outer change: that block raises the version and commits or rolls back, once for all.
        yield w
        session.flush()
        return
    session.info["schrijf"] = w
    try:
        yield w
        if w.terugdraaien:
            session.rollback()
            return
        if versie_ophogen:
            verhoog_versie(session)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop("schrijf", None)


class NietGevonden(LookupError):
    """The object does not exist (or the caller may not see it)."""


def verwijder(session: Session, wie: Wie, soort: str, obj_id: str) -> None:
    """Soft delete: the row stays (and can be restored); every public read leaves it out."""
    _zet_verwijderd(session, wie, soort, obj_id, utcnow(), "verwijderd")


def herstel(session: Session, wie: Wie, soort: str, obj_id: str) -> None:
    _zet_verwijderd(session, wie, soort, obj_id, None, "hersteld")


def _zet_verwijderd(session: Session, wie: Wie, soort: str, obj_id: str, waarde: datetime | None, actie: str) -> None:
    obj = session.get(MODELLEN[soort], obj_id)
    if obj is None:
        raise NietGevonden(obj_id)
    with schrijf(session, wie) as w:
        voor = w.foto(soort, obj_id)
        obj.verwijderd = waarde
        session.add(obj)
        w.vastleggen(actie, soort, obj_id, voor)

"""Staff-only statistics for the wijkanalyse: the vraagwijzer counts, searches that found nothing, the supply.
Each answer names its period and the suppression rule (app/wijkanalyse.py)."""
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BeforeValidator

from app import hours, wijkanalyse
from app.api.deps import SessionDep, alleen_iso
from app.errors import InputError
from app.staff import StaffDep
from app.tellingen import statistiek

FOUTEN = {
    401: {"description": "Niet ingelogd: stuur een token van een medewerker of beheerder mee."},
    403: {"description": "Ingelogd, maar met een rol die dit niet mag zien (bijvoorbeeld redacteur)."},
    422: {"description": "Een datum klopt niet, 'van' ligt na 'tot', of de periode is langer dan drie jaar."},
}
router = APIRouter(prefix="/statistiek", tags=["statistiek"], responses=FOUTEN)


def periode(
    van: Annotated[date | None, BeforeValidator(alleen_iso), Query(
        description="Eerste dag (JJJJ-MM-DD); standaard 1 januari")] = None,
    tot: Annotated[date | None, BeforeValidator(alleen_iso), Query(
        description="Laatste dag (JJJJ-MM-DD); standaard vandaag")] = None,
) -> wijkanalyse.Periode:
    """The chosen period; the pages use it too."""
    tot = tot or datetime.now(UTC).astimezone(hours.TZ).date()
    van = van or date(tot.year, 1, 1)
    if van > tot:
        raise InputError("van", "De datum 'van' ligt na 'tot'. Kies een 'van' die voor 'tot' ligt.")
    if (tot - van).days > 3 * 366:
        raise InputError("van", "Kies een periode van hoogstens drie jaar.")
    return wijkanalyse.Periode(van, tot)


PeriodeDep = Annotated[wijkanalyse.Periode, Depends(periode)]


def _kop(p: wijkanalyse.Periode) -> dict:
    return {"van": p.van.isoformat(), "tot": p.tot.isoformat(), "periode": p.als_json(),
            "onderdrukking": wijkanalyse.onderdrukking()}


@router.get("/vraagwijzer")
def get_vraagwijzer(session: SessionDep, _: StaffDep, p: PeriodeDep) -> dict:
    """Anonieme tellingen per week, thema, wijk en route, met weektotalen uit de zichtbare cellen. Cellen onder 5
    zijn verborgen. Alleen voor medewerkers."""
    weken = wijkanalyse.vraagwijzer(session, p)["per_week"]
    return {**_kop(p), "minimum": wijkanalyse.MIN_CEL, "cellen": statistiek(session, p.van, p.tot),
            "totalen_per_week": weken}


@router.get("/wijkanalyse")
def get_wijkanalyse(session: SessionDep, _: StaffDep, p: PeriodeDep) -> dict:
    """De vraagwijzer per wijk naar onderwerp en route, en de witte vlekken. Alleen voor medewerkers."""
    return {**_kop(p), **wijkanalyse.vraagwijzer(session, p), "witte_vlekken": wijkanalyse.witte_vlekken(session, p)}


@router.get("/zoekopdrachten")
def get_zoekopdrachten(session: SessionDep, _: StaffDep, p: PeriodeDep) -> dict:
    """Zoekopdrachten die niets vonden: alleen de woorden, per week, vanaf 5 keer. Alleen voor medewerkers."""
    return {**_kop(p), **wijkanalyse.zoekopdrachten(session, p)}


@router.get("/aanbod")
def get_aanbod(session: SessionDep, _: StaffDep, p: PeriodeDep) -> dict:
    """Aanbod in de sociale basis en basisondersteuning per wijk en thema, en hoeveel daarvan in de laatste 12
    maanden is gecontroleerd. Alleen voor medewerkers."""
    return {**_kop(p), **wijkanalyse.aanbod(session),
            "let_op": "Het aanbod is van nu; de periode geldt niet voor het aanbod."}

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app import hours
from app.api.deps import SessionDep
from app.errors import InputError
from app.params import parse_origin
from app.staff import StaffDep
from app.triage import Antwoorden
from app.vraagwijzer import as_json, lees_vraag, maak_uitslag, statistiek, tel

router = APIRouter(tags=["vraagwijzer"])


class VraagwijzerIn(BaseModel):
    gevaar: bool = Field(description="Is er nu gevaar, voor u of iemand anders?")
    themas: list[str] = Field(default=[], max_length=16, description="Thema-codes; 'anders' voor iets anders")
    vraag: str | None = Field(default=None, max_length=500,
                              description="Eigen woorden; alleen voor dit antwoord gebruikt, nooit bewaard")
    voor_wie: Literal["mezelf", "kind", "ander"] = "mezelf"
    leeftijd: Annotated[int, Field(ge=0, le=120)] | Literal["0-11", "12-17", "18-26", "27-66", "67+"] | None = None
    haast: bool = False
    postcode: str | None = Field(default=None, max_length=10)
    signalen: list[str] = Field(default=[], max_length=16, description="Alleen voor medewerkers")


def antwoorden_uit(data: VraagwijzerIn) -> Antwoorden:
    themas, signalen = lees_vraag(data.vraag or "") if data.vraag else ([], [])
    try:
        return Antwoorden(
            gevaar=data.gevaar, themas=tuple(dict.fromkeys([*data.themas, *themas])),
            voor_wie=data.voor_wie, leeftijd=data.leeftijd, haast=data.haast,
            signalen=frozenset([*data.signalen, *signalen]),
        )
    except ValueError as e:
        field = "themas" if "thema" in str(e).lower() else "signalen" if "signaal" in str(e).lower() else "leeftijd"
        raise InputError(field, str(e), where="body") from None


@router.post("/vraagwijzer")
def post_vraagwijzer(session: SessionDep, data: VraagwijzerIn) -> JSONResponse:
    """De vraagwijzer: antwoorden in, route, uitleg, dichtstbijzijnde wijkentree en lichte hulp in de buurt uit."""
    antwoorden = antwoorden_uit(data)
    origin = parse_origin(data.postcode, None, None)
    now = datetime.now(UTC)
    uitslag = maak_uitslag(session, antwoorden, origin, now)
    tel(session, antwoorden, origin.wijk_code if origin else None, uitslag.advies.soort,
        now.astimezone(hours.TZ).date())
    return JSONResponse(as_json(uitslag))  # plain JSON types: no need for FastAPI's generic encoder


@router.get("/statistiek/vraagwijzer")
def get_statistiek(
    session: SessionDep, _: StaffDep,
    van: Annotated[date | None, Query(description="Eerste dag (JJJJ-MM-DD)")] = None,
    tot: Annotated[date | None, Query(description="Laatste dag (JJJJ-MM-DD)")] = None,
) -> dict:
    """Anonieme tellingen per week, thema, wijk en route. Cellen onder 5 zijn verborgen. Alleen voor medewerkers."""
    today = datetime.now(UTC).astimezone(hours.TZ).date()
    tot = tot or today
    van = van or date(tot.year, 1, 1)
    if van > tot:
        raise InputError("van", "De datum 'van' ligt na 'tot'. Kies een 'van' die voor 'tot' ligt.")
    if (tot - van).days > 3 * 366:
        raise HTTPException(422, "Kies een periode van hoogstens drie jaar.")
    return {"van": van.isoformat(), "tot": tot.isoformat(), "minimum": 5, "cellen": statistiek(session, van, tot)}

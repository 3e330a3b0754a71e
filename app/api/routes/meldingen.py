"""POST /api/v1/meldingen: "Klopt er iets niet?" as JSON (no account, no personal data, rate-limited per address)."""
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.api.deps import SessionDep
from app.data import meldingen
from app.data.aanbod import Ongeldig
from app.data.core import NietGevonden
from app.errors import Bericht, Fouten
from app.routes.meldingen import TelMelding

router = APIRouter(tags=["meldingen"])

ONTVANGEN = "Bedankt voor uw melding. De organisatie kijkt ernaar en past het aan als dat nodig is."
ONBEKEND = "Dit aanbod bestaat niet (meer). Kijk in /api/v1/services welk aanbod er is."


class MeldingIn(BaseModel):
    service_id: str = Field(max_length=36, description="Id van het aanbod (zie /api/v1/services)")
    soort: str = Field(description="Wat er niet klopt: " + meldingen.KEUZES)
    # No max_length here: the data layer's message (with the count) is the one for a remark that is too long.
    opmerking: str = Field("", description=f"Mag leeg; hoogstens {meldingen.OPMERKING_MAX} tekens, zonder "
                                            "persoonlijke gegevens")
    location_id: str | None = Field(None, max_length=36, description="Id van de plek waar het over gaat (mag leeg)")


@router.post("/meldingen", status_code=202, response_model=Bericht,
             summary="Melden dat er iets niet klopt aan een vermelding",
             responses={404: {"description": "Dit aanbod bestaat niet (meer).", "model": Bericht},
                        422: {"description": "De invoer klopt niet: per veld wat er mis is. Er is niets opgeslagen.",
                              "model": Fouten},
                        429: {"description": "Te veel meldingen van dit adres: wacht zo veel seconden als "
                                             "Retry-After zegt.", "model": Bericht}})
def meld(body: MeldingIn, session: SessionDep, _: TelMelding):
    """De melding komt op de lijst 'Te doen' van de organisatie van dit aanbod. Er wordt niet bewaard wie meldt."""
    try:
        meldingen.meld(session, body.service_id, body.soort, body.opmerking, location_id=body.location_id)
    except NietGevonden:
        return JSONResponse({"detail": ONBEKEND}, status_code=404)
    except Ongeldig as e:
        return JSONResponse({"detail": [{"loc": ["body", f["veld"]], "veld": f["veld"], "msg": f["msg"]}
                                        for f in e.fouten]}, status_code=422)
    return Bericht(detail=ONTVANGEN)

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from starlette.background import BackgroundTask

from app import hours, throttle
from app.api.deps import POSTCODE_DOC, SessionDep, keuzes
from app.config import get_settings
from app.db import DATABASE_WEG
from app.errors import InputError
from app.lexicon import Herkenning
from app.metrics import TELLINGEN_OVERGESLAGEN
from app.params import parse_origin
from app.tellingen import tel
from app.throttle import Limiet
from app.triage import THEMAS, Antwoorden, laad_regels
from app.veiligheid import Alarm, toets
from app.vraagwijzer import as_json, lees_vraag, maak_uitslag, zonder_database

router = APIRouter(tags=["vraagwijzer"])


def _heel_getal(waarde: object) -> object:
    """JSON counts 51.0 as a whole number (JSON Schema's integer does too); strict mode alone would refuse it."""
    return int(waarde) if isinstance(waarde, float) and waarde.is_integer() else waarde


class VraagwijzerIn(BaseModel):
    # JSON types as documented: 0 is no false and "5" no age (the pages read their forms elsewhere).
    model_config = ConfigDict(strict=True)

    gevaar: bool = Field(description="Is er nu gevaar, voor u of iemand anders?")
    themas: list[str] = Field(default=[], max_length=16, description="Thema-codes; 'anders' voor iets anders",
                              json_schema_extra=keuzes(lambda: THEMAS, lijst=True))
    vraag: str | None = Field(default=None, max_length=500,
                              description="Eigen woorden; alleen voor dit antwoord gebruikt, nooit bewaard")
    voor_wie: Literal["mezelf", "kind", "ander"] = "mezelf"
    leeftijd: (Annotated[int, Field(ge=0, le=120), BeforeValidator(_heel_getal)]
               | Literal["0-11", "12-17", "18-26", "27-66", "67+"] | None) = None
    haast: bool = False
    postcode: str | None = Field(default=None, max_length=10, description="Postcode in Hengelo: 7551 AB of 7551",
                                 json_schema_extra=POSTCODE_DOC)
    signalen: list[str] = Field(default=[], max_length=16, description="Alleen voor medewerkers",
                                json_schema_extra=keuzes(lambda: laad_regels().signalen, lijst=True))


def antwoorden_uit(data: VraagwijzerIn) -> tuple[Antwoorden, Herkenning, tuple[Alarm, ...]]:
    """The answers, with what the own words add. The resident's chosen themes decide; recognised words add
    signals (maatwerk, spoed) and fill in themes, who it is for and the age only where nothing was given."""
    gegeven = data.model_fields_set
    leeftijd = data.leeftijd if isinstance(data.leeftijd, int) else None
    over_kind = data.voor_wie == "kind" or (leeftijd is not None and leeftijd < 18) or data.leeftijd in ("0-11", "12-17")
    alarmen = toets(data.vraag) if data.vraag else ()
    herkend = lees_vraag(data.vraag, over_kind, alarmen) if data.vraag else Herkenning()
    themas = data.themas or list(herkend.themas)
    voor_wie = data.voor_wie
    if "voor_wie" not in gegeven and herkend.voor_wie and not (herkend.voor_wie == "ander" and "mantelzorg" in themas):
        voor_wie = herkend.voor_wie  # "mijn vader" in a carer's question is about the carer
    leeftijd_in = data.leeftijd if "leeftijd" in gegeven else herkend.leeftijd
    try:
        antwoorden = Antwoorden(
            gevaar=data.gevaar, themas=tuple(themas), voor_wie=voor_wie, leeftijd=leeftijd_in, haast=data.haast,
            signalen=frozenset([*data.signalen, *herkend.signalen]),
        )
    except ValueError as e:
        field = "themas" if "thema" in str(e).lower() else "signalen" if "signaal" in str(e).lower() else "leeftijd"
        raise InputError(field, str(e), where="body") from None
    return antwoorden, herkend, alarmen


def vraagwijzer_limiet() -> Limiet:
    """Completed vraagwijzers per address per minute (pages and API together)."""
    return Limiet("vraagwijzer", get_settings().limiet_vraagwijzer, 60)


def tel_binnen_limiet(adres: str, antwoorden: Antwoorden, wijk_code: str | None, route: str, dag: date) -> int | None:
    """Count a completed vraagwijzer unless its address is over the limit; returns the seconds to wait then.
    A flood of answers from one address cannot fill the anonymous counts."""
    wacht = throttle.tel(vraagwijzer_limiet(), adres)
    if wacht is None:
        tel(antwoorden, wijk_code, route, dag)
    else:
        TELLINGEN_OVERGESLAGEN.labels("limiet").inc()
    return wacht


@router.post("/vraagwijzer")
def post_vraagwijzer(request: Request, session: SessionDep, data: VraagwijzerIn) -> JSONResponse:
    """De vraagwijzer: antwoorden in, route, uitleg, dichtstbijzijnde wijkentree en lichte hulp in de buurt uit."""
    now = datetime.now(UTC)
    dag, adres = now.astimezone(hours.TZ).date(), throttle.client_adres(request)
    if data.gevaar:  # danger now: the lines at once, whatever else was sent (a wrong theme or postcode waits)
        antwoorden = Antwoorden(gevaar=True)
        # Never stopped by a limit: the limit only decides, after the answer is sent, whether it is counted.
        return JSONResponse(as_json(zonder_database(antwoorden)),
                            background=BackgroundTask(tel_binnen_limiet, adres, antwoorden, None, "spoed", dag))
    antwoorden, herkend, alarmen = antwoorden_uit(data)
    wacht = throttle.tel(vraagwijzer_limiet(), adres)
    if wacht is not None:
        if not alarmen:
            raise throttle.te_vaak(wacht, "De vraagwijzer")
        # Alarming words over the limit: the lines to call all the same (without the database, not counted).
        return JSONResponse(as_json(zonder_database(antwoorden, alarmen), herkend))
    origin = parse_origin(data.postcode, None, None)
    try:
        uitslag = maak_uitslag(session, antwoorden, origin, now, alarmen)
    except DATABASE_WEG:
        if not alarmen:
            raise  # the Dutch 503 of app/main.py
        uitslag = zonder_database(antwoorden, alarmen)  # alarming words: the lines even with the database gone
    tel(antwoorden, origin.wijk_code if origin else None, uitslag.advies.soort, dag)
    return JSONResponse(as_json(uitslag, herkend))  # plain JSON types: no need for FastAPI's generic encoder


"""POST /api/v1/contact: the front door's form as JSON (no account needed, rate-limited per address); and the
staff inbox, /api/v1/beheer/contact: list, read (audited), pick up, mark handled, assign to another wijkentree."""
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from app import contact
from app.api.deps import POSTCODE_DOC, SessionDep, keuzes
from app.api.routes.beheer import IdPad, _antwoorden, _geen_cache
from app.data import contact as data
from app.data.aanbod import NietMogelijk, Ongeldig
from app.data.core import NietGevonden
from app.routes.contact import tel_verzoek, themas
from app.toegang import StaffDep
from app.validatie import GEEN_SPATIE, SPATIE, SPATIES

router = APIRouter(tags=["contact"])


# What app/contact.py's valideer accepts, as the OpenAPI says it: text is read without the spaces around it, a
# phone number without spaces, dashes, dots and brackets, and +31 or 0031 counts as 0.
# Python's whitespace is spelled out (validatie.SPATIE): an ECMA regex, the OpenAPI's, has another \s.
_SCHEIDING = rf"[{SPATIES}\-().]*"
TELEFOON = (rf"^{SPATIE}*(?:{_SCHEIDING}(?:\+{_SCHEIDING}3{_SCHEIDING}1|0{_SCHEIDING}0{_SCHEIDING}3{_SCHEIDING}1|0)"
            rf"(?:{_SCHEIDING}[0-9]){{9}}{_SCHEIDING})?{SPATIE}*$")
_GEEN_AT = rf"[^@{SPATIES}]"
EMAIL = rf"^{SPATIE}*(?:{_GEEN_AT}+@{_GEEN_AT}+\.{_GEEN_AT}+)?{SPATIE}*$"
INGEVULD = {"pattern": GEEN_SPATIE}
# Call-back needs a phone number; a question a phone number or an e-mail address.
BEREIKBAAR = {
    "if": {"properties": {"soort": {"const": "terugbellen"}}},
    "then": {"properties": {"telefoon": INGEVULD}, "required": ["telefoon"]},
    "else": {"anyOf": [{"properties": {"telefoon": INGEVULD}, "required": ["telefoon"]},
                       {"properties": {"email": INGEVULD}, "required": ["email"]}]},
}


class ContactIn(BaseModel):
    model_config = ConfigDict(strict=True, json_schema_extra=BEREIKBAAR)

    soort: str = Field(description="vraag of terugbellen", json_schema_extra=keuzes(lambda: contact.SOORTEN))
    naam: str = Field(max_length=contact.NAAM_MAX, description="Voornaam of voorletters, hoogstens 60 tekens",
                      json_schema_extra=INGEVULD)
    telefoon: str = Field("", description="Telefoonnummer; telefoon of e-mail, één is genoeg",
                          json_schema_extra={"pattern": TELEFOON})
    email: str = Field("", max_length=254, description="E-mailadres", json_schema_extra={"pattern": EMAIL})
    postcode: str = Field("", description="Postcode in Hengelo (mag leeg): dan de dichtstbijzijnde wijkentree",
                          json_schema_extra=POSTCODE_DOC)
    thema: str = Field(description="Thema-code, zie /api/v1/taxonomies", json_schema_extra=keuzes(themas))
    vraag: str = Field("", max_length=contact.VRAAG_MAX, description="De vraag, hoogstens 500 tekens")
    moment: str = Field(description="Beste moment om te bellen: " + ", ".join(contact.MOMENTEN),
                        json_schema_extra=keuzes(lambda: contact.MOMENTEN))
    wijkentree: str = Field("", description="Slug van een wijkentree (mag leeg)")
    toestemming: bool = Field(description="Moet true zijn: de inwoner gaf toestemming", json_schema_extra={
        "enum": [True]})


class ContactUit(BaseModel):
    referentie: str
    wijkentree: str | None


@router.post("/contact", status_code=202, response_model=ContactUit, dependencies=[Depends(tel_verzoek)],
             summary="Een vraag of terugbelverzoek aan de wijkentree sturen")
def stuur(body: ContactIn, session: SessionDep):
    v, fouten = contact.valideer(body.model_dump(), themas())
    if not body.toestemming:
        fouten.append({"veld": "toestemming", "tekst": "Zonder toestemming (toestemming: true) kunnen we de vraag "
                                                         "niet sturen. Vraag de inwoner eerst om toestemming."})
    if fouten:
        return JSONResponse({"detail": [{"loc": ["body", f["veld"]], "veld": f["veld"], "msg": f["tekst"]}
                                        for f in fouten]}, status_code=422)
    rij = data.maak(session, v)
    contact.stuur_melding(rij.referentie)
    return ContactUit(referentie=rij.referentie, wijkentree=data.naam_van(session, rij) or None)


# --- the staff inbox: /api/v1/beheer/contact (beheerder and medewerker) ------------------------------

NIET_GEVONDEN = "Deze vraag bestaat niet (meer). Kijk in /api/v1/beheer/contact welke vragen er zijn."


class Wijkentree(BaseModel):
    id: str
    naam: str


class VerzoekKort(BaseModel):
    """What the list shows: never a personal field, so reading the list needs no audit row."""
    id: str
    referentie: str
    soort: str
    status: Literal["nieuw", "opgepakt", "afgehandeld"]
    thema: str
    aangemaakt: datetime
    opgepakt_door: str | None
    opgepakt: datetime | None
    afgehandeld: datetime | None
    wijkentree: Wijkentree | None = Field(description="Leeg: de algemene inbox van Wijkracht")


class VerzoekVol(VerzoekKort):
    naam: str
    telefoon: str
    email: str
    postcode: str
    vraag: str
    moment: str


class ToewijzenIn(BaseModel):
    location_id: str = Field(max_length=36, description="Id van de wijkentree, zie /api/v1/beheer/contact")


def kort(rij, namen: dict[str, str]) -> VerzoekKort:
    loc = Wijkentree(id=rij.location_id, naam=namen.get(rij.location_id, "")) if rij.location_id else None
    return VerzoekKort(**rij.model_dump(exclude={"location_id", "versleuteld", "contact_hash"}), wijkentree=loc)


@contextmanager
def vertaald():
    """The data layer's errors as Dutch HTTP answers, for the inbox's API and pages alike."""
    try:
        yield
    except NietGevonden:
        raise HTTPException(404, NIET_GEVONDEN) from None
    except NietMogelijk as e:
        raise HTTPException(409, str(e)) from None
    except Ongeldig as e:
        raise HTTPException(422, [{"loc": ["body", f["veld"]], "veld": f["veld"], "msg": f["msg"]}
                                  for f in e.fouten]) from None


beheer_router = APIRouter(prefix="/beheer/contact", tags=["beheer"], dependencies=[Depends(_geen_cache)])


@beheer_router.get("", summary="De inbox: vragen van inwoners, nieuwste eerst, zonder persoonlijke gegevens",
                   responses=_antwoorden(422))
def inbox(session: SessionDep, _: StaffDep,
          wijkentree: Annotated[str, Query(max_length=36, description="Id van een wijkentree")] = "",
          status: Literal["nieuw", "opgepakt", "afgehandeld"] | None = None) -> list[VerzoekKort]:
    namen = dict(data.wijkentrees(session))
    return [kort(r, namen) for r in data.lijst(session, wijkentree or None, status)]


def vol(session, wie, verzoek_id: str) -> VerzoekVol:
    """One request with its personal fields; the data layer writes the audit row of this view."""
    with vertaald():
        rij, gegevens = data.bekijk(session, wie, verzoek_id)
    return VerzoekVol(**kort(rij, dict(data.wijkentrees(session))).model_dump(), **gegevens)


@beheer_router.get("/{id}", summary="Eén vraag met de gegevens van de inwoner (dit bekijken komt in de audit)",
                   responses=_antwoorden(404, 422))
def verzoek(session: SessionDep, wie: StaffDep, verzoek_id: IdPad) -> VerzoekVol:
    return vol(session, wie, verzoek_id)


@beheer_router.post("/{id}/oppakken", summary="De vraag oppakken: u helpt deze inwoner",
                    responses=_antwoorden(404, 409, 422))
def oppakken(session: SessionDep, wie: StaffDep, verzoek_id: IdPad) -> VerzoekKort:
    with vertaald():
        rij = data.oppakken(session, wie, verzoek_id)
    return kort(rij, dict(data.wijkentrees(session)))


@beheer_router.post("/{id}/afgehandeld", summary="De vraag is afgehandeld (daarna wordt hij na de bewaartijd "
                    "gewist)", responses=_antwoorden(404, 409, 422))
def afgehandeld(session: SessionDep, wie: StaffDep, verzoek_id: IdPad) -> VerzoekKort:
    with vertaald():
        rij = data.afhandelen(session, wie, verzoek_id)
    return kort(rij, dict(data.wijkentrees(session)))


@beheer_router.post("/{id}/toewijzen", summary="De vraag naar een andere wijkentree sturen (daar is hij weer nieuw)",
                    responses=_antwoorden(404, 409, 422))
def toewijzen(session: SessionDep, wie: StaffDep, verzoek_id: IdPad, body: ToewijzenIn) -> VerzoekKort:
    with vertaald():
        rij = data.toewijzen(session, wie, verzoek_id, body.location_id)
    return kort(rij, dict(data.wijkentrees(session)))

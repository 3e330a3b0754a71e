"""POST /api/v1/contact: the front door's form as JSON (no account needed, rate-limited per address)."""
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app import contact
from app.api.deps import SessionDep
from app.data import contact as data
from app.routes.contact import tel_verzoek, themas

router = APIRouter(tags=["contact"])


class ContactIn(BaseModel):
    soort: str = Field(description="vraag of terugbellen")
    naam: str = Field(description="Voornaam of voorletters, hoogstens 60 tekens")
    telefoon: str = Field("", description="Telefoonnummer; telefoon of e-mail, één is genoeg")
    email: str = Field("", description="E-mailadres")
    postcode: str = Field("", description="Postcode in Hengelo (mag leeg): dan de dichtstbijzijnde wijkentree")
    thema: str = Field(description="Thema-code, zie /api/v1/taxonomies")
    vraag: str = Field("", description="De vraag, hoogstens 500 tekens")
    moment: str = Field(description="Beste moment om te bellen: " + ", ".join(contact.MOMENTEN))
    wijkentree: str = Field("", description="Slug van een wijkentree (mag leeg)")
    toestemming: bool = Field(False, description="Moet true zijn: de inwoner gaf toestemming")


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

"""POST /melding: the "Klopt er iets niet?" form under a listing, without JavaScript and without an account.

There is no session to protect, so no CSRF token: the form is anonymous and rate-limited per address, pages and
API together (POST /api/v1/meldingen).
"""
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from app.api.deps import SessionDep
from app.config import get_settings
from app.data import meldingen
from app.data.aanbod import Ongeldig
from app.data.core import NietGevonden
from app.listings import load_location
from app.taal import N_, _
from app.templating import templates
from app.throttle import Limiet, per_adres

router = APIRouter(include_in_schema=False)
# The form (templates/_melding.html) sits on the listing pages, whose routes do not know about reports: the
# choices reach it as template globals, from the one place they are defined.
templates.env.globals.update(melding_soorten=meldingen.SOORTEN, melding_max=meldingen.OPMERKING_MAX)
NO_STORE = {"cache-control": "no-store"}
WEG = "Dit aanbod of deze plek bestaat niet (meer). Ga terug naar de startpagina en zoek opnieuw."
KIES_AANBOD = N_("Kies over welk aanbod uw melding gaat.")


def limiet() -> Limiet:
    """Reports per address per hour (pages and API together)."""
    return Limiet("melding", get_settings().limiet_meldingen, 3600)


TelMelding = Annotated[None, per_adres(limiet, N_("Een melding sturen"))]


@router.post("/melding", response_class=HTMLResponse)
async def melding(request: Request, session: SessionDep, _: TelMelding):
    form = await request.form()
    lv = load_location(session, str(form.get("plek", ""))[:200])
    if lv is None:
        raise HTTPException(404, WEG)
    ingevuld = {k: str(form.get(k, "")) for k in ("service_id", "soort", "opmerking")}
    aanbod = {v.service.id: v.service for v in lv.services}
    # One service at a place is chosen for the resident (a hidden field); of several they pick one.
    if len(aanbod) == 1:
        ingevuld["service_id"] = next(iter(aanbod))
    try:
        if ingevuld["service_id"] not in aanbod:
            fouten = meldingen.controleer(ingevuld["soort"], ingevuld["opmerking"])[1]
            raise Ongeldig([{"veld": "service_id", "msg": KIES_AANBOD}, *fouten])
        meldingen.meld(session, ingevuld["service_id"], ingevuld["soort"], ingevuld["opmerking"],
                       location_id=lv.location.id)
    except NietGevonden:
        raise HTTPException(404, WEG) from None
    except Ongeldig as e:
        fouten = [{"veld": f"melding-{f['veld']}", "tekst": _tekst(f)} for f in e.fouten]
        return templates.TemplateResponse(request, "melding_fout.html", {
            "lv": lv, "fouten": fouten, "melding": ingevuld}, status_code=422, headers=NO_STORE)
    return templates.TemplateResponse(request, "melding_ontvangen.html", {
        "lv": lv, "service": aanbod[ingevuld["service_id"]]}, headers=NO_STORE)


def _tekst(fout: dict) -> str:
    # The data layer lists the API's codes; a resident reads the choices on the form instead. Its other messages
    # are Dutch and translated when the catalogue has them.
    if fout["veld"] == "soort":
        return _("Kies wat er niet klopt.")
    return _(fout["msg"])

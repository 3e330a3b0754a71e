"""/contact: ask the wijkentree a question or to be called back; /contact/intrekken: withdraw a request.

Three steps, each a form POST, working without JavaScript: the fields, then "check your answers" with the consent,
then the receipt. Personal data travel only in POST bodies (hidden fields between the steps), never in a URL, and
the pages are not cached (a shared device).
"""
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app import contact
from app.api.deps import SessionDep
from app.config import get_settings
from app.data import contact as data
from app.seed import load_taxonomies
from app.taal import N_, _
from app.templating import templates
from app.throttle import Limiet, client_adres, te_vaak, tel

router = APIRouter(prefix="/contact", include_in_schema=False)
NO_STORE = {"cache-control": "no-store"}


def themas() -> dict[str, str]:
    return {code: t["name"] for code, t in load_taxonomies()["thema"]["terms"].items()}


def vertaald(labels: dict[str, str]) -> dict[str, str]:
    """Labels in the resident's language. The theme names are data texts (seed/taxonomie.yaml): Dutch until the
    catalogue has them."""
    return {code: _(label) for code, label in labels.items()}


def limiet() -> Limiet:
    return Limiet("contact", get_settings().limiet_contact, 3600)


def tel_verzoek(request: Request) -> None:
    """One contact request counted for this address; 429 past the limit (pages and API)."""
    wacht = tel(limiet(), client_adres(request))
    if wacht is not None:
        raise te_vaak(wacht, N_("Een vraag sturen"))


def _pagina(request: Request, naam: str, context: dict, status: int = 200):
    base = {"soorten": vertaald(contact.SOORTEN), "momenten": vertaald(contact.MOMENTEN), "themas": vertaald(themas()),
            "fouten": [], "vraag_max": contact.VRAAG_MAX, "naam_max": contact.NAAM_MAX}
    return templates.TemplateResponse(request, naam, base | context, status_code=status, headers=NO_STORE)


@router.get("", response_class=HTMLResponse)
def formulier(request: Request, session: SessionDep, wijkentree: str = "", thema: str = ""):
    v = contact.Verzoek("", "", "", "", "", thema if thema in themas() else "", "", "", "")
    loc = data.kies_wijkentree(session, wijkentree[:100], "", datetime.now(UTC)) if wijkentree else None
    v.wijkentree = loc.slug if loc else ""
    return _pagina(request, "contact.html", {"v": v, "wijkentree_naam": loc.name if loc else ""})


@router.post("", response_class=HTMLResponse)
async def stap(request: Request, session: SessionDep):
    form = await request.form()
    v, fouten = contact.valideer(dict(form), themas())
    loc = data.kies_wijkentree(session, v.wijkentree, "", datetime.now(UTC)) if v.wijkentree else None
    naam = loc.name if loc else ""
    if fouten or form.get("stap") == "wijzigen":
        return _pagina(request, "contact.html", {"v": v, "fouten": fouten, "wijkentree_naam": naam},
                       422 if fouten else 200)
    if form.get("stap") != "versturen":
        return _pagina(request, "contact_controle.html", {"v": v, "wijkentree_naam": naam})
    if form.get("toestemming") != "ja":
        fout = {"veld": "toestemming", "tekst": _("Vink aan dat u akkoord bent. Anders kunnen we uw vraag niet sturen.")}
        return _pagina(request, "contact_controle.html", {"v": v, "fouten": [fout], "wijkentree_naam": naam}, 422)
    tel_verzoek(request)
    rij = data.maak(session, v)
    contact.stuur_melding(rij.referentie)
    return _pagina(request, "contact_ontvangen.html", {"v": v, "referentie": rij.referentie,
                                                        "wijkentree_naam": data.naam_van(session, rij)})


@router.get("/intrekken", response_class=HTMLResponse)
def intrekken_formulier(request: Request):
    return _pagina(request, "contact_intrekken.html", {"referentie": "", "klaar": False})


@router.post("/intrekken", response_class=HTMLResponse)
async def intrekken(request: Request, session: SessionDep):
    form = await request.form()
    referentie = str(form.get("referentie", ""))[:20]
    gegeven = str(form.get("contact", ""))[:254]
    fouten = []
    if not referentie.strip():
        fouten.append({"veld": "referentie", "tekst": _("Vul de code in die u kreeg toen u uw vraag stuurde.")})
    if not gegeven.strip():
        fouten.append({"veld": "contact", "tekst": _("Vul het telefoonnummer of e-mailadres in dat u ons gaf.")})
    if not fouten:
        tel_verzoek(request)  # guessing references costs tries, like sending
        if data.intrekken(session, referentie, gegeven):
            return _pagina(request, "contact_intrekken.html", {"klaar": True})
        fouten.append({"veld": "referentie", "tekst": _("We vinden geen vraag met deze code en dit telefoonnummer "
                       "of e-mailadres. Kijk of u alles goed heeft overgenomen. Of bel de wijkentree.")})
    return _pagina(request, "contact_intrekken.html", {"referentie": referentie, "klaar": False,
                                                        "fouten": fouten}, 422)

"""Staff and KCC mode of the vraagwijzer: log in with the staff token, one page with all questions, and a
printable referral sheet.

Nothing personal is stored. Staff pick themes and signals; the optional field with the resident's own words is
sent by POST only, read for suggestions and alarms (app/lexicon.py, app/veiligheid.py) and forgotten. The postcode
(optional) is only used for distances; the counts (app.tellingen.tel) get theme, wijk and route.
"""
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import hours, vraagtoken
from app.api.deps import SessionDep
from app.config import get_settings
from app.errors import InputError
from app.params import Origin, parse_origin
from app.seed import load_taxonomies
from app.staff import COOKIE, cookie_value, is_staff, token_ok
from app.tellingen import tel
from app.templating import templates
from app.triage import LEEFTIJD_LABELS, LEEFTIJDEN, THEMAS, VOOR_WIE, Antwoorden, laad_regels
from app.veiligheid import toets
from app.vraagwijzer import LAAG_VOLGORDE, Uitslag, lees_vraag, maak_uitslag, verwijzing

router = APIRouter(prefix="/medewerkers", include_in_schema=False)

LOGIN_URL = "/medewerkers/inloggen"
VRAAGWIJZER_URL = "/medewerkers/vraagwijzer"
COOKIE_MAX_AGE = 12 * 3600  # one working day; then log in again
# Staff pages show answers about a resident: never keep them in a (shared) browser or proxy cache.
NO_STORE = {"cache-control": "no-store"}

FOUT_CODE = "De toegangscode klopt niet. Vraag de code aan uw teamleider."
FOUT_LEEG = "Vul de toegangscode in. U krijgt de code van uw teamleider."

SOORTEN = {
    "spoed": "Spoed: eerst 112, 113 of Veilig Thuis",
    "gemeente": "Gemeente: een team van de gemeente, via de wijkentree",
    "maatwerk": "Maatwerk: hulp met een indicatie (besluit van de gemeente), via de wijkentree",
    "wijkentree": "Wijkentree: hulp van het wijkteam, zonder indicatie",
    "sociale_basis": "Sociale basis: plekken en activiteiten in de buurt, zonder verwijzing",
}
TEAMS = {
    "schuldhulpverlening": "Schuldhulpverlening",
    "werk_en_inkomen": "Werk en Inkomen",
    "jeugd_en_gezin": "Jeugd en Gezin (regisseur)",
    "wmo": "Wmo (regisseur of consulent)",
}
VOORZIENINGEN = {
    "maatschappelijke_opvang": "Maatschappelijke opvang (Cimot)",
    "beschermd_wonen": "Beschermd wonen (Cimot)",
    "huishoudelijke_ondersteuning": "Huishoudelijke ondersteuning",
    "hulpmiddelen": "Hulpmiddel of woningaanpassing",
    "vervoer": "Vervoer via de gemeente (Regiotaxi)",
}
VOOR_WIE_LABELS = {"mezelf": "De inwoner zelf", "kind": "Een kind", "ander": "Iemand anders"}
# Where the error summary links to: the first input of each question.
ANKERS = {
    "gevaar": "gevaar-ja", "themas": f"thema-{THEMAS[0]}", "signalen": "signalen", "voor_wie": "voor_wie-mezelf",
    "leeftijd": "leeftijd", "haast": "haast-ja", "postcode": "postcode", "wijkentree": "wijkentrees",
}


# --------------------------------------------------------------------------------------------- login


def _staff_off() -> bool:
    return not get_settings().staff_token


def _login_page(request: Request, status: int, fout: str | None = None, melding: str | None = None):
    return templates.TemplateResponse(
        request, "medewerkers_inloggen.html",
        {"fout": fout, "melding": melding, "uit": _staff_off()}, status_code=status, headers=NO_STORE,
    )


@router.get("/inloggen", response_class=HTMLResponse)
def inloggen_form(request: Request, uitgelogd: str = ""):
    if _staff_off():
        return _login_page(request, 403)
    if is_staff(request):
        return RedirectResponse(VRAAGWIJZER_URL, status_code=303)
    return _login_page(request, 200, melding="U bent uitgelogd." if uitgelogd else None)


@router.post("/inloggen", response_class=HTMLResponse)
def inloggen(request: Request, toegangscode: Annotated[str, Form(max_length=500)] = ""):
    if _staff_off():
        return _login_page(request, 403)
    code = toegangscode.strip()
    if not code:
        return _login_page(request, 422, fout=FOUT_LEEG)
    if not token_ok(code):
        return _login_page(request, 401, fout=FOUT_CODE)
    response = RedirectResponse(VRAAGWIJZER_URL, status_code=303, headers=NO_STORE)
    # Path "/": the statistics API (/api/v1/statistiek/vraagwijzer) accepts this cookie too.
    response.set_cookie(
        COOKIE, cookie_value(), max_age=COOKIE_MAX_AGE, path="/", httponly=True, samesite="strict",
        secure=get_settings().base_url.startswith("https"),
    )
    return response


@router.post("/uitloggen")
def uitloggen() -> Response:
    response = RedirectResponse(f"{LOGIN_URL}?uitgelogd=1", status_code=303, headers=NO_STORE)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                           secure=get_settings().base_url.startswith("https"))
    return response


# --------------------------------------------------------------------------------------------- the form


@dataclass
class Formulier:
    """The answers as sent by the GET form, kept as text so a wrong value can be shown again."""
    gevaar: str = ""  # "ja" | "nee" | "" (not answered yet)
    themas: list[str] = field(default_factory=list)
    signalen: list[str] = field(default_factory=list)
    voor_wie: str = ""  # "" = not answered: the inwoner self (nothing is ticked in advance)
    leeftijd: str = ""  # "" = unknown
    haast: str = ""  # "ja" = deze week; "" = not answered: no hurry
    postcode: str = ""
    wijkentree: str = ""  # slug of the wijkentree the staff member chose; "" = the nearest
    stap: str = ""  # "uitslag" = the result (counted only when the form is POSTed); "kies" = another wijkentree chosen
    verlopen: bool = False  # a link of ours whose token is changed or older than 2 hours: say so, then the empty form

    def query(self, **changes) -> str:
        """The query string for a link with these answers: one token (app/vraagtoken.py), so no answer is
        readable in the URL, the browser history or a proxy's log."""
        values = {k: getattr(self, k) for k in FORMULIER_VELDEN} | changes
        return urlencode({"s": vraagtoken.maak(values, sleutels=FORMULIER_VELDEN)})


FORMULIER_VELDEN = ("gevaar", "themas", "signalen", "voor_wie", "leeftijd", "haast", "postcode", "wijkentree", "stap")


def lees_formulier(
    gevaar: Annotated[str, Query(max_length=10)] = "",
    themas: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies defaults)
    signalen: Annotated[list[str], Query()] = [],  # noqa: B006
    voor_wie: Annotated[str, Query(max_length=20)] = "",
    leeftijd: Annotated[str, Query(max_length=10)] = "",
    haast: Annotated[str, Query(max_length=10)] = "",
    postcode: Annotated[str, Query(max_length=20)] = "",
    wijkentree: Annotated[str, Query(max_length=200)] = "",
    stap: Annotated[str, Query(max_length=20)] = "",
    s: Annotated[str, Query(max_length=4000)] = "",
) -> Formulier:
    if s:  # a link of our own: the answers in a token. One that is changed or too old: the empty form, with a note.
        try:
            state = vraagtoken.lees(s, sleutels=FORMULIER_VELDEN)
        except vraagtoken.TokenFout:
            return Formulier(verlopen=True)
        een = {k: (state.get(k) or [""])[0] for k in FORMULIER_VELDEN if k not in ("themas", "signalen")}
        return lees_formulier(themas=state.get("themas", []), signalen=state.get("signalen", []), **een)
    return Formulier(gevaar=gevaar, themas=list(dict.fromkeys(t for t in themas if t))[:len(THEMAS)],
                     signalen=list(dict.fromkeys(s for s in signalen if s))[:32], voor_wie=voor_wie,
                     leeftijd=leeftijd, haast=haast, postcode=postcode.strip(), wijkentree=wijkentree, stap=stap)


FormulierDep = Annotated[Formulier, Depends(lees_formulier)]


def _antwoorden(form: Formulier) -> tuple[Antwoorden | None, Origin | None, list[dict]]:
    """Check every field; a wrong field gets its own Dutch message (for the error summary)."""
    fouten: list[dict] = []

    def fout(veld: str, tekst: str) -> None:
        fouten.append({"veld": veld, "anker": ANKERS[veld], "tekst": tekst})

    if form.gevaar not in ("ja", "nee"):
        fout("gevaar", "Kies of er nu gevaar is: ja of nee.")
    onbekend = [t for t in form.themas if t not in THEMAS]
    if onbekend:
        fout("themas", f"Het thema '{onbekend[0]}' kennen we niet. Kies een thema uit de lijst.")
    bekend = laad_regels().signalen
    onbekend = [s for s in form.signalen if s not in bekend]
    if onbekend:
        fout("signalen", f"Het signaal '{onbekend[0]}' kennen we niet. Kies een signaal uit de lijst.")
    if form.voor_wie and form.voor_wie not in VOOR_WIE:
        fout("voor_wie", "Kies voor wie de vraag is: de inwoner zelf, een kind of iemand anders.")
    if form.leeftijd and form.leeftijd not in LEEFTIJDEN:
        fout("leeftijd", "Kies een leeftijd uit de lijst, of kies 'Weet ik niet'.")
    if form.haast not in ("ja", "nee", ""):
        fout("haast", "Kies of de inwoner deze week hulp nodig heeft: ja of nee.")
    origin = None
    try:
        origin = parse_origin(form.postcode, None, None)
    except InputError as e:
        fout("postcode", e.message)
    if fouten:
        return None, None, fouten
    antwoorden = Antwoorden(
        gevaar=form.gevaar == "ja", themas=tuple(form.themas), voor_wie=form.voor_wie or "mezelf",
        leeftijd=form.leeftijd or None, haast=form.haast == "ja", signalen=frozenset(form.signalen),
    )
    return antwoorden, origin, []


def _kies_wijkentree(uitslag: Uitslag, slug: str) -> tuple[Uitslag, list[dict]] | None:
    """The outcome with the wijkentree the staff member chose (default: the nearest), and all wijkentrees."""
    alle = ([uitslag.wijkentree] if uitslag.wijkentree else []) + list(uitslag.alternatieven)
    if not slug or not alle:
        return uitslag, alle
    gekozen = next((w for w in alle if w["location"].location.slug == slug), None)
    if gekozen is None:
        return None
    rest = [w for w in alle if w is not gekozen]
    return replace(uitslag, wijkentree=gekozen, alternatieven=rest), alle


def _labels() -> dict:
    termen = load_taxonomies()
    themas = termen["thema"]["terms"]
    return {
        "themas": [{"code": code, "naam": themas[code]["name"] if code in themas else "Iets anders",
                    "uitleg": themas[code].get("description", "") if code in themas
                    else "Past bij geen van deze thema's, of de inwoner weet het niet."} for code in THEMAS],
        "signalen": [{"code": code, "uitleg": uitleg} for code, uitleg in laad_regels().signalen.items()],
        "lagen": {code: t["name"] for code, t in termen["laag"]["terms"].items()},
        "leeftijden": LEEFTIJD_LABELS, "voor_wie_labels": VOOR_WIE_LABELS,
        "soorten": SOORTEN, "teams": TEAMS, "voorzieningen": VOORZIENINGEN,
    }


def _laag(suggestie: dict) -> str:
    lagen = suggestie["view"].codes("laag")
    return min(lagen, key=lambda x: LAAG_VOLGORDE.get(x, 9)) if lagen else ""


def _uitkomst(request: Request, session, form: Formulier, *, tellen: bool) -> dict:
    """Everything the page and the print sheet need. Counts the questionnaire when `tellen`."""
    context = {"form": form, "fouten": [], "uitslag": None, **_labels()}
    antwoorden, origin, fouten = _antwoorden(form)
    if fouten:
        context["fouten"] = fouten
        return context
    now = datetime.now(UTC)
    uitslag = maak_uitslag(session, antwoorden, origin, now)
    gekozen = _kies_wijkentree(uitslag, form.wijkentree)
    if gekozen is None:
        context["fouten"] = [{"veld": "wijkentree", "anker": ANKERS["wijkentree"],
                              "tekst": "Deze wijkentree kennen we niet. Kies een wijkentree uit de lijst."}]
        gekozen = (uitslag, ([uitslag.wijkentree] if uitslag.wijkentree else []) + list(uitslag.alternatieven))
    uitslag, alle = gekozen
    if tellen and not context["fouten"]:
        # Only theme, wijk and route: never the postcode.
        tel(antwoorden, origin.wijk_code if origin else None, uitslag.advies.soort,
            now.astimezone(hours.TZ).date())
    today = now.astimezone(hours.TZ).date()
    w = uitslag.wijkentree
    context.update(
        uitslag=uitslag,
        verwijzing=verwijzing(uitslag),
        alle_wijkentrees=alle,
        dichtstbij=alle[0] if alle else None,
        origin=origin,
        suggesties=[s | {"laag": _laag(s), "lv": s["view"].locations[0] if s["view"].locations else None}
                    for s in uitslag.suggesties],
        week=hours.week(w["location"].schedules, today) if w and w["location"].schedules else [],
        vandaag=today,
        print_query=form.query(stap="print"),  # never counted again: only the POST counts
        kies_query=lambda slug: form.query(stap="kies", wijkentree=slug),
    )
    return context


@router.get("")
def start(request: Request):
    """/medewerkers: the staff vraagwijzer when logged in, otherwise the login page."""
    return RedirectResponse(VRAAGWIJZER_URL if is_staff(request) else LOGIN_URL, status_code=303)


@router.post("/vraagwijzer", response_class=HTMLResponse)
async def vraagwijzer_post(request: Request, session: SessionDep):
    """The form, sent by POST: the resident's own words stay in this request's body and are never stored."""
    if not is_staff(request):
        return RedirectResponse(LOGIN_URL, status_code=303)
    data = await request.form()
    velden = {k: str(data.get(k, ""))[:200] for k in ("gevaar", "voor_wie", "leeftijd", "haast", "postcode",
                                                       "wijkentree")}
    form = lees_formulier(themas=[str(t) for t in data.getlist("themas")][:64],
                          signalen=[str(t) for t in data.getlist("signalen")][:64], stap="uitslag", **velden)
    woorden = str(data.get("woorden", ""))[:500]
    # In a thread: the count may wait for its batch (app/tellingen.py) and the event loop serves others meanwhile.
    context = await run_in_threadpool(_uitkomst, request, session, form, tellen=True)
    alarmen = toets(woorden)
    herkend = lees_vraag(woorden, form.voor_wie == "kind", alarmen) if woorden.strip() else None
    context.update(woorden=woorden, alarmen=alarmen, herkend=herkend)
    return _formulier_pagina(request, context)


@router.get("/vraagwijzer", response_class=HTMLResponse)
def vraagwijzer(request: Request, session: SessionDep, form: FormulierDep):
    if not is_staff(request):
        return RedirectResponse(LOGIN_URL, status_code=303)
    if not form.stap:  # the empty form
        return _formulier_pagina(request, {"form": form, "fouten": [], "uitslag": None, **_labels()})
    # A GET is a link or a reload: it shows the result but never counts; only the form's POST does.
    return _formulier_pagina(request, _uitkomst(request, session, form, tellen=False))


def _formulier_pagina(request: Request, context: dict):
    context["fout_bij"] = {f["veld"]: f["tekst"] for f in context["fouten"]}
    return templates.TemplateResponse(request, "medewerkers_vraagwijzer.html", context,
                                      status_code=422 if context["fouten"] else 200, headers=NO_STORE)


@router.get("/vraagwijzer/verwijzing", response_class=HTMLResponse)
def verwijzing_print(request: Request, session: SessionDep, form: FormulierDep):
    """The referral on one A4 sheet (print with the browser). Not counted again."""
    if not is_staff(request):
        return RedirectResponse(LOGIN_URL, status_code=303)
    context = _uitkomst(request, session, form, tellen=False)
    if context["fouten"]:
        return _formulier_pagina(request, context)
    return templates.TemplateResponse(request, "medewerkers_verwijzing.html", context, headers=NO_STORE)

"""The resident's vraagwijzer: five short steps, one question per page, working without JavaScript.

Each step is a form POST that redirects (303) to the next step's GET URL. The answers so far travel along as one
token (app/vraagtoken.py: encrypted, signed, two hours), in the URL (`?s=...`) and in a hidden field, so the back
button and "Vorige" work, nothing is stored on the server and nothing of the answers can be read in the browser
history. The free text of step 2 only lives inside its POST (and the safety page's POST): it is turned into theme
and signal codes and never reaches a URL, a log or the database.

The pages speak the resident's language (app/taal.py): labels and the advice are translated here, at request time;
the answers' codes, the token and the staff's verwijzing do not change with it.
"""
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.background import BackgroundTask

from app import hours, vraagtoken
from app.api.deps import SessionDep
from app.api.routes.vraagwijzer import tel_binnen_limiet
from app.config import get_settings
from app.errors import InputError
from app.params import parse_origin
from app.seed import load_taxonomies
from app.taal import N_, _
from app.templating import templates
from app.throttle import client_adres, te_vaak
from app.triage import LEEFTIJD_LABELS, LEEFTIJDEN, THEMAS, Antwoorden, advies, vertaald
from app.veiligheid import toets
from app.vraagwijzer import lees_vraag, maak_uitslag

router = APIRouter(prefix="/vraagwijzer", include_in_schema=False)

STAPPEN = ["gevaar", "onderwerp", "voor-wie", "haast", "postcode"]
VOOR_WIE = {"mezelf": N_("Voor mezelf"), "kind": N_("Voor mijn kind"), "ander": N_("Voor iemand anders")}
# Pages with answers on them: a shared device's browser must not keep them in its cache.
NO_STORE = {"cache-control": "no-store"}
OPNIEUW = "/vraagwijzer?opnieuw=1"


def _state(token: str | None) -> dict[str, list[str]] | None:
    """The answers so far: {} without a token, None when it cannot be opened (changed, or older than 2 hours)."""
    if not token:
        return {}
    try:
        return vraagtoken.lees(str(token))
    except vraagtoken.TokenFout:
        return None


def _verder(state: dict | None) -> bool:
    """Steps 2 to 5 and the result need a readable token that says "no danger now"."""
    return bool(state) and state.get("gevaar") == ["nee"]


def _opnieuw(state: dict | None) -> RedirectResponse:
    # A broken or old token gets a kind word on the first step; no token at all is simply the start.
    return RedirectResponse(OPNIEUW if state is None else "/vraagwijzer", status_code=303)


def _url(stap: str, state: dict) -> str:
    path = "/vraagwijzer" if stap == "gevaar" else f"/vraagwijzer/{stap}"
    return f"{path}?s={vraagtoken.maak(state)}" if state else path


TEGELS = ["opvoeden", "schulden", "geld", "eenzaamheid", "werk", "verslaving", "wonen", "gezondheid", "mantelzorg"]


def _themas(extra: list[str] = ()) -> list[dict]:
    """The theme tiles of step 2, plus any other theme the resident's own words pointed to. The names are the
    taxonomy's Dutch ones (in the catalogue): the templates translate them where they show them."""
    terms = load_taxonomies()["thema"]["terms"]
    codes = TEGELS + [c for c in extra if c not in TEGELS and c in terms]
    return [{"code": c, **terms[c]} for c in codes] + [{"code": "anders", "name": N_("Iets anders"), "icon": "❔"}]


def _labels() -> dict:
    """The answers' labels (module constants, marked with N_) in the request's language."""
    return {"voor_wie_keuzes": {k: _(v) for k, v in VOOR_WIE.items()},
            "leeftijden": {k: _(v) for k, v in LEEFTIJD_LABELS.items()}}


def _render(request: Request, stap: str, state: dict, fouten: list | None = None, status: int = 200, **extra):
    i = STAPPEN.index(stap)
    suggestie = [t for t in state.get("suggestie", []) if t in THEMAS] if stap == "onderwerp" else []
    context = {
        "stap": stap, "nummer": i + 1, "totaal": len(STAPPEN), "state": state, "fouten": fouten or [],
        "token": vraagtoken.maak(state) if state else "", "suggestie": suggestie,
        "vorige": _url(STAPPEN[i - 1], state) if i else None,
        "themas": _themas([*suggestie, *state.get("thema", [])]), **_labels(), **extra,
        # The language switch on a step shown after a form was sent: this step's own address, with the answers.
        "taal_pad": _url(stap, state),
    }
    return templates.TemplateResponse(request, f"vraagwijzer_{stap.replace('-', '_')}.html", context,
                                      status_code=status, headers=NO_STORE)


def _next(stap: str, state: dict) -> RedirectResponse:
    # After "Wijzig" on the result (GOV.UK check your answers): back to the result, not through every step again.
    volgende = "uitslag" if state.get("terug") else STAPPEN[STAPPEN.index(stap) + 1]
    return RedirectResponse(_url(volgende, state), status_code=303)


@router.get("", response_class=HTMLResponse)
def stap_gevaar(request: Request, s: str = "", opnieuw: str = ""):
    state = _state(s)
    if state is None:
        return _opnieuw(state)
    return _render(request, "gevaar", state, opnieuw=bool(opnieuw))


@router.post("", response_class=HTMLResponse)
async def post_gevaar(request: Request):  # no database: danger must not wait for one
    form = await request.form()
    antwoord = form.get("gevaar")
    if antwoord == "ja":  # before anything else: not even a broken token or a rate limit stands in the way
        # The limit only decides, after the answer is sent, whether it is counted.
        return RedirectResponse("/vraagwijzer/spoed", status_code=303, background=BackgroundTask(
            tel_binnen_limiet, client_adres(request), Antwoorden(gevaar=True), None, "spoed", _today()))
    state = _state(form.get("s"))
    if state is None:
        return _opnieuw(state)
    if antwoord != "nee":
        fout = {"veld": "gevaar-ja", "tekst": _("Kies ja of nee.")}
        return _render(request, "gevaar", state, [fout], status=422)
    return _next("gevaar", state | {"gevaar": ["nee"]})


@router.get("/spoed", response_class=HTMLResponse)
def spoed(request: Request):
    return templates.TemplateResponse(request, "vraagwijzer_spoed.html",
                                      {"verder": _url("onderwerp", {"gevaar": ["nee"]})})


@router.post("/onderwerp", response_class=HTMLResponse)
async def post_onderwerp(request: Request):
    form = await request.form()
    state = _state(form.get("s"))
    vraag = str(form.get("vraag", ""))[:500]
    alarmen = toets(vraag)
    if not _verder(state):
        if not alarmen:
            return _opnieuw(state)
        state = {"gevaar": ["nee"]}  # an old or broken token never stands between these words and the line to call
    gekozen = [t for t in form.getlist("thema") if t in THEMAS]
    if alarmen and not form.get("alarm_gezien"):
        # Safety first, even after "nee" to danger: the line to call, then on with the same words. They stay in
        # this POST's body (a hidden field), never in a URL.
        return templates.TemplateResponse(request, "vraagwijzer_veiligheid.html", {
            "alarmen": alarmen, "token": vraagtoken.maak(state), "vraag": vraag, "gekozen": gekozen,
        }, headers=NO_STORE)
    herkend = lees_vraag(vraag, alarmen=alarmen)
    state["signaal"] = list(dict.fromkeys([*state.get("signaal", []), *herkend.signalen]))
    state.pop("suggestie", None)
    if gekozen:
        return _next("onderwerp", state | {"thema": gekozen})
    if herkend.themas:
        # Ask, do not assume: "Gaat uw vraag over schulden?", with nothing ticked for the resident.
        return RedirectResponse(_url("onderwerp", state | {"suggestie": list(herkend.themas[:3])}), status_code=303)
    if alarmen:  # the safety page was seen and the words were heard: go on, no error after it
        return _next("onderwerp", state | {"thema": ["anders"]})
    if vraag.strip():
        fout = {"veld": "vraag", "tekst": _("We vinden in uw woorden geen onderwerp. Kies hierboven een onderwerp. "
                                            "Past er geen? Kies dan 'Iets anders'.")}
    else:
        fout = {"veld": "thema-opvoeden", "tekst": _("Kies een onderwerp. Past er geen? Kies dan 'Iets anders'.")}
    return _render(request, "onderwerp", state, [fout], status=422, vraag=vraag)


@router.post("/voor-wie", response_class=HTMLResponse)
async def post_voor_wie(request: Request):
    form = await request.form()
    state = _state(form.get("s"))
    if not _verder(state):
        return _opnieuw(state)
    if form.get("voor_wie") not in VOOR_WIE:
        fout = {"veld": "voor_wie-mezelf", "tekst": _("Kies voor wie de vraag is.")}
        return _render(request, "voor-wie", state, [fout], status=422)
    state["voor_wie"] = [form["voor_wie"]]
    state["leeftijd"] = [form["leeftijd"]] if form.get("leeftijd") in LEEFTIJDEN else []
    return _next("voor-wie", state)


@router.post("/haast", response_class=HTMLResponse)
async def post_haast(request: Request):
    form = await request.form()
    state = _state(form.get("s"))
    if not _verder(state):
        return _opnieuw(state)
    if form.get("haast") not in ("ja", "nee"):
        return _render(request, "haast", state, [{"veld": "haast-ja", "tekst": _("Kies hoe snel u hulp nodig heeft.")}],
                       status=422)
    return _next("haast", state | {"haast": [form["haast"]]})


@router.post("/postcode", response_class=HTMLResponse)
async def post_postcode(request: Request):
    form = await request.form()
    state = _state(form.get("s"))
    if not _verder(state):
        return _opnieuw(state)
    postcode = str(form.get("postcode", "")).strip()
    try:
        antwoorden = _antwoorden(state)
        origin = parse_origin(postcode, None, None)
    except InputError as e:
        return _render(request, "postcode", state, [{"veld": "postcode", "tekst": e.message}], status=422,
                       postcode=postcode)
    except ValueError:
        return _opnieuw(None)  # answers that do not exist: start again rather than guess
    if state.get("terug"):  # a changed postcode from "Uw antwoorden": counted already
        return _next("postcode", state | {"postcode": [str(origin.postcode)] if origin else []})
    # The route alone is counted: it needs no database, and the result page works out the rest.
    # The count may wait for its batch (app/tellingen.py): in a thread, so the event loop serves others meanwhile.
    wacht = await run_in_threadpool(tel_binnen_limiet, client_adres(request), antwoorden,
                                    origin.wijk_code if origin else None, advies(antwoorden).soort, _today())
    if wacht is not None:
        raise te_vaak(wacht, N_("De vraagwijzer"))  # the error page, with the emergency lines like every page
    state["postcode"] = [str(origin.postcode)] if origin else []
    return RedirectResponse(_url("uitslag", state), status_code=303)


@router.get("/uitslag", response_class=HTMLResponse)
def uitslag(request: Request, session: SessionDep, s: str = ""):
    state = _state(s)
    if not _verder(state):
        return _opnieuw(state)
    try:
        antwoorden = _antwoorden(state)
        origin = parse_origin((state.get("postcode") or [""])[0], None, None)
    except ValueError:
        return _opnieuw(None)
    result = maak_uitslag(session, antwoorden, origin, datetime.now(UTC))
    result = replace(result, advies=vertaald(result.advies))
    labels = {t["code"]: t["name"] for t in _themas(list(antwoorden.themas))}
    return templates.TemplateResponse(request, "vraagwijzer_uitslag.html", {
        "uitslag": result, "origin": origin, "state": state,
        "vorige": _url("postcode", state), "wijzig": {stap: _url(stap, state | {"terug": ["uitslag"]}) for stap in STAPPEN},
        "thema_labels": labels, **_labels(), "mail": _mailto(result),
    }, headers=NO_STORE)


@router.get("/{stap}", response_class=HTMLResponse)
def stap(request: Request, stap: str, s: str = ""):
    """Steps 2 to 5: the answers so far are in the token. Declared last: /spoed and /uitslag come first."""
    if stap not in STAPPEN[1:]:
        raise HTTPException(404, _("Deze stap van de vraagwijzer bestaat niet."))
    state = _state(s)
    if not _verder(state):
        return _opnieuw(state)
    return _render(request, stap, state)


def _antwoorden(state: dict) -> Antwoorden:
    first = lambda k, default=None: (state.get(k) or [default])[0]  # noqa: E731
    return Antwoorden(
        gevaar=False, themas=tuple(state.get("thema", [])), voor_wie=first("voor_wie", "mezelf"),
        leeftijd=first("leeftijd"), haast=first("haast") == "ja", signalen=frozenset(state.get("signaal", [])),
    )


def _mailto(result) -> str:
    """A mailto: link with the advice (already translated), so residents can send it to themselves. No mail leaves
    our server."""
    lines = [result.advies.uitleg, ""]
    if result.wijkentree:
        lv = result.wijkentree["location"]
        adres = lv.address.address_1 if lv.address and lv.address.address_1 else _("adres onbekend")
        lines.append(_("Wijkentree: %(naam)s, %(adres)s. Open: %(open)s.")
                     % {"naam": lv.location.name, "adres": adres, "open": result.wijkentree["status"].tekst})
    if result.advies.meenemen:
        lines.append(_("Neem mee: %(wat)s.") % {"wat": "; ".join(result.advies.meenemen)})
    lines.append(_("Gemeente Hengelo: %(telefoon)s. Direct gevaar: 112.") % {"telefoon": get_settings().gemeente_telefoon})
    return "mailto:?" + urlencode({"subject": _("Mijn uitslag van de vraagwijzer"), "body": "\n".join(lines)},
                                  quote_via=quote)


def _today():
    return datetime.now(UTC).astimezone(hours.TZ).date()

"""The resident's vraagwijzer: five short steps, one question per page, working without JavaScript.

Each step is a form POST that redirects (303) to the next step's GET URL, which holds the answers so far.
So the back button and the "Vorige" link work and nothing is lost. The free text of step 2 only lives
inside its POST: it is turned into theme and signal codes and never reaches a URL, a log or the database.
"""
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app import hours
from app.api.deps import SessionDep
from app.errors import InputError
from app.params import parse_origin
from app.seed import load_taxonomies
from app.tellingen import tel
from app.templating import templates
from app.triage import LEEFTIJD_LABELS, LEEFTIJDEN, THEMAS, Antwoorden
from app.vraagwijzer import lees_vraag, maak_uitslag

router = APIRouter(prefix="/vraagwijzer", include_in_schema=False)

STAPPEN = ["gevaar", "onderwerp", "voor-wie", "haast", "postcode"]
VOOR_WIE = {"mezelf": "Voor mezelf", "kind": "Voor mijn kind", "ander": "Voor iemand anders"}
STATE_KEYS = ("gevaar", "thema", "signaal", "voor_wie", "leeftijd", "haast", "postcode")


def _state(params) -> dict[str, list[str]]:
    """The answers so far, from a query string or form: only known keys, only codes."""
    return {k: [v for v in params.getlist(k) if v][:16] for k in STATE_KEYS if params.getlist(k)}


def _url(stap: str, state: dict) -> str:
    query = urlencode([(k, v) for k, values in state.items() for v in values])
    path = "/vraagwijzer" if stap == "gevaar" else f"/vraagwijzer/{stap}"
    return f"{path}?{query}" if query else path


TEGELS = ["opvoeden", "schulden", "geld", "eenzaamheid", "werk", "verslaving", "wonen", "gezondheid", "mantelzorg"]


def _themas(extra: list[str] = ()) -> list[dict]:
    """The theme tiles of step 2, plus any other theme the resident's own words pointed to."""
    terms = load_taxonomies()["thema"]["terms"]
    codes = TEGELS + [c for c in extra if c not in TEGELS and c in terms]
    return [{"code": c, **terms[c]} for c in codes] + [{"code": "anders", "name": "Iets anders", "icon": "❔"}]


def _render(request: Request, stap: str, state: dict, fouten: list | None = None, status: int = 200, **extra):
    i = STAPPEN.index(stap)
    context = {
        "stap": stap, "nummer": i + 1, "totaal": len(STAPPEN), "state": state, "fouten": fouten or [],
        "vorige": _url(STAPPEN[i - 1], state) if i else None,
        "themas": _themas([*extra.get("suggestie", []), *state.get("thema", [])]),
        "voor_wie_keuzes": VOOR_WIE, "leeftijden": LEEFTIJD_LABELS, **extra,
    }
    return templates.TemplateResponse(request, f"vraagwijzer_{stap.replace('-', '_')}.html", context,
                                      status_code=status)


def _next(stap: str, state: dict) -> RedirectResponse:
    return RedirectResponse(_url(STAPPEN[STAPPEN.index(stap) + 1], state), status_code=303)


@router.get("", response_class=HTMLResponse)
def stap_gevaar(request: Request):
    return _render(request, "gevaar", _state(request.query_params))


@router.post("", response_class=HTMLResponse)
async def post_gevaar(request: Request):  # no database: danger must not wait for one
    form = await request.form()
    state = _state(form)
    antwoord = form.get("gevaar")
    if antwoord not in ("ja", "nee"):
        fout = {"veld": "gevaar-ja", "tekst": "Kies ja of nee."}
        return _render(request, "gevaar", state, [fout], status=422)
    if antwoord == "ja":
        tel(Antwoorden(gevaar=True), None, "spoed", _today())
        return RedirectResponse("/vraagwijzer/spoed", status_code=303)
    return _next("gevaar", state | {"gevaar": ["nee"]})


@router.get("/spoed", response_class=HTMLResponse)
def spoed(request: Request):
    return templates.TemplateResponse(request, "vraagwijzer_spoed.html", {})


@router.post("/onderwerp", response_class=HTMLResponse)
async def post_onderwerp(request: Request):
    form = await request.form()
    state = _state(form)
    gekozen = [t for t in form.getlist("thema") if t in THEMAS]
    herkend = lees_vraag(str(form.get("vraag", ""))[:500])
    themas, signalen = list(herkend.themas), list(herkend.signalen)
    state["signaal"] = list(dict.fromkeys([*state.get("signaal", []), *signalen]))
    if gekozen:
        return _next("onderwerp", state | {"thema": gekozen})
    if themas:
        # Ask, do not assume: "Gaat uw vraag over schulden?"
        query = urlencode([*[(k, v) for k, vs in state.items() for v in vs], *[("suggestie", t) for t in themas[:3]]])
        return RedirectResponse(f"/vraagwijzer/onderwerp?{query}", status_code=303)
    fout = {"veld": "thema-opvoeden", "tekst": "Kies een onderwerp. Past er geen? Kies dan 'Iets anders'."}
    return _render(request, "onderwerp", state, [fout], status=422, suggestie=[])


@router.post("/voor-wie", response_class=HTMLResponse)
async def post_voor_wie(request: Request):
    form = await request.form()
    state = _state(form)
    if form.get("voor_wie") not in VOOR_WIE:
        fout = {"veld": "voor_wie-mezelf", "tekst": "Kies voor wie de vraag is."}
        return _render(request, "voor-wie", state, [fout], status=422)
    state["voor_wie"] = [form["voor_wie"]]
    state["leeftijd"] = [form["leeftijd"]] if form.get("leeftijd") in LEEFTIJDEN else []
    return _next("voor-wie", state)


@router.post("/haast", response_class=HTMLResponse)
async def post_haast(request: Request):
    form = await request.form()
    state = _state(form)
    if form.get("haast") not in ("ja", "nee"):
        return _render(request, "haast", state, [{"veld": "haast-ja", "tekst": "Kies hoe snel u hulp nodig heeft."}],
                       status=422)
    return _next("haast", state | {"haast": [form["haast"]]})


@router.post("/postcode", response_class=HTMLResponse)
async def post_postcode(request: Request, session: SessionDep):
    form = await request.form()
    state = _state(form)
    postcode = str(form.get("postcode", "")).strip()
    try:
        antwoorden = _antwoorden(state)
        origin = parse_origin(postcode, None, None)
    except InputError as e:
        return _render(request, "postcode", state | {"postcode": [postcode]},
                       [{"veld": "postcode", "tekst": e.message}], status=422)
    except ValueError:
        # Hand-made URL with answers that do not exist: start again rather than guess.
        return RedirectResponse("/vraagwijzer", status_code=303)
    uitslag = maak_uitslag(session, antwoorden, origin, datetime.now(UTC))
    tel(antwoorden, origin.wijk_code if origin else None, uitslag.advies.soort, _today())
    state["postcode"] = [str(origin.postcode)] if origin else []
    return RedirectResponse(_url("uitslag", state), status_code=303)


@router.get("/uitslag", response_class=HTMLResponse)
def uitslag(request: Request, session: SessionDep):
    state = _state(request.query_params)
    try:
        antwoorden = _antwoorden(state)
        origin = parse_origin((state.get("postcode") or [""])[0], None, None)
    except ValueError:
        return RedirectResponse("/vraagwijzer", status_code=303)
    result = maak_uitslag(session, antwoorden, origin, datetime.now(UTC))
    labels = {t["code"]: t["name"] for t in _themas()}
    return templates.TemplateResponse(request, "vraagwijzer_uitslag.html", {
        "uitslag": result, "origin": origin, "state": state,
        "vorige": _url("postcode", state), "thema_labels": labels,
        "mail": _mailto(result, labels),
    })


@router.get("/{stap}", response_class=HTMLResponse)
def stap(request: Request, stap: str):
    """Steps 2 to 5: the answers so far are in the URL. Declared last: /spoed and /uitslag come first."""
    if stap not in STAPPEN[1:]:
        raise HTTPException(404, "Deze stap van de vraagwijzer bestaat niet.")
    suggestie = [t for t in request.query_params.getlist("suggestie") if t in THEMAS]
    return _render(request, stap, _state(request.query_params), suggestie=suggestie)


def _antwoorden(state: dict) -> Antwoorden:
    first = lambda k, default=None: (state.get(k) or [default])[0]  # noqa: E731
    return Antwoorden(
        gevaar=False, themas=tuple(state.get("thema", [])), voor_wie=first("voor_wie", "mezelf"),
        leeftijd=first("leeftijd"), haast=first("haast") == "ja", signalen=frozenset(state.get("signaal", [])),
    )


def _mailto(result, labels: dict) -> str:
    """A mailto: link with the advice, so residents can send it to themselves. No mail leaves our server."""
    lines = [result.advies.uitleg, ""]
    if result.wijkentree:
        lv = result.wijkentree["location"]
        adres = lv.address.address_1 if lv.address and lv.address.address_1 else "adres onbekend"
        lines.append(f"Wijkentree: {lv.location.name}, {adres}. Open: {result.wijkentree['status'].tekst}.")
    if result.advies.meenemen:
        lines.append("Neem mee: " + "; ".join(result.advies.meenemen) + ".")
    lines.append("Gemeente Hengelo: 14 074. Direct gevaar: 112.")
    return "mailto:?" + urlencode({"subject": "Mijn uitslag van de vraagwijzer", "body": "\n".join(lines)},
                                  quote_via=quote)


def _today():
    return datetime.now(UTC).astimezone(hours.TZ).date()

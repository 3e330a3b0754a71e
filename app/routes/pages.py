"""The resident's pages: home, search, location, wijken, the printable wijk folder, and /healthz."""
import io
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

import segno
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy import func
from sqlmodel import col, select

from app import geo, hours, lexicon, search, throttle
from app.api.deps import SessionDep, zoek_limiet
from app.api.routes.wijken import wijk_features
from app.config import get_settings
from app.db import controleer_schrijven
from app.errors import InputError
from app.listings import cached_made, cached_services, load_location, load_services, service_status, terms_of
from app.models import Location, ServiceAtLocation, Wijk, zichtbare_locatie
from app.params import Origin, build_query, find_wijk, parse_coordinate, parse_origin
from app.seed import load_taxonomies
from app.taal import N_, _
from app.tellingen import tel_niets_gevonden
from app.templating import STATIC_DIR, eerste_zin, moeilijke_woorden, templates
from app.triage import maatwerk_regels
from app.veiligheid import toets
from app.wijkentree import nearest_wijkentrees

router = APIRouter(include_in_schema=False)
PER_PAGE = 20


@router.get("/healthz")
def healthz(session: SessionDep) -> dict:
    """200 only when the database can be read and written: a replica that can only read is taken out."""
    controleer_schrijven(session)
    return {"status": "ok"}


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """Browsers and feed readers ask /favicon.ico without reading a page: the same SVG as base.html links."""
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml",
                        headers={"cache-control": "public, max-age=86400"})


def _themes() -> list[dict]:
    """Theme tiles: code, B1 label, explanation and icon, in the order of seed/taxonomie.yaml."""
    return [{"code": code, **term} for code, term in load_taxonomies()["thema"]["terms"].items()]


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    return templates.TemplateResponse(request, "home.html", {"themas": _themes()})


@router.get("/over", response_class=HTMLResponse)
def over(request: Request, session: SessionDep):
    counts = {"exact": 0, "benadering": 0, "geen": 0} | dict(
        session.exec(select(Location.plaatsing, func.count()).where(zichtbare_locatie())
                     .group_by(Location.plaatsing)).all()
    )
    return templates.TemplateResponse(request, "over.html", {"plaatsing": counts})


def _zoekfout(request: Request, context: dict, veld: str, tekst: str, status: int, headers: dict | None = None):
    """The search page with an error instead of results. A wrong postcode or too many searches never hide the
    safety net: alarming words still get their lines."""
    context.update(fouten=[{"veld": veld, "tekst": tekst}], alarmen=toets(context["form"]["q"]))
    return templates.TemplateResponse(request, "zoeken.html", context, status_code=status, headers=headers)


@router.get("/zoeken", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
    thema: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies defaults)
    laag: Annotated[list[str], Query()] = [],  # noqa: B006
    wijk: str = "",
    postcode: Annotated[str, Query(max_length=10)] = "",
    lat: Annotated[str, Query(max_length=20)] = "",
    lon: Annotated[str, Query(max_length=20)] = "",
    open: str = "",
    volgorde: str = "",
    pagina: Annotated[int, Query(ge=1, le=1000)] = 1,
):
    form = {"q": q, "thema": thema, "laag": laag, "wijk": wijk, "postcode": postcode, "open": open,
            "volgorde": volgorde}
    context = {
        "form": form, "themas": _themes(), "lagen": terms_of(session, "laag"),
        # The wijk choice needs no geometry, and changes only with the data.
        "wijken": cached_made(session, search.get_index(session).version, ("wijkkeuze",), lambda own: own.exec(
            select(Wijk.slug, Wijk.code, Wijk.naam).order_by(Wijk.naam)).all()), "fouten": [],
        "result": None, "items": [], "origin": None,
    }
    wacht = throttle.tel(zoek_limiet(), throttle.client_adres(request))
    if wacht is not None:
        te_vaak = throttle.te_vaak(wacht, N_("Zoeken"))
        return _zoekfout(request, context, "q", te_vaak.detail, 429, te_vaak.headers)
    try:
        origin = parse_origin(postcode, parse_coordinate(lat, "lat"), parse_coordinate(lon, "lon"))
        query = build_query(session, q=q, thema=thema, laag=laag, wijk=wijk or None, origin=origin,
                            open_nu=open == "nu", sort="relevantie" if volgorde == "passend" else "")
    except InputError as e:
        return _zoekfout(request, context, e.field, e.message, 422)

    result = search.search(session, query)
    total = len(result.hits)
    hits = result.hits[(pagina - 1) * PER_PAGE: pagina * PER_PAGE]
    now = datetime.now(UTC)
    if pagina == 1:
        tel_niets_gevonden(q, result, now.astimezone(hours.TZ).date())
    items = []
    for view, hit in zip(cached_services(session, [h.service_id for h in hits], result.version), hits, strict=False):
        lv = next((lv for lv in view.locations if lv.location.id == hit.location_id), None)
        items.append({"view": view, "location": lv, "distance_m": hit.distance_m,
                      "status": service_status(view, now), "hit": hit})
    api_params = {k: v for k, v in {
        "search": q, "thema": thema, "laag": laag, "wijk": wijk, "postcode": postcode,
        "lat": lat if origin and not postcode else "", "lon": lon if origin and not postcode else "", "open": "true" if open == "nu" else "",
        "sort": "relevantie" if volgorde == "passend" else "",
    }.items() if v not in ("", [], None)}
    context.update(
        result=result, items=items, total=total, pagina=pagina, origin=origin,
        pages=max(1, -(-total // PER_PAGE)),
        api_query=urlencode(api_params, doseq=True),
        page_query=lambda n: urlencode({**{k: v for k, v in form.items() if v}, "pagina": n}, doseq=True),
        wijkentrees=[] if total else nearest_wijkentrees(session, origin, now)[:1],
        # "traplift", "hulp in de huishouding": maatwerk needs an indicatie; the box says what it is and where to ask.
        maatwerk=maatwerk_regels(lexicon.zoekwoorden(q).signalen) if q else (),
        alarmen=result.alarmen,  # the safety net on search words too: the line to call comes first
        thema_labels={t["code"]: t["name"] for t in _themes()},
        woorden=moeilijke_woorden(*(f"{i['view'].service.name} {eerste_zin(i['view'].service.description)}"
                                    for i in items)),
    )
    return templates.TemplateResponse(request, "zoeken.html", context)


@router.get("/locaties/{slug}", response_class=HTMLResponse)
def location_page(request: Request, session: SessionDep, slug: str):
    # The location with its services and hard words changes only with the data: made once per data version.
    page = cached_made(session, search.get_index(session).version, ("locatie", slug), lambda own: _location(own, slug))
    if page is None:
        raise HTTPException(404, "Deze plek bestaat niet (meer).")
    lv = page["lv"]
    now = datetime.now(UTC)
    today = now.astimezone(hours.TZ).date()
    services = [
        {"view": v, "status": service_status(v, now), "week": hours.week(v.schedules, today)
         if any(s.freq for s in v.schedules) else []}
        for v in lv.services
    ]
    return templates.TemplateResponse(request, "locatie.html", {
        "lv": lv, "services": services,
        "location_status": hours.status(lv.schedules, now),
        "location_week": hours.week(lv.schedules, today) if lv.schedules else [],
        "thema_labels": page["thema_labels"], "woorden": page["woorden"],
    })


def _location(session, slug: str) -> dict | None:
    lv = load_location(session, slug)
    if lv is None:
        return None
    return {
        "lv": lv, "thema_labels": {t["code"]: t["name"] for t in _themes()},
        "woorden": moeilijke_woorden(lv.location.name, lv.location.description,
                                     *(f"{v.service.name} {v.service.description}" for v in lv.services)),
    }


@router.get("/wijken", response_class=HTMLResponse)
def wijken_page(request: Request, session: SessionDep):
    wijken = session.exec(select(Wijk).order_by(Wijk.code)).all()
    features = wijk_features(session, wijken)
    return templates.TemplateResponse(request, "wijken.html", {"wijken": [f["properties"] for f in features]})


def _wijk_context(session, slug: str) -> dict:
    # What the wijk has changes only with the data (made once per data version); the wijkentree's hours per minute.
    context = cached_made(session, search.get_index(session).version, ("wijk", slug), lambda own: _wijk(own, slug))
    if context is None:
        raise HTTPException(404, "Deze wijk kennen we niet.")
    wijk = context["wijk"]
    lat, lon = geo.area_point(wijk.code)
    entrees = nearest_wijkentrees(session, Origin(lat, lon, None, wijk.code), datetime.now(UTC))
    return context | {
        "wijkentree": entrees[0] if entrees else None,
        "eigen_wijkentree": bool(entrees) and entrees[0]["location"].location.wijk_code == wijk.code,
        # Wijkentrees whose place is not known yet (De Sterrentuin): named too, so nobody is only sent far away.
        "zonder_plek": [e for e in entrees[1:] if e["distance_m"] is None],
    }


def _wijk(session, slug: str) -> dict | None:
    wijk = find_wijk(session, slug)
    if wijk is None:
        return None
    ids = session.exec(select(Location.id).where(Location.wijk_code == wijk.code, zichtbare_locatie())
                       .order_by(Location.name)).all()
    service_ids = session.exec(
        select(ServiceAtLocation.service_id).where(col(ServiceAtLocation.location_id).in_(ids))
    ).all()
    service_views = load_services(session, list(dict.fromkeys(service_ids)))
    per_thema: dict[str, list] = {}
    for v in service_views:
        for code in v.codes("thema"):
            per_thema.setdefault(code, []).append(v)
    return {
        "wijk": wijk, "heeft_plekken": bool(ids), "per_thema": per_thema,
        "themas": [t for t in _themes() if t["code"] in per_thema],
    }


@router.get("/wijken/{slug}", response_class=HTMLResponse)
def wijk_page(request: Request, session: SessionDep, slug: str):
    return templates.TemplateResponse(request, "wijk.html", _wijk_context(session, slug))


@router.get("/wijken/{slug}/folder", response_class=HTMLResponse)
def wijk_folder(request: Request, session: SessionDep, slug: str):
    context = _wijk_context(session, slug)
    context["pagina_url"] = f"{get_settings().base_url}/wijken/{context['wijk'].slug}"
    return templates.TemplateResponse(request, "folder.html", context)


@router.get("/wijken/{slug}/qr.svg")
def wijk_qr(session: SessionDep, slug: str) -> Response:
    wijk = find_wijk(session, slug)
    if wijk is None:
        raise HTTPException(404, "Deze wijk kennen we niet.")
    qr = segno.make(f"{get_settings().base_url}/wijken/{wijk.slug}", error="m")
    buffer = io.BytesIO()
    # A standalone SVG file (with xmlns), so it shows in an <img> and prints sharply.
    titel = _("QR-code naar de pagina van %(wijk)s") % {"wijk": wijk.naam}
    qr.save(buffer, kind="svg", scale=4, xmldecl=False, title=titel)
    return Response(buffer.getvalue(), media_type="image/svg+xml", headers={"cache-control": "public, max-age=86400"})

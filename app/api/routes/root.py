import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import select

from app import hsds, search
from app.api.deps import SessionDep
from app.listings import cached_made
from app.models import (
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    zichtbare_dienst,
    zichtbare_organisatie,
)
from app.templating import templates

router = APIRouter(tags=["api"])

# One example per endpoint: (what it asks, the URL). {ids} are filled with real ids from the database,
# so every example link answers (the staff statistics only with the staff code).
EXAMPLES = {
    "/api/v1/": ("Wat deze API is", "/api/v1/"),
    "/api/v1/services": ("Diensten over schulden, dichtst bij postcode 7551 AB eerst",
                         "/api/v1/services?search=schulden&postcode=7551AB"),
    "/api/v1/services/{service_id}": ("Eén dienst", "/api/v1/services/{service}"),
    "/api/v1/organizations": ("De eerste 5 organisaties", "/api/v1/organizations?per_page=5"),
    "/api/v1/organizations/{organization_id}": ("Eén organisatie", "/api/v1/organizations/{organization}"),
    "/api/v1/service_at_locations": ("Wat er binnen 1 km van postcode 7551 AB te doen is over opvoeden",
                                     "/api/v1/service_at_locations?thema=opvoeden&postcode=7551AB&proximity=1000"),
    "/api/v1/service_at_locations/{sal_id}": ("Eén dienst op één plek", "/api/v1/service_at_locations/{sal}"),
    "/api/v1/locations": ("De eerste 5 plekken", "/api/v1/locations?per_page=5"),
    "/api/v1/locations/{location_id}": ("Eén plek met wat er te doen is", "/api/v1/locations/{location}"),
    "/api/v1/locaties.geojson": ("De plekken voor opvoeden in Berflo Es, voor een kaart",
                                 "/api/v1/locaties.geojson?thema=opvoeden&wijk=berflo-es"),
    "/api/v1/taxonomies": ("De indelingen (thema, laag)", "/api/v1/taxonomies"),
    "/api/v1/taxonomies/{taxonomy_id}": ("Eén indeling", "/api/v1/taxonomies/{taxonomy}"),
    "/api/v1/taxonomy_terms": ("Alle termen van één indeling", "/api/v1/taxonomy_terms?taxonomy_id={taxonomy}"),
    "/api/v1/taxonomy_terms/{term_id}": ("Eén term", "/api/v1/taxonomy_terms/{term}"),
    "/api/v1/wijken": ("Alle wijken met hun grens", "/api/v1/wijken"),
    "/api/v1/wijken/{code_or_slug}": ("Eén wijk, met code of naam", "/api/v1/wijken/berflo-es"),
    "/api/v1/postcodes/{postcode}": ("Waar postcode 7559 NM ligt", "/api/v1/postcodes/7559NM"),
    "/api/v1/export/hsds.zip": ("Alle open data in één bestand (HSDS 3.0-datapakket)", "/api/v1/export/hsds.zip"),
    "/api/v1/statistiek/vraagwijzer": ("Tellingen van dit jaar tot nu (alleen met de toegangscode voor medewerkers)",
                                       "/api/v1/statistiek/vraagwijzer?van=2025-01-01"),
    "/api/v1/statistiek/wijkanalyse": ("Vragen per wijk naar onderwerp en route, en de witte vlekken (medewerkers)",
                                       "/api/v1/statistiek/wijkanalyse?van=2026-01-01"),
    "/api/v1/statistiek/zoekopdrachten": ("Zoekopdrachten die niets vonden, vanaf 5 keer (medewerkers)",
                                          "/api/v1/statistiek/zoekopdrachten?van=2026-01-01"),
    "/api/v1/statistiek/aanbod": ("Aanbod per wijk en onderwerp, en hoeveel is gecontroleerd (medewerkers)",
                                  "/api/v1/statistiek/aanbod"),
}
# POST endpoints: (what it asks, the JSON body).
POST_EXAMPLES = {
    "/api/v1/vraagwijzer": ("Iemand met schulden, voor zichzelf, zonder haast, postcode 7551 AB",
                            {"gevaar": False, "themas": ["schulden"], "voor_wie": "mezelf", "haast": False,
                             "postcode": "7551AB"}),
    "/api/v1/contact": ("Een inwoner wil over geldzaken teruggebeld worden, 's ochtends (verzonnen gegevens)",
                        {"soort": "terugbellen", "naam": "A.", "telefoon": "0612345678", "thema": "schulden",
                         "moment": "ochtend", "toestemming": True}),
    "/api/v1/meldingen": ("Een inwoner meldt dat het telefoonnummer van een dienst niet klopt",
                          {"service_id": "{service}", "soort": "telefoon", "opmerking": "Het nummer werkt niet."}),
}
# The admin API (/api/v1/beheer) is in the OpenAPI document for integrations, but not on this page: the page is the
# open data's reference, and its examples must answer for anyone.
NIET_OP_DE_PAGINA = "/api/v1/beheer"
WHERE = {"query": "in de query (na ?)", "path": "in het pad"}
KINDS = {"string": "tekst", "integer": "geheel getal", "number": "getal", "boolean": "true of false",
         "array": "mag vaker", "date": "datum (JJJJ-MM-DD)", "date-time": "datum en tijd (ISO 8601)"}


@router.get("/")
def api_root(request: Request) -> dict:
    """Over deze API (HSDS 3.0)."""
    return {
        "version": hsds.HSDS_VERSION,
        "profile": hsds.HSDS_PROFILE,
        "openapi_url": str(request.url_for("openapi")),
    }


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
def api_docs(request: Request, session: SessionDep):
    """A plain HTML reference made from the OpenAPI document: no script, so the strict CSP holds."""
    ids = cached_made(session, search.get_index(session).version, ("api-voorbeelden",), _example_ids)
    endpoints = [
        {"method": method.upper(), "path": path, "op": op,
         "parameters": [_parameter(p) for p in op.get("parameters", [])],
         "example": _example(method, path, ids)}
        for path, ops in request.app.openapi()["paths"].items() if not path.startswith(NIET_OP_DE_PAGINA)
        for method, op in ops.items()
    ]
    return templates.TemplateResponse(request, "api_docs.html", {
        "info": request.app.openapi()["info"], "endpoints": endpoints,
    })


def _example_ids(session) -> dict[str, str]:
    """The first of each kind, by name: stable between runs of the seed."""
    first = lambda stmt: session.exec(stmt.limit(1)).first() or ""  # noqa: E731
    return {
        "service": first(select(Service.id).where(zichtbare_dienst()).order_by(Service.name)),
        "organization": first(select(Organization.id).where(zichtbare_organisatie()).order_by(Organization.name)),
        "sal": first(select(ServiceAtLocation.id).join(Service).where(zichtbare_dienst()).order_by(Service.name)),
        "location": first(select(ServiceAtLocation.location_id).join(Service).where(zichtbare_dienst())
                          .order_by(Service.name)),
        "taxonomy": first(select(Taxonomy.id).where(Taxonomy.name == "thema")),
        "term": first(select(TaxonomyTerm.id).join(Taxonomy).where(Taxonomy.name == "thema")
                      .order_by(TaxonomyTerm.code)),
    }


def _example(method: str, path: str, ids: dict[str, str]) -> dict | None:
    if method == "post" and path in POST_EXAMPLES:
        uitleg, body = POST_EXAMPLES[path]
        body = {k: v.format(**ids) if isinstance(v, str) else v for k, v in body.items()}  # {service}: a real id
        return {"uitleg": uitleg, "url": path, "body": json.dumps(body, ensure_ascii=False)}
    if path not in EXAMPLES:
        return None
    uitleg, url = EXAMPLES[path]
    return {"uitleg": uitleg, "url": url.format(**ids), "body": None}


def _parameter(p: dict) -> dict:
    schema = p.get("schema", {})
    kinds = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    soort = " of ".join(dict.fromkeys(KINDS.get(s.get("format") or s.get("type"), "tekst") for s in kinds))
    keuzes = [v for s in kinds for v in s.get("enum", [])]
    return {"name": p["name"], "where": WHERE.get(p["in"], p["in"]), "required": p.get("required", False),
            "soort": soort, "keuzes": keuzes, "default": schema.get("default"),
            "uitleg": p.get("description") or ""}

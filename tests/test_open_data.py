"""Open data conventions through real HTTP: CORS on the public API, HEAD wherever GET, ETag/304,
Cache-Control (never on staff pages), the favicon, and caches that follow the data."""
import re

import pytest
from sqlmodel import Session, col, select

from app.data.core import SYSTEEM, schrijf
from app.main import app
from app.models import Location, Service, ServiceAtLocation

STAFF = {"authorization": "Bearer test-medewerker-token"}
PUBLIC_API = ["/api/v1/", "/api/v1/services?search=schulden", "/api/v1/locaties.geojson", "/api/v1/wijken",
              "/api/v1/openapi.json", "/api/v1/postcodes/7559NM", "/api/v1/taxonomies", "/api/v1/locations"]


@pytest.fixture(autouse=True)
def logged_out(client):
    client.cookies.clear()
    yield
    client.cookies.clear()


@pytest.fixture(scope="module")
def ids(engine) -> dict[str, str]:
    """A real id or slug for every path parameter of the GET routes."""
    with Session(engine) as s:
        sal = s.exec(select(ServiceAtLocation)).first()
        return {"service_id": sal.service_id, "location_id": sal.location_id, "sal_id": sal.id,
                "organization_id": s.exec(select(Service.organization_id).where(col(Service.organization_id).is_not(None))).first(),
                # Unknown on purpose: a 404 must be the same for GET and HEAD.
                "taxonomy_id": "bestaat-niet", "term_id": "bestaat-niet",
                "code_or_slug": "berflo-es", "postcode": "7559NM",
                "slug": s.exec(select(Location.slug)).first(), "stap": "voor-wie"}


# The pages are not in the OpenAPI document; the API routes are.
PAGES = ["/", "/over", "/zoeken?q=schulden", "/locaties/{slug}", "/wijken", "/wijken/berflo-es",
         "/wijken/berflo-es/folder", "/wijken/berflo-es/qr.svg", "/healthz", "/favicon.ico", "/vraagwijzer",
         "/vraagwijzer/spoed", "/vraagwijzer/uitslag?thema=schulden", "/vraagwijzer/{stap}?gevaar=nee",
         "/medewerkers/inloggen", "/medewerkers/vraagwijzer", "/medewerkers/vraagwijzer/verwijzing",
         "/api/v1/docs", "/api/v1/openapi.json"]


def get_paths(ids: dict[str, str]) -> list[str]:
    """Every GET of the API (from its OpenAPI document) and every page, path parameters filled in."""
    api = [path for path, ops in app.openapi()["paths"].items()
           if "get" in ops and not path.startswith("/api/v1/beheer")]  # the admin API: tests/test_beheer_api.py
    return [p.format(**ids) for p in api + PAGES]


@pytest.mark.parametrize("path", PUBLIC_API)
def test_public_api_is_open_to_every_origin(client, path):
    r = client.get(path, headers={"origin": "https://example.org"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"


def test_api_errors_are_readable_from_other_sites_too(client):
    r = client.get("/api/v1/services/bestaat-niet")
    assert r.status_code == 404 and r.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("headers", [{}, STAFF], ids=["anoniem", "medewerker"])
def test_staff_statistics_are_not_open_to_other_sites_and_never_cached(client, headers):
    r = client.get("/api/v1/statistiek/vraagwijzer", headers=headers | {"origin": "https://example.org"})
    assert r.status_code == (200 if headers else 401)
    assert "access-control-allow-origin" not in r.headers
    assert r.headers["cache-control"] == "no-store"
    assert "etag" not in r.headers


def test_staff_pages_send_no_store(client):
    r = client.post("/medewerkers/inloggen", data={"toegangscode": "test-medewerker-token"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/medewerkers/vraagwijzer")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store" and "etag" not in page.headers
    assert "access-control-allow-origin" not in page.headers


def test_vraagwijzer_post_and_resident_pages_send_no_cors(client):
    body = {"gevaar": False, "themas": ["schulden"]}
    assert "access-control-allow-origin" not in client.post("/api/v1/vraagwijzer", json=body).headers
    assert "access-control-allow-origin" not in client.get("/zoeken?q=schulden").headers


def test_head_is_answered_wherever_get_is(client, ids):
    paths = get_paths(ids)
    assert {"/api/v1/services", "/api/v1/locaties.geojson", "/api/v1/wijken/berflo-es"} <= set(paths)
    for path in paths:
        get = client.get(path, headers=STAFF, follow_redirects=False)
        head = client.head(path, headers=STAFF, follow_redirects=False)
        assert head.status_code == get.status_code != 405, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == get.headers.get("content-type"), path
        assert head.headers.get("etag") == get.headers.get("etag"), path
        if "etag" in get.headers:  # the same content (some pages carry a fresh token each time)
            assert head.headers["content-length"] == get.headers["content-length"], path


def test_head_on_static_files_and_unknown_paths(client):
    assert client.head("/static/css/site.css").status_code == 200
    assert client.head("/bestaat-niet").status_code == 404
    assert client.head("/api/v1/vraagwijzer").status_code == 405  # POST only: no GET, so no HEAD


@pytest.mark.parametrize("path", ["/", "/zoeken?q=schulden", "/locaties/mfa-t-berflo", "/wijken/berflo-es",
                                  "/api/v1/services?search=schulden", "/api/v1/locaties.geojson?thema=opvoeden",
                                  "/api/v1/docs"])
def test_etag_and_304(client, path):
    first = client.get(path)
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('W/"')
    assert first.headers["cache-control"] == "public, max-age=60"
    again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    # Weak comparison and lists, as browsers and proxies send them.
    assert client.get(path, headers={"if-none-match": f'"x", {etag.removeprefix("W/")}'}).status_code == 304
    other = client.get(path, headers={"if-none-match": 'W/"iets-anders"'})
    assert other.status_code == 200 and other.content == first.content


def test_no_etag_or_public_cache_on_errors(client):
    r = client.get("/locaties/bestaat-niet")
    assert r.status_code == 404
    assert "etag" not in r.headers and "public" not in r.headers.get("cache-control", "")


def test_geojson_differs_per_filter(client):
    alles = client.get("/api/v1/locaties.geojson")
    opvoeden = client.get("/api/v1/locaties.geojson", params={"thema": "opvoeden"})
    assert alles.headers["content-type"] == "application/geo+json"
    assert alles.headers["etag"] != opvoeden.headers["etag"]
    assert len(opvoeden.json()["features"]) < len(alles.json()["features"])
    wijk = client.get("/api/v1/locaties.geojson", params={"wijk": "berflo-es"}).json()["features"]
    assert wijk and {f["properties"]["wijk"] for f in wijk} <= {"WK016405"}
    assert all(f["properties"]["aantal_diensten"] >= 1 for f in wijk)


def test_favicon(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in r.text
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', client.get("/").text)
    assert link, "base.html links no favicon"
    icon = client.get(link.group(1))
    assert icon.status_code == 200 and icon.content == r.content


def test_api_docs_give_one_example_per_endpoint(client):
    page = client.get("/api/v1/docs").text
    endpoints = re.findall(r'<section class="result api-endpoint"', page)
    examples = re.findall(r"<h3>Voorbeeld: ", page)
    assert len(endpoints) == sum(len(ops) for path, ops in app.openapi()["paths"].items()
                                 if not path.startswith("/api/v1/beheer"))  # the admin API is not open data
    assert len(examples) == len(endpoints)
    for url in re.findall(r'<a href="(/api/v1/[^"]+)"><code>GET ', page):
        status = client.get(url.replace("&amp;", "&"), headers=STAFF).status_code
        assert status == 200, url




@pytest.mark.parametrize("path", ["/locaties/mfa-t-berflo", "/wijken/berflo-es",
                                  "/api/v1/locaties.geojson?wijk=berflo-es"])
def test_cached_pages_follow_an_edit(app_on, path):
    client, engine = app_on
    before = client.get(path)
    assert before.status_code == 200 and "Buurthuis Nieuwe Naam" not in before.text
    with Session(engine) as s:
        loc = s.exec(select(Location).where(Location.slug == "mfa-t-berflo")).one()
        svc = s.exec(select(Service).where(Service.slug == "mfa-t-berflo")).first() or s.exec(
            select(Service).join(ServiceAtLocation).where(ServiceAtLocation.location_id == loc.id)).first()
        with schrijf(s, SYSTEEM) as w:
            loc.name = svc.name = "Buurthuis Nieuwe Naam"
            w.vastleggen("gewijzigd", "location", loc.id)
            w.vastleggen("gewijzigd", "service", svc.id)
    after = client.get(path, headers={"if-none-match": before.headers["etag"]})
    assert after.status_code == 200 and "Buurthuis Nieuwe Naam" in after.text
    assert after.headers["etag"] != before.headers["etag"]


def test_the_page_cache_stays_bounded(client, monkeypatch):
    """Every distinct map filter is kept, but never more than MAX_MADE: the oldest go first, the newest is kept."""
    from app import listings

    monkeypatch.setattr(listings, "MAX_MADE", 3)
    for postcode in ("7551", "7552", "7553", "7554", "7555"):
        assert client.get("/api/v1/locaties.geojson", params={"postcode": postcode}).status_code == 200
    assert len(listings._cache["made"]) <= 3
    assert client.get("/locaties/mfa-t-berflo").status_code == 200
    assert ("locatie", "mfa-t-berflo") in listings._cache["made"], "a full cache must still take the newest"
    assert len(listings._cache["made"]) <= 3

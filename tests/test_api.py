"""The JSON API through real HTTP on the seeded database."""
import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HSDS_DIR = Path(__file__).parent / "hsds"


def _validator(name: str) -> jsonschema.Draft202012Validator:
    registry = Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012))
        for path in HSDS_DIR.glob("*.json")
    )
    schema = json.loads((HSDS_DIR / name).read_text())
    return jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())


def test_api_root_names_hsds_version_and_profile(client):
    body = client.get("/api/v1/").json()
    assert body["version"] == "3.0"
    assert body["profile"].startswith("https://")
    assert body["openapi_url"].endswith("/api/v1/openapi.json")
    assert client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/services"]


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_services_are_paginated_the_hsds_way(client):
    body = client.get("/api/v1/services", params={"per_page": 5, "page": 2}).json()
    assert set(body) >= {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}
    assert body["total_items"] == 80  # 81 listings; "Warme Winter Woonkamer" (winter 2022) has ended
    assert body["total_pages"] == 16
    assert body["page_number"] == 2 and body["size"] == 5
    assert body["first_page"] is False and body["last_page"] is False and body["empty"] is False


def test_every_service_and_location_validates_against_hsds_schema(client):
    service_schema = _validator("service.json")
    location_schema = _validator("location.json")
    for page in (1, 2, 3, 4, 5):
        for svc in client.get("/api/v1/services", params={"per_page": 20, "page": page}).json()["contents"]:
            service_schema.validate(svc)
            for sal in svc["service_at_locations"]:
                location_schema.validate(sal["location"])


def test_service_detail_carries_source_certainty_and_unconfirmed_assured_date(client):
    first = client.get("/api/v1/services", params={"search": "repair cafe"}).json()["contents"][0]
    assert first["name"] == "Repair Café Hengelo"
    detail = client.get(f"/api/v1/services/{first['id']}").json()
    assert detail["bron"]["url"].startswith("https://groot-driene.nl")
    assert detail["bron"]["zekerheid"] == "middel"
    assert "assured_date" not in detail  # nobody has confirmed it yet


def test_postcode_search_is_sorted_by_distance(client):
    body = client.get("/api/v1/services", params={"postcode": "7559", "per_page": 50}).json()
    distances = [s["distance_m"] for s in body["contents"] if "distance_m" in s]
    assert distances and distances == sorted(distances)
    assert body["contents"][0]["name"] == "Wijkcentrum Slangenbeek"  # its postcode is 7559 NM


def test_proximity_search_on_service_at_locations(client):
    body = client.get("/api/v1/service_at_locations", params={"postcode": "7559 NM", "proximity": 500}).json()
    assert body["total_items"] >= 1
    assert all(c["distance_m"] <= 500 for c in body["contents"])
    sal = client.get(f"/api/v1/service_at_locations/{body['contents'][0]['id']}").json()
    assert sal["location"]["id"] == body["contents"][0]["location_id"]


def test_filters_combine(client):
    body = client.get("/api/v1/services", params={"thema": "opvoeden", "laag": "basisondersteuning", "per_page": 100}).json()
    assert body["total_items"] > 0
    for s in body["contents"]:
        assert "opvoeden" in s["themas"] and "basisondersteuning" in s["laag"]
    wijk = client.get("/api/v1/services", params={"wijk": "berflo-es", "per_page": 100}).json()
    assert {s["name"] for s in wijk["contents"]} >= {"MFA 't Berflo", "Loes Opvoedondersteuning"}


def test_no_results_gives_suggestions(client):
    body = client.get("/api/v1/services", params={"search": "qqqzzz"}).json()
    assert body["empty"] is True
    assert body["suggesties"]


@pytest.mark.parametrize("url, field", [
    ("/api/v1/services?page=0", "page"),
    ("/api/v1/services?per_page=10000", "per_page"),
    ("/api/v1/services?postcode=ABCD", "postcode"),
    ("/api/v1/services?thema=bestaatniet", "thema"),
    ("/api/v1/services?laag=zwaar", "laag"),
    ("/api/v1/services?wijk=atlantis", "wijk"),
    ("/api/v1/services?lat=52.2", "lat"),
    ("/api/v1/service_at_locations?postcode=1012AB", "postcode"),
])
def test_bad_input_gets_a_dutch_422(client, url, field):
    r = client.get(url)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail[0]["veld"] == field
    assert any(word in detail[0]["msg"] for word in ("Vul", "Kies", "bestaat niet", "kennen we niet", "Hengelo", "Geef", "geen postcode"))


@pytest.mark.parametrize("url", [
    "/api/v1/services/onbekend", "/api/v1/organizations/onbekend", "/api/v1/locations/onbekend",
    "/api/v1/service_at_locations/onbekend", "/api/v1/taxonomies/onbekend", "/api/v1/taxonomy_terms/onbekend",
    "/api/v1/wijken/onbekend",
])
def test_unknown_ids_get_a_dutch_404(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert "bestaat niet" in r.json()["detail"] or "kennen we niet" in r.json()["detail"]


def test_taxonomies_and_terms(client):
    taxonomies = client.get("/api/v1/taxonomies").json()["contents"]
    assert {t["name"] for t in taxonomies} == {"laag", "thema"}
    terms = client.get("/api/v1/taxonomy_terms", params={"per_page": 100}).json()
    assert terms["total_items"] == 19
    schulden = next(t for t in terms["contents"] if t["code"] == "schulden")
    assert client.get(f"/api/v1/taxonomy_terms/{schulden['id']}").json()["name"] == "Schulden"
    only_thema = client.get("/api/v1/services", params={"taxonomy_term_id": schulden["id"], "per_page": 100}).json()
    assert only_thema["total_items"] > 0 and all("schulden" in s["themas"] for s in only_thema["contents"])


def test_organizations_list_and_detail(client):
    body = client.get("/api/v1/organizations", params={"per_page": 100}).json()
    wijkracht = next(o for o in body["contents"] if o["name"] == "Stichting Wijkracht")
    detail = client.get(f"/api/v1/organizations/{wijkracht['id']}").json()
    assert len(detail["services"]) >= 5
    filtered = client.get("/api/v1/services", params={"organization_id": wijkracht["id"], "per_page": 100}).json()
    assert filtered["total_items"] == len(detail["services"])


def test_wijken_geojson_with_counts_and_wijkentree(client):
    body = client.get("/api/v1/wijken").json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 10
    berflo = next(f for f in body["features"] if f["properties"]["slug"] == "berflo-es")
    assert berflo["properties"]["code"] == "WK016405"
    assert berflo["properties"]["aantal_locaties"] >= 2
    assert [w["slug"] for w in berflo["properties"]["wijkentree"]] == ["mfa-t-berflo"]
    assert client.get("/api/v1/wijken/WK016405").json()["properties"]["naam"] == "Berflo Es"


def test_locaties_geojson_only_places_with_a_point_and_marks_approximation(client):
    body = client.get("/api/v1/locaties.geojson").json()
    assert body["features"]
    plaatsing = {f["properties"]["plaatsing"] for f in body["features"]}
    assert plaatsing <= {"exact", "benadering"} and "benadering" in plaatsing
    schulden = client.get("/api/v1/locaties.geojson", params={"thema": "opvoeden"}).json()
    assert 0 < len(schulden["features"]) < len(body["features"])


def test_postcode_lookup(client):
    body = client.get("/api/v1/postcodes/7559nm").json()
    assert body["postcode"] == "7559 NM"
    assert body["wijk"]["code"].startswith("WK0164") and body["buurt"]["code"].startswith("BU0164")
    r = client.get("/api/v1/postcodes/1012AB")
    assert r.status_code == 422 and "niet in Hengelo" in r.json()["detail"][0]["msg"]  # the shape of every 422


def test_modified_after_filters(client):
    assert client.get("/api/v1/services", params={"modified_after": "2999-01-01T00:00:00Z"}).json()["total_items"] == 0
    assert client.get("/api/v1/services", params={"modified_after": "2000-01-01"}).json()["total_items"] == 80

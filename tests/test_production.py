"""Production behaviour through the real HTTP interface: rate limits (that never stop a person in danger), logs
without personal data, metrics."""
import itertools
import json
import logging
import re
import time
import uuid
import warnings

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from sqlalchemy import exc, func, inspect
from sqlmodel import Session, select

from app import vraagtoken
from app.config import get_settings
from app.db import Geometrie
from app.logging_json import formatter
from app.main import app
from app.models import VraagwijzerTelling

_adressen = itertools.count(1)


@pytest.fixture
def limieten(rate_limits_on, monkeypatch, client):
    """Rate limits on, with small limits, and a client from an address of its own (the counts live in the shared
    database, so no other test's requests count against it)."""
    def met(**limieten):
        for naam, waarde in limieten.items():
            monkeypatch.setenv(naam.upper(), str(waarde))
        get_settings.cache_clear()
        return TestClient(app, client=(f"10.{uuid.uuid4().int % 250}.{next(_adressen) % 250}.7", 5000))
    return met


def _te_vaak(r) -> None:
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) >= 1
    assert "te vaak" in r.text and "Wacht" in r.text and "112" in r.text


def test_search_api_and_page_share_a_limit_per_address(limieten):
    c = limieten(limiet_zoeken=3)
    assert c.get("/api/v1/services", params={"search": "schulden"}).status_code == 200
    assert c.get("/zoeken", params={"q": "schulden"}).status_code == 200
    assert c.get("/api/v1/service_at_locations", params={"search": "schulden"}).status_code == 200
    r = c.get("/api/v1/services", params={"search": "schulden"})
    _te_vaak(r)
    assert r.json()["detail"].startswith("Zoeken is te vaak geprobeerd")
    other = limieten(limiet_zoeken=3)  # another address still searches
    assert other.get("/api/v1/services", params={"search": "schulden"}).status_code == 200


def test_search_page_over_the_limit_still_shows_the_safety_lines(limieten):
    c = limieten(limiet_zoeken=1)
    assert c.get("/zoeken", params={"q": "fietsen"}).status_code == 200
    r = c.get("/zoeken", params={"q": "ik wil niet meer leven"})
    _te_vaak(r)
    assert "0800-0113" in r.text  # the alarm's own line, not only the bar
    assert 'href="#q"' in r.text  # the error summary points at the search field


def test_vraagwijzer_api_limit_never_stops_danger(limieten):
    c = limieten(limiet_vraagwijzer=2)
    gewoon = {"gevaar": False, "themas": ["schulden"]}
    for _ in range(2):
        assert c.post("/api/v1/vraagwijzer", json=gewoon).status_code == 200
    r = c.post("/api/v1/vraagwijzer", json=gewoon)
    _te_vaak(r)
    assert r.json()["detail"].startswith("De vraagwijzer is te vaak geprobeerd")
    # Danger now, and alarming own words: the lines all the same.
    r = c.post("/api/v1/vraagwijzer", json={"gevaar": True})
    assert r.status_code == 200 and r.json()["route"]["soort"] == "spoed"
    assert any(s["telefoon"] == "112" for s in r.json()["spoed"])
    r = c.post("/api/v1/vraagwijzer", json={"gevaar": False, "vraag": "ik wil niet meer leven"})
    assert r.status_code == 200
    assert [a["code"] for a in r.json()["veiligheid"]] == ["zelfdoding"]
    assert r.json()["spoed"][0]["telefoon"] == "0800-0113"


def _spoed_tellingen(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.coalesce(func.sum(VraagwijzerTelling.aantal), 0))
                      .where(VraagwijzerTelling.route == "spoed")).one()


def _wacht_op(voorwaarde, seconden: float = 3.0) -> bool:
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        if voorwaarde():
            return True
        time.sleep(0.05)
    return voorwaarde()


def test_vraagwijzer_page_danger_is_answered_over_the_limit_but_not_counted(limieten, engine):
    c = limieten(limiet_vraagwijzer=1)
    voor = _spoed_tellingen(engine)
    r = c.post("/vraagwijzer", data={"gevaar": "ja"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/vraagwijzer/spoed"
    assert _wacht_op(lambda: _spoed_tellingen(engine) == voor + 1)
    r = c.post("/vraagwijzer", data={"gevaar": "ja"}, follow_redirects=False)  # over the limit: still the lines
    assert r.status_code == 303 and r.headers["location"] == "/vraagwijzer/spoed"
    assert "112" in c.get(r.headers["location"]).text
    time.sleep(0.3)  # the count writer's batch
    assert _spoed_tellingen(engine) == voor + 1


def test_vraagwijzer_page_limit_is_a_dutch_page_with_the_lines(limieten):
    c = limieten(limiet_vraagwijzer=1)
    c.post("/vraagwijzer", data={"gevaar": "ja"}, follow_redirects=False)  # counts against the limit
    token = vraagtoken.maak({"gevaar": ["nee"], "thema": ["schulden"], "voor_wie": ["mezelf"], "haast": ["nee"]})
    r = c.post("/vraagwijzer/postcode", data={"s": token, "postcode": "7551AB"}, follow_redirects=False)
    _te_vaak(r)
    assert "text/html" in r.headers["content-type"] and "0800-0113" in r.text
    # Own words that raise an alarm still get the safety page.
    r = c.post("/vraagwijzer/onderwerp", data={"s": token, "vraag": "ik wil niet meer leven"})
    assert r.status_code == 200 and "0800-0113" in r.text


# --- Logs and metrics -------------------------------------------------------------------------------------------

def test_request_id_in_and_out(client):
    assert client.get("/healthz", headers={"x-request-id": "lb-1234.abc"}).headers["x-request-id"] == "lb-1234.abc"
    nieuw = client.get("/healthz", headers={"x-request-id": "geen geldig id\n"}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", nieuw)
    assert client.get("/bestaat-niet").headers["x-request-id"] != client.get("/bestaat-niet").headers["x-request-id"]


def test_logs_name_the_route_template_and_nothing_personal(client, caplog):
    caplog.set_level(logging.INFO)
    client.get("/api/v1/postcodes/7551AB", params={"geheim": "wachtwoord123"}, headers={"x-request-id": "r-1"})
    client.get("/zoeken", params={"q": "schulden bij Jansen", "postcode": "7551AB"},
               headers={"cookie": "sessie=koekje123", "authorization": "Bearer token123"})
    client.post("/api/v1/vraagwijzer", json={"gevaar": False, "vraag": "mijn buurman Pietersen slaat zijn vrouw",
                                             "postcode": "7551AB"})
    regels = [r for r in caplog.records if r.name == "wijkentree.verzoek"]
    routes = [(r.method, r.route, r.status) for r in regels]
    assert ("GET", "/api/v1/postcodes/{postcode}", 200) in routes
    assert ("GET", "/zoeken", 200) in routes and ("POST", "/api/v1/vraagwijzer", 200) in routes
    assert next(r for r in regels if r.route == "/api/v1/postcodes/{postcode}").request_id == "r-1"
    alles = "\n".join(formatter(f).format(r) for r in caplog.records for f in ("json", "tekst"))
    for persoonlijk in ("7551", "wachtwoord123", "Jansen", "Pietersen", "koekje123", "token123", "schulden"):
        assert persoonlijk not in alles


def test_json_log_line_has_the_fields(client, caplog):
    caplog.set_level(logging.INFO)
    client.get("/locaties/mfa-t-berflo", headers={"x-request-id": "r-json"})
    record = next(r for r in caplog.records if r.name == "wijkentree.verzoek" and r.request_id == "r-json")
    line = json.loads(formatter("json").format(record))
    assert line["route"] == "/locaties/{slug}" and line["method"] == "GET" and line["status"] == 200
    assert line["niveau"] == "INFO" and line["request_id"] == "r-json" and line["duur_ms"] >= 0 and line["tijd"]


def test_metrics_only_with_the_token(client, monkeypatch):
    monkeypatch.delenv("METRICS_TOKEN", raising=False)
    get_settings.cache_clear()
    assert client.get("/metrics").status_code == 404
    monkeypatch.setenv("METRICS_TOKEN", "geheime-metrics-code")
    get_settings.cache_clear()
    try:
        r = client.get("/metrics", headers={"authorization": "Bearer fout"})
        assert r.status_code == 401 and "toegangscode" in r.text and r.headers["www-authenticate"] == "Bearer"
        client.get("/api/v1/postcodes/7551AB")
        client.get("/api/v1/bestaat/7551AB")
        r = client.get("/metrics", headers={"authorization": "Bearer geheime-metrics-code"})
    finally:
        monkeypatch.delenv("METRICS_TOKEN")
        get_settings.cache_clear()
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    body = r.text
    assert 'wijkentree_http_requests_total{method="GET",route="/api/v1/postcodes/{postcode}",status="200"}' in body
    assert 'wijkentree_http_requests_total{method="GET",route="(onbekend)",status="404"}' in body
    assert 'wijkentree_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz"}' in body
    assert "wijkentree_search_index_build_seconds_count" in body
    assert 'wijkentree_vraagwijzer_counts_dropped_total{reden="database"}' in body
    assert "7551AB" not in body and "7551 AB" not in body  # a route template, never the postcode itself


def test_metrics_count_index_rebuilds_and_dropped_counts(fresh_db, limieten):
    from app import search

    voor = REGISTRY.get_sample_value("wijkentree_search_index_build_seconds_count") or 0
    with Session(fresh_db) as s:
        search.get_index(s)
    assert REGISTRY.get_sample_value("wijkentree_search_index_build_seconds_count") == voor + 1
    limiet = {"reden": "limiet"}
    voor = REGISTRY.get_sample_value("wijkentree_vraagwijzer_counts_dropped_total", limiet)
    c = limieten(limiet_vraagwijzer=1)
    for _ in range(2):
        c.post("/vraagwijzer", data={"gevaar": "ja"}, follow_redirects=False)
    assert REGISTRY.get_sample_value("wijkentree_vraagwijzer_counts_dropped_total", limiet) == voor + 1


def test_reflection_knows_the_postgis_columns(engine):
    """Alembic, app/ruimte.py and the tests reflect the tables: the geometry columns get a type, not a warning."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no geometry columns")
    with warnings.catch_warnings():
        warnings.simplefilter("error", exc.SAWarning)
        kolommen = {c["name"]: c["type"] for c in inspect(engine).get_columns("location")}
    if "geom" not in kolommen:
        pytest.skip("PostgreSQL without PostGIS: no geometry columns")
    assert isinstance(kolommen["geom"], Geometrie) and kolommen["geom"].get_col_spec() == "geometry(Point,4326)"

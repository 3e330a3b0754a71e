"""Both search engines (SEARCH_BACKEND=index and =postgres) give the same results on the seed listings.

The PostgreSQL engine needs PostgreSQL with PostGIS (migrations 0004 and 0005): these tests run when the suite runs
again on PostgreSQL (scripts/test-postgres.sh) and are skipped on SQLite. The order is compared exactly, not only the
set: both engines feed the same scores into the same ranking (app/search.py), so only a distance can differ, and
by less than a metre in Hengelo (RD New against the spheroid), which the rounding to whole metres hides in this
corpus; the distances are compared within 1 m.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

from app import geo, ruimte
from app.config import Settings, get_settings
from app.data.core import SYSTEEM, schrijf
from app.models import Service
from app.search import INDEX, Query, search

# Residents' own words (tests/test_search.py, the seed listings): typos, sentences and negations included.
WOORDEN = [
    "schulden", "ik heb schulden", "ik kan mijn huur niet betalen", "brief van de deurwaarder", "huurachterstand",
    "energierekening te hoog", "voedselpakket", "geen geld voor eten", "eenzaam", "ik voel me eenzaam",
    "eenzaamheit", "rollator", "traplift", "hulp in de huishouding", "taalles", "nederlands leren", "cursussen",
    "mantelzorg", "mijn moeder wordt vergeetachtig", "huiselijk geweld", "mijn man slaat me", "ruzie met de buren",
    "mijn kind wordt gepest", "ik zoek werk", "koffie", "wijkcentrum", "bibliotheek", "Repair Café",
    "ik wil niet meer leven", "geen schulden", "xqzwvbl",
]
TZ = ZoneInfo("Europe/Amsterdam")
CENTRUM_7551 = geo.postcode_point(geo.parse_postcode("7551"))
SLANGENBEEK_7559 = geo.postcode_point(geo.parse_postcode("7559"))
FILTERS = {
    "zonder filter": {},
    "postcode 7551": {"point": CENTRUM_7551},
    "postcode 7559, thema geld": {"point": SLANGENBEEK_7559, "themas": ("geld",)},
    "punt, hoogstens 2 km": {"point": CENTRUM_7551, "max_distance_m": 2000},
    "punt, op relevantie": {"point": SLANGENBEEK_7559, "sort": "relevantie"},
    "wijk en laag": {"wijk": "WK016409", "laag": ("maatwerk", "voorliggend")},
    "nu open": {"open_nu": True, "now": datetime(2025, 3, 4, 10, 30, tzinfo=TZ)},
}


@pytest.fixture(scope="module")
def postgres():
    """The PostgreSQL engine, on the shared test database; skipped where it cannot run."""
    from app.db import get_engine

    engine = get_engine()
    if engine.dialect.name != "postgresql":
        pytest.skip("de PostgreSQL-zoekmachine draait alleen op PostgreSQL (scripts/test-postgres.sh)")
    with Session(engine) as s:
        if not ruimte.postgis(s):
            pytest.skip("de PostgreSQL-zoekmachine heeft PostGIS nodig voor de afstanden")
    from app.zoekmachine_postgres import POSTGRES

    return POSTGRES


def same(a, b) -> None:
    """The same hits in the same order, with the same scores and places, and the same help around them."""
    assert [(h.service_id, h.score, h.location_id, h.themas, h.helpt, h.bereik) for h in a.hits] == \
           [(h.service_id, h.score, h.location_id, h.themas, h.helpt, h.bereik) for h in b.hits]
    for x, y in zip(a.hits, b.hits, strict=True):
        assert (x.distance_m is None) == (y.distance_m is None)
        assert x.distance_m is None or abs(x.distance_m - y.distance_m) <= 1
    assert (a.themas_herkend, a.verbeterd, a.suggesties, a.zonder, a.alarmen) == \
           (b.themas_herkend, b.verbeterd, b.suggesties, b.zonder, b.alarmen)


@pytest.mark.parametrize("filters", FILTERS.values(), ids=FILTERS.keys())
@pytest.mark.parametrize("woorden", WOORDEN)
def test_both_engines_give_the_same_results(engine, session, postgres, woorden, filters):
    query = Query(q=woorden, **filters)
    same(search(session, query, INDEX), search(session, query, postgres))


@pytest.mark.parametrize("filters", FILTERS.values(), ids=FILTERS.keys())
def test_same_results_without_words(engine, session, postgres, filters):
    query = Query(**filters)
    same(search(session, query, INDEX), search(session, query, postgres))


def test_the_corpus_queries_find_something(engine, session, postgres):
    """The comparison above is not between two empty lists: most words find help, with and without a point."""
    found = [w for w in WOORDEN if search(session, Query(q=w, point=CENTRUM_7551), postgres).hits]
    assert len(found) >= len(WOORDEN) - 2
    with_distance = search(session, Query(q="eenzaam", point=CENTRUM_7551), postgres).hits
    assert with_distance[0].distance_m is not None


def test_an_edit_is_found_by_both_engines(app_on, postgres):
    """The write path (schrijf) keeps the generated word vectors current: a new name is found at once."""
    _, fresh = app_on
    with Session(fresh) as s:
        svc = s.exec(select(Service).where(Service.slug == "repair-cafe-hengelo")).one()
        with schrijf(s, SYSTEEM) as w:
            svc.name = "Fietsenmakerij De Tempel"
            w.vastleggen("gewijzigd", "service", svc.id)
        service_id = svc.id
    with Session(fresh) as s:
        for machine in (INDEX, postgres):
            assert [h.service_id for h in search(s, Query(q="fietsenmakerijen"), machine).hits] == [service_id]
        same(search(s, Query(q="repair"), INDEX), search(s, Query(q="repair"), postgres))


API = [
    "/api/v1/services?search=schulden&per_page=100",
    "/api/v1/services?search=ik%20voel%20me%20eenzaam&postcode=7551&per_page=100",
    "/api/v1/services?search=rollator&postcode=7559AB&thema=gezondheid&per_page=100",
    "/api/v1/services?postcode=7551&thema=opvoeden&proximity=3000&per_page=100",
    "/api/v1/service_at_locations?search=taalles&lat=52.2649&lon=6.7925&per_page=100",
]


@pytest.mark.parametrize("url", API)
def test_the_api_answers_the_same_with_either_setting(client, postgres, monkeypatch, url):
    answers = {}
    for backend in ("index", "postgres"):
        monkeypatch.setenv("SEARCH_BACKEND", backend)
        get_settings.cache_clear()
        r = client.get(url)
        assert r.status_code == 200, r.text
        answers[backend] = [c["id"] for c in r.json()["contents"]]
    monkeypatch.undo()
    get_settings.cache_clear()
    assert answers["index"], url
    assert answers["index"] == answers["postgres"]


def test_the_search_page_lists_the_same_with_either_setting(client, postgres, monkeypatch):
    pages = {}
    for backend in ("index", "postgres"):
        monkeypatch.setenv("SEARCH_BACKEND", backend)
        get_settings.cache_clear()
        r = client.get("/zoeken?q=huiselijk+geweld&postcode=7551")
        assert r.status_code == 200
        pages[backend] = [line for line in r.text.splitlines() if 'class="result__title"' in line]
    monkeypatch.undo()
    get_settings.cache_clear()
    assert pages["index"] and pages["index"] == pages["postgres"]


def test_postgres_setting_refuses_another_database_in_dutch():
    with pytest.raises(ValidationError, match="SEARCH_BACKEND=postgres kan alleen met een PostgreSQL-database"):
        Settings(database_url="sqlite:///data/wijkentree.db", search_backend="postgres")
    assert Settings(database_url="postgresql+psycopg://x@y/z", search_backend="postgres").search_backend == "postgres"

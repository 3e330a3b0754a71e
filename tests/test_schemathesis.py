"""schemathesis over the whole OpenAPI document: every documented operation, in-process (no network), with a fixed
seed and a bounded number of examples, and every check on. A failure here means the app and its documentation
disagree: fix the route or its `responses=`, never the list of checks.

The OpenAPI states what the checks accept (patterns, enums). What JSON Schema cannot say has a documented answer:
an id in a body that does not exist is a 404, a taken slug a 409; rules that compare fields (closing after opening)
are followed by the generator below (the hooks) and answered with the documented 422 when broken; the import gets
files as the export writes them.

The cases post reports, contact requests and admin edits: they run on a seeded database of their own."""
import csv
import io
import tempfile
from datetime import date, time, timedelta

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from sqlmodel import Session

from app import geo
from app.data import uitwisseling
from app.db import get_engine, get_session, upgrade_db
from app.main import app
from app.seed import seed

# A missing If-Match is 428 Precondition Required (RFC 6585), the status made for exactly that: the check stays on
# and knows that answer too.
CONFIG = SchemathesisConfig.from_dict({"checks": {"missing_required_header": {
    "expected-statuses": [400, 401, 403, 406, 415, 422, 428]}}})
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=CONFIG)
BEHEER = r"^/api/v1/(beheer|statistiek)(/|$)"
BOUNDED = settings(max_examples=30, derandomize=True, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@schema.hook
def filter_case(context, case):
    # lat and lon come together (documented as "met lon"), which a query's JSON Schema cannot say: a search
    # with one of them is a documented 422, not a case for the generator.
    query = case.query or {}
    return ("lat" in query) == ("lon" in query)


def _datum(value) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _tijd(value) -> time | None:
    try:
        return time.fromisoformat(value.strip()) if isinstance(value, str) and value.strip() else None
    except ValueError:
        return None


def _tijdregel(regel: dict) -> None:
    """ScheduleIn's rules between its fields (its description in the OpenAPI), which JSON Schema cannot compare:
    closing after opening, days with hours, an end date not before the start, a closed period with both dates,
    each day once, and otherwise words."""
    opens, closes = _tijd(regel.get("opens_at")), _tijd(regel.get("closes_at"))
    if (opens is None) != (closes is None) or (opens and closes and opens >= closes):
        regel["opens_at"], regel["closes_at"] = "09:00", "17:00"
        opens = time(9)
    if regel.get("notes") == "gesloten":
        regel["valid_from"] = regel.get("valid_from") or regel.get("valid_to") or "2026-12-24"
        regel["valid_to"] = regel.get("valid_to") or regel["valid_from"]
    van, tot = _datum(regel.get("valid_from")), _datum(regel.get("valid_to"))
    if van and tot and van > tot:
        regel["valid_from"], regel["valid_to"] = regel["valid_to"], regel["valid_from"]
    dagen = [d.strip().upper() for d in (regel.get("byday") or "").split(",") if d.strip()]
    regel["byday"] = ",".join(dict.fromkeys(dagen)) or ("MO" if opens else regel.get("byday"))
    if regel.get("notes") != "gesloten" and not opens and not (regel.get("description") or "").strip():
        regel["description"] = "Op afspraak"


def _plek(body: dict) -> None:
    """A location's point: latitude with longitude, in or near Hengelo, and without a point a postcode in Hengelo
    (app/data/aanbod.py checks it against the gemeente's outline)."""
    if body.get("latitude") is not None or body.get("longitude") is not None:
        body["latitude"], body["longitude"] = 52.2659, 6.7931
    for adres in body.get("addresses") or []:
        if body.get("latitude") is None and (adres.get("postal_code") or "").strip():
            adres["postal_code"] = f"{min(geo.pc4_points())} AB"


@schema.hook
def map_case(context, case):
    # Only what a request that fits the schema must also follow, and JSON Schema cannot say; a request made to
    # break the schema stays as it is.
    if not case.meta.generation.mode.is_positive:
        return case
    query, body = case.query or {}, case.body
    if case.path.startswith("/api/v1/statistiek/"):
        # A period of at most three years, ending by default today: a generated period that is valid as dates
        # becomes one of that length.
        van, tot = _datum(query.get("van")), _datum(query.get("tot"))
        eind = tot or date.today()
        if van and not (eind - timedelta(days=3 * 366) <= van <= eind):
            query["van"] = (eind - timedelta(days=30)).isoformat()
    if isinstance(body, dict) and case.path.startswith("/api/v1/beheer/"):
        for regel in body.get("schedules") or []:
            _tijdregel(regel)
        if case.path.startswith("/api/v1/beheer/locations"):
            _plek(body)
    return case


def _export() -> tuple[list[str], list[list[str]], bytes]:
    """What the export writes of the seed (the module's database holds the same: the seed's ids are fixed), made
    on a throw-away database now, because schemathesis draws bodies while it collects the tests."""
    url = f"sqlite:///{tempfile.mkdtemp(prefix='schemathesis-export-')}/export.db"
    upgrade_db(url)
    with Session(get_engine(url)) as s:
        seed(s)
        kop, *rijen = csv.reader(io.StringIO(uitwisseling.beheer_csv(s)[0]))
        return kop, rijen, uitwisseling.hsds_zip(s, "http://testserver")[0]


KOP, RIJEN, HSDS_ZIP = _export()


def _csv(rijen: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([KOP, *rijen])
    return out.getvalue()


# The import reads back what the export writes: some or all of its rows as CSV, or the HSDS zip. A file JSON
# Schema cannot describe; these are the files the operation documents.
schemathesis.openapi.media_type("text/csv", st.lists(st.sampled_from(RIJEN), max_size=5,
                                                     unique_by=lambda r: r[0]).map(_csv))
schemathesis.openapi.media_type("application/zip", st.just(HSDS_ZIP))


@pytest.fixture(scope="module")
def beheerder(engine, new_database, rol_tokens):
    """The app on its own seeded database (as app_on, for the whole module); the headers of a beheerder there.
    `engine`: the shared database still takes the anonymous counts and throttles, so it must exist."""
    url = new_database("schemathesis")
    upgrade_db(url)
    own = get_engine(url)
    with Session(own) as s:
        seed(s)

    def own_session():
        with Session(own) as s:
            yield s

    app.dependency_overrides[get_session] = own_session
    try:
        yield rol_tokens(own)["beheerder"]
    finally:
        app.dependency_overrides.pop(get_session, None)


@schema.exclude(path_regex=BEHEER).parametrize()
@BOUNDED
def test_public(case, beheerder):
    case.call_and_validate()


@schema.include(path_regex=BEHEER).exclude(method=["PUT", "PATCH"]).parametrize()
@BOUNDED
def test_beheer(case, beheerder):
    case.call_and_validate(headers=beheerder)


# Changing with a drawn id stops at 404 (or at 428 without If-Match) before the body is read, so there the coverage
# phase's hundreds of body variants (Hypothesis' explicit phase) test nothing and took a third of the run. The
# fuzzing phase runs, with every check; the same models' bodies go through POST's coverage.
@schema.include(path_regex=BEHEER, method=["PUT", "PATCH"]).parametrize()
@settings(BOUNDED, phases=[phase for phase in Phase if phase is not Phase.explicit])
def test_beheer_wijzigen(case, beheerder):
    case.call_and_validate(headers=beheerder)


def test_a_body_that_is_no_text_gets_the_documented_dutch_400(client):
    r = client.post("/api/v1/meldingen", content=b'{"soort": "\xff"}', headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json() == {"detail": "Dit verzoek kunnen we niet lezen. Kijk of alles goed is "
                                                          "ingevuld en probeer het opnieuw."}
    assert "400" in app.openapi()["paths"]["/api/v1/meldingen"]["post"]["responses"]


def test_what_json_schema_cannot_say_gets_a_documented_answer_and_saves_nothing(beheerder):
    """A body that fits the schema but names an id that does not exist is a 404, as an unknown id in the path is;
    a slug another listing has is a 409. Both are in the OpenAPI of the operation."""
    b = "/api/v1/beheer"
    with TestClient(app) as client:
        org = client.get(f"{b}/organizations", headers=beheerder).json()["contents"][0]["id"]
        dienst = {"organization_id": "bestaat-niet", "name": "Samen koken", "description": "Elke week samen koken.",
                  "laag": "basisondersteuning"}
        r = client.post(f"{b}/services", json=dienst, headers=beheerder)
        assert r.status_code == 404
        assert r.json() == {"detail": "Deze organisatie bestaat niet. Kies een id uit /api/v1/beheer/organizations."}
        plek = client.post(f"{b}/locations", json={"name": "Buurtkamer", "organization_id": org}, headers=beheerder)
        assert plek.status_code == 201
        r = client.post(f"{b}/locations", json={"name": "Andere plek", "slug": plek.json()["slug"]}, headers=beheerder)
        assert r.status_code == 409
        assert r.json() == {"detail": "Deze slug is al in gebruik. Kies een andere, of laat het veld leeg."}
        r = client.post(f"{b}/service_at_locations", json={"service_id": "bestaat-niet", "location_id": "ook-niet"},
                        headers=beheerder)
        assert r.status_code == 404 and r.json() == {"detail": "Deze dienst bestaat niet. Deze locatie bestaat niet."}
        namen = {x["name"] for x in client.get(f"{b}/locations", headers=beheerder,
                                                params={"per_page": 100}).json()["contents"]}
        assert "Andere plek" not in namen
    paden = app.openapi()["paths"]
    for pad, codes in ((f"{b}/services", {"404", "409", "422"}), (f"{b}/service_at_locations", {"404", "409", "422"})):
        assert codes <= set(paden[pad]["post"]["responses"])

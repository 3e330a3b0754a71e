"""schemathesis over the whole OpenAPI document: every documented operation, in-process (no network), with a fixed
seed and a bounded number of examples, and every check on. A failure here means the app and its documentation
disagree: fix the route or its `responses=`, never the list of checks.

The cases post reports, contact requests and admin edits: they run on a seeded database of their own."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlmodel import Session

from app.db import get_engine, get_session, upgrade_db
from app.main import app
from app.seed import seed

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
BEHEER = r"^/api/v1/(beheer|statistiek)(/|$)"
BOUNDED = settings(max_examples=25, derandomize=True, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@schema.hook
def filter_case(context, case):
    # lat and lon come together (documented as "met lon"), which a query's JSON Schema cannot say: a search
    # with one of them is a documented 422, not a case for the generator.
    query = case.query or {}
    return ("lat" in query) == ("lon" in query)


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


def test_a_body_that_is_no_text_gets_the_documented_dutch_400(client):
    r = client.post("/api/v1/meldingen", content=b'{"soort": "\xff"}', headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json() == {"detail": "Dit verzoek kunnen we niet lezen. Kijk of alles goed is "
                                                          "ingevuld en probeer het opnieuw."}
    assert "400" in app.openapi()["paths"]["/api/v1/meldingen"]["post"]["responses"]

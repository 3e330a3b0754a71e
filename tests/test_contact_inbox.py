"""The staff side of the front door (issue 12) through HTTP: the inbox API /api/v1/beheer/contact and the pages
/beheer/contact. Only beheerder and medewerker; the list holds no personal data; every view and change is audited."""
import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.data import accounts
from app.data.core import SYSTEEM
from app.main import app
from app.models import Audit, Location

TELEFOON = "0644445555"
EMAIL = "inbox-test@example.nl"
VRAAG = {"soort": "vraag", "naam": "Fenna", "telefoon": TELEFOON, "email": EMAIL, "postcode": "", "thema": "schulden",
         "vraag": "Ik kom niet rond met mijn geld", "moment": "middag", "wijkentree": "mfa-t-berflo",
         "toestemming": True}
API = "/api/v1/beheer/contact"
NIET = "00000000-0000-0000-0000-000000000000"
WACHTWOORD = "een lange zin als wachtwoord"


def _stuur(client, medewerker: dict) -> str:
    """A resident's new request; returns its id, found in the inbox by its reference."""
    r = client.post("/api/v1/contact", json=VRAAG)
    assert r.status_code == 202
    lijst = client.get(API, headers=medewerker).json()
    return next(x["id"] for x in lijst if x["referentie"] == r.json()["referentie"])


def _acties(engine, verzoek_id: str) -> list[tuple[str, str]]:
    with Session(engine) as s:
        return [(a.actie, a.wie) for a in s.exec(select(Audit).where(Audit.object_id == verzoek_id).order_by(Audit.id))]


def _wie(headers: dict, engine) -> str:
    """The token's name, as the audit and 'opgepakt door' show it."""
    with Session(engine) as s:
        return accounts.wie_van_token(s, headers["authorization"][7:]).naam


@pytest.fixture(scope="module")
def verzoek_id(client, tokens):
    return _stuur(client, tokens["medewerker"])


ROUTES = [("get", API), ("get", API + "/{id}"), ("post", API + "/{id}/oppakken"), ("post", API + "/{id}/afgehandeld"),
          ("post", API + "/{id}/toewijzen")]


@pytest.mark.parametrize("methode, pad", ROUTES)
def test_api_only_for_staff(client, tokens, verzoek_id, methode, pad):
    pad = pad.format(id=verzoek_id)
    kwargs = {"json": {"location_id": NIET}} if pad.endswith("toewijzen") else {}
    zonder = getattr(client, methode)(pad, **kwargs)
    assert zonder.status_code == 401 and "Log eerst in" in zonder.json()["detail"]
    redacteur = getattr(client, methode)(pad, headers=tokens["redacteur"], **kwargs)
    assert redacteur.status_code == 403 and "rol" in redacteur.json()["detail"]


@pytest.mark.parametrize("pad", ["/beheer/contact", "/beheer/contact/{id}"])
def test_pages_only_for_staff(client, tokens, verzoek_id, pad):
    pad = pad.format(id=verzoek_id)
    zonder = client.get(pad, follow_redirects=False)
    assert zonder.status_code == 303 and zonder.headers["location"].startswith("/beheer/inloggen?terug=")
    assert client.get(pad, headers=tokens["redacteur"]).status_code == 403
    assert client.get(pad, headers=tokens["medewerker"]).status_code == 200
    assert client.get(pad, headers=tokens["beheerder"]).status_code == 200


def test_page_posts_need_a_role_and_the_csrf_token(client, tokens, verzoek_id):
    for actie in ("oppakken", "afgehandeld", "toewijzen"):
        pad = f"/beheer/contact/{verzoek_id}/{actie}"
        assert client.post(pad, follow_redirects=False).status_code == 303  # to the login page
        assert client.post(pad, headers=tokens["redacteur"]).status_code == 403
        # A token has no session, so no CSRF token: a page form needs a login.
        assert client.post(pad, headers=tokens["medewerker"], data={"csrf": "x"}).status_code == 403


def test_list_has_no_personal_data(client, tokens, verzoek_id):
    r = client.get(API, headers=tokens["medewerker"])
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    rij = next(x for x in r.json() if x["id"] == verzoek_id)
    assert set(rij) == {"id", "referentie", "soort", "status", "thema", "aangemaakt", "opgepakt_door", "opgepakt",
                        "afgehandeld", "wijkentree"}
    assert rij["wijkentree"]["naam"] == "MFA 't Berflo" and rij["thema"] == "schulden"
    for geheim in (TELEFOON, EMAIL, "Fenna", "rond met mijn geld"):
        assert geheim not in r.text
    pagina = client.get("/beheer/contact", headers=tokens["medewerker"])
    assert rij["referentie"] in pagina.text and pagina.headers["cache-control"] == "no-store"
    for geheim in (TELEFOON, EMAIL, "Fenna", "rond met mijn geld"):
        assert geheim not in pagina.text


def test_list_filters(client, tokens, verzoek_id):
    berflo = client.get(API, headers=tokens["medewerker"]).json()
    loc = next(x["wijkentree"]["id"] for x in berflo if x["id"] == verzoek_id)
    gefilterd = client.get(API, params={"wijkentree": loc, "status": "nieuw"}, headers=tokens["medewerker"]).json()
    assert verzoek_id in {x["id"] for x in gefilterd}
    assert {x["wijkentree"]["id"] for x in gefilterd} == {loc} and {x["status"] for x in gefilterd} == {"nieuw"}
    afgehandeld = client.get(API, params={"status": "afgehandeld"}, headers=tokens["medewerker"]).json()
    assert verzoek_id not in {x["id"] for x in afgehandeld} and {x["status"] for x in afgehandeld} <= {"afgehandeld"}
    fout = client.get(API, params={"status": "weg"}, headers=tokens["medewerker"])
    assert fout.status_code == 422 and "Kies een van deze waarden" in fout.json()["detail"][0]["msg"]
    pagina = client.get("/beheer/contact", params={"wijkentree": loc, "status": "nieuw"}, headers=tokens["medewerker"])
    assert f'<option value="{loc}" selected>' in pagina.text and '<option value="nieuw" selected>' in pagina.text


def test_detail_shows_the_data_and_is_audited(client, engine, tokens, verzoek_id):
    voor = len(_acties(engine, verzoek_id))
    r = client.get(f"{API}/{verzoek_id}", headers=tokens["medewerker"])
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    v = r.json()
    assert (v["telefoon"], v["email"], v["naam"], v["moment"]) == (TELEFOON, EMAIL, "Fenna", "middag")
    acties = _acties(engine, verzoek_id)
    assert len(acties) == voor + 1 and acties[-1] == ("bekeken", _wie(tokens["medewerker"], engine))
    pagina = client.get(f"/beheer/contact/{verzoek_id}", headers=tokens["medewerker"])
    assert TELEFOON in pagina.text and EMAIL in pagina.text and "Oppakken" in pagina.text
    assert len(_acties(engine, verzoek_id)) == voor + 2  # the page view too


def test_bad_ids_are_404_in_dutch(client, tokens):
    for methode, pad in ROUTES[1:]:
        kwargs = {"json": {"location_id": NIET}} if pad.endswith("toewijzen") else {}
        r = getattr(client, methode)(pad.format(id=NIET), headers=tokens["medewerker"], **kwargs)
        assert r.status_code == 404 and "Deze vraag bestaat niet" in r.json()["detail"]
    te_lang = client.get(f"{API}/{'x' * 40}", headers=tokens["medewerker"])
    assert te_lang.status_code == 422 and "te lang" in te_lang.json()["detail"][0]["msg"]
    pagina = client.get(f"/beheer/contact/{NIET}", headers=tokens["medewerker"])
    assert pagina.status_code == 404 and "Deze pagina bestaat niet" in pagina.text


def test_api_changes_status_and_audits_each_step(app_on, rol_tokens):
    client, engine = app_on
    tokens = rol_tokens(engine)
    verzoek_id = _stuur(client, tokens["medewerker"])
    h = tokens["medewerker"]
    naam = _wie(h, engine)
    with Session(engine) as s:
        ander = s.exec(select(Location.id).where(Location.is_wijkentree, Location.slug != "mfa-t-berflo")).first()

    op = client.post(f"{API}/{verzoek_id}/oppakken", headers=h)
    assert op.status_code == 200 and op.json()["status"] == "opgepakt" and op.json()["opgepakt_door"] == naam
    assert op.headers["cache-control"] == "no-store"
    fout = client.post(f"{API}/{verzoek_id}/toewijzen", json={"location_id": NIET}, headers=h)
    assert fout.status_code == 422 and fout.json()["detail"][0]["veld"] == "location_id"
    assert "Kies een wijkentree" in fout.json()["detail"][0]["msg"]
    leeg = client.post(f"{API}/{verzoek_id}/toewijzen", json={}, headers=h)
    assert leeg.status_code == 422
    door = client.post(f"{API}/{verzoek_id}/toewijzen", json={"location_id": ander}, headers=h)
    assert door.status_code == 200 and door.json()["wijkentree"]["id"] == ander
    assert door.json()["status"] == "nieuw" and door.json()["opgepakt_door"] is None
    klaar = client.post(f"{API}/{verzoek_id}/afgehandeld", headers=tokens["beheerder"])
    assert klaar.status_code == 200 and klaar.json()["status"] == "afgehandeld" and klaar.json()["afgehandeld"]
    for actie in ("oppakken", "afgehandeld"):
        nog = client.post(f"{API}/{verzoek_id}/{actie}", headers=h)
        assert nog.status_code == 409 and "al afgehandeld" in nog.json()["detail"]
    assert _acties(engine, verzoek_id) == [
        ("aangemaakt", "inwoner"), ("opgepakt", naam), ("toegewezen", naam),
        ("afgehandeld", _wie(tokens["beheerder"], engine))]


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _ingelogd(engine) -> tuple[TestClient, str]:
    """A client with the cookie of a medewerker who logged in on the login page, and their e-mail."""
    email = f"medewerker-{uuid.uuid4().hex[:8]}@wijkracht.example"
    with Session(engine) as s:
        accounts.maak_gebruiker(s, SYSTEEM, email, "Test medewerker", "medewerker", WACHTWOORD)
    c = TestClient(app)
    form = c.get("/beheer/inloggen")
    r = c.post("/beheer/inloggen", data={"email": email, "wachtwoord": WACHTWOORD, "terug": "/beheer/contact",
                                         "csrf": _csrf(form.text)}, follow_redirects=False)
    assert r.status_code == 303
    return c, email


def test_pages_pick_up_assign_and_handle(app_on, rol_tokens):
    client, engine = app_on
    verzoek_id = _stuur(client, rol_tokens(engine)["medewerker"])
    with Session(engine) as s:
        ander = s.exec(select(Location).where(Location.is_wijkentree, Location.slug != "mfa-t-berflo")).first()
    c, email = _ingelogd(engine)
    with c:
        pagina = c.get(f"/beheer/contact/{verzoek_id}")
        csrf = _csrf(pagina.text)
        assert c.post(f"/beheer/contact/{verzoek_id}/oppakken", data={"csrf": "fout"}).status_code == 403
        op = c.post(f"/beheer/contact/{verzoek_id}/oppakken", data={"csrf": csrf}, follow_redirects=False)
        assert op.status_code == 303 and op.headers["location"] == f"/beheer/contact/{verzoek_id}?gedaan=opgepakt"
        na = c.get(op.headers["location"])
        assert "U heeft deze vraag opgepakt." in na.text and f"opgepakt door {email}" in na.text
        assert ">Oppakken<" not in na.text

        fout = c.post(f"/beheer/contact/{verzoek_id}/toewijzen", data={"csrf": csrf, "location_id": ""})
        assert fout.status_code == 422 and 'id="location_id-fout"' in fout.text and "error-summary" in fout.text
        door = c.post(f"/beheer/contact/{verzoek_id}/toewijzen", data={"csrf": csrf, "location_id": ander.id})
        assert door.status_code == 200 and "weer nieuw" in door.text and f"<dd>{ander.name}</dd>" in door.text

        klaar = c.post(f"/beheer/contact/{verzoek_id}/afgehandeld", data={"csrf": csrf})
        assert klaar.status_code == 200 and "Deze vraag is afgehandeld." in klaar.text
        assert "/afgehandeld" not in klaar.text.split("</dl>")[1]  # no buttons left
        nog = c.post(f"/beheer/contact/{verzoek_id}/afgehandeld", data={"csrf": csrf})
        assert nog.status_code == 409 and "al afgehandeld" in nog.text
        assert "Afgehandeld" in c.get("/beheer/contact", params={"status": "afgehandeld"}).text
    acties = [a for a, wie in _acties(engine, verzoek_id) if wie == email]
    assert acties == ["bekeken", "opgepakt", "bekeken", "bekeken", "toegewezen", "bekeken", "afgehandeld", "bekeken"]


def test_openapi_documents_the_inbox(client):
    paden = client.get("/api/v1/openapi.json").json()["paths"]
    for methode, pad in ROUTES:
        antwoorden = paden[pad][methode]["responses"]
        assert {"401", "403", "422"} <= set(antwoorden), pad
        if "{id}" in pad:
            assert "404" in antwoorden, pad
    assert "409" in paden[API + "/{id}/afgehandeld"]["post"]["responses"]

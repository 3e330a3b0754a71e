"""Logging in to beheer (/beheer/inloggen), logging out, one's own password, and the accounts page, through HTTP
with a browser-like cookie jar of its own per test."""
import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.data import accounts
from app.data.core import SYSTEEM
from app.main import app
from app.models import ApiToken, Audit, Gebruiker, Sessie
from app.toegang import COOKIE

WACHTWOORD = "een lange zin als wachtwoord"


def _maak(engine, rol: str = "beheerder", organisaties: list[str] | None = None) -> str:
    email = f"{rol}-{uuid.uuid4().hex[:8]}@wijkracht.example"
    with Session(engine) as s:
        accounts.maak_gebruiker(s, SYSTEEM, email, f"Test {rol}", rol, WACHTWOORD, organisaties)
    return email


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _inloggen(browser: TestClient, email: str, wachtwoord: str = WACHTWOORD, terug: str = "/beheer"):
    form = browser.get("/beheer/inloggen", params={"terug": terug})
    return browser.post("/beheer/inloggen", data={"email": email, "wachtwoord": wachtwoord, "terug": terug,
                                                  "csrf": _csrf(form.text)}, follow_redirects=False)


@pytest.fixture
def browser(engine):
    with TestClient(app) as c:
        yield c


def test_a_page_sends_to_the_login_and_back_after(browser, engine):
    weg = browser.get("/beheer/te-doen", follow_redirects=False)
    assert weg.status_code == 303 and weg.headers["location"] == "/beheer/inloggen?terug=/beheer/te-doen"
    r = _inloggen(browser, _maak(engine, "medewerker"), terug="/beheer/te-doen")
    assert r.status_code == 303 and r.headers["location"] == "/beheer/te-doen"
    cookie = r.headers["set-cookie"]
    assert f"{COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    pagina = browser.get("/beheer/te-doen")
    assert pagina.status_code == 200 and "Uitloggen" in pagina.text and "Accounts en tokens" not in pagina.text
    # The API answers 401 in Dutch, with no redirect
    browser.cookies.clear()
    api = browser.get("/api/v1/statistiek/vraagwijzer")
    assert api.status_code == 401 and "Log" in api.json()["detail"]


def test_the_session_is_stored_as_a_hash_and_ends_on_logout(browser, engine):
    email = _maak(engine)
    r = _inloggen(browser, email)
    waarde = browser.cookies[COOKIE]
    with Session(engine) as s:
        g = s.exec(select(Gebruiker).where(Gebruiker.email == email)).one()
        sessie = s.exec(select(Sessie).where(Sessie.gebruiker_id == g.id)).one()
        assert sessie.id == accounts.sha256(waarde) and waarde not in sessie.id
    pagina = browser.get("/beheer")
    uit = browser.post("/beheer/uitloggen", data={"csrf": _csrf(pagina.text)}, follow_redirects=False)
    assert uit.status_code == 303 and uit.headers["location"] == "/beheer/inloggen?uitgelogd=1"
    # The old cookie no longer opens anything, also when someone kept a copy
    browser.cookies.set(COOKIE, waarde)
    assert browser.get("/beheer", follow_redirects=False).status_code == 303
    assert r.status_code == 303


def test_logout_without_the_form_token_is_refused(beheer_login, engine):
    browser = beheer_login(engine)
    r = browser.post("/beheer/uitloggen", data={"csrf": "fout"})
    assert r.status_code == 403 and "formulier" in r.text
    assert browser.get("/beheer").status_code == 200


@pytest.mark.parametrize("email, wachtwoord, status, tekst", [
    ("", "", 422, "Vul uw e-mailadres in."),
    ("iemand@wijkracht.example", "", 422, "Vul uw wachtwoord in."),
    ("bestaat-niet@wijkracht.example", WACHTWOORD, 401, "klopt niet"),
])
def test_wrong_or_missing_input_is_shown_next_to_the_field(browser, email, wachtwoord, status, tekst):
    form = browser.get("/beheer/inloggen")
    r = browser.post("/beheer/inloggen", data={"email": email, "wachtwoord": wachtwoord, "csrf": _csrf(form.text)})
    assert r.status_code == status and tekst in r.text
    assert 'class="error-summary"' in r.text and 'class="error-message"' in r.text
    assert COOKIE not in r.headers.get("set-cookie", "")
    if email:
        assert f'value="{email}"' in r.text  # nothing typed is lost, but the password is never sent back
    assert WACHTWOORD not in r.text


def test_a_wrong_password_and_a_deactivated_account_do_not_log_in(browser, engine):
    email = _maak(engine)
    assert _inloggen(browser, email, "niet het goede wachtwoord").status_code == 401
    with Session(engine) as s:
        g = s.exec(select(Gebruiker).where(Gebruiker.email == email)).one()
        accounts.wijzig_gebruiker(s, SYSTEEM, g.id, actief=False)
    assert _inloggen(browser, email).status_code == 401


def test_the_login_form_needs_its_own_token(browser, engine):
    r = browser.post("/beheer/inloggen", data={"email": _maak(engine), "wachtwoord": WACHTWOORD, "csrf": "x"})
    assert r.status_code == 403 and "verlopen" in r.text


@pytest.mark.parametrize("terug", ["//evil.example/x", "https://evil.example", "/\\evil.example"])
def test_after_login_never_to_another_site(browser, engine, terug):
    r = _inloggen(browser, _maak(engine), terug=terug)
    assert r.status_code == 303 and r.headers["location"] == "/beheer"


def test_failed_logins_are_throttled_per_account_with_a_wait_not_a_lock(browser, engine, rate_limits_on,
                                                                        monkeypatch):
    monkeypatch.setattr(rate_limits_on, "limiet_inloggen_account", 3)
    email = _maak(engine)
    codes = [_inloggen(browser, email, "fout wachtwoord nummer").status_code for _ in range(3)]
    assert codes == [401, 401, 401]
    # Now also the right password waits: the attacker cannot tell, and it ends when the window ends.
    r = _inloggen(browser, email)
    assert r.status_code == 429 and 0 < int(r.headers["retry-after"]) <= 900
    assert "te vaak geprobeerd" in r.text and "112" in r.text
    # Another account from the same address is not stopped by this one
    assert _inloggen(browser, _maak(engine)).status_code == 303


def test_failed_logins_are_throttled_per_address(browser, engine, rate_limits_on, monkeypatch):
    monkeypatch.setattr(rate_limits_on, "limiet_inloggen_adres", 2)
    for _ in range(2):
        assert _inloggen(browser, _maak(engine), "fout wachtwoord nummer").status_code == 401
    assert _inloggen(browser, _maak(engine)).status_code == 429


def test_changing_the_password_ends_the_other_sessions(engine):
    email = _maak(engine, "redacteur", [_een_organisatie(engine)])
    with TestClient(app) as laptop, TestClient(app) as telefoon:
        _inloggen(laptop, email)
        _inloggen(telefoon, email)
        form = laptop.get("/beheer/wachtwoord")
        fout = laptop.post("/beheer/wachtwoord", data={"csrf": _csrf(form.text), "oud": WACHTWOORD,
                                                       "nieuw": "nieuwe lange zin", "herhaal": "andere zin"})
        assert fout.status_code == 422 and "niet gelijk" in fout.text
        kort = laptop.post("/beheer/wachtwoord", data={"csrf": _csrf(form.text), "oud": WACHTWOORD,
                                                       "nieuw": "kort", "herhaal": "kort"})
        assert kort.status_code == 422 and "minstens 12 tekens" in kort.text
        goed = laptop.post("/beheer/wachtwoord", data={"csrf": _csrf(form.text), "oud": WACHTWOORD,
                                                       "nieuw": "nieuwe lange zin", "herhaal": "nieuwe lange zin"})
        assert goed.status_code == 200 and "Uw wachtwoord is gewijzigd" in goed.text
        assert laptop.get("/beheer", follow_redirects=False).status_code == 200
        assert telefoon.get("/beheer", follow_redirects=False).status_code == 303
    with TestClient(app) as nieuw:
        assert _inloggen(nieuw, email).status_code == 401
        assert _inloggen(nieuw, email, "nieuwe lange zin").status_code == 303


def _een_organisatie(engine) -> str:
    from app.models import Organization

    with Session(engine) as s:
        return s.exec(select(Organization.id).order_by(Organization.name)).first()


def test_only_a_beheerder_manages_accounts_and_tokens(beheer_login, engine):
    assert beheer_login(engine, "medewerker").get("/beheer/accounts").status_code == 403
    browser = beheer_login(engine, "beheerder")
    pagina = browser.get("/beheer/accounts")
    assert pagina.status_code == 200 and "Nieuw account" in pagina.text
    csrf = _csrf(pagina.text)

    nieuw = f"nieuw-{uuid.uuid4().hex[:6]}@wijkracht.example"
    fout = browser.post("/beheer/accounts/gebruikers", data={
        "csrf": csrf, "gebruiker-email": nieuw, "gebruiker-naam": "Nieuw", "gebruiker-rol": "redacteur",
        "gebruiker-wachtwoord": WACHTWOORD})
    assert fout.status_code == 422 and "hoort bij een organisatie" in fout.text and f'value="{nieuw}"' in fout.text
    goed = browser.post("/beheer/accounts/gebruikers", data={
        "csrf": csrf, "gebruiker-email": nieuw, "gebruiker-naam": "Nieuw", "gebruiker-rol": "redacteur",
        "organisatie": _een_organisatie(engine), "gebruiker-wachtwoord": WACHTWOORD})
    assert goed.status_code == 200 and "De gebruiker is aangemaakt" in goed.text and nieuw in goed.text
    with TestClient(app) as ander:
        assert _inloggen(ander, nieuw).status_code == 303

    naam = f"koppeling-{uuid.uuid4().hex[:6]}"
    token = browser.post("/beheer/accounts/tokens", data={"csrf": csrf, "token-naam": naam,
                                                          "token-rol": "medewerker", "token-dagen": "30"})
    assert token.status_code == 201 and token.headers["cache-control"] == "no-store"
    geheim = re.search(r'<code class="token">(wkt_[^<]+)</code>', token.text).group(1)
    stats = "/api/v1/statistiek/vraagwijzer"
    with TestClient(app) as machine:
        assert machine.get(stats, headers={"authorization": f"Bearer {geheim}"}).status_code == 200
        with Session(engine) as s:
            t = s.exec(select(ApiToken).where(ApiToken.naam == naam)).one()
            assert t.token_hash == accounts.sha256(geheim)
            assert s.exec(select(Audit).where(Audit.object_id == t.id)).first() is not None
        weg = browser.post(f"/beheer/accounts/tokens/{t.id}/intrekken", data={"csrf": csrf})
        assert weg.status_code == 200 and "ingetrokken" in weg.text
        assert machine.get(stats, headers={"authorization": f"Bearer {geheim}"}).status_code == 401
    assert browser.post("/beheer/accounts/tokens", data={"csrf": "fout", "token-naam": "x",
                                                         "token-rol": "medewerker"}).status_code == 403


def test_a_medewerker_account_opens_the_staff_vraagwijzer_instead_of_the_shared_code(browser, engine):
    r = _inloggen(browser, _maak(engine, "medewerker"), terug="/medewerkers/vraagwijzer")
    assert r.headers["location"] == "/medewerkers/vraagwijzer"
    assert browser.get("/medewerkers/vraagwijzer").status_code == 200
    assert browser.get("/api/v1/statistiek/vraagwijzer").status_code == 200
    assert "/beheer/contact" in browser.get("/beheer").text  # the inbox is in the menu for medewerkers

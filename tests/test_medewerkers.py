"""The staff and KCC mode of the vraagwijzer (/medewerkers) through real HTTP on the seeded database."""
import html
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from app import hours
from app.config import get_settings
from app.models import Location, VraagwijzerTelling
from app.staff import COOKIE
from app.triage import LEEFTIJDEN, THEMAS, laad_regels

TOKEN = "test-medewerker-token"
LOGIN = "/medewerkers/inloggen"
PAGINA = "/medewerkers/vraagwijzer"
PRINT = "/medewerkers/vraagwijzer/verwijzing"
FOUT_CODE = "De toegangscode klopt niet. Vraag de code aan uw teamleider."
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SCHULDEN = {"stap": "uitslag", "gevaar": "nee", "themas": ["schulden"], "signalen": ["uitzetting"],
            "voor_wie": "mezelf", "leeftijd": "27-66", "haast": "nee", "postcode": "7551 AB"}


@pytest.fixture(autouse=True)
def zonder_cookies(client):
    """The client is shared with other test files: start and end logged out."""
    client.cookies.clear()
    yield
    client.cookies.clear()


@pytest.fixture
def ingelogd(client):
    r = client.post(LOGIN, data={"toegangscode": TOKEN}, follow_redirects=False)
    assert r.status_code == 303
    return client


def textarea(page: str) -> str:
    m = re.search(r'<textarea[^>]*id="verwijzing"[^>]*>(.*?)</textarea>', page, re.S)
    assert m, "geen verwijzing-textarea"
    return html.unescape(m.group(1))


def tekst(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def wijkentree_namen(session) -> list[str]:
    return [loc.name for loc in session.exec(select(Location).where(Location.is_wijkentree)).all()]


# --------------------------------------------------------------------------------------------- login


@pytest.mark.parametrize("url", [PAGINA, f"{PAGINA}?stap=uitslag&gevaar=nee&themas=taal", f"{PRINT}?gevaar=nee"])
def test_not_logged_in_goes_to_the_login_page(client, url):
    r = client.get(url, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == LOGIN


def test_login_page_has_one_password_field(client):
    r = client.get(LOGIN)
    assert r.status_code == 200
    assert 'type="password"' in r.text and 'name="toegangscode"' in r.text
    assert '<label class="label" for="toegangscode">Toegangscode</label>' in r.text
    form = re.search(r'<form action="/medewerkers/inloggen" method="post".*?</form>', r.text, re.S).group(0)
    assert len(re.findall(r"<input\b", form)) == 1
    assert "set-cookie" not in r.headers


def test_wrong_code_gives_401_with_the_error_and_no_cookie(client):
    r = client.post(LOGIN, data={"toegangscode": "raden-maar"}, follow_redirects=False)
    assert r.status_code == 401
    assert 'class="error-summary"' in r.text
    assert FOUT_CODE in html.unescape(r.text)
    assert 'href="#toegangscode"' in r.text and "input--error" in r.text
    assert "set-cookie" not in r.headers
    assert client.get(PAGINA, follow_redirects=False).status_code == 303


def test_empty_code_asks_to_fill_it_in(client):
    r = client.post(LOGIN, data={"toegangscode": "  "})
    assert r.status_code == 422
    assert "Vul de toegangscode in" in r.text
    assert "set-cookie" not in r.headers


def test_right_code_sets_a_safe_cookie_and_opens_the_page(client):
    r = client.post(LOGIN, data={"toegangscode": TOKEN}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == PAGINA
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert TOKEN not in cookie  # only an HMAC of the token
    attributen = {a.strip().split("=")[0].lower(): a.strip() for a in cookie.split(";")[1:]}
    assert "httponly" in attributen
    assert attributen["samesite"].lower() == "samesite=strict"
    assert attributen["path"] == "Path=/"
    assert "secure" not in attributen  # tests run on http
    assert r.headers["cache-control"] == "no-store"

    page = client.get(PAGINA)
    assert page.status_code == 200
    assert "Vraagwijzer voor medewerkers" in page.text
    # A logged-in staff member who opens the login page goes straight on.
    again = client.get(LOGIN, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == PAGINA


def test_the_cookie_also_opens_the_statistics(ingelogd):
    assert ingelogd.get("/api/v1/statistiek/vraagwijzer").status_code == 200


def test_cookie_is_secure_on_https(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "base_url", "https://wijkentree.example")
    r = client.post(LOGIN, data={"toegangscode": TOKEN}, follow_redirects=False)
    assert r.status_code == 303
    assert "secure" in [a.strip().lower() for a in r.headers["set-cookie"].split(";")]


def test_a_made_up_cookie_does_not_work(client):
    client.cookies.set(COOKIE, "0" * 64)
    assert client.get(PAGINA, follow_redirects=False).status_code == 303


def test_logout_clears_the_cookie(ingelogd):
    r = ingelogd.post("/medewerkers/uitloggen", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith(LOGIN)
    cookie = r.headers["set-cookie"].lower()
    assert cookie.startswith(f"{COOKIE}=") and ("max-age=0" in cookie or "expires=" in cookie)
    assert "path=/" in cookie
    assert ingelogd.get(PAGINA, follow_redirects=False).status_code == 303
    assert "U bent uitgelogd" in ingelogd.get(r.headers["location"]).text


def test_pages_are_switched_off_without_a_staff_token(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "staff_token", "")
    r = client.get(LOGIN)
    assert r.status_code == 403
    assert "staan uit" in r.text
    assert 'type="password"' not in r.text
    r = client.post(LOGIN, data={"toegangscode": TOKEN}, follow_redirects=False)
    assert r.status_code == 403
    assert "set-cookie" not in r.headers


# --------------------------------------------------------------------------------------------- the form


def test_one_page_with_all_questions_and_nothing_ticked(ingelogd):
    r = ingelogd.get(PAGINA)
    assert r.status_code == 200
    page = r.text
    # POST: the resident's own words never reach a URL.
    form = re.search(r'<form action="/medewerkers/vraagwijzer[^"]*" method="post".*?</form>', page, re.S).group(0)
    assert " checked" not in form and " selected" not in form  # no answer chosen in advance
    for code in ("ja", "nee"):
        assert f'name="gevaar" value="{code}"' in form and f'name="haast" value="{code}"' in form
    for code in THEMAS:
        assert f'name="themas" value="{code}"' in form
    assert "Iets anders" in form and ">Schulden<" in form and ">Eenzaamheid<" in form
    for code, uitleg in laad_regels().signalen.items():
        assert f'name="signalen" value="{code}"' in form
        assert uitleg in html.unescape(form)
    for code in ("mezelf", "kind", "ander"):
        assert f'name="voor_wie" value="{code}"' in form
    for band in LEEFTIJDEN:
        assert f'<option value="{band}"' in form
    # One free-text field, for the resident's own words: read for suggestions, never stored.
    assert re.findall(r'<textarea[^>]*name="(\w+)"', form) == ["woorden"]
    assert "wordt niet bewaard" in form
    text_inputs = re.findall(r'<input[^>]*type="(?:text|search)"[^>]*>', form)
    assert len(text_inputs) == 1 and 'name="postcode"' in text_inputs[0]
    assert 'id="uitslag"' not in page  # nothing answered yet


def test_the_form_gives_route_referral_wijkentrees_and_light_help(ingelogd, session):
    r = ingelogd.get(PAGINA, params=SCHULDEN)
    assert r.status_code == 200
    page, woorden = r.text, tekst(r.text)
    api = ingelogd.post("/api/v1/vraagwijzer", json={
        "gevaar": False, "themas": ["schulden"], "signalen": ["uitzetting"], "leeftijd": 40, "postcode": "7551 AB",
    }).json()
    naam = api["wijkentree"]["name"]

    assert "Schuldhulpverlening" in woorden
    assert "Gemeente: een team van de gemeente" in woorden
    assert api["uitleg"] in woorden

    verwijzing = textarea(page)
    assert re.search(r'<textarea[^>]*\breadonly\b', page)
    assert verwijzing.startswith("Verwijzing:")
    assert naam in verwijzing
    assert "Meenemen:" in verwijzing and "Bankafschriften" in verwijzing
    assert api["wijkentree"]["openingstijden"] in verwijzing

    # The nearest wijkentree with distance and opening status, then every wijkentree to choose from.
    uitslag = page[page.index('id="uitslag"'):]
    assert "(dichtstbij)" in tekst(uitslag)
    assert re.search(r"Afstand: ongeveer [\d,.]+ (km|meter) van de postcode", tekst(uitslag))
    lijst = uitslag[uitslag.index('id="wijkentrees"'):uitslag.index('id="suggesties"')]
    namen = wijkentree_namen(session)
    assert len(namen) >= 2
    for n in namen:
        assert html.escape(n) in lijst or n in html.unescape(lijst)
    assert lijst.count('class="result"') == len(namen)
    # Every wijkentree says how far it is, or that it is not on the map (yet).
    assert len(re.findall(r"(km|meter) van de postcode|Afstand onbekend", lijst)) == len(namen)
    assert re.search(r"(km|meter) van de postcode", lijst)
    assert lijst.count("Staat in de verwijzing") == 1
    assert len(re.findall(r"voor de verwijzing</a>", lijst)) == len(namen) - 1

    # Light help nearby: the suggestions of the API, lightest first.
    licht = uitslag[uitslag.index('id="suggesties"'):]
    assert 2 <= licht.count('class="result"') <= 5
    for s in api["suggesties"]:
        assert s["name"] in html.unescape(licht)

    assert f'href="{PRINT}?' in page
    assert "gratis" not in woorden.lower()


def test_choosing_another_wijkentree_changes_the_referral(ingelogd, session):
    page = ingelogd.get(PAGINA, params=SCHULDEN).text
    links = re.findall(r'<a href="(/medewerkers/vraagwijzer\?s=[^"#]*)#verwijzing-titel">Kies (.*?) voor de verwijzing</a>',
                       page)
    assert links
    url, naam = html.unescape(links[0][0]), html.unescape(links[0][1])
    r = ingelogd.get(url)
    assert r.status_code == 200
    assert naam in textarea(r.text)
    assert f"Wijkentree: {naam}," in textarea(r.text)
    # The print sheet follows the choice.
    print_url = html.unescape(re.search(rf'href="({PRINT}\?[^"]*)"', r.text).group(1))
    assert naam in tekst(ingelogd.get(print_url).text)


def test_unknown_wijkentree_choice_is_an_error(ingelogd):
    r = ingelogd.get(PAGINA, params=SCHULDEN | {"stap": "kies", "wijkentree": "bestaat-niet"})
    assert r.status_code == 422
    assert "Deze wijkentree kennen we niet" in r.text


def test_print_sheet(ingelogd):
    page = ingelogd.get(PAGINA, params=SCHULDEN).text
    url = html.unescape(re.search(rf'href="({PRINT}\?[^"]*)"', page).group(1))
    r = ingelogd.get(url)
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    woorden = tekst(r.text)
    for regel in textarea(page).splitlines():
        assert regel in woorden
    for nodig in ("Wat neemt u mee?", "Bankafschriften", "14 074", "112", "0800-0113", "0800-2000",
                  "Schuldhulpverlening", "De wijkentree"):
        assert nodig in woorden
    assert "<form" not in r.text.split('id="inhoud"')[1]  # a sheet, no form
    assert f'href="{PAGINA}?' in r.text  # back to the page


def test_danger_shows_the_emergency_numbers_first(ingelogd):
    r = ingelogd.get(PAGINA, params=SCHULDEN | {"gevaar": "ja"})
    assert r.status_code == 200
    uitslag = r.text[r.text.index('id="uitslag"'):]
    nood = uitslag[uitslag.index("notice--danger"):uitslag.index("</div>", uitslag.index("notice--danger"))]
    for nummer in ("112", "0800-0113", "0800-2000"):
        assert f'href="tel:{nummer}"' in nood
    assert uitslag.index("notice--danger") < uitslag.index('id="verwijzing"')
    assert "Spoed" in tekst(uitslag)
    assert 'id="wijkentrees"' not in uitslag and 'id="suggesties"' not in uitslag
    assert textarea(r.text).startswith("Verwijzing:") and "112" in textarea(r.text)
    sheet = ingelogd.get(PRINT, params=SCHULDEN | {"gevaar": "ja", "stap": "print"})
    assert sheet.status_code == 200 and "Er is nu gevaar" in sheet.text


def test_bad_postcode_shows_the_error_on_the_page_and_keeps_the_answers(ingelogd):
    r = ingelogd.get(PAGINA, params=SCHULDEN | {"postcode": "ABCD"})
    assert r.status_code == 422
    assert 'class="error-summary"' in r.text
    assert '<a href="#postcode">Dit is geen postcode.' in r.text
    assert 'id="postcode-fout"' in r.text and 'value="ABCD"' in r.text
    assert re.search(r'value="schulden" checked', r.text)
    assert re.search(r'value="uitzetting" checked', r.text)
    assert re.search(r'<option value="27-66" selected', r.text)
    assert 'id="uitslag"' not in r.text


def test_postcode_outside_hengelo_is_explained(ingelogd):
    r = ingelogd.get(PAGINA, params=SCHULDEN | {"postcode": "1012 AB"})
    assert r.status_code == 422
    assert "ligt niet in Hengelo" in r.text


@pytest.mark.parametrize(("wijziging", "melding"), [
    ({"gevaar": ""}, "Kies of er nu gevaar is"),
    ({"themas": ["bestaatniet"]}, "Het thema &#39;bestaatniet&#39; kennen we niet"),
    ({"signalen": ["onzin"]}, "Het signaal &#39;onzin&#39; kennen we niet"),
    ({"voor_wie": "buurman"}, "Kies voor wie de vraag is"),
    ({"leeftijd": "300"}, "Kies een leeftijd uit de lijst"),
    ({"haast": "misschien"}, "Kies of de inwoner deze week hulp nodig heeft"),
])
def test_wrong_values_give_a_dutch_error_per_field(ingelogd, wijziging, melding):
    r = ingelogd.get(PAGINA, params=SCHULDEN | wijziging)
    assert r.status_code == 422
    summary = r.text[r.text.index('class="error-summary"'):r.text.index("</div>", r.text.index("error-summary"))]
    assert melding in summary
    anker = re.search(r'<a href="#([^"]+)"', summary).group(1)
    assert f'id="{anker}"' in r.text


# --------------------------------------------------------------------------------------------- counts


def test_a_completed_questionnaire_is_counted_once_without_the_postcode(ingelogd, session):
    week = "{}-W{:02d}".format(*datetime.now(hours.TZ).date().isocalendar()[:2])
    wijk = ingelogd.get("/api/v1/postcodes/7557").json()["wijk"]["code"]
    antwoorden = SCHULDEN | {"themas": ["wonen", "gezondheid"], "signalen": [], "postcode": "7557"}

    def aantallen() -> dict:
        session.expire_all()
        return {(r.thema, r.wijk_code, r.route): r.aantal
                for r in session.exec(select(VraagwijzerTelling).where(VraagwijzerTelling.week == week))}

    voor = aantallen()
    page = ingelogd.post(PAGINA, data={k: v for k, v in antwoorden.items() if k != "stap"}).text
    na = aantallen()
    veranderd = {k for k in na if na[k] != voor.get(k)}
    assert veranderd == {("wonen", wijk, "wijkentree"), ("gezondheid", wijk, "wijkentree")}
    assert na[("wonen", wijk, "wijkentree")] == voor.get(("wonen", wijk, "wijkentree"), 0) + 1

    # Choosing another wijkentree, printing, the empty form and a wrong answer are not counted again.
    kies = html.unescape(re.search(r'href="(/medewerkers/vraagwijzer\?s=[^"#]*)#verwijzing-titel"', page).group(1))
    ingelogd.get(kies)
    ingelogd.get(html.unescape(re.search(rf'href="({PRINT}\?[^"]*)"', page).group(1)))
    ingelogd.get(PAGINA)
    ingelogd.get(PAGINA, params=antwoorden)  # a reload or a bookmark of the result: a GET never counts
    ingelogd.post(PAGINA, data={k: v for k, v in antwoorden.items() if k != "stap"} | {"postcode": "ABCD"})
    assert aantallen() == na

    for _, wijk_code, _ in na:
        assert not re.fullmatch(r"\d{4}.*", wijk_code)
    assert "7557" not in str(na)


# --------------------------------------------------------------------------------------------- security


def test_templates_have_no_inline_script_or_style():
    bestanden = sorted(TEMPLATES.glob("medewerkers_*.html"))
    assert len(bestanden) >= 3
    for pad in bestanden:
        inhoud = pad.read_text(encoding="utf-8")
        # Scripts only from static files (progressive enhancement), never inline.
        assert all(re.match(r'<script src="\{\{ static\(\'js/[\w-]+\.js\'\) \}\}"></script>', m)
                   for m in re.findall(r"<script[^>]*>(?:</script>)?", inhoud, re.I)), pad.name
        assert "<style" not in inhoud.lower(), pad.name
        assert not re.search(r"\sstyle\s*=", inhoud, re.I), pad.name
        assert not re.search(r"\son[a-z]+\s*=", inhoud, re.I), pad.name  # onclick= and friends
        assert "javascript:" not in inhoud.lower(), pad.name


def test_staff_pages_send_the_strict_csp_and_are_not_cached(client):
    anoniem = client.get(LOGIN)
    client.post(LOGIN, data={"toegangscode": TOKEN})
    for r in (anoniem, client.get(PAGINA), client.get(PAGINA, params=SCHULDEN),
              client.get(PRINT, params=SCHULDEN)):
        assert r.status_code == 200, r.url
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert r.headers["cache-control"] == "no-store"
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/js/)", r.text), r.url
        assert "<style" not in r.text and " style=" not in r.text
        assert '<meta name="robots" content="noindex, nofollow">' in r.text


def test_forms_only_post_to_ourselves(ingelogd):
    page = ingelogd.get(PAGINA, params=SCHULDEN).text
    for action in re.findall(r'<form[^>]*action="([^"]+)"', page):
        assert urlsplit(action).netloc == ""
    assert 'action="/medewerkers/uitloggen" method="post"' in page


# --------------------------------------------------------------------------------------------- landing, own words


def test_medewerkers_lands_on_the_vraagwijzer_or_the_login(client):
    r = client.get("/medewerkers", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == LOGIN
    client.post(LOGIN, data={"toegangscode": TOKEN})
    r = client.get("/medewerkers", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == PAGINA


def test_post_gives_the_result_with_the_reasons_folded_away_and_a_copy_button(ingelogd):
    r = ingelogd.post(PAGINA, data={k: v for k, v in SCHULDEN.items() if k != "stap"}, follow_redirects=False)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert textarea(r.text).startswith("Verwijzing:")
    waarom = re.search(r"<details>\s*<summary>Waarom dit advies</summary>(.*?)</details>", r.text, re.S)
    assert waarom and "Regels:" in waarom.group(1) and "Bronnen:" in waarom.group(1)
    assert "Regels:" not in r.text.replace(waarom.group(0), "")
    assert re.search(r'<button[^>]*data-kopieer="verwijzing" hidden>Kopieer de verwijzing</button>', r.text)
    assert '/static/js/kopieer.js' in r.text


@pytest.mark.parametrize("woorden, alarm, lijn", [
    ("ze zegt: ik wil niet meer leven", "zelfdoding", "tel:0800-0113"),
    ("ze zegt: ik zie het niet meer zitten", "zelfdoding", "tel:0800-0113"),
    ("mijn man slaat mij", "geweld", "tel:0800-2000"),
])
def test_own_words_show_the_alarm_at_the_top_and_are_never_stored(ingelogd, engine, woorden, alarm, lijn):
    data = {"gevaar": "nee", "themas": ["schulden"], "woorden": woorden + " kwispel-4411"}
    r = ingelogd.post(PAGINA, data=data, follow_redirects=False)
    assert r.status_code == 200
    uitslag = r.text.split('id="uitslag"')[1]
    assert f'id="alarm-{alarm}"' in uitslag and lijn in uitslag
    assert uitslag.index(f'id="alarm-{alarm}"') < uitslag.index("Route")
    assert f">{woorden} kwispel-4411</textarea>" in r.text  # still in the field, for this answer only
    assert "kwispel" not in textarea(r.text)
    for url in re.findall(r'href="([^"]+)"', r.text):
        assert "kwispel" not in url and "woorden" not in url
    from sqlalchemy import inspect, text
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                assert "kwispel" not in " ".join(str(v) for v in row)


def test_own_words_suggest_themes_and_signals_without_ticking_them(ingelogd):
    r = ingelogd.post(PAGINA, data={"gevaar": "nee", "woorden": "ik heb een brief over uitzetting gekregen"})
    assert "Herkend in de woorden:" in r.text
    assert re.search(r'id="signaal-uitzetting"[^>]*aria-describedby="signaal-uitzetting-hint"', r.text)
    assert 'id="signaal-uitzetting" name="signalen" value="uitzetting" checked' not in r.text
    assert 'value="uitzetting" checked' not in r.text


def test_links_on_the_result_carry_the_answers_only_in_a_token(ingelogd):
    page = ingelogd.post(PAGINA, data={k: v for k, v in SCHULDEN.items() if k != "stap"}).text
    links = [html.unescape(u) for u in re.findall(r'href="(/medewerkers/[^"]*\?[^"]*)"', page)]
    assert any(u.startswith(PRINT) for u in links) and any("#verwijzing-titel" in u for u in links)
    for url in links:
        query = urlsplit(url).query
        assert query.startswith("s=") and "&" not in query, url
        for code in ("schulden", "uitzetting", "mezelf", "7551", "gevaar", "themas"):
            assert code not in query.lower(), url
    sheet = ingelogd.get(next(u for u in links if u.startswith(PRINT)))
    assert sheet.status_code == 200 and "Schuldhulpverlening" in sheet.text
    # A changed token opens the empty form, never an error page.
    kapot = ingelogd.get(PAGINA, params={"s": "kapot"})
    assert kapot.status_code == 200 and 'id="uitslag"' not in kapot.text


def test_an_expired_staff_link_says_so_and_opens_the_empty_form(ingelogd):
    r = ingelogd.get(PAGINA, params={"s": "verlopen-of-veranderd"})
    assert r.status_code == 200 and "Deze link is verlopen" in r.text
    assert "Deze link is verlopen" not in ingelogd.get(PAGINA).text

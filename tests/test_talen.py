"""The interface language (app/taal.py): how a request gets its language, what the page says about it, and that
staff pages and the API stay Dutch. Each test has a client of its own: the language cookie must not leak into the
session-wide `client` the other tests share."""
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from app.errors import STANDAARD_MELDINGEN
from app.taal import TALEN, kies
from tests.talen_hulp import html_tag


@pytest.mark.parametrize(("lang", "cookie", "accept", "verwacht"), [
    (None, None, None, "nl"),
    ("en", None, "tr", "en"),
    ("xx", "pl", "tr", "pl"),  # an unknown ?lang= is ignored, the remembered choice counts
    (None, None, "ar-SY,ar;q=0.9,en;q=0.5", "ar"),
    (None, None, "en-GB,en;q=0.8", "en"),
    (None, None, "uk-UA", "uk"),
    (None, None, "de-DE,fr;q=0.5", "nl"),  # no language we have: Dutch
    (None, "ti", "en", "ti"),
])
def test_the_language_comes_from_lang_then_cookie_then_the_browser(lang, cookie, accept, verwacht):
    assert kies(lang, cookie, accept) == verwacht


def test_lang_sets_html_lang_dir_and_a_cookie_that_is_remembered(eigen):
    r = eigen.get("/zoeken?q=schulden&lang=ar")
    assert r.status_code == 200
    assert html_tag(r.text) == '<html lang="ar" dir="rtl">'
    assert "taal=ar" in r.headers["set-cookie"] and "SameSite=Lax" in r.headers["set-cookie"]
    assert r.headers["content-language"] == "ar"
    # The next page, without ?lang=, is still Arabic: the cookie remembers it.
    assert html_tag(eigen.get("/wijken").text) == '<html lang="ar" dir="rtl">'
    assert html_tag(eigen.get("/?lang=nl").text) == '<html lang="nl" dir="ltr">'


def test_accept_language_is_the_first_guess_without_a_cookie(eigen):
    r = eigen.get("/", headers={"accept-language": "tr-TR,tr;q=0.9"})
    assert html_tag(r.text) == '<html lang="tr" dir="ltr">'
    assert "set-cookie" not in r.headers or "taal=" not in r.headers["set-cookie"]
    assert "Accept-Language" in r.headers["vary"]


def test_the_switch_keeps_the_page_and_its_query_and_names_each_language_in_itself(eigen):
    page = eigen.get("/zoeken?q=eenzaam&thema=eenzaamheid").text
    switch = re.search(r'<nav class="talen".*?</nav>', page, re.S).group(0)
    for code, taal in TALEN.items():
        assert (f'<a href="/zoeken?q=eenzaam&amp;thema=eenzaamheid&amp;lang={code}" lang="{code}" '
                f'hreflang="{code}" dir="{taal.richting}"') in switch
        assert taal.naam in switch
        assert (f'<link rel="alternate" hreflang="{code}" '
                f'href="http://127.0.0.1:8000/zoeken?q=eenzaam&amp;thema=eenzaamheid&amp;lang={code}">') in page
    assert 'lang="nl" hreflang="nl" dir="ltr" aria-current="true"' in switch


@pytest.mark.parametrize("pad", ["/beheer/inloggen", "/medewerkers/inloggen"])
def test_staff_pages_stay_dutch_and_have_no_switch(eigen, pad):
    r = eigen.get(pad + "?lang=en", follow_redirects=True)
    assert html_tag(r.text) == '<html lang="nl" dir="ltr">'
    assert 'class="talen"' not in r.text


def test_the_api_stays_dutch_whatever_the_cookie(eigen):
    eigen.get("/?lang=en")
    r = eigen.get("/api/v1/bestaat-niet")
    assert r.status_code == 404 and "content-language" not in r.headers
    assert r.json() == {"detail": STANDAARD_MELDINGEN[404]}


def test_the_switch_on_a_step_with_an_error_keeps_the_answers_so_far(eigen):
    volgende = eigen.post("/vraagwijzer", data={"gevaar": "nee", "s": ""}, follow_redirects=False)
    assert volgende.status_code == 303
    token = parse_qs(urlsplit(volgende.headers["location"]).query)["s"][0]
    fout = eigen.post("/vraagwijzer/onderwerp", data={"s": token, "vraag": ""})
    assert fout.status_code == 422
    switch = re.search(r'<nav class="talen".*?</nav>', fout.text, re.S).group(0)
    href = html.unescape(re.search(r'href="([^"]+)" lang="en"', switch).group(1))
    assert urlsplit(href).path == "/vraagwijzer/onderwerp" and parse_qs(urlsplit(href).query)["lang"] == ["en"]
    # The same step in English, with the answer to the danger question still there (not the first step again).
    stap = eigen.get(href)
    assert stap.status_code == 200 and html_tag(stap.text) == '<html lang="en" dir="ltr">'
    assert 'name="thema"' in stap.text

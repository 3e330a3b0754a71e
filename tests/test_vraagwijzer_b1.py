"""B1 language on every page of the resident's vraagwijzer: each step, the emergency page, the theme
suggestion and the result for every route. Same check as tests/test_b1.py: Flesch-Douma >= 60 and no
jargon without its explanation (rules in tests/b1.py).

A result page has three kinds of text: the template's, the rule's (`uitleg`, from app/rules/vraagwijzer.yaml)
and, under "Ook in de buurt", the listings (names, addresses and descriptions from the source data). The
page without the listings must always pass: that is the text this questionnaire controls. If only the
listings pull the whole page under 60, the test is marked xfail with the numbers, so the data can be fixed
without hiding the problem. A failure message gives the score of the rule text on its own too.
"""
import re
from urllib.parse import parse_qs

import pytest

from app import vraagtoken
from app.triage import Antwoorden, advies
from tests.b1 import flesch_douma, jargon_problems, sentences, visible_text, words

MIN_SCORE = 60


def url(path: str, query: str) -> str:
    """A step's URL with these answers ("gevaar=nee&thema=schulden") in the token, as the steps make it."""
    return f"{path}?s={vraagtoken.maak(parse_qs(query))}"


ANSWERS = "gevaar=nee&thema=schulden&voor_wie=mezelf&haast=ja"

STEPS = {
    "1 gevaar": "/vraagwijzer",
    "2 onderwerp": url("/vraagwijzer/onderwerp", "gevaar=nee"),
    "2 onderwerp, suggestie": url("/vraagwijzer/onderwerp", "gevaar=nee&suggestie=schulden&suggestie=geld"),
    "3 voor wie": url("/vraagwijzer/voor-wie", "gevaar=nee&thema=schulden"),
    "4 haast": url("/vraagwijzer/haast", "gevaar=nee&thema=schulden&voor_wie=mezelf"),
    "5 postcode": url("/vraagwijzer/postcode", ANSWERS),
    "spoed": "/vraagwijzer/spoed",
    "opnieuw": "/vraagwijzer?opnieuw=1",
}

# (route soort, theme and signal part of the query): one result page per route.
ROUTES = {
    "sociale_basis": ("sociale_basis", "thema=eenzaamheid"),
    "wijkentree": ("wijkentree", "thema=opvoeden"),
    "gemeente": ("gemeente", "thema=schulden&signaal=uitzetting"),
    "maatwerk": ("maatwerk", "signaal=huishoudelijke_hulp"),
    "spoed (own words after the safety page)": ("spoed", "thema=anders&signaal=zelfdoding"),
}
# Every theme a resident can tick in step 2 gets its own result page too.
THEMES = ["opvoeden", "schulden", "geld", "eenzaamheid", "werk", "verslaving", "wonen", "gezondheid", "mantelzorg",
          "anders"]


def result_url(keuze: str) -> str:
    return url("/vraagwijzer/uitslag", f"gevaar=nee&{keuze}&voor_wie=mezelf&haast=nee&postcode=7551+AB")


def antwoorden(keuze: str) -> Antwoorden:
    params = [p.split("=") for p in keuze.split("&")]
    return Antwoorden(gevaar=False, themas=tuple(v for k, v in params if k == "thema"), voor_wie="mezelf",
                      haast=False, signalen=frozenset(v for k, v in params if k == "signaal"))


def report(path: str, text: str, score: float, note: str = "") -> str:
    return (f"{path}: Flesch-Douma {score:.1f} < {MIN_SCORE} ({len(words(text))} words, "
            f"{len(sentences(text))} sentences).{note} Longest sentences: "
            + " | ".join(sorted(sentences(text), key=lambda s: -len(words(s)))[:3]))


def check_b1(client, path: str, record_property, note: str = "") -> None:
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    text = visible_text(response.text)
    score = flesch_douma(text)
    record_property("flesch_douma", round(score, 1))
    problems = jargon_problems(text)
    lines = [line for line in text.split("\n") if any(term in line.lower() for term in problems)]
    assert not problems, f"{path} uses {problems} without explaining it: {lines}"

    listings = re.compile(r'<ol class="results">.*?</ol>', re.S)
    if listings.search(response.text):
        own_text = visible_text(listings.sub("", response.text))
        own = flesch_douma(own_text)
        record_property("flesch_douma_without_listings", round(own, 1))
        assert own >= MIN_SCORE, report(path + " (without the listings)", own_text, own, note)
        if score < MIN_SCORE:
            pytest.xfail(f"only the listings under 'Ook in de buurt' pull the page down: {score:.1f} with them, "
                         f"{own:.1f} without. " + report(path, text, score))
    assert score >= MIN_SCORE, report(path, text, score, note)


@pytest.mark.parametrize("path", list(STEPS.values()), ids=list(STEPS))
def test_steps_are_plain_dutch(client, path, record_property):
    check_b1(client, path, record_property)


def test_step_with_an_error_is_plain_dutch(client, record_property):
    """The error summary and message are for residents too."""
    response = client.post("/vraagwijzer/postcode",
                           data={"s": vraagtoken.maak(parse_qs("gevaar=nee&thema=schulden")), "postcode": "12"})
    assert response.status_code == 422
    text = visible_text(response.text)
    assert "Er klopt iets niet" in text
    assert not jargon_problems(text)
    score = flesch_douma(text)
    record_property("flesch_douma", round(score, 1))
    assert score >= MIN_SCORE, report("step 5 with an error", text, score)


def _check_result(client, keuze: str, record_property, soort: str | None = None) -> None:
    a = advies(antwoorden(keuze))
    if soort:
        assert a.soort == soort, f"{keuze} gives route {a.soort} (rules {a.regels}), not {soort}"
    note = (f" Route {a.soort}, rules {list(a.regels)}; the rule text (uitleg) alone scores "
            f"{flesch_douma(a.uitleg):.1f}.")
    check_b1(client, result_url(keuze), record_property, note)


@pytest.mark.parametrize("soort, keuze", list(ROUTES.values()), ids=list(ROUTES))
def test_result_for_every_route_is_plain_dutch(client, soort, keuze, record_property):
    _check_result(client, keuze, record_property, soort)


@pytest.mark.parametrize("thema", THEMES)
def test_result_for_every_theme_is_plain_dutch(client, thema, record_property):
    _check_result(client, f"thema={thema}", record_property)


def test_result_without_postcode_is_plain_dutch(client, record_property):
    check_b1(client, url("/vraagwijzer/uitslag", "gevaar=nee&thema=schulden&voor_wie=ander&haast=ja"), record_property)


def _onderwerp(client, data: dict):
    return client.post("/vraagwijzer/onderwerp", data={"s": vraagtoken.maak({"gevaar": ["nee"]}), **data})


@pytest.mark.parametrize("vraag", ["Ik heb vervoer nodig", "Ik ben oud"])
def test_suggestion_question_always_names_a_theme(client, vraag):
    response = _onderwerp(client, {"vraag": vraag})
    assert response.status_code == 200
    title = re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S).group(1)
    assert title != "Gaat uw vraag over ?", f"{vraag!r} gives the question {title!r}"
    assert "Dit lezen we in uw woorden" in response.text, f"{vraag!r}: no suggested theme to choose"


@pytest.mark.parametrize("vraag", ["ik wil niet meer leven", "mijn man slaat mij", "ik heb vannacht geen slaapplek",
                                   "mijn kind is thuis niet veilig"])
def test_safety_page_is_plain_dutch(client, vraag, record_property):
    response = _onderwerp(client, {"vraag": vraag})
    assert response.status_code == 200 and "Verder met de vraagwijzer" in response.text
    text = visible_text(response.text)
    assert not jargon_problems(text)
    score = flesch_douma(text)
    record_property("flesch_douma", round(score, 1))
    assert score >= MIN_SCORE, report(f"safety page for {vraag!r}", text, score)

"""B1 language on the resident pages: a Dutch readability score (Flesch-Douma >= 60) and no unexplained
jargon. The rules and how we count are in tests/b1.py."""
import pytest

from tests.b1 import (
    JARGON,
    flesch_douma,
    jargon_problems,
    jargon_used,
    sentences,
    syllables,
    visible_blocks,
    visible_text,
    words,
)

RESIDENT_PAGES = {
    "home": "/",
    "zoeken": "/zoeken?q=schulden",
    "locatie": "/locaties/mfa-t-berflo",
    "wijken": "/wijken",
    "wijk": "/wijken/berflo-es",
    "over": "/over",
    "404": "/bestaat-niet",
}
# Pages that are not in the list above but that residents see too: checked for jargon only.
MORE_PAGES = ["/zoeken?q=xyzzyqq", "/zoeken?q=geld&postcode=12", "/wijken/berflo-es/folder",
              "/locaties/de-luisterlijn", "/locaties/gemeente-hengelo-stadhuis"]
MIN_SCORE = 60


# ---------- the helper itself ----------

@pytest.mark.parametrize("word, expected", [
    ("hulp", 1), ("zoeken", 2), ("ouderen", 3), ("gezondheid", 3), ("eenzaamheid", 3), ("wijkentree", 3),
    ("leeuw", 1), ("nieuw", 1), ("groei", 1), ("theater", 3), ("idee", 2), ("cliënten", 3), ("reünie", 3),
    ("beantwoord", 3), ("Hengelo", 3), ("bijvoorbeeld", 3), ("BSO", 1), ("t", 1),
])
def test_dutch_syllables(word, expected):
    assert syllables(word) == expected


def test_flesch_douma_formula():
    text = "Ik bel de buurt. Hij komt snel."  # 7 words, 2 sentences, 8 syllables (buurt, komt: 1)
    assert words(text) == ["Ik", "bel", "de", "buurt", "Hij", "komt", "snel"]
    assert len(sentences(text)) == 2
    expected = 206.835 - 0.93 * (7 / 2) - 77 * (7 / 7)
    assert flesch_douma(text) == pytest.approx(expected)
    long_words = "Maatschappelijke ondersteuningsvoorzieningen worden geïndiceerd door gemeentelijke consulenten."
    assert flesch_douma(long_words) < 0 < MIN_SCORE < flesch_douma(text)


def test_visible_text_skips_what_nobody_reads():
    html = """<html><head><title>Titel</title><style>p{}</style></head><body>
      <script src="x.js"></script><h1>Kop</h1><p>Een <strong>korte</strong> zin.<br>Tweede regel</p>
      <span aria-hidden="true">🏠</span><div hidden>Verborgen</div><code>GET /api</code>
      <ul><li>Een</li><li>Twee</li></ul><a href="/api/v1/docs">Open data (API)</a>
      <p data-b1-skip>Voor ontwikkelaars</p><svg><title>Icoon</title></svg></body></html>"""
    assert visible_blocks(html) == ["Kop", "Een korte zin.", "Tweede regel", "Een", "Twee"]
    # Web addresses, e-mail addresses and numbers are not words.
    assert words("Bel 074-245 88 08 of mail info@berflo-hengelo.nl, zie www.berflo-hengelo.nl/over.") == \
        ["Bel", "of", "mail", "zie"]


def test_jargon_rule():
    assert jargon_problems("Hulp zonder indicatie.") == ["indicatie"]
    assert jargon_problems("Hulp zonder indicatie. De gemeente besluit eerst. Dat besluit heet een indicatie.") == []
    assert jargon_used("Een maatwerkvoorziening van de Wmo.") == ["maatwerkvoorziening", "maatwerk", "wmo"]
    assert jargon_used("Is het gebouw toegankelijk?") == []  # "toegankelijk" is not "toegang"
    assert jargon_used("Cliëntenraad Minima en WMO Hengelo") == []  # a name, not jargon
    assert set(JARGON) >= {"indicatie", "maatwerkvoorziening", "basisondersteuning", "triage", "maatwerk",
                           "wmo", "sociale basis", "toegang", "voorliggend"}


# ---------- the pages ----------

@pytest.mark.parametrize("name, path", list(RESIDENT_PAGES.items()), ids=list(RESIDENT_PAGES))
def test_readability(client, name, path, record_property):
    response = client.get(path)
    assert response.status_code == (404 if name == "404" else 200)
    text = visible_text(response.text)
    score = flesch_douma(text)
    record_property("flesch_douma", round(score, 1))
    assert score >= MIN_SCORE, (
        f"{path}: Flesch-Douma {score:.1f} < {MIN_SCORE} ({len(words(text))} words, "
        f"{len(sentences(text))} sentences). Longest sentences: "
        + " | ".join(sorted(sentences(text), key=lambda s: -len(words(s)))[:3])
    )


@pytest.mark.parametrize("path", list(RESIDENT_PAGES.values()) + MORE_PAGES)
def test_jargon_is_explained(client, path):
    text = visible_text(client.get(path).text)
    problems = jargon_problems(text)
    lines = [line for line in text.split("\n") if any(term in line.lower() for term in problems)]
    assert not problems, f"{path} uses {problems} without explaining it: {lines}"


def test_search_explains_indicatie(client):
    """The "Soort hulp" filter says "zonder/met indicatie"; the hint explains the word."""
    text = visible_text(client.get("/zoeken?q=schulden").text)
    assert "indicatie" in jargon_used(text)
    assert "Dat besluit heet een indicatie." in text


def test_every_location_page_explains_its_hard_words(client):
    """The listings' own texts may use words like 'Wmo'; the page then says what they mean."""
    slugs = [loc["slug"] for loc in client.get("/api/v1/locations", params={"per_page": 100}).json()["contents"]]
    assert len(slugs) > 60
    problems = {}
    for slug in slugs:
        found = jargon_problems(visible_text(client.get(f"/locaties/{slug}").text))
        if found:
            problems[slug] = found
    assert not problems

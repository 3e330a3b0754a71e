"""The vraagwijzer and the emergency pages in another language (issue 14, safety first): every step and result
renders in the chosen language with the right lang and dir, the emergency lines stay tap-to-call numbers in every
language, an error stays next to its field, and with a catalogue the texts of the rules files (advice, lines,
alarms) and the ones made in Python (labels, errors) come out translated, while the API and the staff's
verwijzing stay Dutch. The own-words step says, in another language, that words are read in Dutch.

Each test has a client of its own: the language cookie must not leak into the session-wide `client`."""
import re
from urllib.parse import unquote

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from fastapi.testclient import TestClient

from app import taal
from app.seed import load_taxonomies
from app.triage import LEEFTIJD_LABELS, Antwoorden, advies, laad_regels, spoedlijnen
from app.veiligheid import regels
from app.vertalingen import sjabloon
from tests.talen_hulp import html_tag

LIJNEN = ("112", "0800-0113", "0800-2000")


@pytest.fixture
def catalogus(tmp_path, monkeypatch):
    """Writes a catalogue for English of its own (msgid -> translation) and points the app at it."""
    def schrijf(vertalingen: dict[str, str]) -> None:
        catalog = Catalog(locale="en")
        for msgid, msgstr in vertalingen.items():
            catalog.add(msgid, msgstr)
        pad = tmp_path / "en" / "LC_MESSAGES" / "messages.po"
        pad.parent.mkdir(parents=True, exist_ok=True)
        with pad.open("wb") as f:
            write_po(f, catalog)
        taal._catalogus.cache_clear()

    monkeypatch.setattr(taal, "LOCALE_DIR", tmp_path)
    yield schrijf
    monkeypatch.undo()
    taal._catalogus.cache_clear()  # the real catalogues again for the tests after this one


def groep(page: str, merk: str) -> int:
    """Where the form group (a fieldset or div with class form-group) that holds `merk` begins."""
    return page.rindex('class="form-group', 0, page.index(merk))


def token(page: str) -> str:
    return re.search(r'name="s" value="([^"]+)"', page).group(1)


def verder(c: TestClient, stap: str, data: dict, s: str = ""):
    """One answer, as the form sends it (no ?lang=: the cookie keeps the language), and the page it leads to."""
    r = c.post("/vraagwijzer" if stap == "gevaar" else f"/vraagwijzer/{stap}", data={**data, **({"s": s} if s else {})})
    assert r.status_code == 200, (stap, data, r.status_code)
    return r


def naar_stap(c: TestClient, lang: str, stap: str) -> str:
    """The token with which `stap` opens, the answers before it given."""
    c.get(f"/vraagwijzer?lang={lang}")
    antwoorden = [("gevaar", {"gevaar": "nee"}), ("onderwerp", {"thema": "schulden"}),
                  ("voor-wie", {"voor_wie": "ander", "leeftijd": "67+"}), ("haast", {"haast": "ja"})]
    s = ""
    for naam, data in antwoorden:
        if naam == stap:
            break
        s = token(verder(c, naam, data, s).text)
    return s


@pytest.mark.parametrize(("lang", "richting"), [("en", "ltr"), ("ar", "rtl")])
def test_every_step_the_safety_page_and_the_result_render_in_the_language(eigen, lang, richting):
    verwacht = f'<html lang="{lang}" dir="{richting}">'
    pages = {"gevaar": eigen.get(f"/vraagwijzer?lang={lang}"), "opnieuw": eigen.get("/vraagwijzer?opnieuw=1"),
             "spoed": eigen.get("/vraagwijzer/spoed")}
    onderwerp = verder(eigen, "gevaar", {"gevaar": "nee"})
    s = token(onderwerp.text)
    pages |= {
        "onderwerp": onderwerp,
        "suggestie": verder(eigen, "onderwerp", {"vraag": "ik heb schulden"}, s),
        "veiligheid": eigen.post("/vraagwijzer/onderwerp", data={"s": s, "vraag": "ik wil niet meer leven"}),
    }
    pages["voor-wie"] = verder(eigen, "onderwerp", {"thema": ["schulden", "eenzaamheid"]}, s)
    pages["haast"] = verder(eigen, "voor-wie", {"voor_wie": "kind", "leeftijd": "12-17"}, token(pages["voor-wie"].text))
    pages["postcode"] = verder(eigen, "haast", {"haast": "nee"}, token(pages["haast"].text))
    pages["uitslag"] = verder(eigen, "postcode", {"postcode": "7551 AB"}, token(pages["postcode"].text))
    for naam, r in pages.items():
        assert r.status_code == 200, naam
        assert html_tag(r.text) == verwacht, naam
        assert r.headers["content-language"] == lang, naam
    assert 'id="alarm-zelfdoding"' in pages["veiligheid"].text
    uitslag = pages["uitslag"].text
    assert 'id="wijkentree-titel"' in uitslag and 'id="antwoorden-titel"' in uitslag
    # The wijkentree's name and address from the database stay Dutch and say so, for screen readers.
    wijkentree = uitslag.split('id="wijkentree-titel"')[1].split("</section>")[0]
    assert re.search(r'<strong><span lang="nl">[^<]+</span></strong>', wijkentree)


@pytest.mark.parametrize("lang", list(taal.TALEN))
def test_the_danger_step_the_spoed_page_and_the_safety_page_call_the_lines_in_every_language(eigen, lang):
    gevaar = eigen.get(f"/vraagwijzer?lang={lang}").text
    spoed = eigen.get("/vraagwijzer/spoed").text
    veiligheid = eigen.post("/vraagwijzer/onderwerp", data={"vraag": "mijn man slaat mij"}).text
    for page in (gevaar, spoed, veiligheid):
        assert f'<html lang="{lang}"' in page
        for nummer in LIJNEN:
            assert f'href="tel:{nummer}"' in page, (lang, nummer)
    # The spoed page's own list: each number written in Western digits as the link's text, never translated.
    lijst = spoed.split('class="spoed-list"')[1].split("</ul>")[0]
    for nummer in LIJNEN:
        assert f'<a href="tel:{nummer}"><strong>{nummer}</strong>' in lijst


@pytest.mark.parametrize(("stap", "leeg", "veld", "fout_id", "tekst"), [
    ("gevaar", {}, 'name="gevaar"', "gevaar-fout", "Kies ja of nee."),
    ("onderwerp", {}, 'name="thema"', "thema-fout", "Kies een onderwerp. Past er geen? Kies dan 'Iets anders'."),
    ("onderwerp", {"vraag": "blauwe banaan op dinsdag"}, 'name="vraag"', "vraag-fout",
     "We vinden in uw woorden geen onderwerp. Kies hierboven een onderwerp. Past er geen? Kies dan 'Iets anders'."),
    ("voor-wie", {}, 'name="voor_wie"', "voor_wie-fout", "Kies voor wie de vraag is."),
    ("haast", {}, 'name="haast"', "haast-fout", "Kies hoe snel u hulp nodig heeft."),
])
def test_an_error_is_next_to_its_field_in_the_chosen_language(eigen, catalogus, stap, leeg, veld, fout_id, tekst):
    catalogus({tekst: f"EN {tekst}", "Er klopt iets niet": "Something is not right"})
    s = naar_stap(eigen, "en", stap)
    r = eigen.post("/vraagwijzer" if stap == "gevaar" else f"/vraagwijzer/{stap}", data={**leeg, **({"s": s} if s else {})})
    assert r.status_code == 422 and html_tag(r.text) == '<html lang="en" dir="ltr">'
    # The message in the field's own group, before the field, and the group or field points to it.
    fout = re.search(rf'<p class="error-message" id="{fout_id}">([^<]+)</p>', r.text).group(1)
    assert fout.replace("&#39;", "'") == f"EN {tekst}"
    assert groep(r.text, f'id="{fout_id}"') == groep(r.text, veld) and r.text.index(fout_id) < r.text.index(veld)
    assert re.search(rf'aria-describedby="[^"]*\b{fout_id}\b', r.text)
    nederlands = tekst.replace("'", "&#39;")
    assert nederlands not in r.text.replace(f"EN {nederlands}", "")  # no Dutch left of the message


def test_a_bad_postcode_is_said_next_to_the_field_in_the_language(eigen):
    s = naar_stap(eigen, "ar", "postcode")
    r = eigen.post("/vraagwijzer/postcode", data={"s": s, "postcode": "12"})
    assert r.status_code == 422 and html_tag(r.text) == '<html lang="ar" dir="rtl">'
    assert groep(r.text, 'id="postcode-fout"') == groep(r.text, 'name="postcode"')
    assert 'name="postcode"\n         value="12"' in r.text  # what was typed stays
    assert 'aria-describedby="postcode-hint postcode-fout"' in r.text


def test_the_rules_files_texts_are_translated_sentence_by_sentence(eigen, catalogus, engine):
    a = advies(Antwoorden(themas=("schulden",), voor_wie="ander", leeftijd="67+", haast=True))  # as naar_stap answers
    assert len(a.zinnen) > 1 and a.meenemen  # the advice joins sentences of several rules
    lijnen = spoedlijnen()
    zelfdoding = next(r.alarm for r in regels() if r.alarm.code == "zelfdoding")
    teksten = [*a.zinnen, *a.meenemen, *(lijn[k] for lijn in lijnen for k in ("naam", "wanneer")),
               zelfdoding.titel, zelfdoding.uitleg]
    catalogus({t: f"EN {t}" for t in teksten} | {"Voor iemand anders": "For someone else",
                                                 LEEFTIJD_LABELS["67+"]: "67 or older", "Schulden": "Debts",
                                                 "Iets anders": "Something else"})

    eigen.get("/vraagwijzer?lang=en")
    tegels = verder(eigen, "gevaar", {"gevaar": "nee"}).text  # the theme tiles: the taxonomy's names, translated
    assert '<label for="thema-schulden"><span aria-hidden="true">📄</span> Debts</label>' in tegels
    assert "Something else</label>" in tegels and "Iets anders" not in tegels
    s = naar_stap(eigen, "en", "postcode")
    uitslag = verder(eigen, "postcode", {"postcode": "7551 AB"}, s).text
    lead = uitslag.split('<p class="lead">')[1].split("</p>")[0]
    assert lead == " ".join(f"EN {z}" for z in a.zinnen)
    for m in a.meenemen:
        assert f"<li>EN {m}</li>" in uitslag
    antwoorden = uitslag.split('id="antwoorden-titel"')[1]
    assert "<dd>Debts</dd>" in antwoorden and "<dd>For someone else, 67 or older</dd>" in antwoorden
    # The mail to oneself carries the translated advice too.
    mail = unquote(re.search(r'href="(mailto:[^"]+)"', uitslag).group(1))
    assert " ".join(f"EN {z}" for z in a.zinnen) in mail and f"EN {a.meenemen[0]}" in mail

    spoed = eigen.get("/vraagwijzer/spoed").text
    for lijn in lijnen:
        assert f"EN {lijn['naam']}" in spoed and f"<p>EN {lijn['wanneer']}</p>" in spoed
        assert f"<p>{lijn['wanneer']}</p>" not in spoed
    veiligheid = eigen.post("/vraagwijzer/onderwerp", data={"s": s, "vraag": "ik wil niet meer leven"}).text
    assert f">EN {zelfdoding.titel}</h1>" in veiligheid and f"<p>EN {zelfdoding.uitleg}</p>" in veiligheid

    # The API and the staff's referral stay Dutch, whatever the cookie says.
    vraag = {"gevaar": False, "themas": ["schulden"], "voor_wie": "ander", "leeftijd": "67+", "haast": True}
    api = eigen.post("/api/v1/vraagwijzer", json=vraag).json()
    assert api["uitleg"] == a.uitleg and api["meenemen"] == list(a.meenemen)
    assert api["verwijzing"].startswith("Verwijzing:") and "EN " not in str(api)


def test_every_text_of_the_rules_files_shown_is_in_the_catalogue_as_loaded():
    """The msgid is the loaded string itself: a text that the loader reads differently from the extraction (white
    space, folding) would never be found in a catalogue."""
    rs = laad_regels()
    teksten = [*rs.teksten.values(), *(lijn[k] for lijn in rs.spoedlijnen for k in ("naam", "wanneer"))]
    for r in rs.regels:
        teksten += [r.uitleg, *([r.ook] if r.ook else []), *r.meenemen]
    for regel in regels():
        al = regel.alarm
        teksten += [al.titel, al.uitleg, *(link["tekst"] for link in al.links),
                    *(lijn[k] for lijn in al.lijnen for k in ("naam", "wanneer"))]
    terms = load_taxonomies()["thema"]["terms"]
    teksten += [t["name"] for t in terms.values()]  # the theme tiles of step 2
    ids = {m.id for m in sjabloon() if m.id}
    assert [t for t in teksten if t not in ids] == []
    assert not [r.verwijzing for r in rs.regels if r.verwijzing in ids]  # the staff's text is no resident text


def test_the_own_words_step_says_in_another_language_that_words_are_read_in_dutch(eigen, catalogus):
    catalogus({
        "Wij lezen uw woorden alleen in het Nederlands. Woorden in een andere taal begrijpen we misschien niet.":
            "We only read your words in Dutch.",
        "Is er nu gevaar? Bel dan meteen %(nummer)s.": "Danger now? Call %(nummer)s at once.",
    })
    nl = eigen.get("/vraagwijzer?lang=nl")
    assert nl.status_code == 200
    dutch = verder(eigen, "gevaar", {"gevaar": "nee"}).text
    assert 'id="vraag-taal"' not in dutch and 'aria-describedby="vraag-hint"' in dutch

    eigen.get("/vraagwijzer?lang=en")
    page = verder(eigen, "gevaar", {"gevaar": "nee"}).text
    notice = page.split('id="vraag-taal">')[1].split("</div>")[0]
    assert "<p>We only read your words in Dutch.</p>" in notice
    assert 'Danger now? Call <a href="tel:112">112</a> at once.' in notice  # the number stays a link, placed by the translator
    assert 'aria-describedby="vraag-hint vraag-taal"' in page
    assert page.index('id="thema-hint"') < page.index('id="vraag-taal"')  # after the tiles it points back to
    # Words in another language: kept in the POST only, never in a URL (not even the language switch's).
    woorden = "I cannot pay my rent zebrapad-4417"
    r = eigen.post("/vraagwijzer/onderwerp", data={"s": token(page), "vraag": woorden}, follow_redirects=False)
    assert r.status_code == 422 and "zebrapad" not in r.headers.get("location", "")
    assert f">{woorden}</textarea>" in r.text
    assert not [h for h in re.findall(r'href="([^"]*)"', r.text) if "zebrapad" in h or "rent" in h]

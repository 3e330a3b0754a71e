"""The resident's vraagwijzer through real HTTP: each step a form post, the answers in one encrypted token, the
safety page on own words, free text never kept, nothing of the answers readable in any URL."""
import base64
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import inspect, text

from app import vraagtoken
from app.config import get_settings
from app.triage import LEEFTIJDEN, THEMAS, laad_regels

# Everything an answer could show as in a URL: the codes, the question names and the postcode.
CODES = {*THEMAS, *laad_regels().signalen, *LEEFTIJDEN, "mezelf", "kind", "ander", "gevaar", "thema", "signaal",
         "voor_wie", "leeftijd", "haast", "postcode", "suggestie", "7551", "ja", "nee"}


def _post(client, path, data):
    return client.post(path, data=data, follow_redirects=False)


def token(url: str) -> str:
    query = parse_qs(urlsplit(url).query)
    assert set(query) <= {"s"}, f"more than the token in {url}"
    return query["s"][0]


def readable_codes(url: str) -> set[str]:
    """Codes readable in a URL's query (the path names only the step): in its words, and in the base64 of its
    token decoded as far as it goes."""
    query = urlsplit(url).query.lower().replace("%2b", "+")
    found = {w for w in re.findall(r"[a-z0-9_+-]+", query) if w in CODES}
    for t in parse_qs(urlsplit(url).query).get("s", []):
        raw = base64.urlsafe_b64decode(t + "==").decode("latin-1").lower()
        found |= {c for c in CODES if len(c) > 3 and c in raw}
    return found


class Walk:
    """A resident going through the steps; records every redirect and every vraagwijzer link and form on the way."""

    def __init__(self, client):
        self.client = client
        self.urls: list[str] = []
        self.s = ""

    def see(self, html: str) -> str:
        self.urls += re.findall(r'(?:href|action)="(/vraagwijzer[^"]*)"', html.replace("&amp;", "&"))
        hidden = re.search(r'name="s" value="([^"]+)"', html)
        self.s = hidden.group(1) if hidden else self.s
        return html

    def post(self, path: str, data: dict, expect: int = 303):
        r = _post(self.client, path, {"s": self.s, **data} if self.s else data)
        assert r.status_code == expect, (path, data, r.status_code, r.text[:300])
        if r.status_code == 303:
            self.urls.append(r.headers["location"])
            page = self.client.get(r.headers["location"], follow_redirects=False)
            assert page.status_code in (200, 303), r.headers["location"]
            self.last = r.headers["location"]
            self.see(page.text)
            return page
        self.see(r.text)
        return r

    def to_result(self, thema="schulden", voor_wie="mezelf", haast="ja", postcode="7551ab", vraag=""):
        self.post("/vraagwijzer", {"gevaar": "nee"})
        self.post("/vraagwijzer/onderwerp", {"thema": thema, "vraag": vraag})
        self.post("/vraagwijzer/voor-wie", {"voor_wie": voor_wie, "leeftijd": "27-66"})
        self.post("/vraagwijzer/haast", {"haast": haast})
        return self.post("/vraagwijzer/postcode", {"postcode": postcode})


def test_danger_stops_the_questionnaire_and_shows_emergency_lines(client):
    for data in ({"gevaar": "ja"}, {"gevaar": "ja", "s": "kapot"}):  # not even a broken token stands in the way
        r = _post(client, "/vraagwijzer", data)
        assert r.status_code == 303 and r.headers["location"] == "/vraagwijzer/spoed"
    page = client.get("/vraagwijzer/spoed").text
    for tel in ("tel:112", "tel:0800-0113", "tel:0800-2000"):
        assert tel in page
    verder = re.search(r'href="(/vraagwijzer/onderwerp\?s=[^"]+)"', page).group(1)
    assert "Waar gaat uw vraag over?" in client.get(verder).text and not readable_codes(verder)


def test_no_answer_gives_a_dutch_error_on_the_same_step(client):
    r = _post(client, "/vraagwijzer", {})
    assert r.status_code == 422
    assert "Kies ja of nee." in r.text and 'href="#gevaar-ja"' in r.text


def test_whole_flow_keeps_answers_in_the_token_and_back_links_work(client):
    walk = Walk(client)
    walk.post("/vraagwijzer", {"gevaar": "nee"})
    step3 = walk.post("/vraagwijzer/onderwerp", {"thema": ["opvoeden", "jeugd"]})
    assert "Vraag 3 van 5" in step3.text
    vorige = re.search(r'class="backlink" href="([^"]+)"', step3.text).group(1)
    back = client.get(vorige.replace("&amp;", "&")).text
    assert "Vraag 2 van 5" in back and 'value="opvoeden" checked' in back  # nothing lost when going back
    assert vraagtoken.lees(token(walk.last)) == {"gevaar": ["nee"], "thema": ["opvoeden", "jeugd"]}

    walk.post("/vraagwijzer/voor-wie", {"voor_wie": "kind", "leeftijd": "0-11"})
    walk.post("/vraagwijzer/haast", {"haast": "nee"})
    result = walk.post("/vraagwijzer/postcode", {"postcode": "7551ab"})
    state = vraagtoken.lees(token(walk.last))
    assert state["voor_wie"] == ["kind"] and state["leeftijd"] == ["0-11"] and state["postcode"] == ["7551 AB"]
    html = result.text
    assert result.headers["cache-control"] == "no-store"
    assert html.index("Stap 1.") < html.index("Stap 2.") < html.index("Stap 3.") < html.index("Uw antwoorden")
    assert "MFA" in html and "van uw postcode" in html
    assert "zonder afspraak" not in html.lower()
    assert "Openingstijden nog niet bekend: bel eerst" in html  # no source gives the wijkentrees' hours
    advice = html.split('<p class="lead">')[1].split("</p>")[0]
    assert "gratis" not in advice.lower()  # the seeds allow a contribution; only the phone lines are free
    assert "mailto:?subject=" in html
    # "Uw antwoorden": every answer with a "Wijzig" link that opens its step with the answers so far.
    summary = html.split('id="antwoorden-titel"')[1].split("</section>")[0]
    for answer in ("Nee", "Opvoeden", "Voor mijn kind", "7551 AB", "Geen haast"):
        assert answer in summary, answer
    links = re.findall(r'href="([^"]+)">Wijzig', summary)
    assert len(links) == 5
    assert "Voor wie is de vraag?" in client.get(links[2].replace("&amp;", "&")).text
    assert 'value="kind" checked' in client.get(links[2].replace("&amp;", "&")).text
    # Changing one answer leads straight back to the result, with the new answer.
    walk.s = token(links[3].replace("&amp;", "&"))
    again = walk.post("/vraagwijzer/haast", {"haast": "ja"})
    assert "/vraagwijzer/uitslag?s=" in walk.last and "Deze week" in again.text.split('id="antwoorden-titel"')[1]
    walk.s = token(links[4].replace("&amp;", "&"))
    walk.post("/vraagwijzer/postcode", {"postcode": "7552"})
    assert "/vraagwijzer/uitslag?s=" in walk.last and vraagtoken.lees(token(walk.last))["postcode"] == ["7552"]


def test_no_answer_is_readable_in_any_url_or_redirect(client):
    walk = Walk(client)
    walk.post("/vraagwijzer", {"gevaar": "nee"})
    onderwerp = walk.s
    walk.post("/vraagwijzer/onderwerp", {"vraag": "Mijn man slaat mij"}, expect=200)  # the safety page
    walk.post("/vraagwijzer/onderwerp", {"vraag": "Mijn man slaat mij", "alarm_gezien": "1"})  # a suggestion
    walk.post("/vraagwijzer/onderwerp", {"thema": "veiligheid"})
    walk.post("/vraagwijzer/voor-wie", {"voor_wie": "ander", "leeftijd": "27-66"})
    walk.post("/vraagwijzer/haast", {"haast": "ja"})
    walk.post("/vraagwijzer/postcode", {"postcode": "7551ab"})
    walk.s = onderwerp
    walk.post("/vraagwijzer/onderwerp", {"vraag": "ik kan mijn huur niet betalen"})  # another suggestion
    spoed = Walk(client)
    spoed.post("/vraagwijzer", {"gevaar": "ja"})
    urls = walk.urls + spoed.urls
    assert len(urls) > 20 and any("/uitslag?s=" in u for u in urls)
    for url in urls:
        assert not readable_codes(url), f"{url} shows {readable_codes(url)}"
        assert "slaat" not in url and "huur" not in url


def test_changed_or_old_token_starts_again_kindly(client):
    good = vraagtoken.maak({"gevaar": ["nee"], "thema": ["schulden"]})
    changed = good[:-6] + ("A" if good[-6] != "A" else "B") + good[-5:]
    old = vraagtoken.maak({"gevaar": ["nee"], "thema": ["schulden"]}, nu=time.time() - vraagtoken.MAX_AGE - 60)
    for bad in (changed, old, "zomaar-iets", good[:40]):
        for path in ("/vraagwijzer/voor-wie", "/vraagwijzer/uitslag", "/vraagwijzer"):
            r = client.get(f"{path}?s={bad}", follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"] == "/vraagwijzer?opnieuw=1", (path, bad)
        r = _post(client, "/vraagwijzer/haast", {"s": bad, "haast": "ja"})
        assert r.status_code == 303 and r.headers["location"] == "/vraagwijzer?opnieuw=1"
    start = client.get("/vraagwijzer?opnieuw=1")
    assert start.status_code == 200 and "Uw antwoorden zijn niet meer bewaard" in start.text
    assert "Is er nu gevaar?" in start.text
    # A still fresh token opens; one made with another key does not.
    assert client.get(f"/vraagwijzer/voor-wie?s={good}").status_code == 200
    settings = get_settings()
    key = settings.secret_key
    try:
        settings.secret_key = "een-andere-sleutel"
        other = vraagtoken.maak({"gevaar": ["nee"]})
    finally:
        settings.secret_key = key
    assert client.get(f"/vraagwijzer/voor-wie?s={other}", follow_redirects=False).headers["location"].endswith("opnieuw=1")


def test_a_step_without_answers_starts_at_the_first_question(client):
    r = client.get("/vraagwijzer/postcode", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/vraagwijzer"
    assert client.get("/vraagwijzer/bestaatniet").status_code == 404


@pytest.mark.parametrize("vraag, code, lijn", [
    ("ik wil niet meer leven", "zelfdoding", "0800-0113"),
    ("ik zie het niet meer zitten", "zelfdoding", "0800-0113"),
    ("Ik wil dood", "zelfdoding", "0800-0113"),
    ("mijn man slaat mij elke week", "geweld", "0800-2000"),
    ("ik heb vannacht geen slaapplek", "geen_slaapplek", "14074"),
])
def test_alarming_own_words_show_the_safety_page_first_and_keep_the_text(client, vraag, code, lijn):
    walk = Walk(client)
    walk.post("/vraagwijzer", {"gevaar": "nee"})  # "nee" to danger: the own words still count
    page = walk.post("/vraagwijzer/onderwerp", {"vraag": vraag}, expect=200)
    html = page.text
    assert f'id="alarm-{code}"' in html and "<h1" in html.split(f'id="alarm-{code}"')[0][-80:]
    assert f'href="tel:{lijn}"' in html and "Verder met de vraagwijzer" in html
    assert f'name="vraag" value="{vraag}"' in html  # on in the POST body, nothing lost
    assert 'data-snel-weg' in html and page.headers["cache-control"] == "no-store"
    # Carrying on: the same words are read for themes, without the safety page again.
    r = _post(client, "/vraagwijzer/onderwerp", {"s": walk.s, "vraag": vraag, "alarm_gezien": "1"})
    assert r.status_code == 303 and not readable_codes(r.headers["location"])
    assert vraag.split()[-1] not in r.headers["location"]
    nxt = client.get(r.headers["location"]).text
    assert "Verder met de vraagwijzer" not in nxt and vraag not in nxt


def test_safety_page_keeps_chosen_themes_and_goes_on_to_them(client):
    walk = Walk(client)
    walk.post("/vraagwijzer", {"gevaar": "nee"})
    page = walk.post("/vraagwijzer/onderwerp", {"vraag": "ik wil niet meer leven", "thema": "schulden"}, expect=200)
    assert 'name="thema" value="schulden"' in page.text
    walk.post("/vraagwijzer/onderwerp", {"vraag": "ik wil niet meer leven", "thema": "schulden", "alarm_gezien": "1"})
    state = vraagtoken.lees(token(walk.last))
    assert state["thema"] == ["schulden"] and "zelfdoding" in state["signaal"] and "/voor-wie?" in walk.last


def test_words_that_only_look_alarming_raise_no_alarm(client):
    walk = Walk(client)
    walk.post("/vraagwijzer", {"gevaar": "nee"})
    r = _post(client, "/vraagwijzer/onderwerp", {"s": walk.s, "vraag": "mijn vrouw is dood gegaan en ik ben alleen"})
    assert r.status_code == 303 and "Verder met de vraagwijzer" not in r.text


def test_own_words_become_an_unticked_theme_question_and_are_never_stored(client, engine):
    phrase = "Ik kan mijn huur niet betalen zebrapad-7781"
    walk = Walk(client)
    walk.post("/vraagwijzer", {"gevaar": "nee"})
    page = walk.post("/vraagwijzer/onderwerp", {"vraag": phrase})
    assert "zebrapad" not in walk.last and "huur" not in walk.last
    assert set(vraagtoken.lees(token(walk.last))["suggestie"]) & {"schulden", "geld"}
    assert "Gaat uw vraag over" in page.text and "zebrapad" not in page.text
    assert not re.search(r'name="thema" value="\w+" checked', page.text)  # a suggestion, not an answer
    assert "Dit lezen we in uw woorden" in page.text
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                assert "zebrapad" not in " ".join(str(v) for v in row)


def test_words_with_no_theme_keep_the_text_and_say_so_next_to_the_field(client):
    walk = Walk(client)
    walk.post("/vraagwijzer", {"gevaar": "nee"})
    r = walk.post("/vraagwijzer/onderwerp", {"vraag": "blauwe banaan op dinsdag"}, expect=422)
    assert ">blauwe banaan op dinsdag</textarea>" in r.text
    assert 'id="vraag-fout"' in r.text and 'href="#vraag"' in r.text
    assert 'aria-describedby="vraag-hint vraag-fout"' in r.text


def test_eviction_in_own_words_routes_to_schuldhulpverlening(client):
    walk = Walk(client)
    walk.post("/vraagwijzer", {"gevaar": "nee"})
    walk.post("/vraagwijzer/onderwerp", {"thema": "schulden", "vraag": "brief over uitzetting"})
    assert "uitzetting" in vraagtoken.lees(token(walk.last))["signaal"]
    walk.post("/vraagwijzer/voor-wie", {"voor_wie": "mezelf"})
    walk.post("/vraagwijzer/haast", {"haast": "ja"})
    page = walk.post("/vraagwijzer/postcode", {"postcode": ""}).text
    assert "De gemeente helpt u hiermee" in page and "14 074" in page


def test_nothing_chosen_asks_for_a_theme(client):
    walk = Walk(client)
    walk.post("/vraagwijzer", {"gevaar": "nee"})
    r = walk.post("/vraagwijzer/onderwerp", {"vraag": ""}, expect=422)
    assert "Iets anders" in r.text and 'href="#thema-opvoeden"' in r.text


def test_bad_postcode_keeps_the_answers_and_the_typed_postcode(client):
    walk = Walk(client)
    walk.post("/vraagwijzer", {"gevaar": "nee"})
    walk.post("/vraagwijzer/onderwerp", {"thema": "werk"})
    walk.post("/vraagwijzer/voor-wie", {"voor_wie": "mezelf"})
    walk.post("/vraagwijzer/haast", {"haast": "nee"})
    r = walk.post("/vraagwijzer/postcode", {"postcode": "1012 AB"}, expect=422)
    assert "niet in Hengelo" in r.text and 'value="1012 AB"' in r.text
    assert vraagtoken.lees(walk.s)["thema"] == ["werk"]


def test_snel_weg_on_every_step_the_emergency_page_and_the_result(client):
    walk = Walk(client)
    pages = {"gevaar": client.get("/vraagwijzer").text}
    pages["onderwerp"] = walk.post("/vraagwijzer", {"gevaar": "nee"}).text
    pages["voor-wie"] = walk.post("/vraagwijzer/onderwerp", {"thema": "geld"}).text
    pages["haast"] = walk.post("/vraagwijzer/voor-wie", {"voor_wie": "mezelf"}).text
    pages["postcode"] = walk.post("/vraagwijzer/haast", {"haast": "nee"}).text
    pages["uitslag"] = walk.post("/vraagwijzer/postcode", {"postcode": ""}).text
    pages["spoed"] = client.get("/vraagwijzer/spoed").text
    neutral = get_settings().snel_weg_url
    for name, html in pages.items():
        assert re.search(rf'<a class="button snel-weg__knop" href="{re.escape(neutral)}"[^>]*data-snel-weg>Snel weg',
                         html), name
        assert "/static/js/snel-weg.js" in html, name
        assert html.index("data-snel-weg") < html.index("<h1"), f"{name}: Snel weg comes first"


def test_print_button_only_with_javascript(client):
    html = Walk(client).to_result().text
    assert re.search(r"<button[^>]*data-print hidden>", html) and "/static/js/print.js" in html

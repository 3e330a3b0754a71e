"""The safety net on own words (app/rules/veiligheid.yaml): own phrasings that must, and must not, lead first to
113, Veilig Thuis or opvang, through app.veiligheid.toets and through POST /api/v1/vraagwijzer with gevaar=nee."""
import pytest

from app.veiligheid import toets

ZELFDODING = [
    "ik wil niet meer leven", "ik wil dood", "ik denk aan zelfmoord", "ik wil een eind aan mijn leven maken",
    "ik zie het niet meer zitten", "Ik zie het echt niet meer zitten", "ik wil er niet meer zijn",
    "soms wil ik er niet meer zijn", "ik wil mezelf iets aandoen", "ik doe mezelf iets aan", "zelfmoort",
    "ik denk aan zelfmoort want ik heb schulden", "ik wil er een einde aan maken", "ik snij mezelf",
    "ik wil gewoon dood", "IK WIL DOOD!!", "ik wil dood gaan", "ik wil doodgaan", "ik wil sterven",
    "ik wou dat ik dood was", "het leven heeft geen zin meer", "ik heb suicidale gedachten",
    "Ik heb zelfmoordgedachten", "ik wil niet langer leven", "ik kan het leven niet meer aan",
    "iedereen is beter af zonder mij", "ik wil al mijn pillen innemen", "ik wil voor de trein springen",
    "ik krijg schulden en wil niet meer verder", "ik wil mijn leven beeindigen", "zelfbeschadiging",
    "mijn man ziet het niet meer zitten", "mijn dochter wil dood", "hij denkt aan zelfmoord",
    "ik denk erover mezelf van het leven te beroven", "ik wil me ophangen", "ik deed een zelfmoordpoging",
    "ik wil mijn polsen doorsnijden", "ik wil uit het leven stappen",
]
GEWELD = [
    "mijn man slaat mij", "mijn vriend slaat me als hij gedronken heeft", "ik word thuis geslagen",
    "ik ben bang voor mijn man", "het is thuis niet veilig", "huiselijk geweld", "mijn ex bedreigt mij",
    "ik ben misbruikt", "mijn partner sluit me op", "mijn zoon pakt mijn geld af", "ik word mishandeld",
    "mijn partner is gewelddadig", "mijn ex stalkt mij", "ik durf niet naar huis",
]
KIND = [
    "mijn kind wordt geslagen door haar vader", "mijn vader slaat mijn zusje", "ik denk dat het kind van de buren wordt mishandeld",
    "mijn kinderen zijn thuis niet veilig", "de buurkinderen krijgen geen eten", "mijn man slaat de kinderen",
]
SLAAPPLEK = [
    "ik heb vannacht geen slaapplek", "ik heb geen plek om te slapen", "ik slaap buiten", "ik ben dakloos",
    "ik weet niet waar ik vannacht moet slapen", "ik kan nergens slapen", "ik slaap in mijn auto",
    "ik slaap op straat", "ik ben uit huis gezet en weet niet waar ik heen moet", "ik heb geen onderdak",
]
GEEN_ALARM = [
    "mijn vrouw is dood gegaan en ik ben alleen", "levensmiddelen", "een leven lang leren",
    "ik wil niet meer naar school", "ik wil een eind aan mijn schulden maken", "ik ben doodmoe", "mijn hond is dood",
    "thuis veel ruzie", "mijn zoon zit na school alleen thuis omdat wij werken", "ik wil mijn leven weer oppakken",
    "ik heb geen geld voor eten", "mijn moeder is er niet meer", "ik zoek een slaapbank", "ik wil leven zonder schulden",
    "mijn man is vorig jaar overleden", "ik zoek hulp bij mijn schulden", "ik voel me eenzaam", "levenslust",
    "een cursus levensbeschouwing", "ik wil langer zelfstandig leven", "de dood van mijn vader", "doodsbang voor de tandarts",
    "mijn kind slaapt slecht", "ik slaap slecht", "ik zoek een slaapcoach", "ik heb een traplift nodig",
    "mijn dochter wordt gepest", "ik wil gezond leven", "mijn zoon slaat de deur dicht", "er is geen geweld",
    "ik wil de was ophangen", "ik wil leren zwemmen", "ik ben bang om te verdrinken in de papieren",
    "ik wil een schilderij ophangen", "mijn kind speelt op straat",
]


@pytest.mark.parametrize("code, zinnen", [("zelfdoding", ZELFDODING), ("geweld", GEWELD),
                                          ("kind_onveilig", KIND), ("geen_slaapplek", SLAAPPLEK)])
def test_every_phrasing_raises_its_alarm(code, zinnen):
    gemist = [z for z in zinnen if code not in [a.code for a in toets(z)]]
    assert gemist == []


def test_other_meanings_raise_no_alarm():
    vals = {z: [a.code for a in toets(z)] for z in GEEN_ALARM}
    assert {z: c for z, c in vals.items() if c} == {}


def test_the_right_line_comes_first():
    assert toets("ik wil dood")[0].lijnen[0]["telefoon"] == "0800-0113"
    assert toets("mijn man slaat mij")[0].lijnen[0]["telefoon"] == "0800-2000"
    assert toets("mijn kind wordt geslagen")[0].lijnen[0]["telefoon"] == "0800-2000"
    assert toets("ik heb vannacht geen slaapplek")[0].lijnen[0]["telefoon"] == "14 074"
    assert all(a.lijnen[-1]["telefoon"] == "112" for z in ZELFDODING + GEWELD for a in toets(z))


def _post(client, vraag, **extra):
    r = client.post("/api/v1/vraagwijzer", json={"gevaar": False, "vraag": vraag, **extra})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("vraag", ZELFDODING)
def test_api_own_words_about_suicide_lead_to_113_even_with_gevaar_nee(client, vraag):
    body = _post(client, vraag, themas=["schulden"])
    assert body["route"]["soort"] == "spoed"
    assert body["veiligheid"][0]["code"] == "zelfdoding"
    assert body["spoed"][0]["telefoon"] == "0800-0113"
    assert "schuld" not in body["uitleg"].split(".")[0]  # 113 first, debt help only after
    assert "wijkentree" in body  # and then they can go on


@pytest.mark.parametrize("vraag", GEWELD + KIND)
def test_api_violence_leads_to_veilig_thuis_first(client, vraag):
    body = _post(client, vraag)
    assert body["veiligheid"] and body["spoed"][0]["telefoon"] == "0800-2000"
    assert body["route"]["soort"] == "gemeente"
    assert "0800-2000" in body["uitleg"]


def test_api_a_child_in_danger_goes_to_jeugd_en_gezin(client):
    body = _post(client, "mijn vriend slaat mijn kinderen")
    assert body["route"] == {"soort": "gemeente", "team": "jeugd_en_gezin", "voorziening": None}


@pytest.mark.parametrize("vraag", SLAAPPLEK)
def test_api_no_place_to_sleep_is_maatschappelijke_opvang(client, vraag):
    body = _post(client, vraag)
    assert body["route"]["voorziening"] == "maatschappelijke_opvang"
    assert body["veiligheid"][0]["code"] == "geen_slaapplek"


@pytest.mark.parametrize("vraag", GEEN_ALARM)
def test_api_no_false_alarm(client, vraag):
    body = _post(client, vraag)
    assert body["veiligheid"] == []
    assert body["route"]["soort"] != "spoed"


def test_api_danger_gets_the_lines_even_with_a_wrong_theme_or_postcode(client):
    r = client.post("/api/v1/vraagwijzer", json={"gevaar": True, "themas": ["bestaat-niet"], "postcode": "0000XX"})
    assert r.status_code == 200 and r.json()["route"]["soort"] == "spoed"
    assert {s["telefoon"] for s in r.json()["spoed"]} >= {"112", "0800-0113", "0800-2000"}


def test_api_alarming_words_get_the_lines_with_the_database_gone(client, database_weg):
    with database_weg():
        r = client.post("/api/v1/vraagwijzer", json={"gevaar": False, "vraag": "ik wil dood", "postcode": "7553"})
        gewoon = client.post("/api/v1/vraagwijzer", json={"gevaar": False, "vraag": "ik zoek taalles"})
    assert r.status_code == 200 and r.json()["spoed"][0]["telefoon"] == "0800-0113"
    assert gewoon.status_code == 503


def test_resident_with_an_expired_token_and_alarming_words_still_gets_the_safety_page(client):
    r = client.post("/vraagwijzer/onderwerp", data={"s": "verlopen-of-kapot", "vraag": "ik wil dood"},
                    follow_redirects=False)
    assert r.status_code == 200 and "0800-0113" in r.text and "ik wil dood" in r.text  # words kept in the form


def test_staff_alarm_shows_even_when_the_form_has_an_error(client):
    client.post("/medewerkers/inloggen", data={"toegangscode": "test-medewerker-token"})
    r = client.post("/medewerkers/vraagwijzer", data={"woorden": "hij wil niet meer leven"})  # no gevaar answered
    assert "0800-0113" in r.text and "Denkt u aan zelfdoding" in r.text


def test_search_words_about_suicide_put_113_first(client):
    page = client.get("/zoeken", params={"q": "ik wil niet meer leven"}).text
    assert 'role="alert"' in page and page.index("0800-0113") < page.index('class="results"')
    top = client.get("/api/v1/services", params={"search": "ik wil niet meer leven"}).json()["contents"][:3]
    assert any("113" in s["name"] for s in top)
    assert 'role="alert"' not in client.get("/zoeken", params={"q": "levensmiddelen"}).text


def test_search_with_a_wrong_postcode_still_shows_the_alarm(client):
    r = client.get("/zoeken", params={"q": "ik wil dood", "postcode": "bla"})
    assert r.status_code == 422 and 'role="alert"' in r.text and "0800-0113" in r.text

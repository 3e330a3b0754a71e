"""Residents from the seeds (004 Verhalen: Anja, Wim, Jayden, Jacob, Melissa) and routing-rules.md, each in their
own words only, through POST /api/v1/vraagwijzer: the route the seeds give them."""
import pytest

RESIDENTS = [
 ({"vraag":"Ik heb een brief gekregen dat ik uit mijn woning gezet word. Mijn schulden zijn opgelopen en ik durf de post niet open te maken."}, "gemeente/schuldhulpverlening"),
 ({"vraag":"Ik ben 82, sinds een jaar weduwnaar en ik kom weinig de deur uit. Ik voel me eenzaam."}, "sociale_basis"),
 ({"vraag":"Mijn zoon van 10 komt vaak te laat op school en thuis is er veel ruzie."}, "wijkentree"),
 ({"vraag":"Ik ben terug uit het buitenland en wil een uitkering aanvragen."}, "gemeente/werk_en_inkomen"),
 ({"vraag":"Ik drink te veel en heb geen werk, ik voel me niet goed."}, "wijkentree"),
 ({"vraag":"Ik zorg voor mijn vader met dementie en ik werk ook"}, "wijkentree"),
 ({"vraag":"mijn zoon zit na school alleen thuis omdat wij werken"}, "sociale_basis"),
 ({"vraag":"Mijn dochter van 13 verveelt zich na school"}, "sociale_basis"),
 ({"vraag":"Ik ben net nieuw in de wijk en ken nog niemand"}, "sociale_basis"),
 ({"vraag":"Ik heb een traplift nodig"}, "maatwerk"),
 ({"vraag":"ik wil hulp in de huishouding"}, "maatwerk"),
 ({"vraag":"ik kan niet meer zelf schoonmaken"}, "maatwerk"),
 ({"vraag":"ik heb een rolstoel nodig"}, "maatwerk"),
 ({"vraag":"kan ik de regiotaxi krijgen"}, "maatwerk"),
 ({"vraag":"ik zoek beschermd wonen voor mijn zoon"}, "maatwerk"),
 ({"vraag":"ik heb geen slaapplek vannacht"}, "maatwerk"),
 ({"vraag":"therapie voor mijn kind"}, "maatwerk"),
 ({"vraag":"ik wil niet meer leven"}, "spoed"),
 ({"vraag":"ik wil dood"}, "spoed"),
 ({"vraag":"ik wil een eind aan mijn leven maken", "themas":["schulden"]}, "spoed"),
 ({"vraag":"mijn man slaat mij"}, "gemeente/wmo"),
 ({"vraag":"mijn vriend slaat mijn kinderen"}, "gemeente/jeugd_en_gezin"),
 ({"vraag":"mijn vrouw is dood gegaan en ik ben alleen"}, "sociale_basis"),
 ({"vraag":"Ik heb moeite met rondkomen, mijn energierekening is te hoog"}, "wijkentree"),
 ({"vraag":"Ik heb schulden en er komt een deurwaarder"}, "gemeente/schuldhulpverlening"),
 ({"vraag":"Ik wil beter Nederlands leren"}, "sociale_basis"),
 ({"vraag":"Mijn moeder wordt vergeetachtig"}, "wijkentree"),
]


@pytest.mark.parametrize("body, verwacht", RESIDENTS, ids=[b["vraag"][:40] for b, _ in RESIDENTS])
def test_resident_in_own_words_gets_the_seed_route(client, body, verwacht):
    r = client.post("/api/v1/vraagwijzer", json={"gevaar": False, **body})
    assert r.status_code == 200, r.text
    route = r.json()["route"]
    soort, _, team = verwacht.partition("/")
    assert route["soort"] == soort
    if team:
        assert route["team"] == team


def test_chosen_themes_decide_and_words_only_add_signals(client):
    body = client.post("/api/v1/vraagwijzer", json={"gevaar": False, "themas": ["eenzaamheid"],
                                                    "vraag": "ik heb ook schulden en een traplift nodig"}).json()
    assert body["route"]["voorziening"] == "hulpmiddelen"  # the maatwerk signal counts
    assert "hulpmiddel" in body["herkend"]["signalen"]
    assert "schulden" in body["herkend"]["themas"] and "geldzorgen" not in body["regels"]  # a theme it did not choose

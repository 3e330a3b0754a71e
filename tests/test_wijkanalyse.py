"""The wijkanalyse: counts, suppression and secondary suppression, roles, the zero-result search count, CSV.
Through real HTTP on a real database; the questionnaires are counted with app/tellingen's own functions."""
import random
import string
from collections import Counter
from datetime import date

import pytest

from app.tellingen import sleutels, upsert, zoekvraag
from app.triage import Antwoorden

BERFLO, NOORD = "WK016405", "WK016402"
DAG = date(2026, 3, 4)  # a Wednesday in 2026-W10
PERIODE = {"van": "2026-03-02", "tot": "2026-03-08"}


def vul(engine, antwoorden: list[tuple[Antwoorden, str | None, str]], dag: date = DAG) -> None:
    """Count completed questionnaires as POST /vraagwijzer does: sleutels() per questionnaire, one upsert."""
    batch = Counter()
    for a, wijk, route in antwoorden:
        batch.update(sleutels(a, wijk, route, dag))
    upsert(engine, batch)


@pytest.fixture
def analyse(app_on, rol_tokens):
    """A known set: Berflo Es schulden 7 via the wijkentree and 3 via the gemeente (hidden), Noord werk 6,
    and 2 weeks of 3 'taal' questions each in Noord: each week hidden, though together 6."""
    client, engine = app_on
    schulden = Antwoorden(gevaar=False, themas=("schulden",))
    vul(engine, [(schulden, BERFLO, "wijkentree")] * 7 + [(schulden, BERFLO, "gemeente")] * 3
        + [(Antwoorden(gevaar=False, themas=("werk",)), NOORD, "gemeente")] * 6)
    taal = Antwoorden(gevaar=False, themas=("taal",))
    vul(engine, [(taal, NOORD, "sociale_basis")] * 3)
    vul(engine, [(taal, NOORD, "sociale_basis")] * 3, dag=date(2026, 3, 11))
    return client, engine, rol_tokens(engine)


def test_counts_match_the_questionnaires_and_hide_small_cells(analyse):
    client, _, tok = analyse
    r = client.get("/api/v1/statistiek/wijkanalyse", headers=tok["medewerker"], params=PERIODE)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["periode"]["eerste_week"] == body["periode"]["laatste_week"] == "2026-W10"
    assert body["onderdrukking"]["minimum"] == 5 and "zichtbare" in body["onderdrukking"]["regel"]
    thema = {(c["wijk"], c["thema"]): c for c in body["per_thema"]}
    route = {(c["wijk"], c["route"]): c for c in body["per_route"]}
    assert route[BERFLO, "wijkentree"]["aantal"] == 7
    assert route[BERFLO, "gemeente"]["aantal"] is None
    assert thema[NOORD, "werk"]["aantal"] == 6 and not thema[NOORD, "werk"]["onvolledig"]
    # CBS: 10,255 residents in Noord.
    assert thema[NOORD, "werk"]["per_1000"] == round(6000 / 10255, 1)


def test_no_total_reveals_a_hidden_cell(analyse):
    client, _, tok = analyse
    body = client.get("/api/v1/statistiek/wijkanalyse", headers=tok["medewerker"], params=PERIODE).json()
    # A naive Berflo Es schulden total would be 10, and 10 - 7 gives the hidden 3 away.
    schulden = next(c for c in body["per_thema"] if (c["wijk"], c["thema"]) == (BERFLO, "schulden"))
    assert schulden["aantal"] == 7 and schulden["onvolledig"] is True
    wijk = {c["wijk"]: c["aantal"] for c in body["per_wijk"]}
    assert wijk[BERFLO] == 7 and wijk[NOORD] == 6
    week = client.get("/api/v1/statistiek/vraagwijzer", headers=tok["medewerker"], params=PERIODE).json()
    assert week["totalen_per_week"] == [{"week": "2026-W10", "aantal": 13, "onvolledig": True}]
    assert week["onderdrukking"]["regel"] and week["periode"]["van"] == "2026-03-02"
    # Two hidden weeks of 3: a naive period sum of 6 would pass the minimum and tell the two weeks apart.
    twee = client.get("/api/v1/statistiek/wijkanalyse", headers=tok["medewerker"],
                      params={"van": "2026-03-02", "tot": "2026-03-15"}).json()
    taal = next(c for c in twee["per_thema"] if (c["wijk"], c["thema"]) == (NOORD, "taal"))
    assert taal["aantal"] is None and taal["onvolledig"] is True
    assert all(c["aantal"] is None or c["aantal"] >= 5 for c in [*twee["per_thema"], *twee["per_route"]])


def test_roles(analyse):
    client, _, tok = analyse
    for pad in ("/api/v1/statistiek/vraagwijzer", "/api/v1/statistiek/zoekopdrachten", "/api/v1/statistiek/aanbod",
                "/api/v1/statistiek/wijkanalyse"):
        assert client.get(pad, headers=tok["medewerker"]).status_code == 200, pad
        assert client.get(pad, headers=tok["beheerder"]).status_code == 200, pad
        assert client.get(pad, headers=tok["redacteur"]).status_code == 403, pad
        assert client.get(pad).status_code == 401, pad
        assert client.get(pad, headers=tok["medewerker"], params={"van": "2026-02-01", "tot": "2026-01-01"}
                          ).status_code == 422


def test_openapi_documents_the_errors(client):
    spec = client.get("/api/v1/openapi.json").json()
    for pad in ("vraagwijzer", "zoekopdrachten", "aanbod"):
        assert {"401", "403", "422"} <= set(spec["paths"][f"/api/v1/statistiek/{pad}"]["get"]["responses"])


def test_supply_per_wijk_with_citywide_apart(client, tokens):
    body = client.get("/api/v1/statistiek/aanbod", headers=tokens["medewerker"]).json()
    assert body["onderdrukking"]["minimum"] == 5
    gebieden = {c["gebied"] for c in body["cellen"]}
    assert "heel_hengelo" in gebieden and any(g.startswith("WK0164") for g in gebieden)
    for c in body["cellen"]:
        assert 0 <= c["gecontroleerd"] <= c["aantal"]


def test_a_search_that_finds_nothing_is_counted_from_five(client, tokens):
    woord = "zzqx" + "".join(random.choices(string.ascii_lowercase, k=8))  # a word no listing has
    for _ in range(4):
        assert client.get("/zoeken", params={"q": f"{woord} 7551AB"}).status_code == 200
    assert woord not in client.get("/api/v1/statistiek/zoekopdrachten", headers=tokens["medewerker"]).text
    assert client.get("/api/v1/services", params={"search": woord}).status_code == 200
    body = client.get("/api/v1/statistiek/zoekopdrachten", headers=tokens["medewerker"]).json()
    assert {"vraag": woord, "aantal": 5} in body["per_vraag"]
    assert "7551" not in str(body)
    # What finds something is not counted.
    for _ in range(5):
        client.get("/zoeken", params={"q": "schulden"})
    assert "schulden" not in client.get("/api/v1/statistiek/zoekopdrachten", headers=tokens["medewerker"]).text


def test_search_words_lose_digits():
    assert zoekvraag("Hulp bij schulden 7551 AB tel 0612345678") == "schulden ab tel"



def test_the_page_and_csv(analyse):
    client, _, tok = analyse
    r = client.get("/beheer/wijkanalyse", headers=tok["medewerker"], params=PERIODE)
    assert r.status_code == 200, r.text
    assert "Berflo Es" in r.text and "<svg" in r.text and "<table" in r.text
    assert "<script>" not in r.text and " style=" not in r.text
    assert client.get("/beheer/wijkanalyse", headers=tok["redacteur"]).status_code == 403
    assert client.get("/beheer/wijkanalyse", follow_redirects=False).status_code in (401, 303)
    csv = client.get("/beheer/wijkanalyse.csv", headers=tok["medewerker"], params={**PERIODE, "measure": "route"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    regels = csv.text.splitlines()
    assert any(r.startswith(f"{BERFLO};") and ";wijkentree;7;" in r for r in regels), regels
    assert not any(";3;" in r for r in regels)
    assert client.get("/beheer/wijkanalyse.csv", headers=tok["medewerker"], params={"measure": "fout"}).status_code == 422

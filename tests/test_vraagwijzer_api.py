"""POST /api/v1/vraagwijzer and GET /api/v1/statistiek/vraagwijzer through real HTTP on the seeded database."""
import re
import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from app import hours
from app.models import VraagwijzerTelling
from app.tellingen import statistiek
from app.vraagwijzer import LAAG_VOLGORDE

URL = "/api/v1/vraagwijzer"
STAT = "/api/v1/statistiek/vraagwijzer"
STAFF = {"Authorization": "Bearer test-medewerker-token"}
SPOEDNUMMERS = {"112", "0800-0113", "0800-2000"}
POSTCODE = "7551 AB"


@pytest.fixture(autouse=True)
def zonder_cookies(client):
    """The client is shared: a staff cookie from another test would open the statistics."""
    client.cookies.clear()
    yield
    client.cookies.clear()


def post(client, **body):
    r = client.post(URL, json={"gevaar": False, **body})
    assert r.status_code == 200, r.text
    return r.json()


def wijk_van(client, postcode: str) -> str:
    return client.get(f"/api/v1/postcodes/{postcode}").json()["wijk"]["code"]


def deze_week() -> str:
    y, w, _ = datetime.now(hours.TZ).date().isocalendar()
    return f"{y}-W{w:02d}"


def laag_rang(service: dict) -> int:
    return min((LAAG_VOLGORDE.get(x, 9) for x in service["laag"]), default=9)


# --------------------------------------------------------------------------------------------- routes


def test_danger_gives_spoed_with_the_national_lines_and_nothing_else(client):
    body = post(client, gevaar=True, themas=["schulden", "eenzaamheid"], postcode=POSTCODE)
    assert body["route"] == {"soort": "spoed", "team": None, "voorziening": None}
    assert "wijkentree" not in body
    assert body["suggesties"] == []
    assert {s["telefoon"] for s in body["spoed"]} >= SPOEDNUMMERS
    for s in body["spoed"]:
        assert set(s) == {"naam", "telefoon", "wanneer"} and all(s.values())
    assert "112" in body["uitleg"]
    assert body["regels"] == ["gevaar"]
    assert "112" in body["verwijzing"]


# (answers, soort, team, voorziening, a theme every suggestion must have or None)
ROUTES = {
    "eenzaam": ({"themas": ["eenzaamheid"], "leeftijd": 45}, "sociale_basis", None, None, "eenzaamheid"),
    "ouder": ({"themas": ["ouderen"], "leeftijd": 80}, "sociale_basis", None, None, "ouderen"),
    "opvoeden": ({"themas": ["opvoeden"], "voor_wie": "kind", "leeftijd": 8}, "wijkentree", None, None, "opvoeden"),
    "uitzetting": ({"themas": ["schulden"], "vraag": "ik kreeg een brief over uitzetting"},
                   "gemeente", "schuldhulpverlening", None, None),
    "buitenland": ({"themas": ["werk"], "vraag": "ik ben terug uit het buitenland en wil een uitkering"},
                   "gemeente", "werk_en_inkomen", None, None),
    "huishouden": ({"themas": ["ouderen"], "signalen": ["huishoudelijke_hulp"], "leeftijd": 78},
                   "maatwerk", "wmo", "huishoudelijke_ondersteuning", "ouderen"),
}


@pytest.mark.parametrize("naam", list(ROUTES))
def test_each_route_and_the_shape_of_the_answer(client, naam):
    antwoorden, soort, team, voorziening, thema = ROUTES[naam]
    body = post(client, postcode=POSTCODE, **antwoorden)

    assert body["route"] == {"soort": soort, "team": team, "voorziening": voorziening}
    assert body["uitleg"].strip() and not re.search(r"\bgratis\b", body["uitleg"], re.I)
    assert body["regels"] and body["bronnen"]
    assert {s["telefoon"] for s in body["spoed"]} >= SPOEDNUMMERS
    assert isinstance(body["meenemen"], list)

    w = body["wijkentree"]
    assert w["wijkentree"] is True and w["name"]
    assert {"distance_m", "open_nu", "volgende_opening", "openingstijden"} <= set(w)
    assert isinstance(w["distance_m"], int) and 0 <= w["distance_m"] < 15_000
    assert isinstance(w["open_nu"], bool)
    if w["volgende_opening"] is not None:
        assert datetime.fromisoformat(w["volgende_opening"]) > datetime.now(hours.TZ)

    suggesties = body["suggesties"]
    assert 2 <= len(suggesties) <= 5, [s["name"] for s in suggesties]
    rangen = [laag_rang(s) for s in suggesties]
    assert rangen == sorted(rangen), "lichtste hulp eerst: geen maatwerk voor sociale basis"
    assert all(s["laag"] and set(s["laag"]) <= set(LAAG_VOLGORDE) for s in suggesties)
    if thema:
        assert all(thema in s["themas"] for s in suggesties)
    assert len({s["id"] for s in suggesties}) == len(suggesties)

    assert body["verwijzing"].startswith("Verwijzing:")
    assert w["name"] in body["verwijzing"]
    for item in body["meenemen"]:
        assert item in body["verwijzing"]


def test_without_postcode_the_wijkentree_has_no_distance(client):
    body = post(client, themas=["opvoeden"])
    assert body["route"]["soort"] == "wijkentree"
    assert "distance_m" not in body["wijkentree"]
    assert {"open_nu", "volgende_opening"} <= set(body["wijkentree"])


def test_suggestions_with_distance_are_near_first_within_a_laag(client):
    body = post(client, themas=["eenzaamheid"], postcode=POSTCODE)
    per_laag: dict[int, list[int]] = {}
    for s in body["suggesties"]:
        if s.get("distance_m") is not None:
            per_laag.setdefault(laag_rang(s), []).append(s["distance_m"])
    assert per_laag
    for afstanden in per_laag.values():
        assert afstanden == sorted(afstanden)


def test_referral_text_says_verwijzing_once_per_rule(client):
    body = post(client, themas=["schulden"], signalen=["uitzetting"], postcode=POSTCODE)
    assert not body["verwijzing"].startswith("Verwijzing: Verwijzing:")
    assert body["verwijzing"].count("Verwijzing:") == 1


def test_age_band_is_accepted_as_documented(client):
    r = client.post(URL, json={"gevaar": False, "themas": ["eenzaamheid"], "leeftijd": "67+"})
    assert r.status_code == 200
    assert r.json()["route"]["soort"] == "sociale_basis"


# --------------------------------------------------------------------------------------------- privacy


def alle_waarden(engine):
    """Every value of every column of every table in the database (SQLite or PostgreSQL)."""
    inspector = inspect(engine)
    tabellen = inspector.get_table_names()
    assert "vraagwijzer_telling" in tabellen
    with engine.connect() as conn:
        for tabel in tabellen:
            kolommen = [k["name"] for k in inspector.get_columns(tabel)]
            lijst = ", ".join(f'"{k}"' for k in kolommen)
            for rij in conn.execute(text(f'SELECT {lijst} FROM "{tabel}"')):
                for kolom, waarde in zip(kolommen, rij, strict=True):
                    if isinstance(waarde, bytes):
                        waarde = waarde.decode("utf-8", "replace")
                    if isinstance(waarde, str):
                        yield tabel, kolom, waarde


def test_the_free_text_is_never_stored(client, engine):
    uniek = f"zq{uuid.uuid4().hex[:12]}"
    zin = f"mijn buurman {uniek} heeft schulden en ik kreeg een brief over uitzetting"
    body = post(client, vraag=zin, postcode="7552")
    assert body["route"]["team"] == "schuldhulpverlening"  # the text was read...
    waarden = list(alle_waarden(engine))
    # The scan sees the data: the seeded services and the new count are there.
    assert any(v == "Repair Café Hengelo" for _, _, v in waarden)
    assert ("vraagwijzer_telling", "thema", "schulden") in waarden
    gevonden = [(t, k) for t, k, v in waarden if uniek in v.lower() or zin in v]
    assert gevonden == []  # ...and forgotten
    assert uniek not in str(body)


def test_counts_per_theme_with_the_wijk_and_never_a_postcode(client, session, engine):
    postcode = "7556 AA"
    wijk = wijk_van(client, postcode)
    week = deze_week()

    def aantallen() -> dict:
        session.expire_all()
        rows = session.exec(select(VraagwijzerTelling).where(VraagwijzerTelling.week == week)).all()
        return {(r.thema, r.wijk_code, r.route): r.aantal for r in rows}

    voor = aantallen()
    body = post(client, themas=["taal", "mantelzorg"], postcode=postcode)
    na = aantallen()
    route = body["route"]["soort"]
    for thema in ("taal", "mantelzorg"):
        assert na[(thema, wijk, route)] == voor.get((thema, wijk, route), 0) + 1
    veranderd = {k for k in na if na[k] != voor.get(k)}
    assert veranderd == {("taal", wijk, route), ("mantelzorg", wijk, route)}

    # Without a postcode the wijk is "onbekend"; without a theme the row is "geen".
    post(client)
    assert aantallen()[("geen", "onbekend", "wijkentree")] >= 1

    kolommen = set(VraagwijzerTelling.model_fields)
    assert kolommen == {"id", "week", "thema", "wijk_code", "route", "aantal"}
    postcode_re = re.compile(r"\b\d{4}\s?[A-Za-z]{0,2}\b")
    for _, kolom, waarde in ((t, k, v) for t, k, v in alle_waarden(engine) if t == "vraagwijzer_telling"):
        assert not postcode_re.fullmatch(waarde), (kolom, waarde)


# --------------------------------------------------------------------------------------------- wrong input


@pytest.mark.parametrize(("veld", "waarde", "woord"), [
    ("gevaar", "x", "true of false"),
    ("themas", ["bestaatniet"], "Onbekend thema"),
    ("leeftijd", 300, "120 of lager"),
    ("postcode", "ABCD", "geen postcode"),
    ("voor_wie", "buurman", "Kies een van deze waarden"),
])
def test_wrong_answers_give_422_with_a_dutch_message_for_that_field(client, veld, waarde, woord):
    r = client.post(URL, json={"gevaar": False, veld: waarde})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    fouten = [d for d in detail if d["veld"] == veld]
    assert fouten, detail
    assert woord in fouten[0]["msg"]
    for d in detail:
        assert not re.search(r"\b(Input should|field required|value is not)\b", d["msg"], re.I)


def test_wrong_voor_wie_message_has_no_english(client):
    r = client.post(URL, json={"gevaar": False, "voor_wie": "buurman"})
    assert " or " not in r.json()["detail"][0]["msg"]


def test_wrong_answers_are_not_counted(client, session):
    session.expire_all()
    voor = sum(r.aantal for r in session.exec(select(VraagwijzerTelling)).all())
    client.post(URL, json={"gevaar": False, "themas": ["taal"], "postcode": "ABCD"})
    client.post(URL, json={"gevaar": False, "themas": ["bestaatniet"]})
    session.expire_all()
    assert sum(r.aantal for r in session.exec(select(VraagwijzerTelling)).all()) == voor


# --------------------------------------------------------------------------------------------- statistics


def test_statistics_need_the_staff_token(client):
    r = client.get(STAT)
    assert r.status_code == 401
    assert "medewerkers" in r.json()["detail"]
    assert client.get(STAT, headers={"Authorization": "Bearer fout-token"}).status_code == 401


def cel(body: dict, thema: str, wijk: str, route: str) -> dict:
    cellen = [c for c in body["cellen"] if (c["week"], c["thema"], c["wijk"], c["route"]) ==
              (deze_week(), thema, wijk, route)]
    assert len(cellen) == 1, body["cellen"]
    return cellen[0]


def echt_aantal(session, thema, wijk, route) -> int:
    session.expire_all()
    row = session.exec(select(VraagwijzerTelling).where(
        VraagwijzerTelling.week == deze_week(), VraagwijzerTelling.thema == thema,
        VraagwijzerTelling.wijk_code == wijk, VraagwijzerTelling.route == route)).one()
    return row.aantal


def test_statistics_hide_cells_under_five_and_show_the_rest(client, session):
    # A rare combination: counted once in this test run.
    weinig = post(client, themas=["vervoer"], signalen=["vervoer_indicatie"], postcode="7553")
    wijk_weinig = wijk_van(client, "7553")
    # Five times the same answers in this (ISO) week.
    for _ in range(5):
        veel = post(client, themas=["verslaving"], voor_wie="ander", postcode="7558")
    wijk_veel = wijk_van(client, "7558")

    r = client.get(STAT, headers=STAFF)
    assert r.status_code == 200
    body = r.json()
    today = datetime.now(hours.TZ).date()
    assert body["minimum"] == 5
    assert body["tot"] == today.isoformat() and body["van"] == date(today.year, 1, 1).isoformat()
    for c in body["cellen"]:
        assert set(c) == {"week", "thema", "wijk", "route", "aantal", "onderdrukt"}
        assert c["onderdrukt"] is (c["aantal"] is None)
        assert c["aantal"] is None or c["aantal"] >= 5
        assert not re.fullmatch(r"\d{4}.*", c["wijk"])  # a wijk code or "onbekend", never a postcode

    klein = cel(body, "vervoer", wijk_weinig, weinig["route"]["soort"])
    assert echt_aantal(session, "vervoer", wijk_weinig, weinig["route"]["soort"]) < 5
    assert klein["aantal"] is None and klein["onderdrukt"] is True

    groot = cel(body, "verslaving", wijk_veel, veel["route"]["soort"])
    assert groot["onderdrukt"] is False
    assert groot["aantal"] == echt_aantal(session, "verslaving", wijk_veel, veel["route"]["soort"]) >= 5


def test_statistics_period(client):
    today = datetime.now(hours.TZ).date()
    leeg = client.get(STAT, headers=STAFF, params={"van": "2020-01-01", "tot": "2020-01-31"})
    assert leeg.status_code == 200 and leeg.json()["cellen"] == []
    week = client.get(STAT, headers=STAFF, params={"van": (today - timedelta(days=today.weekday())).isoformat(),
                                                   "tot": today.isoformat()})
    assert week.status_code == 200
    assert {c["week"] for c in week.json()["cellen"]} <= {deze_week()}

    r = client.get(STAT, headers=STAFF, params={"van": "2026-02-01", "tot": "2026-01-01"})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail[0]["veld"] == "van"
    assert "'van' ligt na 'tot'" in detail[0]["msg"]

    r = client.get(STAT, headers=STAFF, params={"van": "gisteren"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["veld"] == "van"


def test_wrong_date_says_how_to_write_a_date(client):
    r = client.get(STAT, headers=STAFF, params={"van": "gisteren"})
    assert "2026-01-31" in r.json()["detail"][0]["msg"]


def test_statistics_period_selects_whole_iso_weeks(fresh_db):
    with Session(fresh_db) as session:
        for week in ("2026-W52", "2026-W53", "2027-W01", "2027-W02"):
            session.add(VraagwijzerTelling(week=week, thema="werk", wijk_code="WK016400", route="gemeente", aantal=7))
        session.commit()
        # Wednesday of week 53 to Monday of week 1: both weeks, not their neighbours.
        weeks = [c["week"] for c in statistiek(session, date(2026, 12, 30), date(2027, 1, 4))]
        assert weeks == ["2026-W53", "2027-W01"]
        assert len(statistiek(session, date(2026, 12, 21), date(2027, 1, 11))) == 4

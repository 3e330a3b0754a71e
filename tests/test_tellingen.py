"""The anonymous counts (app/tellingen.py) through real HTTP and a real database: they add up under concurrent
posts, come in one UPSERT per batch, count only on a POST, and never stand between a resident and help, not even
when the database is locked or cannot be opened."""
import logging
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import event, text
from sqlmodel import Session, select

from app import hours
from app.db import get_writer_engine
from app.models import VraagwijzerTelling
from app.tellingen import MIN_CEL, Teller, iso_week, statistiek

API = "/api/v1/vraagwijzer"
SPOEDLIJNEN = ("tel:112", "tel:0800-0113", "tel:0800-2000")


def aantal(engine, thema: str, wijk: str, route: str) -> int:
    week = iso_week(datetime.now(hours.TZ).date())
    with Session(engine) as session:
        row = session.exec(select(VraagwijzerTelling).where(
            VraagwijzerTelling.week == week, VraagwijzerTelling.thema == thema,
            VraagwijzerTelling.wijk_code == wijk, VraagwijzerTelling.route == route)).first()
    return row.aantal if row else 0


@contextmanager
def vergrendeld(engine):
    """A second connection holds the write lock, as a long migration or a stuck process would."""
    if engine.dialect.name == "sqlite":
        conn = sqlite3.connect(engine.url.database, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
    else:  # PostgreSQL: readers go on, writers of the counts wait for the lock
        with engine.connect() as conn:
            conn.execute(text("LOCK TABLE vraagwijzer_telling IN EXCLUSIVE MODE"))
            yield
            conn.rollback()


def _wacht_op(caplog, woord: str, seconden: float = 3.0) -> bool:
    eind = time.monotonic() + seconden
    while time.monotonic() < eind:
        if any(woord in r.getMessage() for r in caplog.records):
            return True
        time.sleep(0.02)
    return False


# --------------------------------------------------------------------------------------------- adding up


def test_concurrent_posts_add_up_exactly(client, engine):
    vraag = {"gevaar": False, "themas": ["vervoer", "ouderen"], "postcode": "7557", "leeftijd": "67+"}
    eerste = client.post(API, json=vraag).json()
    wijk = client.get("/api/v1/postcodes/7557").json()["wijk"]["code"]
    route = eerste["route"]["soort"]
    voor = {t: aantal(engine, t, wijk, route) for t in vraag["themas"]}

    def post(_):
        return client.post(API, json=vraag).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(post, range(40)))
    assert codes == [200] * 40
    assert {t: aantal(engine, t, wijk, route) for t in vraag["themas"]} == {t: voor[t] + 40 for t in vraag["themas"]}


def test_a_batch_is_one_upsert_and_small_cells_stay_hidden_on_a_fresh_database(fresh_db):
    schrijver = get_writer_engine(fresh_db.url.render_as_string(hide_password=False))
    statements = []

    def traag(_conn, _cursor, statement, *_):  # a slow disk: what comes in meanwhile waits for the next batch
        if "INSERT" in statement:
            statements.append(statement)
            time.sleep(0.03)

    event.listen(schrijver, "before_cursor_execute", traag)
    teller = Teller(schrijver)
    week = iso_week(date(2026, 12, 2))
    klein, groot = (week, "vervoer", "WK016401", "wijkentree"), (week, "schulden", "WK016402", "gemeente")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: teller.tel([groot] if i % 10 else [klein, groot]), range(40)))
    assert len(statements) <= 20  # 40 concurrent counts, grouped: far fewer statements than counts
    assert all("ON CONFLICT" in s for s in statements)

    with Session(fresh_db) as session:
        cellen = {(c["thema"], c["wijk"]): c for c in statistiek(session, date(2026, 11, 30), date(2026, 12, 6))}
    assert cellen["schulden", "WK016402"] == {"week": week, "thema": "schulden", "wijk": "WK016402",
                                              "route": "gemeente", "aantal": 40, "onderdrukt": False}
    assert cellen["vervoer", "WK016401"]["aantal"] is None and cellen["vervoer", "WK016401"]["onderdrukt"] is True

    teller.tel([klein])  # the fifth: now it may be shown
    with Session(fresh_db) as session:
        cel = next(c for c in statistiek(session, date(2026, 12, 2), date(2026, 12, 2)) if c["thema"] == "vervoer")
    assert cel["aantal"] == MIN_CEL == 5 and cel["onderdrukt"] is False


# --------------------------------------------------------------------------------------------- only on a POST


def _stappen(client, laatste: dict) -> str:
    """Walk the resident's steps as a browser would: each POST carries what the redirect URL carries."""
    antwoorden = [("/vraagwijzer", {"gevaar": "nee"}), ("/vraagwijzer/onderwerp", {"thema": "taal"}),
                  ("/vraagwijzer/voor-wie", {"voor_wie": "mezelf", "leeftijd": "27-66"}),
                  ("/vraagwijzer/haast", {"haast": "nee"}), ("/vraagwijzer/postcode", laatste)]
    mee: dict = {}
    for pad, data in antwoorden:
        r = client.post(pad, data=mee | data, follow_redirects=False)
        assert r.status_code == 303, (pad, r.status_code)
        mee = {k: v for k, v in parse_qs(urlsplit(r.headers["location"]).query).items()}
    return r.headers["location"]


def test_the_result_counts_once_and_a_reload_does_not(client, engine):
    wijk = client.get("/api/v1/postcodes/7553").json()["wijk"]["code"]
    voor = {route: aantal(engine, "taal", wijk, route) for route in ("wijkentree", "gemeente", "sociale_basis")}

    uitslag = _stappen(client, {"postcode": "7553"})
    na = {route: aantal(engine, "taal", wijk, route) for route in voor}
    assert sum(na.values()) == sum(voor.values()) + 1
    for _ in range(3):  # reload, back and forward: a GET never counts
        assert client.get(uitslag).status_code == 200
    assert {route: aantal(engine, "taal", wijk, route) for route in voor} == na


# ------------------------------------------------------------------------------------------- a count never blocks help


def _spoed_antwoorden(client) -> float:
    begin = time.monotonic()
    r = client.post("/vraagwijzer", data={"gevaar": "ja"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/vraagwijzer/spoed"
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and all(lijn in page.text for lijn in SPOEDLIJNEN)
    api = client.post(API, json={"gevaar": True})
    assert api.status_code == 200 and api.json()["route"]["soort"] == "spoed"
    assert {s["telefoon"] for s in api.json()["spoed"]} >= {"112", "0800-0113", "0800-2000"}
    return time.monotonic() - begin


def test_danger_gets_the_emergency_lines_at_once_while_the_database_is_locked(client, engine):
    with vergrendeld(engine):
        duur = _spoed_antwoorden(client)
    assert duur < 1.5  # a safety bound (SQLite's default lock wait is 5 s), not a benchmark


def test_danger_needs_no_database_at_all(client, database_weg):
    with database_weg():
        duur = _spoed_antwoorden(client)
        # The same broken database does fail an ordinary question (a Dutch 503): proof that the override is in force.
        gewoon = client.post(API, json={"gevaar": False, "themas": ["taal"], "postcode": "7553"})
    assert gewoon.status_code == 503 and "niet bereikbaar" in gewoon.json()["detail"]
    assert duur < 1.5


def test_a_locked_database_drops_the_count_with_a_warning_and_answers(client, engine, caplog):
    wijk = client.get("/api/v1/postcodes/7554").json()["wijk"]["code"]
    vraag = {"gevaar": False, "themas": ["meedoen"], "postcode": "7554"}
    route = client.post(API, json=vraag).json()["route"]["soort"]
    voor = aantal(engine, "meedoen", wijk, route)

    with caplog.at_level(logging.WARNING, logger="app.tellingen"), vergrendeld(engine):
        begin = time.monotonic()
        r = client.post(API, json=vraag)
        duur = time.monotonic() - begin
        assert r.status_code == 200 and r.json()["route"]["soort"] == route and r.json()["wijkentree"]
        assert caplog.records  # the request has logged already, or the writer has
        assert _wacht_op(caplog, "overgeslagen")  # keep the lock until the writer has given up on this batch
    assert duur < 1.5
    for record in caplog.records:  # only numbers and the kind of fault: nothing from the answers
        assert "meedoen" not in record.getMessage() and wijk not in record.getMessage()

    assert client.post(API, json=vraag).status_code == 200  # the lock is gone: counting goes on
    assert aantal(engine, "meedoen", wijk, route) == voor + 1

"""Nearest wijkentree and importing the official list, on a database of their own."""
from datetime import datetime

import pytest
from sqlmodel import Session, select

from app.models import Location, Schedule
from app.params import Origin
from app.seed import seed
from app.wijkentree import import_wijkentrees, nearest_wijkentrees, parse_hours

MONDAY_10 = datetime(2026, 11, 23, 10, 0)  # naive: Europe/Amsterdam


@pytest.fixture
def db(fresh_db):
    with Session(fresh_db) as session:
        seed(session)
        yield session


def _row(**kw):
    return {"slug": "", "naam": "", "adres": "", "postcode": "", "lat": "", "lon": "", "telefoon": "",
            "openingstijden": "", "bron": ""} | kw


def test_import_marks_existing_and_creates_new_locations(db):
    counts = import_wijkentrees(db, [
        _row(slug="bibliotheek-hengelo-stad"),
        _row(slug="wijkentree-test-noord", naam="Wijkentree Test Noord", adres="Teststraat 1", postcode="7559",
             telefoon="074-000 00 00", openingstijden="MO,TU,WE,TH,FR 09:00-17:00"),
    ])
    assert counts == {"gemarkeerd": 2, "nieuw": 1}
    marked = set(db.exec(select(Location.slug).where(Location.is_wijkentree)).all())
    assert marked == {"mfa-t-berflo", "wijkcentrum-de-sterrentuin", "bibliotheek-hengelo-stad", "wijkentree-test-noord"}
    new = db.exec(select(Location).where(Location.slug == "wijkentree-test-noord")).one()
    assert new.plaatsing == "benadering" and new.wijk_code == "WK016408"
    assert len(db.exec(select(Schedule).where(Schedule.location_id == new.id)).all()) == 1


def test_only_these_replaces_the_seed_marks(db):
    import_wijkentrees(db, [_row(slug="kulturhus-hasselo")], only_these=True)
    assert db.exec(select(Location.slug).where(Location.is_wijkentree)).all() == ["kulturhus-hasselo"]


def test_one_wrong_row_writes_nothing(db):
    with pytest.raises(ValueError) as e:
        import_wijkentrees(db, [
            _row(slug="kulturhus-hasselo"),
            _row(slug="nieuw-zonder-naam"),
            _row(slug="amsterdam", naam="Ver weg", lat="52.37", lon="4.89"),
            _row(slug="mfa-t-berflo", openingstijden="maandag van negen tot vijf"),
        ])
    message = str(e.value)
    assert message.startswith("Niets ingelezen.")
    assert "regel 3 (nieuw-zonder-naam)" in message and "niet in Hengelo" in message and "MO,TU 09:00-17:00" in message
    db.rollback()
    assert not db.exec(select(Location).where(Location.slug == "kulturhus-hasselo")).one().is_wijkentree


def test_parse_hours():
    rules = parse_hours("MO,TU 09:00-17:00; fr 9:00-12:30")
    assert [(d, o.isoformat(), c.isoformat()) for d, o, c in rules] == [
        ("MO,TU", "09:00:00", "17:00:00"), ("FR", "09:00:00", "12:30:00")]
    with pytest.raises(ValueError):
        parse_hours("elke dag")


def test_nearest_prefers_the_one_open_sooner_when_about_equally_near(db):
    # Two wijkentrees about 100 m apart near the stadhuis; only the second is open on Monday morning.
    import_wijkentrees(db, [
        _row(slug="wt-dicht-dicht", naam="Dichtbij maar dicht", lat="52.2661", lon="6.7914",
             openingstijden="WE 09:00-12:00"),
        _row(slug="wt-iets-verder-open", naam="Iets verder maar open", lat="52.2668", lon="6.7922",
             openingstijden="MO 09:00-17:00"),
    ], only_these=True)
    order = nearest_wijkentrees(db, Origin(52.2660, 6.7913), MONDAY_10)
    assert [i["location"].location.slug for i in order] == ["wt-iets-verder-open", "wt-dicht-dicht"]
    assert order[0]["status"].open_nu and order[0]["distance_m"] > order[1]["distance_m"]
    # Far apart, distance wins even when the nearest is closed.
    import_wijkentrees(db, [_row(slug="wt-iets-verder-open", lat="52.2300", lon="6.7600")])
    order = nearest_wijkentrees(db, Origin(52.2660, 6.7913), MONDAY_10)
    assert order[0]["location"].location.slug == "wt-dicht-dicht"


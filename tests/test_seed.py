"""The seed loader and `python -m app check-data`, on an empty migrated database of its own."""
import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

import app.__main__ as cli
from app import geo
from app.db import get_engine, upgrade_db
from app.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from app.seed import check_data, seed

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
BRON_DIR = SEED_DIR / "bron"
COUNTED = (Service, Location, Organization, Phone, Attribute, Schedule, Address, ServiceAtLocation, TaxonomyTerm)


def source_rows() -> dict[str, dict[str, str]]:
    """Every listing row in the seed CSVs, read here without the app's loader."""
    out = {}
    for path in sorted(BRON_DIR.glob("hengelo-places*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if "telefoon" in row and "laag" in row:
                    out[row["id"]] = row
    return out


def counts(session: Session) -> dict[str, int]:
    return {m.__name__: session.exec(select(func.count()).select_from(m)).one() for m in COUNTED}


@pytest.fixture(scope="module")
def seeded(new_database):
    """Like conftest's fresh_db (an empty migrated database of its own), seeded once for the read-only
    tests of this module. Tests that write use fresh_db itself."""
    url = new_database("seeded")
    upgrade_db(url)
    engine = get_engine(url)
    with Session(engine) as session:
        first = seed(session)
    return engine, first


def location(session: Session, slug: str) -> Location:
    return session.exec(select(Location).where(Location.slug == slug)).one()


def service(session: Session, slug: str) -> Service:
    return session.exec(select(Service).where(Service.slug == slug)).one()


def test_seed_fills_an_empty_database_with_every_source_row(seeded):
    engine, first = seeded
    rows = source_rows()
    assert first["nieuw"] == first["diensten"] == len(rows) > 0
    with Session(engine) as session:
        assert {s.slug for s in session.exec(select(Service))} == set(rows)
        # One row per service, and each service sits at exactly one location.
        assert counts(session)["ServiceAtLocation"] == len(rows)
        assert counts(session)["Location"] == first["locaties"]


def test_seeding_twice_adds_nothing(fresh_db):
    engine = fresh_db
    with Session(engine) as session:
        assert seed(session)["nieuw"] > 0
    with Session(engine) as session:
        before = counts(session)
    with Session(engine) as session:
        second = seed(session)
    with Session(engine) as session:
        after = counts(session)
    assert second["nieuw"] == 0
    assert after == before
    assert before["Service"] > 0 and before["Phone"] > 0 and before["Attribute"] > 0


def test_every_service_has_one_laag_and_a_source(seeded):
    engine, _ = seeded
    with Session(engine) as session:
        laag_tax = session.exec(select(Taxonomy).where(Taxonomy.name == "laag")).one()
        lagen = {t.id: t.code for t in session.exec(select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == laag_tax.id))}
        for svc in session.exec(select(Service)):
            attrs = session.exec(select(Attribute).where(Attribute.link_id == svc.id)).all()
            service_lagen = [lagen[a.taxonomy_term_id] for a in attrs if a.taxonomy_term_id in lagen]
            assert len(service_lagen) == 1, svc.slug
            assert svc.bron_url.startswith("http"), svc.slug
            assert svc.zekerheid in {"hoog", "middel", "laag"}, svc.slug
            assert svc.bron_jaar is None or 1900 < svc.bron_jaar <= date.today().year, svc.slug


def test_no_seeded_service_is_confirmed(seeded):
    engine, _ = seeded
    with Session(engine) as session:
        assert session.exec(select(Service).where(Service.assured_date.is_not(None))).all() == []


def test_wijkentree_marks_are_exactly_the_sourced_ones(seeded):
    engine, _ = seeded
    with Session(engine) as session:
        marked = {loc.slug for loc in session.exec(select(Location).where(Location.is_wijkentree))}
    assert marked == {"mfa-t-berflo", "wijkcentrum-de-sterrentuin"}


def test_locations_are_placed_only_from_sources(seeded):
    engine, _ = seeded
    with Session(engine) as session:
        stadhuis = location(session, "gemeente-hengelo-stadhuis")
        assert stadhuis.plaatsing == "exact"
        assert (stadhuis.latitude, stadhuis.longitude) == (52.26607, 6.79144)
        assert stadhuis.plaatsing_bron.startswith("https://")
        assert stadhuis.wijk_code == "WK016400"

        # Slangenbeek has both a postcode and a named area: the postcode wins.
        slangenbeek = location(session, "wijkcentrum-slangenbeek")
        assert slangenbeek.plaatsing == "benadering"
        assert (slangenbeek.latitude, slangenbeek.longitude) == geo.postcode_point(geo.parse_postcode("7559"))
        assert "7559" in slangenbeek.plaatsing_bron
        assert slangenbeek.wijk_code == "WK016408"
        assert slangenbeek.buurt_code is None  # a PC4 centre does not tell the buurt
        berflo = location(session, "mfa-t-berflo")
        assert (berflo.wijk_code, berflo.buurt_code) == ("WK016405", None)  # the source names only the wijk

        # Only an area: a point inside that area.
        beckum = location(session, "proggiehoes-beckum")
        assert beckum.plaatsing == "benadering"
        assert (beckum.latitude, beckum.longitude) == geo.area_point("BU01640900")
        assert beckum.buurt_code == "BU01640900"

        all_locations = session.exec(select(Location)).all()
        unplaced = [loc for loc in all_locations if loc.plaatsing == "geen"]
        assert unplaced, "some sources give no place at all"
        for loc in unplaced:
            assert (loc.latitude, loc.longitude, loc.wijk_code, loc.buurt_code) == (None, None, None, None), loc.slug
            assert loc.plaatsing_bron == ""
        for loc in all_locations:
            assert loc.plaatsing in {"exact", "benadering", "geen"}, loc.slug
            if loc.plaatsing != "geen":
                assert loc.latitude is not None and loc.plaatsing_bron, loc.slug
                wijk_code, buurt_code = geo.locate(loc.latitude, loc.longitude)
                assert loc.wijk_code == wijk_code, loc.slug
                # An approximate point names no buurt unless the source names that buurt.
                if loc.plaatsing == "exact":
                    assert loc.buurt_code == buurt_code, loc.slug
                else:
                    assert loc.buurt_code in (None, buurt_code), loc.slug
        assert [loc.slug for loc in all_locations if loc.plaatsing == "exact"] == ["gemeente-hengelo-stadhuis"]


def test_no_invented_phone_numbers(seeded):
    engine, _ = seeded
    rows = source_rows()
    bron_text = "".join(p.read_text(encoding="utf-8") for p in BRON_DIR.glob("*.csv"))
    with Session(engine) as session:
        phones = session.exec(select(Phone, Service).join(Service, Service.id == Phone.service_id)).all()
        assert len(phones) == sum(1 for r in rows.values() if r["telefoon"].strip())
        for phone, svc in phones:
            assert phone.number in bron_text
            assert phone.number == rows[svc.slug]["telefoon"].strip(), svc.slug
        assert session.exec(select(Phone).where(Phone.service_id.is_(None))).all() == []


def test_no_invented_postcodes_or_emails(seeded):
    engine, _ = seeded
    bron_text = "".join(p.read_text(encoding="utf-8") for p in BRON_DIR.glob("*.csv"))
    with Session(engine) as session:
        for address in session.exec(select(Address)):
            assert address.postal_code == "" or address.postal_code in bron_text
            assert address.address_1 == "" or address.address_1.split()[0] in bron_text
        for svc in session.exec(select(Service)):
            assert svc.email is None or svc.email in bron_text
            assert svc.url is None or svc.url in bron_text


def test_refresh_keeps_what_wijkracht_set_by_hand(fresh_db, monkeypatch, capsys):
    with Session(fresh_db) as session:
        seed(session)
        svc = service(session, "repair-cafe-hengelo")
        svc.assured_date = date(2026, 1, 15)
        svc.name = "Naam met de hand veranderd"
        loc = location(session, "wijkcentrum-slangenbeek")
        loc.is_wijkentree = True
        session.add_all([svc, loc])
        session.commit()

    # Without --refresh a hand edit of a seed field stays.
    with Session(fresh_db) as session:
        seed(session)
    with Session(fresh_db) as session:
        assert service(session, "repair-cafe-hengelo").name == "Naam met de hand veranderd"

    # `python -m app seed --refresh`, pointed at this database.
    monkeypatch.setattr(cli, "get_engine", lambda: fresh_db)
    assert cli.main(["seed", "--refresh"]) == 0
    assert "nieuw: 0" in capsys.readouterr().out

    with Session(fresh_db) as session:
        svc = service(session, "repair-cafe-hengelo")
        assert svc.name == "Repair Café Hengelo"  # seed field overwritten
        assert svc.assured_date == date(2026, 1, 15)  # confirmation kept
        assert location(session, "wijkcentrum-slangenbeek").is_wijkentree is True  # mark kept
        assert location(session, "mfa-t-berflo").is_wijkentree is True


def test_refresh_restores_children_without_duplicates(fresh_db):
    engine = fresh_db
    with Session(engine) as session:
        seed(session)
    with Session(engine) as session:
        before = counts(session)
        svc = service(session, "wijkcentrum-slangenbeek")
        for sched in session.exec(select(Schedule).where(Schedule.service_id == svc.id)):
            session.delete(sched)
        session.commit()
    with Session(engine) as session:
        assert seed(session, refresh=True)["nieuw"] == 0
    with Session(engine) as session:
        assert counts(session) == before
        svc = service(session, "wijkcentrum-slangenbeek")
        rules = session.exec(select(Schedule).where(Schedule.service_id == svc.id)).all()
        assert [(r.byday, r.opens_at.isoformat(), r.closes_at.isoformat()) for r in rules] == [
            ("MO", "10:00:00", "11:00:00")
        ]


# --- check-data ------------------------------------------------------------------------------


def run_check_data(capsys) -> tuple[int, dict[str, str], str]:
    code = cli.main(["check-data"])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    per_listing = {line.split(":", 1)[0]: line for line in lines[:-1]}
    return code, per_listing, lines[-1]


def test_check_data_exits_0_and_lists_what_each_listing_misses(capsys):
    code, per_listing, summary = run_check_data(capsys)
    assert code == 0
    rows = source_rows()
    assert set(per_listing) <= set(rows)
    assert summary.startswith(f"{len(rows)} vermeldingen in ")
    assert "0 met een fout" in summary
    assert f"; {len(per_listing)} met iets dat ontbreekt;" in summary

    # Known gaps, straight from the source rows.
    sterrentuin = per_listing["wijkcentrum-de-sterrentuin"]
    assert "postcode" in sterrentuin and "plaats op de kaart" in sterrentuin and "telefoonnummer" in sterrentuin
    slangenbeek = per_listing["wijkcentrum-slangenbeek"]
    assert "postcode" not in slangenbeek and "plaats op de kaart" not in slangenbeek
    assert "openingstijden" not in slangenbeek and "telefoonnummer" in slangenbeek
    assert "recente bron (nu: onbekend)" in slangenbeek
    assert "exacte coördinaten" not in per_listing["gemeente-hengelo-stadhuis"]
    assert "recente bron (nu: 2014)" in per_listing["buurtbemiddeling-hengelo"]
    # "In de winter van 2022": search hides it, beheer is told.
    assert "een lopende periode (voorbij sinds 31-03-2023" in per_listing["warme-winter-woonkamer-bibliotheek"]
    assert "lopende periode" not in per_listing.get("winteropvang-enschede-humanitas", "")
    # A national line is not expected to have an address.
    assert "adres" not in per_listing["alarmnummer-112"] and "postcode" not in per_listing["alarmnummer-112"]
    for row_id, line in per_listing.items():
        assert "FOUT" not in line, line
        if rows[row_id]["telefoon"]:
            assert "telefoonnummer" not in line, line
        else:
            assert "telefoonnummer" in line, line


def test_check_data_returns_problems_without_touching_the_database():
    problems, totals = check_data()
    assert totals["rijen"] == len(source_rows())
    assert totals["bestanden"] == 4
    assert all(not p.errors for p in problems)
    assert all(p.missing for p in problems)


def test_check_data_map_gap_agrees_with_the_seeded_map(seeded, capsys):
    """'plaats op de kaart' is reported missing exactly for listings whose location has no point."""
    engine, _ = seeded
    _, per_listing, _ = run_check_data(capsys)
    with Session(engine) as session:
        placed = {
            svc.slug: loc.latitude is not None
            for svc, loc in session.exec(
                select(Service, Location)
                .join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
                .join(Location, Location.id == ServiceAtLocation.location_id)
            )
        }
        spoed = {
            svc.slug for svc, term in session.exec(
                select(Service, TaxonomyTerm)
                .join(Attribute, Attribute.link_id == Service.id)
                .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
                .where(TaxonomyTerm.code == "spoed")
            )
        }
    wrong = []
    for slug, on_map in placed.items():
        if slug in spoed:
            continue  # check-data does not ask national lines for a place
        said_missing = "plaats op de kaart" in per_listing.get(slug, "")
        if said_missing == on_map:
            wrong.append((slug, "op de kaart" if on_map else "niet op de kaart"))
    assert wrong == [], wrong

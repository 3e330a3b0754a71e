"""Beheer in the real browser: a redacteur logs in, edits a listing and residents find it in search at once
(SEARCH_FRESHNESS_SECONDS is 0 in the tests); axe-core finds nothing serious on any beheer page; 320 px works."""
import uuid

import pytest
from sqlmodel import Session, select

from app.data import aanbod, accounts
from app.data.core import SYSTEEM
from app.models import Location, Organization, Service, ServiceAtLocation
from tests.browser.checks import assert_axe_clean, assert_no_sideways_scroll_at_320

WACHTWOORD = "een lange zin als wachtwoord"


@pytest.fixture
def dienst(engine):
    """A seeded service with a location; its description is put back afterwards (the database is shared)."""
    with Session(engine) as s:
        service = s.exec(select(Service).join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
                         .where(Service.verwijderd.is_(None)).order_by(Service.name)).first()
        oud = service.description
    yield service.id, service.organization_id
    with Session(engine) as s:
        aanbod.wijzig(s, SYSTEEM, "service", service.id, {"description": oud}, if_match=None)


def _inloggen(page, engine, rol: str, organisaties: list[str] | None = None, terug: str = "/beheer") -> None:
    email = f"{rol}-{uuid.uuid4().hex[:8]}@wijkracht.example"
    with Session(engine) as s:
        accounts.maak_gebruiker(s, SYSTEEM, email, f"Browser {rol}", rol, WACHTWOORD, organisaties)
    page.goto(f"/beheer/inloggen?terug={terug}")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"**{terug}")


def test_a_redacteur_edits_a_listing_and_residents_find_it(make_page, run_axe, engine, dienst):
    sid, org = dienst
    page = make_page(width=1280, height=800)
    page.set_default_timeout(10000)
    _inloggen(page, engine, "redacteur", [org], terug=f"/beheer/diensten/{sid}/bewerken")
    assert_axe_clean(page, run_axe, "bewerken")
    woord = f"fietsbelmaker{uuid.uuid4().hex[:6]}"
    page.get_by_label("Beschrijving", exact=True).fill(f"Kom langs met uw vraag over de {woord}. Het is gratis.")
    page.get_by_label("Telefoonnummer 1").fill("12")
    page.get_by_role("button", name="Opslaan").click()
    # An error: shown at the top and next to the field, the text typed is still there
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#phones-0-number-fout").is_visible()
    assert woord in page.get_by_label("Beschrijving", exact=True).input_value()
    assert_axe_clean(page, run_axe, "bewerken met fout")
    page.get_by_label("Telefoonnummer 1").fill("")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_role("status").first.inner_text().startswith("Opgeslagen")

    bewoner = make_page(width=360, height=740)
    bewoner.goto(f"/zoeken?q={woord}")
    with Session(engine) as s:
        naam = s.get(Service, sid).name
    assert naam in bewoner.locator("main").inner_text()


def test_every_beheer_page_is_axe_clean_and_fits_320px(make_page, run_axe, engine):
    with Session(engine) as s:
        sid = s.exec(select(Service.id).order_by(Service.name)).first()
        lid = s.exec(select(Location.id).where(Location.is_wijkentree)).first()
        oid = s.exec(select(Organization.id).order_by(Organization.name)).first()
    page = make_page(width=1280, height=800)
    page.set_default_timeout(10000)
    page.goto("/beheer/inloggen")
    assert_axe_clean(page, run_axe, "/beheer/inloggen")
    _inloggen(page, engine, "beheerder")
    paden = ["/beheer", "/beheer/te-doen", "/beheer/wijkentrees", "/beheer/accounts", "/beheer/wachtwoord",
             f"/beheer/diensten/{sid}/voorbeeld", f"/beheer/diensten/{sid}/geschiedenis",
             f"/beheer/diensten/{sid}/bewerken", f"/beheer/diensten/{sid}/verwijderen", "/beheer/diensten/nieuw",
             f"/beheer/locaties/{lid}/bewerken", f"/beheer/organisaties/{oid}/bewerken"]
    for pad in paden:
        assert page.goto(pad).status == 200, pad
        assert_axe_clean(page, run_axe, pad)
    smal = make_page(width=320, height=640)
    _inloggen(smal, engine, "beheerder")
    for pad in ("/beheer", f"/beheer/diensten/{sid}/bewerken", "/beheer/accounts"):
        smal.goto(pad)
        assert_no_sideways_scroll_at_320(smal, pad)

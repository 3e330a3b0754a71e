"""The front door in a real browser (issue 12): a resident sends a question on /contact, a medewerker logs in,
finds it in the inbox, picks it up and marks it handled. axe finds nothing serious on any of these pages.

Short timeouts and `domcontentloaded` everywhere: a step that cannot happen fails in seconds with a message,
it never waits for ever."""
import uuid

from sqlmodel import Session

from app.data import accounts
from app.data.core import SYSTEEM
from tests.browser.checks import assert_axe_clean
from tests.browser.conftest import DESKTOP, MOBILE

WACHTWOORD = "een lange zin als wachtwoord"
LADEN = {"wait_until": "domcontentloaded"}


def _medewerker(engine) -> str:
    email = f"medewerker-{uuid.uuid4().hex[:8]}@wijkracht.example"
    with Session(engine) as s:
        accounts.maak_gebruiker(s, SYSTEEM, email, "Test medewerker", "medewerker", WACHTWOORD)
    return email


def test_resident_sends_and_medewerker_handles(make_page, run_axe, engine):
    inwoner = make_page(**MOBILE)
    inwoner.set_default_timeout(10_000)
    assert inwoner.goto("/contact?wijkentree=mfa-t-berflo", **LADEN).status == 200
    assert_axe_clean(inwoner, run_axe, "/contact")
    inwoner.get_by_label("Bel mij terug").check()
    inwoner.get_by_label("Uw voornaam of voorletters").fill("Ans")
    inwoner.get_by_label("Uw telefoonnummer").fill("06 1357 2468")
    inwoner.get_by_label("Waar gaat uw vraag over?").select_option("schulden")
    inwoner.get_by_label("Uw vraag (mag leeg blijven)").fill("Ik heb een brief van de deurwaarder gekregen")
    inwoner.get_by_label("In de ochtend (9 tot 12 uur)").check()
    with inwoner.expect_navigation(**LADEN):
        inwoner.get_by_role("button", name="Verder").click()
    inwoner.get_by_label("Ik ben akkoord", exact=False).check()
    with inwoner.expect_navigation(**LADEN):
        inwoner.get_by_role("button", name="Vraag versturen").click()
    assert inwoner.get_by_role("heading", level=1).inner_text() == "Uw vraag is verstuurd"
    referentie = inwoner.locator(".contact-referentie").inner_text()
    assert len(referentie) == 8
    assert_axe_clean(inwoner, run_axe, "de ontvangstbevestiging")

    email = _medewerker(engine)
    page = make_page(**DESKTOP)
    page.set_default_timeout(10_000)
    page.goto("/beheer/contact", **LADEN)
    assert "/beheer/inloggen" in page.url  # no login, no inbox
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    with page.expect_navigation(**LADEN):
        page.get_by_role("button", name="Inloggen").click()
    assert page.url.endswith("/beheer/contact")
    assert "0613572468" not in page.content()  # the list holds no personal data
    assert_axe_clean(page, run_axe, "/beheer/contact")

    with page.expect_navigation(**LADEN):
        page.get_by_role("link", name=referentie).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Vraag {referentie}"
    assert page.get_by_role("link", name="0613572468").count() == 1
    assert_axe_clean(page, run_axe, "een vraag in de inbox")
    with page.expect_navigation(**LADEN):
        page.get_by_role("button", name="Oppakken").click()
    assert page.get_by_role("status").first.inner_text() == "U heeft deze vraag opgepakt."
    with page.expect_navigation(**LADEN):
        page.get_by_role("button", name="Afgehandeld").click()
    assert "Deze vraag is afgehandeld." in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("button", name="Afgehandeld").count() == 0
    assert_axe_clean(page, run_axe, "een afgehandelde vraag")

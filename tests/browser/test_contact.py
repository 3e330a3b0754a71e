"""The front door in a real browser: a resident sends a call-back request from a wijk page, with a mistake on
the way, without JavaScript; axe (WCAG 2.1 A/AA) on every page and no sideways scroll at 320 px.
(The medewerker's side waits for the staff accounts: see the report of issue 12.)"""
from tests.browser.checks import assert_axe_clean, assert_no_sideways_scroll_at_320


def check(page, run_axe, where: str) -> None:
    assert_axe_clean(page, run_axe, where)
    assert_no_sideways_scroll_at_320(page, where)


def test_resident_sends_a_call_back_request(make_page, run_axe):
    page = make_page(320, 740, java_script_enabled=False)
    page.goto("/wijken/berflo-es")
    page.get_by_role("link", name="Stel uw vraag of vraag om terugbellen").click()
    assert page.url.split("?")[0].endswith("/contact")
    check(page, run_axe, "contact-formulier")
    page.get_by_label("Bel mij terug").check()
    page.get_by_label("Uw voornaam of voorletters").fill("Ans")
    page.get_by_label("Uw telefoonnummer").fill("12345")
    page.get_by_label("Waar gaat uw vraag over?").select_option("schulden")
    page.get_by_label("In de ochtend (9 tot 12 uur)").check()
    page.get_by_role("button", name="Verder").click()
    assert page.locator(".error-summary").is_visible()
    assert "telefoonnummer klopt niet" in page.locator("#telefoon-fout").inner_text()
    check(page, run_axe, "contact-fout")
    page.get_by_label("Uw telefoonnummer").fill("06 12345678")
    page.get_by_role("button", name="Verder").click()
    assert page.get_by_role("heading", name="Kloppen uw gegevens?").is_visible()
    assert "0612345678" not in page.url and "Ans" not in page.url
    check(page, run_axe, "contact-controle")
    page.get_by_role("button", name="Vraag versturen").click()
    assert "Vink aan dat u akkoord bent" in page.locator("#toestemming-fout").inner_text()
    page.get_by_label("Ik ben akkoord").check()
    page.get_by_role("button", name="Vraag versturen").click()
    assert page.get_by_role("heading", name="Uw vraag is verstuurd").is_visible()
    assert len(page.locator(".contact-referentie").inner_text()) == 8
    check(page, run_axe, "contact-ontvangen")

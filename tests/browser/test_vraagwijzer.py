"""The vraagwijzer in a real browser: a resident with only a keyboard, a resident without JavaScript, the
emergency page, the own-words step, error messages, and the staff mode. axe-core (WCAG 2.1 A/AA) runs on
every page a resident or staff member sees on the way; no serious or critical violation is allowed."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from app import vraagtoken
from app.templating import templates
from tests.browser.checks import assert_axe_clean, assert_no_sideways_scroll_at_320, focus_style, has_visible_focus

STAFF_TOKEN = "test-medewerker-token"  # tests/conftest.py sets STAFF_TOKEN
OWN_WORDS = "Ik kan mijn huur niet betalen"


def query(url: str) -> dict[str, list[str]]:
    """The answers in a vraagwijzer URL: only a token is in it, and the token holds them."""
    q = parse_qs(urlsplit(url).query)
    assert set(q) <= {"s"}, f"more than the token in {url}"
    return vraagtoken.lees(q["s"][0]) if q else {}


def step_url(path: str, **state) -> str:
    return f"{path}?s={vraagtoken.maak({k: [v] if isinstance(v, str) else v for k, v in state.items()})}"


def check_page(page, run_axe, where: str) -> None:
    assert_axe_clean(page, run_axe, where)
    assert_no_sideways_scroll_at_320(page, where)


# ---------------------------------------------------------------------------------- keyboard only


def assert_focus_visible(page) -> None:
    style = focus_style(page)
    assert has_visible_focus(style), f"no visible focus indicator: {style}"


def tab_to(page, css: str, limit: int = 60) -> None:
    """Press Tab until the element matching `css` has focus. In a radio group Tab stops on one radio only:
    once focus is in the group, the arrow keys move to (and choose) the right one, as a keyboard user does."""
    where = """css => {
        const a = document.activeElement, target = document.querySelector(css);
        if (a.matches(css)) return 'there';
        return a.type === 'radio' && target && a.name === target.name ? 'group' : 'elsewhere';
    }"""
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate(where, css)
        for _ in range(10 if found == "group" else 0):
            page.keyboard.press("ArrowDown")
            found = page.evaluate(where, css)
            if found == "there":
                break
        if found == "there":
            assert_focus_visible(page)
            return
    raise AssertionError(f"{css} never got focus with the Tab key on {page.url}")


def choose(page, css: str) -> None:
    """Move focus to a radio or checkbox with the keyboard and make sure it is checked (Space)."""
    tab_to(page, css)
    if not page.evaluate("document.activeElement.checked"):
        page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked"), f"{css} is not checked"


def next_step(page, url_part: str) -> None:
    """Tab to "Volgende" and press Enter; wait for the next step."""
    tab_to(page, "form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert url_part in page.url, f"expected {url_part} in {page.url}"


def test_resident_completes_the_vraagwijzer_with_the_keyboard_only(mobile_page, run_axe):
    page = mobile_page
    page.goto("/vraagwijzer")
    assert page.locator("h1").inner_text() == "Is er nu gevaar?"
    check_page(page, run_axe, "step 1 (gevaar)")
    choose(page, "#gevaar-nee")
    next_step(page, "/vraagwijzer/onderwerp?s=")

    assert page.locator(".steps").inner_text() == "Vraag 2 van 5"
    check_page(page, run_axe, "step 2 (onderwerp)")
    choose(page, "#thema-schulden")
    next_step(page, "/vraagwijzer/voor-wie?")

    check_page(page, run_axe, "step 3 (voor wie)")
    choose(page, "#voor_wie-mezelf")
    next_step(page, "/vraagwijzer/haast?")

    check_page(page, run_axe, "step 4 (haast)")
    choose(page, "#haast-ja")  # "Deze week"
    assert page.locator("label[for=haast-ja]").inner_text() == "Deze week"
    next_step(page, "/vraagwijzer/postcode?")

    check_page(page, run_axe, "step 5 (postcode)")
    tab_to(page, "#postcode")
    page.keyboard.type("7551 AB")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form from the text field

    assert "/vraagwijzer/uitslag?" in page.url
    state = query(page.url)
    assert state == {"gevaar": ["nee"], "thema": ["schulden"], "voor_wie": ["mezelf"], "haast": ["ja"],
                     "postcode": ["7551 AB"]}, state
    assert page.locator("h2", has_text="Stap 1.").is_visible() and page.locator("h2", has_text="Stap 3.").is_visible()
    assert page.get_by_role("link", name=re.compile("^Wijzig")).count() == 5
    assert page.locator("[data-print]").is_visible()  # with JavaScript the print button works, so it shows
    wijkentree = page.locator("section[aria-labelledby=wijkentree-titel]")
    assert wijkentree.is_visible()
    assert wijkentree.locator("a[href^='/locaties/']").first.is_visible()
    assert "van uw postcode" in wijkentree.inner_text()
    spoed = page.locator("main section[aria-labelledby=spoed-titel]")
    for tel in ("tel:112", "tel:0800-0113", "tel:0800-2000"):
        assert spoed.locator(f"a[href='{tel}']").is_visible(), tel
    check_page(page, run_axe, "the result")


# ---------------------------------------------------------------------------------- without JavaScript


def test_vraagwijzer_without_javascript_back_links_and_back_button(nojs_page):
    page = nojs_page
    page.goto("/vraagwijzer")
    page.get_by_label("Nee", exact=True).check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/vraagwijzer/onderwerp?**")
    page.get_by_label("Schulden").check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/vraagwijzer/voor-wie?**")

    # "Vorige" on step 3 goes back to step 2, and the theme is still checked.
    assert page.locator(".steps").inner_text() == "Vraag 3 van 5"
    page.get_by_role("link", name="Vorige").click()
    page.wait_for_url("**/vraagwijzer/onderwerp?**")
    assert query(page.url) == {"gevaar": ["nee"], "thema": ["schulden"]}
    assert page.get_by_label("Schulden").is_checked()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/vraagwijzer/voor-wie?**")

    page.get_by_label("Voor mezelf").check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/vraagwijzer/haast?**")
    page.get_by_label("Deze week").check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/vraagwijzer/postcode?**")
    step5 = page.url
    page.get_by_label("Wat is uw postcode?").fill("7551 AB")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/vraagwijzer/uitslag?**")
    assert page.locator("section[aria-labelledby=wijkentree-titel]").is_visible()
    assert page.locator("main a[href='tel:112']").is_visible()
    assert page.locator("[data-print]").is_hidden()  # without JavaScript: the browser's own print, no dead button

    # The browser's back button: step 5 again, with the answers so far still in the URL and the form.
    page.go_back()
    assert page.url == step5
    assert query(page.url) == {"gevaar": ["nee"], "thema": ["schulden"], "voor_wie": ["mezelf"], "haast": ["ja"]}
    hidden = {el.get_attribute("name"): el.get_attribute("value")
              for el in page.locator("form input[type=hidden]").all()}
    assert set(hidden) == {"s"}
    assert vraagtoken.lees(hidden["s"]) == {"gevaar": ["nee"], "thema": ["schulden"], "voor_wie": ["mezelf"],
                                            "haast": ["ja"]}
    # And it still works from there.
    page.get_by_label("Wat is uw postcode?").fill("7551 AB")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/vraagwijzer/uitslag?**")


# ---------------------------------------------------------------------------------- danger


def test_danger_shows_big_emergency_links(mobile_page, run_axe):
    page = mobile_page
    page.goto("/vraagwijzer")
    page.get_by_label("Ja, er is nu gevaar").check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/vraagwijzer/spoed")
    assert page.locator("h1").inner_text() == "Bel nu voor hulp"
    for tel in ("tel:112", "tel:0800-0113", "tel:0800-2000"):
        assert page.locator(f"main a[href='{tel}']").is_visible(), tel
        # The big links in the page and the small ones in the bar at the top: all easy to tap.
        for link in page.locator(f"a[href='{tel}']").all():
            box = link.bounding_box()
            assert box["height"] >= 44, f"{tel} ({link.inner_text()!r}) is {box['height']:.0f}px high, not 44px"
    check_page(page, run_axe, "the emergency page")


# ---------------------------------------------------------------------------------- own words


def test_own_words_suggest_a_theme_and_are_not_kept(mobile_page, run_axe):
    page = mobile_page
    page.goto(step_url("/vraagwijzer/onderwerp", gevaar="nee"))
    page.get_by_label("Of vertel in een paar woorden").fill(OWN_WORDS)
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_function("() => document.querySelector('h1').innerText.startsWith('Gaat uw vraag over')")

    title = page.locator("h1").inner_text()
    assert title.startswith("Gaat uw vraag over ") and title.endswith("?"), title
    suggested = query(page.url)["suggestie"]
    assert suggested, page.url
    for code in suggested:  # a suggestion the resident confirms: named, not ticked
        assert not page.locator(f"#thema-{code}").is_checked(), code
        page.locator(f"#thema-{code}").check()
    assert page.locator("#vraag").count() == 0  # no second free-text field
    check_page(page, run_axe, "the theme suggestion")

    def nowhere(where: str) -> None:
        for piece in (OWN_WORDS, "huur", "betalen"):
            assert piece.lower() not in page.url.lower(), f"{piece!r} in the URL {where}: {page.url}"
            assert piece.lower() not in page.content().lower(), f"{piece!r} on the page {where}"

    nowhere("with the suggestion")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/vraagwijzer/voor-wie?**")
    assert sorted(query(page.url)["thema"]) == sorted(suggested)
    nowhere("on the next step")


# ---------------------------------------------------------------------------------- safety net on own words


@pytest.mark.parametrize("width, js", [(320, True), (360, True), (360, False)], ids=["320", "360", "360-zonder-js"])
def test_alarming_own_words_show_the_lines_first_then_go_on_with_the_same_words(make_page, run_axe, width, js):
    page = make_page(width, 740, java_script_enabled=js)
    page.goto("/vraagwijzer")
    page.get_by_label("Nee", exact=True).check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/vraagwijzer/onderwerp?s=**")
    page.get_by_label("Of vertel in een paar woorden").fill("ik zie het niet meer zitten")
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("button", name="Verder met de vraagwijzer").wait_for()

    assert page.url.endswith("/vraagwijzer/onderwerp")  # a POST answer: the words are in no URL
    call = page.locator("main a[href='tel:0800-0113']")
    assert call.is_visible() and call.bounding_box()["height"] >= 44
    assert page.locator("h1").inner_text().startswith("Denkt u aan zelfdoding?")
    if js:
        check_page(page, run_axe, f"the safety page at {width}px")
    page.get_by_role("button", name="Verder met de vraagwijzer").click()
    page.wait_for_url("**/vraagwijzer/voor-wie?s=**")  # on, no error, no second safety page
    assert "zelfdoding" in query(page.url)["signaal"]
    assert "zitten" not in page.url and "zitten" not in page.content()


# ---------------------------------------------------------------------------------- Snel weg


@pytest.mark.parametrize("js", [True, False], ids=["met-js", "zonder-js"])
def test_snel_weg_leaves_at_once_and_with_js_replaces_the_history_entry(make_page, base_url, js):
    page = make_page(320, 640, java_script_enabled=js)
    # The settings the templates render with (captured when app.templating was imported; an earlier test's
    # get_settings.cache_clear() makes get_settings() return another object).
    settings = templates.env.globals["settings"]
    neutral, settings.snel_weg_url = settings.snel_weg_url, f"{base_url}/over"  # a page the test can reach
    try:
        page.goto("/")
        page.goto(step_url("/vraagwijzer/haast", gevaar="nee", thema="veiligheid", voor_wie="mezelf"))
        button = page.get_by_role("link", name=re.compile("^Snel weg"))
        box, h1 = button.bounding_box(), page.locator("h1").bounding_box()
        assert box["x"] + box["width"] <= 320 and box["x"] > 160, box  # top right, inside the 320px screen
        assert box["y"] + box["height"] <= h1["y"], "Snel weg covers the question"
        button.click()
        page.wait_for_url("**/over")
        page.go_back()
        if js:  # the vraagwijzer page is gone from the history: back leads to where the resident was before
            assert urlsplit(page.url).path == "/", page.url
        else:
            assert "/vraagwijzer/haast" in page.url
    finally:
        settings.snel_weg_url = neutral


# ---------------------------------------------------------------------------------- print


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("answers", [
    {"thema": ["schulden", "geld"], "signaal": "uitzetting"},
    {"thema": ["gezondheid", "ouderen"], "signaal": "huishoudelijke_hulp", "voor_wie": "ander", "leeftijd": "67+"},
    {"thema": "opvoeden", "voor_wie": "kind", "leeftijd": "0-11"},
], ids=["gemeente", "maatwerk", "wijkentree"])
def test_result_prints_on_one_a4(desktop_page, answers):
    page = desktop_page
    page.goto(step_url("/vraagwijzer/uitslag", **({"gevaar": "nee", "voor_wie": "mezelf", "haast": "ja",
                                                 "postcode": "7551 AB"} | answers)))
    assert page.locator("h2", has_text="Stap 3.").is_visible()
    page.emulate_media(media="print")
    assert _pdf_pages(page.pdf(format="A4")) == 1


# ---------------------------------------------------------------------------------- errors


def test_error_summary_link_moves_focus_to_the_field(mobile_page, run_axe):
    page = mobile_page
    for path, field, question in [
        ("/vraagwijzer", "gevaar-ja", "Is er nu gevaar?"),
        (step_url("/vraagwijzer/onderwerp", gevaar="nee"), "thema-opvoeden", "Waar gaat uw vraag over?"),
        (step_url("/vraagwijzer/voor-wie", gevaar="nee", thema="schulden"), "voor_wie-mezelf",
         "Voor wie is de vraag?"),
        (step_url("/vraagwijzer/haast", gevaar="nee", thema="schulden", voor_wie="mezelf"), "haast-ja",
         "Hoe snel heeft u hulp nodig?"),
    ]:
        page.goto(path)
        page.get_by_role("button", name="Volgende").click()
        summary = page.locator(".error-summary")
        summary.wait_for()
        assert page.title().startswith("Fout: "), page.title()
        assert summary.get_attribute("role") == "alert"
        message = page.locator(".error-message")
        assert message.is_visible()
        # A screen reader reads the error with the question, not only in the summary at the top.
        expect(page.get_by_role("group", name=question)).to_have_accessible_description(
            re.compile(re.escape(message.inner_text())))
        link = summary.locator("a")
        assert link.get_attribute("href") == f"#{field}"
        link.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == field, f"{path}: focus did not move to #{field}"
        if path == "/vraagwijzer":
            assert_axe_clean(page, run_axe, "step 1 with an error")

    # A wrong postcode: the field keeps what was typed and gets focus from the summary.
    page.goto(step_url("/vraagwijzer/postcode", gevaar="nee", thema="schulden", voor_wie="mezelf", haast="nee"))
    page.get_by_label("Wat is uw postcode?").fill("12")
    page.get_by_role("button", name="Volgende").click()
    page.locator(".error-summary").wait_for()
    assert page.locator("#postcode").input_value() == "12"
    expect(page.locator("#postcode")).to_have_accessible_description(
        re.compile(re.escape(page.locator("#postcode-fout").inner_text())))
    page.locator(".error-summary a").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "postcode"
    check_page(page, run_axe, "step 5 with an error")


# ---------------------------------------------------------------------------------- staff


def test_staff_login_form_result_and_print_sheet(mobile_page, run_axe):
    page = mobile_page
    page.goto("/medewerkers/inloggen")
    check_page(page, run_axe, "the staff login page")
    page.get_by_label("Toegangscode").fill(STAFF_TOKEN)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/medewerkers/vraagwijzer")

    # Sent without an answer to "gevaar": the error is in the summary and with the question itself.
    page.get_by_role("button", name="Toon route en verwijzing").click()
    page.locator(".error-summary").wait_for()
    group = page.get_by_role("group", name=re.compile(r"^1\. Is er nu gevaar"))
    expect(group).to_have_accessible_description(re.compile("Kies of er nu gevaar is"))
    page.locator(".error-summary a").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "gevaar-ja"
    assert_axe_clean(page, run_axe, "the staff page with an error")

    page.get_by_label("Nee", exact=True).check()
    page.get_by_label("Schulden", exact=True).check()
    page.get_by_label("Brief over uitzetting").check()
    page.get_by_label("De inwoner zelf").check()
    page.get_by_label("Ja, deze week").check()
    page.get_by_label("7. Postcode").fill("7551 AB")
    page.get_by_label("8. Woorden van de inwoner").fill("ik zie het niet meer zitten met die brief")
    page.get_by_role("button", name="Toon route en verwijzing").click()
    page.locator("#uitslag").wait_for()
    assert "zitten" not in page.url and "?" not in page.url  # a POST: the words are in no URL

    assert page.locator("#uitslag").is_visible()
    assert page.locator("#alarm-zelfdoding").is_visible()  # the alarm at the top of the result
    assert page.locator("#uitslag [role=alert] a[href='tel:0800-0113']").first.is_visible()
    assert page.get_by_text("Regels:").is_hidden()  # folded away under "Waarom dit advies"
    page.get_by_text("Waarom dit advies").click()
    assert page.get_by_text("Regels:").is_visible()
    copy = page.get_by_role("button", name="Kopieer de verwijzing")
    assert copy.is_visible()  # shown by kopieer.js
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy.click()
    expect(page.locator("[data-kopieer-status]")).to_have_text(re.compile("gekopieerd"))
    assert page.evaluate("navigator.clipboard.readText()").startswith("Verwijzing:")
    referral = page.get_by_label("Tekst om te kopiëren")
    assert referral.evaluate("el => el.tagName") == "TEXTAREA"
    assert referral.get_attribute("readonly") is not None
    assert "Verwijzing" in referral.input_value()
    assert page.locator("#gekozen-titel").is_visible()  # the wijkentree in the referral
    check_page(page, run_axe, "the staff page with a result")

    page.get_by_role("link", name="Print verwijzing").click()
    page.wait_for_url("**/medewerkers/vraagwijzer/verwijzing?**")
    assert page.locator("h1").inner_text() == "Verwijzing"
    assert page.locator("#verwijzing").inner_text().strip()
    check_page(page, run_axe, "the print sheet")
    page.emulate_media(media="print")
    assert _pdf_pages(page.pdf(format="A4")) == 1, "the referral sheet is more than one A4"
    page.emulate_media(media="screen")

    # A wrong age (only possible in a hand-made URL): the select is described by its error.
    page.goto("/medewerkers/vraagwijzer?stap=uitslag&gevaar=nee&leeftijd=99")
    expect(page.locator("#leeftijd")).to_have_accessible_description(re.compile("Kies een leeftijd uit de lijst"))


def test_staff_page_without_javascript_has_no_dead_copy_button(make_page):
    page = make_page(320, 740, java_script_enabled=False)
    page.goto("/medewerkers")  # lands on the login page
    page.wait_for_url("**/medewerkers/inloggen")
    page.get_by_label("Toegangscode").fill(STAFF_TOKEN)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/medewerkers/vraagwijzer")
    assert page.locator("input:checked").count() == 0  # nothing chosen in advance
    page.get_by_label("Nee", exact=True).check()
    page.get_by_label("Werk", exact=True).check()
    page.get_by_role("button", name="Toon route en verwijzing").click()
    page.locator("#uitslag").wait_for()
    assert page.locator("[data-kopieer]").is_hidden()
    assert page.get_by_label("Tekst om te kopiëren").input_value().startswith("Verwijzing:")
    assert_no_sideways_scroll_at_320(page, "the staff result without JavaScript")

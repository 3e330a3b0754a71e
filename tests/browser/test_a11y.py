"""Accessibility in a real browser: axe-core (WCAG 2.1 A/AA), 320 px reflow, focus indicator, skip link."""

import pytest

from app.taal import TALEN
from tests.browser.checks import assert_axe_clean, assert_no_sideways_scroll_at_320, focus_style, has_visible_focus
from tests.browser.conftest import DESKTOP, MOBILE

PAGES = [
    "/",
    "/zoeken?q=schulden",
    "/locaties/mfa-t-berflo",
    "/wijken/berflo-es",
    "/wijken",
    "/bestaat-niet",
    "/api/v1/docs",
]


def open_page(page, path: str) -> None:
    """Load a page and, if it has a map, wait for its markers, so axe sees the final DOM."""
    page.goto(path)
    if page.locator(".kaart[data-kaart]").count():
        page.locator(".kaart .leaflet-marker-icon").first.wait_for(state="attached")


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["360", "1280"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_no_serious_violations(make_page, run_axe, path, viewport):
    page = make_page(**viewport)
    open_page(page, path)
    assert_axe_clean(page, run_axe, f"{path} at {viewport['width']}px")


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scroll_at_320px(make_page, path):
    page = make_page(320, 640)
    open_page(page, path)
    assert_no_sideways_scroll_at_320(page, path)


def test_skiplink_is_first_and_moves_focus_to_content(mobile_page):
    page = mobile_page
    page.goto("/")
    page.keyboard.press("Tab")
    first = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert first == ["skiplink", "#inhoud"], f"first focusable element is {first}"
    assert page.locator("a.skiplink").is_visible(), "the skip link must become visible when focused"
    style = focus_style(page)
    assert has_visible_focus(style), f"skip link has no focus indicator: {style}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    assert page.url.endswith("#inhoud")
    # The next Tab goes to the first link inside the content, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('inhoud').contains(document.activeElement)")


@pytest.mark.parametrize("path", ["/", "/zoeken?q=schulden", "/locaties/mfa-t-berflo"])
def test_visible_focus_indicator(desktop_page, path):
    """Tab through the first elements: each focused link, field or button shows an outline or ring."""
    page = desktop_page
    page.goto(path)
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        style = focus_style(page)
        seen.append(style)
        assert style["tag"] != "BODY", f"focus got lost after {seen}"
        assert has_visible_focus(style), f"no visible focus indicator on {style}"


def test_focus_indicator_on_first_link(desktop_page):
    """The first ordinary links (after the skip link): the language switch above the header, then the site name."""
    page = desktop_page
    page.goto("/")
    page.keyboard.press("Tab")
    for taal in TALEN.values():
        page.keyboard.press("Tab")
        style = focus_style(page)
        assert style["text"] == taal.naam and has_visible_focus(style), style
    page.keyboard.press("Tab")
    style = focus_style(page)
    assert style["tag"] == "A" and "site-header__name" in style["cls"], style
    assert has_visible_focus(style), style


@pytest.mark.parametrize("path", ["/", "/zoeken?q=schulden", "/locaties/mfa-t-berflo", "/vraagwijzer"])
def test_text_enlarged_to_200_percent_still_fits(make_page, path):
    """WCAG 1.4.4: with the text at 200% nothing needs sideways scrolling and no text is cut off."""
    page = make_page(**DESKTOP)
    open_page(page, path)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    clipped = page.evaluate("""() => [...document.querySelectorAll('main *, header *, footer *')]
        .filter(el => el.offsetParent && !el.closest('.kaart, .visually-hidden, .skiplink')
                && el.scrollWidth > el.clientWidth + 1
                && getComputedStyle(el).overflowX === 'hidden' && el.textContent.trim())
        .map(el => el.tagName + '.' + el.className).slice(0, 5)""")
    assert clipped == []


@pytest.mark.parametrize("path", ["/", "/zoeken?q=schulden", "/vraagwijzer", "/vraagwijzer/voor-wie?gevaar=nee"])
def test_tap_targets_are_at_least_44px(make_page, path):
    """Buttons, fields, tiles, choices and the emergency links are big enough to tap (44 x 44 CSS px)."""
    page = make_page(**MOBILE)
    open_page(page, path)
    small = page.evaluate("""() => [...document.querySelectorAll(
            // A checkbox or radio is tapped through its label, which is the 44 px target.
            'button, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea,'
            + ' .tile, .spoedbalk a, .spoed-list a,'
            + ' .checkbox label, .radio label, .button')]
        .filter(el => el.offsetParent)
        .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
        .filter(([, r]) => r.height < 44 || r.width < 44)
        .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`)""")
    assert small == []


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["360", "1280"])
def test_api_docs_parameter_names_stay_on_one_line(make_page, viewport):
    """The API reference: each parameter name reads as one word, not one letter per line."""
    page = make_page(**viewport)
    page.goto("/api/v1/docs")
    names = page.locator(".api-endpoint dt code")
    assert names.count() > 20
    broken = page.evaluate("""() => [...document.querySelectorAll('.api-endpoint dt code')]
        .filter(el => el.getClientRects().length > 1).map(el => el.textContent)""")
    assert broken == []
    examples = page.locator(".api-endpoint h3", has_text="Voorbeeld")
    assert examples.count() == page.locator(".api-endpoint").count()

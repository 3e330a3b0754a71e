"""What a resident does, in a real browser: search, filter, open a place and go back, search by postcode,
the map, the site without JavaScript, the emergency numbers, and screenshots for a human to look at."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import DESKTOP, MOBILE

MARKERS = ".kaart .leaflet-marker-icon, .kaart .marker-cluster"


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def metres(text: str) -> float:
    """'70 meter van uw postcode' -> 70; '2,1 km van uw postcode (ongeveer)' -> 2100."""
    m = re.search(r"([\d.]+(?:,\d+)?)\s*(meter|km)", text)
    assert m, f"no distance in {text!r}"
    value = float(m.group(1).replace(".", "").replace(",", "."))
    return value * 1000 if m.group(2) == "km" else value


def test_search_from_home(mobile_page):
    page = mobile_page
    page.goto("/")
    page.get_by_label("Waar zoekt u hulp bij?").fill("schulden")
    page.get_by_label("Waar zoekt u hulp bij?").press("Enter")
    page.wait_for_url("**/zoeken?*")
    assert query(page.url)["q"] == ["schulden"]
    results = page.locator("ol.results > li.result")
    assert results.count() >= 3
    assert re.fullmatch(r"\d+ plekken gevonden", page.locator("h1").inner_text())
    # The search field on the results page keeps what was typed.
    assert page.locator("#q").input_value() == "schulden"


def test_filter_by_theme(mobile_page):
    page = mobile_page
    page.goto("/zoeken?q=hulp")
    page.get_by_text("Meer keuzes").click()
    checkbox = page.get_by_label("Schulden", exact=True)
    checkbox.check()
    page.get_by_role("button", name="Toon resultaten").click()
    page.wait_for_url("**thema=schulden**")
    assert query(page.url)["thema"] == ["schulden"]
    assert query(page.url)["q"] == ["hulp"]
    # After the submit the choices stay open and checked, and there are results.
    assert page.locator("details").get_attribute("open") is not None
    assert page.get_by_label("Schulden", exact=True).is_checked()
    assert page.locator("ol.results > li.result").count() >= 1


def test_open_location_and_go_back(mobile_page):
    page = mobile_page
    page.goto("/zoeken?q=schulden")
    results_url = page.url
    first = page.locator("ol.results > li.result .result__title a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url("**/locaties/**")
    assert page.locator("h1").is_visible()
    # The link may point at one service inside a building: that service is on the page.
    assert page.get_by_text(name, exact=True).first.is_visible()
    page.go_back()
    assert page.url == results_url
    assert page.locator("ol.results > li.result").count() >= 3


def test_postcode_search_sorts_by_distance(mobile_page):
    page = mobile_page
    page.goto("/")
    page.get_by_label("Uw postcode").fill("7551 AB")
    page.get_by_role("button", name="Toon hulp bij mij in de buurt").click()
    page.wait_for_url("**postcode=**")
    assert query(page.url)["postcode"] == ["7551 AB"]
    assert page.get_by_text("Het dichtst bij postcode 7551 AB staat bovenaan.").is_visible()
    texts = page.locator(".result__distance").all_inner_texts()
    assert len(texts) >= 5, texts
    assert all("van uw postcode" in t for t in texts)
    distances = [metres(t) for t in texts]
    assert distances == sorted(distances), texts
    # Results with a distance come first; the places we cannot put on the map come after them.
    cards = page.locator("ol.results > li.result")
    with_distance = [cards.nth(i).locator(".result__distance").count() for i in range(cards.count())]
    assert with_distance == sorted(with_distance, reverse=True)


def test_map_shows_markers(make_page):
    page = make_page(**DESKTOP)
    failed, finished = [], []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("requestfinished", lambda r: finished.append(r.url))
    with page.expect_response(lambda r: "/api/v1/locaties.geojson" in r.url) as geojson:
        page.goto("/zoeken?q=schulden")
    assert geojson.value.ok
    assert query(geojson.value.url)["search"] == ["schulden"]
    page.locator(MARKERS).first.wait_for()
    assert page.locator(MARKERS).count() >= 1
    kaart = page.locator(".kaart[data-kaart]")
    assert kaart.get_attribute("role") == "region"
    assert kaart.get_attribute("aria-label") == "Kaart met de gevonden plekken"
    assert page.locator(".kaart__fallback").count() == 0
    # Nothing left the machine: every request that finished went to the test server.
    assert finished and all(u.startswith("http://127.0.0.1") for u in finished), finished
    assert all(not u.startswith("http://127.0.0.1") for u in failed), failed


def test_map_marker_popup_by_keyboard(make_page):
    """A marker is a button: Enter opens its popup and moves focus to the link to the location."""
    page = make_page(**DESKTOP)
    page.goto("/wijken/berflo-es")
    page.locator(MARKERS).first.wait_for()
    marker = page.locator(".kaart .kaart__marker").first
    if marker.count() == 0:  # all markers in a cluster: open the cluster first
        page.locator(".kaart .kaart__cluster").first.click()
        marker.wait_for()
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".kaart .leaflet-popup a[href^='/locaties/']").first
    link.wait_for()
    assert page.evaluate("document.activeElement.getAttribute('href')") == link.get_attribute("href")
    page.keyboard.press("Escape")
    link.wait_for(state="detached")


def test_works_without_javascript(nojs_page):
    page = nojs_page
    page.goto("/")
    page.get_by_label("Waar zoekt u hulp bij?").fill("schulden")
    page.get_by_role("button", name="Zoeken", exact=True).first.click()
    page.wait_for_url("**/zoeken?*")
    assert query(page.url)["q"] == ["schulden"]
    results = page.locator("ol.results > li.result")
    assert results.count() >= 3
    fallback = page.locator(".kaart__fallback")
    assert fallback.is_visible()
    assert "De kaart werkt alleen met JavaScript" in fallback.inner_text()
    results.first.locator("a").first.click()
    page.wait_for_url("**/locaties/**")
    assert page.locator("h1").is_visible()
    assert page.get_by_text("Nog niet gecontroleerd").first.is_visible()
    # The filters work without JavaScript too: <details> opens natively.
    page.goto("/zoeken?q=hulp")
    page.get_by_text("Meer keuzes").click()
    page.get_by_label("Geld", exact=True).check()
    page.get_by_role("button", name="Toon resultaten").click()
    page.wait_for_url("**thema=geld**")
    page.goto("/wijken/berflo-es")
    assert page.locator(".kaart__fallback").is_visible()


@pytest.mark.parametrize("path", ["/zoeken?q=schulden&postcode=7551AB", "/wijken", "/wijken/berflo-es"])
def test_no_script_errors_or_csp_violations(desktop_page, path):
    """The map runs under the strict CSP: no JavaScript errors, nothing blocked by the policy."""
    page = desktop_page
    errors, csp = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(path)
    page.locator(MARKERS).first.wait_for()
    page.locator(".kaart .leaflet-control-zoom-in").click()
    assert not errors, errors
    assert not csp, csp


def test_folder_qr_code_is_shown(desktop_page):
    page = desktop_page
    page.goto("/wijken/berflo-es/folder")
    img = page.locator("img[src$='/qr.svg']")
    img.wait_for()
    page.wait_for_load_state("load")
    assert img.evaluate("el => el.complete && el.naturalWidth > 0")


EVERY_PAGE = [
    "/", "/zoeken", "/zoeken?q=schulden", "/zoeken?q=xyzzyqq", "/zoeken?postcode=12",
    "/locaties/mfa-t-berflo", "/locaties/de-luisterlijn", "/wijken", "/wijken/berflo-es",
    "/wijken/berflo-es/folder", "/over", "/api/v1/docs", "/vraagwijzer", "/bestaat-niet",
]


def test_emergency_numbers_on_every_page(nojs_page):
    page = nojs_page
    missing = []
    for path in EVERY_PAGE:
        page.goto(path)
        for number in ("tel:112", "tel:0800-0113", "tel:0800-2000"):
            link = page.locator(f"a[href='{number}']").first
            if not link.count() or not link.is_visible():
                missing.append(f"{path}: {number}")
    assert not missing, missing


SCREENSHOT_PAGES = {
    "home": "/",
    "zoeken": "/zoeken?q=schulden&postcode=7551AB",
    "locatie": "/locaties/mfa-t-berflo",
    "wijk": "/wijken/berflo-es",
    "folder": "/wijken/berflo-es/folder",
}


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["360", "1280"])
def test_screenshots(make_page, screenshot_dir, viewport):
    """Full-page screenshots in test-results/screenshots/ (git-ignored), for a human to look at."""
    page = make_page(**viewport)
    for name, path in SCREENSHOT_PAGES.items():
        page.goto(path)
        if page.locator(".kaart[data-kaart]").count():
            page.locator(MARKERS).first.wait_for()
        target = screenshot_dir / f"{name}-{viewport['width']}.png"
        page.screenshot(path=str(target), full_page=True, animations="disabled")
        assert target.stat().st_size > 5_000

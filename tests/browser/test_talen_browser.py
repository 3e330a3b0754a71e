"""The resident pages in each of the seven languages, in a real browser (issue 14): axe-clean with <html lang dir>
right, Arabic laid out right to left at 320 px (the map not mirrored), the language switch keeps the page and its
query and is remembered, the emergency numbers stay tel: links, and a page kept offline keeps its language.

The translations themselves come from the translators: apart from "the page is not empty" nothing here depends on a
translated text, so these tests hold with or without a catalogue.

One page in one browser context serves most tests (about 40 page loads); service workers are blocked in it, so every
page comes from the server. The offline test has its own context with the worker on."""
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from app.taal import STANDAARD, TALEN
from app.triage import spoedlijnen
from tests.browser.checks import assert_axe_clean, assert_no_sideways_scroll_at_320
from tests.browser.conftest import MOBILE, _context
from tests.browser.test_a11y import open_page
from tests.browser.test_offline_browser import _controlled

PAGINAS = ["/", "/zoeken?q=schulden", "/wijken/berflo-es", "/vraagwijzer", "/vraagwijzer/spoed"]
NUMMERS = sorted({"tel:" + lijn["telefoon"].replace(" ", "") for lijn in spoedlijnen()})
# The container's side padding is 1rem at this width: the first item of a row starts there.
RAND = 16 + 4


@pytest.fixture(scope="module")
def pagina(browser, base_url):
    context = _context(browser, base_url, MOBILE, service_workers="block")
    yield context.new_page()
    context.close()


def met_taal(pad: str, code: str) -> str:
    return f"{pad}{'&' if '?' in pad else '?'}lang={code}"


def html_taal(page) -> list[str]:
    return page.evaluate("[document.documentElement.lang, document.documentElement.dir,"
                         " getComputedStyle(document.body).direction]")


def hrefs(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("code", list(TALEN))
def test_each_page_in_each_language_is_axe_clean_with_lang_dir_and_tel_links(pagina, run_axe, code):
    taal = TALEN[code]
    for pad in PAGINAS:
        open_page(pagina, met_taal(pad, code))
        assert html_taal(pagina) == [code, taal.richting, taal.richting], pad
        assert pagina.inner_text("h1").strip() and pagina.inner_text("main").strip(), pad
        # The emergency bar on every page: tel: links, never a translated number.
        assert sorted(hrefs(pagina, ".spoedbalk li a")) == NUMMERS, pad
        assert_axe_clean(pagina, run_axe, f"{pad} in {code}")
    # Still on the spoed page: each line a big tel: link.
    assert set(NUMMERS) <= set(hrefs(pagina, ".spoed-list a")), code


def _rand(page, selector: str) -> dict:
    return page.eval_on_selector(selector, "el => { const r = el.getBoundingClientRect();"
                                           " return {left: r.left, right: r.right}; }")


# The first item of each row: the language switch, the header (site name) and the emergency bar (its link and its
# list of numbers, which wraps onto a line of its own at 320 px).
EERSTE = [".talen li:first-child a", ".site-header__name", ".spoedbalk .container > a", ".spoedbalk li:first-child a"]


def test_arabic_at_320px_reads_right_to_left_without_sideways_scroll(pagina):
    pagina.set_viewport_size({"width": 320, "height": MOBILE["height"]})
    try:
        pagina.goto(met_taal("/", STANDAARD))
        for selector in EERSTE:
            assert _rand(pagina, selector)["left"] <= RAND, f"{selector} in Dutch starts at the left"
        for pad in PAGINAS:
            open_page(pagina, met_taal(pad, "ar"))
            assert html_taal(pagina) == ["ar", "rtl", "rtl"], pad
            assert_no_sideways_scroll_at_320(pagina, f"{pad} in ar")
            for selector in EERSTE:
                rand = _rand(pagina, selector)
                assert rand["right"] >= 320 - RAND, f"{pad}: {selector} is not at the right: {rand}"
            # Phone numbers read left to right inside the Arabic text ("14 074", never "074 14").
            richting = pagina.eval_on_selector_all(
                "a[href^='tel:']", "els => [...new Set(els.map(e => getComputedStyle(e).direction))]")
            assert richting == ["ltr"], f"{pad}: {richting}"
    finally:
        pagina.set_viewport_size(MOBILE)


def test_arabic_mirrors_arrows_and_accents_but_not_the_map(pagina):
    """The chevron of the breadcrumbs points forward (to the left) and a result's coloured edge is on the side
    where reading starts (the right); the map keeps west on the left and its zoom buttons where they are in Dutch."""
    hoek = "el => { const m = new DOMMatrix(getComputedStyle(el, '::before').transform); return m.a; }"
    rand = ("el => { const cs = getComputedStyle(el);"
            " return parseFloat(cs.borderRightWidth) - parseFloat(cs.borderLeftWidth); }")
    kaart = """() => { const k = document.querySelector('.kaart.leaflet-container'),
                             z = k.querySelector('.leaflet-control-zoom').getBoundingClientRect(),
                             r = k.getBoundingClientRect();
                       return [getComputedStyle(k).direction, z.left - r.left < r.width / 2]; }"""
    gezien = {}
    for code in (STANDAARD, "ar"):
        open_page(pagina, met_taal("/wijken/berflo-es", code))
        # cos of the rotation: positive = the chevron points right, negative = left.
        chevron, in_kaart = pagina.eval_on_selector(".breadcrumbs li + li", hoek), pagina.evaluate(kaart)
        open_page(pagina, met_taal("/zoeken?q=schulden", code))
        gezien[code] = (chevron, pagina.eval_on_selector(".result", rand), in_kaart)
    assert gezien[STANDAARD][0] > 0 > gezien["ar"][0], gezien
    assert gezien[STANDAARD][1] < 0 < gezien["ar"][1], gezien
    assert gezien[STANDAARD][2] == gezien["ar"][2] == ["ltr", True], gezien


def test_the_switch_keeps_the_page_and_query_and_the_choice_is_remembered(pagina):
    pagina.goto(met_taal("/zoeken?q=eenzaam", STANDAARD))
    for code in [*(c for c in TALEN if c != STANDAARD), STANDAARD, "ar"]:
        pagina.click(f'.talen a[lang="{code}"]')
        pagina.wait_for_url(lambda url, code=code: parse_qs(urlsplit(url).query).get("lang") == [code])
        url = urlsplit(pagina.url)
        assert url.path == "/zoeken" and parse_qs(url.query) == {"q": ["eenzaam"], "lang": [code]}, pagina.url
        assert html_taal(pagina)[:2] == [code, TALEN[code].richting]
        assert pagina.get_attribute(".talen a[aria-current]", "lang") == code
        assert pagina.input_value("input[name=q]") == "eenzaam"
    # The next page, reached by an ordinary link without ?lang=, is still in the chosen language.
    pagina.click(".site-nav a[href='/wijken']")
    pagina.wait_for_url("**/wijken")
    assert html_taal(pagina) == ["ar", "rtl", "rtl"]


def test_a_page_kept_offline_keeps_its_language(make_page):
    page = make_page(**MOBILE)
    page.goto(met_taal("/", "en"))
    _controlled(page)
    page.goto("/")  # no query: this is the copy the worker keeps, in the remembered language
    bewaard = """async () => { const r = await (await caches.open('wijkentree-offline')).match('/');
                               return r ? (await r.text()).match(/<html[^>]*>/)[0] : null; }"""
    deadline = time.monotonic() + 8
    while page.evaluate(bewaard) != '<html lang="en" dir="ltr">' and time.monotonic() < deadline:
        time.sleep(0.1)
    page.context.set_offline(True)
    try:
        page.reload()
        assert html_taal(page) == ["en", "ltr", "ltr"]
        assert page.inner_text("h1").strip()
        assert sorted(hrefs(page, ".spoedbalk li a")) == NUMMERS
    finally:
        page.context.set_offline(False)

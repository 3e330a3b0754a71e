"""Offline in a real browser (issue 14): the service worker keeps the home page and the last wijk page with its
folder, serves them with the network off, and answers every other page with the offline page and its numbers.
Also: the offline page and the share block pass axe and reflow at 320 px, the copy button copies."""
import time

from tests.browser.checks import assert_axe_clean, assert_no_sideways_scroll_at_320
from tests.browser.conftest import MOBILE

CACHE_KEYS = """async () => {
    const cache = await caches.open('wijkentree-offline');
    return (await cache.keys()).map(r => { const u = new URL(r.url); return u.pathname + u.search; });
}"""


def _cached(page, *paths: str, seconds: float = 8) -> list[str]:
    """The worker's cache once it holds the paths (it stores after the page is shown)."""
    deadline = time.monotonic() + seconds
    while True:
        keys = page.evaluate(CACHE_KEYS)
        if set(paths) <= set(keys) or time.monotonic() > deadline:
            return keys
        time.sleep(0.1)


def _controlled(page) -> None:
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # Polled from here, not with wait_for_function: its polling evaluates the predicate inside the page, which the
    # strict CSP (no 'unsafe-eval') refuses whenever the first check is false.
    deadline = time.monotonic() + 10
    while not page.evaluate("navigator.serviceWorker.controller !== null"):
        assert time.monotonic() < deadline, "the service worker did not take control of the page"
        time.sleep(0.05)


def test_cached_pages_reload_offline_and_others_get_the_offline_page(make_page):
    page = make_page(**MOBILE)
    page.set_default_timeout(10_000)
    page.goto("/")
    _controlled(page)
    page.goto("/locaties/mfa-t-berflo")  # visited online, but a listing is never kept
    page.goto("/wijken/berflo-es")
    keys = _cached(page, "/", "/vraagwijzer/spoed", "/offline", "/wijken/berflo-es", "/wijken/berflo-es/folder")
    assert {"/", "/vraagwijzer/spoed", "/offline", "/wijken/berflo-es", "/wijken/berflo-es/folder"} <= set(keys), keys
    assert any(k.startswith("/static/css/site.css?v=") for k in keys), keys
    assert not [k for k in keys if k.startswith(("/locaties", "/zoeken", "/contact"))], keys
    # Of the API only the kept wijk's public map data.
    assert {k for k in keys if k.startswith("/api")} <= {"/api/v1/wijken"} | {
        k for k in keys if k.startswith("/api/v1/locaties.geojson?wijk=")}, keys

    # Only the last wijk is kept: opening another replaces it.
    berflo_data = [k for k in keys if k.startswith("/api/v1/locaties.geojson?wijk=")]
    page.goto("/wijken/noord")
    noord_data = page.get_attribute("[data-kaart]", "data-locaties")
    leaflet = page.get_attribute("script[src^='/static/vendor/leaflet/leaflet.js']", "src")
    keys = _cached(page, "/wijken/noord/folder", noord_data, "/api/v1/wijken", leaflet)
    assert "/wijken/noord/folder" in keys and not [k for k in keys if "berflo" in k], keys
    assert noord_data in keys and "/api/v1/wijken" in keys and not set(berflo_data) & set(keys), keys
    assert leaflet in keys, keys

    page.context.set_offline(True)
    try:
        page.reload()
        assert "Noord" in page.inner_text("h1")
        # The map works offline too: the wijk's outline and places, without background tiles (it says so).
        page.wait_for_selector(".kaart.leaflet-container path.leaflet-interactive", state="attached")
        assert page.locator(".kaart__melding").count() >= 1
        # Its stylesheet came from the cache too: the header has the site's colour, not the browser's default.
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
            != "rgba(0, 0, 0, 0)"
        page.goto("/wijken/noord/folder")
        assert "112" in page.inner_text("main") and "Noord" in page.inner_text("h1")
        page.goto("/")
        assert page.inner_text("h1") == "Hulp dichtbij in Hengelo"
        page.goto("/vraagwijzer/spoed")
        assert "Bel nu voor hulp" in page.inner_text("h1")
        for path in ("/locaties/mfa-t-berflo", "/wijken/berflo-es", "/zoeken?q=schulden"):
            page.goto(path)
            assert page.inner_text("h1") == "U bent offline", path
            main = page.inner_text("main")
            assert "112" in main and "0800-0113" in main and "0800-2000" in main, path
    finally:
        page.context.set_offline(False)


def test_vraagwijzer_steps_and_result_are_never_kept(make_page):
    page = make_page(**MOBILE)
    page.set_default_timeout(10_000)
    page.goto("/")
    _controlled(page)
    page.goto("/vraagwijzer")
    volgende = page.get_by_role("button", name="Volgende")
    page.get_by_label("Nee", exact=True).check()
    volgende.click()
    page.get_by_label("Schulden").check()
    page.get_by_label("Of vertel in een paar woorden").fill("Mijn huur is te hoog")
    volgende.click()
    page.get_by_label("Voor mezelf").check()
    volgende.click()
    page.get_by_label("Deze week").check()
    volgende.click()
    page.get_by_label("Wat is uw postcode?").fill("7551 AB")
    volgende.click()
    page.wait_for_url("**/vraagwijzer/uitslag?s=*")
    time.sleep(0.5)  # whatever the worker would store, it has stored by now
    keys = page.evaluate(CACHE_KEYS)
    assert [k for k in keys if k.startswith("/vraagwijzer")] == ["/vraagwijzer/spoed"], keys


def test_offline_page_passes_axe_and_reflows_at_320(make_page, run_axe):
    page = make_page(**MOBILE)
    page.goto("/offline")
    assert_axe_clean(page, run_axe, "/offline")
    assert_no_sideways_scroll_at_320(page, "/offline")


def test_share_block_copies_the_link_passes_axe_and_reflows(make_page, run_axe):
    page = make_page(**MOBILE, permissions=["clipboard-read", "clipboard-write"])
    page.goto("/locaties/mfa-t-berflo")
    page.click(".delen summary")
    button = page.get_by_role("button", name="Kopieer de link")
    button.click()
    page.wait_for_function("document.querySelector('[data-deel-status]').textContent !== ''")
    assert page.locator("[data-deel-status]").inner_text().startswith("De link is gekopieerd")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.endswith("/locaties/mfa-t-berflo") and "?" not in link
    assert_axe_clean(page, run_axe, "share block open")
    assert_no_sideways_scroll_at_320(page, "share block open")


def test_read_aloud_shows_only_with_a_voice_for_the_page_language(make_page):
    page = make_page(**MOBILE)
    page.goto("/")
    page.wait_for_timeout(500)  # voiceschanged, if any voices come
    voices = page.evaluate("""speechSynthesis.getVoices()
        .filter(v => v.lang.toLowerCase().startsWith(document.documentElement.lang)).length""")
    assert page.locator("[data-voorlezen]").is_visible() == (voices > 0)


# A browser with one Dutch voice that records what it is asked to say: headless chromium has no voices, and the
# test must see what would be read, in which language, and that "Stop" stops it.
FAKE_VOICE = """(() => {
    const voice = {lang: 'nl-NL', name: 'Test', localService: true};
    const spoken = [];
    const listeners = [];
    window.__gesproken = spoken;
    window.SpeechSynthesisUtterance = function (text) { this.text = text; };
    Object.defineProperty(window, 'speechSynthesis', {value: {
        getVoices: () => [voice],
        speak: u => spoken.push({text: u.text, lang: u.lang}),
        cancel: () => { window.__gestopt = true; },
        addEventListener: (name, fn) => listeners.push(fn),
    }});
})();"""


def test_read_aloud_reads_the_main_text_in_dutch_and_stops(make_page):
    page = make_page(**MOBILE)
    page.add_init_script(FAKE_VOICE)
    page.goto("/locaties/mfa-t-berflo")
    button = page.locator("[data-voorlezen]")
    assert button.is_visible()
    button.click()
    assert button.inner_text() == "Stop met voorlezen"
    spoken = page.evaluate("window.__gesproken")
    texts = [s["text"] for s in spoken]
    assert texts[0] == page.inner_text("h1") and {s["lang"] for s in spoken} == {"nl-NL"}
    assert "Adres en contact" in texts
    # Buttons, the share block and the site's menu are not the page's text.
    assert not {"Lees voor", "Stop met voorlezen", "Kopieer de link", "Deel deze pagina", "Zoeken"} & set(texts), texts
    button.click()
    assert page.evaluate("window.__gestopt") and button.inner_text() == "Lees voor"

"""Reaching everyone (issue 14) over HTTP: the service worker and the offline page, the share links, the
read-aloud button. The browser side (offline reload, the worker's cache) is in tests/browser/test_offline_browser.py."""
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlmodel import select

from app.config import get_settings
from app.models import Location
from app.triage import spoedlijnen
from tests.test_vraagwijzer_pages import Walk


def _delen(html: str) -> str:
    """The share block of a page."""
    match = re.search(r'<details class="delen.*?</details>', html, re.S)
    assert match, "no share block on the page"
    return match.group(0).replace("&amp;", "&")


def _links(block: str) -> dict[str, str]:
    hrefs = re.findall(r'href="([^"]+)"', block)
    return {
        "mail": next(h for h in hrefs if h.startswith("mailto:?")),
        "whatsapp": next(h for h in hrefs if h.startswith("https://wa.me/?text=")),
        "sms": next(h for h in hrefs if h.startswith("sms:?&body=")),
        "kopieer": re.search(r'data-deel-link="([^"]+)"', block).group(1),
    }


def test_service_worker_is_served_at_the_root_and_never_kept_by_the_http_cache(client):
    r = client.get("/sw.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/javascript")
    assert r.headers["service-worker-allowed"] == "/"
    assert r.headers["cache-control"] == "no-cache"
    # The stylesheet it keeps is the one the pages link, with the same content hash.
    css = re.search(r'href="(/static/css/site\.css\?v=\w+)"', client.get("/").text).group(1)
    assert f'"{css}"' in r.text
    assert '"/vraagwijzer/spoed"' in r.text and '"/offline"' in r.text
    assert "worker-src 'self'" in r.headers["content-security-policy"]


def test_pages_register_the_worker_with_an_external_script_only(client):
    html = client.get("/").text
    assert re.search(r'<script src="/static/js/sw-registreer\.js\?v=\w+" defer></script>', html)
    assert "<script>" not in html  # strict CSP: no inline script
    csp = client.get("/").headers["content-security-policy"]
    assert "worker-src 'self';" in csp and "blob:" not in csp and "'unsafe-inline'" not in csp


def test_offline_page_has_the_emergency_numbers_from_the_rules_file(client):
    r = client.get("/offline")
    assert r.status_code == 200
    assert "U bent offline" in r.text
    main = r.text.split('<main id="inhoud"', 1)[1]
    lijnen = spoedlijnen()
    assert {lijn["telefoon"] for lijn in lijnen} >= {"112", "0800-0113", "0800-2000"}
    for lijn in lijnen:
        assert f'href="tel:{lijn["telefoon"]}"' in main and lijn["naam"] in main


@pytest.mark.parametrize("path", ["/", "/offline", "/vraagwijzer/spoed", "/wijken/binnenstad"])
def test_read_aloud_button_is_on_resident_pages_and_hidden_until_a_voice_is_found(client, path):
    html = client.get(path).text
    button = re.search(r"<button[^>]*data-voorlezen[^>]*>([^<]*)</button>", html)
    assert button, f"no Lees voor button on {path}"
    assert button.group(1) == "Lees voor" and re.search(r"\shidden[\s>]", button.group(0))
    assert html.index("data-voorlezen") > html.index('<main id="inhoud"')  # it reads and sits in the main text
    assert re.search(r'<script src="/static/js/voorlezen\.js\?v=\w+" defer></script>', html)


def test_no_read_aloud_button_on_staff_pages(client):
    html = client.get("/medewerkers/inloggen").text
    assert "<main" in html and "data-voorlezen=" not in html.replace("data-voorlezen-stop", "")


def test_listing_share_links_hold_only_the_listing_url(client, session):
    slug = session.exec(select(Location.slug).where(Location.is_wijkentree)).first()
    html = client.get(f"/locaties/{slug}").text
    block = _delen(html)
    url = f"{get_settings().base_url}/locaties/{slug}"
    links = _links(block)
    assert links["kopieer"] == url
    for naam in ("mail", "whatsapp", "sms"):
        tekst = unquote(links[naam])
        assert url in tekst, naam
        assert not re.search(r"utm_|fbclid|gclid|ref=", tekst), naam  # no tracking
    mail = parse_qs(urlsplit(links["mail"]).query)
    assert "Wijkentree Hengelo" in mail["subject"][0] and url in mail["body"][0]
    # The copy button needs a script; without one only the plain links show.
    assert re.search(r'<button[^>]*data-deel-link="[^"]+"[^>]*hidden', block)
    # No script from another site: every script is our own file.
    assert all(src.startswith("/static/") for src in re.findall(r'<script[^>]*src="([^"]+)"', html))
    assert html.index('class="delen') < html.index("Adres en contact")  # near the top


def test_result_share_links_hold_the_wijkentree_page_and_nothing_the_resident_typed(client):
    walk = Walk(client)
    walk.post("/vraagwijzer", {"gevaar": "nee"})
    walk.post("/vraagwijzer/onderwerp", {"thema": "schulden", "vraag": "Mijn huur is te hoog kwartelnest-5521"})
    walk.post("/vraagwijzer/voor-wie", {"voor_wie": "mezelf", "leeftijd": "27-66"})
    walk.post("/vraagwijzer/haast", {"haast": "ja"})
    page = walk.post("/vraagwijzer/postcode", {"postcode": "7551ab"})
    assert "/vraagwijzer/uitslag?s=" in walk.last
    block = unquote(_delen(page.text))
    wijkentree = re.search(r'id="wijkentree-titel".*?href="/locaties/([^"]+)"', page.text, re.S).group(1)
    assert _links(_delen(page.text))["kopieer"] == f"{get_settings().base_url}/locaties/{wijkentree}"
    # Not the result's own URL: its token holds the answers. Nor any answer, typed or chosen.
    for answer in ("kwartelnest", "huur", "uitslag", "?s=", "&s=", "7551", "schulden", "Schulden"):
        assert answer not in block, answer

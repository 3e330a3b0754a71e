"""The resident pages without a browser: status codes, headings, security and cache headers, error pages,
and what the pages must say about the data (unknown fields, approximate places, checks, sources)."""
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlmodel import select

from app.models import Location, Service

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"


class _Page(HTMLParser):
    """A small DOM-less reader: text per tag of interest, all tags with attributes, dt/dd pairs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.h1: list[str] = []
        self.dl: list[list[tuple[str, str]]] = []  # every <dl> as [(dt, dd), ...]
        self._capture: str | None = None
        self._buf: list[str] = []
        self._dt = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "dl":
            self.dl.append([])
        if tag in ("h1", "dt", "dd"):
            self._capture, self._buf = tag, []
        elif tag == "br" and self._capture:
            self._buf.append(" ")

    def handle_endtag(self, tag):
        if tag != self._capture:
            return
        text = " ".join("".join(self._buf).split())
        if tag == "h1":
            self.h1.append(text)
        elif tag == "dt":
            self._dt = text
        elif tag == "dd" and self.dl:
            self.dl[-1].append((self._dt, text))
        self._capture = None

    def handle_data(self, data):
        if self._capture:
            self._buf.append(data)

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def text_of(html: str) -> str:
    """Tags out, whitespace collapsed: for "the page says ..." checks."""
    from tests.b1 import visible_text

    return " ".join(visible_text(html).split())


# ---------- every page: 200 and the right <h1> ----------

PAGES = {
    "/": "Hulp dichtbij in Hengelo",
    "/zoeken?q=xyzzyqq": "Niets gevonden",
    "/locaties/mfa-t-berflo": "MFA 't Berflo",
    "/locaties/de-luisterlijn": "De Luisterlijn",
    "/wijken": "De wijken van Hengelo",
    "/wijken/berflo-es": "Hulp in Berflo Es",
    "/wijken/berflo-es/folder": "Hulp in uw wijk: Berflo Es",
    "/over": "Over deze website",
    "/api/v1/docs": "Open data: de API",
}


@pytest.mark.parametrize("path, h1", list(PAGES.items()))
def test_page_has_one_right_h1(client, path, h1):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert parse(response.text).h1 == [h1]
    assert '<html lang="nl" dir="ltr">' in response.text


@pytest.mark.parametrize("query, api_query", [
    ("q=schulden", "search=schulden"),
    ("", ""),
    ("thema=geld", "thema=geld"),
])
def test_search_h1_counts_the_results(client, query, api_query):
    total = client.get(f"/api/v1/services?{api_query}&size=1").json()["total_items"]
    assert total > 1
    response = client.get(f"/zoeken?{query}")
    assert response.status_code == 200
    assert parse(response.text).h1 == [f"{total} plekken gevonden"]


# ---------- security: strict CSP, and nothing inline that it would block ----------

@pytest.mark.parametrize("path", ["/", "/zoeken?q=schulden", "/bestaat-niet", "/api/v1/services",
                                  "/static/css/site.css", "/wijken/berflo-es/qr.svg"])
def test_strict_csp_header(client, path):
    response = client.get(path)
    csp = response.headers.get("content-security-policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives.get("default-src") == ["'self'"]
    assert directives.get("script-src") == ["'self'"]
    assert directives.get("style-src") == ["'self'"]
    assert directives.get("object-src") == ["'none'"]
    assert directives.get("frame-ancestors") == ["'none'"]
    assert directives.get("base-uri") == ["'self'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers.get("x-content-type-options") == "nosniff"


INLINE = [
    (re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "on...= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def inline_code(html: str) -> list[str]:
    html = re.sub(r"\{#.*?#\}", "", html, flags=re.S)  # Jinja comments may talk about these things
    return [f"{what}: {m.group(0)[:80]!r}" for pattern, what in INLINE for m in pattern.finditer(html)]


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_template_has_no_inline_script_or_style(template):
    assert not inline_code((TEMPLATES / template).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", ["/", "/zoeken?q=schulden&postcode=7551AB", "/zoeken?q=geld&postcode=12",
                                  "/locaties/mfa-t-berflo", "/wijken", "/wijken/berflo-es",
                                  "/wijken/berflo-es/folder", "/over", "/bestaat-niet", "/api/v1/docs"])
def test_rendered_page_has_no_inline_script_or_style(client, path):
    assert not inline_code(client.get(path).text)


def test_inline_check_catches_what_it_should():
    bad = '<script>alert(1)</script><p style="color:red" onclick="x()">x</p><style>p{}</style>'
    assert len(inline_code(bad)) == 4
    assert not inline_code('<script src="/static/js/kaart.js?v=1"></script>{# style="x" #}')


# ---------- the 404 page ----------

@pytest.mark.parametrize("path", ["/bestaat-niet", "/locaties/bestaat-niet", "/wijken/bestaat-niet",
                                  "/wijken/bestaat-niet/folder"])
def test_friendly_dutch_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = parse(response.text)
    assert page.h1 == ["Deze pagina bestaat niet"]
    assert '<html lang="nl" dir="ltr">' in response.text
    forms = page.find("form", action="/zoeken")
    assert forms and forms[0].get("method") == "get"
    assert page.find("input", name="q", type="search")
    text = text_of(response.text)
    assert "Zoek hieronder naar hulp" in text
    assert "14 074" in text and page.find("a", href="tel:14074")
    assert page.find("a", href="/")


def test_api_404_stays_json(client):
    response = client.get("/api/v1/locations/bestaat-niet")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")


# ---------- a bad postcode ----------

def test_bad_postcode_gives_422_with_dutch_message_and_keeps_the_form(client):
    response = client.get("/zoeken", params={"q": "geld", "postcode": "12", "thema": "schulden"})
    assert response.status_code == 422
    page = parse(response.text)
    text = text_of(response.text)
    assert "Er klopt iets niet" in text
    assert "Dit is geen postcode. Een postcode heeft 4 cijfers en soms 2 letters, bijvoorbeeld 7551 AB." in text
    # The error summary links to the field; the field is described by the message.
    assert page.find("a", href="#postcode")
    postcode = page.find("input", id="postcode")[0]
    assert postcode["value"] == "12"
    assert "postcode-fout" in postcode["aria-describedby"].split()
    assert "input--error" in postcode["class"]
    # What the resident typed and chose is still there.
    assert page.find("input", id="q")[0]["value"] == "geld"
    assert "checked" in page.find("input", id="thema-schulden")[0]


def test_filter_form_has_no_empty_coordinates(client):
    """A GET form sends every field; empty lat/lon fields made every filter submit a 422."""
    page = parse(client.get("/zoeken?q=hulp").text)
    form_fields = {a.get("name") for a in page.find("input")}
    assert "lat" not in form_fields and "lon" not in form_fields


def test_empty_coordinates_are_ignored(client):
    assert client.get("/zoeken?q=hulp&lat=&lon=").status_code == 200


# ---------- static files ----------

def static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_static_files_are_hashed_cached_for_a_year_and_gzipped(client):
    urls = static_urls(client.get("/zoeken?q=schulden").text)
    assert any("css/site.css" in u for u in urls) and any("js/kaart.js" in u for u in urls)
    for url in urls:
        path, _, version = url.partition("?v=")
        file = STATIC / path.removeprefix("/static/")
        assert version == hashlib.sha256(file.read_bytes()).hexdigest()[:10], f"{url}: stale hash"
        response = client.get(url, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200
        cache = response.headers["cache-control"]
        assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache, url
        if file.stat().st_size >= 500:  # GZipMiddleware's minimum_size: the favicon is smaller
            assert response.headers.get("content-encoding") == "gzip", url
        assert response.content == file.read_bytes()


def test_html_is_not_cached_for_a_year(client):
    assert "immutable" not in client.get("/").headers.get("cache-control", "")


# ---------- no results ----------

def test_no_results_shows_suggestions_and_the_gemeente(client):
    response = client.get("/zoeken?q=xyzzyqq")
    assert response.status_code == 200
    page = parse(response.text)
    text = text_of(response.text)
    assert page.h1 == ["Niets gevonden"]
    assert 'We vonden niets bij "xyzzyqq"' in text
    assert "Zoek bijvoorbeeld op:" in text
    suggestions = [a["href"] for a in page.find("a")
                   if a.get("href", "").startswith("/zoeken?q=") and "lang=" not in a["href"]]
    assert len(suggestions) >= 2
    for href in suggestions:  # every suggestion finds something
        assert parse(client.get(href).text).h1[0].endswith("gevonden"), href
    assert "Bel de gemeente: 14 074" in text and page.find("a", href="tel:14074")
    assert page.find("a", href="/vraagwijzer")
    assert "U kunt ook langsgaan bij de wijkentree" in text


# ---------- location pages: what we know and what we do not know ----------

def fields(html: str) -> dict[str, str]:
    """The first <dl> (Adres en contact) as {dt: dd}."""
    return dict(parse(html).dl[0])


def test_location_approximate_unchecked_with_source(client):
    html = client.get("/locaties/mfa-t-berflo").text
    text = text_of(html)
    f = fields(html)
    assert f["Adres"] == "Apolloplein Hengelo Postcode: onbekend"
    assert f["Telefoon"] == "074-245 88 08"
    assert f["Toegankelijkheid"] == "Onbekend"
    assert f["Wijk"].startswith("Berflo Es Plaats bij benadering We weten niet precies waar dit is.")
    # Approximate place: no buurt, because the point is only somewhere in the wijk.
    assert "buurt" not in f["Wijk"].split("Plaats bij benadering")[0]
    assert text.count("Nog niet gecontroleerd") == 4  # one per service at this building
    page = parse(html)
    assert page.find("a", href="https://www.berflo-hengelo.nl", rel="noopener")
    assert "Zekerheid: laag." in text
    assert "Openingstijden onbekend" not in text  # under "Wanneer" it just says "Onbekend"


def test_location_exact_has_no_approximate_label(client):
    html = client.get("/locaties/gemeente-hengelo-stadhuis").text
    f = fields(html)
    assert "Plaats bij benadering" not in text_of(html)
    assert f["Wijk"] == "Binnenstad, buurt Binnenstad-Centrum"
    assert f["Route"].startswith("Route plannen naar Burgemeester Jansenplein 1")


def test_location_unknown_fields_say_onbekend(client):
    f = fields(client.get("/locaties/hgov-de-samenloop").text)
    assert f["Wijk"] == "Onbekend"
    assert f["Telefoon"] == "Onbekend"
    assert f["E-mail"] == "Onbekend"
    assert f["Toegankelijkheid"] == "Onbekend"
    assert f["Website"] == "hgov.nl"


def test_location_without_any_address(client):
    f = fields(client.get("/locaties/servicepunt-vrijwilligerswerk-hengelo").text)
    assert f["Adres"] == "Onbekend (in Hengelo)"
    assert f["Route"] == "Onbekend, want het adres is onbekend"


def test_virtual_location_has_no_address_or_route(client):
    html = client.get("/locaties/de-luisterlijn").text
    f = fields(html)
    assert f["Adres"] == "U kunt hier niet langsgaan."
    assert "Route" not in f
    assert parse(html).find("a", href="tel:0880767000")


def test_every_location_page_shows_checks_sources_and_placement(client, session):
    locations = session.exec(select(Location)).all()
    unchecked = {s.id for s in session.exec(select(Service).where(Service.assured_date.is_(None)))}
    assert len(locations) > 50 and unchecked
    for loc in locations:
        response = client.get(f"/locaties/{loc.slug}")
        assert response.status_code == 200, loc.slug
        text = text_of(response.text)
        assert "Bron" in [dt for dl in parse(response.text).dl[1:] for dt, _ in dl], loc.slug
        assert "Laatst gecontroleerd" in text, loc.slug
        assert ("Plaats bij benadering" in text) == (loc.plaatsing == "benadering"), loc.slug
    # Nothing is checked yet (see /over), so every page says so.
    assert all("Nog niet gecontroleerd" in text_of(client.get(f"/locaties/{loc.slug}").text)
               for loc in locations[:10])


def test_search_results_mark_approximate_places(client):
    html = client.get("/zoeken?postcode=7551AB").text
    cards = re.findall(r'<li class="result">(.*?)</li>\s*(?=<li class="result">|</ol>)', html, re.S)
    assert len(cards) == 20
    approx = [c for c in cards if "Plaats bij benadering" in c]
    assert approx and all("van uw postcode" in c for c in approx)
    assert "Plaats bij benadering" not in next(c for c in cards if "gemeente-hengelo-stadhuis" in c)


# ---------- the printable wijk folder ----------

def test_folder_has_qr_code_and_emergency_numbers(client):
    html = client.get("/wijken/berflo-es/folder").text
    page = parse(html)
    img = page.find("img", src="/wijken/berflo-es/qr.svg")
    assert img and img[0]["alt"].startswith("QR-code naar ") and img[0]["alt"].endswith("/wijken/berflo-es")
    qr = client.get("/wijken/berflo-es/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in qr.text and "<path" in qr.text
    text = text_of(html)
    for number in ("112", "0800-0113", "0800-2000", "14 074"):
        assert number in text, number
    assert "Direct hulp nodig?" in text
    assert ": ." not in text  # a service without a phone number does not leave an empty ": ."
    # The base layout's tel: links are on the folder page too.
    for href in ("tel:112", "tel:0800-0113", "tel:0800-2000"):
        assert page.find("a", href=href)


def test_qr_svg_is_a_standalone_svg_file(client):
    assert 'xmlns="http://www.w3.org/2000/svg"' in client.get("/wijken/berflo-es/qr.svg").text


# ---------- /over ----------

def test_over_shows_the_placement_counts(client, session):
    counts = {p: len(session.exec(select(Location.id).where(Location.plaatsing == p)).all())
              for p in ("exact", "benadering", "geen")}
    assert sum(counts.values()) == len(session.exec(select(Location.id)).all())
    assert all(counts.values())
    text = text_of(client.get("/over").text)
    exact = f"{counts['exact']} plek staat" if counts["exact"] == 1 else f"{counts['exact']} plekken staan"
    assert f"{exact} precies op de kaart." in text
    assert f"{counts['benadering']} plekken staan ongeveer op de kaart." in text
    assert f"{counts['geen']} plekken staan niet op de kaart, want we weten niet waar ze zijn." in text


def test_production_refuses_the_development_secret_with_staff_pages():
    from pydantic import ValidationError

    from app.config import Settings

    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", staff_token="x", secret_key="dev-only-change-me")
    assert Settings(environment="production", staff_token="x", secret_key="iets-geheims").staff_token == "x"


def test_search_page_can_order_by_best_fit_with_a_postcode(client):
    near = client.get("/zoeken?q=schulden&postcode=7559").text
    best = client.get("/zoeken?q=schulden&postcode=7559&volgorde=passend").text
    assert "Het dichtst bij postcode 7559 staat bovenaan" in near
    assert "Wat het best past staat bovenaan" in best and '<option value="passend" selected>' in best
    titles = lambda html: re.findall(r'class="result__title"><a [^>]*>(.*?)</a>', html)  # noqa: E731
    assert sorted(titles(near)) == sorted(titles(best)) and titles(near) != titles(best)

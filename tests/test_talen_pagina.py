"""The listing and public pages in another language (issue 14): every page renders with ?lang=en and ?lang=ar with
the right <html lang dir>, the listings' own texts carry lang="nl" and the page says once that they stay Dutch,
texts built in Python (opening hours, distances, dates, report and error messages) follow the language, and the
error pages never fail for want of a catalogue. Each test has a client of its own: the language cookie must not
leak into the session-wide `client`. A tiny English catalogue of the test's own shows that marked texts are
translated; without one the Dutch text shows."""
import json
import re
from datetime import date, datetime

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from sqlmodel import select

from app import hours, listings, taal
from app.models import Location, Schedule, ServiceAtLocation, Wijk
from app.templating import afstand, datum
from tests.talen_hulp import NOOT_NL, html_tag, vertaald

ENGELS = {
    "Zoeken": "Search",
    "Waar zoekt u hulp bij?": "What do you need help with?",
    "Onbekend": "Unknown",
    "Gesloten": "Closed",
    "Wanneer": "When",
    "Adres en contact": "Address and contact",
    "%(meters)s meter": "%(meters)s metres",
    "%(afstand)s van uw postcode": "%(afstand)s from your postcode",
    "%(tijd)s uur": "%(tijd)s",
    "Nu open, dag en nacht": "Open now, day and night",
    "Nu open, tot %(wanneer)s": "Open now, until %(wanneer)s",
    "morgen %(tijd)s": "tomorrow %(tijd)s",
    "%(dag)s %(tijd)s": "%(dag)s %(tijd)s",
    "Nu gesloten. Wanneer het weer open is, weten we niet.": "Closed now. We do not know when it opens again.",
    "Nu gesloten. Vandaag open vanaf %(tijd)s": "Closed now. Open today from %(tijd)s",
    "Nu gesloten. Weer open morgen om %(tijd)s": "Closed now. Open again tomorrow at %(tijd)s",
    "Nu gesloten. Weer open op %(dag)s om %(tijd)s": "Closed now. Open again on %(dag)s at %(tijd)s",
    "Toon mijn locatie": "Show my location",
    "De link is gekopieerd. Plak hem in een bericht.": "The link is copied. Paste it in a message.",
    "Opvoeden": "Parenting",
    "Het adres klopt niet": "The address is wrong",
    "Kies wat er niet klopt.": "Choose what is wrong.",
    "Deze methode kan hier niet. Kijk in de API-documentatie (/api/v1/docs) wat wel kan.":
        "This method does not work here. See the API documentation (/api/v1/docs) for what does.",
    "De sociale kaart is even niet bereikbaar. Probeer het over een paar minuten opnieuw.":
        "The social map cannot be reached right now. Try again in a few minutes.",
}


@pytest.fixture
def engelse_catalogus(tmp_path, monkeypatch):
    """app/locale replaced by a directory with only a small English catalogue (the real ones are the translators')."""
    catalog = Catalog(locale="en")
    for msgid, msgstr in ENGELS.items():
        catalog.add(msgid, msgstr)
    pad = tmp_path / "en" / "LC_MESSAGES" / "messages.po"
    pad.parent.mkdir(parents=True)
    with pad.open("wb") as f:
        write_po(f, catalog)
    monkeypatch.setattr(taal, "LOCALE_DIR", tmp_path)
    taal._catalogus.cache_clear()
    # The opening-hours texts are kept per minute and language (listings.service_status): made by an earlier
    # test without this catalogue, they would still be Dutch. In production a catalogue never changes in a process.
    listings._cache.pop("status", None)
    yield
    monkeypatch.undo()
    taal._catalogus.cache_clear()
    listings._cache.pop("status", None)


@pytest.fixture(scope="module")
def plekken(engine):
    """Slugs of pages to visit: a wijk, a location with an address, one whose service has weekly opening hours."""
    from sqlmodel import Session

    with Session(engine) as s:
        wijk = s.exec(select(Wijk.slug).order_by(Wijk.code)).first()
        met_adres = s.exec(select(Location.slug).where(Location.slug == "wijkcentrum-slangenbeek")).one()
        wekelijks = s.exec(
            select(Location.slug).join(ServiceAtLocation, ServiceAtLocation.location_id == Location.id)
            .join(Schedule, Schedule.service_id == ServiceAtLocation.service_id)
            .where(Schedule.freq == "WEEKLY", Schedule.opens_at.is_not(None)).order_by(Location.slug)).first()
    return {"wijk": wijk, "adres": met_adres, "uren": wekelijks}


def paginas(p: dict) -> list[str]:
    return ["/", "/over", "/offline", "/wijken", f"/wijken/{p['wijk']}", f"/wijken/{p['wijk']}/folder",
            "/zoeken", "/zoeken?q=schulden", "/zoeken?q=schulden&postcode=7551AB", "/zoeken?q=xqzzyvw",
            "/zoeken?thema=geld&open=nu&wijk=" + p["wijk"], f"/locaties/{p['adres']}", f"/locaties/{p['uren']}"]


@pytest.mark.parametrize(("lang", "richting"), [("en", "ltr"), ("ar", "rtl")])
def test_every_page_renders_in_another_language(eigen, plekken, lang, richting):
    for pad in paginas(plekken):
        r = eigen.get(pad + ("&" if "?" in pad else "?") + f"lang={lang}")
        assert r.status_code == 200, pad
        assert html_tag(r.text) == f'<html lang="{lang}" dir="{richting}">', pad
    # The error pages too: a 404, a 422 for input the page cannot use, a 405.
    for pad, status in [("/bestaat-niet", 404), ("/zoeken?pagina=nul", 422), ("/zoeken?postcode=12", 422)]:
        r = eigen.get(pad)
        assert r.status_code == status and html_tag(r.text) == f'<html lang="{lang}" dir="{richting}">', pad
    r = eigen.post("/over")
    assert r.status_code == 405 and html_tag(r.text) == f'<html lang="{lang}" dir="{richting}">'


def test_listing_texts_carry_lang_nl_only_on_a_page_in_another_language(eigen, plekken):
    pad = f"/locaties/{plekken['adres']}"
    engels = eigen.get(pad + "?lang=en").text
    assert re.search(r'<h1 class="page-title" lang="nl">[^<]+</h1>', engels)
    assert re.search(r'<dd><span lang="nl">[^<]+</span><br>7\d\d\d', engels)  # the street, then the postcode
    assert re.search(r'<p class="lead" lang="nl">', engels)
    assert engels.count(vertaald(NOOT_NL, "en")) == 1
    nederlands = eigen.get(pad + "?lang=nl").text
    assert '<h1 class="page-title">' in nederlands and NOOT_NL not in nederlands
    assert '<span lang="nl">' not in nederlands and '<p class="lead" lang="nl">' not in nederlands

    zoeken = eigen.get("/zoeken?q=schulden&lang=ar").text
    assert zoeken.count(vertaald(NOOT_NL, "ar")) == 1
    assert re.search(r'<p class="result__address"><span lang="nl">[^<]+, Hengelo</span>', zoeken)
    wijk = eigen.get(f"/wijken/{plekken['wijk']}?lang=en").text
    assert wijk.count(vertaald(NOOT_NL, "en")) == 1 and re.search(r'<a href="/locaties/[^"]+" lang="nl">', wijk)
    assert NOOT_NL not in eigen.get("/zoeken?q=schulden&lang=nl").text


def test_marked_texts_and_python_built_texts_follow_the_catalogue(eigen, plekken, engelse_catalogus):
    zoeken = eigen.get("/zoeken?q=schulden&postcode=7551AB&lang=en").text
    assert '<label class="label" for="q">What do you need help with?</label>' in zoeken
    assert "Waar zoekt u hulp bij?" not in zoeken
    # Distances in metres or km, with the English decimal point.
    afstanden = re.findall(r'<p class="result__distance">([^<]+)</p>', zoeken)
    assert afstanden and all(re.fullmatch(r"\d+ metres|\d+\.\d km|\d{1,3}(,\d{3})*\.\d km", a.removesuffix(
        " from your postcode")) for a in afstanden)
    # The opening hours' status, built in app/hours.py, is English; the Dutch page still gets Dutch (the status
    # cache keeps one per language).
    tags = re.findall(r'<span class="tag tag--(?:open|closed)">([^<]+)</span>', zoeken)
    assert tags and all(t.startswith(("Open now", "Closed now")) for t in tags)
    nl_tags = re.findall(r'<span class="tag tag--(?:open|closed)">([^<]+)</span>',
                         eigen.get("/zoeken?q=schulden&postcode=7551AB&lang=nl").text)
    assert nl_tags and all(t.startswith(("Nu open", "Nu gesloten")) for t in nl_tags)

    locatie = eigen.get(f"/locaties/{plekken['uren']}?lang=en").text
    dagen = re.findall(r'<th scope="row">(\w+) \d+', locatie)
    assert dagen[:7] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert "<dt>When</dt>" in locatie and "<h2>Address and contact</h2>" in locatie
    # The map's and the share button's texts reach the scripts in the page's language.
    kaart = eigen.get("/zoeken?q=schulden&lang=en").text
    teksten = json.loads(re.search(r"data-teksten='([^']*)'", kaart).group(1))
    assert teksten["toonLocatie"] == "Show my location" and teksten["cluster"] == "{n} locaties, inzoomen"
    assert 'data-deel-gelukt="The link is copied. Paste it in a message."' in locatie
    # Theme labels from seed/taxonomie.yaml.
    assert ">Parenting</a>" in eigen.get("/?lang=en").text


def test_report_form_and_its_messages_follow_the_language(app_on, engelse_catalogus):
    client, engine = app_on
    from sqlmodel import Session

    with Session(engine) as s:
        slug = s.exec(select(Location.slug).where(Location.slug == "wijkcentrum-slangenbeek")).one()
    client.get("/?lang=en")
    pagina = client.get(f"/locaties/{slug}").text
    assert ">The address is wrong</label>" in pagina
    fout = client.post("/melding", data={"plek": slug, "soort": "verzonnen", "opmerking": "x" * 400})
    assert fout.status_code == 422 and html_tag(fout.text) == '<html lang="en" dir="ltr">'
    assert "Choose what is wrong." in fout.text
    # A message without a translation stays Dutch rather than showing a code.
    assert "Uw opmerking is te lang: 400 tekens." in fout.text


def test_the_error_page_translates_the_standard_message(eigen, engelse_catalogus):
    r = eigen.post("/over?lang=en")
    assert r.status_code == 405
    assert "This method does not work here." in r.text and "Deze methode kan hier niet" not in r.text


def test_the_503_page_is_translated_and_keeps_the_emergency_numbers(eigen, database_weg, engelse_catalogus):
    eigen.get("/?lang=en")
    with database_weg():
        r = eigen.get("/zoeken?q=schulden")
    assert r.status_code == 503 and html_tag(r.text) == '<html lang="en" dir="ltr">'
    assert "The social map cannot be reached right now." in r.text
    assert 'href="tel:112"' in r.text and "0800-0113" in r.text


def test_without_a_catalogue_the_503_page_falls_back_to_dutch(eigen, database_weg, tmp_path, monkeypatch):
    monkeypatch.setattr(taal, "LOCALE_DIR", tmp_path)  # no catalogue at all for any language
    taal._catalogus.cache_clear()
    try:
        eigen.get("/?lang=ti")
        with database_weg():
            r = eigen.get("/wijken")
        assert r.status_code == 503 and html_tag(r.text) == '<html lang="ti" dir="ltr">'
        assert "De sociale kaart is even niet bereikbaar." in r.text
        assert 'href="tel:112"' in r.text and "0800-0113" in r.text and "0800-2000" in r.text
    finally:
        monkeypatch.undo()
        taal._catalogus.cache_clear()


def _in_taal(code: str, fn, *args):
    """fn(*args) as during a request in that language (the middleware sets the same context variable)."""
    token = taal._huidig.set(code)
    try:
        return fn(*args)
    finally:
        taal._huidig.reset(token)


def test_babel_names_days_and_months_in_the_language_and_dutch_stays_as_it_was():
    vrijdag = date(2026, 12, 4)
    assert _in_taal("nl", hours.dag_naam, vrijdag) == "vrijdag"
    assert _in_taal("en", hours.dag_naam, vrijdag) == "Friday"
    assert _in_taal("nl", datum, vrijdag) == "4 december 2026"
    assert _in_taal("en", datum, vrijdag) == "4 December 2026"
    assert _in_taal("nl", afstand, 1540) == "1,5 km" and _in_taal("en", afstand, 1540) == "1.5 km"
    regel = Schedule(freq="WEEKLY", byday="SA", opens_at=datetime(2026, 1, 1, 9).time(),
                     closes_at=datetime(2026, 1, 1, 12).time(), gesloten=False, feestdagen_gesloten=False)
    # Thursday 10:00: next open on Saturday, named with its date.
    donderdag = datetime(2026, 12, 3, 10, 0, tzinfo=hours.TZ)
    assert _in_taal("nl", hours.status, [regel], donderdag).tekst == (
        "Nu gesloten. Weer open op zaterdag 5 december om 9.00 uur")
    week = _in_taal("en", hours.week, [regel], date(2026, 12, 3))
    assert [d.naam for d in week][:2] == ["Monday", "Tuesday"]
    # A public holiday (Friday 25 December) in the language when the holidays package has it, else in Dutch.
    kerst = date(2026, 12, 25)
    assert _in_taal("nl", hours.week, [regel], kerst)[4].feestdag == "Eerste kerstdag"
    assert _in_taal("en", hours.week, [regel], kerst)[4].feestdag == "Christmas Day"
    assert _in_taal("ar", hours.week, [regel], kerst)[4].feestdag == "Eerste kerstdag"

"""The front door (/contact, /contact/intrekken) in another language (issue 14): the whole flow works, the posts keep
the language the resident chose (the cookie), errors stay next to their field, and with a catalogue the texts made
in Python (labels, error messages) are translated while the code, the numbers, the database's names and the API
stay as they are. Each test has a client of its own: the language cookie must not leak into the shared `client`."""
import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from markupsafe import escape
from sqlmodel import select

from app import taal
from app.models import Contactverzoek, Location
from tests.talen_hulp import html_tag

GOED = {"soort": "terugbellen", "naam": "Ans", "telefoon": "06 9876 5432", "email": "", "postcode": "7551 AB",
        "thema": "schulden", "vraag": "Ik heb een brief van de deurwaarder gekregen", "moment": "ochtend",
        "wijkentree": ""}
RICHTING = {"nl": "ltr", "en": "ltr", "ar": "rtl"}


def referentie_uit(page: str) -> str:
    return page.split('class="contact-referentie">')[1][:8]


def veldgroep(page: str, veld: str) -> str:
    """The form group of one field: its label or legend, hint, error and input together."""
    form = page.split("<form", 1)[1]
    groepen = re.split(r'(?=<div class="form-group)|</form>', form)
    return next(g for g in groepen if g.startswith('<div class="form-group') and f'name="{veld}"' in g)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_whole_flow_keeps_the_language_chosen_on_the_form(eigen, session, lang):
    verwacht = f'<html lang="{lang}" dir="{RICHTING[lang]}">'
    formulier = eigen.get(f"/contact?lang={lang}")
    assert formulier.status_code == 200 and html_tag(formulier.text) == verwacht
    assert f"taal={lang}" in formulier.headers["set-cookie"]
    # The posts carry no ?lang=: the cookie keeps the language on every step.
    controle = eigen.post("/contact", data=GOED)
    assert controle.status_code == 200 and html_tag(controle.text) == verwacht
    assert 'name="toestemming"' in controle.text and controle.headers["content-language"] == lang
    klaar = eigen.post("/contact", data=GOED | {"stap": "versturen", "toestemming": "ja"})
    assert klaar.status_code == 200 and html_tag(klaar.text) == verwacht
    referentie = referentie_uit(klaar.text)
    assert session.exec(select(Contactverzoek).where(Contactverzoek.referentie == referentie)).one()
    # The emergency lines are there with their numbers as numbers, whatever the language.
    assert 'href="tel:112"' in klaar.text and 'href="tel:14074"' in klaar.text

    pagina = eigen.get("/contact/intrekken")
    assert pagina.status_code == 200 and html_tag(pagina.text) == verwacht
    weg = eigen.post("/contact/intrekken", data={"referentie": referentie, "contact": GOED["telefoon"]})
    assert weg.status_code == 200 and html_tag(weg.text) == verwacht and 'role="status"' in weg.text
    session.expire_all()
    assert session.exec(select(Contactverzoek).where(Contactverzoek.referentie == referentie)).first() is None


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_errors_stay_next_to_their_field_in_another_language(eigen, lang):
    eigen.get(f"/?lang={lang}")
    fout = eigen.post("/contact", data=GOED | {"telefoon": "", "moment": ""})
    assert fout.status_code == 422 and html_tag(fout.text) == f'<html lang="{lang}" dir="{RICHTING[lang]}">'
    assert 'class="error-summary"' in fout.text
    for veld in ("telefoon", "moment"):
        groep = veldgroep(fout.text, veld)
        assert f'id="{veld}-fout"' in groep and f'aria-describedby="{veld}-fout"' in groep.replace(f"{veld}-hint ", "")
        assert f'href="#{veld}"' in fout.text  # the summary jumps to the field
    toestemming = eigen.post("/contact", data=GOED | {"stap": "versturen"})
    assert toestemming.status_code == 422 and 'aria-describedby="toestemming-fout"' in toestemming.text
    intrekken = eigen.post("/contact/intrekken", data={})
    assert intrekken.status_code == 422 and 'id="referentie-fout"' in intrekken.text
    assert 'id="contact-fout"' in intrekken.text


# A few texts of each kind: a template text, a label and error messages made in Python (app/contact.py,
# app/routes/contact.py), the postcode message of app/geo.py with its value, and the receipt's sentences.
ENGELS = {
    "Er klopt iets niet": "Something is not right",
    "Fout:": "Error:",
    "Uw voornaam of voorletters": "Your first name or initials",
    "Vul uw voornaam of voorletters in.": "Enter your first name or initials.",
    "Bel mij terug": "Call me back",
    "In de ochtend (9 tot 12 uur)": "In the morning (9 am to 12 noon)",
    "Postcode %(postcode)s ligt niet in Hengelo. Deze website gaat alleen over Hengelo. Woont u ergens anders? "
    "Kijk dan op de website van uw eigen gemeente.": "Postcode %(postcode)s is not in Hengelo.",
    "Uw vraag is te lang: %(lengte)d tekens. Gebruik hoogstens %(max)d tekens. Vertel de rest als we contact met u "
    "hebben.": "Your question is too long: %(lengte)d characters. Use %(max)d at most.",
    "Vink aan dat u akkoord bent. Anders kunnen we uw vraag niet sturen.": "Tick the box to agree.",
    "Uw vraag gaat naar %(naam)s.": "Your question goes to %(naam)s.",
    "Uw code is:": "Your code is:",
    "We bellen u %(moment)s.": "We will call you %(moment)s.",
    "Vul de code in die u kreeg toen u uw vraag stuurde.": "Enter the code you got when you sent your question.",
}


@pytest.fixture
def engelse_catalogus(tmp_path, monkeypatch):
    catalog = Catalog(locale="en")
    for nl, en in ENGELS.items():
        catalog.add(nl, en)
    pad = tmp_path / "en" / "LC_MESSAGES"
    pad.mkdir(parents=True)
    with (pad / "messages.po").open("wb") as f:
        write_po(f, catalog)
    monkeypatch.setattr(taal, "LOCALE_DIR", tmp_path)
    taal._catalogus.cache_clear()
    yield
    taal._catalogus.cache_clear()  # the next test reads the real catalogues again


def test_with_a_catalogue_the_form_errors_made_in_python_are_translated(eigen, engelse_catalogus):
    fout = eigen.post("/contact?lang=en", data=GOED | {"naam": "", "postcode": "1011 AB", "vraag": "a" * 501})
    assert fout.status_code == 422
    assert "Something is not right" in fout.text and "Er klopt iets niet" not in fout.text
    naam = veldgroep(fout.text, "naam")
    assert "Your first name or initials" in naam
    assert '<span class="visually-hidden">Error: </span>Enter your first name or initials.</p>' in naam
    assert "Postcode 1011 AB is not in Hengelo." in veldgroep(fout.text, "postcode")
    assert "Your question is too long: 501 characters. Use 500 at most." in veldgroep(fout.text, "vraag")
    assert "Vul uw voornaam of voorletters in." not in fout.text and "ligt niet in Hengelo" not in fout.text
    assert ">Call me back</label>" in fout.text  # a label of app/contact.SOORTEN

    intrekken = eigen.post("/contact/intrekken", data={"contact": "0612345678"})
    assert "Enter the code you got when you sent your question." in intrekken.text

    # The same messages from the API stay Dutch, even with the English cookie (app/taal.py).
    api = eigen.post("/api/v1/contact", json=GOED | {"naam": "", "toestemming": True})
    assert api.status_code == 422 and api.json()["detail"][0]["msg"] == "Vul uw voornaam of voorletters in."
    # And the Dutch page is untouched by the catalogue.
    nl = eigen.post("/contact?lang=nl", data=GOED | {"naam": ""})
    assert "Er klopt iets niet" in nl.text and "Vul uw voornaam of voorletters in." in nl.text


def test_with_a_catalogue_the_receipt_is_translated_but_not_the_code_or_the_names(eigen, session, engelse_catalogus):
    naam = escape(session.exec(select(Location.name).where(Location.slug == "mfa-t-berflo")).one())
    eigen.get("/contact?lang=en")
    toestemming = eigen.post("/contact", data=GOED | {"stap": "versturen"})
    assert ('<span class="visually-hidden">Error: </span>Tick the box to agree.</p>'
            in veldgroep(toestemming.text, "toestemming"))
    klaar = eigen.post("/contact", data=GOED | {"wijkentree": "mfa-t-berflo", "stap": "versturen", "toestemming": "ja"})
    referentie = referentie_uit(klaar.text)
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", referentie)
    assert "Your code is:" in klaar.text
    # A wijkentree's name comes from the database: Dutch, and marked so for screen readers.
    assert f'Your question goes to <span lang="nl">{naam}</span>.' in klaar.text
    assert "We will call you in the morning (9 am to 12 noon)." in klaar.text

    # In Dutch the same sentence has no extra markup: the page is as it was.
    nl = eigen.get("/contact?lang=nl&wijkentree=mfa-t-berflo")
    assert f'Uw vraag gaat naar {naam}.' in nl.text and '<span lang="nl">' not in nl.text

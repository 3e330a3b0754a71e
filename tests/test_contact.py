"""The front door (issue 12) through HTTP: pages, API, encryption at rest, withdrawal, retention, rate limit."""
import email
import email.policy
import socket
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from app.__main__ import main
from app.config import get_settings
from app.models import Audit, Contactverzoek, utcnow

GOED = {"soort": "terugbellen", "naam": "Ans", "telefoon": "06 9876 5432", "email": "", "postcode": "7551 AB",
        "thema": "schulden", "vraag": "Ik heb een brief van de deurwaarder gekregen", "moment": "ochtend",
        "wijkentree": ""}


def _stuur(client, **extra):
    return client.post("/api/v1/contact", json=GOED | {"toestemming": True} | extra)


def test_page_happy_path(client, session):
    assert 'name="soort"' in client.get("/contact?wijkentree=mfa-t-berflo&thema=geld").text
    controle = client.post("/contact", data=GOED)
    assert controle.status_code == 200 and "Kloppen uw gegevens?" in controle.text
    assert 'name="toestemming"' in controle.text and "30 dagen" in controle.text
    assert " checked" not in controle.text  # consent is never pre-ticked
    klaar = client.post("/contact", data=GOED | {"stap": "versturen", "toestemming": "ja"})
    assert klaar.status_code == 200 and "Uw vraag is verstuurd" in klaar.text and "112" in klaar.text
    assert klaar.headers["cache-control"] == "no-store"
    referentie = klaar.text.split('class="contact-referentie">')[1][:8]
    rij = session.exec(select(Contactverzoek).where(Contactverzoek.referentie == referentie)).one()
    assert rij.soort == "terugbellen" and rij.thema == "schulden" and rij.status == "nieuw"
    assert rij.location_id is not None  # the nearest wijkentree by postcode


@pytest.mark.parametrize(("moment", "zin"), [("ochtend", "We bellen u in de ochtend (9 tot 12 uur)."),
                                             ("middag", "We bellen u in de middag (12 tot 17 uur)."),
                                             ("maakt-niet-uit", None)])
def test_the_receipt_says_when_we_call_only_for_a_chosen_moment(client, moment, zin):
    klaar = client.post("/contact", data=GOED | {"moment": moment, "stap": "versturen", "toestemming": "ja"})
    assert klaar.status_code == 200 and "Binnen 2 werkdagen neemt een medewerker contact met u op." in klaar.text
    assert (zin in klaar.text) if zin else ("We bellen u" not in klaar.text)


def test_form_has_no_preselected_answers(client):
    page = client.get("/contact").text
    assert " checked" not in page


def test_consent_required(client):
    page = client.post("/contact", data=GOED | {"stap": "versturen"})
    assert page.status_code == 422 and 'id="toestemming-fout"' in page.text and "error-summary" in page.text
    api = client.post("/api/v1/contact", json=GOED)
    assert api.status_code == 422
    assert api.json()["detail"][0]["veld"] == "toestemming" and "toestemming" in api.json()["detail"][0]["msg"]


@pytest.mark.parametrize("veld, waarde, woord", [
    ("naam", "", "voornaam"),
    ("naam", "x" * 61, "te lang"),
    ("telefoon", "12345", "telefoonnummer klopt niet"),
    ("email", "geen-adres", "e-mailadres klopt niet"),
    ("postcode", "1011 AB", "niet in Hengelo"),
    ("thema", "onbekend", "Kies waar"),
    ("moment", "", "Kies wanneer"),
    ("soort", "", "Kies wat u wilt"),
    ("vraag", "a" * 501, "te lang"),
])
def test_each_validation(client, veld, waarde, woord):
    page = client.post("/contact", data=GOED | {veld: waarde})
    assert page.status_code == 422 and f'id="{veld}-fout"' in page.text and woord in page.text
    api = _stuur(client, **{veld: waarde})
    assert api.status_code == 422 and woord in api.json()["detail"][0]["msg"]


def test_phone_or_email_one_is_enough(client):
    assert _stuur(client, soort="vraag", telefoon="", email="ans@example.nl").status_code == 202
    geen = _stuur(client, soort="vraag", telefoon="", email="")
    assert geen.status_code == 422 and "Eén van de twee is genoeg" in geen.json()["detail"][0]["msg"]


def test_api_happy_path_goes_to_chosen_wijkentree(client, session):
    r = _stuur(client, wijkentree="mfa-t-berflo", postcode="")
    assert r.status_code == 202 and len(r.json()["referentie"]) == 8
    assert not set(r.json()["referentie"]) & set("01OI")
    rij = session.exec(select(Contactverzoek).where(Contactverzoek.referentie == r.json()["referentie"])).one()
    assert rij.location_id is not None


def test_no_personal_data_in_clear(client, engine):
    geheim_nummer, geheime_vraag = "0687654321", "Mijn buurman Zwartewalvis helpt niet meer"
    r = _stuur(client, telefoon=geheim_nummer, vraag=geheime_vraag, email="zwartewalvis@example.nl")
    assert r.status_code == 202
    with engine.connect() as conn:
        rijen = [" ".join(map(str, row)) for row in conn.execute(text("SELECT * FROM contactverzoek"))]
        audits = [" ".join(map(str, row)) for row in conn.execute(text("SELECT * FROM audit"))]
    for rij in [*rijen, *audits]:
        assert geheim_nummer not in rij and "Zwartewalvis" not in rij and "zwartewalvis" not in rij
    if engine.dialect.name == "sqlite":
        data = Path(engine.url.database).read_bytes()
        assert geheim_nummer.encode() not in data and b"Zwartewalvis" not in data


def test_withdrawal(client, session):
    ref = _stuur(client, telefoon="06-11223344").json()["referentie"]
    fout = client.post("/contact/intrekken", data={"referentie": ref, "contact": "0699999999"})
    assert fout.status_code == 422 and "We vinden geen vraag" in fout.text
    leeg = client.post("/contact/intrekken", data={"referentie": "", "contact": ""})
    assert leeg.status_code == 422 and 'id="referentie-fout"' in leeg.text and 'id="contact-fout"' in leeg.text
    ok = client.post("/contact/intrekken", data={"referentie": ref.lower(), "contact": "+31 6 11223344"})
    assert ok.status_code == 200 and "ingetrokken" in ok.text
    assert session.exec(select(Contactverzoek).where(Contactverzoek.referentie == ref)).first() is None
    audit = session.exec(select(Audit).where(Audit.actie == "ingetrokken", Audit.voor.contains(ref))).one()
    assert "11223344" not in (audit.voor or "") + (audit.na or "")


def test_retention_cleanup(client, session, capsys):
    oud = _stuur(client).json()["referentie"]
    afgehandeld = _stuur(client).json()["referentie"]
    vers = _stuur(client).json()["referentie"]
    nu = utcnow()
    for ref, status, aangemaakt, klaar in [(oud, "nieuw", nu - timedelta(days=91), None),
                                           (afgehandeld, "afgehandeld", nu - timedelta(days=40),
                                            nu - timedelta(days=31)),
                                           (vers, "afgehandeld", nu - timedelta(days=5), nu - timedelta(days=1))]:
        rij = session.exec(select(Contactverzoek).where(Contactverzoek.referentie == ref)).one()
        rij.status, rij.aangemaakt, rij.afgehandeld = status, aangemaakt, klaar
        session.add(rij)
    session.commit()
    assert main(["opruimen", "--dry-run"]) == 0
    uit = capsys.readouterr().out
    assert "Zou verwijderen" in uit
    session.expire_all()
    assert session.exec(select(Contactverzoek).where(Contactverzoek.referentie == oud)).first() is not None
    assert main(["opruimen"]) == 0
    assert "Verwijderd" in capsys.readouterr().out
    session.expire_all()
    refs = set(session.exec(select(Contactverzoek.referentie)).all())
    assert oud not in refs and afgehandeld not in refs and vers in refs


def test_key_rotation(client, session, monkeypatch, capsys):
    from cryptography.fernet import Fernet, InvalidToken

    from app import contact

    ref = _stuur(client).json()["referentie"]
    dev = contact._afgeleid(get_settings().secret_key, b"wijkentree contactverzoek").decode()
    nieuw = Fernet.generate_key().decode()

    def sleutels(waarde: str) -> None:
        monkeypatch.setenv("CONTACT_SLEUTELS", waarde)
        get_settings.cache_clear()

    def lees() -> dict:
        session.expire_all()
        rij = session.exec(select(Contactverzoek).where(Contactverzoek.referentie == ref)).one()
        return contact.ontsleutel(rij.versleuteld)

    try:
        sleutels(f"{nieuw},{dev}")
        assert lees()["naam"] == "Ans"  # the old key still decrypts
        assert main(["sleutel-roteren"]) == 0 and "opnieuw versleuteld" in capsys.readouterr().out
        sleutels(nieuw)
        assert lees()["telefoon"] == "0698765432"  # only the new key is needed now
        sleutels(dev)
        with pytest.raises(InvalidToken):
            lees()
        sleutels(f"{dev},{nieuw}")  # back under the development key, for the other tests
        main(["sleutel-roteren"])
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_production_refuses_derived_key(monkeypatch):
    from app import contact

    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", "een-echte-geheime-sleutel")
    monkeypatch.delenv("CONTACT_SLEUTELS", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(contact.SleutelFout, match="CONTACT_SLEUTELS"):
            contact.versleutel({"naam": "x"})
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_rate_limit(client, rate_limits_on):
    antwoorden = [_stuur(client).status_code for _ in range(rate_limits_on.limiet_contact + 1)]
    assert antwoorden[-1] == 429 and 202 in antwoorden
    r = _stuur(client)
    assert r.status_code == 429 and "te vaak" in r.json()["detail"] and int(r.headers["retry-after"]) > 0
    page = client.post("/contact", data=GOED | {"stap": "versturen", "toestemming": "ja"})
    assert page.status_code == 429 and "te vaak" in page.text


def test_smtp_notice_without_personal_data(client, monkeypatch):
    ontvangen: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def smtp_stand_in():
        conn, _ = server.accept()
        with conn, conn.makefile("rb") as lezer:
            conn.sendall(b"220 stand-in\r\n")
            in_data = False
            for regel in lezer:
                if in_data:
                    if regel == b".\r\n":
                        in_data = False
                        conn.sendall(b"250 ok\r\n")
                    else:
                        ontvangen.append(regel)
                    continue
                commando = regel[:4].upper()
                if commando == b"DATA":
                    in_data = True
                    conn.sendall(b"354 go\r\n")
                elif commando == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")

    draad = threading.Thread(target=smtp_stand_in, daemon=True)
    draad.start()
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{server.getsockname()[1]}")
    monkeypatch.setenv("CONTACT_MELDING_AAN", "wijkentree@example.nl")
    get_settings.cache_clear()
    try:
        ref = _stuur(client, telefoon="0655443322", vraag="Geheime vraag over Zeekoe").json()["referentie"]
        draad.join(timeout=5)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        server.close()
    bericht = email.message_from_bytes(b"".join(ontvangen), policy=email.policy.default)
    mail = bericht["Subject"] + bericht.get_content()
    assert ref in mail and "/beheer/contact" in mail
    assert "0655443322" not in mail and "Zeekoe" not in mail and "Ans" not in mail


def test_smtp_failure_keeps_request(client, session, monkeypatch):
    monkeypatch.setenv("SMTP_URL", "smtp://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("CONTACT_MELDING_AAN", "wijkentree@example.nl")
    get_settings.cache_clear()
    try:
        r = _stuur(client)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert r.status_code == 202
    assert session.exec(select(Contactverzoek).where(Contactverzoek.referentie == r.json()["referentie"])).one()


def test_buttons_on_result_wijk_and_wijkentree_pages(client):
    wijk = client.get("/wijken/berflo-es").text
    assert "Stel uw vraag of vraag om terugbellen" in wijk and "/contact?wijkentree=" in wijk


def test_staff_functions_audit_every_view_and_change(client, session):
    """The data layer of the inbox (the pages and API wait for app/toegang.py)."""
    from app.data import contact as data
    from app.data.core import Wie
    from app.models import Location

    ref = _stuur(client, wijkentree="mfa-t-berflo", postcode="", telefoon="0611112222").json()["referentie"]
    rij = session.exec(select(Contactverzoek).where(Contactverzoek.referentie == ref)).one()
    wie = Wie("medewerker@example.nl", rol="medewerker", soort="gebruiker")
    assert rij.id in {r.id for r in data.lijst(session, rij.location_id, "nieuw")}
    gelezen, gegevens = data.bekijk(session, wie, rij.id)
    assert gegevens["telefoon"] == "0611112222" and gegevens["naam"] == "Ans"
    assert data.oppakken(session, wie, rij.id).opgepakt_door == "medewerker@example.nl"
    ander = session.exec(select(Location).where(Location.is_wijkentree, Location.id != rij.location_id)).first()
    if ander is not None:
        assert data.toewijzen(session, wie, rij.id, ander.id).status == "nieuw"
    assert data.afhandelen(session, wie, rij.id).status == "afgehandeld"
    acties = [a.actie for a in session.exec(select(Audit).where(Audit.object_id == rij.id).order_by(Audit.id))]
    assert acties[:3] == ["aangemaakt", "bekeken", "opgepakt"] and acties[-1] == "afgehandeld"
    for a in session.exec(select(Audit).where(Audit.object_id == rij.id)):
        assert "0611112222" not in (a.voor or "") + (a.na or "") and "Ans" not in (a.voor or "") + (a.na or "")


def test_prefill_from_query_and_button_on_wijkentree_listing(client):
    page = client.get("/contact?wijkentree=mfa-t-berflo&thema=geld").text
    assert "Uw vraag gaat naar MFA" in page and '<option value="geld" selected>' in page
    assert 'value="mfa-t-berflo"' in page
    onbekend = client.get("/contact?wijkentree=bestaat-niet&thema=iets").text
    assert "bij u in de buurt" in onbekend and "selected>Kies een onderwerp" in onbekend
    assert "/contact?wijkentree=mfa-t-berflo" in client.get("/locaties/mfa-t-berflo").text

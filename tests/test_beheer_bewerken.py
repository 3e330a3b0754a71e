"""Beheer's edit pages through HTTP with a real login on a seeded database of their own: change, new, errors next
to the field, two editors at once, delete and restore, checked, links and wijkentree."""
import html
import re
import uuid
from datetime import datetime

import pytest
from sqlmodel import Session, select

from app import hours
from app.data import accounts
from app.data.core import SYSTEEM
from app.models import Address, Audit, Location, Organization, Phone, Service, ServiceAtLocation

WACHTWOORD = "een lange zin als wachtwoord"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _inloggen(client, engine, rol: str, organisaties: list[str] | None = None) -> str:
    email = f"{rol}-{uuid.uuid4().hex[:8]}@wijkracht.example"
    with Session(engine) as s:
        accounts.maak_gebruiker(s, SYSTEEM, email, f"Test {rol}", rol, WACHTWOORD, organisaties)
    client.cookies.clear()
    form = client.get("/beheer/inloggen")
    r = client.post("/beheer/inloggen", data={"email": email, "wachtwoord": WACHTWOORD, "csrf": _csrf(form.text)},
                    follow_redirects=False)
    assert r.status_code == 303
    return email


def _formulier(pagina: str) -> dict[str, str | list[str]]:
    """The form as a browser would send it: inputs with their values, checked boxes, selected options, text."""
    velden: dict[str, list[str]] = {}
    form = pagina[pagina.rfind("<form", 0, pagina.index('name="versie"')):]
    form = form[:form.index("</form>")]
    for tag in re.findall(r"<input[^>]*>", form):
        naam = re.search(r'name="([^"]+)"', tag)
        if not naam:
            continue
        soort = re.search(r'type="([^"]+)"', tag).group(1)
        waarde = re.search(r'value="([^"]*)"', tag)
        if soort in ("checkbox", "radio") and " checked" not in tag:
            continue
        velden.setdefault(naam.group(1), []).append(_html(waarde.group(1) if waarde else ""))
    for naam, inhoud in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        velden[naam] = [_html(inhoud)]
    for naam, opties in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        gekozen = re.search(r'<option value="([^"]*)" selected>', opties)
        velden[naam] = [gekozen.group(1) if gekozen else ""]
    return {k: v if len(v) > 1 else v[0] for k, v in velden.items()}


def _html(text: str) -> str:
    return html.unescape(text)


@pytest.fixture
def dienst(app_on):
    """(client, engine, service id, its organisation id) for a service of the seed that has a location."""
    client, engine = app_on
    with Session(engine) as s:
        service = s.exec(select(Service).join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
                         .order_by(Service.name)).first()
        return client, engine, service.id, service.organization_id


def test_a_redacteur_changes_a_listing_and_residents_see_it(dienst):
    client, engine, sid, org = dienst
    email = _inloggen(client, engine, "redacteur", [org])
    pagina = client.get(f"/beheer/diensten/{sid}/bewerken")
    assert pagina.status_code == 200 and pagina.headers["cache-control"] == "no-store"
    form = _formulier(pagina.text)
    form |= {"name": "Spreekuur voor iedereen", "description": "Kom langs met uw vraag. Het is gratis.",
             "phones-0-number": "074 245 88 08", "phones-0-description": "Bel op werkdagen"}
    r = client.post(f"/beheer/diensten/{sid}/bewerken", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/bewerken?melding=opgeslagen")
    terug = client.get(r.headers["location"])
    assert "Opgeslagen" in terug.text and 'value="074 245 88 08"' in terug.text
    publiek = client.get(f"/api/v1/services/{sid}").json()
    assert publiek["name"] == "Spreekuur voor iedereen"
    assert [p["number"] for p in publiek["phones"]] == ["074 245 88 08"]
    with Session(engine) as s:
        audit = s.exec(select(Audit).where(Audit.object_id == sid).order_by(Audit.tijd.desc())).first()
        assert audit.wie == email and audit.actie == "gewijzigd"
    # The form sent everything: themes, laag and hours the editor did not touch are still there
    assert _formulier(terug.text)["themas"] == form["themas"] and _formulier(terug.text)["laag"] == form["laag"]


def test_wrong_input_is_shown_next_to_the_field_and_nothing_is_lost_or_written(dienst):
    client, engine, sid, org = dienst
    _inloggen(client, engine, "beheerder")
    form = _formulier(client.get(f"/beheer/diensten/{sid}/bewerken").text)
    oud = client.get(f"/api/v1/services/{sid}").json()
    form |= {"name": "<script>alert(1)</script>", "phones-0-number": "12345",
             "schedules-0-byday": "MO", "schedules-0-opens_at": "17:00", "schedules-0-closes_at": "09:00"}
    r = client.post(f"/beheer/diensten/{sid}/bewerken", data=form)
    assert r.status_code == 422
    assert 'id="phones-0-number-fout"' in r.text and "telefoonnummer klopt niet" in r.text
    assert 'href="#schedules-0"' in r.text and "later zijn dan de openingstijd" in r.text
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in r.text and "<script>alert(1)" not in r.text
    assert 'value="12345"' in r.text
    assert client.get(f"/api/v1/services/{sid}").json() == oud


def test_two_editors_at_once_the_second_does_not_overwrite_unseen(dienst):
    client, engine, sid, org = dienst
    _inloggen(client, engine, "beheerder")
    eerste = _formulier(client.get(f"/beheer/diensten/{sid}/bewerken").text)
    tweede = dict(eerste)
    assert client.post(f"/beheer/diensten/{sid}/bewerken", data=eerste | {"name": "Eerste versie"},
                       follow_redirects=False).status_code == 303
    r = client.post(f"/beheer/diensten/{sid}/bewerken", data=tweede | {"name": "Tweede versie"})
    assert r.status_code == 412 and "Iemand anders heeft dit gewijzigd" in r.text
    assert 'value="Tweede versie"' in r.text  # what they typed is still in the form
    assert client.get(f"/api/v1/services/{sid}").json()["name"] == "Eerste versie"


def test_who_may_edit_what(dienst):
    client, engine, sid, org = dienst
    with Session(engine) as s:
        ander = s.exec(select(Organization.id).where(Organization.id != org)).first()
    _inloggen(client, engine, "redacteur", [ander])
    assert client.get(f"/beheer/diensten/{sid}/bewerken").status_code == 403
    _inloggen(client, engine, "medewerker")
    assert client.get(f"/beheer/diensten/{sid}/bewerken").status_code == 403
    assert client.get(f"/beheer/diensten/{sid}/voorbeeld").status_code == 200  # reading is fine
    client.cookies.clear()
    weg = client.get(f"/beheer/diensten/{sid}/bewerken", follow_redirects=False)
    assert weg.status_code == 303 and weg.headers["location"].startswith("/beheer/inloggen?terug=/beheer/diensten/")
    assert client.get("/beheer/onbekend/nieuw", follow_redirects=False).status_code == 303


def test_a_new_location_is_placed_by_its_postcode_and_one_without_is_saved_with_a_tip(dienst):
    client, engine, sid, org = dienst
    _inloggen(client, engine, "redacteur", [org])
    form = _formulier(client.get("/beheer/locaties/nieuw").text)
    form |= {"organization_id": org, "name": "Buurthuis test", "location_type": "physical",
             "address-address_1": "Marktstraat 1", "address-postal_code": "7551dr", "address-city": "Hengelo"}
    r = client.post("/beheer/locaties/nieuw", data=form, follow_redirects=False)
    assert r.status_code == 303
    lid = r.headers["location"].split("/")[3]
    with Session(engine) as s:
        loc = s.get(Location, lid)
        adres = s.exec(select(Address).where(Address.location_id == lid)).one()
        assert adres.postal_code == "7551 DR" and loc.plaatsing == "benadering" and loc.latitude is not None
    form |= {"name": "Plek zonder postcode", "address-postal_code": "", "address-address_1": "Ergens 2"}
    r = client.post("/beheer/locaties/nieuw", data=form, follow_redirects=False)
    assert r.status_code == 303
    pagina = client.get(r.headers["location"])
    assert "staat niet op de kaart" in pagina.text
    fout = client.post("/beheer/locaties/nieuw", data=form | {"address-postal_code": "1234"})
    assert fout.status_code == 422 and 'id="address-postal_code-fout"' in fout.text


def test_delete_asks_first_and_can_be_undone(dienst):
    client, engine, sid, org = dienst
    _inloggen(client, engine, "redacteur", [org])
    vraag = client.get(f"/beheer/diensten/{sid}/verwijderen")
    assert vraag.status_code == 200 and "Wilt u" in vraag.text
    versie = html.unescape(re.search(r'name="versie" value="([^"]+)"', vraag.text).group(1))
    r = client.post(f"/beheer/diensten/{sid}/verwijderen", data={"csrf": _csrf(vraag.text), "versie": versie},
                    follow_redirects=False)
    assert r.status_code == 303
    assert client.get(f"/api/v1/services/{sid}").status_code == 404
    pagina = client.get(f"/beheer/diensten/{sid}/bewerken")
    assert "is verwijderd" in pagina.text
    terug = client.post(f"/beheer/diensten/{sid}/herstellen", data={"csrf": _csrf(pagina.text)})
    assert terug.status_code == 200 and "Hersteld" in terug.text
    assert client.get(f"/api/v1/services/{sid}").status_code == 200


def test_checked_links_and_wijkentree(dienst):
    client, engine, sid, org = dienst
    _inloggen(client, engine, "beheerder")
    pagina = client.get(f"/beheer/diensten/{sid}/bewerken")
    csrf = _csrf(pagina.text)
    r = client.post(f"/beheer/diensten/{sid}/gecontroleerd", data={"csrf": csrf})
    assert r.status_code == 200 and "Gecontroleerd" in r.text
    with Session(engine) as s:
        assert s.get(Service, sid).assured_date == datetime.now(hours.TZ).date()
        vrij = s.exec(select(Location.id).where(Location.id.not_in(
            select(ServiceAtLocation.location_id).where(ServiceAtLocation.service_id == sid)))).first()
    gekoppeld = client.post(f"/beheer/diensten/{sid}/locaties", data={"csrf": csrf, "location_id": vrij})
    assert gekoppeld.status_code == 200 and "gekoppeld" in gekoppeld.text
    assert client.post(f"/beheer/diensten/{sid}/locaties", data={"csrf": csrf, "location_id": "bestaat-niet"}
                       ).status_code == 422
    with Session(engine) as s:
        sal = s.exec(select(ServiceAtLocation).where(ServiceAtLocation.service_id == sid,
                                                     ServiceAtLocation.location_id == vrij)).one()
    los = client.post(f"/beheer/diensten/{sid}/locaties/{sal.id}/ontkoppelen", data={"csrf": csrf})
    assert los.status_code == 200 and "losgekoppeld" in los.text

    aan = client.post(f"/beheer/locaties/{vrij}/wijkentree", data={"csrf": csrf, "wijkentree": "ja"})
    assert aan.status_code == 200 and "Deze locatie is een wijkentree" in aan.text
    with Session(engine) as s:
        assert s.get(Location, vrij).is_wijkentree is True
    assert client.post(f"/beheer/locaties/{vrij}/wijkentree", data={"csrf": csrf, "wijkentree": "misschien"}
                       ).status_code == 422
    # Form posts without the session's token are refused
    assert client.post(f"/beheer/diensten/{sid}/gecontroleerd", data={"csrf": "fout"}).status_code == 403


def test_phones_rows_grow_with_the_listing(dienst):
    client, engine, sid, org = dienst
    _inloggen(client, engine, "beheerder")
    form = _formulier(client.get(f"/beheer/diensten/{sid}/bewerken").text)
    aantal = int(form["phones-aantal"])
    form |= {f"phones-{i}-number": f"074 245 88 0{i}" for i in range(aantal)}
    assert client.post(f"/beheer/diensten/{sid}/bewerken", data=form, follow_redirects=False).status_code == 303
    with Session(engine) as s:
        assert len(s.exec(select(Phone).where(Phone.service_id == sid)).all()) == aantal
    assert int(_formulier(client.get(f"/beheer/diensten/{sid}/bewerken").text)["phones-aantal"]) == aantal + 2


def test_the_wijkentrees_page_lists_them_with_what_is_missing_first(dienst):
    client, engine, sid, org = dienst
    _inloggen(client, engine, "medewerker")
    r = client.get("/beheer/wijkentrees")
    assert r.status_code == 200
    with Session(engine) as s:
        namen = s.exec(select(Location.name).where(Location.is_wijkentree)).all()
    assert namen and all(n in html.unescape(r.text) for n in namen)
    assert "ontbre" in r.text  # the seed does not know every wijkentree's hours: shown, not hidden


def test_the_forms_post_to_their_own_page(dienst):
    client, engine, sid, org = dienst
    _inloggen(client, engine, "beheerder")
    assert f'action="/beheer/diensten/{sid}/bewerken"' in client.get(f"/beheer/diensten/{sid}/bewerken").text
    vraag = client.get(f"/beheer/diensten/{sid}/verwijderen").text
    assert f'action="/beheer/diensten/{sid}/verwijderen"' in vraag and f'href="/beheer/diensten/{sid}/bewerken"' in vraag

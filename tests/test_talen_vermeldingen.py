"""Languages spoken at a listing (HSDS 3.0 language) and a listing's own texts translated by an editor (issue 14),
through the admin API and the beheer form with a real login, on a seeded database of their own: the API shows
them the HSDS way, the resident pages show the translation in its language or the Dutch text with a notice, the
open-data zip carries languages.csv and reads back, and bad input is refused next to its field with nothing
written."""
import io
import re
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.main import app
from app.models import Audit, Language, Location, Service, ServiceAtLocation, Vertaling
from tests.talen_hulp import NOOT_NL, vertaald
from tests.test_api import _validator
from tests.test_beheer_bewerken import _formulier

ENGELS = "A place to drop in with any question about money, care or your neighbourhood. It is free."


@pytest.fixture
def dienst(app_on, rol_tokens):
    """(client, engine, tokens, service id, slug of its location) for a service of the redacteur's organisation
    that residents see at a location."""
    client, engine = app_on
    tokens = rol_tokens(engine)
    with Session(engine) as s:
        sid, slug = s.exec(
            select(Service.id, Location.slug).join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .where(Service.organization_id == tokens["organisatie"], Service.status == "active")
            .order_by(Service.name)).first()
    return client, engine, tokens, sid, slug


def _patch(client, headers, sid: str, data: dict):
    etag = client.get(f"/api/v1/beheer/services/{sid}", headers=headers).headers["etag"]
    return client.patch(f"/api/v1/beheer/services/{sid}", json=data, headers=headers | {"if-match": etag})


def _stand(engine, sid: str) -> tuple:
    with Session(engine) as s:
        service = s.get(Service, sid)
        return (service.last_modified, service.description,
                s.exec(select(func.count()).select_from(Language)).one(),
                s.exec(select(func.count()).select_from(Vertaling)).one(),
                s.exec(select(func.count()).select_from(Audit)).one())


def _pagina(pad: str, taal: str) -> str:
    """A resident page in a language, from a client of its own (its language cookie stays there)."""
    with TestClient(app) as bezoeker:
        r = bezoeker.get(pad, params={"lang": taal})
    assert r.status_code == 200, r.text
    assert f'<html lang="{taal}"' in r.text
    return r.text


def test_nothing_is_shown_until_an_editor_enters_it(dienst):
    client, engine, _tokens, sid, slug = dienst
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Language)).one() == 0  # the seed has none
    body = client.get(f"/api/v1/services/{sid}").json()
    assert body["languages"] == [] and body["vertalingen"] == {}
    nl = _pagina(f"/locaties/{slug}", "nl")
    assert "Hier spreken ze ook" not in nl and "in het Nederlands" not in nl


def test_an_editor_adds_languages_and_an_english_text_through_the_api(dienst):
    client, engine, tokens, sid, slug = dienst
    voor = _stand(engine, sid)
    r = _patch(client, tokens["redacteur"], sid, {
        "languages": [{"code": "en"}, {"code": "AR"}, {"code": "so", "note": "Op dinsdag, met een vrijwilliger"}],
        "vertalingen": {"en": {"description": ENGELS}}})
    assert r.status_code == 200, r.text
    assert [(x["code"], x["name"]) for x in r.json()["languages"]] == [("ar", "Arabisch"), ("en", "Engels"),
                                                                        ("so", "Somalisch")]
    # The public API the HSDS way: every language an HSDS language of this service.
    public = client.get(f"/api/v1/services/{sid}").json()
    _validator("service.json").validate(public)
    assert {x["service_id"] for x in public["languages"]} == {sid}
    assert next(x for x in public["languages"] if x["code"] == "so")["note"] == "Op dinsdag, met een vrijwilliger"
    assert public["vertalingen"] == {"en": {"description": ENGELS}}
    # One write path: audited, last_modified moved; the Dutch text is untouched.
    na = _stand(engine, sid)
    assert na[0] > voor[0] and na[1] == voor[1] and na[2:4] == (3, 1) and na[4] == voor[4] + 1
    with Session(engine) as s:
        rij = s.exec(select(Audit).where(Audit.object_id == sid).order_by(Audit.id.desc())).first()
        assert rij.actie == "gewijzigd" and "Somalisch" in rij.na and ENGELS in rij.na

    en = _pagina(f"/locaties/{slug}", "en")
    assert f'<span lang="en" dir="ltr">{ENGELS}</span>' in en
    assert '<span lang="ar">العربية</span>, <span lang="en">English</span>, <span lang="so">Soomaali</span>' in en
    tr = _pagina(f"/locaties/{slug}", "tr")
    with Session(engine) as s:
        nederlands = s.get(Service, sid).description
    assert f'<span lang="nl" dir="ltr">{nederlands}</span>' in tr.replace("&#39;", "'").replace("&#34;", '"')
    assert ENGELS not in tr
    assert tr.count(vertaald(NOOT_NL, "tr")) == 1  # said once on the page, in the page's language
    ar = _pagina(f"/locaties/{slug}", "ar")
    assert f'<span lang="nl" dir="ltr">{nederlands}</span>' in ar.replace("&#39;", "'").replace("&#34;", '"') \
        # Dutch text left-to-right on a right-to-left page

    # A search result card in English shows the first English sentence, marked English.
    naam = public["name"]
    with TestClient(app) as bezoeker:
        zoeken = bezoeker.get("/zoeken", params={"q": naam, "lang": "en"}).text
    assert '<span lang="en" dir="ltr">A place to drop in with any question about money, care or your neighbourhood.' \
           '</span>' in zoeken


def test_the_beheer_form_ticks_languages_and_takes_translations(dienst, beheer_login):
    client, engine, tokens, sid, slug = dienst
    browser = beheer_login(engine, "redacteur", [tokens["organisatie"]])
    pagina = browser.get(f"/beheer/diensten/{sid}/bewerken")
    assert pagina.status_code == 200
    form = _formulier(pagina.text)
    assert "talen" not in form and form["vertalingen-en-description"] == ""
    form |= {"talen": ["en", "uk"], "languages-0-code": "so", "languages-0-name": "Somalisch",
             "languages-0-note": "Op afspraak", "vertalingen-en-name": "Advice on money",
             "vertalingen-en-description": ENGELS}
    r = browser.post(f"/beheer/diensten/{sid}/bewerken", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    talen = {x["code"]: x for x in client.get(f"/api/v1/services/{sid}").json()["languages"]}
    assert set(talen) == {"en", "uk", "so"} and talen["so"]["note"] == "Op afspraak"
    # The form shows them again as saved, and saving it unchanged keeps them (also the ticked one's note).
    _patch(client, tokens["redacteur"], sid, {"languages": [*talen.values(), {"code": "pl", "note": "Maandag"}]})
    opnieuw = _formulier(browser.get(f"/beheer/diensten/{sid}/bewerken").text)
    assert sorted(opnieuw["talen"]) == ["en", "pl", "uk"] and opnieuw["talen-pl-note"] == "Maandag"
    assert opnieuw["languages-0-code"] == "so" and opnieuw["vertalingen-en-name"] == "Advice on money"
    assert browser.post(f"/beheer/diensten/{sid}/bewerken", data=opnieuw, follow_redirects=False).status_code == 303
    na = {x["code"]: x.get("note") for x in client.get(f"/api/v1/services/{sid}").json()["languages"]}
    assert na == {"en": None, "pl": "Maandag", "uk": None, "so": "Op afspraak"}
    en = _pagina(f"/locaties/{slug}", "en")
    assert '<span lang="en" dir="ltr">Advice on money</span>' in en
    assert '<span lang="uk">Українська</span>' in en and '<span lang="so">Soomaali</span>' in en


@pytest.mark.parametrize(("data", "veld", "woord"), [
    ({"languages": [{"code": "xx"}]}, "languages[0].code", "taalcode 'xx' kennen we niet"),
    ({"languages": [{"code": "engels"}]}, "languages[0].code", "ISO 639"),
    ({"languages": [{"code": "en"}, {"code": "en"}]}, "languages[1].code", "staat er al"),
    ({"vertalingen": {"de": {"name": "Geldberatung"}}}, "vertalingen", "Een vertaling kan in deze talen"),
    ({"vertalingen": {"en": {"description": "x" * 5001}}}, "vertalingen.en.description", "5000"),
])
def test_bad_input_is_refused_in_dutch_next_to_its_field(dienst, data, veld, woord):
    client, engine, tokens, sid, _slug = dienst
    voor = _stand(engine, sid)
    r = _patch(client, tokens["redacteur"], sid, data)
    assert r.status_code == 422, r.text
    fouten = {f["veld"]: f["msg"] for f in r.json()["detail"]}
    assert woord in fouten[veld], fouten
    assert _stand(engine, sid) == voor


def test_the_beheer_form_shows_a_bad_code_and_a_too_long_text_at_their_field(dienst, beheer_login):
    client, engine, tokens, sid, _slug = dienst
    browser = beheer_login(engine, "redacteur", [tokens["organisatie"]])
    form = _formulier(browser.get(f"/beheer/diensten/{sid}/bewerken").text)
    voor = _stand(engine, sid)
    form |= {"talen": "ar", "languages-0-code": "qq", "languages-0-name": "Onbekend",
             "vertalingen-ar-name": "ا" * 256}
    r = browser.post(f"/beheer/diensten/{sid}/bewerken", data=form, follow_redirects=False)
    assert r.status_code == 422
    assert re.search(r'<p class="error-message" id="languages-0-code-fout">.*taalcode &#39;qq&#39; kennen we niet',
                     r.text)
    assert re.search(r'<p class="error-message" id="vertalingen-ar-name-fout">.*255', r.text)
    assert 'value="Onbekend"' in r.text and ' checked' in r.text  # nothing typed is lost
    assert _stand(engine, sid) == voor


def test_the_open_data_zip_carries_languages_and_reads_them_back(dienst, tmp_path):
    client, engine, tokens, sid, _slug = dienst
    assert _patch(client, tokens["beheerder"], sid, {"languages": [{"code": "en"}, {"code": "ar", "note": "Soms"}],
                                                    "vertalingen": {"en": {"name": "Advice"}}}).is_success
    zip_ = client.get("/api/v1/export/hsds.zip").content
    with zipfile.ZipFile(io.BytesIO(zip_)) as z:
        regels = z.read("languages.csv").decode().splitlines()
        z.extractall(tmp_path)
    import frictionless

    rapport = frictionless.validate(tmp_path / "datapackage.json")
    assert rapport.valid, [e.message for t in rapport.tasks for e in t.errors][:5]
    assert regels[0] == "id,service_id,location_id,phone_id,name,code,note" and len(regels) == 3
    assert "Advice" not in "".join(regels)  # translations are ours, not HSDS: not in the open data

    # Read back unchanged: nothing changes. With the languages changed meanwhile: the zip's languages come back.
    headers = tokens["beheerder"] | {"content-type": "application/zip"}
    r = client.post("/api/v1/beheer/import", content=zip_, headers=headers)
    assert r.status_code == 200 and r.json()["aantallen"]["gewijzigd"] == 0, r.text
    assert _patch(client, tokens["beheerder"], sid, {"languages": [{"code": "tr"}]}).is_success
    r = client.post("/api/v1/beheer/import", content=zip_, headers=headers)
    assert r.status_code == 200 and r.json()["aantallen"]["gewijzigd"] == 1, r.text
    terug = client.get(f"/api/v1/services/{sid}").json()
    assert {(x["code"], x.get("note")) for x in terug["languages"]} == {("en", None), ("ar", "Soms")}
    assert terug["vertalingen"] == {"en": {"name": "Advice"}}  # an import never touches the translations

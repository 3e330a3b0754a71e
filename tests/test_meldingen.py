"""Residents' reports (issue 10, "Klopt er iets niet?") through HTTP: the API, the form under a listing, the to-do
list of the listing's organisation, the rate limit, and what is refused with nothing written."""
import json
import re

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.data import meldingen, overzicht
from app.data.aanbod import GeenToegang
from app.data.core import Wie, versie, verwijder
from app.models import Audit, Location, Melding, Service, ServiceAtLocation, zichtbare_dienst


def _plekken(session) -> dict[int, tuple[str, list[str]]]:
    """Per number of visible services: one location slug with the ids of its visible services."""
    rijen = session.exec(select(Location.slug, Service.id).join(ServiceAtLocation, ServiceAtLocation.location_id
                                                                == Location.id)
                         .join(Service, Service.id == ServiceAtLocation.service_id)
                         .where(zichtbare_dienst(), Location.verwijderd.is_(None)).order_by(Location.slug, Service.id)).all()
    per_plek: dict[str, list[str]] = {}
    for slug, service_id in rijen:
        per_plek.setdefault(slug, []).append(service_id)
    return {len(ids): (slug, ids) for slug, ids in reversed(per_plek.items())}


def _tellingen(session) -> tuple[int, int]:
    return (session.exec(select(func.count()).select_from(Melding)).one(),
            session.exec(select(func.count()).select_from(Audit)).one())


def _dienst(session) -> Service:
    return session.exec(select(Service).where(zichtbare_dienst()).order_by(Service.name)).first()


def test_api_report_lands_on_the_todo_list_of_its_organisation(app_on):
    client, engine = app_on
    with Session(engine) as s:
        dienst = _dienst(s)
        ander = s.exec(select(Service.organization_id).where(Service.organization_id != dienst.organization_id)).first()
        versie_voor = versie(s)
    r = client.post("/api/v1/meldingen", json={"service_id": dienst.id, "soort": "telefoon",
                                               "opmerking": "  Het nummer is veranderd.\r\nBel de balie.  "})
    assert r.status_code == 202
    assert r.json() == {"detail": "Bedankt voor uw melding. De organisatie kijkt ernaar en past het aan als dat "
                                  "nodig is."}
    with Session(engine) as s:
        eigen = meldingen.open_meldingen(s, {dienst.organization_id})
        assert [(m.service_id, m.wat, m.opmerking) for m in eigen] == [
            (dienst.id, "telefoon", "Het nummer is veranderd.\nBel de balie.")]
        assert eigen[0].organization_id == dienst.organization_id and eigen[0].afgehandeld is None
        assert meldingen.open_meldingen(s, {ander}) == []
        assert [m.id for m in overzicht.te_doen(s)["meldingen"]] == [eigen[0].id]
        assert overzicht.te_doen(s, {ander})["meldingen"] == []
        # Audited as the resident, without the remark (it may hold personal data despite the hint).
        audit = s.exec(select(Audit).where(Audit.object_id == eigen[0].id)).one()
        assert (audit.wie, audit.actie, audit.object_type) == ("inwoner", "aangemaakt", "melding")
        assert json.loads(audit.na)["service_id"] == dienst.id and "nummer" not in audit.na.lower()
        assert versie(s) == versie_voor  # no cached listing changes


def test_the_api_documents_its_answers(client):
    spec = client.get("/api/v1/openapi.json").json()
    post = spec["paths"]["/api/v1/meldingen"]["post"]
    assert {"202", "404", "422", "429"} <= set(post["responses"])
    assert "tijden" in spec["components"]["schemas"]["MeldingIn"]["properties"]["soort"]["description"]


@pytest.mark.parametrize("body, veld, woorden", [
    ({"soort": "kapot"}, "soort", "Kies wat er niet klopt: adres, telefoon, tijden, gesloten of anders."),
    ({"soort": ""}, "soort", "Kies wat er niet klopt"),
    ({"opmerking": "x" * 301}, "opmerking", "te lang: 301 tekens. Gebruik hoogstens 300 tekens"),
    ({"location_id": "geen-plek"}, "location_id", "niet op deze plek"),
])
def test_bad_input_is_refused_in_dutch_and_nothing_is_written(client, session, body, veld, woorden):
    voor = _tellingen(session)
    r = client.post("/api/v1/meldingen", json={"service_id": _dienst(session).id, "soort": "adres"} | body)
    assert r.status_code == 422
    fout = r.json()["detail"][0]
    assert fout["veld"] == veld and fout["loc"] == ["body", veld] and woorden in fout["msg"]
    session.expire_all()
    assert _tellingen(session) == voor


def test_missing_fields_are_refused_in_dutch(client, session):
    voor = _tellingen(session)
    r = client.post("/api/v1/meldingen", json={"soort": "adres"})
    assert r.status_code == 422 and "verplicht" in r.json()["detail"][0]["msg"]
    assert client.post("/api/v1/meldingen", content=b"{niet json", headers={"content-type": "application/json"}
                       ).status_code == 422
    assert _tellingen(session) == voor


def test_a_remark_of_300_characters_after_stripping_is_fine(app_on):
    client, engine = app_on
    with Session(engine) as s:
        dienst = _dienst(s)
    tekst = "a\x00" + "b" * 299  # a NUL is dropped (PostgreSQL refuses it in text), not counted
    r = client.post("/api/v1/meldingen", json={"service_id": dienst.id, "soort": "anders", "opmerking": f"  {tekst}\n"})
    assert r.status_code == 202
    with Session(engine) as s:
        assert s.exec(select(Melding.opmerking)).one() == "a" + "b" * 299


def test_unknown_or_deleted_service_is_404(app_on):
    client, engine = app_on
    r = client.post("/api/v1/meldingen", json={"service_id": "bestaat-niet", "soort": "adres"})
    assert r.status_code == 404 and "bestaat niet" in r.json()["detail"]
    with Session(engine) as s:
        dienst_id = _dienst(s).id
        verwijder(s, Wie("beheer@wijkracht.nl", rol="beheerder"), "service", dienst_id)
        voor = _tellingen(s)
    assert client.post("/api/v1/meldingen", json={"service_id": dienst_id, "soort": "adres"}).status_code == 404
    with Session(engine) as s:
        assert _tellingen(s) == voor


def test_rate_limit_per_address_for_api_and_page(client, session, rate_limits_on):
    voor = _tellingen(session)
    # Refused reports count too: a flood of bad requests is a flood all the same (and writes nothing here).
    fout = {"service_id": _dienst(session).id, "soort": "kapot"}
    antwoorden = [client.post("/api/v1/meldingen", json=fout).status_code
                  for _ in range(rate_limits_on.limiet_meldingen + 1)]
    assert antwoorden[:-1] == [422] * rate_limits_on.limiet_meldingen and antwoorden[-1] == 429
    r = client.post("/api/v1/meldingen", json=fout)
    assert r.status_code == 429 and "te vaak" in r.json()["detail"] and int(r.headers["retry-after"]) > 0
    page = client.post("/melding", data={"plek": "x", "soort": "adres"})
    assert page.status_code == 429 and "te vaak" in page.text and int(page.headers["retry-after"]) > 0
    session.expire_all()
    assert _tellingen(session) == voor


def test_every_listing_page_has_the_form(client, session):
    for slug, ids in _plekken(session).values():
        html = client.get(f"/locaties/{slug}").text
        form = html[html.index('<form method="post" action="/melding"'):]
        form = form[:form.index("</form>")]
        assert "Klopt er iets niet?" in html and "<details" not in form  # open on the page, never folded away
        assert f'name="plek" value="{slug}"' in form
        assert all(f'name="soort" value="{code}"' in form for code in meldingen.SOORTEN)
        assert " checked" not in form  # nothing chosen for the resident
        assert 'maxlength="300"' in form and "Schrijf hier geen naam, telefoonnummer of andere persoonlijke " \
                                            "gegevens" in form
        assert 'name="csrf' not in form  # anonymous, no session: nothing to forge
        # Several services at one place: the resident says which one; one service needs no choice.
        assert form.count('name="service_id"') == (len(ids) if len(ids) > 1 else 0)


def test_the_page_form_sends_and_thanks(app_on):
    client, engine = app_on
    with Session(engine) as s:
        slug, (service_id,) = _plekken(s)[1]
        service = s.get(Service, service_id)
        location_id = s.exec(select(Location.id).where(Location.slug == slug)).one()
    r = client.post("/melding", data={"plek": slug, "soort": "gesloten", "opmerking": "Sinds januari dicht."})
    assert r.status_code == 200 and "Bedankt voor uw melding" in r.text
    assert f'href="/locaties/{slug}#{service.slug}"' in r.text and r.headers["cache-control"] == "no-store"
    with Session(engine) as s:
        m = s.exec(select(Melding)).one()
        assert (m.service_id, m.location_id, m.wat, m.opmerking, m.organization_id) == (
            service_id, location_id, "gesloten", "Sinds januari dicht.", service.organization_id)


def test_the_page_form_shows_errors_next_to_the_field(app_on):
    client, engine = app_on
    with Session(engine) as s:
        slug, ids = max(_plekken(s).items())[1]
    r = client.post("/melding", data={"plek": slug, "opmerking": "<b>Dicht</b>"})
    assert r.status_code == 422 and "error-summary" in r.text
    assert 'href="#melding-soort"' in r.text and 'id="melding-soort-fout"' in r.text
    assert 'href="#melding-service_id"' in r.text and 'id="melding-service_id-fout"' in r.text
    assert 'id="melding-soort"' in r.text and 'id="melding-service_id"' in r.text  # the summary's links land
    assert "&lt;b&gt;Dicht&lt;/b&gt;</textarea>" in r.text  # what was typed stays, as text
    assert f'href="/locaties/{slug}"' in r.text
    # The choice made is kept on the second try; a remark that is too long is named at its field.
    r = client.post("/melding", data={"plek": slug, "service_id": ids[1], "soort": "adres", "opmerking": "x" * 301})
    assert r.status_code == 422 and 'id="melding-opmerking-fout"' in r.text and "301 tekens" in r.text
    assert re.search(rf'value="{ids[1]}" checked', r.text) and 'value="adres" checked' in r.text
    assert client.post("/melding", data={"plek": "bestaat-niet", "soort": "adres"}).status_code == 404
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Melding)).one() == 0


def test_injection_is_stored_as_text_and_shown_escaped(app_on, rol_tokens):
    client, engine = app_on
    kwaad = "<script>alert(1)</script> '; DROP TABLE melding; --"
    with Session(engine) as s:
        dienst = _dienst(s)
    assert client.post("/api/v1/meldingen", json={"service_id": dienst.id, "soort": "anders",
                                                  "opmerking": kwaad}).status_code == 202
    with Session(engine) as s:
        assert s.exec(select(Melding.opmerking)).one() == kwaad
    todo = client.get("/beheer/te-doen", headers=rol_tokens(engine)["beheerder"])
    assert todo.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in todo.text and "<script>alert" not in todo.text


def test_handling_a_report(app_on):
    _, engine = app_on
    with Session(engine) as s:
        dienst = _dienst(s)
        org = dienst.organization_id
        melding_id = meldingen.meld(s, dienst.id, "adres", "").id
        anders = Wie("r@anders.nl", rol="redacteur", soort="gebruiker", organisaties=frozenset({"andere-org"}))
        for wie in (anders, Wie("m@wijkteam.nl", rol="medewerker", soort="gebruiker")):
            with pytest.raises(GeenToegang):
                meldingen.afhandelen(s, wie, melding_id)
        assert [m.id for m in meldingen.open_meldingen(s, {org})] == [melding_id]
        eigen = Wie("r@eigen.nl", rol="redacteur", soort="gebruiker", organisaties=frozenset({org}))
        m = meldingen.afhandelen(s, eigen, melding_id)
        assert m.afgehandeld is not None and m.afgehandeld_door == "r@eigen.nl"
        assert meldingen.open_meldingen(s, {org}) == [] and overzicht.te_doen(s)["meldingen"] == []
        rij = s.exec(select(Audit).where(Audit.object_id == melding_id, Audit.actie == "afgehandeld")).one()
        assert rij.wie == "r@eigen.nl" and json.loads(rij.voor)["afgehandeld"] is None
        meldingen.afhandelen(s, eigen, melding_id)  # twice: the first handling stays on record
        assert len(s.exec(select(Audit).where(Audit.object_id == melding_id)).all()) == 2

"""The admin API (/api/v1/beheer) through real HTTP on a database of its own: create, change, ETag, soft delete
and restore, audit, bad input, and the role x endpoint matrix."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from app import hours
from app.data import aanbod, accounts
from app.data.core import SYSTEEM
from app.db import get_engine, upgrade_db
from app.main import app
from app.models import Audit, Location, Organization, Service
from app.seed import seed

B = "/api/v1/beheer"
INJECTIES = ("<script>alert(1)</script>", "'; DROP TABLE service; --")


@pytest.fixture
def beheer(app_on, rol_tokens):
    client, engine = app_on
    return client, engine, rol_tokens(engine)


def _tel(engine, model) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def _dienst(org_id: str, **extra) -> dict:
    return {"organization_id": org_id, "name": "Samen koken", "description": "Elke week samen koken en eten.",
            "laag": "basisondersteuning", "themas": ["eenzaamheid"], **extra}


def _token_naam(engine, headers: dict) -> str:
    with Session(engine) as s:
        return accounts.wie_van_token(s, headers["authorization"].removeprefix("Bearer ")).naam


def _vandaag():
    return datetime.now(hours.TZ).date()


def test_create_change_and_see_it_on_the_public_api(beheer):
    client, engine, tok = beheer
    r = client.post(f"{B}/services", json=_dienst(tok["organisatie"]), headers=tok["redacteur"])
    assert r.status_code == 201, r.text
    body = r.json()
    assert r.headers["location"] == f"{B}/services/{body['id']}"
    assert body["name"] == "Samen koken" and body["verwijderd"] is None and isinstance(body["waarschuwingen"], list)
    assert r.headers["cache-control"] == "no-store"

    r = client.get(r.headers["location"], headers=tok["medewerker"])
    assert r.status_code == 200 and r.headers["etag"].startswith('W/"')
    publiek = client.get(f"/api/v1/services/{body['id']}")
    assert publiek.status_code == 200 and publiek.json()["name"] == "Samen koken"

    r = client.patch(f"{B}/services/{body['id']}", json={"name": "Samen koken in de wijk"},
                     headers=tok["redacteur"] | {"if-match": r.headers["etag"]})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Samen koken in de wijk" and r.json()["description"] == body["description"]
    assert client.get(f"/api/v1/services/{body['id']}").json()["name"] == "Samen koken in de wijk"

    # PUT is the whole object: what is left out goes back to its default.
    r = client.put(f"{B}/services/{body['id']}", json=_dienst(tok["organisatie"], themas=[]),
                   headers=tok["beheerder"] | {"if-match": r.headers["etag"]})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Samen koken"
    assert client.get(f"{B}/services/{body['id']}", headers=tok["beheerder"]).headers["etag"] == r.headers["etag"]


def test_lists_are_paged_and_show_the_deleted_only_when_asked(beheer):
    client, engine, tok = beheer
    r = client.get(f"{B}/organizations?per_page=5", headers=tok["medewerker"])
    assert r.status_code == 200
    assert r.json()["total_items"] == _tel(engine, Organization) and r.json()["size"] == 5
    org_id = client.post(f"{B}/organizations", json={"name": "Test lijst"}, headers=tok["beheerder"]).json()["id"]
    etag = client.get(f"{B}/organizations/{org_id}", headers=tok["beheerder"]).headers["etag"]
    assert client.delete(f"{B}/organizations/{org_id}", headers=tok["beheerder"] | {"if-match": etag}).status_code == 204
    weg = client.get(f"{B}/organizations?verwijderd=true", headers=tok["medewerker"]).json()
    assert [o["id"] for o in weg["contents"]] == [org_id]
    assert r.json()["total_items"] == client.get(f"{B}/organizations", headers=tok["medewerker"]).json()["total_items"]


def test_if_match_missing_428_stale_412_and_nothing_written(beheer):
    client, engine, tok = beheer
    oud = client.post(f"{B}/services", json=_dienst(tok["organisatie"]), headers=tok["beheerder"])
    dienst = oud.headers["location"]
    client.patch(dienst, json={"name": "Eerste wijziging"}, headers=tok["beheerder"] | {"if-match": oud.headers["etag"]})
    audits = _tel(engine, Audit)
    for methode, body in (("patch", {"name": "Kwijt"}), ("put", _dienst(tok["organisatie"], name="Kwijt")),
                          ("delete", None)):
        r = client.request(methode, dienst, json=body, headers=tok["beheerder"])
        assert r.status_code == 428 and "If-Match" in r.json()["detail"]
        r = client.request(methode, dienst, json=body, headers=tok["beheerder"] | {"if-match": oud.headers["etag"]})
        assert r.status_code == 412 and "Iemand anders" in r.json()["detail"]
    r = client.get(dienst, headers=tok["beheerder"])
    assert r.json()["name"] == "Eerste wijziging" and r.json()["verwijderd"] is None
    assert _tel(engine, Audit) == audits


def test_soft_delete_hides_it_and_herstellen_brings_it_back(beheer):
    client, engine, tok = beheer
    r = client.post(f"{B}/services", json=_dienst(tok["organisatie"], name="Wegwerpdienst"), headers=tok["redacteur"])
    dienst_id, etag = r.json()["id"], r.headers["etag"]
    assert client.delete(f"{B}/services/{dienst_id}", headers=tok["redacteur"] | {"if-match": etag}).status_code == 204
    assert client.get(f"/api/v1/services/{dienst_id}").status_code == 404
    gevonden = client.get("/api/v1/services", params={"search": "Wegwerpdienst"}).json()["contents"]
    assert dienst_id not in [s["id"] for s in gevonden]
    r = client.get(f"{B}/services/{dienst_id}", headers=tok["redacteur"])
    assert r.status_code == 200 and r.json()["verwijderd"]
    with Session(engine) as s:
        assert s.get(Service, dienst_id) is not None  # nothing is really removed

    r2 = client.delete(f"{B}/services/{dienst_id}", headers=tok["redacteur"] | {"if-match": r.headers["etag"]})
    assert r2.status_code == 409 and "herstellen" in r2.json()["detail"]
    r = client.post(f"{B}/services/{dienst_id}/herstellen", headers=tok["redacteur"])
    assert r.status_code == 200 and r.json()["verwijderd"] is None
    assert client.get(f"/api/v1/services/{dienst_id}").status_code == 200
    assert client.post(f"{B}/services/{dienst_id}/herstellen", headers=tok["redacteur"]).status_code == 409


def test_every_change_has_its_audit_row_newest_first(beheer):
    client, engine, tok = beheer
    h = tok["beheerder"]
    r = client.post(f"{B}/services", json=_dienst(tok["organisatie"]), headers=h)
    dienst = r.headers["location"]
    dienst_id = r.json()["id"]
    r = client.patch(dienst, json={"name": "Samen eten"}, headers=h | {"if-match": r.headers["etag"]})
    r = client.put(dienst, json=_dienst(tok["organisatie"]), headers=h | {"if-match": r.headers["etag"]})
    r = client.post(f"{dienst}/gecontroleerd", headers=h)
    assert r.json()["assured_date"] == _vandaag().isoformat()
    client.delete(dienst, headers=h | {"if-match": r.headers["etag"]})
    client.post(f"{dienst}/herstellen", headers=h)

    r = client.get(f"{B}/audit", params={"object": dienst_id}, headers=h)
    assert r.status_code == 200
    rijen = r.json()["contents"]
    assert [x["actie"] for x in rijen] == ["hersteld", "verwijderd", "gecontroleerd", "gewijzigd", "gewijzigd",
                                           "aangemaakt"]
    assert {x["wie"] for x in rijen} == {_token_naam(engine, h)}
    assert {x["soort"] for x in rijen} == {"service"} and {x["object_id"] for x in rijen} == {dienst_id}
    patch = rijen[4]
    assert patch["voor"]["name"] == "Samen koken" and patch["na"]["name"] == "Samen eten"
    assert {"veld": "name", "voor": "Samen koken", "na": "Samen eten"} in patch["verschillen"]
    assert rijen[-1]["voor"] is None and rijen[-1]["na"]["name"] == "Samen koken"
    assert rijen[0]["tijd"] >= rijen[-1]["tijd"]

    vandaag = _vandaag()
    per_dag = lambda **p: client.get(f"{B}/audit", params={"object": dienst_id, **p}, headers=h).json()  # noqa: E731
    assert per_dag(van=vandaag, tot=vandaag)["total_items"] == 6
    assert per_dag(van=vandaag + timedelta(days=1))["total_items"] == 0
    assert per_dag(tot=vandaag - timedelta(days=1))["total_items"] == 0
    assert per_dag(per_page=2, page=3)["contents"] == rijen[4:]
    assert client.get(f"{B}/audit", params={"van": "gisteren"}, headers=h).status_code == 422


def test_audit_a_redacteur_reads_only_their_own_and_a_medewerker_not_at_all(beheer):
    client, engine, tok = beheer
    eigen = client.post(f"{B}/services", json=_dienst(tok["organisatie"]), headers=tok["beheerder"]).json()["id"]
    ander = client.post(f"{B}/services", json=_dienst(tok["anders"], name="Samen wandelen"),
                        headers=tok["beheerder"]).json()["id"]
    lees = lambda h, obj: client.get(f"{B}/audit", params={"object": obj}, headers=h)  # noqa: E731
    assert lees(tok["redacteur"], eigen).json()["total_items"] == 1
    assert lees(tok["redacteur"], ander).json()["total_items"] == 0
    assert lees(tok["beheerder"], ander).json()["total_items"] == 1
    assert {x["object_id"] for x in client.get(f"{B}/audit?per_page=100", headers=tok["redacteur"]).json()["contents"]
            } <= {eigen, tok["organisatie"], *_van_org(engine, tok["organisatie"])}
    assert lees(tok["medewerker"], eigen).status_code == 403


def _van_org(engine, org_id) -> set[str]:
    from app.models import Location, ServiceAtLocation

    with Session(engine) as s:
        diensten = set(s.exec(select(Service.id).where(Service.organization_id == org_id)).all())
        plekken = set(s.exec(select(Location.id).where(Location.organization_id == org_id)).all())
        links = set(s.exec(select(ServiceAtLocation.id).where(ServiceAtLocation.service_id.in_(diensten))).all())
    return diensten | plekken | links


@pytest.mark.parametrize("tekst", INJECTIES)
def test_injection_strings_are_stored_as_text(beheer, tekst):
    client, engine, tok = beheer
    diensten = _tel(engine, Service)
    r = client.post(f"{B}/services", json=_dienst(tok["organisatie"], name=tekst, description=tekst),
                    headers=tok["beheerder"])
    assert r.status_code == 201, r.text
    assert r.json()["name"] == tekst
    assert client.get(r.headers["location"], headers=tok["beheerder"]).json()["description"] == tekst
    assert client.get(f"/api/v1/services/{r.json()['id']}").json()["name"] == tekst
    assert _tel(engine, Service) == diensten + 1
    r = client.post(f"{B}/organizations", json={"name": tekst}, headers=tok["beheerder"])
    assert r.status_code == 201 and r.json()["name"] == tekst


def test_unknown_field_and_bad_bodies_are_refused_in_dutch_and_nothing_is_written(beheer):
    client, engine, tok = beheer
    voor = (_tel(engine, Organization), _tel(engine, Audit))
    r = client.post(f"{B}/organizations", json={"name": "Nieuw", "naam": "Nieuw"}, headers=tok["beheerder"])
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", "naam"], "veld": "naam", "msg": r.json()["detail"][0]["msg"]}]
    assert "Dit veld kennen we niet" in r.json()["detail"][0]["msg"]
    for slecht in ({"content": b"[1, 2]"}, {"content": b'{"name": '}, {"content": b'"tekst"'}):
        r = client.post(f"{B}/organizations", headers=tok["beheerder"] | {"content-type": "application/json"},
                        **slecht)
        assert r.status_code == 422 and "De vorm van de gegevens klopt niet" in r.json()["detail"][0]["msg"]
    r = client.post(f"{B}/services", json=_dienst(tok["organisatie"], phones=[{"number": "12"}]),
                    headers=tok["beheerder"])
    assert r.status_code == 422
    fout = r.json()["detail"][0]
    assert fout["loc"] == ["body", "phones", "0", "number"] and fout["veld"] == "phones[0].number"
    r = client.get(f"{B}/organizations/{tok['organisatie']}", headers=tok["beheerder"])
    r2 = client.patch(f"{B}/organizations/{tok['organisatie']}", json={"name": "Anders", "bestaat": "niet"},
                      headers=tok["beheerder"] | {"if-match": r.headers["etag"]})
    assert r2.status_code == 422
    assert client.get(f"{B}/organizations/{tok['organisatie']}", headers=tok["beheerder"]).json() == r.json()
    assert (_tel(engine, Organization), _tel(engine, Audit)) == voor


def test_a_second_listing_with_the_same_name_gets_its_own_slug(beheer):
    client, engine, tok = beheer
    eerste = client.post(f"{B}/services", json=_dienst(tok["organisatie"]), headers=tok["beheerder"]).json()
    r = client.post(f"{B}/services", json=_dienst(tok["organisatie"]), headers=tok["beheerder"])
    assert r.status_code == 201 and r.json()["slug"] == f"{eerste['slug']}-2"


def test_two_editors_saving_the_same_name_at_once_both_get_their_listing(beheer, monkeypatch):
    """Both find the slug free before either writes it (held there by a barrier, so the race happens every run):
    the database refuses the second, which tries again with the next slug instead of a 500. A location without an
    organisation: nothing in its create is written before the slug is chosen (a service's organisation check
    flushes the new row first, which already makes the second editor wait)."""
    client, engine, tok = beheer
    samen = threading.Barrier(2, timeout=10)
    al_gewacht = threading.local()
    echt = aanbod._slug

    def slug_en_wacht(*args):
        fouten = echt(*args)
        if not getattr(al_gewacht, "ja", False):
            al_gewacht.ja = True
            samen.wait()
        return fouten

    # Once first, so the token's "last used" is written now and not by both requests at once (that write would make
    # the second wait for the first, and no race could happen).
    assert client.get(f"{B}/services", headers=tok["beheerder"]).status_code == 200
    monkeypatch.setattr(aanbod, "_slug", slug_en_wacht)
    with ThreadPoolExecutor(2) as pool:
        antwoorden = list(pool.map(lambda _: client.post(f"{B}/locations", json={"name": "Tegelijk bewaard"},
                                                         headers=tok["beheerder"]), range(2)))
    assert [r.status_code for r in antwoorden] == [201, 201], [r.text for r in antwoorden]
    assert sorted(r.json()["slug"] for r in antwoorden) == ["tegelijk-bewaard", "tegelijk-bewaard-2"]


def test_not_found_and_other_organisation_in_dutch(beheer):
    client, engine, tok = beheer
    r = client.get(f"{B}/locations/bestaat-niet", headers=tok["medewerker"])
    assert r.status_code == 404 and r.json()["detail"].startswith("Deze locatie bestaat niet")
    r = client.patch(f"{B}/services/bestaat-niet", json={}, headers=tok["beheerder"] | {"if-match": '"x"'})
    assert r.status_code == 404 and "/api/v1/beheer/services" in r.json()["detail"]
    with Session(engine) as s:
        ander = s.exec(select(Service).where(Service.organization_id == tok["anders"])).first()
    etag = client.get(f"{B}/services/{ander.id}", headers=tok["redacteur"]).headers["etag"]
    r = client.patch(f"{B}/services/{ander.id}", json={"name": "Overgenomen"},
                     headers=tok["redacteur"] | {"if-match": etag})
    assert r.status_code == 403 and "organisatie" in r.json()["detail"]
    # Moving an own listing to another organisation is refused as well.
    eigen = client.post(f"{B}/services", json=_dienst(tok["organisatie"]), headers=tok["redacteur"])
    r = client.patch(eigen.headers["location"], json={"organization_id": tok["anders"]},
                     headers=tok["redacteur"] | {"if-match": eigen.headers["etag"]})
    assert r.status_code == 403
    assert client.get(f"{B}/services/{ander.id}", headers=tok["redacteur"]).headers["etag"] == etag


def test_link_a_service_to_a_location_and_unlink_it(beheer):
    client, engine, tok = beheer
    h = tok["redacteur"]
    dienst_id = client.post(f"{B}/services", json=_dienst(tok["organisatie"]), headers=h).json()["id"]
    plek = client.post(f"{B}/locations", json={"organization_id": tok["organisatie"], "name": "Online spreekuur",
                                              "location_type": "virtual"}, headers=h)
    assert plek.status_code == 201, plek.text
    link = {"service_id": dienst_id, "location_id": plek.json()["id"]}
    r = client.post(f"{B}/service_at_locations", json=link, headers=h)
    assert r.status_code == 201 and r.json() | link == r.json()
    assert client.get(f"{B}/services/{dienst_id}", headers=h).json()["location_ids"] == [link["location_id"]]
    assert client.post(f"{B}/service_at_locations", json=link, headers=h).status_code == 409
    assert client.delete(f"{B}/service_at_locations/{r.json()['id']}", headers=h).status_code == 204
    assert client.get(f"{B}/services/{dienst_id}", headers=h).json()["location_ids"] == []
    assert client.delete(f"{B}/service_at_locations/{r.json()['id']}", headers=h).status_code == 404
    acties = [x["actie"] for x in client.get(f"{B}/audit", params={"object": dienst_id}, headers=h).json()["contents"]]
    assert acties == ["locatie ontkoppeld", "locatie gekoppeld", "aangemaakt"]


def _buurtkamer(client, tok) -> tuple[str, str]:
    r = client.post(f"{B}/locations", json={"organization_id": tok["organisatie"], "name": "Buurtkamer",
                                           "location_type": "virtual"}, headers=tok["redacteur"])
    return r.headers["location"], r.headers["etag"]


def test_mark_a_location_as_wijkentree(beheer):
    client, engine, tok = beheer
    h = tok["redacteur"]
    plek, etag = _buurtkamer(client, tok)
    assert client.put(f"{plek}/wijkentree", json={"wijkentree": True}, headers=h).status_code == 428
    r = client.put(f"{plek}/wijkentree", json={"wijkentree": True}, headers=h | {"if-match": etag})
    assert r.status_code == 200 and r.json()["wijkentree"] is True
    assert [w["veld"] for w in r.json()["waarschuwingen"]] == ["schedules"]
    r = client.put(f"{plek}/wijkentree", json={"wijkentree": False}, headers=h | {"if-match": r.headers["etag"]})
    assert r.status_code == 200 and r.json()["wijkentree"] is False and r.json()["waarschuwingen"] == []


def test_mark_a_location_as_wijkentree_with_its_hours(beheer):
    client, engine, tok = beheer
    plek, etag = _buurtkamer(client, tok)
    uren = [{"freq": "WEEKLY", "byday": "MO,WE", "opens_at": "09:00", "closes_at": "12:00"}]
    r = client.put(f"{plek}/wijkentree", json={"wijkentree": True, "schedules": uren},
                   headers=tok["redacteur"] | {"if-match": etag})
    assert r.status_code == 200 and r.json()["waarschuwingen"] == [] and len(r.json()["schedules"]) == 1


def test_te_doen_a_redacteur_sees_only_their_own_organisations(beheer):
    client, engine, tok = beheer
    alles = client.get(f"{B}/te-doen", headers=tok["beheerder"])
    eigen = client.get(f"{B}/te-doen", headers=tok["redacteur"])
    assert alles.status_code == eigen.status_code == 200
    soorten = [g["soort"] for g in alles.json()["groepen"]]
    assert soorten == ["meldingen", "controle", "adres", "telefoon", "tijden", "afgelopen"]
    items = lambda r: [i for g in r.json()["groepen"] for i in g["items"]]  # noqa: E731
    assert items(eigen) and {i["organization_id"] for i in items(eigen)} == {tok["organisatie"]}
    assert len({i["organization_id"] for i in items(alles)}) > 1
    assert client.get(f"{B}/te-doen", headers=tok["medewerker"]).json() == alles.json()


def test_a_report_is_handled_once_and_leaves_the_to_do_list(beheer):
    client, engine, tok = beheer
    with Session(engine) as s:
        melding_id = _melding(s, tok["organisatie"])
    open_ids = lambda: [i["id"] for g in client.get(f"{B}/te-doen", headers=tok["redacteur"]).json()["groepen"]  # noqa: E731
                        if g["soort"] == "meldingen" for i in g["items"]]
    assert melding_id in open_ids()
    r = client.post(f"{B}/meldingen/{melding_id}/afgehandeld", headers=tok["redacteur"])
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert r.json()["id"] == melding_id and r.json()["wat"] == "telefoon"
    assert r.json()["afgehandeld_door"] == _token_naam(engine, tok["redacteur"]) and r.json()["afgehandeld"]
    assert melding_id not in open_ids()
    # Again, by someone else: the first handling stays on record, and no second audit row.
    opnieuw = client.post(f"{B}/meldingen/{melding_id}/afgehandeld", headers=tok["beheerder"])
    assert opnieuw.status_code == 200 and opnieuw.json() == r.json()
    with Session(engine) as s:
        assert len(s.exec(select(Audit).where(Audit.object_id == melding_id, Audit.actie == "afgehandeld")).all()) == 1
    weg = client.post(f"{B}/meldingen/bestaat-niet/afgehandeld", headers=tok["beheerder"])
    assert weg.status_code == 404 and weg.json()["detail"].startswith("Deze melding bestaat niet.")


def test_every_admin_route_is_in_the_matrix_and_documents_its_errors():
    routes = {(m, p) for p, ops in app.openapi()["paths"].items() if p.startswith(B)
              for m in ops if m in ("get", "post", "put", "patch", "delete")}
    assert routes == {(e[0], B + e[1].split("?")[0]) for e in EINDPUNTEN}
    for p, ops in app.openapi()["paths"].items():
        for m, op in ops.items():
            if p.startswith(B):
                assert {"401", "403"} <= set(op["responses"]), (m, p)
                if m in ("put", "patch") or (m == "delete" and "service_at" not in p):
                    assert {"412", "428"} <= set(op["responses"]), (m, p)


# --- the role x endpoint matrix --------------------------------------------------------------------------------
#
# Every case makes its own organisations and a redacteur of the first, so a case never depends on another and
# every allowed call can be held to its success status, not just to "not 401/403".

ROLLEN = ("geen", "medewerker", "redacteur_eigen", "redacteur_ander", "beheerder")
LEZEN, AUDIT = frozenset(ROLLEN[1:]), frozenset({"redacteur_eigen", "redacteur_ander", "beheerder"})
SCHRIJVEN, ALLEEN_BEHEERDER = frozenset({"redacteur_eigen", "beheerder"}), frozenset({"beheerder"})


def _nieuw(s, soort: str, org_id: str | None = None, weg: bool = False) -> str:
    naam = f"Matrix {uuid.uuid4().hex[:8]}"
    data = {"organization": {"name": naam}, "service": _dienst(org_id, name=naam),
            "location": {"organization_id": org_id, "name": naam, "location_type": "virtual"}}[soort]
    obj_id, _ = aanbod.maak(s, SYSTEEM, soort, data)
    if weg:
        aanbod.verwijderen(s, SYSTEEM, soort, obj_id)
    return obj_id


def _soort_routes(pad: str, soort: str) -> list[tuple]:
    """(method, path, allowed, success, what to make: (session, org) -> (id, body, etag soort))."""
    def heel(org: str) -> dict:
        naam = f"Heel {uuid.uuid4().hex[:8]}"
        return {"organization": {"name": naam}, "service": _dienst(org, name=naam),
                "location": {"organization_id": org, "name": naam, "location_type": "virtual"}}[soort]


    bestaand = lambda s, org: org if soort == "organization" else _nieuw(s, soort, org)  # noqa: E731
    return [
        ("get", f"/{pad}", LEZEN, 200, lambda s, org: (None, None, None)),
        ("get", f"/{pad}/{{id}}", LEZEN, 200, lambda s, org: (bestaand(s, org), None, None)),
        ("post", f"/{pad}", ALLEEN_BEHEERDER if soort == "organization" else SCHRIJVEN, 201,
         lambda s, org: (None, heel(org), None)),
        ("patch", f"/{pad}/{{id}}", SCHRIJVEN, 200, lambda s, org: (bestaand(s, org), {"description": "Anders."}, soort)),
        ("put", f"/{pad}/{{id}}", SCHRIJVEN, 200, lambda s, org: (bestaand(s, org), heel(org), soort)),
        ("delete", f"/{pad}/{{id}}", SCHRIJVEN, 204, lambda s, org: (bestaand(s, org), None, soort)),
        ("post", f"/{pad}/{{id}}/herstellen", SCHRIJVEN, 200, lambda s, org: (
            (aanbod.verwijderen(s, SYSTEEM, soort, org), org)[1] if soort == "organization"
            else _nieuw(s, soort, org, weg=True), None, None)),
    ]


def _link(s, org: str) -> str:
    return aanbod.maak(s, SYSTEEM, "service_at_location", {"service_id": _nieuw(s, "service", org),
                                                           "location_id": _nieuw(s, "location", org)})[0]


PERSONEEL = frozenset({"medewerker", "beheerder"})  # the contact inbox: staff, never a redacteur


def _verzoek(s) -> str:
    """A resident's contact request, for the inbox routes."""
    from app.contact import Verzoek
    from app.data import contact

    return contact.maak(s, Verzoek("vraag", "Ans", "0612345678", "", "", "schulden", "", "ochtend", "")).id


def _melding(s, org: str) -> str:
    """A resident's open report about a listing of this organisation."""
    from app.data import meldingen

    return meldingen.meld(s, _nieuw(s, "service", org), "telefoon").id


def _csv_van(s, org: str) -> str:
    """An import file of one row: the export of a listing of this organisation (a dry run changes nothing)."""
    from app.data import uitwisseling

    naam = s.get(Service, _nieuw(s, "service", org)).name
    tekst, _ = uitwisseling.beheer_csv(s)
    return "\n".join([tekst.splitlines()[0], *[r for r in tekst.splitlines()[1:] if naam in r]]) + "\n"


EINDPUNTEN = [
    *_soort_routes("organizations", "organization"),
    *_soort_routes("services", "service"),
    *_soort_routes("locations", "location"),
    ("post", "/service_at_locations", SCHRIJVEN, 201, lambda s, org: (
        None, {"service_id": _nieuw(s, "service", org), "location_id": _nieuw(s, "location", org)}, None)),
    ("delete", "/service_at_locations/{id}", SCHRIJVEN, 204, lambda s, org: (_link(s, org), None, None)),
    ("post", "/services/{id}/gecontroleerd", SCHRIJVEN, 200, lambda s, org: (_nieuw(s, "service", org), None, None)),
    ("put", "/locations/{id}/wijkentree", SCHRIJVEN, 200, lambda s, org: (
        _nieuw(s, "location", org), {"wijkentree": True}, "location")),
    ("get", "/te-doen", LEZEN, 200, lambda s, org: (None, None, None)),
    ("post", "/meldingen/{id}/afgehandeld", SCHRIJVEN, 200, lambda s, org: (_melding(s, org), None, None)),
    ("get", "/audit", AUDIT, 200, lambda s, org: (None, None, None)),
    ("get", "/contact", PERSONEEL, 200, lambda s, org: (None, None, None)),
    ("get", "/contact/{id}", PERSONEEL, 200, lambda s, org: (_verzoek(s), None, None)),
    ("post", "/contact/{id}/oppakken", PERSONEEL, 200, lambda s, org: (_verzoek(s), None, None)),
    ("post", "/contact/{id}/afgehandeld", PERSONEEL, 200, lambda s, org: (_verzoek(s), None, None)),
    ("post", "/contact/{id}/toewijzen", PERSONEEL, 200, lambda s, org: (
        _verzoek(s), {"location_id": s.exec(select(Location.id).where(Location.is_wijkentree)).first()}, None)),
    ("get", "/export.csv", LEZEN, 200, lambda s, org: (None, None, None)),
    # Every editor may send a file; whose rows they may change is checked per row (tests/test_import_export.py:
    # another organisation's changed row is refused), and an unchanged row needs no rights.
    ("post", "/import?dry_run=true", AUDIT, 200, lambda s, org: (None, _csv_van(s, org), None)),
]


@pytest.fixture(scope="module")
def matrix_db(new_database, rol_tokens):
    """One seeded database for the whole matrix (seeding per case would take minutes); the cases only add."""
    url = new_database("matrix")
    upgrade_db(url)
    engine = get_engine(url)
    with Session(engine) as s:
        seed(s)
    return engine, rol_tokens(engine)


@pytest.fixture
def matrix_client(matrix_db, app_met):
    with app_met(matrix_db[0]) as c:
        yield c


@pytest.mark.parametrize("rol", ROLLEN)
@pytest.mark.parametrize("eindpunt", EINDPUNTEN, ids=lambda e: f"{e[0]} {e[1]}")
def test_role_x_endpoint_matrix(matrix_db, matrix_client, eindpunt, rol):
    engine, tok = matrix_db
    methode, pad, mag, gelukt, maak = eindpunt
    with Session(engine) as s:
        eigen, ander = _nieuw(s, "organization"), _nieuw(s, "organization")
        redacteur = accounts.maak_token(s, SYSTEEM, f"matrix-{uuid.uuid4().hex[:8]}", "redacteur", [eigen])
        obj_id, body, etag_soort = maak(s, ander if rol == "redacteur_ander" else eigen)
        headers = {"geen": {}, "medewerker": tok["medewerker"], "beheerder": tok["beheerder"],
                   "redacteur_eigen": {"authorization": f"Bearer {redacteur.geheim}"}}
        headers["redacteur_ander"] = headers["redacteur_eigen"]
        extra = {"if-match": aanbod.etag_van(s, etag_soort, obj_id)} if etag_soort else {}
    if isinstance(body, str):  # a CSV file for the import
        inhoud = {"content": body.encode(), "headers": headers[rol] | {"content-type": "text/csv"}}
    else:
        inhoud = {"json": body, "headers": headers[rol] | extra}
    r = matrix_client.request(methode, B + pad.replace("{id}", obj_id or ""), **inhoud)
    verwacht = gelukt if rol in mag else (401 if rol == "geen" else 403)
    assert r.status_code == verwacht, r.text
    if r.status_code in (401, 403):
        assert r.json()["detail"].split()[0] in ("Log", "U")  # a Dutch sentence that says what to do

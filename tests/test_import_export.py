"""Import and export: the open data as an HSDS 3.0 data package that frictionless finds valid, and the beheer CSV
that goes through the import unchanged; a dry run writes nothing, and a real run is all or nothing per file."""
import csv
import io
import json
import zipfile

import frictionless
import pytest
from sqlmodel import Session, func, select

from app.data import aanbod
from app.models import Audit, Organization, Phone, Service
from app.seed import HEADER

CSV = {"content-type": "text/csv; charset=utf-8"}


def _rijen(tekst: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(tekst)))


def _tekst(rijen: list[dict]) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=HEADER)
    w.writeheader()
    w.writerows(rijen)
    return out.getvalue()


def _stand(engine) -> tuple:
    """Everything an import could change, to compare before and after."""
    with Session(engine) as s:
        services = sorted((x.slug, x.name, x.description, x.organization_id, x.soort, x.bron_jaar, x.status,
                           x.last_modified.isoformat()) for x in s.exec(select(Service)))
        phones = sorted((p.service_id or "", p.number) for p in s.exec(select(Phone)))
        return (services, phones, s.exec(select(func.count()).select_from(Audit)).one(),
                s.exec(select(func.count()).select_from(Organization)).one())


def _export(client, headers) -> str:
    r = client.get("/api/v1/beheer/export.csv", headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    return r.text


def _import(client, headers, tekst: str, dry_run: bool = False):
    return client.post(f"/api/v1/beheer/import?dry_run={str(dry_run).lower()}", content=tekst.encode(),
                       headers=headers | CSV)


# --- HSDS data package -----------------------------------------------------------------------------------------

def test_the_open_data_package_is_valid_hsds_by_frictionless(client, tmp_path):
    r = client.get("/api/v1/export/hsds.zip")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        namen = set(z.namelist())
        z.extractall(tmp_path)
    assert namen == {"datapackage.json", "organizations.csv", "services.csv", "locations.csv", "addresses.csv",
                     "phones.csv", "schedules.csv", "service_at_location.csv", "taxonomies.csv",
                     "taxonomy_terms.csv", "attributes.csv", "languages.csv"}
    pakket = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    in_pakket = {r["name"] for r in pakket["resources"]}
    for resource in pakket["resources"]:
        for fk in resource["schema"].get("foreignKeys", []):
            assert fk["reference"]["resource"] in in_pakket
    report = frictionless.validate(tmp_path / "datapackage.json")
    fouten = {(t.name, e.type, getattr(e, "field_name", "")) for t in report.tasks for e in t.errors}
    assert report.valid, fouten
    services = _rijen((tmp_path / "services.csv").read_text(encoding="utf-8"))
    assert len(services) > 30
    assert {"Repair Café Hengelo"} <= {s["name"] for s in services}


def test_the_open_data_package_has_no_personal_data_and_nothing_unpublished(app_on, rol_tokens, tmp_path):
    client, engine = app_on
    tokens = rol_tokens(engine)
    with Session(engine) as s:
        repair = s.exec(select(Service).where(Service.slug == "repair-cafe-hengelo")).one()
        alarm = s.exec(select(Service).where(Service.slug == "alarmnummer-112")).one()
        repair_id, alarm_id = repair.id, alarm.id
    assert client.post(f"/api/v1/beheer/services/{repair_id}/gecontroleerd", headers=tokens["beheerder"]).is_success
    controleur = client.get(f"/api/v1/beheer/services/{repair_id}", headers=tokens["beheerder"]).json()["assurer_email"]
    assert controleur.startswith("test-beheerder")
    etag = client.get(f"/api/v1/beheer/services/{alarm_id}", headers=tokens["beheerder"]).headers["etag"]
    assert client.patch(f"/api/v1/beheer/services/{alarm_id}", json={"status": "inactive"},
                        headers=tokens["beheerder"] | {"if-match": etag}).is_success
    inhoud = client.get("/api/v1/export/hsds.zip").content
    with zipfile.ZipFile(io.BytesIO(inhoud)) as z:
        alles = {n: z.read(n).decode("utf-8") for n in z.namelist()}
    assert "assurer_email" not in alles["services.csv"].splitlines()[0]
    assert controleur not in "\n".join(alles.values())
    ids = {r["id"] for r in _rijen(alles["services.csv"])}
    assert repair_id in ids and alarm_id not in ids
    assert alarm_id not in alles["service_at_location.csv"] and alarm_id not in alles["attributes.csv"]


# --- the beheer CSV and the import -----------------------------------------------------------------------------

def test_the_csv_round_trip_changes_nothing(app_on, rol_tokens):
    client, engine = app_on
    tokens = rol_tokens(engine)
    tekst = _export(client, tokens["medewerker"])
    rijen = _rijen(tekst)
    assert list(rijen[0]) == HEADER and len(rijen) > 30
    voor = _stand(engine)
    proef = _import(client, tokens["beheerder"], tekst, dry_run=True)
    assert proef.status_code == 200, proef.text
    assert proef.json()["aantallen"] == {"nieuw": 0, "gewijzigd": 0, "ongewijzigd": len(rijen), "geweigerd": 0}
    echt = _import(client, tokens["beheerder"], tekst)
    assert echt.status_code == 200 and echt.json()["opgeslagen"] is False
    assert _stand(engine) == voor
    assert _export(client, tokens["beheerder"]) == tekst


def test_a_dry_run_says_what_would_change_and_writes_nothing(app_on, rol_tokens):
    client, engine = app_on
    tokens = rol_tokens(engine)
    rijen = _rijen(_export(client, tokens["beheerder"]))
    rijen[0]["naam"] += " (nieuwe naam)"
    rijen.append(dict(rijen[1], id="nieuwe-inloop-test", naam="Nieuwe inloop", telefoon="074 245 88 08"))
    voor = _stand(engine)
    r = _import(client, tokens["beheerder"], _tekst(rijen), dry_run=True)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["dry_run"] is True and body["opgeslagen"] is False and "niets opgeslagen" in body["detail"]
    per_id = {u["id"]: u for u in body["rijen"]}
    assert per_id[rijen[0]["id"]]["actie"] == "gewijzigd" and per_id[rijen[0]["id"]]["velden"] == ["naam"]
    assert per_id["nieuwe-inloop-test"]["actie"] == "nieuw"
    assert _stand(engine) == voor
    # The same file for real: written, with audit rows, and the export shows it.
    r = _import(client, tokens["beheerder"], _tekst(rijen))
    assert r.status_code == 200 and r.json()["opgeslagen"] is True, r.text
    na = _rijen(_export(client, tokens["beheerder"]))
    assert {x["id"]: x["naam"] for x in na}[rijen[0]["id"]] == rijen[0]["naam"]
    assert "nieuwe-inloop-test" in {x["id"] for x in na}


def test_one_bad_row_writes_nothing_and_says_which_row_and_why(app_on, rol_tokens):
    client, engine = app_on
    tokens = rol_tokens(engine)
    rijen = _rijen(_export(client, tokens["beheerder"]))
    rijen[0]["naam"] += " (gewijzigd)"
    rijen[2]["telefoon"] = "12345"
    voor = _stand(engine)
    r = _import(client, tokens["beheerder"], _tekst(rijen))
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["opgeslagen"] is False and "rij 4" in body["detail"] and "niets" in body["detail"]
    fout = next(u for u in body["rijen"] if u["actie"] == "geweigerd")
    assert fout["rij"] == 4 and fout["id"] == rijen[2]["id"]
    assert fout["fouten"][0]["kolom"] == "telefoon" and "telefoonnummer klopt niet" in fout["fouten"][0]["msg"]
    assert _stand(engine) == voor


def test_a_crash_in_the_middle_of_an_import_leaves_the_old_data(app_on, rol_tokens, monkeypatch):
    client, engine = app_on
    tokens = rol_tokens(engine)
    rijen = _rijen(_export(client, tokens["beheerder"]))
    for rij in rijen[:4]:
        rij["omschrijving_b1"] += " Nieuw."
    voor = _stand(engine)
    echte, calls = aanbod.wijzig, []

    def wijzig(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("de server valt uit")
        return echte(*args, **kwargs)

    monkeypatch.setattr(aanbod, "wijzig", wijzig)
    with pytest.raises(RuntimeError):
        _import(client, tokens["beheerder"], _tekst(rijen))
    assert len(calls) == 3
    assert _stand(engine) == voor


def _zip(client, aanpassen=None) -> bytes:
    """The open data package, with services.csv changed by `aanpassen(rows)`."""
    bron = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/export/hsds.zip").content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for naam in bron.namelist():
            inhoud = bron.read(naam).decode("utf-8")
            if naam == "services.csv" and aanpassen:
                rijen = _rijen(inhoud)
                aanpassen(rijen)
                buf = io.StringIO()
                w = csv.DictWriter(buf, fieldnames=list(rijen[0]))
                w.writeheader()
                w.writerows(rijen)
                inhoud = buf.getvalue()
            z.writestr(naam, inhoud)
    return out.getvalue()


def test_the_hsds_zip_reads_back_with_no_changes_and_a_change_is_found(app_on, rol_tokens):
    client, engine = app_on
    tokens = rol_tokens(engine)
    zip_ = {"content-type": "application/zip"}
    voor = _stand(engine)
    r = client.post("/api/v1/beheer/import?dry_run=true", content=_zip(client), headers=tokens["beheerder"] | zip_)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["aantallen"]["gewijzigd"] == body["aantallen"]["nieuw"] == body["aantallen"]["geweigerd"] == 0
    assert body["aantallen"]["ongewijzigd"] > 30

    def anders(rijen):
        rijen[0]["name"] += " (uit HSDS)"
        rijen[1]["email"] = "geen e-mailadres"

    r = client.post("/api/v1/beheer/import", content=_zip(client, anders), headers=tokens["beheerder"] | zip_)
    assert r.status_code == 422, r.text
    body = r.json()
    assert "rij 3 van services.csv" in body["detail"]
    assert [u["velden"] for u in body["rijen"] if u["actie"] == "gewijzigd"] == [["naam"]]
    assert _stand(engine) == voor
    r = client.post("/api/v1/beheer/import", content=b"geen zip", headers=tokens["beheerder"] | zip_)
    assert r.status_code == 422 and "geen goed zip-bestand" in r.json()["detail"]


# --- refusals --------------------------------------------------------------------------------------------------

def test_a_redacteur_may_import_only_their_own_organisations(app_on, rol_tokens):
    client, engine = app_on
    tokens = rol_tokens(engine)
    rijen = _rijen(_export(client, tokens["beheerder"]))
    with Session(engine) as s:
        eigen = {x.slug for x in s.exec(select(Service).where(Service.organization_id == tokens["organisatie"]))}
    vreemd = next(r for r in rijen if r["id"] not in eigen)
    vreemd["naam"] += " (mag niet)"
    r = _import(client, tokens["redacteur"], _tekst([vreemd]), dry_run=True)
    assert r.status_code == 422
    assert "niet wijzigen" in r.json()["rijen"][0]["fouten"][0]["msg"]


def test_wrong_content_type_malformed_csv_and_medewerker_are_refused_in_dutch(client, tokens):
    r = client.post("/api/v1/beheer/import", content=b'{"a": 1}',
                    headers=tokens["beheerder"] | {"content-type": "application/json"})
    assert r.status_code == 415 and "Stuur het bestand als CSV" in r.json()["detail"]
    r = client.post("/api/v1/beheer/import", content=b"id,naam\nx,y\n", headers=tokens["beheerder"] | CSV)
    assert r.status_code == 422 and "kopregel mist" in r.json()["detail"]
    kop = ",".join(HEADER)
    r = client.post("/api/v1/beheer/import", content=f'{kop}\n"niet gesloten,a\n'.encode(),
                    headers=tokens["beheerder"] | CSV)
    assert r.status_code == 422 and "geen goede CSV" in r.json()["detail"]
    r = client.post("/api/v1/beheer/import", content=f"{kop}\na,b\n".encode(), headers=tokens["beheerder"] | CSV)
    assert r.status_code == 422 and "Rij 2 heeft 2 velden" in r.json()["detail"]
    r = client.post("/api/v1/beheer/import", content="é".encode("latin-1"), headers=tokens["beheerder"] | CSV)
    assert r.status_code == 422 and "UTF-8" in r.json()["detail"]
    assert client.post("/api/v1/beheer/import", content=kop.encode(), headers=tokens["medewerker"] | CSV
                       ).status_code == 403
    assert client.post("/api/v1/beheer/import", content=kop.encode(), headers=CSV).status_code == 401
    assert client.get("/api/v1/beheer/export.csv").status_code == 401


def test_an_import_file_may_be_larger_than_the_usual_body_limit(client, tokens):
    groot = (",".join(HEADER) + "\n").encode() + b" " * 2_000_000
    r = client.post("/api/v1/beheer/import?dry_run=true", content=groot, headers=tokens["beheerder"] | CSV)
    assert r.status_code == 200, r.text[:200]
    assert client.post("/api/v1/meldingen", content=groot, headers={"content-type": "application/json"}
                       ).status_code == 413


def test_the_command_line_import_dry_run(client, engine, tokens, tmp_path, capsys):
    from app.__main__ import main

    rijen = _rijen(_export(client, tokens["beheerder"]))
    rijen[0]["naam"] += " (via de opdrachtregel)"
    bestand = tmp_path / "kaart.csv"
    bestand.write_text(_tekst(rijen), encoding="utf-8")
    voor = _stand(engine)
    assert main(["import", str(bestand), "--dry-run"]) == 0
    uit = capsys.readouterr().out
    assert f"rij 2 {rijen[0]['id']}: gewijzigd (naam)" in uit and "Proef: er is niets opgeslagen" in uit
    rijen[1]["zekerheid"] = "zeker"
    bestand.write_text(_tekst(rijen), encoding="utf-8")
    assert main(["import", str(bestand), "--dry-run"]) == 1
    assert "rij 3" in capsys.readouterr().out
    assert _stand(engine) == voor

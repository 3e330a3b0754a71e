"""The one write path (app/data/core.py): audit in the same transaction, one data version that caches and the
search follow, soft delete and HSDS status applied to every public read, and caches that hold under threads."""
import json
import threading

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from app import listings, search
from app.data.core import SYSTEEM, Wie, herstel, schrijf, verhoog_versie, versie, verwijder
from app.models import Audit, Location, Organization, Service, ServiceAtLocation
from app.seed import seed


def _service(s: Session, slug: str = "repair-cafe-hengelo") -> Service:
    return s.exec(select(Service).where(Service.slug == slug)).one()


def test_a_write_raises_the_version_and_writes_the_audit_row_with_before_and_after(app_on):
    _, engine = app_on
    with Session(engine) as s:
        svc = _service(s)
        before_version, before_modified = versie(s), svc.last_modified
        with schrijf(s, Wie("redacteur@wijkracht.nl", rol="beheerder", soort="gebruiker")) as w:
            voor = w.foto("service", svc.id)
            svc.name = "Repair Café De Tempel"
            w.vastleggen("gewijzigd", "service", svc.id, voor)
        assert versie(s) == before_version + 1
        assert _service(s).last_modified > before_modified
        row = s.exec(select(Audit).where(Audit.object_id == svc.id)).one()
        assert (row.wie, row.actie, row.object_type) == ("redacteur@wijkracht.nl", "gewijzigd", "service")
        assert json.loads(row.voor)["name"] == "Repair Café Hengelo"
        assert json.loads(row.na)["name"] == "Repair Café De Tempel"


def test_a_failing_audit_insert_rolls_the_change_back(app_on):
    _, engine = app_on
    with Session(engine) as s:
        svc = _service(s)
        start = versie(s)
        audits = s.exec(select(func.count()).select_from(Audit)).one()
        # A real failure in the database: the audit's "wie" is NOT NULL.
        with pytest.raises(IntegrityError), schrijf(s, Wie(None)) as w:  # type: ignore[arg-type]
            svc.name = "Mag niet blijven staan"
            w.vastleggen("gewijzigd", "service", svc.id)
    with Session(engine) as s:
        assert _service(s).name == "Repair Café Hengelo"
        assert versie(s) == start
        assert s.exec(select(func.count()).select_from(Audit)).one() == audits


def test_an_edit_shows_at_once_in_search_pages_and_api(app_on):
    client, engine = app_on
    assert "Fietsenmakerij" not in client.get("/api/v1/services?search=repair").text
    with Session(engine) as s:
        svc = _service(s)
        with schrijf(s, SYSTEEM) as w:
            svc.name = "Fietsenmakerij De Tempel"
            w.vastleggen("gewijzigd", "service", svc.id)
        service_id = svc.id
    assert client.get("/api/v1/services?search=fietsenmakerij").json()["contents"][0]["id"] == service_id
    assert client.get(f"/api/v1/services/{service_id}").json()["name"] == "Fietsenmakerij De Tempel"
    assert "Fietsenmakerij De Tempel" in client.get("/locaties/wijkcentrum-de-tempel").text


def test_a_deleted_service_is_gone_everywhere_and_comes_back_on_restore(app_on):
    client, engine = app_on
    with Session(engine) as s:
        service_id = _service(s).id
    paths = {"api": f"/api/v1/services/{service_id}"}
    assert client.get(paths["api"]).status_code == 200
    assert "kapotte spullen" in client.get("/locaties/wijkcentrum-de-tempel").text
    assert "Repair Café Hengelo" in client.get("/wijken/groot-driene").text
    with Session(engine) as s:
        verwijder(s, SYSTEEM, "service", service_id)
        assert s.exec(select(Audit.actie).where(Audit.object_id == service_id)).all() == ["verwijderd"]
    assert client.get(paths["api"]).status_code == 404
    assert service_id not in client.get("/api/v1/services?search=repair").text
    assert "kapotte spullen" not in client.get("/locaties/wijkcentrum-de-tempel").text
    assert "Repair Café Hengelo" not in client.get("/wijken/groot-driene").text
    with Session(engine) as s:
        herstel(s, SYSTEEM, "service", service_id)
    assert client.get(paths["api"]).status_code == 200
    assert service_id in client.get("/api/v1/services?search=repair").text


def test_an_inactive_service_is_not_shown_on_its_location_page_or_at_its_id(app_on):
    client, engine = app_on
    with Session(engine) as s:
        svc = _service(s)
        with schrijf(s, SYSTEEM) as w:
            svc.status = "inactive"
            w.vastleggen("gewijzigd", "service", svc.id)
        service_id = svc.id
    assert client.get(f"/api/v1/services/{service_id}").status_code == 404
    assert "kapotte spullen" not in client.get("/locaties/wijkcentrum-de-tempel").text


def test_a_deleted_location_and_organisation_take_their_listings_with_them(app_on):
    client, engine = app_on
    with Session(engine) as s:
        loc = s.exec(select(Location).where(Location.slug == "wijkcentrum-de-tempel")).one()
        sal_ids = s.exec(select(ServiceAtLocation.id).where(ServiceAtLocation.location_id == loc.id)).all()
        verwijder(s, SYSTEEM, "location", loc.id)
        location_id = loc.id
        # An organisation elsewhere: Humanitas' services go with it.
        org = s.exec(select(Organization).where(Organization.name.like("%Humanitas%"))).first()
        org_services = s.exec(select(Service.id).where(Service.organization_id == org.id)).all()
    assert client.get("/locaties/wijkcentrum-de-tempel").status_code == 404
    assert client.get(f"/api/v1/locations/{location_id}").status_code == 404
    assert location_id not in client.get("/api/v1/locations?per_page=100").text
    assert location_id not in client.get("/api/v1/locaties.geojson").text
    for sal_id in sal_ids:
        assert client.get(f"/api/v1/service_at_locations/{sal_id}").status_code == 404
    assert org_services
    with Session(engine) as s:
        verwijder(s, SYSTEEM, "organization", org.id)
    assert client.get(f"/api/v1/organizations/{org.id}").status_code == 404
    for service_id in org_services:
        assert client.get(f"/api/v1/services/{service_id}").status_code == 404
        assert service_id not in client.get("/api/v1/services?per_page=100").text


def test_seed_goes_through_the_data_layer(fresh_db):
    with Session(fresh_db) as s:
        seed(s)
        first = versie(s)
        index = search.get_index(s)
        seed(s, refresh=True)
        assert versie(s) == first + 1
        assert search.get_index(s) is not index  # --refresh is followed by the search (it was not before)
        assert s.exec(select(Audit.actie).where(Audit.object_type == "sociale_kaart")).all() == [
            "seed", "seed --refresh"]


def test_the_listing_cache_holds_while_the_version_changes_under_threads(app_on):
    """Four threads read cached listings while a fifth raises the version: never a KeyError or a half cache."""
    _, engine = app_on
    with Session(engine) as s:
        ids = s.exec(select(Service.id).limit(20)).all()
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            with Session(engine) as s:
                while not stop.is_set():
                    version = search.data_version(s)
                    views = listings.cached_services(s, ids, version)
                    assert len(views) == len(ids)
                    listings.cached_json(views[0].service.id, lambda v=views[0]: {"id": v.service.id})
                    listings.wijkentree_locations(s, version)
        except BaseException as e:  # noqa: B036 - the test reports whatever a thread raised
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    with Session(engine) as s:
        for _ in range(30):
            verhoog_versie(s)
            s.commit()
    stop.set()
    for t in threads:
        t.join()
    assert errors == []

"""Beheer changes the listings: organizations, services, locations and the links between them.

API routes, beheer pages and the import call only these functions; every change goes through core.schrijf
(one transaction with its audit row and the data version). The order of the checks is always: does it exist
(NietGevonden), may this person change it (GeenToegang), is the ETag still current (Conflict), is the input
right (Ongeldig). B1 and placement problems are `waarschuwingen`: they are returned, and never stop a save.

    id_, waarschuwingen = maak(session, wie, "service", {...})
    waarschuwingen = wijzig(session, wie, "service", id_, {"name": "..."}, if_match=etag_van(...))
"""
import hashlib
import json
import re
import unicodedata
from datetime import date

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import errors, geo, geocoder, gesproken, hours, leesbaarheid, listings, ruimte, schemas, validatie
from app.conventions import matches
from app.data.core import MODELLEN, NietGevonden, Wie, foto, herstel, schrijf, verwijder
from app.models import (
    Address,
    Attribute,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    Vertaling,
)

__all__ = ["Bezet", "Conflict", "GeenToegang", "NietGevonden", "NietMogelijk", "Onbekend", "Ongeldig", "etag_van",
           "gecontroleerd", "herstellen", "maak", "verwijderen", "wijkentree", "wijzig"]

SOORTEN = ("organization", "service", "location", "service_at_location")


class Ongeldig(ValueError):
    """Input we cannot save. `fouten`: [{"veld": "phones[0].number", "msg": "Dutch, with what to do"}]."""

    def __init__(self, fouten: list[dict]) -> None:
        super().__init__("; ".join(f"{f['veld']}: {f['msg']}" for f in fouten))
        self.fouten = fouten


class Onbekend(Ongeldig):
    """Input that names an object that does not exist (an organization_id, a service_id): the API answers 404, as
    for an unknown id in the path, since no JSON Schema can say which ids exist."""


class Bezet(Ongeldig):
    """Input that is right, but taken by another object (a slug): the API answers 409."""


class Conflict(Exception):
    """The If-Match ETag is no longer the object's: someone else changed it meanwhile."""


class NietMogelijk(Exception):
    """The change cannot be made in this state (already deleted, still in use); the message says why (409)."""


class GeenToegang(PermissionError):
    """This person may not change this organisation's listings (403)."""


# --- ETag ------------------------------------------------------------------------------------------------------

def _foto(session: Session, soort: str, obj_id: str) -> dict | None:
    if soort == "service_at_location":
        sal = session.get(ServiceAtLocation, obj_id)
        return None if sal is None else {"id": sal.id, "service_id": sal.service_id, "location_id": sal.location_id}
    return foto(session, soort, obj_id)


def etag_van(session: Session, soort: str, obj_id: str) -> str:
    """A hash of the object as the API shows it (core.foto): any change to it, or to its phones, hours,
    address or themes, gives another ETag."""
    beeld = _foto(session, soort, obj_id)
    if beeld is None:
        raise NietGevonden(obj_id)
    body = json.dumps(beeld, sort_keys=True, ensure_ascii=False).encode()
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def _controleer_etag(session: Session, soort: str, obj_id: str, if_match: str | None) -> None:
    """None: no check (a caller that read and writes in one step). The routes demand an If-Match themselves."""
    if if_match is not None and not matches(if_match, etag_van(session, soort, obj_id)):
        raise Conflict(obj_id)


# --- input -----------------------------------------------------------------------------------------------------

def _veld(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _fouten(e: ValidationError) -> list[dict]:
    out, gezien = [], set()
    for err in e.errors():
        veld = _veld(err["loc"])
        if veld in gezien:
            continue
        gezien.add(veld)
        if err["type"] == "extra_forbidden":
            msg = "Dit veld kennen we niet. Haal het weg, of kijk in de API-documentatie welke velden er zijn."
        elif err["type"] == "value_error":
            msg = str(err["ctx"]["error"])
        elif err["type"] == "string_too_short":
            msg = "Dit veld is verplicht. Vul het in."
        elif err["type"] == "string_pattern_mismatch" and veld == "slug":
            msg = "Een slug heeft alleen kleine letters, cijfers en streepjes, zoals mfa-t-berflo."
        elif err["type"] == "too_long":
            msg = f"Dit zijn er te veel. Het mogen er hoogstens {err['ctx']['max_length']} zijn."
        elif err["type"] in ("time_parsing", "time_type"):
            msg = "Schrijf een tijd als 09:00 of 17:30 (uren en minuten, 24 uur)."
        else:
            msg = errors._message(err)
        out.append({"veld": veld, "msg": msg})
    return out


def _lees(schema, data):
    if not isinstance(data, dict):
        raise Ongeldig([{"veld": "", "msg": "Stuur een JSON-object met velden, zoals {\"name\": \"...\"}."}])
    try:
        return schema.model_validate(data)
    except ValidationError as e:
        raise Ongeldig(_fouten(e)) from None


VERPLICHT = {"organization": ("name",), "service": ("organization_id", "name", "description", "status", "laag"),
             "location": ("name", "location_type")}


def _waarden(soort: str, data: dict, geheel: bool) -> dict:
    """The validated values to set: every field for a new object or a PUT, only the sent ones for a PATCH.
    A PATCH may not empty a required field with null."""
    if geheel:
        return _lees(schemas.CREATE[soort], data).model_dump()
    waarden = _lees(schemas.UPDATE[soort], data).model_dump(exclude_unset=True)
    leeg = [{"veld": k, "msg": "Dit veld is verplicht. Vul het in."}
            for k in VERPLICHT.get(soort, ()) if k in waarden and waarden[k] is None]
    for lijst in ("themas", "phones", "schedules", "addresses", "languages"):
        if lijst in waarden and waarden[lijst] is None:
            waarden[lijst] = []
    if "vertalingen" in waarden and waarden["vertalingen"] is None:
        waarden["vertalingen"] = {}
    if leeg:
        raise Ongeldig(leeg)
    return waarden


def _slugify(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:100] or "plek"


SLUG_BEZET = [{"veld": "slug", "msg": "Deze slug is al in gebruik. Kies een andere, of laat het veld leeg."}]
# Two editors saving the same name at the same moment both find its slug free; the database's unique index refuses
# the second. A new object without a chosen slug then simply tries again (and finds "-2"); a few times at most.
SLUG_POGINGEN = 3


def _slug_botsing(e: IntegrityError) -> bool:
    """The unique index on slug refused the write (SQLite and PostgreSQL both name the column or its index)."""
    return "slug" in str(e.orig).lower()


def _slug(session: Session, model, waarden: dict, obj) -> list[dict]:
    """The given slug when free; for a new object without one, one made from the name (unique)."""
    def taken(slug: str) -> bool:
        # Without autoflush: the new object, which already holds the slug being tried, must not be written first.
        with session.no_autoflush:
            return session.exec(select(model.id).where(model.slug == slug, model.id != obj.id)).first() is not None

    if waarden.get("slug"):
        if taken(waarden["slug"]):
            return SLUG_BEZET
        obj.slug = waarden["slug"]
    elif not obj.slug:
        base, n = _slugify(waarden.get("name") or obj.name), 1
        obj.slug = base
        while taken(obj.slug):
            n += 1
            obj.slug = f"{base}-{n}"
    return []


def _organisatie_bestaat(session: Session, org_id: str | None) -> list[dict]:
    if org_id is None or session.get(Organization, org_id) is not None:
        return []
    return [{"veld": "organization_id", "msg": "Deze organisatie bestaat niet. Kies een id uit "
                                               "/api/v1/beheer/organizations."}]


def _termen(session: Session, waarden: dict) -> tuple[dict[str, list[str]], list[dict]]:
    """The term ids per taxonomy for laag and themas, and a message per unknown code."""
    gekozen, fouten = {}, []
    for taxonomie, veld, codes in (("laag", "laag", [waarden["laag"]] if "laag" in waarden else None),
                                   ("thema", "themas", waarden.get("themas"))):
        if codes is None:
            continue
        bekend = {t.code: t.id for t in listings.terms_of(session, taxonomie)}
        for i, code in enumerate(codes):
            if code not in bekend:
                fouten.append({"veld": f"themas[{i}]" if veld == "themas" else veld,
                               "msg": f"'{code}' bestaat niet. Kies uit: {', '.join(sorted(bekend))}."})
        gekozen[taxonomie] = [bekend[c] for c in dict.fromkeys(codes) if c in bekend]
    return gekozen, fouten


def _mag(wie: Wie, *org_ids: str | None) -> None:
    for org_id in org_ids:
        if not wie.mag_wijzigen(org_id):
            raise GeenToegang(org_id)


# --- writing the rows ------------------------------------------------------------------------------------------

SCALAIR = {
    "organization": ("name", "description", "email", "website"),
    "service": ("organization_id", "name", "description", "url", "email", "status", "bron_url", "zekerheid"),
    "location": ("organization_id", "location_type", "name", "description", "accessibility"),
}
NIET_LEEG = {"bron_url", "description", "accessibility"}  # text columns that are "" rather than NULL


def _zet_velden(obj, soort: str, waarden: dict) -> None:
    for k in SCALAIR[soort]:
        if k in waarden and not (k == "zekerheid" and waarden[k] is None):
            setattr(obj, k, "" if waarden[k] is None and k in NIET_LEEG else waarden[k])


def _vervang_kinderen(session: Session, kolom: str, eigenaar: str, waarden: dict) -> None:
    """Phones and schedules that are sent replace the old ones."""
    for model, veld in ((Phone, "phones"), (Schedule, "schedules")):
        if veld not in waarden:
            continue
        for oud in session.exec(select(model).where(getattr(model, kolom) == eigenaar)):
            session.delete(oud)
        for item in waarden[veld]:
            velden = {k: v for k, v in item.items() if k not in ("id", "service_id", "location_id")}
            if model is Schedule:
                # A PATCH or the wijkentree call sends only the fields that are set (exclude_unset).
                velden["gesloten"] = velden.pop("notes", None) == "gesloten"
            session.add(model(**velden, **{kolom: eigenaar}))


def _zet_termen(session: Session, service_id: str, gekozen: dict[str, list[str]]) -> None:
    for taxonomie, term_ids in gekozen.items():
        oude = session.exec(
            select(Attribute).join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
            .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
            .where(Attribute.link_id == service_id, Taxonomy.name == taxonomie)
        )
        for oud in oude:
            session.delete(oud)
        session.flush()
        for term_id in term_ids:
            session.add(Attribute(link_id=service_id, taxonomy_term_id=term_id))


def _dubbele_talen(waarden: dict) -> list[dict]:
    gezien, fouten = set(), []
    for i, taal in enumerate(waarden.get("languages") or []):
        if taal["code"] in gezien:
            fouten.append({"veld": f"languages[{i}].code", "msg": "Deze taal staat er al. Noem elke taal één keer."})
        gezien.add(taal["code"])
    return fouten


def _zet_talen(session: Session, service_id: str, waarden: dict) -> None:
    """The languages spoken and the translated texts that are sent replace the old ones (only what an editor
    entered: nothing is filled in for them)."""
    if "languages" in waarden:
        for oud in session.exec(select(Language).where(Language.service_id == service_id)):
            session.delete(oud)
        for x in waarden["languages"]:
            # A PATCH sends only the fields that are set (exclude_unset).
            session.add(Language(service_id=service_id, code=x["code"], note=x.get("note") or "",
                                 name=x.get("name") or gesproken.nederlandse_naam(x["code"])))
    if "vertalingen" in waarden:
        for oud in session.exec(select(Vertaling).where(Vertaling.service_id == service_id)):
            session.delete(oud)
        session.flush()  # the unique (service, taal, veld) must be free before the new rows go in
        for code, teksten in waarden["vertalingen"].items():
            for veld in gesproken.VERTAALBAAR:
                if teksten.get(veld):
                    session.add(Vertaling(service_id=service_id, taal=code, veld=veld, tekst=teksten[veld]))


def _b1(soort: str, obj) -> list[dict]:
    """Warnings for the texts residents read; also for old texts, so an editor sees them at every save."""
    return [*leesbaarheid.waarschuwingen("name", obj.name),
            *leesbaarheid.waarschuwingen("description", obj.description or "")]


# --- locations: address and placement --------------------------------------------------------------------------

def _controleer_plek(loc: Location, adres: Address | None, waarden: dict) -> list[dict]:
    lat = waarden.get("latitude", loc.latitude if loc.plaatsing == "exact" else None)
    lon = waarden.get("longitude", loc.longitude if loc.plaatsing == "exact" else None)
    if (lat is None) != (lon is None):
        return [{"veld": "latitude" if lat is None else "longitude",
                 "msg": "Vul latitude en longitude allebei in, of allebei niet."}]
    if lat is not None:
        try:
            validatie.punt(lat, lon)
        except ValueError as e:
            return [{"veld": "latitude", "msg": str(e)}]
    postcode = waarden["addresses"][0]["postal_code"] if waarden.get("addresses") else None
    if postcode and lat is None and not validatie.postcode_in_hengelo(postcode):
        return [{"veld": "addresses[0].postal_code",
                 "msg": "Deze postcode ligt niet in Hengelo. Ligt de plek net buiten Hengelo? Vul dan ook latitude "
                        "en longitude in."}]
    return []


def _zet_adres(session: Session, loc: Location, waarden: dict) -> tuple[Address | None, bool]:
    """(the address now, whether its postcode changed)."""
    adres = session.exec(select(Address).where(Address.location_id == loc.id)).first()
    if "addresses" not in waarden:
        return adres, False
    oud = adres.postal_code if adres else None
    if not waarden["addresses"]:
        if adres:
            session.delete(adres)
        return None, oud is not None
    nieuw = {k: v for k, v in waarden["addresses"][0].items() if k not in ("id", "service_id", "location_id")}
    adres = adres or Address(location_id=loc.id)
    for k, v in nieuw.items():
        setattr(adres, k, v)
    session.add(adres)
    return adres, adres.postal_code != oud


def _plaats(session: Session, loc: Location, adres: Address | None, waarden: dict, postcode_anders: bool) -> list[dict]:
    """Put the location on the map, and say honestly how (plaatsing, plaatsing_bron).

    A point that is sent is exact. Otherwise, when the address is new or its postcode changed, the point of the
    postcode: the geocoder's (full postcode) when it answers, else the middle of the PC4 area; both are a
    benadering, and for a PC4 point the buurt is not known. When nothing places it, the listing is saved
    without a point and the editor is told.
    """
    if waarden.get("latitude") is not None:
        loc.latitude, loc.longitude = waarden["latitude"], waarden["longitude"]
        loc.plaatsing, loc.plaatsing_bron = "exact", waarden.get("plaatsing_bron") or "opgegeven in beheer"
        loc.wijk_code, loc.buurt_code = ruimte.locate(session, loc.latitude, loc.longitude)
        return []
    if not (postcode_anders or "latitude" in waarden):
        return []  # nothing about the place changed: the point stays as it is
    was_exact = loc.plaatsing == "exact" and "latitude" not in waarden
    loc.latitude = loc.longitude = loc.wijk_code = loc.buurt_code = None
    loc.plaatsing, loc.plaatsing_bron = "geen", ""
    if adres is None:
        if loc.location_type == "physical":
            return [{"veld": "addresses", "msg": "Deze plek heeft geen adres en geen punt, dus staat niet op de "
                                                 "kaart. Vul een adres in, of latitude en longitude."}]
        return []
    try:
        postcode = geo.parse_postcode(adres.postal_code)
        (lat, lon), precies = geocoder.locate_postcode(postcode)
    except Exception:  # noqa: BLE001 - placing is a help: whatever goes wrong, the listing is still saved
        return [{"veld": "addresses[0].postal_code",
                 "msg": "We konden deze plek niet op de kaart zetten. Hij is wel opgeslagen. Vul latitude en "
                        "longitude in om hem op de kaart te zetten."}]
    loc.latitude, loc.longitude, loc.plaatsing = lat, lon, "benadering"
    loc.wijk_code, buurt = ruimte.locate(session, lat, lon)
    loc.buurt_code = buurt if precies else None
    loc.plaatsing_bron = (f"midden van postcode {postcode} (PDOK Locatieserver)" if precies
                          else f"midden van postcodegebied {postcode.pc4}")
    if was_exact:
        return [{"veld": "latitude", "msg": "Het adres is veranderd. Het punt op de kaart komt nu uit de postcode "
                                            "en is niet precies. Vul latitude en longitude in voor een precies punt."}]
    return []


# --- create and change -----------------------------------------------------------------------------------------

def maak(session: Session, wie: Wie, soort: str, data: dict) -> tuple[str, list[dict]]:
    """A new organization, service, location or service_at_location: (its id, waarschuwingen)."""
    if soort == "service_at_location":
        return _koppel(session, wie, data), []
    waarden = _waarden(soort, data, geheel=True)
    _mag(wie, waarden.get("organization_id") if soort != "organization" else None)
    model = MODELLEN[soort]
    poging = 1
    while True:
        obj = model(name=waarden["name"], **({"slug": ""} if soort != "organization" else {}))
        try:
            with schrijf(session, wie) as w:
                session.add(obj)
                waarschuwingen = _schrijf(session, soort, obj, waarden)
                w.vastleggen("aangemaakt", soort, obj.id)
            return obj.id, waarschuwingen
        except IntegrityError as e:
            # Part of a larger change (an import): that change is lost as a whole; it cannot try again alone.
            if not _slug_botsing(e) or session.info.get("schrijf") is not None:
                raise
            if waarden.get("slug") or poging == SLUG_POGINGEN:
                raise Bezet(SLUG_BEZET) from e
            poging += 1


def wijzig(session: Session, wie: Wie, soort: str, obj_id: str, data: dict, if_match: str | None,
           geheel: bool = False) -> list[dict]:
    """Change an object: only the fields sent (PATCH), or all of them (`geheel`, PUT). Returns waarschuwingen."""
    obj = session.get(MODELLEN[soort], obj_id)
    if obj is None:
        raise NietGevonden(obj_id)
    _mag(wie, obj.id if soort == "organization" else obj.organization_id)
    waarden = _waarden(soort, data, geheel)
    if soort != "organization" and "organization_id" in waarden:
        _mag(wie, waarden["organization_id"])
    try:
        with schrijf(session, wie) as w:
            _controleer_etag(session, soort, obj_id, if_match)
            voor = w.foto(soort, obj_id)
            waarschuwingen = _schrijf(session, soort, obj, waarden)
            w.vastleggen("gewijzigd", soort, obj_id, voor)
    except IntegrityError as e:
        if _slug_botsing(e):  # another editor took this slug a moment ago
            raise Bezet(SLUG_BEZET) from e
        raise
    return waarschuwingen


def _schrijf(session: Session, soort: str, obj, waarden: dict) -> list[dict]:
    """Check what needs the database, then set the fields and replace the nested rows. Raises Ongeldig."""
    if soort != "organization" and (onbekend := _organisatie_bestaat(session, waarden.get("organization_id"))):
        raise Onbekend(onbekend)
    if soort != "organization" and (bezet := _slug(session, MODELLEN[soort], waarden, obj)):
        raise Bezet(bezet)
    fouten: list[dict] = []
    gekozen: dict = {}
    if soort == "service":
        gekozen, term_fouten = _termen(session, waarden)
        fouten += term_fouten + _dubbele_talen(waarden)
    if soort == "location":
        fouten += _controleer_plek(obj, None, waarden)
    if fouten:
        raise Ongeldig(fouten)
    _zet_velden(obj, soort, waarden)
    session.add(obj)
    session.flush()
    waarschuwingen = []
    if soort == "service":
        _zet_termen(session, obj.id, gekozen)
        _vervang_kinderen(session, "service_id", obj.id, waarden)
        _zet_talen(session, obj.id, waarden)
    elif soort == "location":
        adres, anders = _zet_adres(session, obj, waarden)
        waarschuwingen += _plaats(session, obj, adres, waarden, anders)
        _vervang_kinderen(session, "location_id", obj.id, waarden)
    return _b1(soort, obj) + waarschuwingen


def _koppel(session: Session, wie: Wie, data: dict) -> str:
    waarden = _lees(schemas.ServiceAtLocationCreate, data)
    service = session.get(Service, waarden.service_id)
    fouten = [] if service else [{"veld": "service_id", "msg": "Deze dienst bestaat niet."}]
    if session.get(Location, waarden.location_id) is None:
        fouten.append({"veld": "location_id", "msg": "Deze locatie bestaat niet."})
    if fouten:
        raise Onbekend(fouten)
    _mag(wie, service.organization_id)
    if session.exec(select(ServiceAtLocation).where(ServiceAtLocation.service_id == service.id,
                                                    ServiceAtLocation.location_id == waarden.location_id)).first():
        raise NietMogelijk("Deze dienst is al aan deze locatie gekoppeld.")
    with schrijf(session, wie) as w:
        voor = w.foto("service", service.id)
        sal = ServiceAtLocation(service_id=service.id, location_id=waarden.location_id)
        session.add(sal)
        session.flush()
        w.vastleggen("gekoppeld", "service_at_location", sal.id, None, _foto(session, "service_at_location", sal.id))
        w.vastleggen("locatie gekoppeld", "service", service.id, voor)
    return sal.id


# --- delete, restore, checked, wijkentree ----------------------------------------------------------------------

def _eigenaar(session: Session, soort: str, obj_id: str) -> tuple[object, str | None]:
    """(the object, the organisation whose editors may change it)."""
    if soort == "service_at_location":
        sal = session.get(ServiceAtLocation, obj_id)
        service = session.get(Service, sal.service_id) if sal else None
        if sal is None:
            raise NietGevonden(obj_id)
        return sal, service.organization_id if service else None
    obj = session.get(MODELLEN[soort], obj_id)
    if obj is None:
        raise NietGevonden(obj_id)
    return obj, obj.id if soort == "organization" else obj.organization_id


def verwijderen(session: Session, wie: Wie, soort: str, obj_id: str, if_match: str | None = None) -> None:
    """Soft delete (core.verwijder): residents no longer see it, beheer can restore it. A service_at_location is
    a link, not a listing: it is removed, and its audit row keeps what it was."""
    obj, org_id = _eigenaar(session, soort, obj_id)
    _mag(wie, org_id)
    _controleer_etag(session, soort, obj_id, if_match)
    if soort == "service_at_location":
        with schrijf(session, wie) as w:
            voor_link, voor = _foto(session, soort, obj_id), w.foto("service", obj.service_id)
            session.delete(obj)
            session.flush()
            w.vastleggen("ontkoppeld", soort, obj_id, voor_link, None)
            w.vastleggen("locatie ontkoppeld", "service", obj.service_id, voor)
        return
    if obj.verwijderd is not None:
        raise NietMogelijk("Dit is al verwijderd. Wilt u het terug? Gebruik dan herstellen.")
    if soort == "organization":
        actief = session.exec(select(Service.id).where(Service.organization_id == obj_id,
                                                       col(Service.verwijderd).is_(None))).all()
        if actief:
            raise NietMogelijk(f"Deze organisatie heeft nog {len(actief)} dienst(en). Verwijder die eerst, of "
                               "zet ze bij een andere organisatie.")
    verwijder(session, wie, soort, obj_id)


def herstellen(session: Session, wie: Wie, soort: str, obj_id: str) -> None:
    obj, org_id = _eigenaar(session, soort, obj_id)
    _mag(wie, org_id)
    if soort == "service_at_location" or obj.verwijderd is None:
        raise NietMogelijk("Dit is niet verwijderd, dus er is niets te herstellen.")
    if soort != "organization" and obj.organization_id:
        org = session.get(Organization, obj.organization_id)
        if org is not None and org.verwijderd is not None:
            raise NietMogelijk("De organisatie hiervan is verwijderd. Herstel eerst de organisatie.")
    herstel(session, wie, soort, obj_id)


def gecontroleerd(session: Session, wie: Wie, service_id: str) -> None:
    """A person confirmed the listing: HSDS assured_date (today, in Hengelo) and assurer_email; nothing else."""
    service = session.get(Service, service_id)
    if service is None:
        raise NietGevonden(service_id)
    _mag(wie, service.organization_id)
    with schrijf(session, wie) as w:
        voor = w.foto("service", service_id)
        service.assured_date = _vandaag()
        service.assurer_email = wie.naam[:255]
        session.add(service)
        w.vastleggen("gecontroleerd", "service", service_id, voor)


def _vandaag() -> date:
    from datetime import datetime

    return datetime.now(hours.TZ).date()


def wijkentree(session: Session, wie: Wie, location_id: str, data: dict, if_match: str | None = None) -> list[dict]:
    """Mark a location as wijkentree, with its hours when sent (they replace the old ones), or unmark it."""
    loc = session.get(Location, location_id)
    if loc is None:
        raise NietGevonden(location_id)
    _mag(wie, loc.organization_id)
    waarden = _lees(schemas.WijkentreeIn, data).model_dump(exclude_unset=True)
    with schrijf(session, wie) as w:
        _controleer_etag(session, "location", location_id, if_match)
        voor = w.foto("location", location_id)
        loc.is_wijkentree = waarden["wijkentree"]
        session.add(loc)
        if waarden.get("schedules") is not None:
            _vervang_kinderen(session, "location_id", loc.id, waarden)
        w.vastleggen("wijkentree" if loc.is_wijkentree else "geen wijkentree meer", "location", location_id, voor)
    if loc.is_wijkentree and not session.exec(select(Schedule.id).where(Schedule.location_id == location_id)).first():
        return [{"veld": "schedules", "msg": "Deze wijkentree heeft nog geen openingstijden. Vul ze in, zodat "
                                             "inwoners weten wanneer ze langs kunnen komen."}]
    return []


def toon(session: Session, soort: str, obj_id: str) -> dict:
    """What the beheer API shows of one object: the public HSDS shape with `verwijderd` (and the service's
    status, assurer), also for deleted and inactive objects."""
    beeld = _foto(session, soort, obj_id)
    if beeld is None:
        raise NietGevonden(obj_id)
    if soort == "service":
        service = session.get(Service, obj_id)
        beeld["assurer_email"] = service.assurer_email
    return beeld


__all__ += ["SOORTEN", "toon"]

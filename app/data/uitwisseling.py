"""Import and export of the sociale kaart: the open data set as an HSDS 3.0 tabular data package (zip), and the
beheer CSV in the format of the seed files (app/seed.py HEADER), which the import reads back.

The import goes through app/data/aanbod.py (maak, wijzig), all rows of a file inside one core.schrijf: a refused
row, an error or a dry run undoes the whole file. Each row runs in a savepoint of its own, so a refused row cannot
leave half its changes behind for the rows after it, and the dry run can still say what every row would do.
A row only sends the fields that differ from what is stored: an exported file read back changes nothing (no
audit row, no last_modified), and old values that today's checks would refuse are left alone.
"""
import csv
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from app import hsds, listings
from app.data import aanbod
from app.data.core import Wie, schrijf, verhoog_versie
from app.listings import LocationView, ServiceView
from app.models import Address, Location, Organization, Service, Taxonomy, TaxonomyTerm, zichtbare_organisatie
from app.seed import HEADER

# HSDS 3.0.0's tabular data package, unchanged from github.com/openreferral/specification (branch 3.0, commit
# 279fd2eb), CC BY-SA 4.0 (tests/hsds/LICENSE, SOURCES.md).
HSDS_DATAPACKAGE = Path(__file__).resolve().parent / "hsds-3.0-datapackage.json"

# The tables the public API shows, in the order a reader needs them (a foreign key points to an earlier table).
TABELLEN = ("organization", "location", "address", "service", "service_at_location", "phone", "schedule",
            "language", "taxonomy", "taxonomy_term", "attribute")
# Personal data stays out of the open data: who checked a listing is a person's e-mail address.
WEGLATEN = {("service", "assurer_email")}
# HSDS requires these, but our sources often do not give them; they are left empty rather than guessed.
NIET_VERPLICHT = {("organization", "description"), ("address", "address_1"), ("address", "postal_code")}
VAST_TIJDSTIP = (2026, 1, 1, 0, 0, 0)  # the same data gives the same zip bytes (and so the same ETag)

ADRES = ("straat", "huisnummer", "postcode", "plaats")
# aanbod's field names as the CSV's columns, so a refusal names the column the editor sees.
KOLOM = {"name": "naam", "description": "omschrijving_b1", "url": "website", "email": "email", "slug": "id",
         "bron_url": "bron_url", "zekerheid": "zekerheid", "laag": "laag", "themas": "themas", "phones": "telefoon",
         "schedules": "openingstijden", "organization_id": "organisatie", "addresses": "straat",
         "addresses[0].postal_code": "postcode", "addresses[0].city": "plaats", "languages": "talen"}


# --- export: HSDS tabular data package -------------------------------------------------------------------------

def _hsds_resources() -> list[dict]:
    """The HSDS 3.0 resource schemas of our tables, without what we leave out, and with foreign keys only to
    tables in the package."""
    with open(HSDS_DATAPACKAGE, encoding="utf-8") as f:
        alle = {r["name"]: r for r in json.load(f)["resources"]}
    out = []
    for naam in TABELLEN:
        r = json.loads(json.dumps(alle[naam]))
        velden = [v for v in r["schema"]["fields"] if (naam, v["name"]) not in WEGLATEN]
        for v in velden:
            if (naam, v["name"]) in NIET_VERPLICHT:
                v.get("constraints", {}).pop("required", None)
        r["schema"]["fields"] = velden
        r["schema"]["foreignKeys"] = [fk for fk in r["schema"].get("foreignKeys", [])
                                      if fk["reference"]["resource"] in TABELLEN]
        out.append(r)
    return out


def open_data_rijen(session: Session) -> dict[str, list[dict]]:
    """Per HSDS table the rows residents may see, in the shapes of the public API (app/hsds.py)."""
    service_ids = session.exec(select(Service.id).order_by(Service.slug)).all()
    services = listings.load_services(session, service_ids)
    location_ids = session.exec(select(Location.id).where(col(Location.verwijderd).is_(None))
                                .order_by(Location.slug)).all()
    locations = [hsds.location(lv) for lv in listings.load_locations(session, location_ids)]
    org_ids = {s.service.organization_id for s in services} | {lo.get("organization_id") for lo in locations}
    orgs = session.exec(select(Organization).where(col(Organization.id).in_(org_ids), zichtbare_organisatie())
                        .order_by(Organization.name, Organization.id)).all()
    rijen: dict[str, list[dict]] = {t: [] for t in TABELLEN}
    rijen["organization"] = [hsds.organization(o) for o in orgs]
    getoond = {o.id for o in orgs}
    for lo in locations:
        # A location of a deleted organisation is still a place; it only loses the link to what is not shown.
        rijen["location"].append(lo if lo.get("organization_id") in getoond else lo | {"organization_id": None})
        rijen["address"] += lo["addresses"]
        rijen["phone"] += lo["phones"]
        rijen["schedule"] += lo["schedules"]
    for v in services:
        s = hsds.service(v)
        rijen["service"].append(s)
        rijen["phone"] += s["phones"]
        rijen["schedule"] += s["schedules"]
        rijen["attribute"] += s["attributes"]
        rijen["language"] += s["languages"]
        rijen["service_at_location"] += s["service_at_locations"]
    # The API writes 09:00; a Table Schema "time" is ISO 8601 with seconds.
    rijen["schedule"] = [r | {k: f"{r[k]}:00" for k in ("opens_at", "closes_at") if k in r}
                         for r in rijen["schedule"]]
    taxonomies = session.exec(select(Taxonomy).order_by(Taxonomy.name)).all()
    namen = {t.id: t.name for t in taxonomies}
    rijen["taxonomy"] = [{"id": t.id, "name": t.name, "description": t.description} for t in taxonomies]
    rijen["taxonomy_term"] = [hsds.taxonomy_term(t, namen.get(t.taxonomy_id))
                              for t in session.exec(select(TaxonomyTerm).order_by(TaxonomyTerm.taxonomy_id,
                                                                                   TaxonomyTerm.code))]
    return rijen


def _csv(velden: list[str], rijen: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=velden, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for rij in rijen:
        writer.writerow({k: "" if rij.get(k) is None else rij[k] for k in velden})
    return out.getvalue().encode("utf-8")


def hsds_zip(session: Session, base_url: str) -> tuple[bytes, dict[str, int]]:
    """The open data set as an HSDS 3.0 tabular data package: one CSV per table and datapackage.json.
    Returns the zip and the number of rows per table."""
    resources = _hsds_resources()
    rijen = open_data_rijen(session)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for r in resources:
            inhoud = _csv([v["name"] for v in r["schema"]["fields"]], rijen[r["name"]])
            z.writestr(zipfile.ZipInfo(r["path"], VAST_TIJDSTIP), inhoud, zipfile.ZIP_DEFLATED)
        pakket = {
            "name": "wijkentree-hengelo-sociale-kaart",
            "title": "Sociale kaart Hengelo (Wijkentree Hengelo), Open Referral HSDS 3.0",
            "description": "De openbare vermeldingen van de digitale sociale kaart van Hengelo, als tabellen in de "
                           "vorm van Open Referral HSDS 3.0. Zonder persoonsgegevens. Onbekende velden zijn leeg. "
                           "Schema: Human Services Data Specification 3.0.0, an Open Referral resource "
                           "(https://openreferral.org/), CC BY-SA 4.0.",
            "profile": "tabular-data-package",
            "homepage": base_url,
            "version": "3.0.0",
            "resources": [r | {"profile": "tabular-data-resource", "format": "csv", "encoding": "utf-8"}
                          for r in resources],
        }
        z.writestr(zipfile.ZipInfo("datapackage.json", VAST_TIJDSTIP),
                   json.dumps(pakket, ensure_ascii=False, indent=2), zipfile.ZIP_DEFLATED)
    return buf.getvalue(), {t: len(rijen[t]) for t in TABELLEN}


# --- export: the beheer CSV ------------------------------------------------------------------------------------

def _locatie(v: ServiceView) -> LocationView | None:
    """The service's first location (by slug): the one whose address a CSV row carries."""
    return min(v.locations, key=lambda lv: lv.location.slug, default=None)


def _splits_adres(address_1: str) -> tuple[str, str]:
    """'Henry Woodstraat 62' -> ('Henry Woodstraat', '62'): the seed joined street and number with a space."""
    straat, _, nummer = address_1.rpartition(" ")
    return (straat, nummer) if straat and nummer[:1].isdigit() else (address_1, "")


def _tijden(v: ServiceView) -> str:
    return "; ".join(dict.fromkeys(s.description.strip() for s in v.schedules if s.description.strip()))


def csv_rij(v: ServiceView) -> dict[str, str]:
    """One service as a row of the seed CSV format."""
    s, lv = v.service, _locatie(v)
    a = lv.address if lv else None
    straat, huisnummer = _splits_adres(a.address_1) if a else ("", "")
    rij = {
        "id": s.slug, "naam": s.name, "organisatie": v.organization.name if v.organization else "", "soort": s.soort,
        "laag": ";".join(v.codes("laag")), "themas": ";".join(v.codes("thema")), "straat": straat,
        "huisnummer": huisnummer, "postcode": a.postal_code if a else "", "plaats": a.city if a else "",
        "telefoon": ";".join(p.number for p in v.phones), "email": s.email or "", "website": s.url or "",
        "openingstijden": _tijden(v), "omschrijving_b1": s.description, "bron_url": s.bron_url,
        "bron_jaar": str(s.bron_jaar) if s.bron_jaar is not None else "onbekend", "zekerheid": s.zekerheid,
    }
    return {k: (w or "").strip() for k, w in rij.items()}


def _alle_diensten(session: Session) -> list[ServiceView]:
    ids = session.exec(select(Service.id).where(col(Service.verwijderd).is_(None)).order_by(Service.slug)).all()
    return listings.load_services(session, ids, alles=True)


def beheer_csv(session: Session) -> tuple[str, int]:
    """Every listing that is not deleted (any status), as the seed CSV: (the text, the number of rows)."""
    rijen = [csv_rij(v) for v in _alle_diensten(session)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rijen)
    return out.getvalue(), len(rijen)


# --- import: reading the file ----------------------------------------------------------------------------------

class Onleesbaar(ValueError):
    """The file is not a CSV we can read (422): the message says what is wrong and what to do."""


def lees_csv(inhoud: bytes) -> list[dict[str, str]]:
    try:
        tekst = inhoud.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Onleesbaar("Het bestand is geen UTF-8-tekst. Sla het op als 'CSV UTF-8' en stuur het opnieuw. "
                         "Er is niets opgeslagen.") from None
    try:
        reader = csv.reader(io.StringIO(tekst, newline=""), strict=True)
        kop = next(reader, None)
        if kop is None:
            raise Onleesbaar("Het bestand is leeg. Stuur een CSV met een kopregel en rijen. Er is niets opgeslagen.")
        kop = [k.strip() for k in kop]
        mist = [k for k in HEADER if k not in kop]
        if mist:
            raise Onleesbaar(f"De kopregel mist de kolom(men): {', '.join(mist)}. Gebruik de kolommen van "
                             "/api/v1/beheer/export.csv. Er is niets opgeslagen.")
        rijen = []
        for nr, waarden in enumerate(reader, start=2):
            if not any(w.strip() for w in waarden):
                continue
            if len(waarden) != len(kop):
                raise Onleesbaar(f"Rij {nr} heeft {len(waarden)} velden, de kopregel {len(kop)}. Staat er een komma "
                                 "in een tekst zonder aanhalingstekens? Zet die tekst tussen \"...\". Er is niets "
                                 "opgeslagen.")
            rijen.append({k: w.strip() for k, w in zip(kop, waarden, strict=True)} | {"_rij": str(nr)})
    except csv.Error as e:
        raise Onleesbaar(f"Dit is geen goede CSV (bij rij {reader.line_num}): vaak een aanhalingsteken dat niet "
                         "wordt gesloten. Controleer het bestand en stuur het opnieuw. Er is niets "
                         "opgeslagen.") from e
    return rijen


MAX_UITGEPAKT = 200_000_000  # a zip that unpacks to more than this is refused (a zip bomb)


def _zip_tabel(z: zipfile.ZipFile, pad: str, nodig: bool = False) -> list[dict[str, str]]:
    if pad not in z.namelist():
        if nodig:
            raise Onleesbaar(f"In de zip staat geen {pad}. Stuur een HSDS 3.0-datapakket zoals "
                             "/api/v1/export/hsds.zip. Er is niets opgeslagen.")
        return []
    try:
        tekst = z.read(pad).decode("utf-8-sig")
        rijen = list(csv.DictReader(io.StringIO(tekst, newline=""), strict=True))
    except (UnicodeDecodeError, csv.Error):
        raise Onleesbaar(f"{pad} in de zip is geen goede CSV in UTF-8. Controleer het bestand en stuur het "
                         "opnieuw. Er is niets opgeslagen.") from None
    return [{k: (w or "").strip() for k, w in r.items() if k is not None} for r in rijen]


def lees_hsds_zip(session: Session, inhoud: bytes) -> list[dict[str, str]]:
    """An HSDS 3.0 tabular data package (zip) as rows of the CSV format, one per service in services.csv.

    A service is matched by its HSDS id; a new one gets a slug made from its name. What HSDS does not have
    (soort, source, certainty) stays as it is stored, or empty for a new service. Row numbers are those of
    services.csv."""
    try:
        z = zipfile.ZipFile(io.BytesIO(inhoud))
    except zipfile.BadZipFile:
        raise Onleesbaar("Dit is geen goed zip-bestand. Stuur een HSDS 3.0-datapakket zoals /api/v1/export/hsds.zip. "
                         "Er is niets opgeslagen.") from None
    if sum(i.file_size for i in z.infolist()) > MAX_UITGEPAKT:
        raise Onleesbaar("Uitgepakt is deze zip te groot. Stuur een kleiner bestand. Er is niets opgeslagen.")
    services = _zip_tabel(z, "services.csv", nodig=True)
    if services and not {"id", "name"} <= set(services[0]):
        raise Onleesbaar("services.csv mist de kolommen id en name. Er is niets opgeslagen.")
    orgs = {r.get("id"): r.get("name", "") for r in _zip_tabel(z, "organizations.csv")}
    adressen = {r.get("location_id"): r for r in reversed(_zip_tabel(z, "addresses.csv"))}
    taxonomie = {r.get("id"): r.get("name", "") for r in _zip_tabel(z, "taxonomies.csv")}
    termen = {r.get("id"): (r.get("taxonomy") or taxonomie.get(r.get("taxonomy_id"), ""), r.get("code", ""))
              for r in _zip_tabel(z, "taxonomy_terms.csv")}
    per_dienst: dict[str, dict[str, list]] = {}
    for tabel, sleutel in (("phones.csv", "service_id"), ("schedules.csv", "service_id"),
                           ("service_at_location.csv", "service_id"), ("attributes.csv", "link_id"),
                           ("languages.csv", "service_id")):
        for r in _zip_tabel(z, tabel):
            per_dienst.setdefault(r.get(sleutel, ""), {}).setdefault(tabel, []).append(r)
    bestaand = {x.id: x for x in session.exec(select(Service).where(col(Service.id).in_([r["id"] for r in services])))}
    met_talen = "languages.csv" in z.namelist()
    locatie_slugs = dict(session.exec(select(Location.id, Location.slug)).all())
    bezet = set(session.exec(select(Service.slug)).all())
    rijen = []
    for nr, r in enumerate(services, start=2):
        eigen, oud = per_dienst.get(r["id"], {}), bestaand.get(r["id"])
        if oud is None:
            slug = _vrij(aanbod._slugify(r["name"]), bezet)
            bezet.add(slug)
        sals = sorted(eigen.get("service_at_location.csv", []),
                      key=lambda sal: locatie_slugs.get(sal.get("location_id"), "~" + sal.get("location_id", "")))
        adres = adressen.get(sals[0].get("location_id")) if sals else None
        straat, huisnummer = _splits_adres(adres.get("address_1", "")) if adres else ("", "")
        codes = [termen.get(a.get("taxonomy_term_id"), ("", "")) for a in eigen.get("attributes.csv", [])]
        rijen.append({
            "id": oud.slug if oud else slug, "naam": r["name"], "organisatie": orgs.get(r.get("organization_id"), ""),
            "soort": oud.soort if oud else "", "laag": ";".join(c for t, c in codes if t == "laag"),
            "themas": ";".join(c for t, c in codes if t == "thema"), "straat": straat, "huisnummer": huisnummer,
            "postcode": adres.get("postal_code", "") if adres else "", "plaats": adres.get("city", "") if adres else "",
            "telefoon": ";".join(p.get("number", "") for p in eigen.get("phones.csv", [])),
            "email": r.get("email", ""), "website": r.get("url", ""),
            "openingstijden": "; ".join(dict.fromkeys(d for x in eigen.get("schedules.csv", [])
                                                      if (d := x.get("description", "")))),
            "omschrijving_b1": r.get("description", ""), "bron_url": oud.bron_url if oud else "",
            "bron_jaar": str(oud.bron_jaar) if oud and oud.bron_jaar is not None else "onbekend",
            "zekerheid": oud.zekerheid if oud else "", "_rij": str(nr),
        } | ({"_talen": [{"code": x.get("code", ""), "name": x.get("name") or None, "note": x.get("note", "")}
                         for x in eigen.get("languages.csv", [])]} if met_talen else {}))
    return rijen


def _vrij(basis: str, bezet: set[str]) -> str:
    slug, n = basis, 1
    while slug in bezet:
        n += 1
        slug = f"{basis}-{n}"
    return slug


# --- import: one row -------------------------------------------------------------------------------------------

class Geweigerd(Exception):
    def __init__(self, fouten: list[dict]) -> None:
        super().__init__(fouten)
        self.fouten = fouten


@dataclass
class Uitslag:
    rij: int
    id: str
    actie: str  # nieuw | gewijzigd | ongewijzigd | geweigerd
    velden: list[str]
    fouten: list[dict]
    waarschuwingen: list[dict]


def _jaar(tekst: str) -> int | None:
    if tekst.isdigit() and len(tekst) == 4:
        return int(tekst)
    if tekst in ("", "onbekend"):
        return None
    raise Geweigerd([{"kolom": "bron_jaar", "msg": "Schrijf het jaar van de bron, zoals 2024, of 'onbekend'."}])


def _lijst(tekst: str) -> list[str]:
    return [d.strip() for d in tekst.split(";") if d.strip()]


def _verschil(nieuw: dict[str, str], oud: dict[str, str]) -> list[str]:
    """The columns whose meaning differs (order of themes and numbers, 'onbekend' or empty year: the same)."""
    anders = []
    for k in HEADER[1:]:
        a, b = nieuw[k], oud[k]
        if k in ("themas", "telefoon", "laag"):
            a, b = sorted(_lijst(a)), sorted(_lijst(b))
        elif k == "bron_jaar":
            a, b = (a if a not in ("", "onbekend") else ""), (b if b not in ("", "onbekend") else "")
        elif k == "organisatie":
            a, b = a or nieuw["naam"], b
        if a != b:
            anders.append(k)
    return anders


def _organisatie(session: Session, wie: Wie, naam: str) -> str:
    """The id of the organisation with this name; a new one when there is none."""
    org_id = session.exec(select(Organization.id).where(Organization.name == naam, zichtbare_organisatie())
                          .order_by(Organization.id)).first()
    return org_id or aanbod.maak(session, wie, "organization", {"name": naam})[0]


def _adres(rij: dict[str, str]) -> list[dict]:
    if not any(rij[k] for k in ADRES):
        return []
    return [{"address_1": " ".join(filter(None, [rij["straat"], rij["huisnummer"]])),
             "postal_code": rij["postcode"], "city": rij["plaats"] or "Hengelo"}]


def _schedules(v: ServiceView | None, tekst: str) -> list[dict]:
    """The weekly rules and closed periods stay, with the new words; words alone become one schedule."""
    vast = [{"notes": None} | hsds.schedule(s) | {"description": tekst} for s in (v.schedules if v else [])
            if s.opens_at is not None or s.gesloten]
    # "notes" always sent: aanbod's PATCH reads it from every schedule (a KeyError when it was left out).
    return vast or ([{"notes": None, "description": tekst}] if tekst else [])


def _vrije_slug(session: Session, basis: str) -> str:
    """A location slug named after the row, chosen here: aanbod's own choice of a free slug can hit a taken one
    first (the strict xfail in tests/test_beheer_api.py)."""
    bezet = set(session.exec(select(Location.slug).where(col(Location.slug).startswith(basis))).all())
    return _vrij(basis, bezet)


def _koppel_plek(session: Session, wie: Wie, service_id: str, rij: dict, org_id: str) -> None:
    """A service that gets an address: the location at that address, or a new one, linked to the service."""
    adres = _adres(rij)
    if not adres:
        return
    loc_id = session.exec(select(Location.id).join(Address, Address.location_id == Location.id).where(
        Address.address_1 == adres[0]["address_1"], Address.city == adres[0]["city"],
        col(Location.verwijderd).is_(None)).order_by(Location.slug)).first()
    if loc_id is None:
        loc_id, _ = aanbod.maak(session, wie, "location", {"name": rij["naam"], "organization_id": org_id,
                                                           "slug": _vrije_slug(session, rij["id"]),
                                                           "location_type": "physical", "addresses": adres})
    aanbod.maak(session, wie, "service_at_location", {"service_id": service_id, "location_id": loc_id})


def _talen_anders(rij: dict, v: ServiceView | None) -> list[str]:
    """["talen"] when a zip's languages.csv says other languages than are stored; the beheer CSV has no languages,
    and a zip without languages.csv leaves them as they are."""
    if "_talen" not in rij:
        return []
    zip_ = sorted((x["code"].lower(), x["name"] or "", x["note"]) for x in rij["_talen"])
    if v is not None and zip_ == sorted((x.code, x.name, x.note) for x in v.languages):
        return []
    return ["talen"]


def _velden(rij: dict, anders: list[str], v: ServiceView | None) -> dict:
    """What aanbod gets for the columns that changed."""
    data: dict = {}
    for kolom, veld in (("naam", "name"), ("omschrijving_b1", "description"), ("website", "url"),
                        ("email", "email"), ("bron_url", "bron_url"), ("zekerheid", "zekerheid"), ("laag", "laag")):
        if kolom in anders:
            data[veld] = rij[kolom] or None
    if "themas" in anders:
        data["themas"] = _lijst(rij["themas"])
    if "telefoon" in anders:
        data["phones"] = [{"number": n} for n in _lijst(rij["telefoon"])]
    if "openingstijden" in anders:
        data["schedules"] = _schedules(v, rij["openingstijden"])
    if "talen" in anders:
        data["languages"] = rij["_talen"]
    return data


def _eigen_velden(session: Session, wie: Wie, service_id: str, rij: dict, anders: list[str]) -> None:
    """soort and bron_jaar are ours, not in the API's shape: set here, in the same transaction and audited."""
    if not {"soort", "bron_jaar"} & set(anders):
        return
    if len(rij["soort"]) > 40:
        raise Geweigerd([{"kolom": "soort", "msg": "Deze soort is te lang. Gebruik hoogstens 40 tekens."}])
    with schrijf(session, wie) as w:
        voor = w.foto("service", service_id)
        service = session.get(Service, service_id)
        service.soort, service.bron_jaar = rij["soort"], _jaar(rij["bron_jaar"])
        session.add(service)
        w.vastleggen("geïmporteerd", "service", service_id, voor)


def _verwerk(session: Session, wie: Wie, rij: dict) -> Uitslag:
    nr, slug = int(rij["_rij"]), rij["id"]
    service = session.exec(select(Service).where(Service.slug == slug)).first()
    if service is not None and service.verwijderd is not None:
        raise aanbod.NietMogelijk("Deze dienst is verwijderd. Herstel hem eerst in beheer, of geef de rij een "
                                  "andere id.")
    v = listings.load_services(session, [service.id], alles=True)[0] if service else None
    _jaar(rij["bron_jaar"])
    anders = (_verschil(rij, csv_rij(v)) if v else list(HEADER[1:])) + _talen_anders(rij, v)
    if v and not anders:
        return Uitslag(nr, slug, "ongewijzigd", [], [], [])
    if v and not wie.mag_wijzigen(service.organization_id):
        raise aanbod.GeenToegang(service.organization_id)
    data = _velden(rij, anders, v)
    if "organisatie" in anders:
        data["organization_id"] = _organisatie(session, wie, rij["organisatie"] or rij["naam"])
    if v is None:
        service_id, waarschuwingen = aanbod.maak(session, wie, "service", data | {"slug": slug, "status": "active"})
        _koppel_plek(session, wie, service_id, rij, data["organization_id"])
    else:
        service_id = service.id
        waarschuwingen = aanbod.wijzig(session, wie, "service", service_id, data, None) if data else []
        if set(ADRES) & set(anders):
            lv = _locatie(v)
            if lv is None:
                _koppel_plek(session, wie, service_id, rij, service.organization_id)
            else:
                waarschuwingen += aanbod.wijzig(session, wie, "location", lv.location.id,
                                                {"addresses": _adres(rij)}, None)
    _eigen_velden(session, wie, service_id, rij, anders)
    return Uitslag(nr, slug, "nieuw" if v is None else "gewijzigd", [] if v is None else anders, [], waarschuwingen)


def _kolom(veld: str) -> str:
    return KOLOM.get(veld) or KOLOM.get(veld.split("[")[0].split(".")[0], veld)


def _geweigerd(nr: int, slug: str, e: Exception) -> Uitslag:
    if isinstance(e, aanbod.Ongeldig):
        fouten = [{"kolom": _kolom(f["veld"]), "msg": f["msg"]} for f in e.fouten]
    elif isinstance(e, Geweigerd):
        fouten = e.fouten
    elif isinstance(e, aanbod.GeenToegang):
        fouten = [{"kolom": "organisatie", "msg": "U mag de vermeldingen van deze organisatie niet wijzigen. Vraag "
                                                  "een beheerder van Wijkracht om toegang, als dat nodig is."}]
    else:
        fouten = [{"kolom": "id", "msg": str(e)}]
    return Uitslag(nr, slug, "geweigerd", [], fouten, [])


# --- import: the whole file ------------------------------------------------------------------------------------

def importeer(session: Session, wie: Wie, rijen: list[dict[str, str]], proef: bool, bron: str = "") -> dict:
    """Every row, all in one transaction: written only when no row is refused and it is not a dry run (`proef`).
    Rows missing from the file are left as they are (an import adds and changes, it never deletes). `bron`: the
    file the row numbers are of, when it is not the file that was sent (services.csv in a zip)."""
    uitslagen: list[Uitslag] = []
    gezien: dict[str, int] = {}
    with schrijf(session, wie, versie_ophogen=False) as w:
        # Raised first, not last: on SQLite this write opens the real transaction, so the savepoints below nest
        # inside it (the driver starts a transaction only at the first write, and a first SAVEPOINT would be one).
        verhoog_versie(session)
        for rij in rijen:
            nr, slug = int(rij["_rij"]), rij["id"]
            if slug in gezien:
                uitslagen.append(_geweigerd(nr, slug, Geweigerd([{"kolom": "id", "msg": f"Deze id staat ook in rij "
                                                                  f"{gezien[slug]}. Geef elke rij een eigen id."}])))
                continue
            gezien[slug] = nr
            try:
                with session.begin_nested():
                    uitslagen.append(_verwerk(session, wie, rij))
            except (aanbod.Ongeldig, aanbod.GeenToegang, aanbod.NietMogelijk, Geweigerd) as e:
                uitslagen.append(_geweigerd(nr, slug, e))
        geweigerd = [u.rij for u in uitslagen if u.actie == "geweigerd"]
        veranderd = any(u.actie in ("nieuw", "gewijzigd") for u in uitslagen)
        w.terugdraaien = proef or bool(geweigerd) or not veranderd
    telling = {a: sum(u.actie == a for u in uitslagen) for a in ("nieuw", "gewijzigd", "ongewijzigd", "geweigerd")}
    opgeslagen = not w.terugdraaien
    if geweigerd:
        melding = (f"{len(geweigerd)} rij(en) geweigerd: rij {', '.join(map(str, geweigerd))}"
                   f"{' van ' + bron if bron else ''}. Er is niets "
                   "opgeslagen. Verbeter die rijen (zie 'fouten') en stuur het bestand opnieuw.")
    elif proef:
        melding = ("Proef: er is niets opgeslagen. Zo ziet u wat er zou veranderen. Stuur het bestand zonder "
                   "dry_run om het op te slaan.")
    elif opgeslagen:
        melding = f"Opgeslagen: {telling['nieuw']} nieuw en {telling['gewijzigd']} gewijzigd."
    else:
        melding = "Er was niets te veranderen: alles in het bestand staat al zo op de sociale kaart."
    return {"detail": melding, "dry_run": proef, "opgeslagen": opgeslagen, "aantallen": telling,
            "rijen": [u.__dict__ for u in uitslagen]}

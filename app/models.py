"""Tables, modelled on Open Referral HSDS 3.0, plus wijk, buurt and the anonymous vraagwijzer counts.

Ids are UUID strings (HSDS asks for UUIDs; strings keep SQLite and PostgreSQL alike).
Our own additions to HSDS entities are Dutch field names, so they stand out from the standard ones.
"""
import uuid
from datetime import UTC, date, datetime, time

from sqlmodel import Field, SQLModel, UniqueConstraint


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class Organization(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(index=True, max_length=255)
    description: str = ""
    email: str | None = Field(default=None, max_length=255)
    website: str | None = Field(default=None, max_length=500)
    # Soft delete: beheer never removes a row, it sets this; every public read leaves such rows out.
    verwijderd: datetime | None = None
    last_modified: datetime = Field(default_factory=utcnow)


class Wijk(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=8)  # CBS code, e.g. WK016405
    naam: str = Field(max_length=100)  # short name, "Berflo Es"
    slug: str = Field(unique=True, max_length=100)
    geometry: str  # GeoJSON geometry in WGS84


class Buurt(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=10)  # CBS code, e.g. BU01640501
    naam: str = Field(max_length=100)
    wijk_code: str = Field(foreign_key="wijk.code", index=True, max_length=8)
    geometry: str


class Location(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    slug: str = Field(unique=True, index=True, max_length=120)
    organization_id: str | None = Field(default=None, foreign_key="organization.id", max_length=36)
    location_type: str = Field(default="physical", max_length=20)  # HSDS: physical | virtual | postal
    name: str = Field(max_length=255)
    description: str = ""
    latitude: float | None = None
    longitude: float | None = None
    # How the point was found: exact (a source states it), benadering (postcode or named area), geen.
    plaatsing: str = Field(default="geen", max_length=12)
    plaatsing_bron: str = ""
    wijk_code: str | None = Field(default=None, foreign_key="wijk.code", index=True, max_length=8)
    buurt_code: str | None = Field(default=None, foreign_key="buurt.code", max_length=10)
    is_wijkentree: bool = Field(default=False, index=True)
    accessibility: str = ""
    verwijderd: datetime | None = None
    last_modified: datetime = Field(default_factory=utcnow)


class Address(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    location_id: str = Field(foreign_key="location.id", index=True, max_length=36)
    address_1: str = Field(default="", max_length=255)  # street and number as the source gives them
    city: str = Field(default="", max_length=100)
    postal_code: str = Field(default="", max_length=10)
    state_province: str = Field(default="Overijssel", max_length=100)
    country: str = Field(default="NL", max_length=2)
    address_type: str = Field(default="physical", max_length=20)


class Service(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    slug: str = Field(unique=True, index=True, max_length=120)
    organization_id: str | None = Field(default=None, foreign_key="organization.id", index=True, max_length=36)
    name: str = Field(max_length=255)
    description: str = ""
    url: str | None = Field(default=None, max_length=500)
    email: str | None = Field(default=None, max_length=255)
    status: str = Field(default="active", max_length=20)
    soort: str = Field(default="", max_length=40)  # the source's kind: wijkcentrum, wijkteam, ...
    # Source of the listing: where the facts come from and how sure the seed is.
    bron_url: str = ""
    bron_jaar: int | None = None
    zekerheid: str = Field(default="laag", max_length=10)  # hoog | middel | laag
    # HSDS assured_date: when a person last confirmed the listing. Empty until Wijkracht does.
    assured_date: date | None = None
    assurer_email: str | None = Field(default=None, max_length=255)
    verwijderd: datetime | None = None
    last_modified: datetime = Field(default_factory=utcnow, index=True)


class ServiceAtLocation(SQLModel, table=True):
    __tablename__ = "service_at_location"
    __table_args__ = (UniqueConstraint("service_id", "location_id"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    service_id: str = Field(foreign_key="service.id", index=True, max_length=36)
    location_id: str = Field(foreign_key="location.id", index=True, max_length=36)


class Phone(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    service_id: str | None = Field(default=None, foreign_key="service.id", index=True, max_length=36)
    location_id: str | None = Field(default=None, foreign_key="location.id", index=True, max_length=36)
    number: str = Field(max_length=40)
    description: str = ""


class Schedule(SQLModel, table=True):
    """One weekly rule (freq WEEKLY, byday, opens_at/closes_at), or a closed period (gesloten, valid_from..valid_to).

    `description` keeps the source's own words, also when they could not be turned into rules.
    """
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    service_id: str | None = Field(default=None, foreign_key="service.id", index=True, max_length=36)
    location_id: str | None = Field(default=None, foreign_key="location.id", index=True, max_length=36)
    freq: str | None = Field(default=None, max_length=10)
    byday: str | None = Field(default=None, max_length=40)  # "MO,TU"
    opens_at: time | None = None
    closes_at: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    gesloten: bool = False
    feestdagen_gesloten: bool = False
    description: str = ""


class Language(SQLModel, table=True):
    """HSDS 3.0 language: a language spoken at a service (or a location), not one only through an interpreter.

    Only what an editor entered in beheer (app/data/aanbod.py); the seed has none. HSDS's phone_id is left out:
    a service's phones are replaced at every save (aanbod._vervang_kinderen), so a language could not stay
    linked to one.
    """
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    service_id: str | None = Field(default=None, foreign_key="service.id", index=True, max_length=36)
    location_id: str | None = Field(default=None, foreign_key="location.id", index=True, max_length=36)
    name: str = Field(max_length=100)  # in Dutch, as HSDS's API shows it: "Engels"
    code: str = Field(max_length=3)  # ISO 639-1 or 639-3, lower case (app/gesproken.py)
    note: str = Field(default="", max_length=500)


class Vertaling(SQLModel, table=True):
    """Not HSDS: a listing's own name or description in a language of the resident pages, entered by an editor.

    HSDS 3.0 has one text per field and no translations of it; the API shows these as our own `vertalingen`
    key. Without a row the resident pages show the Dutch text, marked lang="nl" (app/gesproken.py).
    """
    __table_args__ = (UniqueConstraint("service_id", "taal", "veld"),)
    id: int | None = Field(default=None, primary_key=True)
    service_id: str = Field(foreign_key="service.id", index=True, max_length=36)
    taal: str = Field(max_length=3)  # a code of app/taal.py VERTAALD
    veld: str = Field(max_length=20)  # name | description
    tekst: str


class Taxonomy(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(unique=True, max_length=50)  # laag | thema
    description: str = ""


class TaxonomyTerm(SQLModel, table=True):
    __tablename__ = "taxonomy_term"
    __table_args__ = (UniqueConstraint("taxonomy_id", "code"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    taxonomy_id: str = Field(foreign_key="taxonomy.id", index=True, max_length=36)
    code: str = Field(max_length=50)
    name: str = Field(max_length=100)  # B1 label
    description: str = ""  # short B1 explanation


class Attribute(SQLModel, table=True):
    """HSDS attribute: links a taxonomy term to a service."""
    __table_args__ = (UniqueConstraint("link_id", "taxonomy_term_id"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    link_id: str = Field(index=True, max_length=36)
    link_type: str = Field(default="service", max_length=20)
    taxonomy_term_id: str = Field(foreign_key="taxonomy_term.id", index=True, max_length=36)


class VraagwijzerTelling(SQLModel, table=True):
    """Anonymous counts: one row per week x thema x wijk x route. Never free text, never a postcode."""
    __tablename__ = "vraagwijzer_telling"
    __table_args__ = (UniqueConstraint("week", "thema", "wijk_code", "route"),)
    id: int | None = Field(default=None, primary_key=True)
    week: str = Field(max_length=8)  # ISO week, "2026-W48"
    thema: str = Field(max_length=50)
    wijk_code: str = Field(default="onbekend", max_length=10)
    route: str = Field(max_length=30)
    aantal: int = 0


# --- Beheer: the data version, accounts, sessions, tokens, audit, residents' reports, throttles --------------

class DataVersie(SQLModel, table=True):
    """One row: a number that every write of listing data raises in its own transaction (app/data.py).

    Every cache and the search index follow it, in every worker and replica, so nothing depends on a writer
    remembering to touch last_modified.
    """
    __tablename__ = "data_versie"
    id: int = Field(default=1, primary_key=True)
    versie: int = 0


class Gebruiker(SQLModel, table=True):
    """A person who logs in to beheer: beheerder, redacteur or medewerker (app/toegang.py)."""
    __tablename__ = "gebruiker"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    email: str = Field(unique=True, index=True, max_length=255)  # kept in lower case
    naam: str = Field(max_length=100)
    rol: str = Field(max_length=20)
    wachtwoord_hash: str = Field(max_length=255)
    actief: bool = True
    aangemaakt: datetime = Field(default_factory=utcnow)
    wachtwoord_gewijzigd: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    """A machine's bearer token. Only a SHA-256 of the token is kept; the token itself is shown once."""
    __tablename__ = "api_token"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    naam: str = Field(unique=True, max_length=100)
    rol: str = Field(max_length=20)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    aangemaakt: datetime = Field(default_factory=utcnow)
    verloopt: datetime
    ingetrokken: datetime | None = None
    laatst_gebruikt: datetime | None = None


class Toegang(SQLModel, table=True):
    """Which organisations' listings a redacteur (a person or a token: `houder_id`) may change."""
    houder_id: str = Field(primary_key=True, max_length=36)
    organization_id: str = Field(primary_key=True, foreign_key="organization.id", max_length=36)


class Sessie(SQLModel, table=True):
    """A logged-in browser. The cookie holds a random value; only its SHA-256 is kept here."""
    id: str = Field(primary_key=True, max_length=64)  # sha256 hex of the cookie value
    gebruiker_id: str = Field(foreign_key="gebruiker.id", index=True, max_length=36)
    csrf: str = Field(max_length=64)
    aangemaakt: datetime = Field(default_factory=utcnow)
    laatst_gebruikt: datetime = Field(default_factory=utcnow)


class Audit(SQLModel, table=True):
    """Who changed what and when, with the object before and after (JSON), written in the change's transaction."""
    id: int | None = Field(default=None, primary_key=True)
    tijd: datetime = Field(default_factory=utcnow, index=True)
    wie: str = Field(max_length=255)  # the person's e-mail or the token's name, as it was then
    wie_id: str | None = Field(default=None, max_length=36)
    actie: str = Field(max_length=30)  # aangemaakt | gewijzigd | verwijderd | hersteld | gecontroleerd | ...
    object_type: str = Field(max_length=40)
    object_id: str = Field(index=True, max_length=36)
    voor: str | None = None  # JSON
    na: str | None = None  # JSON


class Melding(SQLModel, table=True):
    """A resident's report that a listing is wrong ("Klopt er iets niet?"). No personal data: what, and a remark."""
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    service_id: str | None = Field(default=None, foreign_key="service.id", index=True, max_length=36)
    location_id: str | None = Field(default=None, foreign_key="location.id", index=True, max_length=36)
    organization_id: str | None = Field(default=None, foreign_key="organization.id", index=True, max_length=36)
    wat: str = Field(max_length=20)  # adres | telefoon | tijden | gesloten | anders (app/data/meldingen.SOORTEN)
    opmerking: str = Field(default="", max_length=500)
    aangemaakt: datetime = Field(default_factory=utcnow, index=True)
    afgehandeld: datetime | None = None
    afgehandeld_door: str | None = Field(default=None, max_length=255)


class Drempel(SQLModel, table=True):
    """Rate limits and login throttles, shared by every worker and replica: hits per key per time window.

    The key never holds a password or an address in clear: app/throttle.py hashes it.
    """
    sleutel: str = Field(primary_key=True, max_length=64)
    venster: int = Field(primary_key=True)  # window start, seconds since the epoch
    aantal: int = 0


# --- What residents see -----------------------------------------------------------------------------------
# HSDS service statuses a resident sees; "inactive" and "defunct" listings stay in beheer only.
PUBLIEKE_STATUS = ("active", "temporarily closed")


def zichtbare_dienst():
    """SQL condition: a service residents and the public API see (not deleted, a public status)."""
    return Service.verwijderd.is_(None) & Service.status.in_(PUBLIEKE_STATUS)  # type: ignore[union-attr]


def zichtbare_locatie():
    return Location.verwijderd.is_(None)  # type: ignore[union-attr]


def zichtbare_organisatie():
    return Organization.verwijderd.is_(None)  # type: ignore[union-attr]


# --- The digital front door and the wijkanalyse ------------------------------------------------------------

class Contactverzoek(SQLModel, table=True):
    """A resident's question or call-back request to a wijkentree (/contact).

    Personal fields (name, phone, e-mail, postcode, question, moment) are only stored encrypted, together, in
    `versleuteld` (app/contact.py); `contact_hash` (a keyed hash of the phone or e-mail) lets a resident
    withdraw with the reference without us reading the data. Deleted after the retention period.
    """
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    referentie: str = Field(unique=True, index=True, max_length=12)
    soort: str = Field(max_length=20)  # vraag | terugbellen
    thema: str = Field(max_length=50)
    location_id: str | None = Field(default=None, foreign_key="location.id", index=True, max_length=36)
    versleuteld: str
    contact_hash: str = Field(max_length=64)
    status: str = Field(default="nieuw", max_length=20, index=True)  # nieuw | opgepakt | afgehandeld
    opgepakt_door: str | None = Field(default=None, max_length=255)
    aangemaakt: datetime = Field(default_factory=utcnow, index=True)
    opgepakt: datetime | None = None
    afgehandeld: datetime | None = None


class ZoekTelling(SQLModel, table=True):
    """Searches that found nothing: the normalised words only, counted per ISO week (never a time or a postcode)."""
    __tablename__ = "zoek_telling"
    __table_args__ = (UniqueConstraint("week", "vraag"),)
    id: int | None = Field(default=None, primary_key=True)
    week: str = Field(max_length=8)
    vraag: str = Field(max_length=100)
    aantal: int = 0

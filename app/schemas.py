"""What the admin API accepts, in the families of full-stack-fastapi-template: XCreate (POST and PUT: the whole
object) and XUpdate (PATCH: only what is sent changes; a nested list that is sent replaces the old one).

HSDS field names; themes and laag as codes. Unknown fields are refused (`extra="forbid"`), so a typing error
in a field name never gets lost silently. The checks per field are in app/validatie.py; the checks that need
the database (does the organisation or the thema exist) are in app/data/aanbod.py. What the API returns is
the public HSDS shape (app/hsds.py) plus `verwijderd`.
"""
from datetime import date, time
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator
from sqlmodel import SQLModel

from app import gesproken, taal, validatie

Tekst = Field(default="", max_length=5000)


# Pydantic trims Unicode's White_Space before it counts, so a required text needs one character besides those.
_GEEN_SPATIE = r"[^\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# Fields that app/validatie.py checks (the validators below), and the pattern that says what it accepts.
_GECONTROLEERD = {"website": "url", "url": "url", "bron_url": "url", "email": "email", "number": "telefoon",
                  "byday": "dagen", "opens_at": "tijd", "closes_at": "tijd", "postal_code": "postcode"}
# Fields with a taxonomy's codes; aanbod checks them against the database, which holds the seed's.
_CODES = {"laag": "laag", "themas": "thema"}


def _openapi(schema: dict) -> None:
    """The model's JSON Schema (and so the OpenAPI) says what the checks accept, not only the JSON types: a
    generated request that fits it is saved, one that does not gets the Dutch 422."""
    from app.seed import load_taxonomies  # late: the seed imports the data layer, which imports this module

    for naam, veld in schema.get("properties", {}).items():
        tekst = next((v for v in veld.get("anyOf", [veld]) if v.get("type") in ("string", "array")), {})
        if naam in _GECONTROLEERD:
            tekst.pop("format", None)  # "time": the check takes 09:00, not 09:00:00Z
            tekst["type"], tekst["pattern"] = "string", validatie.PATRONEN[_GECONTROLEERD[naam]]
        elif naam in _CODES:
            doel = tekst.get("items", tekst)
            doel["enum"] = list(load_taxonomies()[_CODES[naam]]["terms"])
        elif tekst.get("minLength", 0) >= 1 and "pattern" not in tekst:
            tekst["pattern"] = _GEEN_SPATIE


class Strikt(SQLModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra=_openapi)


def _leeg_is_geen(waarde):
    return None if waarde == "" else waarde


# --- nested: phones, schedules, addresses --------------------------------------------------------------------

class Teruggestuurd(Strikt):
    """The ids a GET shows on a nested row: accepted, so an answer can be edited and sent back, and ignored (the
    list that is sent replaces the old rows)."""
    id: str | None = Field(default=None, max_length=36)
    service_id: str | None = Field(default=None, max_length=36)
    location_id: str | None = Field(default=None, max_length=36)


class PhoneIn(Teruggestuurd):
    number: str = Field(max_length=40)
    description: str = Field(default="", max_length=255)

    @field_validator("number")
    @classmethod
    def _number(cls, v: str) -> str:
        return validatie.telefoon(v)


class ScheduleIn(Teruggestuurd):
    """A weekly rule (byday + opens_at/closes_at), a closed period (notes "gesloten", valid_from..valid_to), or
    only the words (description) when the hours do not fit a rule. closes_at is later than opens_at, valid_to not
    before valid_from, and each day is named once (a 422 otherwise)."""
    freq: Literal["WEEKLY"] | None = None
    byday: str | None = Field(default=None, max_length=40)
    opens_at: time | None = None
    closes_at: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    notes: Literal["gesloten"] | None = None
    description: str = Field(default="", max_length=500)

    @field_validator("byday", mode="before")
    @classmethod
    def _byday(cls, v):
        v = _leeg_is_geen(v)
        return None if v is None else validatie.dagen(str(v))

    @field_validator("opens_at", "closes_at", mode="before")
    @classmethod
    def _tijd(cls, v):
        v = _leeg_is_geen(v)
        return validatie.tijd(v) if isinstance(v, str) else v

    @model_validator(mode="after")
    def _samen(self) -> "ScheduleIn":
        validatie.openingstijd(self.opens_at, self.closes_at)
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError("De einddatum (valid_to) moet na de begindatum (valid_from) liggen.")
        if self.notes == "gesloten":
            if not (self.valid_from and self.valid_to):
                raise ValueError("Een gesloten periode heeft een begindatum (valid_from) en een einddatum "
                                 "(valid_to).")
        elif self.opens_at is not None:
            if not self.byday:
                raise ValueError("Vul bij openingstijden ook de dagen in (byday), bijvoorbeeld MO,TU.")
            self.freq = "WEEKLY"
        elif not self.description:
            raise ValueError("Vul dagen met tijden in (byday, opens_at, closes_at), of beschrijf de tijden in "
                             "description.")
        return self


class AddressIn(Teruggestuurd):
    address_1: str = Field(min_length=1, max_length=255)
    city: str = Field(default="Hengelo", min_length=1, max_length=100)
    postal_code: str = Field(default="", max_length=10)  # unknown stays empty: many listed addresses have none
    state_province: str = Field(default="Overijssel", max_length=100)
    country: Literal["NL"] = "NL"
    address_type: Literal["physical", "postal"] = "physical"

    @field_validator("postal_code")
    @classmethod
    def _postcode(cls, v: str) -> str:
        return validatie.postcode(v) if v.strip() else ""  # Python's strip, as the pattern says


class LanguageIn(Teruggestuurd):
    """HSDS language: a language spoken there. `name` empty: the Dutch name of the code (Engels)."""
    code: str = Field(max_length=3, json_schema_extra={"enum": gesproken.codes()})
    name: str | None = Field(default=None, max_length=100)
    note: str = Field(default="", max_length=500)

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, v):
        return gesproken.controleer_code(str(v or ""))


class VertalingIn(Strikt):
    """The listing's name and description in one language of the resident pages; empty is no translation."""
    name: str = Field(default="", max_length=255)
    description: str = Field(default="", max_length=5000)


VERTAALTALEN = {"propertyNames": {"enum": list(taal.VERTAALD)}}


def _vertaaltalen(v: dict | None) -> dict | None:
    for code in v or {}:
        gesproken.controleer_vertaaltaal(code)
    return v


# --- organization ----------------------------------------------------------------------------------------------

class OrganizationBase(Strikt):
    description: str = Tekst
    email: str | None = None
    website: str | None = None

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, v):
        v = _leeg_is_geen(v)
        return None if v is None else validatie.email(str(v))

    @field_validator("website", "url", "bron_url", mode="before", check_fields=False)
    @classmethod
    def _url(cls, v):
        v = _leeg_is_geen(v)
        return None if v is None else validatie.url(str(v))


class OrganizationCreate(OrganizationBase):
    name: str = Field(min_length=1, max_length=255)


class OrganizationUpdate(OrganizationBase):
    name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=5000)


# --- service ---------------------------------------------------------------------------------------------------

ServiceStatus = Literal["active", "inactive", "defunct", "temporarily closed"]
Slug = Field(default=None, min_length=1, max_length=120, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ServiceBase(OrganizationBase):
    url: str | None = None
    slug: str | None = Slug
    bron_url: str | None = None
    zekerheid: Literal["hoog", "middel", "laag"] | None = None


class ServiceCreate(ServiceBase):
    organization_id: str = Field(min_length=1, max_length=36)
    name: str = Field(min_length=1, max_length=255)
    description: str = Field(min_length=1, max_length=5000)
    status: ServiceStatus = "active"
    laag: str = Field(min_length=1, max_length=50)
    themas: list[str] = Field(default_factory=list, max_length=20)
    phones: list[PhoneIn] = Field(default_factory=list, max_length=20)
    schedules: list[ScheduleIn] = Field(default_factory=list, max_length=50)
    languages: list[LanguageIn] = Field(default_factory=list, max_length=20)
    vertalingen: dict[str, VertalingIn] = Field(default_factory=dict, json_schema_extra=VERTAALTALEN)

    _vertalingen = field_validator("vertalingen")(_vertaaltalen)


class ServiceUpdate(ServiceBase):
    organization_id: str | None = Field(default=None, min_length=1, max_length=36)
    name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, min_length=1, max_length=5000)
    status: ServiceStatus | None = None
    laag: str | None = Field(default=None, min_length=1, max_length=50)
    themas: list[str] | None = Field(default=None, max_length=20)
    phones: list[PhoneIn] | None = Field(default=None, max_length=20)
    schedules: list[ScheduleIn] | None = Field(default=None, max_length=50)
    languages: list[LanguageIn] | None = Field(default=None, max_length=20)
    vertalingen: dict[str, VertalingIn] | None = Field(default=None, json_schema_extra=VERTAALTALEN)

    _vertalingen = field_validator("vertalingen")(_vertaaltalen)


# --- location --------------------------------------------------------------------------------------------------

class LocationBase(Strikt):
    organization_id: str | None = Field(default=None, max_length=36)
    location_type: Literal["physical", "virtual", "postal"] = "physical"
    description: str = Tekst
    latitude: float | None = None
    longitude: float | None = None
    plaatsing_bron: str | None = Field(default=None, max_length=255)  # where an exact point comes from
    accessibility: str = Field(default="", max_length=1000)
    # Whether the point is near Hengelo, and a postcode in Hengelo, needs both fields: app/data/aanbod.py checks.
    slug: str | None = Slug


class LocationCreate(LocationBase):
    name: str = Field(min_length=1, max_length=255)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=1)
    phones: list[PhoneIn] = Field(default_factory=list, max_length=20)
    schedules: list[ScheduleIn] = Field(default_factory=list, max_length=50)


class LocationUpdate(LocationBase):
    name: str | None = Field(default=None, min_length=1, max_length=255)
    location_type: Literal["physical", "virtual", "postal"] | None = None
    description: str | None = Field(default=None, max_length=5000)
    accessibility: str | None = Field(default=None, max_length=1000)
    addresses: list[AddressIn] | None = Field(default=None, max_length=1)
    phones: list[PhoneIn] | None = Field(default=None, max_length=20)
    schedules: list[ScheduleIn] | None = Field(default=None, max_length=50)


class ServiceAtLocationCreate(Strikt):
    service_id: str = Field(min_length=1, max_length=36)
    location_id: str = Field(min_length=1, max_length=36)


class WijkentreeIn(Strikt):
    """Mark a location as wijkentree (with its hours, which then replace the old ones) or unmark it."""
    wijkentree: bool
    schedules: list[ScheduleIn] | None = Field(default=None, max_length=50)


CREATE = {"organization": OrganizationCreate, "service": ServiceCreate, "location": LocationCreate,
          "service_at_location": ServiceAtLocationCreate}
UPDATE = {"organization": OrganizationUpdate, "service": ServiceUpdate, "location": LocationUpdate}

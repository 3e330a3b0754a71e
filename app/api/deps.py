"""Typed dependencies for the API routes: the database session and the shared search filters."""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import Depends, Query
from pydantic import BeforeValidator
from sqlmodel import Session

from app import geo, hours, search
from app.config import get_settings
from app.db import get_session
from app.params import Origin, build_query, parse_origin
from app.seed import load_taxonomies
from app.tellingen import tel_niets_gevonden
from app.throttle import Limiet, per_adres
from app.validatie import SPATIE

SessionDep = Annotated[Session, Depends(get_session)]

# A Hengelo postcode (its PC4 areas), as an OpenAPI pattern: the code checks it with Dutch messages
# (app/geo.py), so the pattern only documents what is accepted. In a query or body, empty means not given.
# Python's whitespace is spelled out (SPATIE), as geo.POSTCODE_RE reads \s: an ECMA regex has another \s.
_POSTCODE = rf"{SPATIE}*({'|'.join(sorted(geo.pc4_points()))}){SPATIE}*([A-Za-z]{{2}})?{SPATIE}*"
POSTCODE_PAD = {"pattern": f"^{_POSTCODE}$"}
POSTCODE_DOC = {"pattern": f"^(?:{_POSTCODE}|{SPATIE}*)$"}


def keuzes(codes: Callable[[], Iterable[str]], *, lijst: bool = False, leeg: bool = False) -> Callable[[dict], None]:
    """The allowed codes as an OpenAPI enum (json_schema_extra), made with the document, so after start-up has read
    the rules and the seed's taxonomy. The routes check the codes themselves, with Dutch messages; `leeg`: an empty
    value (a form's thema=) means not given."""
    def extra(schema: dict) -> None:
        enum = [""] * leeg + list(codes())
        if lijst:
            schema["items"] = {"type": "string", "enum": enum}
        else:
            schema["enum"] = enum
    return extra


def _termen(taxonomie: str) -> list[str]:
    return list(load_taxonomies()[taxonomie]["terms"])


def alleen_iso(value: object) -> object:
    """A date as ISO 8601 text only: pydantic would read "0" or "0.5" as a Unix time, which the OpenAPI does not
    offer and nobody means."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return value
        raise ValueError("Vul een datum in zoals 2026-01-31 of 2026-01-31T09:00:00Z.")
    return value


@dataclass
class Paging:
    page: int
    per_page: int

    def slice(self, items: list) -> list:
        start = (self.page - 1) * self.per_page
        return items[start:start + self.per_page]


def paging(
    page: Annotated[int, Query(ge=1, le=100000, description="Paginanummer, vanaf 1")] = 1,
    per_page: Annotated[int, Query(ge=1, le=100, description="Aantal per pagina, hoogstens 100")] = 20,
) -> Paging:
    return Paging(page, per_page)


PagingDep = Annotated[Paging, Depends(paging)]


@dataclass
class Found:
    result: search.Result
    origin: Origin | None


def zoek_limiet() -> Limiet:
    """Searches per address per minute (pages and API together)."""
    return Limiet("zoeken", get_settings().limiet_zoeken, 60)


def service_search(
    _: Annotated[None, per_adres(zoek_limiet, "Zoeken")],
    session: SessionDep,
    search_: Annotated[str | None, Query(alias="search", max_length=200, description="Vrije tekst")] = None,
    taxonomy_term_id: Annotated[str | None, Query(description="Id van een term (HSDS)")] = None,
    organization_id: Annotated[str | None, Query(description="Id van een organisatie")] = None,
    modified_after: Annotated[datetime | None, BeforeValidator(alleen_iso), Query(
        description="Alleen wat daarna is gewijzigd (ISO 8601, bijvoorbeeld 2026-01-31T09:00:00Z)")] = None,
    thema: Annotated[list[str] | None, Query(description="Thema-code, mag vaker", json_schema_extra=keuzes(
        lambda: _termen("thema"), lijst=True, leeg=True))] = None,
    laag: Annotated[list[str] | None, Query(description="Laag-code, mag vaker", json_schema_extra=keuzes(
        lambda: _termen("laag"), lijst=True, leeg=True))] = None,
    wijk: Annotated[str | None, Query(description="Wijkcode (WK016405) of slug (berflo-es)", json_schema_extra=keuzes(
        lambda: [c for w in geo.wijken() for c in (w.code, w.slug)], leeg=True))] = None,
    postcode: Annotated[str | None, Query(
        max_length=10, description="Postcode in Hengelo: 7551 AB of 7551", json_schema_extra=POSTCODE_DOC)] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, description="Breedtegraad (WGS84), met lon")] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180, description="Lengtegraad (WGS84), met lat")] = None,
    proximity: Annotated[int | None, Query(ge=1, le=100000, description="Hoogstens zoveel meter ver")] = None,
    open: Annotated[bool, Query(description="Alleen wat nu open is")] = False,
    sort: Annotated[Literal["afstand", "relevantie"] | None, Query(
        description="Volgorde; standaard afstand als er een postcode of lat/lon is, anders relevantie")] = None,
) -> Found:
    origin = parse_origin(postcode, lat, lon)
    query = build_query(
        session, q=search_ or "", thema=thema, laag=laag, wijk=wijk, origin=origin, open_nu=open,
        organization_id=organization_id, taxonomy_term_id=taxonomy_term_id, modified_after=modified_after,
        max_distance_m=proximity if origin else None, sort=sort or "",
    )
    result = search.search(session, query)
    tel_niets_gevonden(search_ or "", result, datetime.now(UTC).astimezone(hours.TZ).date())
    return Found(result, origin)


SearchDep = Annotated[Found, Depends(service_search)]

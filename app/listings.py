"""Loading listings with everything around them, in a fixed number of queries, for pages and API alike."""
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from app import gesproken, hours, taal
from app.models import (
    Address,
    Attribute,
    Buurt,
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
    Wijk,
    zichtbare_dienst,
    zichtbare_locatie,
)


@dataclass
class LocationView:
    location: Location
    address: Address | None = None
    phones: list[Phone] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    wijk: Wijk | None = None
    buurt: Buurt | None = None
    services: list["ServiceView"] = field(default_factory=list)
    sal_ids: dict[str, str] = field(default_factory=dict)  # service_id -> service_at_location id

    @property
    def telefoons(self) -> list[Phone]:
        """The location's own numbers, then those of the services there (MFA 't Berflo's reception)."""
        seen, out = set(), []
        for p in [*self.phones, *(p for v in self.services for p in v.phones)]:
            if p.number not in seen:
                seen.add(p.number)
                out.append(p)
        return out


@dataclass
class ServiceView:
    service: Service
    organization: Organization | None = None
    phones: list[Phone] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    terms: list[tuple[str, TaxonomyTerm]] = field(default_factory=list)  # (taxonomy name, term)
    locations: list[LocationView] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)  # HSDS: spoken there, as an editor entered them
    vertalingen: dict[str, dict[str, str]] = field(default_factory=dict)  # taal -> veld -> tekst (not HSDS)

    def codes(self, taxonomy: str) -> list[str]:
        return [t.code for tax, t in self.terms if tax == taxonomy]

    def tekst(self, veld: str) -> tuple[str, str]:
        """(name or description, its language code) in the request's language: an editor's translation, else
        Dutch."""
        return gesproken.tekst(self.vertalingen, veld, getattr(self.service, veld), taal.huidige().code)

    @property
    def ook_gesproken(self) -> list[tuple[str, str]]:
        """(code, the language's name in itself) of the languages spoken there besides Dutch."""
        return [(x.code, gesproken.eigen_naam(x.code, x.name)) for x in self.languages if x.code != taal.STANDAARD]


def load_services(session: Session, ids: Iterable[str], alles: bool = False) -> list[ServiceView]:
    """Services in the order of `ids`, each with organisation, phones, schedules, terms and locations.

    Only what residents may see (models.zichtbare_dienst, not of a deleted organisation, at locations that are
    not deleted), unless `alles` (beheer).
    """
    ids = list(ids)
    if not ids:
        return []
    query = select(Service).where(col(Service.id).in_(ids))
    services = {s.id: s for s in session.exec(query if alles else query.where(zichtbare_dienst()))}
    org_ids = {s.organization_id for s in services.values() if s.organization_id}
    orgs = {o.id: o for o in session.exec(select(Organization).where(col(Organization.id).in_(org_ids)))}
    if not alles:
        services = {k: s for k, s in services.items()
                    if s.organization_id is None or (s.organization_id in orgs and not orgs[s.organization_id].verwijderd)}
        ids = [i for i in ids if i in services]
    phones = _group(session.exec(select(Phone).where(col(Phone.service_id).in_(ids))), "service_id")
    schedules = _group(session.exec(select(Schedule).where(col(Schedule.service_id).in_(ids))), "service_id")
    terms = _terms_for(session, ids)
    languages = _group(session.exec(select(Language).where(col(Language.service_id).in_(ids))
                                    .order_by(Language.code, Language.id)), "service_id")
    vertalingen: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for v in session.exec(select(Vertaling).where(col(Vertaling.service_id).in_(ids))):
        vertalingen[v.service_id].setdefault(v.taal, {})[v.veld] = v.tekst
    sals = list(session.exec(select(ServiceAtLocation).where(col(ServiceAtLocation.service_id).in_(ids))))
    locations = {lv.location.id: lv for lv in _load_location_views(session, {s.location_id for s in sals}, alles)}
    sals = [s for s in sals if s.location_id in locations]
    views = {
        sid: ServiceView(svc, orgs.get(svc.organization_id), phones.get(sid, []), schedules.get(sid, []),
                         terms.get(sid, []), languages=languages.get(sid, []), vertalingen=vertalingen.get(sid, {}))
        for sid, svc in services.items()
    }
    for sal in sals:
        lv = locations[sal.location_id]
        lv.sal_ids[sal.service_id] = sal.id
        views[sal.service_id].locations.append(lv)
    return [views[i] for i in ids if i in views]


_cache: dict = {"version": None, "services": {}, "json": {}}
_terms: dict[tuple[str, str], list[TaxonomyTerm]] = {}


def _check_version(session: Session, version: tuple) -> dict:
    """The cache of this data version (and database: tests use several), a new one when it changed.

    A new version gets a new dict in one assignment, never a clear-and-fill: a worker thread still holding the
    old dict reads on from it and cannot see a half-emptied one.
    """
    global _cache
    version = (str(session.get_bind().url), *version)
    cache = _cache
    if cache["version"] != version:
        cache = {"version": version, "services": {}, "json": {}}
        _cache = cache
    return cache


def cached_services(session: Session, ids: Iterable[str], version: tuple) -> list[ServiceView]:
    """load_services, kept per data version: listings change rarely and are read on every search.

    Views are loaded in a session of their own and detached, so a commit in the caller's session
    (the vraagwijzer counts) cannot expire them.
    """
    views = _check_version(session, version)["services"]
    missing = [i for i in ids if i not in views]
    if missing:
        with Session(session.get_bind()) as own:
            for v in load_services(own, missing):
                views[v.service.id] = v
            own.expunge_all()
    return [views[i] for i in ids if i in views]


# A season with a year in a listing's own words ("In de winter van 2022 was ...") dates the listing: the seed
# has no end-date field, so this and the valid_to of its schedules are all that say when a period ended.
_SEIZOEN_RE = re.compile(r"\b(winter|zomer|voorjaar|najaar|herfst|lente|kerst\w*)\s+(?:van\s+)?(20\d\d)\b")


def einde(service: Service, schedules: Iterable[Schedule]) -> date | None:
    """The day the listing's period ends, if its data say so; None for a listing that keeps running.

    Either every weekly rule has a valid_to (the last one counts), or its own words name a season of a year
    (a winter runs into the next spring).
    """
    weekly = [s for s in schedules if s.freq and not s.gesloten]
    if weekly and all(s.valid_to for s in weekly):
        return max(s.valid_to for s in weekly)
    seasons = _SEIZOEN_RE.findall(f"{service.name} {service.description}".lower())
    if not seasons:
        return None
    return max(date(int(year) + 1, 3, 31) if season == "winter" else date(int(year), 12, 31)
               for season, year in seasons)


def service_status(view: ServiceView, now: datetime) -> hours.Status:
    """hours.status of a cached listing. Its texts change at most once a minute, so one answer per minute and
    language (the texts are in the request's language)."""
    minute = now.replace(second=0, microsecond=0)
    cache = _cache
    store = cache.get("status")
    if store is None or cache.get("minute") != minute:
        store = {}
        cache["minute"], cache["status"] = minute, store
    key = (view.service.id, taal.huidige().code)
    if key not in store:
        store[key] = hours.status(view.schedules, minute)
    return store[key]


def cached_json(key: str, make) -> dict:
    """A serialised listing for the current data version (see cached_services)."""
    store = _cache["json"]
    if key not in store:
        store[key] = make()
    return store[key]


MAX_MADE = 500  # keys can come from a URL (a filter, a slug): enough for every page, not for every guess


def cached_made(session: Session, version: tuple, key: tuple, make):
    """`make(session)` for the current data version: what a page or the map shows of the listings alone.

    It gets a session of its own and what it loads is detached, as in cached_services. None (an unknown
    slug) is not kept, and past MAX_MADE keys the oldest goes, so guessed URLs cannot fill the memory.
    """
    store = _check_version(session, version).setdefault("made", {})
    if key in store:
        return store[key]
    with Session(session.get_bind()) as own:
        value = make(own)
        own.expunge_all()
    if value is None:
        return None
    if len(store) >= MAX_MADE:
        try:
            del store[next(iter(store))]  # dicts keep insertion order: the oldest
        except (KeyError, RuntimeError, StopIteration):
            pass  # another worker thread changed the store meanwhile: it made room or will
    store[key] = value
    return value


def load_location(session: Session, slug: str) -> LocationView | None:
    """One location with the services offered there."""
    location = session.exec(select(Location).where(Location.slug == slug, zichtbare_locatie())).first()
    if location is None:
        return None
    return _with_services(session, _load_location_views(session, {location.id})[0])


def _with_services(session: Session, lv: LocationView) -> LocationView:
    sals = session.exec(select(ServiceAtLocation).where(ServiceAtLocation.location_id == lv.location.id)).all()
    lv.services = load_services(session, [s.service_id for s in sals])
    lv.sal_ids = {s.service_id: s.id for s in sals}
    # The listing that names the building first, then the rest by name.
    lv.services.sort(key=lambda v: (v.service.slug != lv.location.slug, v.service.name))
    return lv


def load_locations(session: Session, ids: Iterable[str], alles: bool = False) -> list[LocationView]:
    """Locations in the order of `ids`; deleted ones only with `alles` (beheer)."""
    ids = list(ids)
    views = {lv.location.id: lv for lv in _load_location_views(session, set(ids), alles)}
    return [views[i] for i in ids if i in views]


def _load_location_views(session: Session, ids: set[str], alles: bool = False) -> list[LocationView]:
    if not ids:
        return []
    query = select(Location).where(col(Location.id).in_(ids))
    locations = list(session.exec(query if alles else query.where(zichtbare_locatie())))
    ids = {loc.id for loc in locations}
    addresses = {a.location_id: a for a in session.exec(select(Address).where(col(Address.location_id).in_(ids)))}
    phones = _group(session.exec(select(Phone).where(col(Phone.location_id).in_(ids))), "location_id")
    schedules = _group(session.exec(select(Schedule).where(col(Schedule.location_id).in_(ids))), "location_id")
    wijken = {w.code: w for w in session.exec(select(Wijk))}
    buurt_codes = {loc.buurt_code for loc in locations if loc.buurt_code}
    buurten = {b.code: b for b in session.exec(select(Buurt).where(col(Buurt.code).in_(buurt_codes)))}
    return [
        LocationView(loc, addresses.get(loc.id), phones.get(loc.id, []), schedules.get(loc.id, []),
                     wijken.get(loc.wijk_code), buurten.get(loc.buurt_code))
        for loc in locations
    ]


def _terms_for(session: Session, service_ids: list[str]) -> dict[str, list[tuple[str, TaxonomyTerm]]]:
    rows = session.exec(
        select(Attribute.link_id, Taxonomy.name, TaxonomyTerm)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(col(Attribute.link_id).in_(service_ids))
        .order_by(Taxonomy.name, TaxonomyTerm.code)
    )
    out: dict[str, list] = defaultdict(list)
    for link_id, tax_name, term in rows:
        out[link_id].append((tax_name, term))
    return out


def _group(rows, key: str) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for row in rows:
        out[getattr(row, key)].append(row)
    return out


def wijkentree_locations(session: Session, version: tuple) -> list[LocationView]:
    """Every location marked as wijkentree, kept per data version like cached_services."""
    cache = _check_version(session, version)
    if "wijkentree" not in cache:
        with Session(session.get_bind()) as own:
            ids = own.exec(select(Location.id).where(Location.is_wijkentree, zichtbare_locatie())).all()
            cache["wijkentree"] = [_with_services(own, lv) for lv in load_locations(own, ids)]
            own.expunge_all()
    return cache["wijkentree"]


def terms_of(session: Session, taxonomy: str) -> list[TaxonomyTerm]:
    """The terms of one taxonomy. Few, and they change only with a seed or migration: kept per process."""
    key = (str(session.get_bind().url), taxonomy)
    if key not in _terms:
        with Session(session.get_bind()) as own:
            _terms[key] = list(own.exec(
                select(TaxonomyTerm).join(Taxonomy).where(Taxonomy.name == taxonomy).order_by(TaxonomyTerm.code)
            ))
            own.expunge_all()
    return _terms[key]


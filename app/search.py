"""The one search function: free text, filters and distance. Used by the HTML pages and the JSON API.

Every search reads an in-memory index per process, built from the database with one set of queries and rebuilt
when the data changes (a cheap version check per search): the listings' filters, places, hours and vocabulary.
Two things a search engine (`Zoekmachine`, chosen by SEARCH_BACKEND) answers: which listings hold a word, in
which fields, and how far a listing's places are from a point. `INDEX` answers both from memory (any database);
`app.zoekmachine_postgres.POSTGRES` asks PostgreSQL's full-text search and PostGIS. Everything else (query
expansion, scores, filters, ranking) is this module's, so both give the same results (tests/test_search_backends.py).
"""
import gc
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Protocol

from sqlmodel import Session, select

from app import geo, hours, lexicon, listings, text
from app.config import get_settings
from app.data import core as data
from app.metrics import ZOEKINDEX
from app.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    zichtbare_dienst,
    zichtbare_locatie,
    zichtbare_organisatie,
)
from app.taal import N_
from app.veiligheid import Alarm, toets

# How much a word counts, by where it stands in a listing.
FIELD_WEIGHTS = {"name": 3.0, "thema": 2.0, "organization": 1.5, "description": 1.0}
# A resident's word that points to a theme ("deurwaarder" -> schulden) counts like a theme word.
SYNONYM_WEIGHT = 2.0

# Help that acts on a need, by what a listing says it does (its name, soort and description, folded). A need is
# a theme, a signal (app/rules/lexicon.yaml) or a route's team (app/rules/vraagwijzer.yaml). The theme alone is
# not enough: a parish and a client council are tagged "schulden" too, but schuldhulp, budgetbeheer, the
# sociaal raadslieden and the juridisch loket are what acts on debts. Parts of words, so compounds match.
_SCHULDHULP = ("schuldhulp", "schuldregeling", "budgetbeheer", "budgetalert", "bewind", "stadsbank", "raadslieden",
               "juridisch")
_WMO = ("zorgloket", "wmo-consulent", "huishoudelijke")
_GEZIN = ("opvoed", "gezinswerk", "jeugdgezondheid", "consultatiebureau")
HELPT_BIJ: dict[str, tuple[str, ...]] = {
    "schulden": _SCHULDHULP, "schuldhulpverlening": _SCHULDHULP, "deurwaarder": _SCHULDHULP,
    "uitzetting": (*_SCHULDHULP, "achterstand met huur"),
    "geld": ("raadslieden", "geldzaken", "formulier", "budgetalert"),
    "uitkering": ("werk en inkomen", "uitkering", "bijstand"), "werk_en_inkomen": ("werk en inkomen",),
    "werk": ("werk en inkomen", "sollicit", "vrijwilligerswerk"),
    "wmo": _WMO, "hulpmiddel": _WMO, "huishoudelijke_hulp": _WMO, "vervoer_indicatie": (*_WMO, "regiotaxi", "valys"),
    "beschermd_wonen": ("beschermd wonen", "woonvoorziening", "voordeur"),
    "dakloos": ("opvang", "slaapplek", "daklo", "voordeur"),
    "opvoeden": _GEZIN, "jeugd_en_gezin": _GEZIN, "jeugdhulp": _GEZIN,
    "gezondheid": ("dementie", "zorgloket", "huisarts"), "mantelzorg": ("mantelzorg", "dementie"),
    "ouderen": ("ouderen", "bezoekdienst", "zorgloket"),
    "eenzaamheid": ("eenzaam", "bezoekdienst", "luisterend oor"),
    "taal": ("taal", "nederlands", "lezen en schrijven", "inburger"),
    "verslaving": ("verslav", "tactus", "drank", "drugs"),
    "wonen": ("buurtbemiddeling", "opvang", "woonvoorziening"),
    "veiligheid": ("veilig thuis", "slachtoffer", "buurtbemiddeling"),
    "zelfdoding": ("zelfmoord",), "geweld": ("veilig thuis", "geweld"),
    # A resident's own words can be needs too: no theme says "food".
    "eten": ("voedselpakket", "weggeefkast"), "voedselpakket": ("voedselpakket",),
}
HELPT_BOOST = 0.6  # score x 1.6 for help that acts on the question
# Emergency lines are one tap away on every page already; in a list they come first only when they act on the
# question (113 for words about suicide), not because "traplift" is about gezondheid.
SPOED_FACTOR = 0.3
ZEKERHEID = {"hoog": 0, "middel": 1, "laag": 2}
# Kinds of listing that belong to a neighbourhood: without a place they are unplaced, not citywide.
WIJKGEBONDEN = frozenset({"wijkcentrum", "wijkteam", "ontmoeting", "voedselhulp", "bibliotheek"})
# Shown to residents on a result (templates/_resultaat.html translates them).
HEEL_HENGELO, TELEFONISCH = N_("heel Hengelo"), N_("telefonisch of online")


@dataclass(frozen=True)
class Place:
    location_id: str
    wijk_code: str | None
    rd: tuple[float, float] | None  # RD New (x, y) in metres


@dataclass
class Doc:
    service_id: str
    name: str
    organization_id: str | None
    laag: frozenset[str]
    themas: frozenset[str]
    term_ids: frozenset[str]
    places: list[Place]
    schedules: list
    last_modified: datetime
    zekerheid: int = 2  # ZEKERHEID rank: 0 is most certain
    volledig: int = 0  # how many ways to reach it the listing has (address, phone, hours, website, e-mail)
    bereik: str | None = None  # HEEL_HENGELO or TELEFONISCH: kept in wijk and distance results
    einde: date | None = None  # the listing's period ends that day (listings.einde)
    helpt: frozenset[str] = frozenset()  # needs (HELPT_BIJ keys) it acts on
    terms: dict[str, float] = field(default_factory=dict)
    wijk_codes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.wijk_codes = frozenset(p.wijk_code for p in self.places if p.wijk_code)


@dataclass
class Index:
    version: tuple
    docs: list[Doc]
    postings: dict[str, list[tuple[int, float]]]
    words: dict[str, str]  # every folded word seen -> its stem (for typo tolerance)
    word_list: list[str]
    by_thema: dict[str, list[int]]
    position: dict[str, int] = field(default_factory=dict)  # service id -> its place in docs
    checked_at: float = field(default_factory=time.monotonic)
    per_stem: dict[str, list[str]] = field(default_factory=dict)  # stem -> every word seen with it (query expansion)


@dataclass
class Query:
    q: str = ""
    themas: tuple[str, ...] = ()
    laag: tuple[str, ...] = ()
    wijk: str | None = None
    point: tuple[float, float] | None = None  # (lat, lon)
    max_distance_m: int | None = None
    # Signals and a route's team (the vraagwijzer): help that acts on them ranks first and passes the theme filter.
    behoeften: tuple[str, ...] = ()
    sort: str = ""  # "afstand" | "relevantie"; empty: by distance when there is a point, else by relevance
    open_nu: bool = False
    organization_id: str | None = None
    taxonomy_term_id: str | None = None
    modified_after: datetime | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class Hit:
    service_id: str
    score: float
    distance_m: int | None
    location_id: str | None  # the nearest location, or the first one
    themas: tuple[str, ...] = ()  # the listing's themes the question points to: why it matches
    helpt: tuple[str, ...] = ()  # the needs of the question it acts on (HELPT_BIJ keys)
    bereik: str | None = None  # HEEL_HENGELO or TELEFONISCH


@dataclass
class Result:
    hits: list[Hit]
    themas_herkend: list[str]  # themes the words point to
    verbeterd: dict[str, str]  # misspelt word -> the word we searched for
    suggesties: list[str]  # other searches to try when nothing was found
    # When filters leave nothing: the filters (Query field names) that, each taken away, do give results.
    zonder: list[str] = field(default_factory=list)
    version: tuple = ()  # the data version the result comes from
    alarmen: tuple[Alarm, ...] = ()  # the safety net's alarms on the words (app/veiligheid.py): shown first


_lock = threading.Lock()
_cache: dict[str, Index] = {}


def data_version(session: Session) -> tuple:
    """Changes whenever listing data is added, removed or edited: app/data raises it in every write."""
    return (data.versie(session),)


# A big index is hundreds of thousands of long-lived objects: every full garbage collection walks them all, a pause
# of ~200 ms for one search in a hundred with 10,000 services (make bench-zoeken: p99 224 -> 14 ms when frozen).
BEVRIES_VANAF = 2000


def _bevries() -> None:
    """Moves every live object out of the collector's reach (gc.freeze), after giving the previous index's objects
    back to it and collecting what is garbage, so nothing of an old index is kept. Once per rebuild of a big index."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def get_index(session: Session) -> Index:
    """The index for this database, rebuilt when the data changed.

    The version check itself is a query, so it runs at most every SEARCH_FRESHNESS_SECONDS: an edit
    shows in search (in every worker) within that time.
    """
    key = str(session.get_bind().url)
    index = _cache.get(key)
    interval = get_settings().search_freshness_seconds
    if index is not None and interval and time.monotonic() - index.checked_at < interval:
        return index
    version = data_version(session)
    if index is not None and index.version == version:
        index.checked_at = time.monotonic()
    if index is None or index.version != version:
        with _lock:
            index = _cache.get(key)
            if index is None or index.version != version:
                with Session(session.get_bind()) as own, ZOEKINDEX.time():  # metrics: rebuilds and their time
                    index = build_index(own, version)
                _cache[key] = index
                if len(index.docs) >= BEVRIES_VANAF:
                    _bevries()
    return index


def build_index(session: Session, version: tuple = ()) -> Index:
    terms = {t.id: t for t in session.exec(select(TaxonomyTerm))}
    taxonomies = {t.id: t.name for t in session.exec(select(Taxonomy))}
    org_names = {o.id: o.name for o in session.exec(select(Organization).where(zichtbare_organisatie()))}
    locations = {loc.id: loc for loc in session.exec(select(Location).where(zichtbare_locatie()))}
    attrs: dict[str, list[TaxonomyTerm]] = defaultdict(list)
    for a in session.exec(select(Attribute)):
        if a.taxonomy_term_id in terms:
            attrs[a.link_id].append(terms[a.taxonomy_term_id])
    places: dict[str, list[Place]] = defaultdict(list)
    for sal in session.exec(select(ServiceAtLocation)):
        loc = locations.get(sal.location_id)
        if loc is None:  # a deleted location
            continue
        rd = geo.to_rd(loc.latitude, loc.longitude) if loc.latitude is not None else None
        places[sal.service_id].append(Place(loc.id, loc.wijk_code, rd))
    schedules: dict[str, list] = defaultdict(list)
    for s in session.exec(select(Schedule).where(Schedule.service_id.is_not(None))):
        schedules[s.service_id].append(s)
    with_phone = set(session.exec(select(Phone.service_id).where(Phone.service_id.is_not(None))))
    with_address = set(session.exec(select(Address.location_id).where(Address.address_1 != "")))

    docs, postings, words, by_thema = [], defaultdict(list), {}, defaultdict(list)
    # A service of a deleted organisation goes with it (a service without organisation stays).
    for svc in session.exec(select(Service).where(zichtbare_dienst()).order_by(Service.name)):
        if svc.organization_id and svc.organization_id not in org_names:
            continue
        svc_terms = attrs.get(svc.id, [])
        by_tax = defaultdict(set)
        for t in svc_terms:
            by_tax[taxonomies.get(t.taxonomy_id)].add(t.code)
        doc = Doc(
            service_id=svc.id, name=svc.name, organization_id=svc.organization_id,
            laag=frozenset(by_tax["laag"]), themas=frozenset(by_tax["thema"]),
            term_ids=frozenset(t.id for t in svc_terms), places=places.get(svc.id, []),
            schedules=schedules.get(svc.id, []), last_modified=_aware(svc.last_modified),
            zekerheid=ZEKERHEID.get(svc.zekerheid, 2),
            volledig=sum((svc.id in with_phone, bool(svc.url), bool(svc.email), bool(schedules.get(svc.id)),
                          any(p.location_id in with_address for p in places.get(svc.id, [])))),
            bereik=_bereik(svc.soort, [locations[p.location_id] for p in places.get(svc.id, [])]),
            einde=listings.einde(svc, schedules.get(svc.id, [])),
            helpt=_helpt(f"{svc.name} {svc.soort} {svc.description}"),
        )
        fields = {
            "name": svc.name,
            "thema": " ".join(f"{t.code} {t.name}" for t in svc_terms if taxonomies.get(t.taxonomy_id) == "thema"),
            "organization": org_names.get(svc.organization_id, ""),
            "description": svc.description,
        }
        fields_seen: dict[str, set[str]] = {}
        for fname, value in fields.items():
            for w in text.words(value):
                s = text.stem(w)
                words.setdefault(w, s)
                fields_seen.setdefault(s, set()).add(fname)
        # A word counts once per field it stands in: in the name and the description weighs more than in one.
        doc.terms = {s: sum(FIELD_WEIGHTS[f] for f in seen) for s, seen in fields_seen.items()}
        i = len(docs)
        docs.append(doc)
        for s, weight in doc.terms.items():
            postings[s].append((i, weight))
        for thema in doc.themas:
            by_thema[thema].append(i)
    # Detached, the schedules stay readable after this session closes.
    session.expunge_all()
    per_stem = defaultdict(list)
    for w, s in words.items():
        per_stem[s].append(w)
    return Index(version, docs, dict(postings), words, list(words), dict(by_thema),
                 {d.service_id: i for i, d in enumerate(docs)}, per_stem=dict(per_stem))


def _bereik(soort: str, locations: list[Location]) -> str | None:
    """Where a listing without a place in a wijk serves: by phone or online, or all of Hengelo."""
    if any(loc.wijk_code for loc in locations):
        return None
    if all(loc.location_type == "virtual" for loc in locations):
        return TELEFONISCH
    return None if soort in WIJKGEBONDEN else HEEL_HENGELO


def _helpt(own_words: str) -> frozenset[str]:
    folded = text.fold(own_words)
    return frozenset(need for need, parts in HELPT_BIJ.items() if any(part in folded for part in parts))


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


class Zoekmachine(Protocol):
    """A search engine: looks words up and measures distances. Filters, scores and ranking stay in this module."""

    naam: str

    def treffers(self, session: Session, index: Index, stems: list[str]) -> dict[str, list[tuple[int, float]]]:
        """Per stem (a key of index.per_stem): (position in index.docs, weight) of every listing that holds a word
        with that stem, the weight being the FIELD_WEIGHTS of the fields it stands in, added up."""
        ...

    def afstanden(self, session: Session, docs: list[Doc], point: tuple[float, float],
                  max_m: int | None) -> dict[tuple[str, str], float]:
        """Metres from the point (lat, lon) to every place with a point, by (service id, location id), of these
        listings. Places farther than max_m may be left out."""
        ...


class InProces:
    """Today's in-process index: postings and RD New distances, in memory, on any database."""

    naam = "index"

    def treffers(self, session: Session, index: Index, stems: list[str]) -> dict[str, list[tuple[int, float]]]:
        return {s: index.postings.get(s, []) for s in stems}

    def afstanden(self, session: Session, docs: list[Doc], point: tuple[float, float],
                  max_m: int | None) -> dict[tuple[str, str], float]:
        x, y = geo.to_rd(*point)
        return {(d.service_id, p.location_id): math.hypot(p.rd[0] - x, p.rd[1] - y)
                for d in docs for p in d.places if p.rd is not None}


INDEX = InProces()


def zoekmachine() -> Zoekmachine:
    """The engine SEARCH_BACKEND names (app/config.py refuses "postgres" on another database)."""
    if get_settings().search_backend == "postgres":
        from app.zoekmachine_postgres import POSTGRES  # imported when chosen: it builds on this module's types

        return POSTGRES
    return INDEX


def search(session: Session, query: Query, machine: Zoekmachine | None = None) -> Result:
    machine = machine or zoekmachine()
    index = get_index(session)
    query_words = text.words(query.q)
    themas_herkend = lexicon.themes_for_text(query.q) if query_words else []
    verbeterd: dict[str, str] = {}
    scores = (_text_scores(session, machine, index, query_words, themas_herkend, verbeterd)
              if query_words else None)
    # What the question needs: the themes the words point to, their signals, the words, and what the caller adds.
    # The safety net's signals too, so "ik wil niet meer leven" brings up 113 instead of random hits on "leven":
    # the help for alarming words is a hit, and the first one, whatever other words matched.
    alarmen = toets(query.q) if query_words else ()
    alarm = frozenset(a.signaal for a in alarmen)
    if alarm and scores is not None:
        top = max(scores.values(), default=1.0)
        for i, doc in enumerate(index.docs):
            if doc.helpt & alarm:
                scores[i] = 2 * top  # above every word match: the line to call comes first
    signalen = (*lexicon.zoekwoorden(query.q).signalen, *alarm)
    behoeften = frozenset((*themas_herkend, *signalen, *query_words, *query.behoeften, *query.themas))
    now = query.now or datetime.now(UTC)
    meet = _afstandmeter(session, machine)
    hits = _hits(index, query, scores, themas_herkend, behoeften, now, meet)

    by_distance = query.point is not None and query.sort != "relevantie"
    if by_distance:
        hits.sort(key=lambda h: (h.distance_m is None, h.distance_m or 0, *_rank(index, h)))
    elif scores is not None or query.behoeften:
        hits.sort(key=lambda h: _rank(index, h))
    zonder = ([] if hits or scores == {} else
              _filters_in_the_way(index, query, scores, themas_herkend, behoeften, now, meet))
    suggesties = [] if hits or zonder else _suggestions(index, query_words, themas_herkend)
    return Result(hits, themas_herkend, verbeterd, suggesties, zonder=zonder, version=index.version, alarmen=alarmen)


Afstandmeter = Callable[[list[Doc], Query], dict[tuple[str, str], float]]


def _afstandmeter(session: Session, machine: Zoekmachine) -> Afstandmeter:
    """The engine's distances for one search, each listing measured once: trying filters away (`zonder`) adds
    listings at the same point and distance limit, and only those are measured."""
    gemeten: dict[tuple, tuple[set[str], dict[tuple[str, str], float]]] = {}

    def meet(docs: list[Doc], query: Query) -> dict[tuple[str, str], float]:
        ids, afstand = gemeten.setdefault((query.point, query.max_distance_m), (set(), {}))
        nieuw = [d for d in docs if d.service_id not in ids and d.places]
        if nieuw:
            afstand.update(machine.afstanden(session, nieuw, query.point, query.max_distance_m))
            ids.update(d.service_id for d in nieuw)
        return afstand

    return meet


def _hits(index: Index, query: Query, scores: dict[int, float] | None, themas: list[str],
          behoeften: frozenset[str], now: datetime, meet: Afstandmeter) -> list[Hit]:
    today = now.astimezone(hours.TZ).date()
    if scores is not None:
        candidates = scores.keys()
    elif query.themas and not query.behoeften:  # the theme filter is strict then: only its members can pass
        candidates = sorted(set().union(*(index.by_thema.get(t, ()) for t in query.themas)))
    else:
        candidates = range(len(index.docs))
    passend = []
    for i in candidates:
        doc = index.docs[i]
        if doc.einde is not None and doc.einde < today:
            continue  # its period is over: hidden from residents (listings.einde)
        helpt = tuple(sorted(doc.helpt & behoeften))
        if _passes_filters(doc, query, bool(helpt)):
            passend.append((i, doc, helpt))
    # Distances only for what passed the filters: the engine measures them in one go.
    afstand = meet([doc for _, doc, _ in passend], query) if query.point else {}
    hits = []
    for i, doc, helpt in passend:
        distance, place = _nearest(doc, afstand, query.wijk)
        # A maximum distance is a promise (the API's proximity): nothing without a place within it.
        if query.max_distance_m is not None and (distance is None or distance > query.max_distance_m):
            continue
        if query.open_nu and not hours.status(doc.schedules, now).open_nu:
            continue
        score = scores[i] if scores else 0.0
        if helpt:
            score = score * (1 + HELPT_BOOST) if scores else HELPT_BOOST
        elif "spoed" in doc.laag:
            score *= SPOED_FACTOR
        hits.append(Hit(doc.service_id, round(score, 3), distance, place.location_id if place else None,
                        themas=tuple(t for t in (*themas, *query.themas) if t in doc.themas),
                        helpt=helpt, bereik=doc.bereik))
    return hits


def _rank(index: Index, h: Hit) -> tuple:
    """Best fit first; equal scores by certainty, then by how complete the listing is, then the nearest.

    Never by name: the alphabet says nothing about the help. The id only makes the order repeatable.
    """
    doc = index.docs[index.position[h.service_id]]
    return (-h.score, doc.zekerheid, -doc.volledig, h.distance_m is None, h.distance_m or 0, h.service_id)


# The filters a resident can take away, in the order the search page offers them.
FILTERS = ("open_nu", "max_distance_m", "wijk", "laag", "themas")
_NO_FILTERS = Query()


def _filters_in_the_way(index: Index, query: Query, scores, themas, behoeften, now, meet) -> list[str]:
    """Which filters, each one taken away, let the search find something."""
    return [name for name in FILTERS if getattr(query, name)
            and _hits(index, replace(query, **{name: getattr(_NO_FILTERS, name)}), scores, themas, behoeften, now,
                      meet)]


def _text_scores(session: Session, machine: Zoekmachine, index: Index, query_words: list[str], themas: list[str],
                 verbeterd: dict) -> dict[int, float]:
    n = len(index.docs) or 1
    scores: dict[int, float] = defaultdict(float)
    stems = []
    for w in query_words:
        s = text.stem(w)
        if s not in index.per_stem:
            near = text.closest(w, index.word_list)
            if near is not None:
                s = index.words[near]
                verbeterd[w] = near
        stems.append(s)
    treffers = machine.treffers(session, index, [s for s in dict.fromkeys(stems) if s in index.per_stem])
    for s in stems:
        postings = treffers.get(s, [])
        idf = math.log(1 + n / (1 + len(postings)))
        for i, weight in postings:
            scores[i] += weight * idf
    # The themes the whole question points to ("huur niet betalen" -> schulden), once each: a negated word
    # ("geen schulden") points nowhere.
    for thema in themas:
        members = index.by_thema.get(thema, [])
        thema_idf = math.log(1 + n / (1 + len(members)))
        for i in members:
            scores[i] += SYNONYM_WEIGHT * thema_idf
    return scores


def _passes_filters(doc: Doc, q: Query, helpt: bool) -> bool:
    """The filters. Citywide and phone services stay in a wijk; help that acts on a route's needs passes the theme."""
    return (
        (not q.themas or bool(doc.themas.intersection(q.themas)) or (helpt and bool(q.behoeften)))
        and (not q.laag or bool(doc.laag.intersection(q.laag)))
        and (q.wijk is None or q.wijk in doc.wijk_codes or doc.bereik is not None)
        and (q.organization_id is None or doc.organization_id == q.organization_id)
        and (q.taxonomy_term_id is None or q.taxonomy_term_id in doc.term_ids)
        and (q.modified_after is None or doc.last_modified > _aware(q.modified_after))
    )


def _nearest(doc: Doc, afstand: dict[tuple[str, str], float], wijk: str | None) -> tuple[int | None, Place | None]:
    """The nearest of the listing's places (in the wijk, if it has one there) by the engine's distances; without
    distances (no point, or none measured) the first place."""
    places = [p for p in doc.places if wijk is None or p.wijk_code == wijk] or doc.places
    if not places:
        return None, None
    best, best_d = places[0], None
    for p in places:
        d = afstand.get((doc.service_id, p.location_id))
        if d is not None and (best_d is None or d < best_d):
            best, best_d = p, d
    return (round(best_d) if best_d is not None else None), best


def _suggestions(index: Index, query_words: list[str], themas: list[str]) -> list[str]:
    """Other searches that do find something: recognised themes, then close words, then common themes."""
    out = list(themas)
    for w in query_words:
        near = text.closest(w, index.word_list)
        if near and near not in out:
            out.append(near)
    for thema in ("geld", "eenzaamheid", "opvoeden", "gezondheid"):
        if len(out) >= 4:
            break
        if thema not in out:
            out.append(thema)
    return out[:4]

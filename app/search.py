"""The one search function: free text, filters and distance. Used by the HTML pages and the JSON API.

The search backend is an in-memory index per process, built from the database with one set of
queries and rebuilt when the data changes (a cheap version check per search). It needs nothing
database-specific, so SQLite and PostgreSQL behave the same; a database full-text backend could
replace `build_index` and `_text_scores` without touching the callers.
"""
import math
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from app import geo, hours, lexicon, text
from app.config import get_settings
from app.models import (
    Attribute,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

# How much a word counts, by where it stands in a listing.
FIELD_WEIGHTS = {"name": 3.0, "thema": 2.0, "organization": 1.5, "description": 1.0}
# A resident's word that points to a theme ("deurwaarder" -> schulden) counts like a theme word.
SYNONYM_WEIGHT = 2.0


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
    checked_at: float = field(default_factory=time.monotonic)


@dataclass
class Query:
    q: str = ""
    themas: tuple[str, ...] = ()
    laag: tuple[str, ...] = ()
    wijk: str | None = None
    point: tuple[float, float] | None = None  # (lat, lon)
    max_distance_m: int | None = None
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


@dataclass
class Result:
    hits: list[Hit]
    themas_herkend: list[str]  # themes the words point to
    verbeterd: dict[str, str]  # misspelt word -> the word we searched for
    suggesties: list[str]  # other searches to try when nothing was found
    version: tuple = ()  # the data version the result comes from


_lock = threading.Lock()
_cache: dict[str, Index] = {}


def data_version(session: Session) -> tuple:
    """Changes whenever a listing is added, removed or edited."""
    return tuple(session.exec(select(
        select(func.count()).select_from(Service).scalar_subquery(),
        select(func.max(Service.last_modified)).scalar_subquery(),
        select(func.count()).select_from(Location).scalar_subquery(),
        select(func.max(Location.last_modified)).scalar_subquery(),
    )).one())


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
                with Session(session.get_bind()) as own:
                    index = build_index(own, version)
                _cache[key] = index
    return index


def build_index(session: Session, version: tuple = ()) -> Index:
    terms = {t.id: t for t in session.exec(select(TaxonomyTerm))}
    taxonomies = {t.id: t.name for t in session.exec(select(Taxonomy))}
    org_names = {o.id: o.name for o in session.exec(select(Organization))}
    locations = {loc.id: loc for loc in session.exec(select(Location))}
    attrs: dict[str, list[TaxonomyTerm]] = defaultdict(list)
    for a in session.exec(select(Attribute)):
        if a.taxonomy_term_id in terms:
            attrs[a.link_id].append(terms[a.taxonomy_term_id])
    places: dict[str, list[Place]] = defaultdict(list)
    for sal in session.exec(select(ServiceAtLocation)):
        loc = locations[sal.location_id]
        rd = geo.to_rd(loc.latitude, loc.longitude) if loc.latitude is not None else None
        places[sal.service_id].append(Place(loc.id, loc.wijk_code, rd))
    schedules: dict[str, list] = defaultdict(list)
    for s in session.exec(select(Schedule).where(Schedule.service_id.is_not(None))):
        schedules[s.service_id].append(s)

    docs, postings, words, by_thema = [], defaultdict(list), {}, defaultdict(list)
    for svc in session.exec(select(Service).where(Service.status == "active").order_by(Service.name)):
        svc_terms = attrs.get(svc.id, [])
        by_tax = defaultdict(set)
        for t in svc_terms:
            by_tax[taxonomies.get(t.taxonomy_id)].add(t.code)
        doc = Doc(
            service_id=svc.id, name=svc.name, organization_id=svc.organization_id,
            laag=frozenset(by_tax["laag"]), themas=frozenset(by_tax["thema"]),
            term_ids=frozenset(t.id for t in svc_terms), places=places.get(svc.id, []),
            schedules=schedules.get(svc.id, []), last_modified=_aware(svc.last_modified),
        )
        fields = {
            "name": svc.name,
            "thema": " ".join(f"{t.code} {t.name}" for t in svc_terms if taxonomies.get(t.taxonomy_id) == "thema"),
            "organization": org_names.get(svc.organization_id, ""),
            "description": svc.description,
        }
        for fname, value in fields.items():
            for w in text.words(value):
                s = text.stem(w)
                words.setdefault(w, s)
                doc.terms[s] = max(doc.terms.get(s, 0.0), FIELD_WEIGHTS[fname])
        i = len(docs)
        docs.append(doc)
        for s, weight in doc.terms.items():
            postings[s].append((i, weight))
        for thema in doc.themas:
            by_thema[thema].append(i)
    # Detached, the schedules stay readable after this session closes.
    session.expunge_all()
    return Index(version, docs, dict(postings), words, list(words), dict(by_thema))


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def search(session: Session, query: Query) -> Result:
    index = get_index(session)
    query_words = text.words(query.q)
    themas_herkend = lexicon.themes_for_words(query_words) if query_words else []
    verbeterd: dict[str, str] = {}
    scores = _text_scores(index, query_words, themas_herkend, verbeterd) if query_words else None

    origin = geo.to_rd(*query.point) if query.point else None
    now = query.now or datetime.now(UTC)
    hits = []
    candidates = scores.keys() if scores is not None else range(len(index.docs))
    for i in candidates:
        doc = index.docs[i]
        if not _passes_filters(doc, query):
            continue
        distance, place = _nearest(doc, origin, query.wijk)
        if query.max_distance_m is not None and (distance is None or distance > query.max_distance_m):
            continue
        if query.open_nu and not hours.status(doc.schedules, now).open_nu:
            continue
        hits.append(Hit(doc.service_id, round(scores[i], 3) if scores else 0.0, distance,
                        place.location_id if place else None))

    by_distance = origin is not None and query.sort != "relevantie"
    if by_distance:
        hits.sort(key=lambda h: (h.distance_m is None, h.distance_m or 0, -h.score))
    elif scores is not None:
        hits.sort(key=lambda h: -h.score)  # stable: equal scores stay in name order
    suggesties = [] if hits else _suggestions(index, query_words, themas_herkend)
    return Result(hits, themas_herkend, verbeterd, suggesties, index.version)


def _text_scores(index: Index, query_words: list[str], themas: list[str], verbeterd: dict) -> dict[int, float]:
    n = len(index.docs) or 1
    scores: dict[int, float] = defaultdict(float)
    for w in query_words:
        s = text.stem(w)
        if s not in index.postings:
            near = text.closest(w, index.word_list)
            if near is not None:
                s = index.words[near]
                verbeterd[w] = near
        matches: dict[int, float] = {}
        postings = index.postings.get(s, [])
        idf = math.log(1 + n / (1 + len(postings)))
        for i, weight in postings:
            matches[i] = weight * idf
        for thema in lexicon.themes_for_words([w]):
            members = index.by_thema.get(thema, [])
            thema_idf = math.log(1 + n / (1 + len(members)))
            for i in members:
                matches[i] = max(matches.get(i, 0.0), SYNONYM_WEIGHT * thema_idf)
        for i, value in matches.items():
            scores[i] += value
    return scores


def _passes_filters(doc: Doc, q: Query) -> bool:
    return (
        (not q.themas or bool(doc.themas.intersection(q.themas)))
        and (not q.laag or bool(doc.laag.intersection(q.laag)))
        and (q.wijk is None or q.wijk in doc.wijk_codes)
        and (q.organization_id is None or doc.organization_id == q.organization_id)
        and (q.taxonomy_term_id is None or q.taxonomy_term_id in doc.term_ids)
        and (q.modified_after is None or doc.last_modified > _aware(q.modified_after))
    )


def _nearest(doc: Doc, origin, wijk: str | None) -> tuple[int | None, Place | None]:
    places = [p for p in doc.places if wijk is None or p.wijk_code == wijk] or doc.places
    if not places:
        return None, None
    if origin is None:
        return None, places[0]
    best, best_d = places[0], None
    for p in places:
        if p.rd is not None:
            d = math.hypot(p.rd[0] - origin[0], p.rd[1] - origin[1])
            if best_d is None or d < best_d:
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

"""The PostgreSQL search engine (SEARCH_BACKEND=postgres): full-text search and PostGIS answer what app/search.py asks.

Words: the generated `zoekvector` columns of migration 0005 (GIN-indexed) hold every listing's words folded as
app/text.py folds them; a stem is asked as the tsquery of every word the listings have with that Dutch stem
(index.per_stem, the app's Snowball stemmer), so a word matches exactly the listings and fields it matches in the
in-process index. The name and the description are weights A and D of one vector, so "in the name?" is `word:A`.
Distances: ST_Distance on geography (metres on the WGS84 spheroid) from the location points of migration 0004, and
ST_DWithin on the geography GiST index when there is a maximum distance. The in-process index measures in RD New; the
two differ by well under a metre in Hengelo (RD New's scale there is 1.00003).
"""
from collections import defaultdict
from functools import lru_cache

from sqlalchemy import Engine, inspect, text
from sqlmodel import Session

from app.search import FIELD_WEIGHTS, Doc, Index


class ZoekmachineNietKlaar(RuntimeError):
    """SEARCH_BACKEND=postgres on a database without the columns it needs."""


# Per stem (nr) and listing: in which fields a word of the stem stands. Each source once, through its GIN index; a
# listing found by several sources is one row.
_TREFFERS = text("""
WITH v AS MATERIALIZED (
  SELECT nr, to_tsquery('simple', q) AS q, to_tsquery('simple', qa) AS qa, to_tsquery('simple', qd) AS qd
  FROM unnest(CAST(:nrs AS int[]), CAST(:q AS text[]), CAST(:qa AS text[]), CAST(:qd AS text[])) AS u(nr, q, qa, qd)
), bron AS (
  SELECT v.nr, s.id, s.zoekvector @@ v.qa AS naam, s.zoekvector @@ v.qd AS omschrijving,
         false AS organisatie, false AS thema
  FROM v JOIN service s ON s.zoekvector @@ v.q
  UNION ALL
  SELECT v.nr, s.id, false, false, true, false
  FROM v JOIN organization o ON o.zoekvector @@ v.q JOIN service s ON s.organization_id = o.id
  UNION ALL
  SELECT v.nr, a.link_id, false, false, false, true
  FROM v JOIN taxonomy_term t ON t.zoekvector @@ v.q JOIN taxonomy x ON x.id = t.taxonomy_id AND x.name = 'thema'
  JOIN attribute a ON a.taxonomy_term_id = t.id
)
SELECT nr, id, bool_or(naam), bool_or(omschrijving), bool_or(organisatie), bool_or(thema) FROM bron GROUP BY nr, id
""")

_PUNT = "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography"
_AFSTANDEN = f"""
SELECT sal.service_id, sal.location_id, ST_Distance(l.geom::geography, {_PUNT})
FROM service_at_location sal JOIN location l ON l.id = sal.location_id
WHERE sal.service_id = ANY(CAST(:ids AS text[])) AND l.geom IS NOT NULL"""
_AFSTANDEN_BINNEN = text(_AFSTANDEN + f" AND ST_DWithin(l.geom::geography, {_PUNT}, :max_m)")
_AFSTANDEN_ALLE = text(_AFSTANDEN)


@lru_cache
def _klaar(engine: Engine) -> None:
    """Refuses, in Dutch, a database this engine cannot search; once per engine."""
    if engine.dialect.name != "postgresql":
        raise ZoekmachineNietKlaar("SEARCH_BACKEND=postgres kan alleen met een PostgreSQL-database.")
    kolommen = inspect(engine)
    if not any(c["name"] == "zoekvector" for c in kolommen.get_columns("service")):
        raise ZoekmachineNietKlaar("De zoekkolommen ontbreken: voer eerst `python -m app db upgrade` uit.")
    if not any(c["name"] == "geom" for c in kolommen.get_columns("location")):
        raise ZoekmachineNietKlaar("SEARCH_BACKEND=postgres heeft PostGIS nodig voor de afstanden: installeer de"
                                   " extensie en voer `python -m app db upgrade` uit.")


def _tsquery(words: list[str], label: str = "") -> str:
    """Folded words are [a-z0-9]+ only (app/text.py), so they are safe as tsquery operands."""
    return " | ".join(f"{w}:{label}" if label else w for w in words)


class Postgres:
    naam = "postgres"

    def treffers(self, session: Session, index: Index, stems: list[str]) -> dict[str, list[tuple[int, float]]]:
        if not stems:
            return {}
        _klaar(session.get_bind().engine)
        words = [index.per_stem[s] for s in stems]
        rows = session.execute(_TREFFERS, {
            "nrs": list(range(len(stems))), "q": [_tsquery(w) for w in words],
            "qa": [_tsquery(w, "A") for w in words], "qd": [_tsquery(w, "D") for w in words],
        })
        out: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for nr, service_id, naam, omschrijving, organisatie, thema in rows:
            i = index.position.get(service_id)
            if i is None:  # not a listing residents see (deleted, or its organisation is)
                continue
            velden = {"name": naam, "thema": thema, "organization": organisatie, "description": omschrijving}
            out[stems[nr]].append((i, sum(FIELD_WEIGHTS[f] for f, staat in velden.items() if staat)))
        return out

    def afstanden(self, session: Session, docs: list[Doc], point: tuple[float, float],
                  max_m: int | None) -> dict[tuple[str, str], float]:
        _klaar(session.get_bind().engine)
        params = {"ids": [d.service_id for d in docs], "lat": point[0], "lon": point[1]}
        rows = session.execute(_AFSTANDEN_ALLE, params) if max_m is None else \
            session.execute(_AFSTANDEN_BINNEN, {**params, "max_m": max_m})
        return {(service_id, location_id): metres for service_id, location_id, metres in rows}


POSTGRES = Postgres()

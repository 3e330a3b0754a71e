"""Spatial questions to the database: PostGIS on PostgreSQL when migration 0004 made the geometry columns, the
shapely path of app/geo.py everywhere else. Both give the same answers (tests/test_ruimte.py).

The data layer places an address with `locate` when it saves one. Search keeps its in-process index on both
databases (same results by construction, and well within its time budget: see bench/README.md); the indexed
geometry is there for spatial questions that outgrow one process, such as several gemeenten in one database.
"""
from functools import lru_cache

from sqlalchemy import Engine, inspect, text
from sqlmodel import Session

from app import geo


@lru_cache
def _postgis(engine: Engine) -> bool:
    if engine.dialect.name != "postgresql":
        return False
    return any(c["name"] == "geom" for c in inspect(engine).get_columns("location"))


def postgis(session: Session) -> bool:
    """Whether this database has the PostGIS columns (PostgreSQL with the extension, after migration 0004)."""
    return _postgis(session.get_bind().engine)


_PUNT = "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)"


def locate(session: Session, lat: float, lon: float) -> tuple[str | None, str | None]:
    """(wijk_code, buurt_code) of the buurt that contains the point, or (None, None) outside Hengelo."""
    if not postgis(session):
        return geo.locate(lat, lon)
    row = session.exec(text(
        f"SELECT wijk_code, code FROM buurt WHERE ST_Intersects(geom, {_PUNT}) ORDER BY code LIMIT 1"
    ).bindparams(lat=lat, lon=lon)).first()
    return (row[0], row[1]) if row else (None, None)


"""PostGIS and shapely place a point in the same wijk and buurt (on PostgreSQL with PostGIS; SQLite: shapely)."""
import pytest
from sqlalchemy import text
from sqlmodel import Session

from app import geo, ruimte


def test_postgis_is_used_where_the_database_has_it(engine):
    with Session(engine) as s:
        if engine.dialect.name == "sqlite":
            assert not ruimte.postgis(s)
        elif s.exec(text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first():
            assert ruimte.postgis(s)
            assert s.exec(text("SELECT count(*) FROM buurt WHERE geom IS NULL")).one()[0] == 0
            # The point follows latitude/longitude by itself (a generated column).
            located = s.exec(text("SELECT count(*) FROM location WHERE (geom IS NULL) <> (latitude IS NULL)")).one()
            assert located[0] == 0
        else:
            pytest.skip("PostgreSQL zonder PostGIS: de shapely-weg geldt")


def test_both_paths_give_the_same_wijk_and_buurt(engine):
    points = [*geo.pc4_points().values(), *(geo.area_point(b.code) for b in geo.buurten()),
              (52.2, 6.5), (52.3, 6.9)]  # and two outside Hengelo
    with Session(engine) as s:
        got = [ruimte.locate(s, lat, lon) for lat, lon in points]
    assert got == [geo.locate(lat, lon) for lat, lon in points]
    assert got[-2:] == [(None, None), (None, None)]
    assert sum(1 for g in got if g[1]) >= len(geo.buurten())

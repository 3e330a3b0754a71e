"""PostGIS geometry on PostgreSQL: wijk and buurt polygons and location points, indexed.

Generated columns, computed by the database from the GeoJSON and latitude/longitude the app already writes: they
can never be out of step, and no write path needs to know about them. Only on PostgreSQL with the PostGIS
extension available; SQLite (and PostgreSQL without PostGIS) keep the shapely path of app/geo.py.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

GEOMETRIE = {
    "wijk": "geometry GENERATED ALWAYS AS (ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)) STORED",
    "buurt": "geometry GENERATED ALWAYS AS (ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)) STORED",
    "location": "geometry(Point, 4326) GENERATED ALWAYS AS (CASE WHEN latitude IS NOT NULL AND longitude IS NOT NULL"
                " THEN ST_SetSRID(ST_MakePoint(longitude, latitude), 4326) END) STORED",
}


def _postgis_available(bind) -> bool:
    if bind.dialect.name != "postgresql":
        return False
    return bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first() is not None


def upgrade() -> None:
    bind = op.get_bind()
    if not _postgis_available(bind):
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    for table, column in GEOMETRIE.items():
        op.execute(f"ALTER TABLE {table} ADD COLUMN geom {column}")
        op.execute(f"CREATE INDEX ix_{table}_geom ON {table} USING gist (geom)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in GEOMETRIE:
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS geom")

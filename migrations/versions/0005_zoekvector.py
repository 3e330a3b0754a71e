"""PostgreSQL full-text search for SEARCH_BACKEND=postgres: word vectors of listings, organisations and themes.

Generated columns, computed by the database from the names and descriptions the app already writes, so every write
through app/data/core.py keeps them current and no write path needs to know about them. GIN indexes on the
vectors, and a GiST index on the location points as geography for ST_DWithin in metres (only with PostGIS, 0004).

The words are folded as app/text.py folds them (NFKD without accents, lower case, every run of [a-z0-9] a word) by
an immutable SQL function, and kept unstemmed with the 'simple' configuration: the search expands a resident's
word to every word of the listings with the same Dutch stem, stemmed by the app's own Snowball stemmer. PostgreSQL
15's 'dutch' configuration has an older Snowball Dutch stemmer that groups words differently (cursus and cursussen,
brief and brieven apart; dag and dagen together), so its results could never be the in-process index's.
Only on PostgreSQL; SQLite is untouched.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Combining marks (what unicodedata.combining() is true for, in the blocks Latin text uses).
_TEKENS = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
VOUW = f"""
CREATE FUNCTION wijkentree_vouw(tekst text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(lower(regexp_replace(normalize(coalesce(tekst, ''), NFKD), '{_TEKENS}', '', 'g')),
                        '[^a-z0-9]+', ' ', 'g')
$$"""


def _vector(*kolommen: str) -> str:
    return "to_tsvector('simple'::regconfig, wijkentree_vouw(" + " || ' ' || ".join(kolommen) + "))"


ZOEKVECTOR = {
    # The name and the description apart (weights A and D), so one index answers "in the name?" too.
    "service": f"setweight({_vector('name')}, 'A') || setweight({_vector('description')}, 'D')",
    "organization": _vector("name"),
    "taxonomy_term": _vector("code", "name"),
}


def _postgis(bind) -> bool:
    return bind.execute(sa.text(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'location' AND column_name = 'geom'"
    )).first() is not None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(VOUW)
    for table, vector in ZOEKVECTOR.items():
        op.execute(f"ALTER TABLE {table} ADD COLUMN zoekvector tsvector GENERATED ALWAYS AS ({vector}) STORED")
        op.execute(f"CREATE INDEX ix_{table}_zoekvector ON {table} USING gin (zoekvector)")
    if _postgis(bind):
        op.execute("CREATE INDEX ix_location_geog ON location USING gist ((geom::geography))")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_location_geog")
    for table in ZOEKVECTOR:
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS zoekvector")
    op.execute("DROP FUNCTION IF EXISTS wijkentree_vouw(text)")

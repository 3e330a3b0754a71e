"""The database engine and the session dependency. SQLite by default, PostgreSQL in production."""
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import NullPool
from sqlalchemy.types import UserDefinedType
from sqlmodel import Session, create_engine

from app.config import get_settings


class NietSchrijfbaar(Exception):
    """The database answers reads but cannot take a write now: read-only, a standby, or locked too long."""


# The errors that mean "the database is locked, stopped or unreachable" (not "this request is wrong"):
# answered with a Dutch 503 (app/main.py), and never in the way of the emergency lines.
DATABASE_WEG = (OperationalError, InterfaceError, PoolTimeout, NietSchrijfbaar)

# /healthz waits this long at most for the write lock: the load balancer's own check times out after a few seconds,
# and a replica whose database is stuck should be reported as such, not time out.
HEALTHZ_WACHT_MS = 1000
_GEEN_RIJ = text("UPDATE data_versie SET versie = versie WHERE 1 = 0")

# The count writer (app/tellingen.py) gives up on a held lock after this long, instead of SQLite's default 5 s:
# a count is dropped rather than kept waiting, so it never holds up an answer.
WRITER_LOCK_TIMEOUT_S = 0.1


@lru_cache
def get_engine(url: str | None = None) -> Engine:
    """The engine of the app and its commands, with the pool and timeouts of the settings."""
    settings = get_settings()
    url = url or settings.database_url
    pool = dict(pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow,
                pool_timeout=settings.db_pool_timeout)
    if make_url(url).get_backend_name() == "sqlite":
        return _engine(url, {"timeout": settings.sqlite_busy_timeout_ms / 1000}, **pool)
    return _engine(url, {"options": f"-c statement_timeout={settings.db_statement_timeout_ms}"
                                    f" -c lock_timeout={settings.db_lock_timeout_ms}"}, **pool)


@lru_cache
def get_writer_engine(url: str | None = None) -> Engine:
    """The count writer's own engine: one connection with short lock, statement and connect timeouts.

    It only ever runs one UPSERT per batch, which is atomic on its own: in autocommit that is one round trip
    instead of BEGIN, statement and COMMIT, and so a shorter wait for every request in the batch.
    """
    url = url or get_settings().database_url
    ms = int(WRITER_LOCK_TIMEOUT_S * 1000)
    kwargs = dict(pool_size=1, max_overflow=0, isolation_level="AUTOCOMMIT", pool_reset_on_return=None)
    if make_url(url).get_backend_name() == "sqlite":
        return _engine(url, {"timeout": WRITER_LOCK_TIMEOUT_S}, **kwargs)
    return _engine(url, {"connect_timeout": 1, "options": f"-c lock_timeout={ms} -c statement_timeout={10 * ms}"},
                   pool_pre_ping=True, **kwargs)


def _engine(url: str, connect_args: dict | None = None, **kwargs) -> Engine:
    parsed = make_url(url)
    connect_args = dict(connect_args or {})
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        connect_args["check_same_thread"] = False
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        # This engine's reflection (app/ruimte.py, Alembic, the tests' inspector) knows the PostGIS columns'
        # type; the dialect's own table stays as it is for every other engine.
        engine.dialect.ischema_names = {**engine.dialect.ischema_names, "geometry": Geometrie}
    return engine


class Geometrie(UserDefinedType):
    """PostGIS geometry as reflection finds it, e.g. geometry(Point,4326) (migration 0004 makes the columns).

    The app never maps these columns to Python: it asks PostGIS in SQL (app/ruimte.py), so a type with a name is
    all that is needed, without a GIS library.
    """
    cache_ok = True

    def __init__(self, soort: str = "Geometry", srid: str | int = 4326):
        self.soort, self.srid = soort, int(srid)

    def get_col_spec(self, **_kw) -> str:
        return f"geometry({self.soort},{self.srid})"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers continue while Wijkracht saves an edit; foreign keys are off by default in SQLite.
    cur.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is still crash-safe (no corruption); it skips an fsync per commit.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def controleer_schrijven(session: Session) -> None:
    """Raise NietSchrijfbaar unless the database can take a write now, and leave nothing behind.

    An UPDATE that matches no row still asks for the write lock (SQLite) and the read-only check (PostgreSQL:
    a standby or default_transaction_read_only), but locks no row that a real writer would wait for, leaves no
    dead row and writes nothing to the log: cheap enough for a load balancer that asks every few seconds.
    """
    try:
        conn = session.connection()
        if conn.dialect.name == "sqlite":
            vorige = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {HEALTHZ_WACHT_MS}")
            try:
                conn.execute(_GEEN_RIJ)
            finally:
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(vorige)}")
        else:
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {HEALTHZ_WACHT_MS}")
            conn.execute(_GEEN_RIJ)
    except DBAPIError as exc:
        raise NietSchrijfbaar(type(exc.orig).__name__) from exc
    finally:
        session.rollback()


def get_session() -> Iterator[Session]:
    with Session(get_engine()) as session:
        yield session


def upgrade_db(url: str | None = None) -> None:
    """Run the Alembic migrations up to the newest one."""
    from alembic import command
    from alembic.config import Config

    from app.config import ROOT

    config = Config(str(ROOT / "alembic.ini"))
    # An engine of its own, without the app's statement and lock timeouts: rewriting a large table or waiting for
    # the replicas' locks may take longer than any request should, and a migration stopped halfway helps nobody.
    engine = _engine(url or get_settings().database_url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()

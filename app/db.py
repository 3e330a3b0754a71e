"""The database engine and the session dependency. SQLite by default, PostgreSQL in production."""
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from app.config import get_settings


@lru_cache
def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    parsed = make_url(url)
    kwargs = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False}
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers continue while Wijkracht saves an edit; foreign keys are off by default in SQLite.
    cur.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is still crash-safe (no corruption); it skips an fsync per commit.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def get_session() -> Iterator[Session]:
    with Session(get_engine()) as session:
        yield session


def upgrade_db(url: str | None = None) -> None:
    """Run the Alembic migrations up to the newest one."""
    from alembic import command
    from alembic.config import Config

    from app.config import ROOT

    config = Config(str(ROOT / "alembic.ini"))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")

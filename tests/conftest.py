"""A real SQLite database, made by the migrations and filled by the seed loader, behind the real app."""
import os
import tempfile
from pathlib import Path

_tmp = Path(tempfile.mkdtemp(prefix="wijkentree-test-"))
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp / 'test.db'}"
os.environ["STAFF_TOKEN"] = "test-medewerker-token"
os.environ["SEARCH_FRESHNESS_SECONDS"] = "0"  # tests edit and search at once
os.environ.pop("GEOCODER_URL", None)

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.db import get_engine, upgrade_db  # noqa: E402
from app.main import app  # noqa: E402
from app.seed import seed  # noqa: E402


@pytest.fixture(scope="session")
def engine():
    upgrade_db()
    engine = get_engine()
    with Session(engine) as session:
        seed(session)
    return engine


@pytest.fixture
def session(engine):
    with Session(engine) as session:
        yield session


@pytest.fixture(scope="session")
def client(engine):
    with TestClient(app) as client:
        yield client


@pytest.fixture
def fresh_db(tmp_path):
    """An empty migrated database of its own, for tests that write."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade_db(url)
    return get_engine(url)

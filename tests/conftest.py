"""A real database, made by the migrations and filled by the seed loader, behind the real app.

SQLite in a temp dir by default. With TEST_DATABASE_URL (a PostgreSQL server, as scripts/test-postgres.sh starts
one) every test database is a new database on that server instead: the same suite runs on both.
"""
import os
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

_tmp = Path(tempfile.mkdtemp(prefix="wijkentree-test-"))
_SERVER = os.environ.get("TEST_DATABASE_URL", "")


def new_database_url(name: str) -> str:
    """The URL of a new, empty database of its own: a SQLite file, or a database on the test PostgreSQL server."""
    if not _SERVER:
        return f"sqlite:///{_tmp / (name + '-' + uuid.uuid4().hex[:8])}.db"
    db = f"{name}_{uuid.uuid4().hex[:8]}".lower()
    admin = create_engine(_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    admin.dispose()
    return make_url(_SERVER).set(database=db).render_as_string(hide_password=False)


os.environ["DATABASE_URL"] = new_database_url("test")
os.environ["STAFF_TOKEN"] = "test-medewerker-token"
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"  # TestClient's host and the browser tests' server
os.environ["SEARCH_FRESHNESS_SECONDS"] = "0"  # tests edit and search at once
os.environ.pop("GEOCODER_URL", None)
# Off for the suite, which asks the same address hundreds of times; the `rate_limits_on` fixture switches them on.
os.environ["RATE_LIMITS"] = "false"

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
def eigen(engine):
    """A client of its own, for tests that choose a language: its cookie stays with this test."""
    with TestClient(app) as c:
        yield c


@pytest.fixture(autouse=True)
def _dutch_again(request):
    """A test that follows a language link (?lang=) on the shared client leaves the language cookie behind: the
    next test starts in Dutch again."""
    yield
    if "client" in request.fixturenames:
        request.getfixturevalue("client").cookies.delete("taal")


@pytest.fixture(scope="session")
def new_database():
    """new_database_url, for tests that need an empty database of their own on the same kind of server."""
    return new_database_url


@contextmanager
def client_op(engine):
    """A TestClient whose requests use `engine`'s database instead of the shared one."""
    from app.db import get_session

    def own_session():
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = own_session
    try:
        with TestClient(app) as c:
            yield c
    finally:
        app.dependency_overrides.pop(get_session, None)


@pytest.fixture(scope="session")
def app_met():
    """client_op as a fixture: `with app_met(engine) as client: ...` (a module-scoped database of a test file)."""
    return client_op


@pytest.fixture
def app_on(fresh_db):
    """The app on a seeded database of its own, for a test that edits listings: (client, engine)."""
    with Session(fresh_db) as s:
        seed(s)
    with client_op(fresh_db) as c:
        yield c, fresh_db


@pytest.fixture
def rate_limits_on(monkeypatch):
    """Rate limits and throttles switched on (app/throttle.py), with the settings read anew."""
    from app.config import get_settings
    from app.db import get_writer_engine
    from app.models import Drempel

    monkeypatch.setenv("RATE_LIMITS", "true")
    get_settings.cache_clear()
    # Counts start at zero: an earlier test's hits in the same window must not decide this test's answer.
    with get_writer_engine().begin() as conn:
        conn.execute(Drempel.__table__.delete())
    yield get_settings()
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def fresh_db():
    """An empty migrated database of its own, for tests that write."""
    url = new_database_url("fresh")
    upgrade_db(url)
    return get_engine(url)


@pytest.fixture
def database_weg():
    """A context manager: inside it, the app's requests get a database that cannot be opened (stopped or gone)."""
    from app.db import get_session

    weg = create_engine("sqlite:///file:/bestaat/niet/wijkentree.db?mode=ro&uri=true")

    def sessie():
        with Session(weg) as session:
            yield session

    @contextmanager
    def zonder_database():
        app.dependency_overrides[get_session] = sessie
        try:
            yield
        finally:
            del app.dependency_overrides[get_session]

    return zonder_database


def _rol_tokens(engine) -> dict[str, dict]:
    """Bearer headers per role on `engine`'s database: beheerder, medewerker, and a redacteur of the first
    organisation (by name) whose id is under "organisatie"; "anders" is an organisation that redacteur may not
    change. Tests use these for the role x endpoint matrix and for every admin call."""
    from sqlmodel import select

    from app.data import accounts
    from app.data.core import SYSTEEM
    from app.models import Organization

    with Session(engine) as s:
        orgs = s.exec(select(Organization.id).order_by(Organization.name)).all()
        out: dict[str, dict] = {"organisatie": orgs[0], "anders": orgs[1]}
        for rol in ("beheerder", "redacteur", "medewerker"):
            nieuw = accounts.maak_token(s, SYSTEEM, f"test-{rol}-{uuid.uuid4().hex[:6]}", rol,
                                        [orgs[0]] if rol == "redacteur" else None)
            out[rol] = {"authorization": f"Bearer {nieuw.geheim}"}
    return out


@pytest.fixture(scope="session")
def rol_tokens():
    """A function: rol_tokens(engine) -> bearer headers per role on that database (e.g. app_on's own).
    A fixture, not an import: importing conftest as a module would run it again and pick a new database."""
    return _rol_tokens


@pytest.fixture(scope="session")
def tokens(engine):
    """Bearer headers per role on the shared test database."""
    return _rol_tokens(engine)


BEHEER_WACHTWOORD = "een lange zin als wachtwoord"


@pytest.fixture
def beheer_login():
    """A function: beheer_login(engine, rol, organisaties) -> a TestClient with a cookie jar of its own, logged in
    through the real login form (/beheer/inloggen) as a new account of that role on `engine`'s database.
    Its forms need the page's own CSRF token, as a browser's do; the clients close when the test ends."""
    import re
    from contextlib import ExitStack

    from app.data import accounts
    from app.data.core import SYSTEEM

    with ExitStack() as open_clients:
        def inloggen(engine, rol: str = "beheerder", organisaties: list[str] | None = None) -> TestClient:
            email = f"{rol}-{uuid.uuid4().hex[:8]}@wijkracht.example"
            with Session(engine) as s:
                accounts.maak_gebruiker(s, SYSTEEM, email, f"Test {rol}", rol, BEHEER_WACHTWOORD, organisaties)
            browser = open_clients.enter_context(TestClient(app))
            form = browser.get("/beheer/inloggen")
            csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
            r = browser.post("/beheer/inloggen", data={"email": email, "wachtwoord": BEHEER_WACHTWOORD,
                                                       "csrf": csrf}, follow_redirects=False)
            assert r.status_code == 303, r.text
            return browser

        yield inloggen

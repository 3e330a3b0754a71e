"""Every setting comes from the environment, with a default that works on a laptop."""
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-only-change-me"

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_ignore_empty=True, extra="ignore")

    database_url: str = f"sqlite:///{ROOT / 'data' / 'wijkentree.db'}"
    # Connections per worker process: db_pool_size kept open, db_max_overflow more at busy moments. A request that
    # finds none free gets a Dutch 503 after db_pool_timeout seconds instead of waiting in a queue.
    db_pool_size: int = 5
    db_max_overflow: int = 10
    db_pool_timeout: float = 5.0
    # PostgreSQL: a statement or a wait for a lock that takes longer is stopped (a Dutch 503), so a stuck writer
    # never holds every pooled connection. Migrations run without these limits.
    db_statement_timeout_ms: int = 5000
    db_lock_timeout_ms: int = 2000
    # SQLite: how long a write waits for another writer's lock; reads never wait for it (WAL).
    sqlite_busy_timeout_ms: int = 2000
    host: str = "127.0.0.1"
    port: int = 8000
    # Public base URL, used in QR codes, mailto links and HSDS profile links.
    base_url: str = "http://127.0.0.1:8000"
    # Map tiles: PDOK BRT-Achtergrondkaart by default. Empty switches tiles off (outlines and markers stay).
    tile_url: str = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
    tile_attribution: str = 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> (BRT-Achtergrondkaart)'
    # PDOK Locatieserver for refining a full postcode. Empty means: only the offline PC4 table.
    geocoder_url: str = ""
    geocoder_timeout: float = 2.0
    # Staff pages (/medewerkers) until accounts exist: a shared token, sent as a Bearer header or entered once.
    staff_token: str = ""
    # Signs the staff session cookie. Must be set in production.
    secret_key: str = DEV_SECRET
    # "development" reloads changed templates; anything else is production.
    environment: str = "development"
    # How often (seconds) a worker checks whether listings changed; an edit shows in search within this time.
    search_freshness_seconds: float = 1.0
    # Who looks up words and distances (app/search.py): the in-process index, or PostgreSQL's full-text search
    # and PostGIS (app/zoekmachine_postgres.py, migration 0005). Same results either way.
    search_backend: Literal["index", "postgres"] = "index"
    # Host names the site answers to (comma-separated), besides the host of BASE_URL; "*" answers every host.
    # Any other Host header gets a 400, so a forged Host never ends up in a redirect or a link.
    allowed_hosts: str = "127.0.0.1,localhost,::1"
    # Largest request body in bytes (1 MB); larger ones get a 413 before they are read.
    max_body_bytes: int = 1_000_000
    # An import file (POST /api/v1/beheer/import) may be larger: the whole sociale kaart as CSV or HSDS zip.
    max_import_bytes: int = 20_000_000
    # The gemeente's general number (source: hengelo.nl, Inwonersfonds 2026 page).
    gemeente_telefoon: str = "14 074"
    # "Snel weg" on the vraagwijzer pages leaves for this neutral site (and replaces the history entry).
    snel_weg_url: str = "https://www.google.nl/"
    # Rate limits and login throttles (app/throttle.py), per window of the given seconds. RATE_LIMITS=false
    # switches them all off (make bench). Counted in the database, so they hold across workers and replicas.
    rate_limits: bool = True
    # Optional: count the rate limits in Redis (redis://host:6379/0) instead of the database table, for a setup
    # with many replicas where one upsert per counted request is too much. Sessions stay in the database.
    redis_url: str = ""
    # Beheer sessions end after this long without use, and after this long at most.
    sessie_idle_minuten: int = 30
    sessie_max_uren: int = 12
    limiet_inloggen_account: int = 10  # failed logins per account per 15 minutes
    limiet_inloggen_adres: int = 50  # failed logins (and wrong tokens) per address per 15 minutes
    limiet_meldingen: int = 10  # residents' reports per address per hour
    limiet_vraagwijzer: int = 120  # vraagwijzer answers per address per minute
    limiet_zoeken: int = 600  # searches per address per minute
    # Logs: "json" (one JSON object per line, for a log collector) or "tekst". Never personal data (app/logging_json.py).
    log_format: Literal["json", "tekst"] = "tekst"
    # Bearer token for /metrics (Prometheus); empty = no /metrics at all (404).
    metrics_token: str = ""
    limiet_contact: int = 5  # contact requests (/contact, POST /api/v1/contact) per address per hour
    # The front door (app/contact.py): Fernet keys, comma-separated; the first encrypts, all decrypt (rotatable).
    # Empty: a key derived from SECRET_KEY, only in development.
    contact_sleutels: str = ""
    contact_bewaardagen: int = 30  # handled requests are deleted this many days after handling
    contact_max_dagen: int = 90  # unhandled requests are deleted this many days after they came in
    # Mail to the wijkentree about a new request (reference and link only): smtp://host:port; empty = off.
    smtp_url: str = ""
    contact_melding_aan: str = ""  # the address that gets the mail


    @property
    def trusted_hosts(self) -> frozenset[str]:
        """Empty means every host ("*")."""
        names = {h.strip().strip("[]").lower() for h in self.allowed_hosts.split(",") if h.strip()}
        if "*" in names:
            return frozenset()
        return frozenset(names | {(urlsplit(self.base_url).hostname or "").lower()} - {""})

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> "Settings":
        if self.environment != "development" and self.staff_token and self.secret_key == DEV_SECRET:
            raise ValueError("Zet SECRET_KEY: met STAFF_TOKEN in productie mag de ontwikkelsleutel niet.")
        return self

    @model_validator(mode="after")
    def _postgres_search_needs_postgresql(self) -> "Settings":
        if self.search_backend == "postgres" and not self.database_url.startswith("postgresql"):
            raise ValueError("SEARCH_BACKEND=postgres kan alleen met een PostgreSQL-database: zet DATABASE_URL op"
                             " postgresql+psycopg://… of kies SEARCH_BACKEND=index.")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()

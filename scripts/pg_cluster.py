"""A throw-away PostgreSQL cluster for the benchmarks and the tests: initdb and pg_ctl from the newest
/usr/lib/postgresql/*/bin, in a temp dir of its own, on a free port on 127.0.0.1, as the postgres user when we are
root (initdb refuses to run as root). scripts/test-postgres.sh makes the same cluster in shell for the second test run.

    with PgCluster("wijkentree-bench-pg-") as pg:  # initdb and start; at the end stopped and removed
        use(pg.url)
        pg.stop()
        pg.start()  # the same data on the same port

PostGIS is whatever the PostgreSQL packages installed with that version (make db-deps): migration 0004 creates the
extension as the superuser postgres, so nothing is set up here; PgCluster(postgis=True) only checks it is there.
"""
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")
INSTALLEREN = "make db-deps installeert PostgreSQL en PostGIS"
# A throw-away cluster: speed over durability. fsync and synchronous_commit off lose nothing on a normal stop.
SETTINGS = {"listen_addresses": "127.0.0.1", "fsync": "off", "synchronous_commit": "off"}


class PostgresOntbreekt(RuntimeError):
    """PostgreSQL's server programs (or PostGIS, when asked for) are not installed; the message says what to do."""


def free_port() -> int:
    """A port nobody listens on now on 127.0.0.1 (also for the callers' own servers)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin() -> Path | None:
    """The newest installed version's bin directory, or None when it has no initdb (only the client installed)."""
    newest = max(PG_ROOT.glob("*/bin"), key=lambda p: int(p.parent.name), default=None)
    return newest if newest and (newest / "initdb").exists() else None


class PgCluster:
    """Nothing runs until start() (or `with`); the port and url are fixed from the start, and stay the same when the
    cluster is stopped and started again. `settings` are extra server settings (-c name=value)."""

    def __init__(self, prefix: str = "wijkentree-pg-", *, postgis: bool = False, **settings: str | int):
        pgbin = pg_bin()
        if pgbin is None:
            raise PostgresOntbreekt(f"PostgreSQL is niet geïnstalleerd (geen initdb in {PG_ROOT}/*/bin): {INSTALLEREN}")
        if postgis and not self._postgis_installed(pgbin):
            raise PostgresOntbreekt(f"PostGIS is niet geïnstalleerd voor PostgreSQL {pgbin.parent.name}: {INSTALLEREN}")
        self.pgbin, self.prefix = pgbin, prefix
        self.settings = SETTINGS | settings
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.dir: Path | None = None  # made by the first start()
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    @staticmethod
    def _postgis_installed(pgbin: Path) -> bool:
        share = subprocess.run([str(pgbin / "pg_config"), "--sharedir"], capture_output=True, text=True).stdout
        return (Path(share.strip()) / "extension" / "postgis.control").exists()

    @property
    def version(self) -> str:
        return subprocess.run([str(self.pgbin / "postgres"), "--version"], capture_output=True,
                              text=True).stdout.split()[2]

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([*self.as_pg, str(self.pgbin / program), *args], capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{program} faalde: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> None:
        if self.dir is None:
            self.dir = Path(tempfile.mkdtemp(prefix=self.prefix))
            self.dir.chmod(0o755)  # the postgres user must reach its directory
            if self.as_pg:
                shutil.chown(self.dir, "postgres")
            self._run("initdb", "-D", f"{self.dir}/data", "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8")
        options = " ".join(f"-c {name}={value}" for name, value in self.settings.items())
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-w", "-l", f"{self.dir}/log", "-o",
                  f"-p {self.port} -k {self.dir} {options}", "start")

    def stop(self, mode: str = "fast") -> None:
        """fast: the open connections are ended, what was committed is kept; immediate: no shutdown at all."""
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", mode, "-w", "stop")

    def close(self) -> None:
        """Stopped (when it still runs) and removed."""
        if self.dir is None:
            return
        try:
            self.stop("immediate")
        except RuntimeError:
            pass  # already stopped
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def __enter__(self) -> "PgCluster":
        try:
            self.start()
        except BaseException:
            self.close()  # initdb may have run: its directory goes too
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

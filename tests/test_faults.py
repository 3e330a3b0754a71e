"""Faults from outside, through a real uvicorn process on a free port: the database server stopped and started
again, the geocoder and the tile server unreachable, and SIGTERM while requests are in flight.

(A crash halfway an import is in test_import_export.py, a locked or vanished database in test_healthz.py and
test_database_weg.py.)
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from app.db import get_engine, upgrade_db
from app.models import Location, zichtbare_locatie
from app.seed import seed
from scripts.pg_cluster import PgCluster, PostgresOntbreekt, free_port

ROOT = Path(__file__).resolve().parent.parent
NOODNUMMERS = ('href="tel:112"', "0800-0113", "0800-2000")
NIET_BEREIKBAAR = "De sociale kaart is even niet bereikbaar"


@contextmanager
def server(database_url: str, **env: str):
    """uvicorn as production starts it (README, Dockerfile), in a process of its own: yields (base URL, process,
    its log file). Stopped with SIGTERM at the end if the test did not stop it itself."""
    port = free_port()
    omgeving = {k: v for k, v in os.environ.items() if k not in ("GEOCODER_URL", "TILE_URL")}
    omgeving |= {"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT), "RATE_LIMITS": "false",
                 "NO_PROXY": "127.0.0.1,localhost", **env}
    # A file, not a pipe: the app logs every request, and a full pipe would stall the server.
    with tempfile.TemporaryFile("w+") as log:
        proces = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
             "--no-access-log", "--timeout-graceful-shutdown", "20"],
            env=omgeving, stdout=log, stderr=subprocess.STDOUT, text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            eind = time.monotonic() + 30
            while True:
                assert proces.poll() is None, f"uvicorn stopte bij het starten:\n{_lees(log)}"
                try:
                    if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < eind, "uvicorn gaf binnen 30 s geen 200 op /healthz"
                time.sleep(0.1)
            yield base, proces, log
        finally:
            if proces.poll() is None:
                proces.send_signal(signal.SIGTERM)
                try:
                    proces.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proces.kill()
                    proces.wait()


def _lees(log) -> str:
    log.seek(0)
    return log.read()


def een_locatie(engine) -> str:
    with Session(engine) as s:
        return s.exec(select(Location.slug).where(zichtbare_locatie()).order_by(Location.slug)).first()


# -- 1. PostgreSQL stopped and started again ------------------------------------------------------------------------

@pytest.fixture
def cluster():
    """A throw-away PostgreSQL cluster, migrated and seeded, that the test can stop and start again on the same port."""
    try:
        c = PgCluster("wijkentree-fout-pg-")
    except PostgresOntbreekt as e:
        pytest.skip(str(e))
    with c:
        upgrade_db(c.url)
        engine = get_engine(c.url)
        with Session(engine) as s:
            seed(s)
        c.slug = een_locatie(engine)
        engine.dispose()  # the test's own connections must not be what the stop waits for
        yield c


def _dutch_503(r: httpx.Response) -> None:
    assert r.status_code == 503, (r.request.url, r.status_code)
    assert r.headers["retry-after"] == "60"
    assert NIET_BEREIKBAAR in r.text


def test_postgres_stopped_during_requests_gives_the_dutch_503_and_the_same_process_recovers(cluster):
    paden = ["/zoeken?q=schulden", f"/locaties/{cluster.slug}", "/wijken", "/api/v1/services?search=taal"]
    # The index's freshness is checked on every request, as after SEARCH_FRESHNESS_SECONDS in production.
    with server(cluster.url, SEARCH_FRESHNESS_SECONDS="0") as (base, proces, _), httpx.Client(base_url=base,
                                                                                            timeout=10) as c:
        for pad in ["/healthz", *paden]:
            assert c.get(pad).status_code == 200, pad

        # Residents keep asking while the database stops: each gets an answer, 200 or the Dutch 503, never a 500.
        with ThreadPoolExecutor(4) as pool:
            lopend = [pool.submit(lambda: [httpx.get(base + p, timeout=10) for _ in range(10) for p in paden])
                      for _ in range(4)]
            time.sleep(0.2)
            cluster.stop()
            tijdens = [r for werk in lopend for r in werk.result()]
        assert {r.status_code for r in tijdens} <= {200, 503}
        for r in tijdens:
            if r.status_code == 503:
                _dutch_503(r)

        for pad in paden[:3]:  # resident pages: the error page with the emergency numbers
            r = c.get(pad)
            _dutch_503(r)
            assert all(n in r.text for n in NOODNUMMERS), pad
        _dutch_503(c.get("/api/v1/services?search=taal"))
        begin = time.monotonic()
        _dutch_503(c.get("/healthz"))
        assert time.monotonic() - begin < 3  # the load balancer's check gets its answer in time

        cluster.start()
        eind = time.monotonic() + 10
        while (status := c.get("/healthz").status_code) != 200 and time.monotonic() < eind:
            time.sleep(0.2)
        assert status == 200
        for pad in paden:
            assert c.get(pad).status_code == 200, pad
        assert proces.poll() is None  # the same process, no restart


# -- 2. Geocoder and tile server unreachable ------------------------------------------------------------------------

def test_unreachable_geocoder_and_tile_server_leave_postcode_search_and_pages_working(engine):
    """test_geocoder.py tests the fallback function; here the whole app: the search page, the API, the
    vraagwijzer's postcode step and the map pages, with both settings pointing at a closed port."""
    # Free ports: nobody listens on them, so a connection is refused at once.
    geocoder = f"http://127.0.0.1:{free_port()}/bzk/locatieserver/search/v3_1/free"
    tegels_host = f"http://127.0.0.1:{free_port()}"
    tegels = tegels_host + "/wmts/{z}/{x}/{y}.png"
    url = engine.url.render_as_string(hide_password=False)
    # A long timeout: had the app waited for the geocoder instead of taking the refusal, it would show.
    with server(url, GEOCODER_URL=geocoder, GEOCODER_TIMEOUT="10", TILE_URL=tegels) as (base, _, _), \
            httpx.Client(base_url=base, timeout=30) as c:
        assert c.get("/zoeken?q=schulden").status_code == 200  # builds the search index: not what is timed
        begin = time.monotonic()
        zoek = c.get("/zoeken", params={"postcode": "7551 AB", "thema": "opvoeden"})
        assert zoek.status_code == 200
        assert "7551" in zoek.text and 'class="result__distance"' in zoek.text
        api = c.get("/api/v1/services", params={"postcode": "7551AB", "thema": "opvoeden"})
        assert api.status_code == 200 and api.json()["contents"]
        assert time.monotonic() - begin < 5  # about 0.1 s: the refused connection was not retried or waited on

        # The vraagwijzer to its result: the postcode step places 7551 AB by its PC4 point.
        token = ""
        for stap, velden in [("", {"gevaar": "nee"}), ("/onderwerp", {"thema": "schulden"}),
                             ("/voor-wie", {"voor_wie": "mezelf"}), ("/haast", {"haast": "nee"}),
                             ("/postcode", {"postcode": "7551 AB"})]:
            r = c.post("/vraagwijzer" + stap, data={**velden, "s": token}, follow_redirects=False)
            assert r.status_code == 303, (stap, r.text[:300])
            token = re.search(r"[?&]s=([^&]+)", r.headers["location"]).group(1)
        assert "/vraagwijzer/uitslag" in r.headers["location"]
        uitslag = c.get(r.headers["location"])
        assert uitslag.status_code == 200 and "7551" in uitslag.text

        # The map's tiles come from the browser, never from the server: the pages with a map render, point the
        # map at the configured tiles, and the CSP allows that host for images only.
        for pad in ["/", "/wijken", "/zoeken?q=schulden"]:
            r = c.get(pad)
            assert r.status_code == 200, pad
            if 'data-kaart' in r.text:
                assert f'data-tiles="{tegels}"' in r.text, pad
        csp = c.get("/").headers["content-security-policy"]
        assert f"img-src 'self' data: {tegels_host}" in csp and tegels_host not in csp.split("connect-src")[1]


# -- 3. SIGTERM while requests are in flight ------------------------------------------------------------------------

def _opgenomen(pid: int, port: int) -> int:
    """How many connections to `port` the process has accepted and read the request of (nothing left unread in the
    kernel): from then on uvicorn knows the request and a graceful shutdown waits for its answer. Before that a
    connection is not in flight yet (still in the listen backlog or unread), and SIGTERM closes it, as in any
    server; in production the load balancer stops sending first."""
    eigen = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            eigen.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except FileNotFoundError:  # closed between listing and reading: a connection that is done
            continue
    poort = f":{port:04X}"
    aantal = 0
    for regel in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        velden = regel.split()
        lokaal, toestand, rx, inode = velden[1], velden[3], velden[4].split(":")[1], velden[9]
        if lokaal.endswith(poort) and toestand == "01" and int(rx, 16) == 0 and f"socket:[{inode}]" in eigen:
            aantal += 1  # 01: ESTABLISHED, the listening socket itself is 0A
    return aantal


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="leest de verbindingen uit /proc (Linux)")
def test_sigterm_lets_every_request_in_flight_finish(engine):
    url = engine.url.render_as_string(hide_password=False)
    woorden = ["schulden", "eenzaam", "opvoeding", "taal leren", "mantelzorg", "werk zoeken", "huiswerk",
               "geld tekort", "ruzie thuis", "rolstoel"]
    paden = [f"/zoeken?q={w}&postcode=7551" for w in woorden] * 5  # 50 searches, about 1 s of work together
    with server(url) as (base, proces, log):
        port = int(base.rsplit(":", 1)[1])
        httpx.get(base + "/zoeken?q=schulden", timeout=10)  # the search index is built: not what is measured
        with ThreadPoolExecutor(len(paden)) as pool:
            antwoorden = [pool.submit(httpx.get, base + p, timeout=30) for p in paden]
            eind = time.monotonic() + 10
            while _opgenomen(proces.pid, port) + sum(a.done() for a in antwoorden) < len(paden):
                assert time.monotonic() < eind, "de server nam de verzoeken niet binnen 10 s aan"
                time.sleep(0.01)
            klaar_voor_sigterm = sum(a.done() for a in antwoorden)
            proces.send_signal(signal.SIGTERM)
            antwoorden = [a.result() for a in antwoorden]
        assert klaar_voor_sigterm < len(paden) / 2, "de meeste verzoeken waren al klaar: de test toont dan niets"
        assert [a.status_code for a in antwoorden] == [200] * len(paden)
        assert all(a.text.rstrip().endswith("</html>") for a in antwoorden)  # every answer whole, not cut off
        # uvicorn ends a graceful shutdown by raising the captured SIGTERM again (0.29 and later): the exit status
        # a supervisor expects from a process that stopped on SIGTERM (143 in a shell), not a crash.
        assert proces.wait(timeout=25) == -signal.SIGTERM
        uitvoer = _lees(log)
        assert "Application shutdown complete" in uitvoer and "Traceback" not in uitvoer, uitvoer[-2000:]

"""REDIS_URL: the rate limits counted in a real Redis server (Debian's redis-server, started here on a free port)
instead of the database table; and when Redis stops answering, requests still pass (fail open)."""
import shutil
import socket
import subprocess
import time

import pytest
import redis
from sqlalchemy import func, select

from app.db import get_writer_engine
from app.models import Drempel

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
pytestmark = pytest.mark.skipif(not shutil.which(REDIS_SERVER), reason="redis-server is not installed "
                                "(make test installs it; apt-get install redis-server)")


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path, rate_limits_on, monkeypatch):
    poort = _vrije_poort()
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(poort), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{poort}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    monkeypatch.setattr(rate_limits_on, "redis_url", url)
    yield url, proc
    proc.terminate()
    proc.wait(5)


def _drempel_rijen() -> int:
    with get_writer_engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(Drempel)).scalar_one()


def test_limits_are_counted_in_redis_and_not_in_the_database(client, redis_url, rate_limits_on):
    url, _proc = redis_url
    fout = {"service_id": "bestaat-niet", "soort": "kapot"}
    antwoorden = [client.post("/api/v1/meldingen", json=fout).status_code
                  for _ in range(rate_limits_on.limiet_meldingen + 1)]
    assert antwoorden[-1] == 429 and 429 not in antwoorden[:-1]
    r = client.post("/api/v1/meldingen", json=fout)
    assert r.status_code == 429 and 0 < int(r.headers["retry-after"]) <= 3600
    assert _drempel_rijen() == 0
    sleutels = redis.Redis.from_url(url).keys("drempel:*")
    # One key for this address and window, hashed (no address in clear), expiring with its window.
    assert len(sleutels) == 1 and b"testclient" not in sleutels[0]
    assert 0 < redis.Redis.from_url(url).ttl(sleutels[0]) <= 3601


def test_when_redis_stops_requests_still_pass(client, redis_url, rate_limits_on):
    _url, proc = redis_url
    proc.terminate()
    proc.wait(5)
    fout = {"service_id": "bestaat-niet", "soort": "kapot"}
    antwoorden = {client.post("/api/v1/meldingen", json=fout).status_code
                  for _ in range(rate_limits_on.limiet_meldingen + 2)}
    assert antwoorden == {404}  # the unknown service, every time: never a 429 nor a 500 (not counted, not stopped)

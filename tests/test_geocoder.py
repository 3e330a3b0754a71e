"""The optional PDOK Locatieserver refinement, against a local stand-in server (no network)."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from app import geo, geocoder
from app.config import get_settings

PC4_7551 = (52.2658, 6.7923)  # geo/bron/hengelo-postcodes-pc4.csv


class StandIn:
    """A tiny Locatieserver: answers the PDOK 'free' endpoint shape and counts requests."""

    def __init__(self):
        self.mode = "ok"  # ok | slow | error | empty | garbage
        self.points = {}  # compact postcode -> "POINT(lon lat)"
        self.default_point = "POINT(6.8 52.27)"
        self.delay = 1.0
        self.requests: list[dict[str, list[str]]] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                params = parse_qs(urlsplit(self.path).query)
                stand_in.requests.append(params)
                try:
                    self._answer(params)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as it should

            def _answer(self, params):
                if stand_in.mode == "slow":
                    time.sleep(stand_in.delay)
                if stand_in.mode == "error":
                    self._send(500, b'{"error": "boom"}')
                    return
                if stand_in.mode == "garbage":
                    self._send(200, b"<html>not json</html>")
                    return
                postcode = params.get("q", [""])[0].removeprefix("postcode:")
                docs = [] if stand_in.mode == "empty" else [
                    {"centroide_ll": stand_in.points.get(postcode, stand_in.default_point)}
                ]
                body = {"response": {"numFound": len(docs), "start": 0, "maxScore": 1.0, "docs": docs}}
                self._send(200, json.dumps(body).encode())

            def _send(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/bzk/locatieserver/search/v3_1/free"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _reset_caches():
    get_settings.cache_clear()
    geocoder._found.clear()


@pytest.fixture
def stand_in(monkeypatch):
    with StandIn() as server:
        monkeypatch.setenv("GEOCODER_URL", server.url)
        monkeypatch.setenv("GEOCODER_TIMEOUT", "2")
        monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
        _reset_caches()
        assert get_settings().geocoder_url == server.url
        try:
            yield server
        finally:
            monkeypatch.undo()
            _reset_caches()
    assert get_settings().geocoder_url == ""


def test_full_postcode_is_placed_by_the_geocoder(stand_in):
    point, precise = geocoder.locate_postcode(geo.parse_postcode("7551 AB"))
    assert point == (52.27, 6.8)  # WKT is "POINT(lon lat)"; we give (lat, lon)
    assert precise is True
    assert len(stand_in.requests) == 1
    params = stand_in.requests[0]
    assert params["q"] == ["postcode:7551AB"]
    assert params["fq"] == ["type:postcode"]
    assert params["fl"] == ["centroide_ll"]


def test_each_postcode_gets_its_own_point(stand_in):
    stand_in.points = {"7559NM": "POINT(6.80521 52.29412)", "7551AB": "POINT(6.7901 52.2651)"}
    assert geocoder.locate_postcode(geo.parse_postcode("7559nm")) == ((52.29412, 6.80521), True)
    assert geocoder.locate_postcode(geo.parse_postcode("7551 AB")) == ((52.2651, 6.7901), True)


def test_pc4_only_postcode_never_calls_the_geocoder(stand_in):
    point, precise = geocoder.locate_postcode(geo.parse_postcode("7551"))
    assert point == PC4_7551
    assert precise is False
    assert stand_in.requests == []


def test_postcode_outside_hengelo_is_refused_before_asking_the_geocoder(stand_in):
    with pytest.raises(geo.PostcodeError, match="niet in Hengelo"):
        geocoder.locate_postcode(geo.parse_postcode("1012 AB"))
    assert stand_in.requests == []


def test_slow_geocoder_falls_back_to_the_pc4_point(stand_in, monkeypatch):
    monkeypatch.setenv("GEOCODER_TIMEOUT", "0.2")
    get_settings.cache_clear()
    assert get_settings().geocoder_timeout == 0.2
    stand_in.mode = "slow"
    started = time.monotonic()
    point, precise = geocoder.locate_postcode(geo.parse_postcode("7551 AB"))
    assert time.monotonic() - started < stand_in.delay  # did not wait for the answer
    assert (point, precise) == (PC4_7551, False)
    assert len(stand_in.requests) == 1


@pytest.mark.parametrize("mode", ["error", "empty", "garbage"])
def test_broken_geocoder_answers_fall_back_to_the_pc4_point(stand_in, mode):
    stand_in.mode = mode
    assert geocoder.locate_postcode(geo.parse_postcode("7551 AB")) == (PC4_7551, False)
    assert len(stand_in.requests) == 1


def test_unparsable_point_falls_back_to_the_pc4_point(stand_in):
    stand_in.default_point = "LINESTRING(1 2, 3 4)"
    assert geocoder.locate_postcode(geo.parse_postcode("7551 AB")) == (PC4_7551, False)


def test_results_are_cached_per_postcode(stand_in):
    for _ in range(3):
        assert geocoder.locate_postcode(geo.parse_postcode("7551 AB")) == ((52.27, 6.8), True)
    assert geocoder.locate_postcode(geo.parse_postcode("7551ab")) == ((52.27, 6.8), True)
    assert len(stand_in.requests) == 1
    geocoder.locate_postcode(geo.parse_postcode("7552 CD"))
    assert len(stand_in.requests) == 2


def test_unreachable_geocoder_falls_back(monkeypatch):
    # A port nobody listens on: the connection is refused at once.
    with StandIn() as server:
        url = server.url
    monkeypatch.setenv("GEOCODER_URL", url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    _reset_caches()
    try:
        assert geocoder.locate_postcode(geo.parse_postcode("7551 AB")) == (PC4_7551, False)
    finally:
        monkeypatch.undo()
        _reset_caches()


def test_without_geocoder_url_only_the_pc4_table_answers():
    _reset_caches()
    assert get_settings().geocoder_url == ""
    assert geocoder.locate_postcode(geo.parse_postcode("7551 AB")) == (PC4_7551, False)
    assert not geocoder._found

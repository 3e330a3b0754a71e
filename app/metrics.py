"""Prometheus metrics on /metrics (bearer METRICS_TOKEN; without it the page does not exist) and the request
middleware that feeds them and writes one log line per request.

Labels are route templates ("/locaties/{slug}"), never URLs: a URL can hold a postcode or a search, and the
number of templates is fixed, so the metrics stay small whatever anyone asks.

The counters live in this process's memory (prometheus_client's default registry): run one worker per container
and let Prometheus scrape every replica. With several workers in one container each scrape sees one worker.
"""
import hmac
import logging
import time

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import throttle
from app.config import get_settings
from app.logging_json import nieuw_verzoek_id, verzoek_id

log = logging.getLogger("wijkentree.verzoek")

VERZOEKEN = Counter("wijkentree_http_requests", "Verzoeken per route, methode en status",
                    ["method", "route", "status"])
DUUR = Histogram("wijkentree_http_request_duration_seconds", "Duur van een verzoek tot het laatste byte",
                 ["method", "route"])
FOUTEN = Counter("wijkentree_http_errors", "Antwoorden met een serverfout (5xx) of een onverwachte fout",
                 ["route", "status"])
ZOEKINDEX = Histogram("wijkentree_search_index_build_seconds", "Opbouw van de zoekindex (aantal = herbouwd)",
                      buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
TELLINGEN_OVERGESLAGEN = Counter("wijkentree_vraagwijzer_counts_dropped",
                                 "Vraagwijzer-tellingen die niet zijn opgeslagen, per reden", ["reden"])
for reden in ("database", "teller", "limiet"):
    TELLINGEN_OVERGESLAGEN.labels(reden)  # shown as 0 from the start, so a rate() works before the first drop

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
ONBEKEND = "(onbekend)"  # no route matched: the URL itself is not a label


_voorvoegsels: dict[int, str] = {}  # id(route) -> prefix; routes live as long as the app


def route_van(scope: Scope) -> str:
    """The template of the matched route ("/api/v1/postcodes/{postcode}"), "/static/{path}", or "(onbekend)"."""
    route = scope.get("route")
    pad = getattr(route, "path", None)
    if pad is None:
        return f"{scope['root_path']}/{{path}}" if scope.get("root_path") else ONBEKEND  # a mount (/static)
    if id(route) not in _voorvoegsels:
        # A route of a router included with a prefix knows only its own part ("/postcodes/{postcode}"); the
        # prefix is the part of the URL before what the route matches, the same for every request.
        volledig = scope["path"]
        _voorvoegsels[id(route)] = next((volledig[:i] for i in range(len(volledig) + 1) if volledig[i:i + 1] in ("/", "")
                                     and route.path_regex.fullmatch(volledig[i:])), "")
    return _voorvoegsels[id(route)] + pad


class VerzoekMiddleware:
    """Outermost: a request id (X-Request-ID in and out, in every log line of the request), the duration until
    the last byte, the metrics, and one log line: method, route template, status, ms. Nothing from the URL's
    query, the body or the headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gegeven = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None)
        rid = nieuw_verzoek_id(gegeven)
        token = verzoek_id.set(rid)
        start = time.perf_counter()
        status, klaar = 500, None

        async def send_met_id(message: Message) -> None:
            nonlocal status, klaar
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                klaar = time.perf_counter()  # background tasks after the answer do not count as its duration
            await send(message)

        try:
            await self.app(scope, receive, send_met_id)
        finally:
            duur = (klaar or time.perf_counter()) - start
            method = scope["method"] if scope["method"] in METHODS else "ANDERS"
            route = route_van(scope)
            VERZOEKEN.labels(method, route, str(status)).inc()
            DUUR.labels(method, route).observe(duur)
            if status >= 500:
                FOUTEN.labels(route, str(status)).inc()
            log.info("%s %s %d %.1f ms", method, route, status, duur * 1000, extra={
                "method": method, "route": route, "status": status, "duur_ms": round(duur * 1000, 1)})
            verzoek_id.reset(token)


router = APIRouter(include_in_schema=False)


def _metrics_limiet() -> throttle.Limiet:
    return throttle.Limiet("metrics-token", get_settings().limiet_inloggen_adres, 900)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    token = get_settings().metrics_token
    if not token:
        raise HTTPException(404)  # switched off: as if there were no such page
    adres = throttle.client_adres(request)
    if wacht := throttle.stand(_metrics_limiet(), adres):
        raise throttle.te_vaak(wacht, "Inloggen")
    gegeven = request.headers.get("authorization", "")
    if not hmac.compare_digest(gegeven.encode(), f"Bearer {token}".encode()):
        throttle.tel(_metrics_limiet(), adres)
        raise HTTPException(401, "Voor de metrics is een geldige toegangscode nodig (Authorization: Bearer ...).",
                            headers={"www-authenticate": "Bearer"})
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST, headers={"cache-control": "no-store"})

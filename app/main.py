"""The web application: settings, middleware, routers, static files and error pages."""
import logging
import re
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from app import veiligheid
from app.api.main import api_router
from app.config import get_settings
from app.conventions import OpenDataMiddleware
from app.db import DATABASE_WEG
from app.errors import InputError, documenteer_fouten, dutch_detail, dutch_validation_errors
from app.lexicon import lexicon
from app.logging_json import configureer
from app.metrics import VerzoekMiddleware, route_van
from app.metrics import router as metrics_router
from app.routes import (
    accounts,
    beheer,
    bereik,
    bewerken,
    contact,
    inbox,
    medewerkers,
    meldingen,
    pages,
    vraagwijzer,
    wijkanalyse,
)
from app.security import RequestGuardMiddleware, SecurityHeadersMiddleware, content_security_policy
from app.taal import N_, TaalMiddleware
from app.templating import STATIC_DIR, templates
from app.toegang import NietIngelogd, login_url
from app.triage import laad_regels

log = logging.getLogger("wijkentree")


class CachedStaticFiles(StaticFiles):
    """Static URLs carry a content hash (?v=...), so browsers may keep them for a year."""

    def file_response(self, *args, **kwargs) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["cache-control"] = "public, max-age=31536000, immutable"
        return response


@asynccontextmanager
async def lifespan(_app: FastAPI):
    """Read and check the rules files before the first request: a wrong file stops start-up with a Dutch message,
    and no resident waits while eight requests each load them at once."""
    laad_regels()
    lexicon()
    veiligheid.regels()  # the safety net's phrasings
    yield


def create_app() -> FastAPI:
    settings = get_settings()
    configureer(settings.log_format)
    app = FastAPI(
        lifespan=lifespan,
        title="Wijkentree Hengelo API",
        version="1.0.0",
        description="Open data van de digitale sociale kaart van Hengelo, in de vorm van Open Referral HSDS 3.0.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )

    def openapi() -> dict:
        # Made once, then as the error handlers below answer (app/errors.py).
        if app.openapi_schema is None:
            documenteer_fouten(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi
    # Innermost: the language is set for the route and its templates only.
    app.add_middleware(TaalMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=500)
    # Outside gzip: a HEAD gets the headers of the compressed GET, and each encoding its own ETag.
    app.add_middleware(OpenDataMiddleware)
    # Outermost but for the security headers: a forged Host or an oversized body never reaches the app.
    app.add_middleware(RequestGuardMiddleware, allowed_hosts=settings.trusted_hosts, max_body=settings.max_body_bytes,
                       base_url=settings.base_url)
    app.add_middleware(
        SecurityHeadersMiddleware,
        csp=content_security_policy(settings.tile_url),
        hsts=settings.base_url.startswith("https"),
    )
    # Outermost of all: the request id, the timing and the metrics see every answer, a refused Host too.
    app.add_middleware(VerzoekMiddleware)
    app.mount("/static", CachedStaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api_router, prefix="/api/v1")
    app.include_router(vraagwijzer.router)
    app.include_router(contact.router)
    app.include_router(meldingen.router)
    app.include_router(medewerkers.router)
    app.include_router(accounts.router)
    app.include_router(beheer.router)
    app.include_router(inbox.router)
    app.include_router(bewerken.router)
    app.include_router(wijkanalyse.router)
    app.include_router(pages.router)
    app.include_router(bereik.router)
    app.include_router(metrics_router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = dutch_detail(exc.status_code, exc.detail)
        headers = exc.headers
        if exc.status_code == 405 and (methoden := _methoden(request)):
            headers = {k: v for k, v in (headers or {}).items() if k.lower() != "allow"} | {"allow": methoden}
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=headers)
        template = "404.html" if exc.status_code == 404 else "fout.html"
        return templates.TemplateResponse(
            request, template, {"melding": detail, "status": exc.status_code}, status_code=exc.status_code,
            headers=headers,
        )

    @app.exception_handler(NietIngelogd)
    async def niet_ingelogd(request: Request, exc: NietIngelogd) -> Response:
        # A page sends the person to the login and back here after; the API answers 401 with what to send.
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=401, headers=exc.headers)
        return RedirectResponse(login_url(exc.terug), status_code=303, headers={"cache-control": "no-store"})

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail = dutch_validation_errors(exc.errors())
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=422)
        message = " ".join(e["msg"] for e in detail)
        return templates.TemplateResponse(
            request, "fout.html", {"melding": message, "status": 422}, status_code=422
        )

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        detail = [{"loc": [exc.where, exc.field], "veld": exc.field, "msg": exc.message}]
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=422)
        return templates.TemplateResponse(
            request, "fout.html", {"melding": exc.message, "status": 422}, status_code=422
        )

    async def database_unavailable(request: Request, exc: Exception) -> Response:
        # Locked, read-only, stopped or unreachable: a 503 that says to try again soon (the next request reconnects:
        # no restart needed). The page needs no database and shows the emergency numbers like every page.
        log.warning("Database niet bereikbaar bij %s: %s", route_van(request.scope), type(exc).__name__)
        melding = N_("De sociale kaart is even niet bereikbaar. Probeer het over een paar minuten opnieuw.")
        headers = {"retry-after": "60", "cache-control": "no-store"}
        if _wants_json(request) or request.url.path == "/healthz":
            return JSONResponse({"detail": melding}, status_code=503, headers=headers)
        return templates.TemplateResponse(request, "500.html", {"melding": melding}, status_code=503, headers=headers)

    for error in DATABASE_WEG:
        app.add_exception_handler(error, database_unavailable)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("Onverwachte fout bij %s", route_van(request.scope))  # the template: no postcode from a URL
        if _wants_json(request):
            return JSONResponse(
                {"detail": "Er ging iets mis bij ons. Probeer het later nog eens."}, status_code=500
            )
        return templates.TemplateResponse(request, "500.html", {}, status_code=500)

    return app


def _methoden(request: Request) -> str:
    """The Allow of a 405 as the OpenAPI documents this path: Starlette names only the first route's methods, so
    GET /beheer/services would hide its POST. Empty for a path the OpenAPI does not list (the pages)."""
    for pad, ops in request.app.openapi()["paths"].items():
        if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(pad)), request.url.path):
            return ", ".join(m.upper() for m in ops)
    return ""


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


app = create_app()

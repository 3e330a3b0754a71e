"""Import and export (app/data/uitwisseling.py): the open data set as an HSDS 3.0 data package for everyone, and
the beheer CSV that the import reads back."""
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse

from app.api.deps import SessionDep
from app.config import get_settings
from app.data import uitwisseling
from app.toegang import IngelogdDep, RedacteurDep

router = APIRouter(tags=["uitwisseling"])
TOEGANG = {401: {"description": "Niet ingelogd: stuur een token als 'Authorization: Bearer ...'."},
           403: {"description": "Deze rol mag dit niet."}}

ALLEEN_CSV = ("Stuur het bestand als CSV, met de kop 'Content-Type: text/csv' (de kolommen van "
              "/api/v1/beheer/export.csv), of als HSDS-zip met 'Content-Type: application/zip' (zoals "
              "/api/v1/export/hsds.zip). Er is niets opgeslagen.")
ZIP = ("application/zip", "application/x-zip-compressed")


@router.get("/export/hsds.zip", summary="De open data als HSDS 3.0-datapakket (CSV-bestanden en datapackage.json)",
            response_class=Response, responses={200: {"content": {"application/zip": {}}}})
def hsds_zip(session: SessionDep) -> Response:
    inhoud, _ = uitwisseling.hsds_zip(session, get_settings().base_url)
    return Response(inhoud, media_type="application/zip",
                    headers={"content-disposition": 'attachment; filename="wijkentree-hengelo-hsds.zip"'})


@router.get("/beheer/export.csv", summary="Alle vermeldingen als CSV (de vorm die de import leest)",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}, **TOEGANG})
def beheer_csv(session: SessionDep, _: IngelogdDep) -> Response:
    tekst, _ = uitwisseling.beheer_csv(session)
    return Response(tekst, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="sociale-kaart-hengelo.csv"',
                             "cache-control": "no-store"})


async def _bestand(request: Request) -> tuple[bool, bytes]:
    """(is it a zip, the body as it came), read here so the route itself can stay synchronous (database calls)."""
    soort = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if soort not in ("text/csv", "application/csv", *ZIP):
        raise HTTPException(415, ALLEEN_CSV)
    return soort in ZIP, await request.body()


@router.post("/beheer/import", summary="Vermeldingen inlezen uit een CSV of HSDS-zip; met dry_run=true alleen kijken",
             responses={**TOEGANG, 415: {"description": "Geen CSV en geen zip"},
                        422: {"description": "Onleesbaar, of een rij geweigerd: er is niets opgeslagen"}},
             openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}},
                                                        "application/zip": {"schema": {"type": "string",
                                                                                       "format": "binary"}}}}})
def importeer(session: SessionDep, wie: RedacteurDep, bestand: Annotated[tuple[bool, bytes], Depends(_bestand)],
              dry_run: Annotated[bool, Query(description="Alleen laten zien wat er zou veranderen")] = False
              ) -> JSONResponse:
    is_zip, inhoud = bestand
    try:
        rijen = uitwisseling.lees_hsds_zip(session, inhoud) if is_zip else uitwisseling.lees_csv(inhoud)
    except uitwisseling.Onleesbaar as e:
        raise HTTPException(422, str(e)) from None
    verslag = uitwisseling.importeer(session, wie, rijen, proef=dry_run, bron="services.csv" if is_zip else "")
    return JSONResponse(verslag, status_code=422 if verslag["aantallen"]["geweigerd"] else 200,
                        headers={"cache-control": "no-store"})

"""The admin API (/api/v1/beheer): Wijkracht changes organizations, services, locations and their links.

Thin routes over app/data/aanbod.py (every write, its checks and its audit row) and app/data/overzicht.py (the
to-do list). Reading is for every role; changing is for beheerders and for redacteuren of the organisation
(aanbod checks that per object). The audit names the people who changed things, so a medewerker may not read
it, and a redacteur reads only the rows about their own organisations' listings.

Changing or deleting needs the ETag of a GET as If-Match: 428 without one, 412 when someone changed the object
meanwhile. One route class turns the data layer's errors into HTTP answers, so no route repeats that.
"""
import json
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Path, Query, Response
from fastapi.routing import APIRoute
from pydantic import BeforeValidator
from sqlalchemy import and_, func, or_
from sqlmodel import col, select

from app import hours, schemas
from app.api.deps import PagingDep, SessionDep, alleen_iso
from app.data import aanbod, meldingen, overzicht
from app.data.core import MODELLEN, NietGevonden
from app.errors import Bericht, Fouten
from app.hsds import page
from app.listings import ServiceView
from app.models import Audit, Location, Melding, Service, ServiceAtLocation
from app.toegang import IngelogdDep, RedacteurDep

# Path segment -> the data layer's name, and how a message names one of them.
SOORTEN = {"organizations": "organization", "services": "service", "locations": "location"}
PADEN = {**{v: k for k, v in SOORTEN.items()}, "service_at_location": "service_at_locations"}
SOORT_VAN = {v: k for k, v in PADEN.items()}
NAMEN = {"organization": "Deze organisatie", "service": "Deze dienst", "location": "Deze locatie",
         "service_at_location": "Deze koppeling"}
# Paths that are not one of the kinds above, and where to look instead.
NIET_GEVONDEN = {"meldingen": "Deze melding bestaat niet. Kijk in /api/v1/beheer/te-doen welke meldingen open zijn."}

GEEN_TOEGANG = ("U mag de vermeldingen van deze organisatie niet wijzigen. Vraag een beheerder van Wijkracht om "
                "toegang, als dat nodig is.")
VEROUDERD = ("Iemand anders heeft dit net gewijzigd. Er is niets opgeslagen. Haal het opnieuw op (GET), kijk wat "
             "er anders is en stuur uw wijziging dan nog een keer, met de nieuwe ETag als If-Match.")
ZONDER_ETAG = ("Stuur de ETag mee in de kop If-Match. Die krijgt u bij GET. Zo overschrijft u nooit per ongeluk "
               "een wijziging van iemand anders. Er is niets opgeslagen.")


BESCHRIJVING = {
    401: "Niet ingelogd: stuur een token als 'Authorization: Bearer ...'.",
    403: "Deze rol of deze organisatie mag dit niet.",
    404: "Bestaat niet: het id in het pad, of een id in de invoer (organization_id, service_id, location_id).",
    409: "Kan niet in deze toestand (al verwijderd, nog in gebruik, de slug al bezet).",
    412: "De ETag in If-Match is verouderd: iemand anders wijzigde het. Er is niets opgeslagen.",
    422: "De invoer klopt niet: per veld wat er mis is. Er is niets opgeslagen.",
    428: "If-Match ontbreekt. Er is niets opgeslagen.",
}


def _antwoorden(*codes: int) -> dict:
    return {c: {"description": BESCHRIJVING[c], "model": Fouten if c == 422 else Bericht} for c in (401, 403, *codes)}


def _fout(f: dict) -> dict:
    """aanbod's {"veld": "phones[0].number", "msg"} in the shape of the API's other 422s (app/errors.py)."""
    return {"loc": ["body", *re.findall(r"[^.\[\]]+", f["veld"])], "veld": f["veld"], "msg": f["msg"]}


class BeheerRoute(APIRoute):
    """Every route of this router: the data layer's errors as HTTP answers in Dutch."""

    def get_route_handler(self):
        handler = super().get_route_handler()
        pad = re.search(r"/beheer/([^/]+)", self.path_format)
        segment = pad.group(1) if pad else ""
        soort = SOORT_VAN.get(segment)
        niet_gevonden = (f"{NAMEN[soort]} bestaat niet. Kijk in /api/v1/beheer/{PADEN[soort]} welke er zijn."
                         if soort else NIET_GEVONDEN.get(segment, "Dit bestaat niet."))

        async def vertaald(request):
            try:
                return await handler(request)
            except aanbod.Onbekend as e:
                raise HTTPException(404, " ".join(f["msg"] for f in e.fouten)) from None
            except aanbod.Bezet as e:
                raise HTTPException(409, " ".join(f["msg"] for f in e.fouten)) from None
            except aanbod.Ongeldig as e:
                raise HTTPException(422, [_fout(f) for f in e.fouten]) from None
            except NietGevonden:
                raise HTTPException(404, niet_gevonden) from None
            except aanbod.GeenToegang:
                raise HTTPException(403, GEEN_TOEGANG) from None
            except aanbod.Conflict:
                raise HTTPException(412, VEROUDERD) from None
            except aanbod.NietMogelijk as e:
                raise HTTPException(409, str(e)) from None

        return vertaald


def _geen_cache(response: Response) -> None:
    # Unpublished listings, reports and names of editors: never kept in a shared cache.
    response.headers["cache-control"] = "no-store"


router = APIRouter(prefix="/beheer", tags=["beheer"], route_class=BeheerRoute, dependencies=[Depends(_geen_cache)])


def _if_match(if_match: Annotated[str | None, Header(
        description="De ETag van de laatste GET. Verplicht bij wijzigen en verwijderen.")] = None) -> str:
    if not if_match:
        raise HTTPException(428, ZONDER_ETAG)
    return if_match


IfMatchDep = Annotated[str, Depends(_if_match)]
IdPad = Annotated[str, Path(alias="id", max_length=36)]


def _schema(model) -> dict:
    """The model's JSON schema with its nested models written out, for the OpenAPI request body (the route takes
    a plain object, so aanbod gives the Dutch per-field messages)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(x):
        if isinstance(x, dict):
            return inline(defs[x["$ref"].rsplit("/", 1)[1]]) if "$ref" in x else {k: inline(v) for k, v in x.items()}
        return [inline(v) for v in x] if isinstance(x, list) else x

    return {"requestBody": {"content": {"application/json": {"schema": inline(schema)}}}}


Gegevens = Annotated[dict, Body(description="Een JSON-object met de velden; onbekende velden worden geweigerd.")]


def _beeld(session, response: Response, soort: str, obj_id: str, waarschuwingen: list | None = None) -> dict:
    """The object as beheer sees it, with its ETag; after a change also the waarschuwingen (B1, placement)."""
    response.headers["etag"] = aanbod.etag_van(session, soort, obj_id)
    beeld = aanbod.toon(session, soort, obj_id)
    return beeld if waarschuwingen is None else beeld | {"waarschuwingen": waarschuwingen}


def _registreer(pad: str, soort: str) -> None:
    """The same seven routes for organizations, services and locations."""
    model = MODELLEN[soort]
    naam = NAMEN[soort].removeprefix("Deze ")

    @router.get(f"/{pad}", name=f"beheer_{soort}_lijst", summary=f"Alle {pad}, ook niet gepubliceerde",
                responses=_antwoorden(422))
    def lijst(session: SessionDep, _: IngelogdDep, paging: PagingDep,
              verwijderd: Annotated[bool, Query(description="Alleen wat verwijderd is")] = False) -> dict:
        waar = col(model.verwijderd).isnot(None) if verwijderd else col(model.verwijderd).is_(None)
        total = session.exec(select(func.count()).select_from(model).where(waar)).one()
        ids = session.exec(select(model.id).where(waar).order_by(model.name, model.id)
                           .offset((paging.page - 1) * paging.per_page).limit(paging.per_page)).all()
        return page([aanbod.toon(session, soort, i) for i in ids], total, paging.page, paging.per_page)

    @router.get(f"/{pad}/{{id}}", name=f"beheer_{soort}", summary=f"Eén {naam}, met ETag",
                responses=_antwoorden(404, 422))
    def een(session: SessionDep, _: IngelogdDep, response: Response, obj_id: IdPad) -> dict:
        return _beeld(session, response, soort, obj_id)

    @router.post(f"/{pad}", name=f"beheer_{soort}_maken", summary=f"Nieuwe {naam}", status_code=201,
                 responses=_antwoorden(*([404, 409] if soort != "organization" else []), 422),
                 openapi_extra=_schema(schemas.CREATE[soort]))
    def maken(session: SessionDep, wie: RedacteurDep, response: Response, data: Gegevens) -> dict:
        obj_id, waarschuwingen = aanbod.maak(session, wie, soort, data)
        response.headers["location"] = f"/api/v1/beheer/{pad}/{obj_id}"
        return _beeld(session, response, soort, obj_id, waarschuwingen)

    def wijzigen(geheel: bool):
        def route(session: SessionDep, wie: RedacteurDep, if_match: IfMatchDep, response: Response, obj_id: IdPad,
                  data: Gegevens) -> dict:
            waarschuwingen = aanbod.wijzig(session, wie, soort, obj_id, data, if_match, geheel=geheel)
            return _beeld(session, response, soort, obj_id, waarschuwingen)
        return route

    for methode, geheel, uitleg in (("patch", False, "alleen de velden die u stuurt"),
                                    ("put", True, "het hele object")):
        getattr(router, methode)(
            f"/{pad}/{{id}}", name=f"beheer_{soort}_{methode}", summary=f"{naam.capitalize()} wijzigen: {uitleg}",
            responses=_antwoorden(404, *([409] if soort != "organization" else []), 412, 422, 428),
            openapi_extra=_schema((schemas.CREATE if geheel else schemas.UPDATE)[soort]))(wijzigen(geheel))

    @router.delete(f"/{pad}/{{id}}", name=f"beheer_{soort}_verwijderen", status_code=204,
                   summary=f"{naam.capitalize()} verwijderen (terug te halen met herstellen)",
                   responses=_antwoorden(404, 409, 412, 428))
    def verwijderen(session: SessionDep, wie: RedacteurDep, if_match: IfMatchDep, obj_id: IdPad) -> None:
        aanbod.verwijderen(session, wie, soort, obj_id, if_match)

    @router.post(f"/{pad}/{{id}}/herstellen", name=f"beheer_{soort}_herstellen",
                 summary=f"Verwijderde {naam} terughalen", responses=_antwoorden(404, 409))
    def herstellen(session: SessionDep, wie: RedacteurDep, response: Response, obj_id: IdPad) -> dict:
        aanbod.herstellen(session, wie, soort, obj_id)
        return _beeld(session, response, soort, obj_id)


for _pad, _soort in SOORTEN.items():
    _registreer(_pad, _soort)


@router.post("/service_at_locations", status_code=201, summary="Een dienst aan een locatie koppelen",
             responses=_antwoorden(404, 409, 422), openapi_extra=_schema(schemas.ServiceAtLocationCreate))
def koppelen(session: SessionDep, wie: RedacteurDep, response: Response, data: Gegevens) -> dict:
    sal_id, waarschuwingen = aanbod.maak(session, wie, "service_at_location", data)
    return _beeld(session, response, "service_at_location", sal_id, waarschuwingen)


@router.delete("/service_at_locations/{id}", status_code=204, summary="Een koppeling weghalen",
               description="Een koppeling verandert nooit, dus hier is geen If-Match nodig. De audit bewaart haar.",
               responses=_antwoorden(404))
def ontkoppelen(session: SessionDep, wie: RedacteurDep, obj_id: IdPad) -> None:
    aanbod.verwijderen(session, wie, "service_at_location", obj_id)


@router.post("/services/{id}/gecontroleerd", summary="Dienst gecontroleerd: assured_date wordt vandaag",
             responses=_antwoorden(404))
def gecontroleerd(session: SessionDep, wie: RedacteurDep, response: Response, obj_id: IdPad) -> dict:
    aanbod.gecontroleerd(session, wie, obj_id)
    return _beeld(session, response, "service", obj_id)


@router.put("/locations/{id}/wijkentree", summary="Locatie wel of niet als wijkentree, met openingstijden",
            responses=_antwoorden(404, 412, 422, 428), openapi_extra=_schema(schemas.WijkentreeIn))
def wijkentree(session: SessionDep, wie: RedacteurDep, if_match: IfMatchDep, response: Response, obj_id: IdPad,
               data: Gegevens) -> dict:
    waarschuwingen = aanbod.wijkentree(session, wie, obj_id, data, if_match)
    return _beeld(session, response, "location", obj_id, waarschuwingen)


def _te_doen_item(x: ServiceView | Melding) -> dict:
    if isinstance(x, Melding):
        return {"id": x.id, "service_id": x.service_id, "location_id": x.location_id,
                "organization_id": x.organization_id, "wat": x.wat, "opmerking": x.opmerking,
                "aangemaakt": _utc(x.aangemaakt)}
    s = x.service
    return {"service_id": s.id, "name": s.name, "organization_id": s.organization_id,
            "assured_date": s.assured_date.isoformat() if s.assured_date else None}


@router.get("/te-doen", summary="Wat nagekeken moet worden", responses=_antwoorden())
def te_doen(session: SessionDep, wie: IngelogdDep) -> dict:
    """Per soort: nooit of lang niet gecontroleerd, adres, telefoon of tijden ontbreken, periode voorbij, en
    meldingen van inwoners. Een redacteur ziet alleen die van de eigen organisaties."""
    groepen = overzicht.te_doen(session, set(wie.organisaties) if wie.rol == "redacteur" else None)
    return {"groepen": [{"soort": k, "titel": titel, "aantal": len(groepen[k]),
                         "items": [_te_doen_item(x) for x in groepen[k]]}
                        for k, titel in overzicht.TE_DOEN_KOPPEN.items()]}


@router.post("/meldingen/{id}/afgehandeld", summary="Melding van een inwoner afgehandeld",
             description="De melding gaat van de lijst 'Te doen'. Nog een keer afhandelen verandert niets: de eerste "
                         "keer blijft bewaard.", responses=_antwoorden(404))
def melding_afgehandeld(session: SessionDep, wie: RedacteurDep, obj_id: IdPad) -> dict:
    m = meldingen.afhandelen(session, wie, obj_id)
    return _te_doen_item(m) | {"afgehandeld": _utc(m.afgehandeld), "afgehandeld_door": m.afgehandeld_door}


def _utc(dt: datetime) -> str:
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).isoformat()


def _begin_van(dag: date) -> datetime:
    """Midnight in Hengelo, in UTC as the audit stores it."""
    return datetime.combine(dag, time(), tzinfo=hours.TZ).astimezone(UTC)


def _eigen_objecten(organisaties: frozenset[str]):
    """Audit rows about the listings of these organisations (links of a removed link are on their service)."""
    binnen = {
        "organization": list(organisaties),
        "service": select(Service.id).where(col(Service.organization_id).in_(organisaties)),
        "location": select(Location.id).where(col(Location.organization_id).in_(organisaties)),
        "service_at_location": select(ServiceAtLocation.id).join(Service, Service.id == ServiceAtLocation.service_id)
        .where(col(Service.organization_id).in_(organisaties)),
    }
    return or_(*(and_(Audit.object_type == soort, col(Audit.object_id).in_(ids)) for soort, ids in binnen.items()))


@router.get("/audit", summary="Wie wat wanneer veranderde, nieuwste eerst", responses=_antwoorden(422))
def audit(
    session: SessionDep, wie: RedacteurDep, paging: PagingDep,
    object_: Annotated[str | None, Query(alias="object", max_length=36, description="Id van een object")] = None,
    soort: Annotated[Literal["organization", "service", "location", "service_at_location"] | None,
                     Query(description="Soort object")] = None,
    van: Annotated[date | None, BeforeValidator(alleen_iso), Query(description="Vanaf deze dag (in Hengelo)")] = None,
    tot: Annotated[date | None, BeforeValidator(alleen_iso), Query(
        description="Tot en met deze dag (in Hengelo)")] = None,
) -> dict:
    """Beheerders zien alles; een redacteur alleen wat over de vermeldingen van de eigen organisaties gaat."""
    waar = []
    if wie.rol == "redacteur":
        waar.append(_eigen_objecten(wie.organisaties))
    if object_:
        waar.append(Audit.object_id == object_)
    if soort:
        waar.append(Audit.object_type == soort)
    if van:
        waar.append(col(Audit.tijd) >= _begin_van(van))
    if tot:
        waar.append(col(Audit.tijd) < _begin_van(tot + timedelta(days=1)))
    total = session.exec(select(func.count()).select_from(Audit).where(*waar)).one()
    rijen = session.exec(select(Audit).where(*waar).order_by(col(Audit.tijd).desc(), col(Audit.id).desc())
                         .offset((paging.page - 1) * paging.per_page).limit(paging.per_page)).all()
    return page([_audit_rij(r) for r in rijen], total, paging.page, paging.per_page)


def _audit_rij(r: Audit) -> dict:
    voor, na = (json.loads(x) if x else None for x in (r.voor, r.na))
    return {"id": r.id, "wie": r.wie, "tijd": _utc(r.tijd), "actie": r.actie, "soort": r.object_type,
            "object_id": r.object_id, "voor": voor, "na": na, "verschillen": overzicht.verschillen(voor, na)}

"""/beheer/wijkanalyse: the wijkanalyse for staff (beheerder, medewerker), as a page with a map, bar charts and
tables, and as CSV. The figures come from app/wijkanalyse.py and follow its suppression rule."""
import csv
import io
import json
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app import wijkanalyse as wa
from app.api.deps import SessionDep
from app.api.routes.statistiek import PeriodeDep
from app.templating import templates
from app.toegang import StaffDep

router = APIRouter(prefix="/beheer", include_in_schema=False)
NO_STORE = {"cache-control": "no-store"}
MATEN = {"vragen": "Vragen in de vraagwijzer", "aanbod": "Aanbod (sociale basis en basisondersteuning)",
         "controle": "Aanbod dat in 12 maanden is gecontroleerd (procent)"}
KLASSEN = ("geen", "laag", "midden", "hoog")
Maat = Literal["vragen", "aanbod", "controle"]
CsvMaat = Literal["vragen", "aanbod", "controle", "thema", "route", "week", "zoekopdrachten", "witte_vlekken"]


def per_wijk(session, periode: wa.Periode, maat: str, thema: str) -> list[dict]:
    """The chosen measure per wijk, with its class (KLASSEN) for the map and the bar length for the chart."""
    rate = bool(wa.inwoners()) and maat != "controle"
    veld = "per_1000" if rate else "aantal"
    if maat == "vragen":
        rows = wa.vraagwijzer(session, periode)["per_thema" if thema else "per_wijk"]
        waarden = {r["wijk"]: r[veld] for r in rows if not thema or r["thema"] == thema}
    else:
        cellen = [c for c in wa.aanbod(session)["cellen"] if c["thema"] == (thema or "alle")]
        veld = "gecontroleerd_pct" if maat == "controle" else veld
        waarden = {c["gebied"]: c[veld] for c in cellen}
    hoogste = max((v for v in waarden.values() if v), default=0)
    out = []
    for code, naam in wa.wijken(session):
        v = waarden.get(code)
        klasse = 0 if not v else min(3, 1 + int(3 * v / hoogste - 1e-9)) if hoogste else 0
        out.append({"code": code, "naam": naam, "waarde": v, "klasse": klasse, "label": KLASSEN[klasse],
                    "balk": round(300 * (v or 0) / hoogste) if hoogste else 0})
    return out


def _context(session, periode: wa.Periode, maat: str, thema: str) -> dict:
    namen = dict(wa.wijken(session)) | {wa.ONBEKEND: "Onbekend (geen postcode)", wa.HEEL_HENGELO: "Heel Hengelo",
                                        wa.ZONDER_WIJK: "Nog zonder plek"}
    rijen = per_wijk(session, periode, maat, thema)
    return {
        "periode": periode, "maat": maat, "maten": MATEN, "thema": thema, "themas": wa.thema_labels(session),
        "routes": wa.ROUTES, "namen": namen, "rijen": rijen, "per_1000": bool(wa.inwoners()) and maat != "controle",
        "kaart": json.dumps({r["code"]: {"klasse": r["klasse"], "label": r["label"], "waarde": r["waarde"]}
                             for r in rijen}),
        "klassen": KLASSEN, "vraag": wa.vraagwijzer(session, periode), "zoek": wa.zoekopdrachten(session, periode),
        "aanbod": [c for c in wa.aanbod(session)["cellen"] if c["thema"] == (thema or "alle")],
        "vlekken": wa.witte_vlekken(session, periode), "regel": wa.REGEL, "bron": wa.BEVOLKING_BRON,
    }


@router.get("/wijkanalyse", response_class=HTMLResponse)
def pagina(request: Request, session: SessionDep, _: StaffDep, periode: PeriodeDep, measure: Maat = "vragen",
           thema: Annotated[str, Query(max_length=50)] = ""):
    return templates.TemplateResponse(request, "beheer/wijkanalyse.html", _context(session, periode, measure, thema),
                                      headers=NO_STORE)


def _csv_rijen(session, periode: wa.Periode, measure: str, thema: str) -> list[dict]:
    if measure in MATEN:
        return [{k: r[k] for k in ("code", "naam", "waarde", "label")} for r in per_wijk(session, periode, measure, thema)]
    if measure in ("thema", "route"):
        return wa.vraagwijzer(session, periode)[f"per_{measure}"]
    if measure == "week":
        return wa.vraagwijzer(session, periode)["per_week"]
    if measure == "zoekopdrachten":
        return wa.zoekopdrachten(session, periode)["per_week"]
    return wa.witte_vlekken(session, periode)


@router.get("/wijkanalyse.csv")
def als_csv(session: SessionDep, _: StaffDep, periode: PeriodeDep, measure: CsvMaat = "vragen",
            thema: Annotated[str, Query(max_length=50)] = "") -> Response:
    """Semicolons, as Dutch spreadsheets expect; the rule and period on the first lines."""
    rijen = _csv_rijen(session, periode, measure, thema)
    out = io.StringIO()
    out.write(f"# {periode.van.isoformat()} tot en met {periode.tot.isoformat()}. {wa.REGEL}\n")
    if rijen:
        writer = csv.DictWriter(out, fieldnames=list(rijen[0]), delimiter=";", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rijen)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        **NO_STORE, "content-disposition": f'attachment; filename="wijkanalyse-{measure}.csv"'})

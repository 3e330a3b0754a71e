"""The wijkanalyse: what residents ask per wijk (the vraagwijzer counts), what they searched without finding
anything, and what help there is per wijk (the listings), for staff of the gemeente and Wijkracht.

Privacy rule, the same for every figure here and in the statistics API: the base cells are the weekly counts as
stored (week x thema x wijk x route for the vraagwijzer, week x words for searches). A base cell under MIN_CEL is
suppressed. Every total, subtotal, period sum and rate is the sum of the VISIBLE base cells only, so it is a
function of published cells and no difference between two figures can give a suppressed cell away. The price:
totals are lower bounds. `REGEL` says so in every answer.
"""
import csv
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from sqlmodel import Session, col, select

from app import search
from app.config import ROOT
from app.data.overzicht import grens
from app.listings import terms_of
from app.models import Service, VraagwijzerTelling, Wijk, ZoekTelling
from app.tellingen import MIN_CEL, iso_week

REGEL = (f"Een weekcel met minder dan {MIN_CEL} telt niet mee en wordt niet getoond. Alle totalen en sommen zijn "
         f"opgeteld uit de zichtbare weekcellen alleen. Zo verraadt geen totaal of verschil een verborgen cel. "
         f"De echte aantallen kunnen dus hoger zijn.")
BEVOLKING_CSV = ROOT / "geo" / "bron" / "cbs_kwb2024_85984NED_hengelo_gemeente_wijken.csv"
BEVOLKING_BRON = "Bron: CBS, Kerncijfers wijken en buurten 2024 (tabel 85984NED), CC BY 4.0"
ONBEKEND = "onbekend"  # a questionnaire without a postcode
LAGEN = ("sociale_basis", "basisondersteuning")
HEEL_HENGELO = "heel_hengelo"  # listings for all of Hengelo, by phone or online: shown apart from the wijken
ZONDER_WIJK = "zonder_wijk"  # listings that belong to a wijk but have no place yet
ROUTES = {"spoed": "Direct hulp", "maatwerk": "Hulp met een indicatie", "gemeente": "Gemeente",
          "wijkentree": "Wijkentree", "sociale_basis": "In de buurt"}
EXTRA_THEMAS = {"anders": "Iets anders", "geen": "Geen onderwerp"}


@dataclass(frozen=True)
class Periode:
    van: date
    tot: date

    @property
    def weken(self) -> list[str]:
        """The ISO weeks that [van, tot] touches: the counts know weeks, not days."""
        return sorted({iso_week(self.van + timedelta(days=d)) for d in range(0, (self.tot - self.van).days + 1, 7)}
                      | {iso_week(self.tot)})

    def als_json(self) -> dict:
        weken = self.weken
        return {"van": self.van.isoformat(), "tot": self.tot.isoformat(), "eerste_week": weken[0],
                "laatste_week": weken[-1],
                "uitleg": "De tellingen zijn per week. Een week telt mee als een dag ervan in de periode valt."}


def onderdrukking() -> dict:
    return {"minimum": MIN_CEL, "regel": REGEL}


@lru_cache
def inwoners() -> dict[str, int]:
    """CBS residents per wijk code; empty when the sourced file is not there (then counts, not rates)."""
    if not BEVOLKING_CSV.exists():
        return {}
    with open(BEVOLKING_CSV, encoding="utf-8") as f:
        return {r["regiocode"]: int(r["aantal_inwoners"]) for r in csv.DictReader(f) if r["soort_regio"] == "Wijk"}


def per_1000(aantal: int | None, wijk: str) -> float | None:
    n = inwoners().get(wijk)
    return round(aantal * 1000 / n, 1) if aantal is not None and n else None


def wijken(session: Session) -> list[tuple[str, str]]:
    return [(w.code, w.naam) for w in session.exec(select(Wijk).order_by(Wijk.code))]


def thema_labels(session: Session) -> dict[str, str]:
    return {t.code: t.name for t in terms_of(session, "thema")} | EXTRA_THEMAS


class Som:
    """A sum of visible base cells, and whether suppressed ones were left out (the figure is then a lower bound)."""

    def __init__(self) -> None:
        self.aantal, self.verborgen = 0, 0

    def tel(self, n: int) -> None:
        if n >= MIN_CEL:
            self.aantal += n
        else:
            self.verborgen += 1

    def als_json(self) -> dict:
        # Nothing visible: no figure at all, so a "0" does not hint at how small the hidden cells are.
        return {"aantal": self.aantal if self.aantal else None, "onvolledig": self.verborgen > 0}


def _tabel() -> defaultdict:
    return defaultdict(lambda: defaultdict(Som))


def vraagwijzer(session: Session, periode: Periode) -> dict:
    """Questions per wijk by theme and by route, and weekly totals, all from visible weekly cells."""
    rows = session.exec(select(VraagwijzerTelling).where(col(VraagwijzerTelling.week).in_(periode.weken)))
    thema, route, week, wijk_totaal = _tabel(), _tabel(), defaultdict(Som), defaultdict(Som)
    for r in rows:
        thema[r.wijk_code][r.thema].tel(r.aantal)
        route[r.wijk_code][r.route].tel(r.aantal)
        week[r.week].tel(r.aantal)
        wijk_totaal[r.wijk_code].tel(r.aantal)

    def plat(tabel, sleutel: str) -> list[dict]:
        return [{"wijk": w, sleutel: k, **som.als_json(), "per_1000": per_1000(som.als_json()["aantal"], w)}
                for w in sorted(tabel) for k, som in sorted(tabel[w].items())]

    return {
        "per_thema": plat(thema, "thema"), "per_route": plat(route, "route"),
        "per_wijk": [{"wijk": w, **s.als_json(), "per_1000": per_1000(s.als_json()["aantal"], w)}
                     for w, s in sorted(wijk_totaal.items())],
        "per_week": [{"week": w, **s.als_json()} for w, s in sorted(week.items())],
        "let_op": "Een vraag kan over meer onderwerpen gaan. Die vraag telt dan bij elk onderwerp.",
    }


def zoekopdrachten(session: Session, periode: Periode) -> dict:
    """Searches that found nothing: per week only the words asked MIN_CEL times or more, and per words the sum."""
    rows = session.exec(select(ZoekTelling).where(col(ZoekTelling.week).in_(periode.weken),
                                                  ZoekTelling.aantal >= MIN_CEL)
                        .order_by(ZoekTelling.week, ZoekTelling.vraag))
    per_week = [{"week": r.week, "vraag": r.vraag, "aantal": r.aantal} for r in rows]
    totaal: dict[str, int] = defaultdict(int)
    for r in per_week:
        totaal[r["vraag"]] += r["aantal"]
    return {"per_week": per_week,
            "per_vraag": [{"vraag": v, "aantal": n} for v, n in sorted(totaal.items(), key=lambda x: (-x[1], x[0]))]}


def aanbod(session: Session) -> dict:
    """Sociale basis and basisondersteuning listings residents see, per wijk and theme, with the share checked in
    the last 12 months. Public data: nothing is suppressed. A listing in several wijken counts in each."""
    index = search.get_index(session)
    docs = [d for d in index.docs if d.laag & set(LAGEN)]
    checked = set(session.exec(select(Service.id).where(col(Service.id).in_([d.service_id for d in docs]),
                                                        col(Service.assured_date) >= grens())))
    cellen: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # (gebied, thema) -> [aantal, gecontroleerd]
    for d in docs:
        gebieden = d.wijk_codes or {HEEL_HENGELO if d.bereik else ZONDER_WIJK}
        for gebied in gebieden:
            for thema in (*d.themas, "alle"):
                cellen[gebied, thema][0] += 1
                cellen[gebied, thema][1] += d.service_id in checked

    def cel(gebied: str, thema: str, n: int, ok: int) -> dict:
        return {"gebied": gebied, "thema": thema, "aantal": n, "per_1000": per_1000(n, gebied),
                "gecontroleerd": ok, "gecontroleerd_pct": round(100 * ok / n) if n else None}

    return {"cellen": [cel(g, t, n, ok) for (g, t), (n, ok) in sorted(cellen.items())],
            "lagen": list(LAGEN),
            "uitleg": "Aanbod zijn de vermeldingen die inwoners zien. 'heel_hengelo' is voor heel Hengelo, telefonisch "
                      "of online; 'zonder_wijk' hoort bij een wijk maar heeft nog geen plek. Gecontroleerd: in de "
                      "laatste 12 maanden door een mens bevestigd."}


def witte_vlekken(session: Session, periode: Periode) -> list[dict]:
    """Per theme the wijken with more questions than the middle wijk (median) and less help than the middle wijk.
    With CBS residents both per 1,000 residents, else in counts. Only visible cells go in."""
    codes = [c for c, _ in wijken(session)]
    maat = "per_1000" if inwoners() else "aantal"
    vraag = {(c["wijk"], c["thema"]): c[maat] for c in vraagwijzer(session, periode)["per_thema"] if c[maat]}
    hulp = {(c["gebied"], c["thema"]): c[maat] or 0 for c in aanbod(session)["cellen"]}
    out = []
    for thema in sorted({t for _, t in vraag}):
        v = {w: vraag.get((w, thema), 0) for w in codes}
        h = {w: hulp.get((w, thema), 0) for w in codes}
        v_mid, h_mid = statistics.median(v.values()), statistics.median(h.values())
        out += [{"wijk": w, "thema": thema, "vraag": v[w], "aanbod": h[w], "mediaan_vraag": v_mid,
                 "mediaan_aanbod": h_mid, "maat": maat}
                for w in codes if v[w] > v_mid and (h[w] < h_mid or h[w] == 0)]
    return out

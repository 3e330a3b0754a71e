"""The vraagwijzer's outcome: route (app/triage.py) + nearest wijkentree + light help nearby (counts: app/tellingen.py).

Free text from the resident is turned into theme and signal codes here and then forgotten: it is never
stored, logged or put in a URL.
"""
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import Session

from app import hsds, search
from app.config import get_settings
from app.lexicon import Herkenning, herken
from app.listings import cached_json, cached_services, service_status
from app.params import Origin
from app.triage import Advies, Antwoorden, advies, spoedlijnen
from app.veiligheid import Alarm, toets
from app.wijkentree import nearest_wijkentrees

# Lightest help first: "zo licht en normaal mogelijk waar het kan" (003).
LAAG_VOLGORDE = {"sociale_basis": 0, "basisondersteuning": 1, "maatwerk": 2}
MAX_SUGGESTIES = 5
# A place of the theme this close (walking distance) fits as well as help that acts on the theme: light help is
# help nearby.
NABIJ_M = 1500


@dataclass
class Uitslag:
    antwoorden: Antwoorden
    advies: Advies
    spoed: list[dict]
    wijkentree: dict | None
    alternatieven: list[dict]
    suggesties: list[dict] = field(default_factory=list)  # {"view": ServiceView, "distance_m", "status"}
    veiligheid: tuple[Alarm, ...] = ()  # alarms raised by own words (app/veiligheid.py), most serious first


def zonder_database(antwoorden: Antwoorden, alarmen: tuple[Alarm, ...] = ()) -> Uitslag:
    """The advice and the lines to call, without the database: for danger now, and for alarming own words while
    the database is down (nothing may stand between a person in danger and 112, 113 or Veilig Thuis)."""
    return Uitslag(antwoorden, advies(antwoorden), _lijnen_eerst(alarmen), None, [], veiligheid=alarmen)


def _lijnen_eerst(alarmen: tuple[Alarm, ...]) -> list[dict]:
    """The emergency lines with those of the alarms first: 113 first for words about suicide."""
    eerst: dict[str, dict] = {}
    for lijn in [*(lijn for a in alarmen for lijn in a.lijnen), *spoedlijnen()]:
        eerst.setdefault(lijn["telefoon"], lijn)
    return list(eerst.values())


def lees_vraag(vraag: str, over_kind: bool = False, alarmen: tuple[Alarm, ...] | None = None) -> Herkenning:
    """What the resident's own words point to, with the signals of the safety net (`alarmen`, when the caller
    has them already). The text goes nowhere."""
    h = herken(vraag or "", over_kind)
    alarm_signalen = [a.signaal for a in (toets(vraag or "") if alarmen is None else alarmen)]
    return replace(h, signalen=tuple(dict.fromkeys([*alarm_signalen, *h.signalen])))


def maak_uitslag(session: Session, antwoorden: Antwoorden, origin: Origin | None, now: datetime,
                 alarmen: tuple[Alarm, ...] = ()) -> Uitslag:
    """The advice; `alarmen` (from own words) put their lines first. Danger now needs no database at all."""
    if antwoorden.gevaar:
        return zonder_database(antwoorden)
    result = advies(antwoorden)
    entrees = nearest_wijkentrees(session, origin, now)
    return Uitslag(
        antwoorden, result, _lijnen_eerst(alarmen), veiligheid=alarmen,
        wijkentree=entrees[0] if entrees else None,
        alternatieven=entrees[1:],
        suggesties=_suggesties(session, antwoorden, result.team, origin, now),
    )


def _suggesties(session: Session, antwoorden: Antwoorden, team: str | None, origin: Origin | None,
                now: datetime) -> list[dict]:
    """Help that fits the question, lightest fitting help first.

    Fit: acting on the route (signals such as uitzetting, the team such as schuldhulpverlening:
    search.HELPT_BIJ), then acting on a chosen theme or near (NABIJ_M), then how many of its themes the
    listing shares, then the lightest layer and the nearest. The best fitting few are shown lightest first.
    Citywide and phone services count too (hit.bereik labels them); a listing whose period ended never
    comes (search hides it).
    """
    themas = tuple(t for t in antwoorden.themas if t != "anders")
    if not themas:
        return []
    route = frozenset(antwoorden.signalen) | ({team} if team else set())
    query = search.Query(themas=themas, laag=tuple(LAAG_VOLGORDE), sort="relevantie", behoeften=tuple(sorted(route)),
                         point=(origin.lat, origin.lon) if origin else None, now=now)
    result = search.search(session, query)
    hits = result.hits
    views = {v.service.id: v for v in cached_services(session, [h.service_id for h in hits], result.version)}

    def licht(h: search.Hit) -> int:
        return min((LAAG_VOLGORDE.get(x, 9) for x in views[h.service_id].codes("laag")), default=9)

    def past(h: search.Hit) -> tuple:
        nabij = h.distance_m is not None and h.distance_m <= NABIJ_M
        return (not route.intersection(h.helpt), not (h.helpt or nabij), -len(h.themas), licht(h),
                h.distance_m is None, h.distance_m or 0)

    # The best fitting few, shown lightest first.
    chosen = sorted(sorted(hits, key=past)[:MAX_SUGGESTIES], key=lambda h: (licht(h), past(h)))
    return [
        {"view": views[h.service_id], "distance_m": h.distance_m, "hit": h,
         "location": next((lv for lv in views[h.service_id].locations if lv.location.id == h.location_id), None),
         "status": service_status(views[h.service_id], now)}
        for h in chosen
    ]


def verwijzing(uitslag: Uitslag) -> str:
    """The referral text a staff member copies: route, place, contact, hours and what to bring."""
    lines = [uitslag.advies.verwijzing]  # each rule's sentence starts with "Verwijzing:"
    if uitslag.wijkentree:
        lv = uitslag.wijkentree["location"]
        adres = lv.address.address_1 if lv.address and lv.address.address_1 else "adres onbekend"
        telefoon = ", ".join(p.number for p in lv.telefoons) or f"gemeente {get_settings().gemeente_telefoon}"
        lines.append(f"Wijkentree: {lv.location.name}, {adres}. Telefoon: {telefoon}.")
        lines.append(f"Open: {uitslag.wijkentree['status'].tekst}.")
    if uitslag.advies.meenemen:
        lines.append("Meenemen: " + "; ".join(uitslag.advies.meenemen) + ".")
    return "\n".join(lines)


def as_json(uitslag: Uitslag, herkend: Herkenning | None = None) -> dict:
    a = uitslag.advies
    body = {
        "veiligheid": [{"code": al.code, "titel": al.titel, "uitleg": al.uitleg, "lijnen": list(al.lijnen)}
                       for al in uitslag.veiligheid],
        "route": {"soort": a.soort, "team": a.team, "voorziening": a.voorziening},
        "uitleg": a.uitleg,
        "meenemen": list(a.meenemen),
        "spoed": [{"naam": s["naam"], "telefoon": s["telefoon"], "wanneer": s["wanneer"]} for s in uitslag.spoed],
        "verwijzing": verwijzing(uitslag),
        "regels": list(a.regels),
        "bronnen": list(a.bronnen),
        "suggesties": [
            cached_json(s["view"].service.id, lambda v=s["view"]: hsds.service(v)) | hsds.distance(s["distance_m"])
            for s in uitslag.suggesties
        ],
    }
    if herkend is not None:  # lexicon terms and codes only: never the resident's own text
        body["herkend"] = {"themas": list(herkend.themas), "signalen": list(herkend.signalen),
                           "voor_wie": herkend.voor_wie, "leeftijd": herkend.leeftijd, "woorden": list(herkend.herkend)}
    if uitslag.wijkentree:
        w = uitslag.wijkentree
        status = w["status"]
        body["wijkentree"] = hsds.location(w["location"], w["distance_m"]) | {
            "open_nu": status.open_nu,
            "openingstijden": status.tekst,
            "volgende_opening": status.volgende_opening.isoformat() if status.volgende_opening else None,
        }
    return body

"""Vraagwijzer: the light triage of the wijkentree, as data plus one pure function.

The routing rules live in app/rules/vraagwijzer.yaml (ordered from heavy to light; see the comment at
the top of that file). This module holds the questionnaire's answers (`Antwoorden`), the advice
(`Advies`), the loader that checks the rules (`laad_regels`) and the function that applies them
(`advies`). No database, no web: routes and pages build on top of `advies` and `spoedlijnen`.

    >>> a = advies(Antwoorden(themas=("schulden",), signalen=frozenset({"uitzetting"})))
    >>> (a.soort, a.team)
    ('gemeente', 'schuldhulpverlening')
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from app.taal import N_, gettext

REGELS_BESTAND = Path(__file__).resolve().parent / "rules" / "vraagwijzer.yaml"

# The questionnaire's vocabulary. The theme codes are those of seed/taxonomie.yaml plus "anders" ("iets anders").
THEMAS: tuple[str, ...] = (
    "opvoeden", "schulden", "geld", "eenzaamheid", "werk", "verslaving", "wonen", "gezondheid",
    "mantelzorg", "taal", "ouderen", "jeugd", "veiligheid", "meedoen", "vervoer", "anders",
)
VOOR_WIE: tuple[str, ...] = ("mezelf", "kind", "ander")
LEEFTIJDEN: tuple[str, ...] = ("0-11", "12-17", "18-26", "27-66", "67+")
# How the age bands read on the forms (residents and staff alike); the resident pages translate them (_()).
LEEFTIJD_LABELS = {"0-11": N_("0 tot en met 11 jaar"), "12-17": N_("12 tot en met 17 jaar"),
                   "18-26": N_("18 tot en met 26 jaar"), "27-66": N_("27 tot en met 66 jaar"),
                   "67+": N_("67 jaar of ouder")}
# Routes and their weight: the rules file must run from heavy to light.
GEWICHT: dict[str, int] = {"spoed": 4, "gemeente": 3, "maatwerk": 3, "wijkentree": 2, "sociale_basis": 1}
TEAMS: tuple[str, ...] = ("schuldhulpverlening", "werk_en_inkomen", "jeugd_en_gezin", "wmo")

# Words that must never reach a resident: the seeds plan a contribution for group activities.
VERBODEN_WOORDEN: tuple[str, ...] = ("gratis",)

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class RegelFout(ValueError):
    """The rules file is missing, malformed or contradicts itself. The message says where."""


# --------------------------------------------------------------------------------------------- answers


def leeftijd_band(leeftijd: int) -> str:
    """The age band of the questionnaire for an age in years: 15 -> "12-17", 70 -> "67+"."""
    if isinstance(leeftijd, bool) or not isinstance(leeftijd, int):
        raise ValueError(f"Leeftijd moet een heel getal zijn, niet {leeftijd!r}.")
    if leeftijd < 0 or leeftijd > 130:
        raise ValueError(f"Leeftijd {leeftijd} kan niet kloppen. Vul een leeftijd in van 0 tot en met 130 jaar.")
    if leeftijd <= 11:
        return "0-11"
    if leeftijd <= 17:
        return "12-17"
    if leeftijd <= 26:
        return "18-26"
    if leeftijd <= 66:
        return "27-66"
    return "67+"


@dataclass(frozen=True)
class Antwoorden:
    """The answers to the vraagwijzer. Checked on creation; a wrong value raises ValueError (Dutch message).

    - gevaar: is there danger now, for you or someone else.
    - themas: chosen themes (codes of THEMAS); duplicates are dropped, order is kept.
    - voor_wie: "mezelf", "kind" or "ander".
    - leeftijd: age band of the person the question is about (LEEFTIJDEN) or None. An int is converted
      with leeftijd_band.
    - haast: needs help this week.
    - signalen: optional extra facts from the staff form or the free-text step; the documented list is
      `signalen` in app/rules/vraagwijzer.yaml.
    """

    gevaar: bool = False
    themas: tuple[str, ...] = ()
    voor_wie: str = "mezelf"
    leeftijd: str | None = None
    haast: bool = False
    signalen: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for naam in ("gevaar", "haast"):
            if not isinstance(getattr(self, naam), bool):
                raise ValueError(f"'{naam}' moet ja of nee zijn (True of False), niet {getattr(self, naam)!r}.")

        themas = _als_reeks(self.themas, "themas")
        onbekend = [t for t in themas if t not in THEMAS]
        if onbekend:
            raise ValueError(f"Onbekend thema: {', '.join(map(repr, onbekend))}. Kies uit: {', '.join(THEMAS)}.")
        object.__setattr__(self, "themas", tuple(dict.fromkeys(themas)))

        if self.voor_wie not in VOOR_WIE:
            raise ValueError(f"Onbekende keuze voor 'voor wie': {self.voor_wie!r}. Kies uit: {', '.join(VOOR_WIE)}.")

        leeftijd = self.leeftijd
        if isinstance(leeftijd, int) and not isinstance(leeftijd, bool):
            leeftijd = leeftijd_band(leeftijd)
            object.__setattr__(self, "leeftijd", leeftijd)
        if leeftijd is not None and leeftijd not in LEEFTIJDEN:
            raise ValueError(
                f"Onbekende leeftijdsgroep: {leeftijd!r}. Kies uit: {', '.join(LEEFTIJDEN)}, of laat leeg."
            )

        signalen = _als_reeks(self.signalen, "signalen")
        bekend = laad_regels().signalen
        onbekend = sorted(s for s in signalen if s not in bekend)
        if onbekend:
            raise ValueError(f"Onbekend signaal: {', '.join(map(repr, onbekend))}. Kies uit: {', '.join(bekend)}.")
        object.__setattr__(self, "signalen", frozenset(signalen))


def _als_reeks(waarde: Any, naam: str) -> tuple[str, ...]:
    if isinstance(waarde, str) or not isinstance(waarde, Iterable):
        raise ValueError(f"'{naam}' moet een lijst zijn, niet {waarde!r}.")
    waarden = tuple(waarde)
    for w in waarden:
        if not isinstance(w, str):
            raise ValueError(f"'{naam}' mag alleen tekst bevatten, niet {w!r}.")
    return waarden


# --------------------------------------------------------------------------------------------- advice


@dataclass(frozen=True)
class Advies:
    """The outcome. Resident texts (uitleg, meenemen) are B1 Dutch; verwijzing is for staff.

    - soort: "spoed" | "sociale_basis" | "wijkentree" | "gemeente" | "maatwerk".
    - team: for gemeente and maatwerk: "schuldhulpverlening" | "werk_en_inkomen" | "jeugd_en_gezin" | "wmo";
      otherwise None.
    - voorziening: for maatwerk only (e.g. "huishoudelijke_ondersteuning"); otherwise None.
    - regels: ids of the rules that fired; the first one decided the route.
    - bronnen: the seed citations of those rules.
    - zinnen: the sentences of uitleg, each a text of the rules file, so a page can translate them one by one
      (the catalogue has each sentence, not their joins).
    """

    soort: str
    team: str | None
    voorziening: str | None
    uitleg: str
    meenemen: tuple[str, ...]
    verwijzing: str
    regels: tuple[str, ...]
    bronnen: tuple[str, ...]
    zinnen: tuple[str, ...] = ()


def vertaald(a: Advies) -> Advies:
    """The advice with its resident texts (uitleg, meenemen) in the request's language (app/taal.py); the staff's
    verwijzing stays Dutch. Outside a resident page (API, staff) the language is Dutch and nothing changes."""
    zinnen = tuple(gettext(z) for z in a.zinnen)
    return replace(a, uitleg=" ".join(zinnen), zinnen=zinnen, meenemen=tuple(gettext(m) for m in a.meenemen))


# --------------------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Regel:
    id: str
    wanneer: Mapping[str, Any]
    soort: str
    team: str | None
    voorziening: str | None
    uitleg: str
    ook: str | None
    meenemen: tuple[str, ...]
    verwijzing: str
    bronnen: tuple[str, ...]
    stop: bool = False


@dataclass(frozen=True)
class Regelset:
    signalen: Mapping[str, str]          # signal -> what it means (documentation)
    teksten: Mapping[str, str]           # sentences added by advies itself
    spoedlijnen: tuple[Mapping[str, str], ...]
    regels: tuple[Regel, ...]            # heavy to light
    standaard: str                       # id of the rule used when nothing fits

    def regel(self, regel_id: str) -> Regel:
        for r in self.regels:
            if r.id == regel_id:
                return r
        raise KeyError(regel_id)


_TOPSLEUTELS = {"signalen", "teksten", "spoedlijnen", "standaard", "regels"}
_VERPLICHTE_TEKSTEN = {"voor_een_ander"}
_REGEL_VERPLICHT = {"id", "wanneer", "soort", "uitleg", "verwijzing", "bron"}
_REGEL_OPTIONEEL = {"team", "voorziening", "ook", "meenemen", "stop"}
_SPOEDLIJN_SLEUTELS = {"naam", "telefoon", "wanneer"}
# Condition keys: leaf tests and the three combinators.
_LIJST_SLEUTELS = {"themas_any": THEMAS, "voor_wie": VOOR_WIE, "leeftijd": LEEFTIJDEN}  # + signalen_any
_BOOL_SLEUTELS = {"gevaar", "haast", "niets_gekozen"}
_VOORWAARDE_SLEUTELS = {*_LIJST_SLEUTELS, "signalen_any", *_BOOL_SLEUTELS, "of", "alle", "niet"}


def laad_regels(pad: str | Path | None = None) -> Regelset:
    """Read and check the rules file (default: app/rules/vraagwijzer.yaml, read once and cached).

    Raises RegelFout (a ValueError) with a message naming the rule and the key that is wrong.
    """
    if pad is None:
        return _standaard_regels()
    return _lees(Path(pad))


@lru_cache(maxsize=1)
def _standaard_regels() -> Regelset:
    return _lees(REGELS_BESTAND)


def _lees(pad: Path) -> Regelset:
    try:
        with open(pad, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except OSError as e:
        raise RegelFout(f"{pad}: kan het regelbestand niet lezen ({e}).") from e
    except yaml.YAMLError as e:
        raise RegelFout(f"{pad}: geen geldige YAML ({e}).") from e
    return _controleer(data, str(pad))


def _controleer(data: Any, bron: str) -> Regelset:
    def fout(melding: str) -> RegelFout:
        return RegelFout(f"{bron}: {melding}")

    if not isinstance(data, dict):
        raise fout("het bestand moet een mapping zijn met de sleutels " + ", ".join(sorted(_TOPSLEUTELS)) + ".")
    if ontbreekt := _TOPSLEUTELS - data.keys():
        raise fout(f"ontbrekende sleutel(s): {', '.join(sorted(ontbreekt))}.")
    if extra := data.keys() - _TOPSLEUTELS:
        raise fout(f"onbekende sleutel(s): {', '.join(sorted(extra))}.")

    signalen = data["signalen"]
    if not isinstance(signalen, dict) or not signalen:
        raise fout("'signalen' moet een mapping zijn van signaal naar uitleg.")
    for naam, uitleg in signalen.items():
        if not isinstance(naam, str) or not _ID_RE.match(naam):
            raise fout(f"signaal {naam!r}: gebruik kleine letters, cijfers en _.")
        if not isinstance(uitleg, str) or not uitleg.strip():
            raise fout(f"signaal {naam!r}: schrijf erbij wat het betekent.")

    teksten = data["teksten"]
    if not isinstance(teksten, dict):
        raise fout("'teksten' moet een mapping zijn.")
    if ontbreekt := _VERPLICHTE_TEKSTEN - teksten.keys():
        raise fout(f"'teksten' mist: {', '.join(sorted(ontbreekt))}.")
    teksten = {naam: _tekst(tekst, f"teksten.{naam}", fout) for naam, tekst in teksten.items()}

    lijnen = data["spoedlijnen"]
    if not isinstance(lijnen, list) or not lijnen:
        raise fout("'spoedlijnen' moet een niet-lege lijst zijn.")
    for i, lijn in enumerate(lijnen):
        if not isinstance(lijn, dict) or set(lijn) != _SPOEDLIJN_SLEUTELS:
            raise fout(f"spoedlijn {i + 1}: precies de sleutels {', '.join(sorted(_SPOEDLIJN_SLEUTELS))} nodig.")
    lijnen = [{k: _tekst(lijn[k], f"spoedlijn {i + 1}.{k}", fout) for k in ("naam", "telefoon", "wanneer")}
              for i, lijn in enumerate(lijnen)]

    ruwe_regels = data["regels"]
    if not isinstance(ruwe_regels, list) or not ruwe_regels:
        raise fout("'regels' moet een niet-lege lijst zijn.")
    regels: list[Regel] = []
    gebruikte_signalen: set[str] = set()
    gebruikte_themas: set[str] = set()
    for i, ruw in enumerate(ruwe_regels):
        regel = _controleer_regel(ruw, i, set(signalen), gebruikte_signalen, gebruikte_themas, fout)
        if any(r.id == regel.id for r in regels):
            raise fout(f"regel {i + 1}: id {regel.id!r} komt twee keer voor.")
        if regels and GEWICHT[regel.soort] > GEWICHT[regels[-1].soort]:
            raise fout(
                f"regel {regel.id!r} ({regel.soort}) staat na {regels[-1].id!r} ({regels[-1].soort}). "
                "De regels moeten van zwaar naar licht staan: spoed, gemeente/maatwerk, wijkentree, sociale_basis."
            )
        regels.append(regel)

    if ongebruikt := set(signalen) - gebruikte_signalen:
        raise fout(f"signaal/signalen zonder regel: {', '.join(sorted(ongebruikt))}. Gebruik ze of haal ze weg.")
    if zonder_route := set(THEMAS) - gebruikte_themas:
        raise fout(f"thema('s) zonder regel: {', '.join(sorted(zonder_route))}. Elk thema heeft een route nodig.")

    standaard = data["standaard"]
    if not any(r.id == standaard for r in regels):
        raise fout(f"'standaard' noemt {standaard!r}, maar die regel bestaat niet.")

    return Regelset(
        signalen=dict(signalen),
        teksten=teksten,
        spoedlijnen=tuple(lijnen),
        regels=tuple(regels),
        standaard=standaard,
    )


def _controleer_regel(ruw, i, signalen, gebruikte_signalen, gebruikte_themas, fout) -> Regel:
    if not isinstance(ruw, dict):
        raise fout(f"regel {i + 1}: moet een mapping zijn.")
    naam = f"regel {i + 1} ({ruw.get('id')!r})"
    if ontbreekt := _REGEL_VERPLICHT - ruw.keys():
        raise fout(f"{naam}: ontbrekende sleutel(s): {', '.join(sorted(ontbreekt))}.")
    if extra := ruw.keys() - _REGEL_VERPLICHT - _REGEL_OPTIONEEL:
        allowed = ", ".join(sorted(_REGEL_VERPLICHT | _REGEL_OPTIONEEL))
        raise fout(f"{naam}: onbekende sleutel(s): {', '.join(sorted(extra))}. Toegestaan: {allowed}.")
    if not isinstance(ruw["id"], str) or not _ID_RE.match(ruw["id"]):
        raise fout(f"{naam}: 'id' moet bestaan uit kleine letters, cijfers en _.")

    soort = ruw["soort"]
    if soort not in GEWICHT:
        raise fout(f"{naam}: onbekende soort {soort!r}. Kies uit: {', '.join(GEWICHT)}.")
    team = ruw.get("team")
    voorziening = ruw.get("voorziening")
    if soort in ("gemeente", "maatwerk"):
        if team not in TEAMS:
            raise fout(f"{naam}: soort {soort} heeft een team nodig uit: {', '.join(TEAMS)} (nu {team!r}).")
    elif team is not None:
        raise fout(f"{naam}: alleen gemeente en maatwerk hebben een team.")
    if soort == "maatwerk":
        if not isinstance(voorziening, str) or not _ID_RE.match(voorziening):
            raise fout(f"{naam}: maatwerk heeft een voorziening nodig (kleine letters en _).")
    elif voorziening is not None:
        raise fout(f"{naam}: alleen maatwerk heeft een voorziening.")

    stop = ruw.get("stop", False)
    if not isinstance(stop, bool):
        raise fout(f"{naam}: 'stop' moet true of false zijn.")

    wanneer = ruw["wanneer"]
    _controleer_voorwaarde(wanneer, f"{naam}: wanneer", signalen, gebruikte_signalen, gebruikte_themas, fout)

    uitleg = _tekst(ruw["uitleg"], f"{naam}: uitleg", fout)
    ook = ruw.get("ook")
    if ook is not None:
        ook = _tekst(ook, f"{naam}: ook", fout)
    meenemen = ruw.get("meenemen") or []
    if not isinstance(meenemen, list):
        raise fout(f"{naam}: 'meenemen' moet een lijst zijn.")
    meenemen = tuple(_tekst(m, f"{naam}: meenemen", fout) for m in meenemen)
    verwijzing = _tekst(ruw["verwijzing"], f"{naam}: verwijzing", fout)

    bron = ruw["bron"]
    bronnen = [bron] if isinstance(bron, str) else bron
    if not isinstance(bronnen, list) or not bronnen or not all(isinstance(b, str) and b.strip() for b in bronnen):
        raise fout(f"{naam}: 'bron' moet het seed-document en de paragraaf noemen, bijvoorbeeld \"004 §5.4.2\".")

    return Regel(
        id=ruw["id"], wanneer=wanneer, soort=soort, team=team, voorziening=voorziening, uitleg=uitleg, ook=ook,
        meenemen=meenemen, verwijzing=verwijzing, bronnen=tuple(b.strip() for b in bronnen), stop=stop,
    )


def _controleer_voorwaarde(w, waar, signalen, gebruikte_signalen, gebruikte_themas, fout) -> None:
    if not isinstance(w, dict) or not w:
        raise fout(f"{waar}: moet een niet-lege mapping zijn.")
    for sleutel, waarde in w.items():
        pad = f"{waar}.{sleutel}"
        if sleutel not in _VOORWAARDE_SLEUTELS:
            raise fout(f"{pad}: onbekende sleutel. Toegestaan: {', '.join(sorted(_VOORWAARDE_SLEUTELS))}.")
        if sleutel in _BOOL_SLEUTELS:
            if not isinstance(waarde, bool):
                raise fout(f"{pad}: moet true of false zijn.")
        elif sleutel in ("of", "alle"):
            if not isinstance(waarde, list) or not waarde:
                raise fout(f"{pad}: moet een niet-lege lijst van voorwaarden zijn.")
            for j, deel in enumerate(waarde):
                _controleer_voorwaarde(deel, f"{pad}[{j}]", signalen, gebruikte_signalen, gebruikte_themas, fout)
        elif sleutel == "niet":
            _controleer_voorwaarde(waarde, pad, signalen, gebruikte_signalen, gebruikte_themas, fout)
        else:
            toegestaan = signalen if sleutel == "signalen_any" else _LIJST_SLEUTELS[sleutel]
            if not isinstance(waarde, list) or not waarde:
                raise fout(f"{pad}: moet een niet-lege lijst zijn.")
            for v in waarde:
                if v not in toegestaan:
                    raise fout(f"{pad}: onbekende waarde {v!r}. Kies uit: {', '.join(sorted(toegestaan))}.")
            if sleutel == "signalen_any":
                gebruikte_signalen.update(waarde)
            elif sleutel == "themas_any":
                gebruikte_themas.update(waarde)


def _tekst(waarde, waar, fout) -> str:
    if not isinstance(waarde, str) or not waarde.strip():
        raise fout(f"{waar}: moet een niet-lege tekst zijn.")
    for woord in VERBODEN_WOORDEN:
        if re.search(rf"\b{woord}\b", waarde, re.IGNORECASE):
            raise fout(f"{waar}: gebruik het woord '{woord}' niet (voor groepsactiviteiten kan een bijdrage gelden).")
    return " ".join(waarde.split())


# --------------------------------------------------------------------------------------------- applying


def _past(w: Mapping[str, Any], a: Antwoorden) -> bool:
    """Whether the answers meet a condition (all keys of the mapping must hold)."""
    for sleutel, waarde in w.items():
        if sleutel == "gevaar":
            ok = a.gevaar is waarde
        elif sleutel == "haast":
            ok = a.haast is waarde
        elif sleutel == "niets_gekozen":
            ok = (not a.themas and not a.signalen) is waarde
        elif sleutel == "themas_any":
            ok = any(t in a.themas for t in waarde)
        elif sleutel == "signalen_any":
            ok = any(s in a.signalen for s in waarde)
        elif sleutel == "voor_wie":
            ok = a.voor_wie in waarde
        elif sleutel == "leeftijd":
            ok = a.leeftijd is not None and a.leeftijd in waarde
        elif sleutel == "of":
            ok = any(_past(deel, a) for deel in waarde)
        elif sleutel == "alle":
            ok = all(_past(deel, a) for deel in waarde)
        elif sleutel == "niet":
            ok = not _past(waarde, a)
        else:  # the loader refuses unknown keys; this guards hand-made Regelsets
            raise RegelFout(f"onbekende voorwaarde {sleutel!r}")
        if not ok:
            return False
    return True


def _rang(w: Mapping[str, Any], a: Antwoorden) -> int:
    """-1 when a rule names a signal that is present; else the place of the first of its themes among the
    answers; else len(THEMAS) (rules on haast or nothing chosen). min() keeps file order for equal ranks."""
    signalen, themas = _codes(w)
    if signalen & a.signalen:
        return -1
    return min((i for i, t in enumerate(a.themas) if t in themas), default=len(THEMAS))


def _codes(w: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """The signals and themes a condition names (outside `niet`)."""
    signalen, themas = set(w.get("signalen_any", ())), set(w.get("themas_any", ()))
    for deel in [*w.get("of", ()), *w.get("alle", ())]:
        s, t = _codes(deel)
        signalen |= s
        themas |= t
    return signalen, themas


def _uniek(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def advies(antwoorden: Antwoorden, *, regelset: Regelset | None = None) -> Advies:
    """Apply the vraagwijzer rules to the answers. Pure: same answers, same advice.

    The first fitting rule (the list runs heavy to light) decides soort, team and voorziening and gives
    the main explanation. Every other fitting rule adds its `ook` sentence, its meenemen items and its
    verwijzing. A fitting rule with `stop: true` (gevaar) is the only one that counts. If nothing fits,
    the rule named `standaard` in the file applies.
    """
    if not isinstance(antwoorden, Antwoorden):
        raise TypeError("advies() verwacht Antwoorden.")
    rs = regelset or laad_regels()

    gepast = [r for r in rs.regels if _past(r.wanneer, antwoorden)]
    stop = next((r for r in gepast if r.stop), None)
    if stop is not None:
        gepast = [stop]
    if not gepast:
        gepast = [rs.regel(rs.standaard)]
    # Among the heaviest fitting rules, a rule for a signal comes first (it is the most precise fact), then the
    # rule for the theme the resident named first: "ik zorg voor mijn vader met dementie" is mantelzorg.
    zwaarste = GEWICHT[gepast[0].soort]
    hoofd = min((r for r in gepast if GEWICHT[r.soort] == zwaarste), key=lambda r: _rang(r.wanneer, antwoorden))
    overige = [r for r in gepast if r is not hoofd]
    gepast = [hoofd, *overige]

    zinnen = [hoofd.uitleg, *(r.ook for r in overige if r.ook)]
    if antwoorden.voor_wie == "ander" and stop is None:
        zinnen.append(rs.teksten["voor_een_ander"])
    zinnen = _uniek(zinnen)

    return Advies(
        soort=hoofd.soort,
        team=hoofd.team,
        voorziening=hoofd.voorziening,
        uitleg=" ".join(zinnen),
        meenemen=_uniek(m for r in gepast for m in r.meenemen),
        verwijzing=" ".join(_uniek(r.verwijzing for r in gepast)),
        regels=tuple(r.id for r in gepast),
        bronnen=_uniek(b for r in gepast for b in r.bronnen),
        zinnen=zinnen,
    )


def maatwerk_regels(signalen: Iterable[str]) -> tuple[Regel, ...]:
    """The maatwerk rules that these signals alone lead to: the search's "dit is maatwerk" box for "traplift"."""
    antwoorden = Antwoorden(signalen=frozenset(signalen))
    return tuple(r for r in laad_regels().regels if r.soort == "maatwerk" and _past(r.wanneer, antwoorden))


def spoedlijnen() -> list[dict[str, str]]:
    """The national emergency lines (112, 113, Veilig Thuis) with a B1 'wanneer' text, from the rules file."""
    return [dict(lijn) for lijn in laad_regels().spoedlijnen]

"""The safety net on own words: suicide or self-harm, violence at home, a child who is not safe, no place to sleep.

`toets(tekst)` says which alarms a resident's own words raise, with the line(s) to call first. The phrasings are
data (app/rules/veiligheid.yaml), matched by the lexicon's matcher. Nothing of the text is kept.

    >>> [a.code for a in toets("ik zie het niet meer zitten")]
    ['zelfdoding']
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from app import text
from app.lexicon import LexiconFout, Termenlijst, binnen, maak_term
from app.triage import laad_regels, spoedlijnen

VEILIGHEID_BESTAND = Path(__file__).resolve().parent / "rules" / "veiligheid.yaml"


@dataclass(frozen=True)
class Alarm:
    code: str
    titel: str
    uitleg: str
    lijnen: tuple[dict[str, str], ...]   # {naam, telefoon, wanneer}, most relevant first
    links: tuple[dict[str, str], ...]    # {tekst, href}: where to find more (e.g. opvang in the sociale kaart)
    signaal: str                         # the vraagwijzer signal this alarm adds


@dataclass(frozen=True)
class _Regel:
    alarm: Alarm
    woorden: Termenlijst
    niet_als: Termenlijst


@lru_cache(maxsize=1)
def regels() -> tuple[_Regel, ...]:
    """The safety rules, read and checked once (app/main.py reads them at start-up)."""
    return lees(VEILIGHEID_BESTAND)


def lees(pad: Path) -> tuple[_Regel, ...]:
    """Read and check the safety rules; a wrong file stops the app at start-up with a Dutch message."""
    try:
        with open(pad, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise LexiconFout(f"{pad}: kan de veiligheidsregels niet lezen ({e}).") from e
    if not isinstance(data, dict) or set(data) != {"lijnen", "alarmen"}:
        raise LexiconFout(f"{pad}: precies de sleutels 'lijnen' en 'alarmen' nodig.")
    alle_lijnen = {lijn["telefoon"]: lijn for lijn in [*spoedlijnen(), *data["lijnen"]]}
    signalen = laad_regels().signalen
    gelezen = []
    for code, a in data["alarmen"].items():
        nodig = {"titel", "uitleg", "lijnen", "signaal", "woorden", "niet_als"}
        if not isinstance(a, dict) or not nodig <= set(a) or set(a) - nodig - {"links"}:
            raise LexiconFout(f"{pad}: alarm {code!r}: de sleutels {', '.join(sorted(nodig))} (en links) nodig.")
        if onbekend := [n for n in a["lijnen"] if n not in alle_lijnen]:
            raise LexiconFout(f"{pad}: alarm {code!r}: onbekend nummer {', '.join(onbekend)}.")
        if a["signaal"] not in signalen:
            raise LexiconFout(f"{pad}: alarm {code!r}: onbekend signaal {a['signaal']!r}.")
        alarm = Alarm(
            code=code, titel=" ".join(a["titel"].split()), uitleg=" ".join(a["uitleg"].split()),
            lijnen=tuple(dict(alle_lijnen[n]) for n in a["lijnen"]),
            links=tuple(dict(link) for link in a.get("links", [])), signaal=a["signaal"],
        )
        gelezen.append(_Regel(
            alarm,
            Termenlijst((maak_term(code, w) for w in a["woorden"]), samenstellingen=False),
            Termenlijst((maak_term(code, w) for w in a["niet_als"]), samenstellingen=False),
        ))
    return tuple(gelezen)


def toets(tekst: str) -> tuple[Alarm, ...]:
    """The alarms own words raise, most serious first. Empty for text that raises none."""
    tokens = text.tokens(tekst or "")[:400]
    if not tokens:
        return ()
    gevonden = []
    for regel in regels():
        terloops = [(v.begin, v.eind) for v in regel.niet_als.vind(tokens)]
        if any(not binnen(v, terloops) for v in regel.woorden.vind(tokens)):
            gevonden.append(regel.alarm)
    return tuple(gevonden)

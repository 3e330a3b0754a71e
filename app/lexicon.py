"""The one Dutch lexicon: residents' own words -> themes, signals and who the question is about.

Used by the vraagwijzer (own words), the staff page and the search. The words live in app/rules/lexicon.yaml
(its header explains how a term matches); this module holds the matcher, which app/veiligheid.py shares.
The resident's text is only read here: nothing of it is kept, logged or returned except lexicon terms.

    >>> h = herken("Ik zorg voor mijn vader met dementie en ik werk ook")
    >>> h.themas
    ('mantelzorg', 'gezondheid')
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from app import text
from app.triage import THEMAS, laad_regels

LEXICON_BESTAND = Path(__file__).resolve().parent / "rules" / "lexicon.yaml"

ONTKENNING = frozenset({"geen", "niet", "nooit"})
GAT = "~"           # in a term: up to MAX_GAT other words may stand here
MAX_GAT = 3
MIN_SAMENSTELLING = 5  # a compound's head must have 5 letters or more: "werk" must not find "vrijwilligerswerk"
_LEEFTIJD_RE = re.compile(r"\b(?:van|is|ben|wordt|word)\s+(\d{1,3})\b|\b(\d{1,3})\s*(?:jaar|jr)\b")


class LexiconFout(ValueError):
    """The lexicon file is malformed. The message says where."""


# --------------------------------------------------------------------------------------------- the matcher


@dataclass(frozen=True)
class Term:
    """One term: per place the words that may stand there; `gaten[i]` says whether a gap may follow place i."""
    code: str
    bron: str            # the term as written in the rules file: what `herkend` reports
    plaatsen: tuple[frozenset[str], ...]
    gaten: tuple[bool, ...]


def maak_term(code: str, bron: str) -> Term:
    plaatsen: list[frozenset[str]] = []
    gaten: list[bool] = []
    for deel in bron.replace("-", " ").split():  # "hoog-laagbed" is two words, as text.tokens reads it
        if deel == GAT:
            if not plaatsen:
                raise LexiconFout(f"term {bron!r}: '~' kan niet vooraan staan.")
            gaten[-1] = True
            continue
        woorden = frozenset(w for alt in deel.split("|") for w in text.tokens(alt))
        if not woorden:
            raise LexiconFout(f"term {bron!r}: een leeg woord.")
        plaatsen.append(woorden)
        gaten.append(False)
    if not plaatsen:
        raise LexiconFout(f"term {bron!r} is leeg.")
    return Term(code, bron, tuple(plaatsen), tuple(gaten))


@dataclass(frozen=True)
class Vondst:
    term: Term
    begin: int  # token positions, end exclusive
    eind: int


class Termenlijst:
    """A set of terms, indexed so that a text of a few hundred words is read in well under a millisecond."""

    def __init__(self, termen: Iterable[Term], samenstellingen: bool = True):
        self.termen = tuple(termen)
        self.samenstellingen = samenstellingen
        woorden = {w for t in self.termen for plaats in t.plaatsen for w in plaats}
        self._woorden = woorden
        self._per_stam: dict[str, set[str]] = {}
        for w in woorden:
            self._per_stam.setdefault(text.stem(w), set()).add(w)
        self._lang = sorted(w for w in woorden if len(w) >= text.MIN_FUZZY_LENGTH)
        # Compound heads: single-word terms only ("huurachterstand" -> "achterstand").
        self._koppen = {w for t in self.termen if len(t.plaatsen) == 1 for w in t.plaatsen[0]
                        if len(w) >= MIN_SAMENSTELLING}
        self._eerste: dict[str, list[Term]] = {}
        for t in self.termen:
            for w in t.plaatsen[0]:
                self._eerste.setdefault(w, []).append(t)

    def _past_op(self, token: str) -> frozenset[str]:
        """The lexicon words a token of the text stands for: same word, same stem, small typo or compound head."""
        # Same stem only with the same start: the Dutch stemmer turns "geweld" into "wel".
        gevonden = {w for w in self._per_stam.get(text.stem(token), ()) if w[:2] == token[:2]}
        if token in self._woorden:
            gevonden.add(token)
        if gevonden:
            return frozenset(gevonden)
        if len(token) >= text.MIN_FUZZY_LENGTH and self._lang:
            gevonden.update(m[0] for m in process.extract(token, self._lang, scorer=fuzz.ratio,
                                                           score_cutoff=text.FUZZY_CUTOFF, limit=3))
        if not gevonden and self.samenstellingen:
            gevonden.update(token[i:] for i in range(3, len(token) - MIN_SAMENSTELLING + 1)
                            if token[i:] in self._koppen)
        return frozenset(gevonden)

    def vind(self, tokens: list[str]) -> list[Vondst]:
        """Every place in the tokens where a term matches (the shortest match from each start)."""
        passend = [self._past_op(t) for t in tokens]
        vondsten: list[Vondst] = []
        for i, woorden in enumerate(passend):
            kandidaten = {id(t): t for w in woorden for t in self._eerste.get(w, ())}
            for term in kandidaten.values():
                eind = _volg(term, passend, i)
                if eind is not None:
                    vondsten.append(Vondst(term, i, eind))
        return vondsten


def _volg(term: Term, passend: list[frozenset[str]], begin: int) -> int | None:
    """End position when the term matches from `begin`, else None."""
    pos = begin + 1
    for plaats in range(1, len(term.plaatsen)):
        ruimte = MAX_GAT if term.gaten[plaats - 1] else 0
        for stap in range(ruimte + 1):
            if pos + stap < len(passend) and passend[pos + stap] & term.plaatsen[plaats]:
                pos = pos + stap + 1
                break
        else:
            return None
    return pos


def ontkend(tokens: list[str], begin: int) -> bool:
    """'geen schulden', 'niet eenzaam', 'niet meer eenzaam': the word right after a negation."""
    vorige = tokens[max(0, begin - 2):begin]
    return bool(vorige) and (vorige[-1] in ONTKENNING or (len(vorige) == 2 and vorige[0] in ONTKENNING
                                                          and vorige[1] in {"meer", "echt", "zo", "erg"}))


def binnen(vondst: Vondst, spannen: Iterable[tuple[int, int]]) -> bool:
    return any(b <= vondst.begin and vondst.eind <= e for b, e in spannen)


# --------------------------------------------------------------------------------------------- the lexicon


@dataclass(frozen=True)
class Herkenning:
    """What own words point to. `herkend` lists lexicon terms (never the resident's text)."""
    themas: tuple[str, ...] = ()
    signalen: tuple[str, ...] = ()
    voor_wie: str | None = None      # "kind" or "ander" when a role word says so
    leeftijd: int | None = None      # an age said in the text ("mijn zoon van 10")
    herkend: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    themas: Termenlijst
    signalen: Termenlijst
    signaal_themas: Mapping[str, tuple[str, ...]]
    rollen: Termenlijst
    met_kind: Termenlijst
    niet_als: Termenlijst
    ontkenbaar: frozenset[str]
    ontkenbare_stammen: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return lees_lexicon(LEXICON_BESTAND)


def lees_lexicon(pad: Path, thema_codes: Iterable[str] | None = None,
                 signaal_codes: Iterable[str] | None = None) -> Lexicon:
    """Read and check the lexicon. Theme and signal codes are checked against the vraagwijzer's own."""
    try:
        with open(pad, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise LexiconFout(f"{pad}: kan het lexicon niet lezen ({e}).") from e
    sleutels = {"themas", "signalen", "rollen", "alleen_met_kind", "ontkenbaar", "niet_als"}
    if not isinstance(data, dict) or set(data) != sleutels:
        raise LexiconFout(f"{pad}: precies de sleutels {', '.join(sorted(sleutels))} nodig.")
    if thema_codes is None or signaal_codes is None:  # the vraagwijzer's codes are the reference
        thema_codes, signaal_codes = THEMAS, laad_regels().signalen
    thema_codes, signaal_codes = set(thema_codes), set(signaal_codes)

    def termen(tabel, toegestaan, waar) -> list[Term]:
        if not isinstance(tabel, dict):
            raise LexiconFout(f"{pad}: '{waar}' moet een mapping zijn.")
        uit: list[Term] = []
        for code, woorden in tabel.items():
            if code not in toegestaan:
                raise LexiconFout(f"{pad}: {waar}.{code}: onbekende code. Kies uit: {', '.join(sorted(toegestaan))}.")
            if not isinstance(woorden, list) or not all(isinstance(w, str) for w in woorden):
                raise LexiconFout(f"{pad}: {waar}.{code}: moet een lijst van woorden zijn.")
            uit.extend(maak_term(code, w) for w in woorden)
        return uit

    signalen = data["signalen"]
    if not isinstance(signalen, dict):
        raise LexiconFout(f"{pad}: 'signalen' moet een mapping zijn.")
    for code, s in signalen.items():
        if not isinstance(s, dict) or set(s) != {"themas", "woorden"} or not set(s["themas"]) <= thema_codes:
            raise LexiconFout(f"{pad}: signalen.{code}: 'themas' (bekende thema's) en 'woorden' nodig.")
    ontkenbaar = data["ontkenbaar"]
    if not isinstance(ontkenbaar, list):
        raise LexiconFout(f"{pad}: 'ontkenbaar' moet een lijst zijn.")
    return Lexicon(
        themas=Termenlijst(termen(data["themas"], thema_codes, "themas")),
        signalen=Termenlijst(termen({c: s["woorden"] for c, s in signalen.items()}, signaal_codes, "signalen")),
        signaal_themas={c: tuple(s["themas"]) for c, s in signalen.items()},
        rollen=Termenlijst(termen(data["rollen"], {"kind", "ander"}, "rollen"), samenstellingen=False),
        met_kind=Termenlijst(termen(data["alleen_met_kind"], thema_codes, "alleen_met_kind")),
        niet_als=Termenlijst(termen(data["niet_als"], thema_codes | signaal_codes, "niet_als"), samenstellingen=False),
        ontkenbaar=frozenset(ontkenbaar),
        ontkenbare_stammen=frozenset(text.stem(w) for w in ontkenbaar if " " not in w),
    )


def herken(tekst: str, over_kind: bool = False) -> Herkenning:
    """Themes, signals and role in own words. `over_kind`: the resident already said it is about a child.
    Not cached: a resident's own words are not kept, not even in memory (search terms are: `zoekwoorden`)."""
    lx = lexicon()
    tokens = text.tokens(tekst)[:400]
    if not tokens:
        return Herkenning()
    terloops: dict[str, list[tuple[int, int]]] = {}
    for v in lx.niet_als.vind(tokens):
        terloops.setdefault(v.term.code, []).append((v.begin, v.eind))

    def geldig(vondsten: list[Vondst]) -> list[Vondst]:
        return [v for v in vondsten if not binnen(v, terloops.get(v.term.code, ()))
                and not (_ontkenbaar(v, tokens, lx) and ontkend(tokens, v.begin))]

    # A child named anywhere makes it a question about a child ("mijn vriend slaat mijn kinderen").
    rollen = {v.term.code for v in lx.rollen.vind(tokens)}
    voor_wie = "kind" if "kind" in rollen else "ander" if rollen else None
    leeftijd = _leeftijd(tekst)
    kind = over_kind or voor_wie == "kind" or (leeftijd is not None and leeftijd < 18)

    signaal_vondsten = geldig(lx.signalen.vind(tokens))
    thema_vondsten = geldig(lx.themas.vind(tokens))
    if kind:
        thema_vondsten += geldig(lx.met_kind.vind(tokens))
    signalen = _op_volgorde(signaal_vondsten)
    themas = _op_volgorde([*signaal_vondsten, *thema_vondsten],
                          lambda v: lx.signaal_themas.get(v.term.code, (v.term.code,)))
    herkend = tuple(dict.fromkeys(v.term.bron for v in sorted([*signaal_vondsten, *thema_vondsten],
                                                              key=lambda v: v.begin)))
    return Herkenning(themas=themas, signalen=signalen, voor_wie=voor_wie, leeftijd=leeftijd, herkend=herkend)


def _ontkenbaar(v: Vondst, tokens: list[str], lx: Lexicon) -> bool:
    """Whether "geen"/"niet" before this match cancels it: the term, or the word said, is in `ontkenbaar`."""
    return v.term.bron in lx.ontkenbaar or text.stem(tokens[v.begin]) in lx.ontkenbare_stammen


def _op_volgorde(vondsten: list[Vondst], codes=lambda v: (v.term.code,)) -> tuple[str, ...]:
    """Codes in the order the resident said them."""
    return tuple(dict.fromkeys(c for v in sorted(vondsten, key=lambda v: v.begin) for c in codes(v)))


def _leeftijd(tekst: str) -> int | None:
    for m in _LEEFTIJD_RE.finditer(text.fold(tekst)):
        jaren = int(m.group(1) or m.group(2))
        if jaren <= 120:
            return jaren
    return None


@lru_cache(maxsize=4096)
def zoekwoorden(q: str) -> Herkenning:
    """herken() for search terms, cached: search asks the same few words over and over (they are in the URL anyway)."""
    return herken(q)


def themes_for_text(tekst: str) -> list[str]:
    """The themes search words point to."""
    return list(zoekwoorden(tekst).themas)

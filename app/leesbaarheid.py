"""B1 Dutch: a readability score, long sentences and jargon. One checker for the resident pages' tests
(tests/b1.py) and for the warnings beheer gets when it saves a hard text.

Readability: Flesch-Douma, the Dutch version of Flesch Reading Ease:

    206.835 - 0.93 * (words / sentences) - 77 * (syllables / words)

60 or more is "plain": fine for B1. How we count:
- Sentences: every line (a block of a page) ends a sentence, and so do . ! and ? followed by a space.
- Words: runs of letters. Numbers, web addresses and e-mail addresses are not words: a reader does
  not "read" 074-245 88 08 or www.berflo-hengelo.nl syllable by syllable.
- Syllables: vowel groups, where aa ee oo uu ie oe eu ui ei ij ou au (and aai ooi oei eeu ieu) are
  one sound; a diaeresis (cliënt, reünie) starts a new syllable. Every word has at least one.

Jargon (app/rules/jargon.yaml): a word from the list may be used only together with one of the plain phrases
that explain it. Proper names that contain such a word are listed there too and are not jargon.
"""
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
URL_OR_MAIL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+\.(?:nl|com|org)(?:/\S*)?\b")
WORD = re.compile(r"[^\W\d_]+")
VOWELS = "aeiouy"
# Longest first: one sound each.
SOUNDS = ("aai", "ooi", "oei", "eeu", "ieu", "aa", "ee", "oo", "uu", "ie", "oe", "eu", "ui", "ei", "ou", "au")

MIN_SCORE = 60  # Flesch-Douma: 60 or more is plain Dutch
MAX_WOORDEN_PER_ZIN = 20
# A score says little about a text of a few words ("Schuldhulp"): only texts with this many words get one.
MIN_WOORDEN_VOOR_SCORE = 10

_JARGON_FILE = Path(__file__).resolve().parent / "rules" / "jargon.yaml"


@lru_cache
def _jargon() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    with open(_JARGON_FILE, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return {t: tuple(p) for t, p in data["termen"].items()}, tuple(data.get("namen") or ())


def jargon() -> dict[str, tuple[str, ...]]:
    """Jargon word -> the plain phrases that explain it."""
    return _jargon()[0]


def sentences(text: str) -> list[str]:
    out = []
    for block in text.split("\n"):
        for part in SENTENCE_END.split(URL_OR_MAIL.sub(" ", block)):
            if WORD.search(part):
                out.append(part.strip())
    return out


def words(text: str) -> list[str]:
    return WORD.findall(URL_OR_MAIL.sub(" ", text))


def syllables(word: str) -> int:
    """Dutch syllables, roughly: vowel groups, with the usual two- and three-letter sounds as one."""
    w = unicodedata.normalize("NFD", word.lower())
    # A diaeresis (U+0308) starts a new syllable: cliënt -> cli|ent. Other accents just go.
    w = re.sub(r"([aeiouy])\u0308", r"|\1", w)
    w = "".join(c for c in w if not unicodedata.combining(c))
    w = w.replace("ij", "y")
    count = 0
    for part in w.split("|"):
        for run in re.findall(f"[{VOWELS}]+", part):
            i = 0
            while i < len(run):
                step = next((len(s) for s in SOUNDS if run.startswith(s, i)), 1)
                count += 1
                i += step
    return max(1, count)


def flesch_douma(text: str) -> float:
    """Flesch-Douma reading ease of `text` (see the module text); 60+ is plain Dutch."""
    ws = words(text)
    if not ws:
        raise ValueError("no words in the text")
    n_sentences = max(1, len(sentences(text)))
    n_syllables = sum(syllables(w) for w in ws)
    return 206.835 - 0.93 * (len(ws) / n_sentences) - 77 * (n_syllables / len(ws))


def jargon_used(text: str) -> list[str]:
    termen, namen = _jargon()
    for name in namen:
        text = text.replace(name, " ")
    lower = text.lower()
    return [term for term in termen if re.search(rf"(?<!\w){re.escape(term)}", lower)]


def jargon_problems(text: str) -> list[str]:
    """Jargon words in the text without one of their explanations, e.g. ['triage']."""
    lower = " ".join(text.lower().split())
    return [term for term in jargon_used(text) if not any(p in lower for p in jargon()[term])]


def waarschuwingen(veld: str, text: str) -> list[dict]:
    """B1 warnings for one resident text: [{"veld": "description", "msg": "..."}]. Never a reason to refuse."""
    if not text or not words(text):
        return []
    out = []
    lang = [s for s in sentences(text) if len(words(s)) > MAX_WOORDEN_PER_ZIN]
    if lang:
        out.append(f"{len(lang)} zin(nen) met meer dan {MAX_WOORDEN_PER_ZIN} woorden, zoals: \"{_kort(lang[0])}\". "
                   "Maak er twee korte zinnen van.")
    if len(words(text)) >= MIN_WOORDEN_VOOR_SCORE:
        score = flesch_douma(text)
        if score < MIN_SCORE:
            out.append(f"De tekst is moeilijk te lezen (Flesch-Douma {score:.0f}, het moet {MIN_SCORE} of meer "
                       "zijn). Gebruik kortere woorden en kortere zinnen.")
    problemen = jargon_problems(text)
    for term in problemen:
        if any(term != t and t.startswith(term) for t in problemen):
            continue  # "maatwerkvoorziening" is enough; "maatwerk" in it needs no warning of its own
        out.append(f"Het woord '{term}' is vaktaal. Gebruik een gewoon woord, of leg het uit, bijvoorbeeld met: "
                   f"\"{jargon()[term][0]}\".")
    return [{"veld": veld, "msg": msg} for msg in out]


def _kort(zin: str, n: int = 12) -> str:
    ws = zin.split()
    return " ".join(ws[:n]) + (" ..." if len(ws) > n else "")

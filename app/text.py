"""Dutch text for search: fold accents and case, drop filler words, stem, map residents' words to themes."""
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import snowballstemmer
import yaml
from rapidfuzz import fuzz, process

RULES_DIR = Path(__file__).resolve().parent / "rules"

# Words that carry no meaning for finding help; removing them keeps "ik zoek hulp bij mijn schulden" on "schulden".
STOPWORDS = frozenset(
    """de het een en of van voor met bij in op aan te naar om over uit tot door als dan dat die dit
    ik mij me mijn mn je jij jou jouw u uw we wij ons onze zij ze hun hen hij zijn haar er is ben
    heb heeft hebben wil wilt kan kunnen moet zoek zoeken hulp help helpen vraag vragen waar wat hoe
    wie niet geen wel ook nog nu heel erg veel meer weet iets iemand graag""".split()
)
# Stems too short to be fuzzy-matched safely: "kind" -> "kinb" would be a different word.
MIN_FUZZY_LENGTH = 5
FUZZY_CUTOFF = 85  # 80 lets 'leren' become 'lenen'

_stemmer = snowballstemmer.stemmer("dutch")
_TOKEN_RE = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents: 'Één café' -> 'een cafe'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """Meaningful words of a text, folded, without filler words."""
    return [w for w in _TOKEN_RE.findall(fold(text)) if w not in STOPWORDS and len(w) > 1]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


@lru_cache
def synonyms() -> dict[str, frozenset[str]]:
    """stem of a resident's word -> the thema codes it points to."""
    with open(RULES_DIR / "synoniemen.yaml", encoding="utf-8") as f:
        table = yaml.safe_load(f)
    mapping: dict[str, set[str]] = {}
    for thema, entries in table.items():
        for entry in entries:
            # Both the stem and the whole word are keys: a typo is often closer to the whole word.
            for key in {" ".join(stems(entry)), " ".join(words(entry))} - {""}:
                mapping.setdefault(key, set()).add(thema)
    return {k: frozenset(v) for k, v in mapping.items()}


def closest(word: str, vocabulary: list[str]) -> str | None:
    """The vocabulary word closest to a misspelt word ('schulde' -> 'schuld'), if close enough."""
    if len(word) < MIN_FUZZY_LENGTH or not vocabulary:
        return None
    match = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return match[0] if match else None


def themes_for_words(query_words: list[str]) -> list[str]:
    """Themes named by the words, in order of first mention; multi-word entries ('huiselijk geweld') too."""
    table = synonyms()
    found: list[str] = []
    keys = list(table)
    query_stems = [stem(w) for w in query_words]
    pairs = [" ".join(p) for seq in (query_words, query_stems) for p in zip(seq, seq[1:], strict=False)]
    for s in [*query_stems, *pairs, *query_words]:
        hit = table.get(s)
        if hit is None and " " not in s:
            near = closest(s, keys)
            hit = table.get(near) if near else None
        for thema in sorted(hit or ()):
            if thema not in found:
                found.append(thema)
    return found


def themes_for_text(text: str) -> list[str]:
    """Which themes a resident's own words are about: 'Ik kan mijn huur niet betalen' -> ['geld', ...]."""
    return themes_for_words(words(text))

"""Dutch text: fold accents and case, drop filler words, stem, match typos. The lexicon (app/lexicon.py) builds on it."""
import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz, process

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


def tokens(text: str) -> list[str]:
    """All words of a text, folded, filler words included: phrases such as "hulp in de huishouding" need them."""
    return _TOKEN_RE.findall(fold(text))


def words(text: str) -> list[str]:
    """Meaningful words of a text, folded, without filler words."""
    return [w for w in _TOKEN_RE.findall(fold(text)) if w not in STOPWORDS and len(w) > 1]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def closest(word: str, vocabulary: list[str]) -> str | None:
    """The vocabulary word closest to a misspelt word ('schulde' -> 'schuld'), if close enough."""
    if len(word) < MIN_FUZZY_LENGTH or not vocabulary:
        return None
    match = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return match[0] if match else None

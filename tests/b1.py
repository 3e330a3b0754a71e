"""B1 checks for resident pages: visible text, a Dutch readability score and a jargon rule.

Used by tests/test_b1.py and the vraagwijzer tests:

    from tests.b1 import flesch_douma, jargon_problems, visible_text
    text = visible_text(response.text)
    assert flesch_douma(text) >= 60
    assert not jargon_problems(text)

Readability: Flesch-Douma, the Dutch version of Flesch Reading Ease:

    206.835 - 0.93 * (words / sentences) - 77 * (syllables / words)

60 or more is "plain": fine for B1. How we count:
- Text: what a resident sees (see `visible_text`). Every block (heading, paragraph, list item, label,
  button, table cell, ...) ends a sentence, and so do . ! and ? followed by a space. A heading or a
  list item is read as one unit, so it counts as one sentence.
- Words: runs of letters. Numbers, web addresses and e-mail addresses are not words: a reader does
  not "read" 074-245 88 08 or www.berflo-hengelo.nl syllable by syllable.
- Syllables: vowel groups, where aa ee oo uu ie oe eu ui ei ij ou au (and aai ooi oei eeu ieu) are
  one sound; a diaeresis (cliënt, reünie) starts a new syllable. Every word has at least one.

Jargon: a word from JARGON may be on a page only when the same page also explains it in plain words,
with one of the phrases listed for it ("Dat besluit heet een indicatie"). Proper names that happen to
contain a jargon word (an organisation called "Cliëntenraad Minima en WMO Hengelo") are not jargon
and are listed in NAMES.
"""
import re
import unicodedata
from html.parser import HTMLParser

# Elements whose start and end break a sentence.
BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "button", "caption", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "label", "legend", "li", "main", "nav", "ol", "option", "p", "section", "select",
    "summary", "table", "td", "th", "tr", "ul",
}
# Never visible, or not prose for residents.
SKIP = {"head", "script", "style", "template", "svg", "code", "pre", "noscript", "textarea"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
URL_OR_MAIL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+\.(?:nl|com|org)(?:/\S*)?\b")
WORD = re.compile(r"[^\W\d_]+")
VOWELS = "aeiouy"
# Longest first: one sound each.
SOUNDS = ("aai", "ooi", "oei", "eeu", "ieu", "aa", "ee", "oo", "uu", "ie", "oe", "eu", "ui", "ei", "ou", "au")


class _TextParser(HTMLParser):
    """Collects visible text as blocks. Skips SKIP elements, [hidden], [aria-hidden=true],
    links to the API reference (href starting with /api/) and anything marked data-b1-skip."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self._skip_depth = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skip = (
            tag in SKIP or "hidden" in a or a.get("aria-hidden") == "true" or "data-b1-skip" in a
            or (tag == "a" and (a.get("href") or "").startswith("/api/"))
        )
        if tag in BLOCKS:
            self._flush()
        if tag in VOID:
            return
        self._stack.append((tag, skip))
        if skip:
            self._skip_depth += 1

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        # Close up to the matching tag (HTML is forgiving about unclosed <p>, <li>, ...).
        while self._stack:
            open_tag, skip = self._stack.pop()
            if skip:
                self._skip_depth -= 1
            if open_tag == tag:
                break
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._skip_depth:
            self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def visible_blocks(html: str) -> list[str]:
    """The visible text of a page, one string per block (heading, paragraph, list item, label, ...)."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser.blocks


def visible_text(html: str) -> str:
    """The visible text of a page: blocks separated by new lines (each block ends a sentence)."""
    return "\n".join(visible_blocks(html))


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
    """Flesch-Douma reading ease of `text` (see the module docstring); 60+ is plain Dutch."""
    ws = words(text)
    if not ws:
        raise ValueError("no words in the text")
    n_sentences = max(1, len(sentences(text)))
    n_syllables = sum(syllables(w) for w in ws)
    return 206.835 - 0.93 * (len(ws) / n_sentences) - 77 * (n_syllables / len(ws))


# Jargon -> plain phrases that explain it. A page that uses the word must contain one of them
# (case-insensitive). Matching is on the start of a word, so "maatwerk" also catches
# "maatwerkvoorziening" and "voorliggend" catches "voorliggende".
JARGON: dict[str, tuple[str, ...]] = {
    "indicatie": ("dat besluit heet een indicatie", "een indicatie is een besluit"),
    "maatwerkvoorziening": ("hulp die de gemeente voor u regelt",),
    "maatwerk": ("hulp die de gemeente voor u regelt",),
    "basisondersteuning": ("hulp van de wijkentree en het wijkteam", "zonder verwijzing"),
    "triage": ("we kijken samen welke hulp past", "welke hulp bij u past"),
    "wmo": ("wet maatschappelijke ondersteuning",),
    "sociale basis": ("plekken en activiteiten in uw buurt",),
    "toegang": ("waar u zich meldt voor hulp", "zonder verwijzing"),
    "voorliggend": ("hulp die u eerst kunt proberen", "eerst kunt u"),
}
# Proper names from the source data that contain a jargon word; not jargon themselves.
NAMES: tuple[str, ...] = ("Cliëntenraad Minima en WMO Hengelo",)


def jargon_used(text: str) -> list[str]:
    for name in NAMES:
        text = text.replace(name, " ")
    lower = text.lower()
    return [term for term in JARGON if re.search(rf"(?<!\w){re.escape(term)}", lower)]


def jargon_problems(text: str) -> list[str]:
    """Jargon words on the page without one of their explanations, e.g. ['triage']."""
    lower = " ".join(text.lower().split())
    return [term for term in jargon_used(text) if not any(p in lower for p in JARGON[term])]

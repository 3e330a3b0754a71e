"""B1 checks for resident pages: visible text, a Dutch readability score and a jargon rule.

Used by tests/test_b1.py and the vraagwijzer tests:

    from tests.b1 import flesch_douma, jargon_problems, visible_text
    text = visible_text(response.text)
    assert flesch_douma(text) >= 60
    assert not jargon_problems(text)

The counting (Flesch-Douma, syllables, jargon) is app/leesbaarheid.py, the same checker that warns beheer
about a hard text; this module adds what a resident sees of a page. Text: every block (heading, paragraph,
list item, label, button, table cell, ...) ends a sentence, and so do . ! and ? followed by a space. A heading
or a list item is read as one unit, so it counts as one sentence.

Jargon: a word from the glossary (app/rules/jargon.yaml) may be on a page only when the same page also
explains it in plain words, with one of the phrases listed for it ("Dat besluit heet een indicatie").
"""
from html.parser import HTMLParser

from app.leesbaarheid import (  # noqa: F401  (the tests import them from here)
    flesch_douma,
    jargon,
    jargon_problems,
    jargon_used,
    sentences,
    syllables,
    words,
)

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


JARGON = jargon()

"""The translation catalogues: extract every marked Dutch text (templates, Python, the resident texts in the rules
files) and bring each language's .po file up to date with it. `python -m app vertalingen` (make vertalingen) writes
them; tests/test_talen.py checks with the same extraction that no language misses a text.

Translators edit app/locale/<code>/LC_MESSAGES/messages.po (any PO editor, e.g. Poedit); a text they are unsure of
stays `#, fuzzy` and is not shown (the Dutch text shows instead)."""
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from app.config import ROOT
from app.taal import LOCALE_DIR, VERTAALD

KOP = ("# Interface texts of Wijkentree Hengelo. The msgids are the Dutch texts; see README.md, Talen, for who\n"
       "# translated and reviewed this language.")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
# Staff pages (templates/beheer, medewerkers_*) are not marked: they stay Dutch (app/taal.py).
METHODEN = [
    ("app/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("app/rules/woordenlijst.yaml", "app.vertalingen:extract_yaml"),
    ("app/rules/*.yaml", "app.vertalingen:extract_yaml"),
    ("seed/taxonomie.yaml", "app.vertalingen:extract_taxonomie"),
]
OPTIES = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"},
          "app/rules/woordenlijst.yaml": {"alles": "true"}}

# The keys of the rules files whose texts residents read (see the TEXTS note in app/rules/vraagwijzer.yaml; `tekst`
# is a safety alarm's link): a string, a list of strings or a mapping to strings under such a key. Ids, conditions
# (a `wanneer` that is a mapping), sources and the staff's `verwijzing` are not texts for residents and stay out.
RESIDENT_KEYS = frozenset({"uitleg", "ook", "meenemen", "teksten", "naam", "wanneer", "titel", "tekst"})


def extract_yaml(fileobj: IO[bytes], keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for the rules files: the resident texts, with their line. With the option
    `alles`, every top-level value (app/rules/woordenlijst.yaml: word -> explanation)."""
    root = yaml.compose(fileobj.read().decode("utf-8"))

    def teksten(node) -> Iterator[yaml.ScalarNode]:
        items = {yaml.ScalarNode: lambda n: [n], yaml.SequenceNode: lambda n: n.value,
                 yaml.MappingNode: lambda n: [v for _k, v in n.value]}[type(node)](node)
        yield from (n for n in items if isinstance(n, yaml.ScalarNode) and n.value.strip())

    def walk(node) -> Iterator[yaml.ScalarNode]:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value in RESIDENT_KEYS and not (key.value == "wanneer" and isinstance(value, yaml.MappingNode)):
                    yield from teksten(value)
                else:
                    yield from walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                yield from walk(item)

    if root is None:
        return
    for scalar in (teksten(root) if options.get("alles") else walk(root)):
        yield scalar.start_mark.line + 1, "_", scalar.value, []


# What residents read of a taxonomy term (seed/taxonomie.yaml): its label on tiles, filters and results, and its
# explanation beside a filter. Codes, icons and the taxonomies' own descriptions are not shown to residents.
TERM_KEYS = ("name", "description")


def extract_taxonomie(fileobj: IO[bytes], keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for seed/taxonomie.yaml: the label and explanation of every term, with their line."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    for _naam, taxonomie in (root.value if root is not None else []):
        terms = next((v for k, v in taxonomie.value if k.value == "terms"), None)
        for _code, term in (terms.value if terms is not None else []):
            for key, value in term.value:
                if key.value in TERM_KEYS and value.value.strip():
                    yield value.start_mark.line + 1, "_", value.value, []


def sjabloon() -> Catalog:
    """Every text to translate, as Babel finds it now."""
    # A fixed date: the files change only when the texts do.
    catalog = Catalog(project="Wijkentree Hengelo", version="1", creation_date=datetime(2026, 12, 3, tzinfo=UTC),
                      fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), METHODEN, OPTIES, keywords=KEYWORDS, comment_tags=("Vertalers:",), strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_pad(code: str):
    return LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"


def lees(code: str) -> Catalog:
    pad = po_pad(code)
    if not pad.exists():
        return Catalog(locale=code, project="Wijkentree Hengelo", header_comment=KOP, fuzzy=False)
    with pad.open("rb") as f:
        return read_po(f, locale=code)


def bijwerken(codes: tuple[str, ...] = VERTAALD) -> dict[str, int]:
    """Brings each .po file up to date with the texts in the code; returns per language how many still miss a
    translation. Texts that left the code are dropped; no guessed (fuzzy) matches are made."""
    template = sjabloon()
    missen = {}
    for code in codes:
        catalog = lees(code)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        pad = po_pad(code)
        pad.parent.mkdir(parents=True, exist_ok=True)
        with pad.open("wb") as f:
            # No line numbers: they would change the file whenever a template moves a line.
            write_po(f, catalog, width=120, sort_output=False, include_lineno=False)
        missen[code] = len(ontbrekend(catalog))
    return missen


def ontbrekend(catalog: Catalog, template: Catalog | None = None) -> list[str]:
    """The texts of the template (default: the catalogue's own) that have no usable translation."""
    ids = [m.id for m in (template or catalog) if m.id]
    missing = []
    for msgid in ids:
        m = catalog.get(msgid if isinstance(msgid, str) else msgid)
        strings = (m.string if isinstance(m.string, tuple) else (m.string,)) if m else ()
        if not m or m.fuzzy or not all(strings):
            missing.append(msgid if isinstance(msgid, str) else msgid[0])
    return missing

"""The translation catalogues (app/locale): complete for every language, and safe to show. A translation that drops
or changes an emergency number, or names a placeholder the page does not pass, would stand between a resident and
help (or break the page): these tests fail on it."""
import re
from functools import lru_cache

import pytest
from babel.messages.catalog import Catalog

from app.taal import VERTAALD
from app.vertalingen import lees, ontbrekend, sjabloon

NUMMER = re.compile(r"\b(?:112|0800-\d{4}|14 ?074|\d{3,4}[- ]?\d{2,4})\b")
PLAATSHOUDER = re.compile(r"%\((\w+)\)[sd]")


@lru_cache
def _sjabloon() -> Catalog:
    return sjabloon()


def _paren(code: str):
    catalog = lees(code)
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for s in strings:
            if s:
                yield ids, s


@pytest.mark.parametrize("code", VERTAALD)
def test_every_text_of_the_site_is_translated(code):
    missing = ontbrekend(lees(code), _sjabloon())
    assert not missing, f"{code}: {len(missing)} teksten zonder vertaling (make vertalingen), bijvoorbeeld {missing[:3]}"


@pytest.mark.parametrize("code", VERTAALD)
def test_every_phone_number_is_kept_in_western_digits(code):
    for ids, s in _paren(code):
        for nummer in NUMMER.findall(ids[0]):
            assert nummer in s, f"{code}: het nummer {nummer} ontbreekt in de vertaling van {ids[0][:80]!r}"


@pytest.mark.parametrize("code", VERTAALD)
def test_placeholders_are_the_same_as_in_the_dutch_text(code):
    for ids, s in _paren(code):
        toegestaan = set().union(*(PLAATSHOUDER.findall(i) for i in ids))
        assert set(PLAATSHOUDER.findall(s)) <= toegestaan, f"{code}: onbekende plaatshouder in {s[:80]!r}"
        if len(ids) == 1:  # a plural form may leave out the number ("één dienst")
            assert set(PLAATSHOUDER.findall(s)) == toegestaan, f"{code}: plaatshouder mist in {s[:80]!r}"


@pytest.mark.parametrize("code", VERTAALD)
def test_markup_in_a_text_stays_the_same(code):
    for ids, s in _paren(code):
        assert sorted(re.findall(r"</?\w+", ids[0])) == sorted(re.findall(r"</?\w+", s)), \
            f"{code}: andere HTML in de vertaling van {ids[0][:80]!r}"

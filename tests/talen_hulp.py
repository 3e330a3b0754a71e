"""Helpers for the tests of the interface languages (tests/test_talen*.py)."""
import html
import re

from app import taal

# The sentence a listing page in another language shows once (templates/_eigen_teksten.html).
NOOT_NL = "De organisaties schrijven hun namen en teksten in het Nederlands. Soms staat er een vertaling bij."


def html_tag(page: str) -> str:
    """The page's <html ...> tag, with its lang and dir."""
    return re.search(r"<html[^>]*>", page).group(0)


def vertaald(msgid: str, code: str) -> str:
    """A text as the catalogue of `code` has it, escaped as a page shows it."""
    token = taal._huidig.set(code)
    try:
        return html.escape(taal._(msgid), quote=True)
    finally:
        taal._huidig.reset(token)

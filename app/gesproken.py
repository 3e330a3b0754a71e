"""Languages spoken at a listing (HSDS 3.0 `language`), and a listing's own texts in the resident's language.

Both are only what an editor entered in beheer: the seed has none, and we never guess that a place speaks a
language or translate a listing's text by machine. A language is known by its ISO 639-1 or 639-3 code as the
Unicode CLDR (through Babel) lists it, so a typing error ("eng", "uk-UA") is refused instead of shown.
"""
import re

from babel import Locale, UnknownLocaleError

from app import taal

# Fields of a service an editor may translate (table vertaling, app/models.py).
VERTAALBAAR = ("name", "description")
_CODE = re.compile(r"^[a-z]{2,3}$")


def _nederlands() -> dict[str, str]:
    return Locale("nl").languages


def codes() -> list[str]:
    """Every code controleer_code takes (in lower case), for the admin API's JSON Schema."""
    return sorted(c for c in _nederlands() if _CODE.match(c))


def controleer_code(code: str) -> str:
    """The code in lower case, or a ValueError with a Dutch message that says what to enter."""
    code = (code or "").strip().lower()
    if not _CODE.match(code) or code not in _nederlands():
        raise ValueError(f"De taalcode '{code}' kennen we niet. Gebruik de code van twee of drie letters uit "
                         "ISO 639, zoals en (Engels), ar (Arabisch), so (Somalisch).")
    return code


def nederlandse_naam(code: str) -> str:
    """The language's name in Dutch, as HSDS `name` when the editor gives none: 'Engels', 'Arabisch'."""
    naam = _nederlands().get(code, code)
    return naam[:1].upper() + naam[1:]


def eigen_naam(code: str, naam: str) -> str:
    """The language's name in itself, so a resident recognises their own: the language switch's name for our seven
    languages, CLDR's for others, else the name the editor entered."""
    if code in taal.TALEN:
        return taal.TALEN[code].naam
    try:
        eigen = Locale.parse(code).get_language_name(code)
    except (UnknownLocaleError, ValueError):
        eigen = None
    return eigen[:1].upper() + eigen[1:] if eigen else naam


def controleer_vertaaltaal(code: str) -> str:
    """A translation is for one of the languages of the resident pages (app/taal.py), never Dutch itself."""
    if code not in taal.VERTAALD:
        raise ValueError(f"Een vertaling kan in deze talen: {', '.join(taal.VERTAALD)}. '{code}' is daar niet één "
                         "van.")
    return code


def tekst(vertalingen: dict[str, dict[str, str]], veld: str, nederlands: str, code: str) -> tuple[str, str]:
    """(the text to show, its language): the translation into `code` when an editor entered one, else Dutch."""
    vertaald = vertalingen.get(code, {}).get(veld)
    return (vertaald, code) if vertaald else (nederlands, taal.STANDAARD)

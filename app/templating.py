"""Jinja2 templates with a `static()` helper that adds a content hash, so static files can be cached for a year."""
import hashlib
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

import yaml
from babel.dates import format_date
from babel.numbers import format_decimal
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from app import taal
from app.config import ROOT, get_settings
from app.toegang import csrf_token
from app.triage import spoedlijnen

STATIC_DIR = ROOT / "static"


@lru_cache(maxsize=256)
def _hash(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:10]


def static_url(path: str) -> str:
    return f"/static/{path}?v={_hash(path)}"


def nl_number(value: float | int) -> str:
    """1234.5 -> '1.234,5' (Dutch separators)."""
    text = f"{value:,}".replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def afstand(metres: int | None) -> str:
    """"450 meter", "1,5 km": with the decimal separator of the request's language."""
    if metres is None:
        return ""
    if metres < 1000:
        return taal.gettext("%(meters)s meter") % {"meters": round(metres / 10) * 10}
    km = format_decimal(round(metres / 1000, 1), "#,##0.0", locale=taal.huidige().code)
    return taal.gettext("%(km)s km") % {"km": km}


def eerste_zin(text: str) -> str:
    """One sentence for a result card: the first that says something, not a question ("Voelt u zich alleen?")."""
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+", (text or "").strip()) if s.strip()]
    return next((s for s in sentences if not s.endswith("?")), sentences[0] if sentences else "")


def datum(d) -> str:
    """"4 december 2026", with the month in the request's language."""
    return format_date(d, "d MMMM y", locale=taal.huidige().code)


def vertaal(tekst: str) -> str:
    """A text that was marked where it is defined (N_, the rules and taxonomy files) or comes from there, translated
    where it is shown. Unlike _() in a template it is never read as a format string, so a '%' in it cannot break
    a page (the error pages must never fail)."""
    return taal.gettext(tekst) if tekst else tekst


def lang_nl() -> Markup:
    """' lang="nl"' for an element that holds a listing's own text (names, descriptions, addresses stay Dutch), so a
    screen reader pronounces it as Dutch on a page in another language. Nothing on a Dutch page."""
    return Markup("") if taal.huidige().code == taal.STANDAARD else Markup(' lang="nl"')


def nl(tekst) -> Markup:
    """A listing's own text inside a sentence: wrapped in <span lang="nl"> on a page in another language; on a Dutch
    page just the text, so Dutch pages stay as they were."""
    if not tekst or taal.huidige().code == taal.STANDAARD:
        return escape(tekst)
    return Markup('<span lang="nl">%s</span>') % tekst


def thema_label(code: str, labels: dict[str, str]) -> str:
    return vertaal(labels.get(code, code))


@lru_cache
def _woordenlijst() -> dict[str, str]:
    with open(ROOT / "app" / "rules" / "woordenlijst.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def moeilijke_woorden(*texts: str) -> list[tuple[str, str]]:
    """(word, plain explanation) for each hard word in the texts, so a page can explain what it shows."""
    joined = " ".join(t or "" for t in texts).lower()
    return [(w, uitleg) for w, uitleg in _woordenlijst().items() if re.search(rf"\b{re.escape(w.lower())}", joined)]


def taal_links(request, pad: str | None = None) -> list[dict]:
    """The language switch and the hreflang links: the same page with its query, in each language. `pad`: the
    page's own GET address where the request was a form that was sent (a vraagwijzer step with an error), so that
    switching keeps the answers so far instead of starting again."""
    base = get_settings().base_url.rstrip("/")
    url = urlsplit(pad) if pad else request.url
    rest = [(k, v) for k, v in parse_qsl(url.query, keep_blank_values=True) if k != "lang"]
    links = []
    for t in taal.TALEN.values():
        adres = f"{url.path}?{urlencode([*rest, ('lang', t.code)])}"
        links.append({"taal": t, "href": adres, "absoluut": base + adres, "huidig": t.code == taal.huidige().code})
    return links


templates = Jinja2Templates(directory=str(ROOT / "templates"))
# Checking every template file for changes on each render costs a stat() per template; only while developing.
templates.env.auto_reload = get_settings().environment == "development"
# The national emergency lines come from the rules file, never from the database: they show even when it is down.
templates.env.globals.update(static=static_url, settings=get_settings(), spoedlijnen=spoedlijnen, csrf_token=csrf_token)
templates.env.add_extension("jinja2.ext.i18n")
# newstyle: _("... %(naam)s", naam=x) escapes x and formats after translating, so a translation can move it.
templates.env.install_gettext_callables(taal.gettext, taal.ngettext, newstyle=True)
templates.env.globals.update(taal=taal.huidige, talen=taal_links, lang_nl=lang_nl, nl=nl)
templates.env.filters.update(afstand=afstand, nl_number=nl_number, eerste_zin=eerste_zin, datum=datum,
                           thema_label=thema_label, vertaal=vertaal)

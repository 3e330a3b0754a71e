"""The interface language of the resident pages: Dutch, and six more for residents who read Dutch with difficulty or
are new in the Netherlands (issue 14). gettext catalogues in app/locale/<code>/LC_MESSAGES/messages.po, made and
updated with Babel (`make vertalingen`); the msgids are the Dutch texts themselves, so Dutch needs no catalogue and
a text without a translation still shows in Dutch, never as a code.

The language of a request: `?lang=` (and it is remembered in the cookie `taal`), else that cookie, else the browser's
Accept-Language, else Dutch. It lives in a context variable for the request, so texts built in Python (opening
hours, error messages) follow it without being passed around. Staff pages, the API and the beheer stay Dutch: they
are for professionals and for software, and an API that changes language by cookie would be hard to use."""
import io
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl

from babel import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import ROOT

LOCALE_DIR = ROOT / "app" / "locale"
STANDAARD = "nl"
COOKIE = "taal"
COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Taal:
    code: str
    naam: str  # in the language itself, so a resident can find their own
    rtl: bool = False

    @property
    def richting(self) -> str:
        return "rtl" if self.rtl else "ltr"


TALEN: dict[str, Taal] = {t.code: t for t in (
    Taal("nl", "Nederlands"),
    Taal("en", "English"),
    Taal("ar", "العربية", rtl=True),
    Taal("tr", "Türkçe"),
    Taal("pl", "Polski"),
    Taal("uk", "Українська"),
    Taal("ti", "ትግርኛ"),
)}
VERTAALD = tuple(code for code in TALEN if code != STANDAARD)

# Paths whose pages stay Dutch whatever the resident chose (see the module docstring).
ALLEEN_NEDERLANDS = ("/api/", "/beheer", "/medewerkers", "/static/", "/metrics", "/healthz")

_huidig: ContextVar[str] = ContextVar("taal", default=STANDAARD)


def huidige() -> Taal:
    return TALEN[_huidig.get()]


@lru_cache(maxsize=len(TALEN))
def _catalogus(code: str) -> NullTranslations:
    """The catalogue compiled in memory from its .po file (no compiled .mo files in the repository to go stale).
    Fuzzy entries are left out: a guessed translation is worse than the Dutch text."""
    pad = LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"
    if code == STANDAARD or not pad.exists():
        return NullTranslations()
    with pad.open("rb") as f:
        catalog = read_po(f, locale=code)
    mo = io.BytesIO()
    write_mo(mo, catalog, use_fuzzy=False)
    mo.seek(0)
    return Translations(mo)


def gettext(message: str) -> str:
    return _catalogus(_huidig.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogus(_huidig.get()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Marks a text for the catalogue where it is defined (a module constant, made before any request has a
    language); it is translated where it is shown, with _()."""
    return message


def kies(lang: str | None, cookie: str | None, accept_language: str | None) -> str:
    for keuze in (lang, cookie):
        if keuze in TALEN:
            return keuze
    if accept_language:
        voorkeur = [deel.split(";")[0].strip().replace("-", "_") for deel in accept_language.split(",")]
        gevonden = negotiate_locale([v for v in voorkeur if v], list(TALEN), sep="_")
        if gevonden:
            return gevonden
        # negotiate_locale wants an exact match; "en_GB" or "uk-UA" should still find en or uk.
        for v in voorkeur:
            if (basis := v.split("_")[0].lower()) in TALEN:
                return basis
    return STANDAARD


def in_het_nederlands(pad: str) -> bool:
    return pad.startswith(ALLEEN_NEDERLANDS)


class TaalMiddleware:
    """Sets the language of each resident request, and remembers a language chosen with ?lang= in a cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or in_het_nederlands(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # a broken Cookie header is the browser's problem, not a reason to fail the page
            cookies = SimpleCookie()
        opgeslagen = cookies[COOKIE].value if COOKIE in cookies else None
        code = kies(query.get("lang"), opgeslagen, headers.get("accept-language"))
        onthouden = query.get("lang") in TALEN and query["lang"] != opgeslagen

        async def send_met_taal(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"content-language", code.encode()), (b"vary", b"Accept-Language, Cookie")]
                if onthouden:
                    extra.append((b"set-cookie", (f"{COOKIE}={code}; Max-Age={COOKIE_MAX_AGE}; Path=/; "
                                                  "SameSite=Lax").encode()))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        token = _huidig.set(code)
        try:
            await self.app(scope, receive, send_met_taal)
        finally:
            _huidig.reset(token)

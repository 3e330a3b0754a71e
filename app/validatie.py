"""Checks for what beheer types in, each with a Dutch message that says how to write it instead.

Every check takes the value as typed and returns it cleaned up (a postcode as "7551 AB"), or raises
ValueError with the message. app/schemas.py calls them per field; the data layer (app/data/aanbod.py) turns
the messages into a list per field.
"""
import re
from datetime import time
from functools import lru_cache

from pyproj import Transformer
from shapely.geometry import Point
from shapely.ops import transform, unary_union

from app import geo

# Letters that PostNL never gives out after the four digits (SA, SD and SS).
_POSTCODE_RE = re.compile(r"^([1-9][0-9]{3}) ?(?!SA|SD|SS)([A-Z]{2})$")
# Python's whitespace (str.strip, \s) spelled out: in an ECMA regex (the OpenAPI's) \s is another set.
SPATIES = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
SPATIE = f"[{SPATIES}]"
GEEN_SPATIE = f"[^{SPATIES}]"
_EMAIL = rf"[^@{SPATIES},;<>]+@[^@{SPATIES},;<>]+\.[A-Za-z]{{2,}}"
_EMAIL_RE = re.compile(f"^{_EMAIL}$")
_TIJD = r"([01]?[0-9]|2[0-3]):([0-5][0-9])"
_TIJD_RE = re.compile(f"^{_TIJD}$")
# http(s) in either case, a host with a dot, maybe a port, then anything without spaces.
_HOST = rf"[^{SPATIES}/?#@:\[\]]*"
_URL = rf"[Hh][Tt][Tt][Pp][Ss]?://{_HOST}\.{_HOST}(:[0-9]*)?([/?#][^{SPATIES}]*)?"
_URL_RE = re.compile(f"^{_URL}$")
DAGEN = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAG = "({})".format("|".join(f"[{d[0]}{d[0].lower()}][{d[1]}{d[1].lower()}]" for d in DAGEN))
_SCHEIDING = rf"[{SPATIES}\-.()/]*"  # what telefoon() takes out before it looks at the digits


def _cijfers(*delen: str) -> str:
    return _SCHEIDING.join(delen)


_TELEFOON = "|".join((  # telefoon()'s numbers, with its separators between any two digits; 00 stands for +
    _cijfers("0", "[1-9]", *["[0-9]"] * 8),
    _cijfers(f"(\\+|{_cijfers('0', '0')})", "3", "1", "[1-9]", *["[0-9]"] * 8),
    _cijfers("0", f"({_cijfers('8', '0', '0')}|{_cijfers('9', '0', '[069]')})", *["[0-9]"] * 4)
    + f"({_SCHEIDING}{_cijfers(*['[0-9]'] * 3)})?",
    _cijfers("1", "4", "0", "[0-9]", "[0-9]") + f"({_SCHEIDING}[0-9])?",
    _cijfers("1", "1", "[23]"),
    _cijfers("1", "1", "6", "[0-9]", "[0-9]", "[0-9]"),
))

# The same rules as OpenAPI patterns (app/schemas.py), so the API documents exactly what these checks accept:
# text as it is typed, with the spaces around it that the checks take off; "" where empty means not given.
PATRONEN = {
    "url": f"^({SPATIE}*{_URL}{SPATIE}*)?$",
    "email": f"^({SPATIE}*{_EMAIL}{SPATIE}*)?$",
    "tijd": f"^({SPATIE}*{_TIJD}{SPATIE}*)?$",
    "dagen": f"^$|^[{SPATIES},]*{_DAG}{SPATIE}*(,[{SPATIES},]*{_DAG}{SPATIE}*)*[{SPATIES},]*$",
    "postcode": f"^{SPATIE}*([1-9][0-9]{{3}}{SPATIE}*([A-RT-Za-rt-z][A-Za-z]|[Ss][B-CE-RT-Zb-ce-rt-z]){SPATIE}*)?$",
    "telefoon": f"^{_SCHEIDING}({_TELEFOON}){_SCHEIDING}$",
}
# How far outside the gemeente's border a location may be: a service just over the border in Borne or
# Enschede is still for Hengelo's residents; anything further is a typing error.
MAX_BUITEN_HENGELO_M = 5000


def postcode(waarde: str) -> str:
    """'7551ab' -> '7551 AB'. Four digits and two letters; a PC4 alone is not an address."""
    gevonden = _POSTCODE_RE.match(" ".join(waarde.upper().split()))
    if not gevonden:
        raise ValueError("Dit is geen postcode. Schrijf 4 cijfers en 2 letters, bijvoorbeeld 7551 AB.")
    return f"{gevonden.group(1)} {gevonden.group(2)}"


def postcode_in_hengelo(waarde: str) -> bool:
    """Whether the postcode's PC4 area is one of Hengelo's (the table app/geo places with)."""
    return waarde[:4] in geo.pc4_points()


def telefoon(waarde: str) -> str:
    """A Dutch number as people write it: 074 245 88 08, 14 074, 0800 1234, 0900-1234567, +31 74 2458808,
    or a short number of a national help line (112, 113, 116 111). Returned as typed, spaces tidied."""
    netjes = " ".join(waarde.split())
    cijfers = re.sub(r"[\s\-.()/]", "", netjes)
    if cijfers.startswith("00"):
        cijfers = "+" + cijfers[2:]
    goed = (
        re.fullmatch(r"0[1-9][0-9]{8}", cijfers)  # 10 digits: area code or mobile
        or re.fullmatch(r"\+31[1-9][0-9]{8}", cijfers)
        or re.fullmatch(r"0(800|90[069])[0-9]{4}([0-9]{3})?", cijfers)  # free and paid service numbers
        or re.fullmatch(r"140[0-9]{2,3}", cijfers)  # a gemeente: 14 074 is Hengelo
        or re.fullmatch(r"11[23]|116[0-9]{3}", cijfers)  # 112, 113, 116 111 (Kindertelefoon), ...
    )
    if not goed:
        raise ValueError("Dit telefoonnummer klopt niet. Schrijf 10 cijfers, zoals 074 245 88 08, of een nummer "
                         "als 14 074, 0800 1234 of +31 74 245 88 08.")
    return netjes


def email(waarde: str) -> str:
    waarde = waarde.strip()
    if len(waarde) > 255 or not _EMAIL_RE.match(waarde):
        raise ValueError("Dit e-mailadres klopt niet. Schrijf het zoals info@voorbeeld.nl.")
    return waarde


def url(waarde: str) -> str:
    """Only http and https: a javascript: or data: link would run in a resident's browser."""
    waarde = waarde.strip()
    if not _URL_RE.match(waarde) or len(waarde) > 500:
        raise ValueError("Vul een webadres in dat begint met https:// of http://, bijvoorbeeld "
                         "https://www.hengelo.nl.")
    return waarde


def tijd(waarde: str) -> time:
    """'9:00' or '09:00' (24 hours)."""
    gevonden = _TIJD_RE.match(waarde.strip())
    if not gevonden:
        raise ValueError("Schrijf een tijd als 09:00 of 17:30 (uren en minuten, 24 uur).")
    return time(int(gevonden.group(1)), int(gevonden.group(2)))


def dagen(waarde: str) -> str:
    """'mo, tu' -> 'MO,TU': HSDS byday, the days in English two-letter codes, each once."""
    codes = [d.strip().upper() for d in waarde.split(",") if d.strip()]
    if not codes or any(d not in DAGEN for d in codes):
        raise ValueError("Schrijf de dagen als MO, TU, WE, TH, FR, SA of SU, met komma's ertussen, bijvoorbeeld "
                         "MO,TU,WE.")
    if len(set(codes)) != len(codes):
        raise ValueError("Elke dag mag maar een keer in de lijst staan.")
    return ",".join(sorted(codes, key=DAGEN.index))


def openingstijd(opens: time | None, closes: time | None) -> None:
    if (opens is None) != (closes is None):
        raise ValueError("Vul bij openingstijden allebei in: hoe laat het opengaat en hoe laat het sluit.")
    if opens is not None and closes is not None and opens >= closes:
        raise ValueError("De sluitingstijd moet later zijn dan de openingstijd, bijvoorbeeld 09:00 tot 17:00.")


@lru_cache
def _hengelo_rd():
    """The gemeente's outline (all wijken together) in RD New, in metres."""
    naar_rd = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True).transform
    return transform(naar_rd, unary_union([w.geometry for w in geo.wijken()]))


def afstand_tot_hengelo_m(lat: float, lon: float) -> float:
    """0 inside the gemeente, otherwise metres to its border."""
    x, y = geo.to_rd(lat, lon)
    return _hengelo_rd().distance(Point(x, y))


def punt(lat: float, lon: float) -> None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or afstand_tot_hengelo_m(lat, lon) > MAX_BUITEN_HENGELO_M:
        raise ValueError("Dit punt ligt niet in of bij Hengelo. Kijk of latitude (ongeveer 52.26) en longitude "
                         "(ongeveer 6.79) goed zijn en niet verwisseld.")

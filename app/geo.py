"""Places on the map: postcode -> point -> wijk/buurt, and distances in metres.

Geometry comes from geo/*.geojson (made by geo/prepare.py). Distances are computed in RD New
(EPSG:28992), the Dutch grid in metres, so a plain Euclidean distance is accurate to the metre.
"""
import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyproj import Transformer
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from app.taal import _

GEO_DIR = Path(__file__).resolve().parent.parent / "geo"

_to_rd = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)

POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")


class PostcodeError(ValueError):
    """A postcode we cannot use; the message tells the resident what to do, in the request's language (Dutch in
    the API and on the command line)."""


@dataclass(frozen=True)
class Postcode:
    pc4: str
    letters: str | None = None

    def __str__(self) -> str:
        return f"{self.pc4} {self.letters}" if self.letters else self.pc4

    @property
    def compact(self) -> str:
        return self.pc4 + (self.letters or "")


@dataclass(frozen=True)
class Area:
    code: str
    naam: str
    geometry: BaseGeometry
    wijk_code: str  # for a wijk: its own code
    slug: str = ""


def parse_postcode(text: str) -> Postcode:
    """'7551 AB', '7551ab' and '7551' all work."""
    m = POSTCODE_RE.match(text or "")
    if not m:
        raise PostcodeError(
            _("Dit is geen postcode. Een postcode heeft 4 cijfers en soms 2 letters, bijvoorbeeld 7551 AB.")
        )
    letters = m.group(2).upper() if m.group(2) else None
    return Postcode(m.group(1), letters)


@lru_cache
def pc4_points() -> dict[str, tuple[float, float]]:
    with open(GEO_DIR / "bron" / "hengelo-postcodes-pc4.csv", encoding="utf-8") as f:
        return {row["pc4"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(f)}


def postcode_point(postcode: Postcode) -> tuple[float, float]:
    """The PC4 reference point (offline). Raises PostcodeError outside Hengelo."""
    point = pc4_points().get(postcode.pc4)
    if point is None:
        raise PostcodeError(
            _("Postcode %(postcode)s ligt niet in Hengelo. Deze website gaat alleen over Hengelo. Woont u ergens "
              "anders? Kijk dan op de website van uw eigen gemeente.") % {"postcode": postcode}
        )
    return point


def _load(name: str, wijk_key: str | None) -> list[Area]:
    with open(GEO_DIR / name, encoding="utf-8") as f:
        features = json.load(f)["features"]
    return [
        Area(
            code=p["code"],
            naam=p["naam"],
            geometry=shape(feat["geometry"]),
            wijk_code=p[wijk_key] if wijk_key else p["code"],
            slug=p.get("slug", ""),
        )
        for feat in features
        for p in [feat["properties"]]
    ]


@lru_cache
def wijken() -> list[Area]:
    return _load("wijken.geojson", None)


@lru_cache
def buurten() -> list[Area]:
    return _load("buurten.geojson", "wijkcode")


@lru_cache
def _buurt_index() -> STRtree:
    return STRtree([b.geometry for b in buurten()])


def area_by_code(code: str) -> Area | None:
    return next((a for a in [*wijken(), *buurten()] if a.code == code), None)


def locate(lat: float, lon: float) -> tuple[str | None, str | None]:
    """(wijk_code, buurt_code) of the buurt that contains the point, or (None, None) outside Hengelo."""
    point = Point(lon, lat)
    for i in _buurt_index().query(point, predicate="intersects"):
        buurt = buurten()[int(i)]
        return buurt.wijk_code, buurt.code
    return None, None


def area_point(code: str) -> tuple[float, float]:
    """A point guaranteed inside the wijk or buurt (not the centroid, which may fall outside)."""
    area = area_by_code(code)
    if area is None:
        raise KeyError(code)
    p = area.geometry.representative_point()
    return round(p.y, 6), round(p.x, 6)


def to_rd(lat: float, lon: float) -> tuple[float, float]:
    return _to_rd.transform(lon, lat)


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> int:
    """Distance in whole metres between two (lat, lon) points."""
    ax, ay = to_rd(*a)
    bx, by = to_rd(*b)
    return round(((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5)

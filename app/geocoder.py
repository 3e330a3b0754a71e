"""Optional refinement of a full postcode (7551 AB) through the PDOK Locatieserver.

Off by default (GEOCODER_URL empty): the offline PC4 table answers. When it is set and the
service does not answer in time, we fall back to the PC4 point: a slow geocoder never blocks a resident.
"""
import re

import httpx

from app.config import get_settings
from app.geo import Postcode, postcode_point

_POINT_RE = re.compile(r"POINT\(([-0-9.]+) ([-0-9.]+)\)")


_found: dict[tuple[str, str], tuple[float, float]] = {}


def _lookup(base_url: str, timeout: float, postcode: str) -> tuple[float, float] | None:
    """Ask the geocoder once per postcode; a failure is not remembered, so the next request tries again."""
    key = (base_url, postcode)
    if key in _found:
        return _found[key]
    try:
        response = httpx.get(
            base_url,
            params={"q": f"postcode:{postcode}", "fq": "type:postcode", "rows": 1, "fl": "centroide_ll"},
            timeout=timeout,
        )
        response.raise_for_status()
        docs = response.json()["response"]["docs"]
    except (httpx.HTTPError, KeyError, ValueError):
        return None
    if not docs:
        return None
    m = _POINT_RE.match(docs[0].get("centroide_ll", ""))
    if not m:
        return None
    point = (float(m.group(2)), float(m.group(1)))
    if len(_found) < 10000:  # bounded: Hengelo has about 3,000 full postcodes
        _found[key] = point
    return point


def locate_postcode(postcode: Postcode) -> tuple[tuple[float, float], bool]:
    """((lat, lon), precise): precise is True when the geocoder placed the full postcode."""
    fallback = postcode_point(postcode)  # raises for a postcode outside Hengelo
    settings = get_settings()
    if settings.geocoder_url and postcode.letters:
        point = _lookup(settings.geocoder_url, settings.geocoder_timeout, postcode.compact)
        if point is not None:
            return point, True
    return fallback, False

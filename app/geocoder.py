"""Optional refinement of a full postcode (7551 AB) through the PDOK Locatieserver.

Off by default (GEOCODER_URL empty): the offline PC4 table answers. When it is set and the
service does not answer in time, we fall back to the PC4 point: a slow geocoder never blocks a resident.
"""
import re
from functools import lru_cache

import httpx

from app.config import get_settings
from app.geo import Postcode, postcode_point

_POINT_RE = re.compile(r"POINT\(([-0-9.]+) ([-0-9.]+)\)")


@lru_cache(maxsize=4096)
def _lookup(base_url: str, timeout: float, postcode: str) -> tuple[float, float] | None:
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
    return (float(m.group(2)), float(m.group(1))) if m else None


def locate_postcode(postcode: Postcode) -> tuple[tuple[float, float], bool]:
    """((lat, lon), precise): precise is True when the geocoder placed the full postcode."""
    fallback = postcode_point(postcode)  # raises for a postcode outside Hengelo
    settings = get_settings()
    if settings.geocoder_url and postcode.letters:
        point = _lookup(settings.geocoder_url, settings.geocoder_timeout, postcode.compact)
        if point is not None:
            return point, True
    return fallback, False

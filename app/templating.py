"""Jinja2 templates with a `static()` helper that adds a content hash, so static files can be cached for a year."""
import hashlib
from functools import lru_cache

from fastapi.templating import Jinja2Templates

from app.config import ROOT, get_settings

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
    if metres is None:
        return ""
    if metres < 1000:
        return f"{round(metres / 10) * 10} meter"
    return f"{nl_number(round(metres / 1000, 1))} km"


templates = Jinja2Templates(directory=str(ROOT / "templates"))
templates.env.globals.update(static=static_url, settings=get_settings())
templates.env.filters.update(afstand=afstand, nl_number=nl_number)

"""Logging: one line per event, as JSON (LOG_FORMAT=json, for a log collector) or as text (tekst, for a terminal),
each with the id of the request it belongs to.

What is never logged: query strings, form fields, own words, postcodes, tokens, passwords, cookies. The request
line (app/metrics.py) names the route template (/locaties/{slug}), not the URL, for that reason.
"""
import logging
import re
import sys
import uuid
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

verzoek_id: ContextVar[str] = ContextVar("verzoek_id", default="-")
_GELDIG_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_MARKER = "wijkentree"  # our handler's name, so configuring twice does not log every line twice


def nieuw_verzoek_id(gegeven: str | None) -> str:
    """The X-Request-ID of a proxy or client when it looks like an id, else a new one: anything else in the
    header (long text, control characters) never reaches the logs."""
    if gegeven and _GELDIG_ID.fullmatch(gegeven):
        return gegeven
    return uuid.uuid4().hex


class _VerzoekFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = verzoek_id.get()
        return True


def formatter(formaat: str) -> logging.Formatter:
    if formaat == "json":
        return JsonFormatter("{asctime}{levelname}{name}{message}{request_id}", style="{",
                             rename_fields={"asctime": "tijd", "levelname": "niveau", "name": "logger"})
    return logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")


def configureer(formaat: str, niveau: str = "INFO") -> None:
    """Our handler on the root logger, and on uvicorn's own loggers too, so that with json every line is JSON."""
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_MARKER)
    handler.setFormatter(formatter(formaat))
    handler.addFilter(_VerzoekFilter())
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if h.get_name() != _MARKER] + [handler]
    root.setLevel(niveau)
    # httpx logs every URL it asks at INFO, and the geocoder asks with the resident's postcode in it.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if formaat == "json":  # uvicorn's own lines ("uvicorn.error" goes through "uvicorn"); text ones are fine as is
        logging.getLogger("uvicorn").handlers = [handler]

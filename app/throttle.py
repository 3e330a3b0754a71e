"""Rate limits and login throttles, shared by every worker and replica through the database (table drempel).

Fixed windows: a key (the kind of request and who sent it, hashed: never an address or e-mail in clear) counts
its hits per window of `venster` seconds. Past the limit the caller answers 429 with Retry-After until the window
ends: a wait, never a permanent lock-out that an attacker could use against someone else's account.

The counting runs on the count writer's own engine (short lock timeout, autocommit): when the database is busy
or gone, a hit is not counted rather than kept waiting (fail open), so a throttle never stands between a
resident and an answer. With REDIS_URL the same windows are counted in Redis instead (INCR + EXPIRE, the key
expires with its window), failing open the same way when Redis does not answer.
"""
import hashlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import redis
from fastapi import Depends, HTTPException, Request
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.config import get_settings
from app.db import DATABASE_WEG, get_writer_engine
from app.models import Drempel
from app.taal import N_, _, ngettext

log = logging.getLogger("wijkentree.throttle")

_INSERT = {"sqlite": sqlite_insert, "postgresql": pg_insert}
BEWAREN_S = 86400  # windows older than a day are removed now and then


@dataclass(frozen=True)
class Limiet:
    soort: str  # "inloggen-account", "meldingen", ...
    aantal: int  # hits allowed per window
    venster: int  # window length in seconds


def _sleutel(soort: str, wie: str) -> str:
    return hashlib.sha256(f"{get_settings().secret_key}:{soort}:{wie}".encode()).hexdigest()


def _venster(limiet: Limiet, nu: float) -> int:
    return int(nu // limiet.venster * limiet.venster)


@lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    # Short timeouts: a slow Redis must cost a resident a fraction of a second at most, then we fail open.
    return redis.Redis.from_url(url, socket_timeout=0.25, socket_connect_timeout=0.25)


def _redis_sleutel(limiet: Limiet, wie: str, venster: int) -> str:
    return f"drempel:{_sleutel(limiet.soort, wie)}:{venster}"


def tel(limiet: Limiet, wie: str, nu: float | None = None) -> int | None:
    """Count one hit. Returns the seconds to wait when this hit is over the limit, else None."""
    settings = get_settings()
    if not settings.rate_limits:
        return None
    nu = time.time() if nu is None else nu
    venster = _venster(limiet, nu)
    if settings.redis_url:
        sleutel = _redis_sleutel(limiet, wie, venster)
        try:
            pipe = _redis(settings.redis_url).pipeline()
            pipe.incr(sleutel)
            pipe.expireat(sleutel, venster + limiet.venster + 1)
            aantal = pipe.execute()[0]
        except redis.RedisError as e:
            log.warning("Drempel %s niet geteld: Redis niet beschikbaar (%s).", limiet.soort, type(e).__name__)
            return None
        return _wacht(limiet, nu, venster) if aantal > limiet.aantal else None
    engine = get_writer_engine()
    table = Drempel.__table__
    stmt = _INSERT[engine.dialect.name](table).values(sleutel=_sleutel(limiet.soort, wie), venster=venster, aantal=1)
    stmt = stmt.on_conflict_do_update(index_elements=["sleutel", "venster"],
                                      set_={"aantal": table.c.aantal + 1}).returning(table.c.aantal)
    try:
        with engine.connect() as conn:
            aantal = conn.execute(stmt).scalar_one()
            if random.random() < 0.01:
                conn.execute(delete(table).where(table.c.venster < nu - BEWAREN_S))
    except DATABASE_WEG as e:
        log.warning("Drempel %s niet geteld: database niet beschikbaar (%s).", limiet.soort, type(e).__name__)
        return None
    return _wacht(limiet, nu, venster) if aantal > limiet.aantal else None


def stand(limiet: Limiet, wie: str, nu: float | None = None) -> int | None:
    """Like tel, without counting: the seconds to wait when the limit is already reached, else None.

    For login: only failures count (tel), but every attempt is checked first (stand).
    """
    settings = get_settings()
    if not settings.rate_limits:
        return None
    nu = time.time() if nu is None else nu
    venster = _venster(limiet, nu)
    if settings.redis_url:
        try:
            aantal = int(_redis(settings.redis_url).get(_redis_sleutel(limiet, wie, venster)) or 0)
        except redis.RedisError:
            return None
        return _wacht(limiet, nu, venster) if aantal >= limiet.aantal else None
    table = Drempel.__table__
    try:
        with get_writer_engine().connect() as conn:
            aantal = conn.execute(select(table.c.aantal).where(
                table.c.sleutel == _sleutel(limiet.soort, wie), table.c.venster == venster)).scalar()
    except DATABASE_WEG:
        return None
    return _wacht(limiet, nu, venster) if (aantal or 0) >= limiet.aantal else None


def _wacht(limiet: Limiet, nu: float, venster: int) -> int:
    return max(1, int(venster + limiet.venster - nu + 0.999))


def te_vaak(wacht: int, wat: str = N_("Dit")) -> HTTPException:
    """The 429 for the API and the pages (app/main.py renders it as JSON or as a page). In the resident's language on
    the pages (app/taal.py; `wat` is marked with N_ where it is given), always Dutch in the API."""
    minuten = max(1, round(wacht / 60))
    tijd = ngettext("%(num)d minuut", "%(num)d minuten", minuten) % {"num": minuten}
    return HTTPException(
        429, _("%(wat)s is te vaak geprobeerd. Wacht %(tijd)s en probeer het dan opnieuw. Hebt u nu hulp nodig? "
               "Bel de gemeente: %(telefoon)s. In nood: bel 112.")
        % {"wat": _(wat), "tijd": tijd, "telefoon": get_settings().gemeente_telefoon},
        headers={"retry-after": str(wacht)},
    )


def client_adres(request: Request) -> str:
    """The sender's address (uvicorn's proxy_headers puts the client's own address here behind a proxy)."""
    return request.client.host if request.client else "onbekend"


def per_adres(limiet: Limiet | Callable[[], Limiet], wat: str = N_("Dit")):
    """A dependency that counts every request of one address and answers 429 past the limit.
    `limiet` may be a function, so that the number is read from the settings at each request."""
    def check(request: Request) -> None:
        wacht = tel(limiet() if callable(limiet) else limiet, client_adres(request))
        if wacht is not None:
            raise te_vaak(wacht, wat)
    return Depends(check)

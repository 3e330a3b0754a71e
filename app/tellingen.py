"""The anonymous weekly counts of the vraagwijzer: week x thema x wijk x route, never free text or a postcode.

A count never blocks help. `tel` hands the increments to one background writer per process and waits at most
WACHT_S for their batch to be committed; danger does not wait at all. The writer commits everything that came in
while it was busy as one batch, in one UPSERT (group commit), on its own connection with a short lock timeout
(app/db.py). When the database is locked, read-only or down, the batch is dropped with a warning and the
resident's answer goes on as if nothing happened.
"""
import logging
import os
import threading
from collections import Counter
from datetime import date, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from app import text
from app.db import get_writer_engine
from app.metrics import TELLINGEN_OVERGESLAGEN
from app.models import VraagwijzerTelling, ZoekTelling
from app.triage import Antwoorden

log = logging.getLogger(__name__)

MIN_CEL = 5  # counts under 5 are not shown, so no single resident can be recognised
WACHT_S = 0.2  # longest a request waits for its count to be committed
SLEUTEL = ("week", "thema", "wijk_code", "route")  # the unique constraint of VraagwijzerTelling

_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def iso_week(day: date) -> str:
    """'2026-W48': the unit of the counts."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def upsert(engine: Engine, batch: Counter, model: type[SQLModel] = VraagwijzerTelling,
           sleutel: tuple[str, ...] = SLEUTEL) -> None:
    """Add a batch of {key: n} to the counts in one statement and one commit; `sleutel` names the columns of
    the key, the unique constraint of `model` (VraagwijzerTelling; ZoekTelling: week, vraag)."""
    table = model.__table__
    # Sorted, so that writers of several processes take the row locks in the same order (no deadlock).
    rows = [dict(zip(sleutel, key, strict=True), aantal=n) for key, n in sorted(batch.items())]
    stmt = _INSERT[engine.dialect.name](table).values(rows)
    stmt = stmt.on_conflict_do_update(index_elements=list(sleutel),
                                      set_={"aantal": table.c.aantal + stmt.excluded.aantal})
    with engine.begin() as conn:
        conn.execute(stmt)


class _Batch:
    """The counts that are committed together; their requests wait on `klaar`."""

    def __init__(self) -> None:
        self.aantallen: Counter = Counter()
        self.klaar = threading.Event()
        self.gelukt = False


class Teller:
    """One background writer for one database. Its thread starts on the first count, and again in a forked
    worker (uvicorn --workers, gunicorn), where the parent's thread does not exist.

    In memory there is at most the batch in flight (being written) and the one filling up behind it, each merged
    per cell; everything before them is committed. So a crash loses at most those two batches, never a committed
    count, and memory stays small even when the database is away (a failed batch is dropped, not kept).
    """

    def __init__(self, engine: Engine, model: type[SQLModel] = VraagwijzerTelling,
                 sleutel: tuple[str, ...] = SLEUTEL) -> None:
        self.engine, self.model, self.sleutel = engine, model, sleutel
        self._start()
        os.register_at_fork(after_in_child=self._na_fork)

    def _start(self) -> None:
        self._lock = threading.Lock()
        self._werk = threading.Condition(self._lock)
        self._wachtend = _Batch()
        self._thread: threading.Thread | None = None

    def _na_fork(self) -> None:
        # The parent's lock may have been held at the fork and its thread is gone; its pooled connection
        # belongs to the parent and must not be closed or used here.
        self._start()
        self.engine.dispose(close=False)

    def tel(self, sleutels: list[tuple[str, ...]], wachten: bool = True) -> None:
        """Queue one count per key; with `wachten`, return when committed or dropped, or after WACHT_S."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._schrijf, name=self.model.__tablename__, daemon=True)
                self._thread.start()
            batch = self._wachtend
            batch.aantallen.update(sleutels)
            self._werk.notify()
        if wachten and not batch.klaar.wait(WACHT_S):
            log.warning("Telling %s niet binnen %d ms opgeslagen; het antwoord gaat voor.", self.model.__tablename__,
                        WACHT_S * 1000)

    def _schrijf(self) -> None:
        while True:
            with self._lock:
                while not self._wachtend.aantallen:
                    self._werk.wait()
                batch, self._wachtend = self._wachtend, _Batch()
            try:
                upsert(self.engine, batch.aantallen, self.model, self.sleutel)
                batch.gelukt = True
            except Exception as e:  # locked, read-only, down: the count is dropped, the writer goes on
                # Only the number and the kind of fault: no themes, wijken or anything else from the answers.
                log.warning("Telling %s overgeslagen (%d tellingen): database niet beschikbaar (%s).",
                            self.model.__tablename__, batch.aantallen.total(), type(e).__name__)
                TELLINGEN_OVERGESLAGEN.labels("database").inc(batch.aantallen.total())
            finally:
                batch.klaar.set()


_tellers: dict[str, Teller] = {}
_teller_lock = threading.Lock()


def teller(model: type[SQLModel] = VraagwijzerTelling, sleutel: tuple[str, ...] = SLEUTEL) -> Teller:
    """This process's writer of `model` for the app's database, made on first use (each its own connection)."""
    with _teller_lock:
        if model.__tablename__ not in _tellers:
            _tellers[model.__tablename__] = Teller(get_writer_engine(), model, sleutel)
        return _tellers[model.__tablename__]


def sleutels(antwoorden: Antwoorden, wijk_code: str | None, route: str, today: date) -> list[tuple]:
    """The cells one completed questionnaire adds to: one per theme."""
    week = iso_week(today)
    return [(week, thema, wijk_code or "onbekend", route) for thema in antwoorden.themas or ("geen",)]


def tel(antwoorden: Antwoorden, wijk_code: str | None, route: str, today: date) -> None:
    """Add one completed questionnaire to the anonymous weekly counts. Never raises, never waits long;
    in danger it does not wait at all: the spoed answer must not depend on the database."""
    try:
        teller().tel(sleutels(antwoorden, wijk_code, route, today), wachten=not antwoorden.gevaar)
    except Exception:  # e.g. no thread can be started: still the answer comes first
        log.warning("Vraagwijzer-telling overgeslagen: de teller werkt niet.", exc_info=True)
        TELLINGEN_OVERGESLAGEN.labels("teller").inc()


def statistiek(session: Session, van: date, tot: date) -> list[dict]:
    """Counts per week x thema x wijk x route in [van, tot]; cells under MIN_CEL are suppressed."""
    # Every 7th day lands in each week once; the last day closes a partial week.
    weeks = {iso_week(van + timedelta(days=d)) for d in range(0, (tot - van).days + 1, 7)} | {iso_week(tot)}
    rows = session.exec(select(VraagwijzerTelling).where(VraagwijzerTelling.week.in_(weeks))
                        .order_by(VraagwijzerTelling.week, VraagwijzerTelling.thema, VraagwijzerTelling.wijk_code))
    return [
        {"week": r.week, "thema": r.thema, "wijk": r.wijk_code, "route": r.route,
         "aantal": r.aantal if r.aantal >= MIN_CEL else None, "onderdrukt": r.aantal < MIN_CEL}
        for r in rows
    ]


def zoekvraag(q: str) -> str:
    """The words of a search as they are counted: folded, without filler words, and without any word with a digit
    in it, so a postcode, house number or phone number is never kept."""
    return " ".join(w for w in text.words(q) if not any(c.isdigit() for c in w))[:100].strip()


def tel_niets_gevonden(q: str, result, today: date) -> None:
    """Count a search whose words found nothing (a search.Result without hits; not one that only its filters
    emptied, nor one with alarming words) in ZoekTelling, per week. Never raises and never waits long, like `tel`."""
    vraag = zoekvraag(q)
    if result.hits or result.zonder or result.alarmen or not vraag:
        return
    try:
        teller(ZoekTelling, ("week", "vraag")).tel([(iso_week(today), vraag)])
    except Exception:
        log.warning("Zoektelling overgeslagen: de teller werkt niet.", exc_info=True)
        TELLINGEN_OVERGESLAGEN.labels("teller").inc()

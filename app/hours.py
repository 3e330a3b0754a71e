"""Opening hours: HSDS schedule rows turned into open intervals, a "nu open" status and a week overview.

Input is any object with the attributes of app.models.Schedule (freq, byday, opens_at, closes_at,
valid_from, valid_to, gesloten, feestdagen_gesloten, description); nothing here touches the database.

How rows are read:
- A weekly rule is a row with gesloten False, freq "WEEKLY", at least one known byday code and both
  opens_at and closes_at. Other rows cannot be turned into times; only their description is kept.
- No weekly rules at all means the hours are unknown, never "closed".
- closes_at <= opens_at means the opening runs into the next day; 00:00-00:00 is a whole day.
- An opening belongs to the day it starts on. valid_from/valid_to, closed periods and
  feestdagen_gesloten are checked against that day, so a 20:00-02:00 evening before a closed day
  still runs until 02:00.
- A closed period (gesloten True) closes whole days from valid_from to valid_to, both inclusive.
  A missing date means no limit on that side.

All arithmetic is done in UTC: Python ignores the UTC offset when it compares or subtracts two
datetimes that share a tzinfo, which gives wrong answers around the DST changes.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from babel.dates import format_date

from app import taal
from app.taal import N_, _

TZ = ZoneInfo("Europe/Amsterdam")

# The staff's forms (app/formulieren.py) name the days in Dutch; residents read day and month names in their own
# language, from Babel (dag_naam, _datum).
DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
BYDAY = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}

# How far ahead status() looks for the next opening.
VOORUIT = timedelta(days=60)
# Open without a break for at least this long counts as "dag en nacht".
DAG_EN_NACHT = timedelta(days=7)

TEKST_ONBEKEND = N_("Openingstijden onbekend")


@dataclass(frozen=True)
class Interval:
    """One continuous open period. Aware datetimes in Europe/Amsterdam; end is exclusive."""
    start: datetime
    end: datetime


@dataclass(frozen=True)
class DayHours:
    day: date
    naam: str  # "maandag", in the request's language
    # Openings that start on this day, as wall-clock times; (20:00, 2:00) runs into the next day,
    # (0:00, 0:00) is the whole day.
    intervals: list[tuple[time, time]]
    is_today: bool
    feestdag: str | None  # name of the public holiday, if any (in Dutch unless the holidays package has the language)
    gesloten: bool  # closed this day by a closed period or a public holiday
    tekst: str  # "9.00 - 17.00 uur", "Gesloten", "Hele dag open", "Gesloten (Tweede kerstdag)", "Onbekend"


@dataclass(frozen=True)
class Status:
    bekend: bool  # False: no usable weekly rules, the hours are unknown
    open_nu: bool
    sluit_om: datetime | None  # end of the current opening; None when closed or open past the horizon
    volgende_opening: datetime | None  # next opening that starts after now, within 60 days
    tekst: str
    # The sources' own words (non-empty descriptions, in order, without duplicates).
    beschrijvingen: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Regel:
    dagen: frozenset[int]
    opens: time
    closes: time
    van: date | None
    tot: date | None
    feestdagen_gesloten: bool


# --- public API -------------------------------------------------------------------------------


def format_time(t: time | datetime) -> str:
    """"9.00 uur". An aware datetime is shown in Amsterdam time."""
    return _uur(_klok(_lokale_tijd(t)))


def dag_naam(dag: date) -> str:
    """"maandag": the day's name in the request's language (app/taal.py), lower case where the language writes it so."""
    return format_date(dag, "EEEE", locale=taal.huidige().code)


def intervals_between(schedules: Iterable[Any], start: datetime, end: datetime) -> list[Interval]:
    """Open periods within [start, end), merged and sorted, cut off at start and end.

    Naive start/end are read as Amsterdam time.
    """
    schedules = list(schedules)
    return [
        Interval(s.astimezone(TZ), e.astimezone(TZ))
        for s, e in _open_utc(_regels(schedules), _sluitingen(schedules), _utc(start), _utc(end))
    ]


def status(schedules: Iterable[Any], now: datetime) -> Status:
    """Open or closed at `now` (naive: Amsterdam time; aware: converted), with a B1 text."""
    schedules = list(schedules)
    beschrijvingen = _beschrijvingen(schedules)
    regels = _regels(schedules)
    if not regels:
        return Status(False, False, None, None, _(TEKST_ONBEKEND), beschrijvingen)

    nu = _utc(now)
    horizon = nu + VOORUIT
    vandaag = nu.astimezone(TZ).date()
    open_periodes = _open_utc(regels, _sluitingen(schedules), nu, horizon)

    if open_periodes and open_periodes[0][0] == nu:
        einde = open_periodes[0][1]
        volgende = open_periodes[1][0] if len(open_periodes) > 1 else None
        # The window cuts the period off at the horizon; its real end is later and unknown here.
        sluit_om = None if einde >= horizon else einde.astimezone(TZ)
        if einde - nu >= DAG_EN_NACHT:
            tekst = _("Nu open, dag en nacht")
        else:
            tekst = _("Nu open, tot %(wanneer)s") % {"wanneer": _tot(einde, vandaag)}
        return Status(True, True, sluit_om, _lokaal_of_none(volgende), tekst, beschrijvingen)

    if not open_periodes:
        tekst = _("Nu gesloten. Wanneer het weer open is, weten we niet.")
        return Status(True, False, None, None, tekst, beschrijvingen)

    volgende = open_periodes[0][0].astimezone(TZ)
    klok = format_time(volgende)
    if volgende.date() == vandaag:
        tekst = _("Nu gesloten. Vandaag open vanaf %(tijd)s") % {"tijd": klok}
    elif volgende.date() == vandaag + timedelta(days=1):
        tekst = _("Nu gesloten. Weer open morgen om %(tijd)s") % {"tijd": klok}
    else:
        tekst = _("Nu gesloten. Weer open op %(dag)s om %(tijd)s") % {"dag": _datum(volgende.date()), "tijd": klok}
    return Status(True, False, None, volgende, tekst, beschrijvingen)


def week(schedules: Iterable[Any], today: date) -> list[DayHours]:
    """The 7 days, Monday to Sunday, of the week that holds `today`."""
    schedules = list(schedules)
    if isinstance(today, datetime):
        today = _utc(today).astimezone(TZ).date()
    regels = _regels(schedules)
    sluitingen = _sluitingen(schedules)
    feestdagen = _feestdagen(taal.huidige().code)
    maandag = today - timedelta(days=today.weekday())

    dagen = []
    for i in range(7):
        dag = maandag + timedelta(days=i)
        feestdag = feestdagen.get(dag)
        periode_dicht = _in_sluiting(dag, sluitingen)
        volgens_rooster = [] if periode_dicht else _regels_op(dag, regels)
        open_regels = [r for r in volgens_rooster if not (feestdag and r.feestdagen_gesloten)]
        gesloten = periode_dicht or (bool(volgens_rooster) and not open_regels)
        tijden = _samenvoegen_op_dag(open_regels)

        if tijden:
            tekst = _tijden_tekst(tijden)
        elif not regels and not periode_dicht:
            tekst = _("Onbekend")
        elif feestdag:
            tekst = _("Gesloten (%(feestdag)s)") % {"feestdag": feestdag}
        else:
            tekst = _("Gesloten")
        dagen.append(DayHours(dag, dag_naam(dag), tijden, dag == today, feestdag, gesloten, tekst))
    return dagen


# --- reading rows -----------------------------------------------------------------------------


def _regels(schedules: list[Any]) -> list[_Regel]:
    regels = []
    for s in schedules:
        if s.gesloten or (s.freq or "").strip().upper() != "WEEKLY":
            continue
        if s.opens_at is None or s.closes_at is None:
            continue
        codes = (c.strip().upper() for c in (s.byday or "").split(","))
        dagen = frozenset(BYDAY[c] for c in codes if c in BYDAY)
        if not dagen:
            continue
        regels.append(_Regel(dagen, s.opens_at, s.closes_at, s.valid_from, s.valid_to, bool(s.feestdagen_gesloten)))
    return regels


def _sluitingen(schedules: list[Any]) -> list[tuple[date | None, date | None]]:
    return [(s.valid_from, s.valid_to) for s in schedules if s.gesloten]


def _beschrijvingen(schedules: list[Any]) -> list[str]:
    gezien: list[str] = []
    for s in schedules:
        tekst = (s.description or "").strip()
        if tekst and tekst not in gezien:
            gezien.append(tekst)
    return gezien


# The languages the holidays package names Dutch public holidays in; the others read the Dutch name.
_FEESTDAG_TALEN = {"en": "en_US", "uk": "uk"}


@lru_cache(maxsize=len(_FEESTDAG_TALEN) + 1)
def _feestdagen(code: str = taal.STANDAARD) -> holidays.HolidayBase:
    # Expands year by year on lookup, so any date works; made once per language, because building it is slow.
    return holidays.NL(language=_FEESTDAG_TALEN.get(code, "nl"))


# --- computing --------------------------------------------------------------------------------


def _in_periode(dag: date, van: date | None, tot: date | None) -> bool:
    return (van is None or van <= dag) and (tot is None or dag <= tot)


def _in_sluiting(dag: date, sluitingen: list[tuple[date | None, date | None]]) -> bool:
    return any(_in_periode(dag, van, tot) for van, tot in sluitingen)


def _regels_op(dag: date, regels: list[_Regel]) -> list[_Regel]:
    """Rules the weekly schedule gives for this day, before closures and holidays."""
    return [r for r in regels if dag.weekday() in r.dagen and _in_periode(dag, r.van, r.tot)]


def _open_utc(
    regels: list[_Regel], sluitingen: list[tuple[date | None, date | None]], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Merged open periods in UTC, cut to [start, end)."""
    if not regels or end <= start:
        return []
    feestdagen = _feestdagen()
    # An opening lasts at most about a day, so one started the day before can still reach `start`.
    dag = start.astimezone(TZ).date() - timedelta(days=1)
    laatste = end.astimezone(TZ).date()
    stukken = []
    while dag <= laatste:
        if not _in_sluiting(dag, sluitingen):
            feestdag = dag in feestdagen
            for r in _regels_op(dag, regels):
                if feestdag and r.feestdagen_gesloten:
                    continue
                s, e = _opening_utc(dag, r)
                s, e = max(s, start), min(e, end)
                if s < e:
                    stukken.append((s, e))
        dag += timedelta(days=1)

    stukken.sort()
    samen: list[tuple[datetime, datetime]] = []
    for s, e in stukken:
        if samen and s <= samen[-1][1]:
            samen[-1] = (samen[-1][0], max(samen[-1][1], e))
        else:
            samen.append((s, e))
    return samen


def _opening_utc(dag: date, r: _Regel) -> tuple[datetime, datetime]:
    # Wall-clock times in Amsterdam. A time that does not exist (02:30 on the spring change)
    # moves forward an hour; a time that exists twice (autumn) takes the first, summer-time one.
    einddag = dag if r.closes > r.opens else dag + timedelta(days=1)
    start = datetime.combine(dag, r.opens, TZ).astimezone(UTC)
    end = datetime.combine(einddag, r.closes, TZ).astimezone(UTC)
    return start, end


def _samenvoegen_op_dag(regels: list[_Regel]) -> list[tuple[time, time]]:
    """The day's openings as wall-clock pairs, overlapping or touching ones joined."""
    minuten = []
    for r in regels:
        van = r.opens.hour * 60 + r.opens.minute
        tot = r.closes.hour * 60 + r.closes.minute
        if tot <= van:
            tot += 24 * 60
        minuten.append((van, tot))
    minuten.sort()
    samen: list[list[int]] = []
    for van, tot in minuten:
        if samen and van <= samen[-1][1]:
            samen[-1][1] = max(samen[-1][1], tot)
        else:
            samen.append([van, tot])
    if any(van == 0 and tot >= 24 * 60 for van, tot in samen):
        return [(time(0), time(0))]
    return [(_minuut(van), _minuut(tot)) for van, tot in samen]


# --- words ------------------------------------------------------------------------------------


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=TZ)
    return dt.astimezone(UTC)


def _lokaal_of_none(dt: datetime | None) -> datetime | None:
    return None if dt is None else dt.astimezone(TZ)


def _lokale_tijd(t: time | datetime) -> time:
    if isinstance(t, datetime):
        return (t.astimezone(TZ) if t.tzinfo else t).time()
    return t


def _minuut(m: int) -> time:
    m %= 24 * 60
    return time(m // 60, m % 60)


def _klok(t: time, einde: bool = False) -> str:
    # A closing time of midnight reads as 24.00, the way Dutch opening hours are written.
    if einde and t.hour == 0 and t.minute == 0:
        return "24.00"
    return f"{t.hour}.{t.minute:02d}"


def _datum(dag: date) -> str:
    """"vrijdag 4 december", in the request's language."""
    return format_date(dag, "EEEE d MMMM", locale=taal.huidige().code)


def _uur(klok: str) -> str:
    # Vertalers: a clock time, "9.00 uur"; the time is written the Dutch way (9.00, 17.30, 24.00).
    return _("%(tijd)s uur") % {"tijd": klok}


def _tot(einde: datetime, vandaag: date) -> str:
    """When an opening ends, relative to today: "17.00 uur", "morgen 2.00 uur", "vrijdag 4 december 24.00 uur"."""
    lokaal = einde.astimezone(TZ)
    dag = lokaal.date()
    if lokaal.time() == time(0):
        dag -= timedelta(days=1)  # midnight closes the day before: "24.00 uur"
    klok = _uur(_klok(lokaal.time(), einde=True))
    if dag == vandaag:
        return klok
    if dag == vandaag + timedelta(days=1):
        return _("morgen %(tijd)s") % {"tijd": klok}
    # Vertalers: a day and a closing time, "vrijdag 4 december 24.00 uur".
    return _("%(dag)s %(tijd)s") % {"dag": _datum(dag), "tijd": klok}


def _tijden_tekst(tijden: list[tuple[time, time]]) -> str:
    if tijden == [(time(0), time(0))]:
        return _("Hele dag open")
    delen = [f"{_klok(van)} - {_klok(tot, einde=True)}" for van, tot in tijden]
    # Pair by pair, so a translation sees whole phrases: "9.00 - 12.00 en 13.00 - 17.00".
    samen = delen[0]
    for deel in delen[1:]:
        samen = _("%(eerste)s en %(volgende)s") % {"eerste": samen, "volgende": deel}
    return _uur(samen)

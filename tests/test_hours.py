from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.hours import TZ, DayHours, Interval, Status, format_time, intervals_between, status, week

UTC = UTC


@dataclass
class S:
    freq: str | None = "WEEKLY"
    byday: str | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    gesloten: bool = False
    feestdagen_gesloten: bool = False
    description: str = ""


def rule(byday, opens, closes, **kw):
    return S(byday=byday, opens_at=time(*opens), closes_at=time(*closes), **kw)


def closed(van, tot, **kw):
    return S(freq=None, gesloten=True, valid_from=van, valid_to=tot, **kw)


def local(*args):
    return datetime(*args, tzinfo=TZ)


WERKDAGEN = "MO,TU,WE,TH,FR"
ALLE_DAGEN = "MO,TU,WE,TH,FR,SA,SU"
KANTOOR = [rule(WERKDAGEN, (9, 0), (17, 0))]


def duration(iv: Interval) -> timedelta:
    # Subtract in UTC: same-tzinfo subtraction ignores the DST offset.
    return iv.end.astimezone(UTC) - iv.start.astimezone(UTC)


# --- format_time -------------------------------------------------------------------------------


def test_format_time():
    assert format_time(time(9, 0)) == "9.00 uur"
    assert format_time(time(17, 30)) == "17.30 uur"
    assert format_time(time(0, 5)) == "0.05 uur"
    # Aware datetimes are shown in Amsterdam time (summer: UTC+2).
    assert format_time(datetime(2026, 7, 1, 7, 0, tzinfo=UTC)) == "9.00 uur"


# --- intervals_between -------------------------------------------------------------------------


def test_intervals_in_a_normal_week():
    ivs = intervals_between(KANTOOR, local(2026, 7, 6, 0, 0), local(2026, 7, 13, 0, 0))
    assert [iv.start for iv in ivs] == [local(2026, 7, d, 9, 0) for d in range(6, 11)]
    assert all(iv.end.hour == 17 and duration(iv) == timedelta(hours=8) for iv in ivs)
    assert all(iv.start.tzinfo is TZ for iv in ivs)


def test_intervals_merge_overlapping_and_touching_rules():
    rows = [
        rule("MO", (9, 0), (12, 0)),
        rule("MO", (12, 0), (14, 0)),
        rule("MO", (13, 0), (17, 0)),
        rule("MO", (19, 0), (21, 0)),
    ]
    ivs = intervals_between(rows, local(2026, 7, 6, 0, 0), local(2026, 7, 7, 0, 0))
    assert [(iv.start.time(), iv.end.time()) for iv in ivs] == [(time(9), time(17)), (time(19), time(21))]


def test_intervals_are_cut_to_the_window():
    ivs = intervals_between(KANTOOR, local(2026, 7, 6, 10, 0), local(2026, 7, 6, 12, 0))
    assert ivs == [Interval(local(2026, 7, 6, 10, 0), local(2026, 7, 6, 12, 0))]
    assert intervals_between(KANTOOR, local(2026, 7, 6, 12, 0), local(2026, 7, 6, 10, 0)) == []


def test_intervals_accept_utc_window():
    ivs = intervals_between(KANTOOR, datetime(2026, 7, 6, 0, 0, tzinfo=UTC), datetime(2026, 7, 7, 0, 0, tzinfo=UTC))
    assert len(ivs) == 1
    assert ivs[0].start.astimezone(UTC) == datetime(2026, 7, 6, 7, 0, tzinfo=UTC)


# --- DST ---------------------------------------------------------------------------------------


def test_dst_spring_forward_rule_on_the_changeover_night():
    # 2026-03-29: 02:00 CET jumps to 03:00 CEST, so 01:00-04:00 lasts only two hours.
    rows = [rule("SU", (1, 0), (4, 0))]
    ivs = intervals_between(rows, local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0))
    assert len(ivs) == 1
    assert ivs[0].start.astimezone(UTC) == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    assert ivs[0].end.astimezone(UTC) == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)
    assert duration(ivs[0]) == timedelta(hours=2)

    st = status(rows, datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # 03:30 CEST
    assert st.open_nu
    assert st.tekst == "Nu open, tot 4.00 uur"
    assert st.sluit_om.astimezone(UTC) == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)

    # 02:30 does not exist that night; a naive 02:30 is read as 03:30 CEST.
    assert status(rows, datetime(2026, 3, 29, 2, 30)).open_nu
    assert not status(rows, datetime(2026, 3, 29, 2, 0, tzinfo=UTC)).open_nu  # 04:00 CEST
    assert not status(rows, datetime(2026, 3, 28, 23, 59, tzinfo=UTC)).open_nu  # 00:59 CET


def test_dst_fall_back_rule_on_the_changeover_night():
    # 2026-10-25: 03:00 CEST goes back to 02:00 CET, so 01:00-04:00 lasts four hours.
    rows = [rule("SU", (1, 0), (4, 0))]
    ivs = intervals_between(rows, local(2026, 10, 25, 0, 0), local(2026, 10, 26, 0, 0))
    assert len(ivs) == 1
    assert ivs[0].start.astimezone(UTC) == datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
    assert ivs[0].end.astimezone(UTC) == datetime(2026, 10, 25, 3, 0, tzinfo=UTC)
    assert duration(ivs[0]) == timedelta(hours=4)

    for utc_hour, minute in [(0, 30), (1, 30), (2, 59)]:  # 02:30 CEST, 02:30 CET, 03:59 CET
        st = status(rows, datetime(2026, 10, 25, utc_hour, minute, tzinfo=UTC))
        assert st.open_nu, (utc_hour, minute)
        assert st.tekst == "Nu open, tot 4.00 uur"

    st = status(rows, datetime(2026, 10, 25, 3, 0, tzinfo=UTC))  # 04:00 CET
    assert not st.open_nu
    assert st.volgende_opening == local(2026, 11, 1, 1, 0)
    assert st.tekst == "Nu gesloten. Weer open op zondag 1 november om 1.00 uur"


def test_daily_hours_stay_on_the_wall_clock_across_dst():
    rows = [rule(ALLE_DAGEN, (9, 0), (17, 0))]
    ivs = intervals_between(rows, local(2026, 3, 28, 0, 0), local(2026, 3, 31, 0, 0))
    assert [iv.start.astimezone(UTC).hour for iv in ivs] == [8, 7, 7]  # CET, then CEST
    assert all(iv.start.hour == 9 and duration(iv) == timedelta(hours=8) for iv in ivs)

    ivs = intervals_between(rows, local(2026, 10, 24, 0, 0), local(2026, 10, 27, 0, 0))
    assert [iv.start.astimezone(UTC).hour for iv in ivs] == [7, 8, 8]  # CEST, then CET

    # 07:30 UTC is 08:30 before the change and 09:30 after it.
    assert status(rows, datetime(2026, 3, 28, 7, 30, tzinfo=UTC)).tekst == "Nu gesloten. Vandaag open vanaf 9.00 uur"
    assert status(rows, datetime(2026, 3, 30, 7, 30, tzinfo=UTC)).tekst == "Nu open, tot 17.00 uur"


def test_overnight_rule_through_the_spring_change():
    # 22:00 CET to 04:00 CEST is five real hours, not six.
    rows = [rule("SA", (22, 0), (4, 0))]
    ivs = intervals_between(rows, local(2026, 3, 28, 0, 0), local(2026, 3, 30, 0, 0))
    assert len(ivs) == 1
    assert duration(ivs[0]) == timedelta(hours=5)
    assert ivs[0].end.astimezone(UTC) == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)
    assert status(rows, datetime(2026, 3, 29, 1, 59, tzinfo=UTC)).tekst == "Nu open, tot 4.00 uur"


def test_closing_at_a_time_the_clock_skips():
    # 02:00 does not exist on 2026-03-29: the clock jumps from 02:00 CET to 03:00 CEST,
    # so "until 2.00" ends at that jump (01:00 UTC), shown as 3.00.
    rows = [rule("SA", (22, 0), (2, 0))]
    ivs = intervals_between(rows, local(2026, 3, 28, 0, 0), local(2026, 3, 30, 0, 0))
    assert ivs[0].end.astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert ivs[0].end.hour == 3
    assert duration(ivs[0]) == timedelta(hours=4)


# --- midnight ----------------------------------------------------------------------------------


def test_open_past_midnight_counts_for_the_previous_day():
    rows = [rule("FR", (20, 0), (2, 0))]
    vrijdagavond = status(rows, local(2026, 7, 10, 21, 0))
    assert vrijdagavond.open_nu
    assert vrijdagavond.tekst == "Nu open, tot morgen 2.00 uur"
    assert vrijdagavond.sluit_om == local(2026, 7, 11, 2, 0)

    # Saturday 01:00 is open because of Friday's rule; Saturday has no rule of its own.
    zaterdagnacht = status(rows, local(2026, 7, 11, 1, 0))
    assert zaterdagnacht.open_nu
    assert zaterdagnacht.tekst == "Nu open, tot 2.00 uur"

    na_sluiting = status(rows, local(2026, 7, 11, 2, 0))
    assert not na_sluiting.open_nu
    assert na_sluiting.tekst == "Nu gesloten. Weer open op vrijdag 17 juli om 20.00 uur"

    # Before the Friday opening, the night after Thursday is not open.
    assert not status(rows, local(2026, 7, 10, 1, 0)).open_nu


def test_closing_at_midnight_reads_24_uur():
    rows = [rule("MO", (20, 0), (0, 0))]
    assert status(rows, local(2026, 7, 6, 21, 0)).tekst == "Nu open, tot 24.00 uur"
    assert week(rows, date(2026, 7, 6))[0].tekst == "20.00 - 24.00 uur"


def test_evening_rules_join_across_midnight():
    rows = [rule("MO", (20, 0), (0, 0)), rule("TU", (0, 0), (3, 0))]
    ivs = intervals_between(rows, local(2026, 7, 6, 0, 0), local(2026, 7, 8, 0, 0))
    assert ivs == [Interval(local(2026, 7, 6, 20, 0), local(2026, 7, 7, 3, 0))]
    assert status(rows, local(2026, 7, 6, 21, 0)).tekst == "Nu open, tot morgen 3.00 uur"


# --- closures ----------------------------------------------------------------------------------


def test_closure_removes_openings_on_those_days():
    rows = KANTOOR + [closed(date(2026, 7, 20), date(2026, 7, 24), description="zomersluiting")]
    st = status(rows, local(2026, 7, 20, 10, 0))
    assert st.bekend and not st.open_nu
    assert st.volgende_opening == local(2026, 7, 27, 9, 0)
    assert st.tekst == "Nu gesloten. Weer open op maandag 27 juli om 9.00 uur"
    # Both ends of the period are inclusive.
    assert not status(rows, local(2026, 7, 24, 10, 0)).open_nu
    assert status(rows, local(2026, 7, 17, 10, 0)).open_nu
    assert status(rows, local(2026, 7, 27, 10, 0)).open_nu

    dagen = week(rows, date(2026, 7, 22))
    assert [d.gesloten for d in dagen] == [True] * 5 + [False, False]
    assert [d.tekst for d in dagen] == ["Gesloten"] * 7
    assert all(d.intervals == [] for d in dagen)


def test_closure_keeps_the_night_that_started_the_day_before():
    rows = [rule(ALLE_DAGEN, (20, 0), (2, 0)), closed(date(2026, 7, 21), date(2026, 7, 21))]
    assert status(rows, local(2026, 7, 21, 1, 0)).open_nu  # Monday evening's opening
    st = status(rows, local(2026, 7, 21, 21, 0))
    assert not st.open_nu
    assert st.tekst == "Nu gesloten. Weer open morgen om 20.00 uur"
    assert not status(rows, local(2026, 7, 22, 1, 0)).open_nu


def test_open_ended_closure_means_no_known_reopening():
    rows = KANTOOR + [closed(date(2026, 7, 1), None)]
    st = status(rows, local(2026, 7, 6, 10, 0))
    assert st.bekend and not st.open_nu
    assert st.volgende_opening is None
    assert st.tekst == "Nu gesloten. Wanneer het weer open is, weten we niet."


def test_no_opening_within_60_days():
    rows = KANTOOR + [closed(date(2026, 7, 1), date(2026, 9, 30))]
    st = status(rows, local(2026, 7, 6, 10, 0))
    assert st.volgende_opening is None
    assert st.tekst == "Nu gesloten. Wanneer het weer open is, weten we niet."
    # Closer to the end of the closure, the reopening comes into view.
    st = status(rows, local(2026, 9, 1, 10, 0))
    assert st.volgende_opening == local(2026, 10, 1, 9, 0)


# --- holidays ----------------------------------------------------------------------------------


def test_koningsdag_closes_rules_marked_feestdagen_gesloten():
    rows = [rule(WERKDAGEN, (9, 0), (17, 0), feestdagen_gesloten=True)]
    st = status(rows, local(2026, 4, 27, 10, 0))
    assert not st.open_nu
    assert st.tekst == "Nu gesloten. Weer open morgen om 9.00 uur"

    maandag = week(rows, date(2026, 4, 29))[0]
    assert maandag.day == date(2026, 4, 27)
    assert maandag.feestdag == "Koningsdag"
    assert maandag.gesloten
    assert maandag.intervals == []
    assert maandag.tekst == "Gesloten (Koningsdag)"


def test_rules_without_feestdagen_gesloten_stay_open_on_holidays():
    rows = [
        rule(WERKDAGEN, (9, 0), (12, 0)),
        rule(WERKDAGEN, (13, 0), (17, 0), feestdagen_gesloten=True),
    ]
    assert status(rows, local(2026, 4, 27, 10, 0)).tekst == "Nu open, tot 12.00 uur"
    assert status(rows, local(2026, 4, 27, 14, 0)).tekst == "Nu gesloten. Weer open morgen om 9.00 uur"
    maandag, dinsdag = week(rows, date(2026, 4, 27))[:2]
    assert maandag.feestdag == "Koningsdag"
    assert not maandag.gesloten
    assert maandag.tekst == "9.00 - 12.00 uur"
    assert dinsdag.feestdag is None
    assert dinsdag.tekst == "9.00 - 12.00 en 13.00 - 17.00 uur"


def test_christmas():
    rows = [rule(WERKDAGEN, (9, 0), (17, 0), feestdagen_gesloten=True)]
    st = status(rows, local(2026, 12, 24, 18, 0))
    assert st.tekst == "Nu gesloten. Weer open op maandag 28 december om 9.00 uur"
    dagen = week(rows, date(2026, 12, 25))
    vrijdag, zaterdag = dagen[4], dagen[5]
    assert vrijdag.feestdag == "Eerste kerstdag"
    assert vrijdag.gesloten
    assert vrijdag.tekst == "Gesloten (Eerste kerstdag)"
    # Saturday is closed by the weekly schedule anyway, not by the holiday.
    assert zaterdag.feestdag == "Tweede kerstdag"
    assert not zaterdag.gesloten
    assert zaterdag.tekst == "Gesloten (Tweede kerstdag)"


# --- valid_from / valid_to ---------------------------------------------------------------------


def test_weekly_rules_respect_their_validity():
    rows = [
        rule(WERKDAGEN, (10, 0), (14, 0), valid_from=date(2026, 7, 1), valid_to=date(2026, 8, 31)),
        rule(WERKDAGEN, (9, 0), (17, 0), valid_from=date(2026, 9, 1)),
    ]
    st = status(rows, local(2026, 8, 31, 15, 0))  # after summer hours, on their last day
    assert st.tekst == "Nu gesloten. Weer open morgen om 9.00 uur"
    assert status(rows, local(2026, 8, 31, 13, 0)).tekst == "Nu open, tot 14.00 uur"
    assert status(rows, local(2026, 9, 1, 16, 0)).tekst == "Nu open, tot 17.00 uur"

    st = status(rows, local(2026, 6, 26, 18, 0))  # Friday before the first rule starts
    assert st.tekst == "Nu gesloten. Weer open op woensdag 1 juli om 10.00 uur"

    assert [d.tekst for d in week(rows, date(2026, 8, 31))][:2] == ["10.00 - 14.00 uur", "9.00 - 17.00 uur"]


def test_expired_rules_give_no_reopening():
    rows = [rule(WERKDAGEN, (9, 0), (17, 0), valid_to=date(2025, 12, 31))]
    st = status(rows, local(2026, 7, 6, 10, 0))
    assert st.bekend
    assert st.tekst == "Nu gesloten. Wanneer het weer open is, weten we niet."


# --- unknown -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [S(freq=None, description="Op afspraak")],
        [S(byday="MO", description="maandagochtend")],  # weekly, but no times
        [S(byday=None, opens_at=time(9), closes_at=time(17))],  # no days
        [closed(date(2026, 7, 1), date(2026, 7, 31))],  # only a closure
    ],
)
def test_no_weekly_rules_means_unknown(rows):
    st = status(rows, local(2026, 7, 6, 10, 0))
    assert st == Status(False, False, None, None, "Openingstijden onbekend", st.beschrijvingen)
    assert intervals_between(rows, local(2026, 7, 6, 0, 0), local(2026, 7, 13, 0, 0)) == []


def test_unknown_keeps_the_source_words():
    rows = [
        S(freq=None, description="koffieochtend maandag 10.00-11.00 uur"),
        S(freq=None, description="  "),
        S(freq=None, description="koffieochtend maandag 10.00-11.00 uur"),
        S(freq=None, description="Bel voor een afspraak"),
    ]
    st = status(rows, local(2026, 7, 6, 10, 0))
    assert st.beschrijvingen == ["koffieochtend maandag 10.00-11.00 uur", "Bel voor een afspraak"]


def test_week_of_unknown_hours_is_not_shown_as_closed():
    rows = [S(freq=None, description="Op afspraak"), closed(date(2026, 7, 8), date(2026, 7, 8))]
    dagen = week(rows, date(2026, 7, 6))
    assert [d.tekst for d in dagen] == ["Onbekend", "Onbekend", "Gesloten"] + ["Onbekend"] * 4
    assert [d.gesloten for d in dagen] == [False, False, True] + [False] * 4


# --- 24/7 --------------------------------------------------------------------------------------


def test_open_day_and_night():
    rows = [rule(ALLE_DAGEN, (0, 0), (0, 0))]
    st = status(rows, local(2026, 7, 6, 3, 0))
    assert st.open_nu
    assert st.sluit_om is None
    assert st.tekst == "Nu open, dag en nacht"
    # Across DST too: one unbroken interval.
    ivs = intervals_between(rows, local(2026, 3, 23, 0, 0), local(2026, 4, 6, 0, 0))
    assert len(ivs) == 1
    assert duration(ivs[0]) == timedelta(days=14, hours=-1)
    assert [d.tekst for d in week(rows, date(2026, 7, 6))] == ["Hele dag open"] * 7


def test_open_around_the_clock_until_a_closure():
    rows = [rule(ALLE_DAGEN, (0, 0), (0, 0)), closed(date(2026, 7, 9), date(2026, 7, 9))]
    st = status(rows, local(2026, 7, 6, 10, 0))
    assert st.open_nu
    assert st.sluit_om == local(2026, 7, 9, 0, 0)
    assert st.tekst == "Nu open, tot woensdag 8 juli 24.00 uur"
    assert st.volgende_opening == local(2026, 7, 10, 0, 0)


# --- status details ----------------------------------------------------------------------------


def test_exact_texts():
    rows = [rule("TU", (9, 0), (12, 0)), rule("TU", (13, 0), (17, 30))]
    assert status(rows, local(2026, 12, 1, 10, 0)).tekst == "Nu open, tot 12.00 uur"
    assert status(rows, local(2026, 12, 1, 12, 30)).tekst == "Nu gesloten. Vandaag open vanaf 13.00 uur"
    assert status(rows, local(2026, 12, 1, 14, 0)).tekst == "Nu open, tot 17.30 uur"
    assert status(rows, local(2026, 11, 30, 20, 0)).tekst == "Nu gesloten. Weer open morgen om 9.00 uur"
    assert status(rows, local(2026, 11, 27, 18, 0)).tekst == "Nu gesloten. Weer open op dinsdag 1 december om 9.00 uur"


def test_opening_and_closing_moments_are_half_open():
    assert status(KANTOOR, local(2026, 7, 6, 9, 0)).open_nu
    st = status(KANTOOR, local(2026, 7, 6, 17, 0))
    assert not st.open_nu
    assert st.tekst == "Nu gesloten. Weer open morgen om 9.00 uur"


def test_now_naive_or_aware_gives_the_same_answer():
    naive = status(KANTOOR, datetime(2026, 7, 6, 16, 30))
    utc = status(KANTOOR, datetime(2026, 7, 6, 14, 30, tzinfo=UTC))
    amsterdam = status(KANTOOR, local(2026, 7, 6, 16, 30))
    assert naive == utc == amsterdam
    assert naive.tekst == "Nu open, tot 17.00 uur"
    # 16:30 UTC is 18:30 in Amsterdam: closed, although 16:30 naive would be open.
    assert not status(KANTOOR, datetime(2026, 7, 6, 16, 30, tzinfo=UTC)).open_nu


def test_status_while_open_gives_closing_and_next_opening():
    st = status(KANTOOR, datetime(2026, 7, 10, 8, 0, tzinfo=UTC))  # Friday 10:00
    assert st.sluit_om == local(2026, 7, 10, 17, 0)
    assert st.sluit_om.tzinfo is TZ
    assert st.volgende_opening == local(2026, 7, 13, 9, 0)


def test_byday_is_read_leniently():
    rows = [rule(" mo , we,XX", (9, 0), (12, 0)), S(freq="weekly", byday="FR", opens_at=time(9), closes_at=time(10))]
    dagen = week(rows, date(2026, 7, 6))
    assert [d.tekst for d in dagen] == [
        "9.00 - 12.00 uur", "Gesloten", "9.00 - 12.00 uur", "Gesloten", "9.00 - 10.00 uur", "Gesloten", "Gesloten",
    ]


# --- week --------------------------------------------------------------------------------------


def test_week_runs_monday_to_sunday_around_today():
    rows = [rule(WERKDAGEN, (9, 0), (12, 0)), rule(WERKDAGEN, (13, 0), (17, 0)), rule("SA", (20, 0), (2, 0))]
    dagen = week(rows, date(2026, 7, 9))
    assert all(isinstance(d, DayHours) for d in dagen)
    assert [d.day for d in dagen] == [date(2026, 7, 6) + timedelta(days=i) for i in range(7)]
    assert [d.naam for d in dagen] == ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
    assert [d.is_today for d in dagen] == [False, False, False, True, False, False, False]
    assert dagen[0].intervals == [(time(9), time(12)), (time(13), time(17))]
    assert dagen[0].tekst == "9.00 - 12.00 en 13.00 - 17.00 uur"
    assert dagen[5].intervals == [(time(20), time(2))]
    assert dagen[5].tekst == "20.00 - 2.00 uur"
    # The Saturday night opening belongs to Saturday, not to Sunday.
    assert dagen[6].intervals == []
    assert dagen[6].tekst == "Gesloten"
    assert not any(d.gesloten for d in dagen)


def test_week_on_a_sunday_is_the_week_that_ends_that_day():
    dagen = week(KANTOOR, date(2026, 7, 12))
    assert dagen[0].day == date(2026, 7, 6)
    assert dagen[6].is_today

"""The deadline engine: worked examples of dossiers.md §6.3, Vietnamese holidays, the same-day cut-off,
supplementation pauses, Form 04 extensions, explanations and a few hypothesis properties."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.deadlines import (
    Calendar,
    WorkingHours,
    add_working_time,
    due_date,
    timeliness,
    vietnam_calendar,
    working_hours_between,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PLAIN = Calendar()  # §6.3 examples: no holidays configured
VN = vietnam_calendar(range(2025, 2029), language="en_US")


def at(text: str) -> datetime:
    """'03/10/2025 09:00' in Hanoi time."""
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=TZ)


def due(received: str, value, unit: str, calendar=PLAIN, **kw) -> datetime:
    return due_date(at(received), value, unit, calendar, **kw).at


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- dossiers.md §6.3 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "received", "value", "unit", "expected"),
    [
        ("A: weekend skipped", "03/10/2025 09:00", 1, "working_days", "06/10/2025 09:00"),
        ("B", "03/10/2025 16:30", 1, "working_days", "06/10/2025 16:30"),
        # C deviates from the legacy table (Tue 07/10 07:00): the same instant in working time, but a due
        # time that ends exactly at the end of a working day stays at 17:00 that day.
        ("C: 17:00 stays", "03/10/2025 17:30", 1, "working_days", "06/10/2025 17:00"),
        ("D: lunch added", "01/10/2025 10:00", 4, "hours", "01/10/2025 16:00"),
        ("E: received at lunch", "01/10/2025 12:00", 4, "hours", "02/10/2025 07:30"),
        ("F", "01/10/2025 09:00", 5, "working_days", "08/10/2025 09:00"),
        # G deviates from the legacy table (Thu 16/10, the ×24 ÷8 defect): 01/10 + 5 calendar days.
        ("G: calendar days", "01/10/2025 09:00", 5, "days", "06/10/2025 09:00"),
        ("H: passes 17:00", "01/10/2025 16:00", 2, "hours", "02/10/2025 08:00"),
    ],
)
def test_worked_examples(name, received, value, unit, expected):
    assert due(received, value, unit) == at(expected)


def test_due_keeps_the_time_zone_and_accepts_decimals():
    result = due_date(at("01/10/2025 09:00"), Decimal("0.5"), "working_days", PLAIN)
    assert result.at == at("01/10/2025 15:00") and result.at.tzinfo is TZ


def test_utc_values_are_counted_in_the_calendar_time_zone():
    utc = at("01/10/2025 09:00").astimezone(UTC)  # 02:00 UTC, as read back from the database
    result = due_date(utc, 4, "hours", VN)
    assert result.at == at("01/10/2025 15:00") and result.at.tzinfo is UTC
    assert add_working_time(utc, 4, VN) == at("01/10/2025 15:00")
    assert working_hours_between(utc, at("01/10/2025 15:00"), VN) == 4
    assert VN.is_working_time(utc) and not VN.is_working_time(at("01/10/2025 12:00").astimezone(UTC))
    # A calendar without a time zone counts in the wall time of what it is given.
    assert due_date(utc, 4, "hours", PLAIN).at == datetime(2025, 10, 1, 11, tzinfo=UTC)


# --- calendars ----------------------------------------------------------------------------------------


def test_holidays_package_gives_national_day_and_tet_2026():
    assert {date(2025, 9, 1), date(2025, 9, 2), date(2026, 9, 1), date(2026, 9, 2)} <= VN.days_off
    assert {date(2026, 2, 16) + timedelta(days=i) for i in range(5)} <= VN.days_off  # Mon 16 - Fri 20/02
    assert date(2025, 4, 26) in VN.working_days  # Saturday worked for the Fri 02/05/2025 bridge day


def test_national_day_is_skipped():
    # Fri 29/08/2025: Sat, Sun, Mon 01/09 and Tue 02/09 are off.
    assert due("29/08/2025 09:00", 1, "working_days", VN) == at("03/09/2025 09:00")


def test_tet_2026_is_skipped():
    # Fri 13/02 09:00: 6 h that Friday, Tết from Mon 16 to Fri 20/02, 8 h Mon 23/02, 2 h Tue 24/02.
    assert due("13/02/2026 09:00", 2, "working_days", VN) == at("24/02/2026 09:00")


def test_reunification_and_labour_day_2025_with_the_bridge_day():
    # Tue 29/04: Wed 30/04, Thu 01/05 and Fri 02/05 off, then the weekend.
    assert due("29/04/2025 09:00", 1, "working_days", VN) == at("05/05/2025 09:00")


def test_compensatory_saturday_counts():
    assert due("25/04/2025 09:00", 1, "working_days", VN) == at("26/04/2025 09:00")
    agency = vietnam_calendar([2025], working_days=[date(2025, 10, 4)])
    assert due("03/10/2025 09:00", 1, "working_days", agency) == at("04/10/2025 09:00")


def test_agency_day_off_is_skipped():
    agency = vietnam_calendar([2025], days_off=[date(2025, 10, 3)])
    assert due("02/10/2025 09:00", 1, "working_days", agency) == at("06/10/2025 09:00")


def test_calendar_days_count_holidays_and_only_push_the_landing_day():
    # Thu 28/08 + 5 days = Tue 02/09, a holiday: pushed to Wed 03/09 07:00; the holidays inside still count.
    assert due("28/08/2025 10:00", 5, "days", VN) == at("03/09/2025 07:00")
    assert due("01/10/2025 18:00", 1, "days", VN) == at("03/10/2025 07:00")  # after 17:00: next morning
    assert due("01/10/2025 12:00", 1, "days", VN) == at("02/10/2025 13:30")  # lunch
    assert due("01/10/2025 17:00", 1, "days", VN) == at("02/10/2025 17:00")  # a period end stays


def test_months_clamp_to_the_month_end_then_push():
    assert due("31/01/2025 10:00", 1, "months", VN) == at("28/02/2025 10:00")
    assert due("31/10/2025 09:00", 1, "months", VN) == at("01/12/2025 07:00")  # Sun 30/11 pushed
    assert due("29/02/2028 09:00", 1, "years", VN) == at("28/02/2029 09:00")


def test_custom_working_hours():
    hours = WorkingHours(morning=(time(8), time(12)), afternoon=(time(13), time(17, 30)))
    assert hours.hours_per_day == 8.5 and WorkingHours().hours_per_day == 8.0
    # 16:00-17:30 then 08:00-12:00 and 13:00-16:00 the next day.
    assert due("01/10/2025 16:00", 1, "working_days", Calendar(hours)) == at("02/10/2025 16:00")


# --- same-day procedures (15:00 cut-off) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("06/10/2025 14:59", "06/10/2025 17:00"),
        ("06/10/2025 15:00", "06/10/2025 17:00"),
        ("06/10/2025 15:01", "07/10/2025 17:00"),
        ("03/10/2025 15:30", "06/10/2025 17:00"),  # Friday after the cut-off: Monday
        ("04/10/2025 09:00", "06/10/2025 17:00"),  # Saturday
        ("06/10/2025 12:00", "06/10/2025 17:00"),  # lunch, counted from 13:30
        ("06/10/2025 06:30", "06/10/2025 17:00"),  # before opening: counting starts 07:00 that day
        ("29/08/2025 16:00", "03/09/2025 17:00"),  # Friday before National Day
    ],
)
def test_same_day_cut_off(received, expected):
    assert due(received, 0, "", VN, same_day=True) == at(expected)


# --- pauses (supplementation) -------------------------------------------------------------------------


def test_pause_adds_the_working_time_it_covers():
    # F (due Wed 08/10 09:00) paused Fri 16:00 - Tue 10:00: 1 h + 8 h + 3 h = 12 h -> Thu 09/10 15:00.
    pause = (at("03/10/2025 16:00"), at("07/10/2025 10:00"))
    assert due("01/10/2025 09:00", 5, "working_days", pauses=[pause]) == at("09/10/2025 15:00")


def test_pause_outside_working_time_adds_nothing():
    weekend = (at("04/10/2025 08:00"), at("05/10/2025 20:00"))
    evening = (at("01/10/2025 17:10"), at("02/10/2025 06:50"))
    assert due("01/10/2025 09:00", 5, "working_days", pauses=[weekend, evening]) == at("08/10/2025 09:00")


def test_pause_before_counting_starts_is_clipped():
    # Received Sat, paused Sat-Mon 09:00: only Mon 07:00-09:00 counts.
    pause = (at("04/10/2025 10:00"), at("06/10/2025 09:00"))
    assert due("04/10/2025 09:00", 1, "working_days", pauses=[pause]) == at("07/10/2025 09:00")


def test_pause_on_calendar_days_adds_calendar_time():
    # G (Mon 06/10 09:00) paused Thu 09:00 - Fri 15:00: +30 h -> Tue 07/10 15:00.
    pause = (at("02/10/2025 09:00"), at("03/10/2025 15:00"))
    assert due("01/10/2025 09:00", 5, "days", pauses=[pause]) == at("07/10/2025 15:00")


def test_open_pause_has_no_due_date():
    with pytest.raises(ValueError, match="dossier is paused; no due date while waiting for the supplement"):
        due_date(at("01/10/2025 09:00"), 5, "working_days", PLAIN, pauses=[(at("02/10/2025 09:00"), None)])


def test_bad_pauses_are_refused():
    with pytest.raises(ValueError, match="before it starts"):
        due("01/10/2025 09:00", 5, "working_days", pauses=[(at("03/10/2025 09:00"), at("02/10/2025 09:00"))])
    overlapping = [
        (at("02/10/2025 09:00"), at("03/10/2025 09:00")),
        (at("02/10/2025 15:00"), at("06/10/2025 09:00")),
    ]
    with pytest.raises(ValueError, match="overlap"):
        due("01/10/2025 09:00", 5, "working_days", pauses=overlapping)


# --- extensions (Form 04) -----------------------------------------------------------------------------


def test_extensions_add_from_the_current_due():
    assert due("01/10/2025 09:00", 5, "working_days", extensions=[(3, "working_days")]) == at(
        "13/10/2025 09:00"
    )
    assert due("01/10/2025 09:00", 5, "working_days", extensions=[(Decimal(2), "hours")]) == at(
        "08/10/2025 11:00"
    )
    # Wed 08/10 09:00 + 4 calendar days = Sun 12/10: pushed to Mon 07:00.
    assert due("01/10/2025 09:00", 5, "working_days", extensions=[(4, "days")]) == at("13/10/2025 07:00")
    both = [(1, "working_days"), (1, "days")]  # Thu 09/10 09:00, then Fri 10/10 09:00
    assert due("01/10/2025 09:00", 5, "working_days", extensions=both) == at("10/10/2025 09:00")


def test_pause_and_extension_together():
    pause = (at("03/10/2025 16:00"), at("07/10/2025 10:00"))  # +12 h -> Thu 09/10 15:00
    assert due("01/10/2025 09:00", 5, "working_days", pauses=[pause], extensions=[(1, "working_days")]) == at(
        "10/10/2025 15:00"
    )


# --- validation and helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        (-1, "working_days", "finite number >= 0"),
        (float("nan"), "hours", "finite number >= 0"),
        (5, "weeks", "unknown time-limit unit 'weeks'"),
        (Decimal("1.5"), "months", "whole number"),
        ("5", "days", "must be a number"),
    ],
)
def test_bad_limits_are_refused(value, unit, message):
    with pytest.raises(ValueError, match=message):
        due_date(at("01/10/2025 09:00"), value, unit, PLAIN)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        due_date(datetime(2025, 10, 1, 9), 1, "working_days", PLAIN)
    with pytest.raises(ValueError, match="timezone-aware"):
        due_date(at("01/10/2025 09:00"), 1, "working_days", PLAIN, pauses=[(datetime(2025, 10, 2), None)])
    with pytest.raises(ValueError, match="timezone-aware"):
        timeliness(datetime(2025, 10, 1, 9), at("01/10/2025 09:00"))
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_time(datetime(2025, 10, 1, 9), 1, PLAIN)


def test_working_time_helpers():
    assert add_working_time(at("03/10/2025 16:00"), 1, PLAIN) == at("03/10/2025 17:00")
    assert add_working_time(at("03/10/2025 16:00"), 1.5, PLAIN) == at("06/10/2025 07:30")
    assert working_hours_between(at("03/10/2025 16:00"), at("06/10/2025 07:30"), PLAIN) == 1.5
    assert working_hours_between(at("01/10/2025 11:00"), at("01/10/2025 14:00"), PLAIN) == 1.0
    assert PLAIN.is_working_time(at("01/10/2025 07:00")) and not PLAIN.is_working_time(at("01/10/2025 11:30"))
    assert not VN.is_working_day(date(2025, 9, 2)) and VN.is_working_day(date(2025, 4, 26))
    with pytest.raises(ValueError, match="before start"):
        working_hours_between(at("02/10/2025 09:00"), at("01/10/2025 09:00"), PLAIN)


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        ("07/10/2025 16:00", "early"),
        ("08/10/2025 08:00", "on_time"),
        ("08/10/2025 09:00", "on_time"),
        ("08/10/2025 09:01", "late"),
    ],
)
def test_timeliness(finished, expected):
    assert timeliness(at(finished), at("08/10/2025 09:00")) == expected


def test_timeliness_compares_dates_in_the_given_time_zone():
    due, finished = at("08/10/2025 09:00").astimezone(UTC), at("08/10/2025 06:30").astimezone(UTC)
    assert timeliness(finished, due) == "early"  # 07/10 23:30 UTC
    assert timeliness(finished, due, tz=TZ) == "on_time"


# --- explanations -------------------------------------------------------------------------------------


def test_explanation_tells_the_whole_story():
    pause = (at("07/10/2025 10:00"), at("09/10/2025 15:00"))
    lines = due_date(
        at("04/10/2025 09:00"), 5, "working_days", VN, pauses=[pause], extensions=[(3, "working_days")]
    ).explanation
    assert (
        lines[0]
        == "Received Sat 04/10/2025 09:00, outside working time: counting starts Mon 06/10/2025 07:00"
    )
    assert lines[1] == "Limit 5 working days (40 working hours)"
    assert lines[2] == "Skipped: Sat 04/10, Sun 05/10, Sat 11/10, Sun 12/10, Sat 18/10, Sun 19/10 (weekend)"
    assert "Paused for supplementation 07/10 10:00 – 09/10 15:00: +19 working hours" in lines
    assert "Extended by 3 working days (Form 04): Mon 20/10/2025 10:00" in lines
    # 40 h from Mon 06/10 07:00 -> Fri 10/10 17:00; the pause covers 5 + 8 + 6 = 19 h -> Wed 15/10 10:00;
    # +3 working days -> Mon 20/10 10:00.
    assert lines[-1] == "Due Mon 20/10/2025 10:00"


def test_explanation_names_holidays_and_made_up_days():
    lines = due_date(at("29/08/2025 09:00"), 1, "working_days", VN).explanation
    assert (
        "Skipped: Sat 30/08, Sun 31/08 (weekend); Mon 01/09, Tue 02/09 (public holiday: National Day)"
    ) in lines
    agency = vietnam_calendar([2025], days_off=[date(2025, 10, 3)], language="en_US")
    assert (
        "Skipped: Fri 03/10 (day off); Sat 04/10, Sun 05/10 (weekend)"
        in due_date(at("02/10/2025 16:00"), 2, "hours", agency).explanation
    )
    lines = due_date(at("25/04/2025 09:00"), 1, "working_days", VN).explanation
    assert "Counted as working: Sat 26/04 (compensatory working day)" in lines


def test_explanation_of_a_calendar_push():
    lines = due_date(at("28/08/2025 10:00"), 5, "days", VN).explanation
    assert lines[1] == "Limit 5 calendar days: Tue 02/09/2025 10:00"
    assert "Tue 02/09/2025 10:00 is outside working time: moved to Wed 03/09/2025 07:00" in lines


# --- properties ---------------------------------------------------------------------------------------

receptions = st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31, 23, 59)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=TZ)
)
limits = st.one_of(
    st.tuples(st.integers(0, 60), st.just("working_days")),
    st.tuples(st.integers(0, 480).map(lambda q: Decimal(q) / 4), st.just("hours")),
    st.tuples(st.integers(0, 90), st.just("days")),
    st.tuples(st.integers(0, 6), st.just("months")),
)
quick = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def in_working_time_or_period_end(moment: datetime) -> bool:
    ends = {VN.hours.morning[1], VN.hours.afternoon[1]}
    return VN.is_working_day(moment.date()) and (
        VN.is_working_time(moment) or moment.timetz().replace(tzinfo=None) in ends
    )


@quick
@given(receptions, limits, st.booleans())
def test_due_is_always_working_time(received, limit, same_day):
    result = due_date(received, *limit, VN, same_day=same_day)
    assert result.at.tzinfo is TZ and in_working_time_or_period_end(result.at)


@quick
@given(receptions, limits, st.integers(0, 20 * 24 * 60), st.integers(0, 20 * 24 * 60))
def test_a_pause_never_makes_the_due_date_earlier(received, limit, offset, length):
    start = received + timedelta(minutes=offset)
    pause = (start, start + timedelta(minutes=length))
    assert due_date(received, *limit, VN, pauses=[pause]).at >= due_date(received, *limit, VN).at


@quick
@given(
    receptions,
    st.sampled_from(["working_days", "hours", "days", "months"]),
    st.integers(0, 59),
    st.integers(1, 60),
)
def test_more_time_is_never_earlier(received, unit, value, more):
    value, more = (value, more) if unit != "months" else (value % 6, more % 6)
    assert due_date(received, value + more, unit, VN).at >= due_date(received, value, unit, VN).at


working_moments = st.tuples(
    st.dates(date(2025, 1, 1), date(2027, 12, 31)).filter(VN.is_working_day), st.integers(0, 8 * 60 - 1)
).map(lambda d: datetime.combine(d[0], time(7), TZ) + timedelta(minutes=d[1] + (120 if d[1] >= 270 else 0)))


@quick
@given(working_moments, st.integers(0, 60 * 8 * 60))
def test_adding_then_measuring_working_time_round_trips(start, minutes):
    assert VN.is_working_time(start)
    end = add_working_time(start, minutes / 60, VN)
    assert working_hours_between(start, end, VN) == pytest.approx(minutes / 60, abs=1e-9)

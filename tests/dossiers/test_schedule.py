"""An agency's calendar is built once and reused until what it is made of changes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from motcua.dossiers import deadlines, schedule
from motcua.dossiers.models import DayOff

pytestmark = pytest.mark.django_db

YEARS = range(2026, 2028)
MONDAY = datetime.date(2027, 3, 8)  # an ordinary working Monday
SATURDAY = datetime.date(2027, 3, 13)


@pytest.fixture
def agency(people):
    return people["tiepnhan"].agency


@pytest.fixture
def builds(monkeypatch):
    """How many times the holiday calendar is really built."""
    calls = []
    real = deadlines.vietnam_calendar

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(deadlines, "vietnam_calendar", counted)
    schedule._calendars.clear()
    yield calls
    schedule._calendars.clear()


def test_the_calendar_is_built_once_and_read_back_in_one_small_query(agency, builds):
    first = schedule.calendar_for(agency, YEARS)
    with CaptureQueriesContext(connection) as queries:
        again = schedule.calendar_for(agency, YEARS)
    assert again is first and len(builds) == 1
    assert len(queries) == 1  # the agency's calendar exceptions, nothing else
    schedule.calendar_for(agency, range(2025, 2027))  # other years: another calendar
    assert len(builds) == 2


def test_a_new_edited_or_deleted_day_off_is_seen_at_once(agency, builds):
    assert schedule.calendar_for(agency, YEARS).is_working_day(MONDAY)
    day_off = DayOff.objects.create(agency=agency, day=MONDAY, note="Nghỉ bù")
    assert not schedule.calendar_for(agency, YEARS).is_working_day(MONDAY)
    day_off.working = True  # edited in place into a working day (same row, same count of rows)
    day_off.save()
    assert schedule.calendar_for(agency, YEARS).is_working_day(MONDAY)
    DayOff.objects.filter(pk=day_off.pk).update(day=SATURDAY)  # a bulk update, no save() or signal
    calendar = schedule.calendar_for(agency, YEARS)
    assert calendar.is_working_day(SATURDAY) and calendar.is_working_day(MONDAY)
    day_off.delete()
    assert not schedule.calendar_for(agency, YEARS).is_working_day(SATURDAY)
    province_wide = DayOff.objects.create(agency=None, day=MONDAY)
    assert not schedule.calendar_for(agency, YEARS).is_working_day(MONDAY)
    province_wide.delete()
    assert schedule.calendar_for(agency, YEARS).is_working_day(MONDAY)
    # One build per distinct calendar: the province-wide day off is the same calendar as the agency's
    # own on that day, and the state after the deletions is the first one again.
    assert len(builds) == 4


def test_another_agency_day_off_leaves_this_calendar_alone(agency, people, builds):
    from motcua.accounts.models import Agency

    before = schedule.calendar_for(agency, YEARS)
    DayOff.objects.create(agency=Agency.objects.get(code="H99.X02"), day=MONDAY)
    assert schedule.calendar_for(agency, YEARS) is before


def test_changed_working_hours_and_language_make_another_calendar(agency, builds):
    before = schedule.calendar_for(agency, YEARS)
    agency.afternoon_end = datetime.time(16, 30)
    agency.save()
    after = schedule.calendar_for(agency, YEARS)
    assert after.hours.afternoon[1] == datetime.time(16, 30) and before.hours.afternoon[1] == datetime.time(
        17
    )
    with translation.override("en"):
        english = schedule.calendar_for(agency, YEARS)
    with translation.override("vi"):
        vietnamese = schedule.calendar_for(agency, YEARS)
    new_year = datetime.date(2027, 1, 1)
    assert english.holiday_names[new_year] != vietnamese.holiday_names[new_year]

"""Bridges the database and the pure deadline engine: an agency's calendar, a dossier's time limit and
due date, and the default workflow of a procedure case."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from motcua.accounts.models import Role
from motcua.catalogue.models import ProcedureCase, TimeUnit

from . import deadlines
from .models import DayOff, Dossier, WorkflowStep

# Default workflow when a case has none configured: share of the legal time limit per step.
DEFAULT_STEPS = [
    ("Tiếp nhận hồ sơ", Role.RECEPTION, Decimal("0.10")),
    ("Thẩm định, xử lý hồ sơ", Role.PROCESSING, Decimal("0.60")),
    ("Phê duyệt kết quả", Role.LEADER, Decimal("0.20")),
    ("Trả kết quả", Role.RECEPTION, Decimal("0.10")),
]
APPROVAL_ROLE = Role.LEADER
HOURS_PER_DAY = Decimal(8)


# Built calendars by everything they are made of: the years, the agency's working hours, its calendar
# exceptions (DayOff rows, province-wide and its own) and the interface language (the holiday names).
# Building one takes the `holidays` package ~85 ms the first time in a process, ~1 ms after (it keeps
# the years it has computed); reading the few DayOff rows is one small query. As
# the key is the content itself, an added, edited or deleted DayOff row or a change of the agency's
# hours simply misses the cache: nothing to invalidate, in any process.
_calendars: dict[tuple, deadlines.Calendar] = {}
CALENDAR_CACHE_SIZE = 64


def calendar_for(agency, years: range | None = None) -> deadlines.Calendar:
    years = years or range(timezone.localdate().year - 1, timezone.localdate().year + 3)
    exceptions = tuple(
        DayOff.objects.filter(Q(agency__isnull=True) | Q(agency=agency))
        .order_by("day", "working")
        .values_list("day", "working")
    )
    hours = deadlines.WorkingHours(
        morning=(agency.morning_start, agency.morning_end),
        afternoon=(agency.afternoon_start, agency.afternoon_end),
    )
    key = (tuple(sorted(set(years))), hours, exceptions, get_language())
    calendar = _calendars.get(key)
    if calendar is None:
        off = [day for day, working in exceptions if not working]
        worked = [day for day, working in exceptions if working]
        calendar = deadlines.vietnam_calendar(years, days_off=off, working_days=worked, hours=hours)
        if len(_calendars) >= CALENDAR_CACHE_SIZE:
            _calendars.clear()  # a handful of agencies and year ranges: a full cache means stale keys
        _calendars[key] = calendar
    return calendar


def limit_for(procedure, case: ProcedureCase | None, channel: str) -> tuple[Decimal | None, str, bool]:
    """(value, unit, same_day) the dossier is received under: the case's limit, else its channel's."""
    if case and case.time_value is not None and case.time_unit:
        return case.time_value, case.time_unit, False
    options = list(procedure.channels.all())
    option = next((o for o in options if o.channel == channel and o.time_unit), None) or next(
        (o for o in options if o.time_unit), None
    )
    if option is None:
        return None, "", False
    same_day = "trong ngày" in option.time_text.lower() or (option.time_value == 0 and option.time_unit)
    return option.time_value, option.time_unit, bool(same_day)


def working_hours(value: Decimal | None, unit: str) -> Decimal:
    """Rough size of a limit in working hours, to share it out between workflow steps."""
    if value is None:
        return 5 * HOURS_PER_DAY
    factors: dict[str, Decimal] = {
        TimeUnit.WORKING_DAYS: HOURS_PER_DAY,
        TimeUnit.HOURS: Decimal(1),
        TimeUnit.DAYS: HOURS_PER_DAY * 5 / 7,
        TimeUnit.MONTHS: HOURS_PER_DAY * 22,
        TimeUnit.YEARS: HOURS_PER_DAY * 250,
    }
    return max(Decimal(value) * factors.get(unit, HOURS_PER_DAY), Decimal(1))


def workflow(case: ProcedureCase, value: Decimal | None, unit: str) -> list[WorkflowStep]:
    steps = list(case.workflow.all())
    if steps:
        return steps
    total = working_hours(value, unit)
    return [
        WorkflowStep.objects.get_or_create(
            case=case,
            order=i,
            defaults={"name": name, "role": role, "hours": (total * share).quantize(Decimal("0.01"))},
        )[0]
        for i, (name, role, share) in enumerate(DEFAULT_STEPS, start=1)
    ]


def compute_due(dossier: Dossier) -> deadlines.Due | None:
    if dossier.received_at is None or dossier.limit_value is None and not dossier.same_day:
        return None
    pauses = [(p.started_at, p.ended_at) for p in dossier.pauses.all()]
    extensions = [(a.extra_value, a.extra_unit) for a in dossier.apologies.filter(approved_at__isnull=False)]
    return deadlines.due_date(
        dossier.received_at,
        dossier.limit_value or 0,
        dossier.limit_unit,
        calendar_for(dossier.agency),
        same_day=dossier.same_day,
        pauses=pauses,
        extensions=extensions,
    )


def step_due(dossier: Dossier, started: datetime.datetime | None = None) -> datetime.datetime | None:
    started = started or dossier.step_started_at
    if dossier.step is None or started is None:
        return None
    return deadlines.add_working_time(started, dossier.step.hours, calendar_for(dossier.agency))

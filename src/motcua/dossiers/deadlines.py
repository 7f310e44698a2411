"""Deadline engine: when must a dossier's result be returned? (domain notes: dossiers.md §6-8)

All arithmetic is done in local wall time: the calendar's time zone when it has one (`vietnam_calendar`
uses Asia/Ho_Chi_Minh, so UTC values read from the database are safe), else the reception's. Results
come back in the time zone of the datetime given. Naive datetimes are refused.

* Working time is the agency's two daily periods (default 07:00-11:30 and 13:30-17:00) on working days:
  Monday-Friday minus `days_off` (public holidays, agency days off), plus `working_days` (a compensatory
  Saturday). A limit of N working days is N x hours_per_day working hours.
* Working-time units ("working_days", "hours") count from valid reception. A reception outside working
  time starts at the next period start: lunch -> 13:30, after 17:00 or on a day off -> next working day
  07:00. A due time that ends exactly at a period end stays there (Mon 17:00, never "Tue 07:00").
* Calendar units ("days", "months", "years") add calendar time to the reception, same clock time; months
  and years keep the day of month, clamped to the month end. Days off inside the span count; only a due
  time that lands outside working time is pushed forward to the next working time. (Legacy TH-DVC
  divided calendar days by 8 and turned 5 days into 15: see dossiers.md §6.2.)
* Same-day procedures: counting started on or before the 15:00 cut-off -> 17:00 that day; later ->
  17:00 of the next working day.
* Supplementation pauses stop the clock; an unfinished pause is an error (no due date while waiting).
  Working-time units add the working time inside the pause; calendar units add the pause's calendar
  length before the landing push. A pause never moves the due date earlier. (Legacy measured every
  pause in calendar days.)
* Extensions (Form 04) are applied in order, each from the current due date, in its own unit.
* `timeliness`: "late" after the due moment, "early" on an earlier date, otherwise "on_time".
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from itertools import groupby
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import get_language, gettext_noop, ngettext
from django.utils.translation import gettext as _

WORKING_UNITS = ("working_days", "hours")
CALENDAR_UNITS = ("days", "months", "years")
UNITS = WORKING_UNITS + CALENDAR_UNITS
PAUSED = "dossier is paused; no due date while waiting for the supplement"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
_DAY = timedelta(days=1)
_MAX_IDLE_DAYS = 366  # consecutive days without working time before a calendar is deemed broken
# Written out so that makemessages finds each one.
_WEEKDAYS = [
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
]


@dataclass(frozen=True)
class WorkingHours:
    morning: tuple[time, time] = (time(7, 0), time(11, 30))
    afternoon: tuple[time, time] = (time(13, 30), time(17, 0))
    same_day_cutoff: time = time(15, 0)

    def __post_init__(self):
        if not self.morning[0] < self.morning[1] <= self.afternoon[0] < self.afternoon[1]:
            raise ValueError(
                f"working periods must be ordered and not empty: {self.morning}, {self.afternoon}"
            )

    @property
    def periods(self) -> tuple[tuple[time, time], ...]:
        return (self.morning, self.afternoon)

    @property
    def hours_per_day(self) -> float:
        day = date.min
        return (
            sum((datetime.combine(day, b) - datetime.combine(day, a)).seconds for a, b in self.periods) / 3600
        )


@dataclass(frozen=True)
class Calendar:
    hours: WorkingHours = WorkingHours()
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    timezone: tzinfo | None = None  # None: the wall time of the datetimes given
    holiday_names: Mapping[date, str] = field(default_factory=dict, compare=False)  # for explanations

    def is_working_day(self, day: date) -> bool:
        return day in self.working_days or (day.weekday() < 5 and day not in self.days_off)

    def is_working_time(self, moment: datetime) -> bool:
        """Inside a working period: its start included, its end excluded."""
        t = _wall(moment, self.timezone or moment.tzinfo, "moment") if moment.tzinfo else moment
        return any(a <= t < b for a, b in _periods(self, t.date()))


def vietnam_calendar(
    years: Iterable[int], *, days_off=(), working_days=(), hours=WorkingHours(), language: str | None = None
) -> Calendar:
    """Vietnamese public holidays and make-up working Saturdays (`holidays` package) plus the agency's own.

    Holiday names are in `language` ("vi" or "en_US"), by default the active interface language."""
    years = sorted(set(years))
    language = language or ("vi" if (get_language() or "vi").startswith("vi") else "en_US")
    public = holidays.country_holidays("VN", years=years, language=language)
    made_up = {d for d in getattr(public, "weekend_workdays", ()) if d.year in years}
    off, worked = frozenset(public) | frozenset(days_off), frozenset(made_up) | frozenset(working_days)
    return Calendar(hours, off, worked, VIETNAM, dict(public.items()))


@dataclass(frozen=True)
class Due:
    at: datetime
    explanation: list[str]


# --- working-time arithmetic on naive wall times ------------------------------------------------------


def _periods(cal: Calendar, day: date) -> list[tuple[datetime, datetime]]:
    if not cal.is_working_day(day):
        return []
    return [(datetime.combine(day, a), datetime.combine(day, b)) for a, b in cal.hours.periods]


def _periods_from(cal: Calendar, t: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The working periods still open at or after t, the first one clipped to start at t."""
    day, idle = t.date(), 0
    while idle < _MAX_IDLE_DAYS:
        found = [(max(a, t), b) for a, b in _periods(cal, day) if b > t]
        yield from found
        idle = 0 if found else idle + 1
        day += _DAY
    raise ValueError(f"the calendar has no working time for {_MAX_IDLE_DAYS} days after {t:%d/%m/%Y}")


def _start(cal: Calendar, t: datetime) -> datetime:
    return next(_periods_from(cal, t))[0]


def _push(cal: Calendar, t: datetime) -> datetime:
    """t itself when within a working period or exactly at its end, else the next working time."""
    return t if any(a <= t <= b for a, b in _periods(cal, t.date())) else _start(cal, t)


def _add(cal: Calendar, t: datetime, span: timedelta) -> datetime:
    if span <= timedelta():
        return t
    for a, b in _periods_from(cal, t):
        if span <= b - a:
            return a + span
        span -= b - a
    raise AssertionError("unreachable: _periods_from never ends quietly")


def _between(cal: Calendar, start: datetime, end: datetime) -> timedelta:
    total = timedelta()
    for a, b in _periods_from(cal, start):
        if a >= end:
            return total
        total += min(b, end) - a
    raise AssertionError("unreachable: _periods_from never ends quietly")


def _add_calendar(t: datetime, amount: Decimal, unit: str) -> datetime:
    if unit == "days":
        return t + timedelta(microseconds=round(amount * 86_400_000_000))
    months = t.month - 1 + int(amount) * (12 if unit == "years" else 1)
    year, month = t.year + months // 12, months % 12 + 1
    return t.replace(year=year, month=month, day=min(t.day, monthrange(year, month)[1]))


# --- validation ---------------------------------------------------------------------------------------


def _wall(moment: datetime, tz: tzinfo, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {moment.isoformat()}")
    return moment.astimezone(tz).replace(tzinfo=None)


def _zone(calendar: Calendar, moment: datetime, name: str) -> tzinfo:
    """The calendar's time zone, else the moment's own (a naive moment is refused by _wall)."""
    tz = calendar.timezone or moment.tzinfo
    if tz is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {moment.isoformat()}")
    return tz


def _aware(wall: datetime, tz: tzinfo, like: datetime) -> datetime:
    return wall.replace(tzinfo=tz).astimezone(like.tzinfo)


def _amount(value, unit: str) -> Decimal:
    if unit not in UNITS:
        raise ValueError(f"unknown time-limit unit {unit!r}; expected one of {', '.join(UNITS)}")
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"time limit must be a number, got {value!r}")
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"time limit must be a finite number >= 0, got {value!r} {unit}")
    if unit in ("months", "years") and amount != amount.to_integral_value():
        raise ValueError(f"a limit in {unit} must be a whole number, got {value!r}")
    return amount


def _working_span(amount: Decimal, unit: str, cal: Calendar) -> timedelta:
    hours = amount * Decimal(str(cal.hours.hours_per_day)) if unit == "working_days" else amount
    return timedelta(microseconds=round(hours * 3_600_000_000))


def _pauses(pauses, tz: tzinfo, floor: datetime) -> list[tuple[datetime, datetime]]:
    """Pauses in wall time, sorted, checked, clipped to start no earlier than `floor`."""
    clean = []
    for start, end in pauses:
        s = _wall(start, tz, "pause start")
        if end is None:
            raise ValueError(PAUSED)
        e = _wall(end, tz, "pause end")
        if e < s:
            raise ValueError(f"pause ends ({end.isoformat()}) before it starts ({start.isoformat()})")
        clean.append((s, e))
    clean.sort()
    for (_s1, e1), (s2, _e2) in zip(clean, clean[1:], strict=False):
        if s2 < e1:
            raise ValueError(f"supplementation pauses overlap at {s2:%d/%m/%Y %H:%M}")
    return [(max(s, floor), e) for s, e in clean if e > floor]


# --- explanations ---------------------------------------------------------------------------------------


def _when(t: datetime) -> str:
    return f"{_(_WEEKDAYS[t.weekday()])} {t:%d/%m/%Y %H:%M}"


def _day(d: date) -> str:
    return f"{_(_WEEKDAYS[d.weekday()])} {d:%d/%m}"


def _num(x) -> str:
    return f"{float(x):.2f}".rstrip("0").rstrip(".")


_LIMIT_TEXTS = {
    "working_days_hours": lambda c: ngettext(
        "%(n)s working day (%(h)s working hours)", "%(n)s working days (%(h)s working hours)", c
    ),
    "working_days": lambda c: ngettext("%(n)s working day", "%(n)s working days", c),
    "hours": lambda c: ngettext("%(n)s working hour", "%(n)s working hours", c),
    "days": lambda c: ngettext("%(n)s calendar day", "%(n)s calendar days", c),
    "months": lambda c: ngettext("%(n)s month", "%(n)s months", c),
    "years": lambda c: ngettext("%(n)s year", "%(n)s years", c),
}


def _limit(amount: Decimal, unit: str, cal: Calendar, in_hours: bool = True) -> str:
    n, count = _num(amount), 1 if amount == 1 else 2
    key = "working_days_hours" if unit == "working_days" and in_hours else unit
    return _LIMIT_TEXTS[key](count) % {"n": n, "h": _num(amount * Decimal(str(cal.hours.hours_per_day)))}


def _reason(cal: Calendar, d: date) -> str:
    if d in cal.holiday_names:
        return _("public holiday: %(name)s") % {"name": cal.holiday_names[d]}
    return _("weekend") if d.weekday() >= 5 else _("day off")


def _skipped(cal: Calendar, first: date, last: date) -> list[str]:
    """'Skipped: Sat 04/10, Sun 05/10 (weekend); Thu 02/09 (public holiday: …)', runs of one reason."""
    days = [first + i * _DAY for i in range((last - first).days + 1)]
    off = [(d, _reason(cal, d)) for d in days if not cal.is_working_day(d)]
    runs = [
        f"{', '.join(_day(d) for d, _r in run)} ({reason})" for reason, run in groupby(off, lambda x: x[1])
    ]
    lines = [_("Skipped: %(days)s") % {"days": "; ".join(runs)}] if runs else []
    if worked := [_day(d) for d in days if d.weekday() >= 5 and cal.is_working_day(d)]:
        lines.append(
            _("Counted as working: %(days)s (compensatory working day)") % {"days": ", ".join(worked)}
        )
    return lines


# --- public API ---------------------------------------------------------------------------------------


def add_working_time(start: datetime, hours: float | Decimal, calendar: Calendar) -> datetime:
    """start + `hours` of working time, counted from the next working time if start is outside it.
    Adding 0 hours returns start unchanged."""
    tz = _zone(calendar, start, "start")
    wall, span = _wall(start, tz, "start"), _working_span(_amount(hours, "hours"), "hours", calendar)
    return _aware(_add(calendar, _start(calendar, wall), span), tz, start) if span else start


def working_hours_between(start: datetime, end: datetime, calendar: Calendar) -> float:
    """Working hours in [start, end)."""
    tz = _zone(calendar, start, "start")
    s, e = _wall(start, tz, "start"), _wall(end, tz, "end")
    if e < s:
        raise ValueError(f"end ({end.isoformat()}) is before start ({start.isoformat()})")
    return _between(calendar, s, e).total_seconds() / 3600


def timeliness(finished: datetime, due: datetime, *, tz: tzinfo | None = None) -> str:
    """'early', 'on_time' or 'late'; dates are compared in `tz` (default: due's own time zone)."""
    zone = tz or due.tzinfo
    if zone is None:
        raise ValueError(f"due must be a timezone-aware datetime, got naive {due.isoformat()}")
    f, d = _wall(finished, zone, "finished"), _wall(due, zone, "due")
    return "late" if f > d else "early" if f.date() < d.date() else "on_time"


def due_date(
    received: datetime,
    value: Decimal | int | float,
    unit: str,
    calendar: Calendar,
    *,
    same_day: bool = False,
    pauses: Sequence[tuple[datetime, datetime | None]] = (),
    extensions: Sequence[tuple[Decimal | int, str]] = (),
) -> Due:
    """The due moment and the steps that led to it. `value` and `unit` are ignored when same_day."""
    tz = _zone(calendar, received, "received")
    got = _wall(received, tz, "received")
    working = same_day or unit in WORKING_UNITS
    amount = Decimal(0) if same_day else _amount(value, unit)
    start = _start(calendar, got) if working else got
    lines = [_("Received %(when)s") % {"when": _when(got)}]
    if start != got:
        lines[0] = _("Received %(when)s, outside working time: counting starts %(start)s") % {
            "when": _when(got),
            "start": _when(start),
        }
    if same_day:
        due = _same_day(calendar, start, lines)
    elif working:
        due = _add(calendar, start, _working_span(amount, unit, calendar))
        lines.append(_("Limit %(limit)s") % {"limit": _limit(amount, unit, calendar)})
    else:
        due = _add_calendar(got, amount, unit)
        lines.append(
            _("Limit %(limit)s: %(due)s") % {"limit": _limit(amount, unit, calendar), "due": _when(due)}
        )
    due = _apply_pauses(calendar, due, _pauses(pauses, tz, start), working, lines)
    for ext_value, ext_unit in extensions:
        due = _extend(calendar, due, _amount(ext_value, ext_unit), ext_unit, lines)
    if working:
        lines[2:2] = _skipped(calendar, got.date(), due.date())
    lines.append(_("Due %(when)s") % {"when": _when(due)})
    return Due(_aware(due, tz, received), lines)


def _same_day(cal: Calendar, start: datetime, lines: list[str]) -> datetime:
    cutoff = cal.hours.same_day_cutoff
    day = start.date()
    if start.time() > cutoff:
        day = _start(cal, datetime.combine(day + _DAY, time())).date()
    lines.append(
        _("Same-day procedure, cut-off %(cutoff)s: result due at the end of %(day)s")
        % {"cutoff": f"{cutoff:%H:%M}", "day": _day(day)}
    )
    return _periods(cal, day)[-1][1]


def _apply_pauses(cal: Calendar, due: datetime, pauses, working: bool, lines: list[str]) -> datetime:
    for s, e in pauses:
        extra = _between(cal, s, e) if working else e - s
        due = _add(cal, due, extra) if working else due + extra
        hours = {"n": _num(extra.total_seconds() / 3600)}
        added = _("+%(n)s working hours") % hours if working else _("+%(n)s hours (calendar time)") % hours
        lines.append(
            _("Paused for supplementation %(start)s – %(end)s: %(added)s")
            % {"start": f"{s:%d/%m %H:%M}", "end": f"{e:%d/%m %H:%M}", "added": added}
        )
    return due if working else _landing(cal, due, lines)


def _extend(cal: Calendar, due: datetime, amount: Decimal, unit: str, lines: list[str]) -> datetime:
    working = unit in WORKING_UNITS
    due = _add(cal, due, _working_span(amount, unit, cal)) if working else _add_calendar(due, amount, unit)
    limit = _limit(amount, unit, cal, in_hours=False)
    lines.append(_("Extended by %(limit)s (Form 04): %(due)s") % {"limit": limit, "due": _when(due)})
    return due if working else _landing(cal, due, lines)


def _landing(cal: Calendar, t: datetime, lines: list[str]) -> datetime:
    pushed = _push(cal, t)
    if pushed != t:
        lines.append(
            _("%(when)s is outside working time: moved to %(to)s") % {"when": _when(t), "to": _when(pushed)}
        )
    return pushed

"""How the forms write dates, times, places, names, time limits and timeliness (Vietnamese usage)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from .. import deadlines
from ..models import Status
from .labels import TIME_UNITS

# Administrative-unit words stripped from an agency name to get the place on the date line.
_UNIT_PREFIXES = ("Ủy ban nhân dân ", "UBND ")
_UNIT_WORDS = ("thành phố ", "tỉnh ", "phường ", "xã ", "đặc khu ", "thị trấn ")


def local(moment: datetime.datetime | None) -> datetime.datetime | None:
    if moment is None:
        return None
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def format_datetime(moment: datetime.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in local time; empty for no time."""
    moment = local(moment)
    return moment.strftime("%d/%m/%Y %H:%M") if moment else ""


def format_appointment(moment: datetime.datetime | None) -> str:
    """'16 giờ 30 phút, ngày 07/10/2025', the wording of the receipt slip."""
    moment = local(moment)
    if moment is None:
        return ""
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def date_line(day: datetime.date) -> str:
    """'ngày 03 tháng 10 năm 2025': days below 10 and the months 1 and 2 take a leading zero
    (Decree 30/2020/NĐ-CP, on the date of an administrative document)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_name(agency) -> str:
    """The locality written before the date: the commune or province the agency belongs to.

    The Agency model has no place-name field, so the name is read off the nearest commune- or
    province-level People's Committee up the tree ("Ủy ban nhân dân phường An Phú" -> "An Phú")."""
    seen = set()
    while agency is not None and agency.pk not in seen:
        seen.add(agency.pk)
        if agency.kind in ("commune", "province"):
            name = agency.name
            for prefix in _UNIT_PREFIXES:
                if name.startswith(prefix):
                    rest = name[len(prefix) :]
                    for word in _UNIT_WORDS:
                        if rest.lower().startswith(word):
                            return rest[len(word) :].strip()
                    return rest.strip()
        agency = agency.parent
    return "……………"


def person_name(user) -> str:
    """The full name in Vietnamese order, family name first ("Trần Thị Bình" is last_name "Trần Thị",
    first_name "Bình", as accounts/demo.py stores it; Django's get_full_name() gives "Bình Trần Thị")."""
    if user is None:
        return ""
    return (
        " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part)
        or user.get_username()
    )


def person_with_unit(user) -> str:
    name = person_name(user)
    if user is not None and getattr(user, "agency", None) is not None:
        return f"{name} ({user.agency.name})"
    return name


def timeliness(dossier, now: datetime.datetime | None = None) -> str:
    """'early', 'on_time', 'late' or '' for a dossier against its appointment.

    The end is processing_ended_at, else returned_at. Early: ended on a day before the due day.
    On time: ended by the due time. Late: ended after it, or still open with the due time passed."""
    due = dossier.due_at
    if due is None:
        return ""
    end = dossier.processing_ended_at or dossier.returned_at
    if end is None:
        if dossier.status in (Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.STOPPED):
            return ""
        return "late" if (now or timezone.now()) > due else ""
    # Both in local time, so "an earlier day" means a local calendar day.
    return deadlines.timeliness(local(end), local(due))


def format_number(value) -> str:
    """3 -> '3', Decimal('2.50') -> '2,5' (Vietnamese decimal comma)."""
    text = f"{Decimal(str(value)).normalize():f}"
    return text.replace(".", ",")


def time_limit(dossier) -> str:
    if dossier.same_day:
        return "Trong ngày"
    if dossier.limit_value is None:
        return ""
    value = format_number(dossier.limit_value)
    return f"{value} {TIME_UNITS.get(dossier.limit_unit, dossier.limit_unit)}".strip()

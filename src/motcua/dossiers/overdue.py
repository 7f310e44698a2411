"""The deadline scan: run every few minutes by the worker.

- warns the assignee and their unit's leaders when a dossier, or its current step, falls due within
  MOTCUA_DUE_WARNING_HOURS working hours (once per dossier);
- predicts lateness: the working time still needed (what is left of the current step's budget, the
  budgets of the steps after it, and the dossiers queued before it at the same step) against the working
  time left before the due date;
- drafts a Form 04 apology-and-extension letter for a leader when a dossier is predicted late or overdue.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.core.tasks.mail import queue_email

from . import deadlines, schedule
from .models import CLOCK_RUNNING, Dossier
from .services import draft_apology

# Below a minute of working time a dossier is on time: step budgets add up exactly to the legal limit.
TOLERANCE_HOURS = 1 / 60


def needed_hours(dossier: Dossier, calendar, moment=None) -> float:
    moment = moment or timezone.now()
    steps = schedule.workflow(dossier.case, dossier.limit_value, dossier.limit_unit)
    position = next((i for i, s in enumerate(steps) if s.pk == dossier.step_id), 0)
    current = steps[position]
    spent = (
        deadlines.working_hours_between(dossier.step_started_at, moment, calendar)
        if dossier.step_started_at and dossier.step_started_at < moment
        else 0.0
    )
    later = sum(float(s.hours) for s in steps[position + 1 :])
    ahead = Dossier.objects.filter(
        unit=dossier.unit, step=dossier.step, status__in=CLOCK_RUNNING, due_at__lt=dossier.due_at
    ).count()
    staff = max(User.objects.filter(agency=dossier.unit, role=current.role, is_active=True).count(), 1)
    # Dossiers ahead at this step share the step's officers; each needs a fraction of the budget.
    queue = ahead / staff * float(current.hours) * 0.25
    return max(float(current.hours) - spent, 0.0) + later + queue


def _warn(dossier: Dossier, hours_left: float) -> None:
    """Queue the warning as its own mail task (a mail server that is down never stops the scan), keyed
    by dossier and due date so that a repeated scan or a retried task sends it once."""
    leaders = User.objects.filter(agency=dossier.unit, role=Role.LEADER, is_active=True)
    recipients = {u.email for u in [dossier.assignee, *leaders] if u and u.email}
    if recipients:
        due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
        queue_email(
            f"due-warning:{dossier.pk}:{dossier.due_at:%Y%m%d%H%M}",
            f"Hồ sơ {dossier.code} sắp đến hạn",
            f"Hồ sơ {dossier.code} ({dossier.procedure.name}) "
            f"đến hạn lúc {due}, còn {hours_left:.1f} giờ làm việc.",
            sorted(recipients),
        )
    dossier.overdue_warned_at = timezone.now()


def scan(moment=None) -> dict:
    moment = moment or timezone.now()
    counts = {"scanned": 0, "warned": 0, "predicted_late": 0, "apologies": 0}
    open_dossiers = Dossier.objects.filter(status__in=CLOCK_RUNNING, due_at__isnull=False).select_related(
        "agency", "unit", "step", "case", "assignee", "procedure"
    )
    calendars: dict[int, deadlines.Calendar] = {}
    for dossier in open_dossiers.iterator(chunk_size=500):
        counts["scanned"] += 1
        calendar = calendars.setdefault(dossier.agency_id, schedule.calendar_for(dossier.agency))
        left = (
            deadlines.working_hours_between(moment, dossier.due_at, calendar)
            if moment < dossier.due_at
            else 0.0
        )
        step_due = schedule.step_due(dossier)
        step_left = (
            deadlines.working_hours_between(moment, step_due, calendar)
            if (step_due and moment < step_due)
            else 0.0
        )
        needed = needed_hours(dossier, calendar, moment) if dossier.step_id else 0.0
        late = left + TOLERANCE_HOURS < needed or moment > dossier.due_at
        fields = []
        if late != dossier.predicted_late:
            dossier.predicted_late = late
            fields.append("predicted_late")
        if not dossier.overdue_warned_at and min(left, step_left) <= settings.DUE_WARNING_HOURS:
            _warn(dossier, left)
            fields.append("overdue_warned_at")
            counts["warned"] += 1
        if fields:
            Dossier.objects.filter(pk=dossier.pk).update(**{f: getattr(dossier, f) for f in fields})
        if late:
            counts["predicted_late"] += 1
            if not dossier.apologies.exists():  # one automatic draft per dossier; officials may add more
                days = max(1, math.ceil((needed - left) / 8))
                draft_apology(
                    dossier,
                    reason="Hồ sơ dự kiến không kịp trả đúng hẹn do khối lượng xử lý còn lại "
                    "vượt quá thời gian còn lại.",
                    extra_value=Decimal(days),
                )
                counts["apologies"] += 1
    return counts

"""Background work for dossiers: notices to citizens and the overdue scan."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Dossier
from .notify import CITIZEN_MESSAGES


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else "—"


@task()
def send_citizen_notice(dossier_id: int, kind: str) -> bool:
    dossier = Dossier.objects.select_related("procedure", "agency").get(pk=dossier_id)
    subject, line = CITIZEN_MESSAGES[kind]
    values = {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "agency": dossier.agency.name,
        "due": _when(dossier.due_at),
        "supplement_due": _when(dossier.supplement_due_at),
    }
    from .services import tracking_url

    body = f"{line.format(**values)}\n\nTra cứu: {tracking_url(dossier)}\n"
    send_mail(subject.format(**values), body, settings.DEFAULT_FROM_EMAIL, [dossier.applicant_email])
    return True


SCAN_EVERY = datetime.timedelta(minutes=10)


@task()
def scan_deadlines() -> dict:
    """Warn before steps and dossiers fall due, flag predicted lateness, draft Form 04 letters; then
    book the next scan. A periodic job with no cron: the queue itself carries the schedule."""
    from .overdue import scan

    counts = scan()
    schedule_scan(after=SCAN_EVERY)
    return counts


def schedule_scan(after: datetime.timedelta = datetime.timedelta(0)) -> bool:
    """Queue the next deadline scan unless one is already waiting. Returns whether it queued one."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=scan_deadlines.module_path, status="READY").exists()
    if not waiting:
        scan_deadlines.using(run_after=timezone.now() + after).enqueue()
    return not waiting


@task()
def generate_demo_dossiers(count: int = 300) -> int:
    """Demo dossiers take a minute (each result is rendered and signed), so the worker makes them."""
    from .demo import load

    return load(count)

"""Background work for dossiers: notices to citizens and the overdue scan."""

from __future__ import annotations

import smtplib

from django.utils import timezone
from django_tasks import task

from motcua.core.tasks.mail import deliver
from motcua.core.tasks.policy import retry_on

from .models import Dossier
from .notify import CITIZEN_MESSAGES


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else "—"


@retry_on(smtplib.SMTPException, OSError)
@task(takes_context=True)
def send_citizen_notice(context, dossier_id: int, kind: str) -> bool:
    """E-mail the applicant. Sent once per queued notice (keyed by its task id), retried while the mail
    server is down."""
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
    key = f"notice:{context.task_result.id}"
    return deliver(key, subject.format(**values), body, [dossier.applicant_email])


@task()
def scan_deadlines() -> dict:
    """Warn before steps and dossiers fall due, flag predicted lateness, draft Form 04 letters. A
    periodic job: the workers' scheduler enqueues it every MOTCUA_DEADLINE_SCAN_SECONDS, once across all
    workers (settings.PERIODIC_TASKS, core.tasks.scheduler); its warnings go out as separate mail tasks."""
    from .overdue import scan

    return scan()


@task()
def generate_demo_dossiers(count: int = 300) -> int:
    """Demo dossiers take a minute (each result is rendered and signed), so the worker makes them."""
    from .demo import load

    return load(count)

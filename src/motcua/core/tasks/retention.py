"""The daily retention job (settings.PERIODIC_TASKS "task-retention")."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import DeadLetter, SentMail, WorkerHeartbeat

BATCH = 1000


@task()
def prune_history() -> dict:
    """Delete finished task results older than MOTCUA_TASK_HISTORY_DAYS (never one with an open dead
    letter), the sent-mail keys of the same age, and heartbeats of workers gone for a day."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(days=settings.TASK_HISTORY_DAYS)
    old = (
        DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff
        )
        .exclude(pk__in=DeadLetter.objects.filter(resolved_at__isnull=True).values("result_id"))
        .order_by()
    )
    results = 0
    while pks := list(old.values_list("pk", flat=True)[:BATCH]):
        DeadLetter.objects.filter(result_id__in=pks).delete()
        results += DBTaskResult.objects.filter(pk__in=pks).delete()[0]
    mails = SentMail.objects.filter(sent_at__lt=cutoff).delete()[0]
    workers = WorkerHeartbeat.objects.filter(last_seen__lt=now - datetime.timedelta(days=1)).delete()[0]
    return {"task_results": results, "sent_mail": mails, "workers": workers}

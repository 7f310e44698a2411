"""What /healthz reports: a few indexed queries, counts and ages only (no personal data)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import DeadLetter, ScheduledJob, WorkerHeartbeat
from .scheduler import configured


def _age(moment, now) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def report() -> tuple[bool, dict]:
    """(all components up?, the JSON body)."""
    now = timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False, {"status": "down", "database": {"ok": False}}
    try:
        return _components(now)
    except DatabaseError:  # the tables are missing (not migrated yet) or the database went away
        return False, {"status": "down", "database": {"ok": False}}


def _components(now) -> tuple[bool, dict]:
    lease = settings.TASK_WORKER_LEASE
    fresh = now - datetime.timedelta(seconds=lease)
    last_beat = WorkerHeartbeat.objects.aggregate(last=Max("last_seen"))["last"]
    worker_age = _age(last_beat, now)
    worker = {
        "ok": last_beat is not None and last_beat >= fresh,
        "alive": WorkerHeartbeat.objects.filter(last_seen__gte=fresh).count(),
        "last_heartbeat_age_s": worker_age,
        "lease_s": lease,
    }
    jobs = {}
    rows = {job.name: job for job in ScheduledJob.objects.filter(name__in=configured())}
    for name, (_path, seconds) in configured().items():
        job = rows.get(name)
        window = datetime.timedelta(seconds=2 * seconds)
        if job is None:
            ok = False  # no worker has ever started its scheduler on this database
        elif job.last_success_at is not None:
            ok = now - job.last_success_at <= window
        else:
            ok = now - job.created_at <= window  # new: its first run may still be under way
        jobs[name] = {
            "ok": ok,
            "interval_s": seconds,
            "last_success_age_s": _age(job.last_success_at, now) if job else None,
        }
    scheduler = {"ok": all(j["ok"] for j in jobs.values()), "jobs": jobs}
    queue = {
        "ready": DBTaskResult.objects.filter(status=TaskResultStatus.READY).count(),
        "running": DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
    }
    dead = DeadLetter.objects.filter(resolved_at__isnull=True).count()
    ok = worker["ok"] and scheduler["ok"]
    body = {
        "status": "ok" if ok else "down",
        "database": {"ok": True},
        "worker": worker,
        "scheduler": scheduler,
        "queue": queue,
        "dead_letters": dead,
    }
    return ok, body

"""Periodic jobs without cron: every worker ticks, and each interval's run is enqueued exactly once.

Each job of settings.PERIODIC_TASKS has a row (`ScheduledJob`). A tick locks the rows whose
`next_run_at` has passed (`select_for_update(skip_locked=True)` on PostgreSQL; on SQLite the IMMEDIATE
transaction serialises the workers), enqueues the task and moves `next_run_at` to the next interval, in
the same transaction, so the enqueue and the booking commit together or not at all. The enqueued
result's `run_after` is the interval's slot, so the task list shows which interval a run belongs to.
A run that is still queued or running when the next interval comes is not doubled (the slot is skipped).
The job's outcome (`last_success_at`, `last_error`) is recorded by the worker after each run.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import ScheduledJob

log = logging.getLogger("motcua.core.tasks")


def configured() -> dict[str, tuple[str, int]]:
    """name -> (task path, interval in seconds), from settings.PERIODIC_TASKS."""
    return {
        name: (spec["task"], max(int(spec["seconds"]), 1)) for name, spec in settings.PERIODIC_TASKS.items()
    }


def sync(now: datetime.datetime) -> dict[str, tuple[str, int]]:
    """Create the rows of new jobs (first run: now) and follow changed settings."""
    jobs = configured()
    existing = {job.name: job for job in ScheduledJob.objects.filter(name__in=jobs)}
    for name, (path, seconds) in jobs.items():
        job = existing.get(name)
        if job is None:
            ScheduledJob.objects.get_or_create(
                name=name, defaults={"task_path": path, "interval_seconds": seconds, "next_run_at": now}
            )
        elif (job.task_path, job.interval_seconds) != (path, seconds):
            soonest = now + datetime.timedelta(seconds=seconds)
            ScheduledJob.objects.filter(pk=name).update(
                task_path=path, interval_seconds=seconds, next_run_at=min(job.next_run_at, soonest)
            )
    return jobs


def _pending(job: ScheduledJob) -> bool:
    return bool(job.last_result_id) and (
        DBTaskResult.objects.filter(
            pk=job.last_result_id, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).exists()
    )


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue the jobs that are due. Returns the names enqueued by this call."""
    now = now or timezone.now()
    jobs = sync(now)
    if not ScheduledJob.objects.filter(name__in=jobs, next_run_at__lte=now).exists():
        return []  # the common case: a read, no write lock
    enqueued = []
    with transaction.atomic():
        due = ScheduledJob.objects.select_for_update(skip_locked=True).filter(
            name__in=jobs, next_run_at__lte=now
        )
        for job in due:
            try:
                with transaction.atomic():  # one job's failure (a bad task path) never blocks the others
                    if _book(job, now):
                        enqueued.append(job.name)
            except Exception:
                log.exception("periodic job %s could not be queued", job.name)
    return enqueued


def _book(job: ScheduledJob, now: datetime.datetime) -> bool:
    """Move the job to its next interval and enqueue this interval's run. Returns whether it enqueued."""
    interval = datetime.timedelta(seconds=job.interval_seconds)
    missed = (now - job.next_run_at) // interval  # intervals that passed with no worker ticking
    slot = job.next_run_at + missed * interval
    job.next_run_at = slot + interval
    fields = ["next_run_at"]
    booked = False
    if _pending(job):
        log.info("periodic job %s: the previous run has not finished; skipping this interval", job.name)
    else:
        result = import_string(job.task_path).using(run_after=slot).enqueue()
        job.last_enqueued_at, job.last_result_id = now, result.id
        fields += ["last_enqueued_at", "last_result_id"]
        booked = True
    job.save(update_fields=fields)
    return booked


def record_outcome(result: DBTaskResult) -> None:
    """Note a finished run of a periodic job's task (any run of it counts, also one queued by hand)."""
    if result.task_path not in {path for path, _ in configured().values()}:
        return
    jobs = ScheduledJob.objects.filter(task_path=result.task_path)
    if result.status == TaskResultStatus.SUCCESSFUL:
        jobs.update(last_success_at=result.finished_at or timezone.now())
    elif result.status == TaskResultStatus.FAILED:
        lines = [line for line in (result.traceback or "").strip().splitlines() if line.strip()]
        error = (lines[-1] if lines else result.exception_class_path)[:300]
        jobs.update(last_failure_at=result.finished_at or timezone.now(), last_error=error)

"""Lost tasks and failed tasks: back to the queue, or to the dead letters.

django-tasks-db marks a task RUNNING with the claiming worker's id appended to `worker_ids`, so
`len(worker_ids)` counts the tries. A RUNNING task whose last worker has not beaten for a lease is lost:
`recover_lost` (run by every worker at start and every half lease) puts it back to READY, or after
MOTCUA_TASK_ATTEMPTS tries marks it FAILED ("worker lost") and records a dead letter.
"""

from __future__ import annotations

import datetime
import importlib
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import policy
from .models import DeadLetter, WorkerHeartbeat

log = logging.getLogger("motcua.core.tasks")


class WorkerLost(Exception):
    """The worker running the task stopped sending heartbeats (killed, out of memory, machine lost)."""


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.TASK_WORKER_LEASE)


def attempts_of(result: DBTaskResult) -> int:
    """Tries since the task was last put back by an administrator (each claim appends a worker id)."""
    earlier = DeadLetter.objects.filter(result_id=result.pk).aggregate(n=Sum("attempts"))["n"] or 0
    return max(len(result.worker_ids) - earlier, 0)


def _summary(result: DBTaskResult) -> str:
    lines = [line for line in (result.traceback or "").strip().splitlines() if line.strip()]
    return (lines[-1] if lines else result.exception_class_path)[:500]


def dead_letter(result: DBTaskResult, reason: str) -> DeadLetter:
    letter = DeadLetter.objects.create(
        result=result,
        task_path=result.task_path,
        reason=reason,
        error=_summary(result),
        attempts=attempts_of(result),
    )
    log.error(
        "task %s (%s) is a dead letter after %d tries: %s",
        result.pk,
        result.task_path,
        letter.attempts,
        letter.error,
    )
    try:  # handlers register when their task's module is imported; a fresh worker may not have it yet
        importlib.import_module(result.task_path.rpartition(".")[0])
    except ImportError:
        log.warning("task module of %s not found", result.task_path)
    for handler in policy.DEAD_LETTER_HANDLERS.get(result.task_path, []):
        try:
            handler(result)
        except Exception:
            log.exception("dead-letter handler for %s failed", result.task_path)
    return letter


def recover_lost(now: datetime.datetime | None = None) -> dict:
    """Requeue (or dead-letter) the RUNNING tasks whose worker has not beaten for a lease."""
    from .scheduler import record_outcome

    now = now or timezone.now()
    cutoff = now - lease()
    running = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).values_list(
            "id", "worker_ids"
        )
    )
    counts = {"requeued": 0, "dead": 0}
    if not running:
        return counts
    alive = set(WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True))
    for pk, worker_ids in running:
        if worker_ids and worker_ids[-1] in alive:
            continue
        with transaction.atomic():
            result = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if result is None or result.worker_ids != worker_ids:
                continue  # another worker dealt with it, or it was claimed again meanwhile
            attempts = attempts_of(result)
            lost = worker_ids[-1] if worker_ids else "?"
            beat = WorkerHeartbeat.objects.filter(pk=lost).first()
            where = (
                f" on {beat.host} (pid {beat.pid}), last seen {beat.last_seen:%Y-%m-%d %H:%M:%S}"
                if beat
                else ""
            )
            if attempts < settings.TASK_ATTEMPTS:
                result.status = TaskResultStatus.READY
                result.run_after = now
                result.save(update_fields=["status", "run_after"])
                counts["requeued"] += 1
                log.warning(
                    "task %s (%s) was running on lost worker %s%s: requeued (try %d of %d)",
                    pk,
                    result.task_path,
                    lost,
                    where,
                    attempts + 1,
                    settings.TASK_ATTEMPTS,
                )
            else:
                result.set_failed(
                    WorkerLost(f"worker {lost}{where} stopped sending heartbeats; tried {attempts} times")
                )
                dead_letter(result, DeadLetter.Reason.LOST)
                record_outcome(result)
                counts["dead"] += 1
    return counts


def _retryable(result: DBTaskResult) -> tuple[bool, bool]:
    """(retry?, interrupted?) for a task that just failed."""
    if result.exception_class_path in policy.INTERRUPTED:
        return True, True
    passing = policy.RETRYABLE.get(result.task_path)
    if not passing:
        return False, False
    try:
        raised = import_string(result.exception_class_path)
    except ImportError:
        return False, False
    return isinstance(raised, type) and issubclass(raised, passing), False


def after_run(result: DBTaskResult) -> None:
    """Called by the worker after each task: note periodic jobs' outcomes, retry or dead-letter failures."""
    from .scheduler import record_outcome

    record_outcome(result)
    if result.status != TaskResultStatus.FAILED:
        return
    retry, interrupted = _retryable(result)
    attempts = attempts_of(result)
    if retry and attempts < settings.TASK_ATTEMPTS:
        delay = 0 if interrupted else policy.retry_delay(attempts)
        DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now() + datetime.timedelta(seconds=delay),
            finished_at=None,
        )
        log.warning(
            "task %s (%s) failed (%s): retry %d of %d in %.0f s",
            result.pk,
            result.task_path,
            _summary(result),
            attempts + 1,
            settings.TASK_ATTEMPTS,
            delay,
        )
        return
    dead_letter(result, DeadLetter.Reason.LOST if interrupted else DeadLetter.Reason.ERROR)


def retry_dead_letters(letters) -> int:
    """Put dead letters' tasks back in the queue (the admin's "retry" action). Returns how many."""
    now = timezone.now()
    done = 0
    with transaction.atomic():
        for letter in letters.select_for_update().filter(resolved_at__isnull=True):
            DBTaskResult.objects.filter(pk=letter.result_id, status=TaskResultStatus.FAILED).update(
                status=TaskResultStatus.READY, run_after=now, finished_at=None
            )
            letter.resolved_at, letter.resolution = now, DeadLetter.Resolution.RETRIED
            letter.save(update_fields=["resolved_at", "resolution"])
            done += 1
    return done


def dismiss_dead_letters(letters) -> int:
    return letters.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolution=DeadLetter.Resolution.DISMISSED
    )

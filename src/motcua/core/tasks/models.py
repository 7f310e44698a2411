"""Tables of the worker's resilience (app label `core`)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class WorkerHeartbeat(models.Model):
    """One running worker process. It refreshes `last_seen` every few seconds from a thread; a worker
    whose row is older than the lease (MOTCUA_WORKER_LEASE) is dead, and its running tasks are retried."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    started_at = models.DateTimeField(_("started at"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class ScheduledJob(models.Model):
    """A periodic job (settings.PERIODIC_TASKS). Whoever locks the row once `next_run_at` has passed
    enqueues the task and moves `next_run_at` on, in one transaction: once per interval, any workers."""

    name = models.CharField(_("name"), max_length=64, primary_key=True)
    task_path = models.CharField(_("task"), max_length=200)
    interval_seconds = models.PositiveIntegerField(_("every (seconds)"))
    next_run_at = models.DateTimeField(_("next run"), db_index=True)
    last_enqueued_at = models.DateTimeField(_("last queued"), null=True, blank=True)
    last_result_id = models.UUIDField(_("last task result"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last successful run"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failed run"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DeadLetter(models.Model):
    """A task that will not run again by itself: it failed, or its workers kept dying, `attempts` times.
    An administrator retries it (back to the queue) or dismisses it."""

    class Reason(models.TextChoices):
        LOST = "lost", _("worker lost")
        ERROR = "error", _("failed")

    class Resolution(models.TextChoices):
        RETRIED = "retried", _("retried")
        DISMISSED = "dismissed", _("dismissed")

    result = models.ForeignKey(
        DBTaskResult, on_delete=models.CASCADE, related_name="+", verbose_name=_("task result")
    )
    task_path = models.CharField(_("task"), max_length=200)
    reason = models.CharField(_("reason"), max_length=8, choices=Reason.choices)
    error = models.CharField(_("error"), max_length=500, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, db_index=True)
    resolution = models.CharField(_("resolution"), max_length=10, choices=Resolution.choices, blank=True)

    class Meta:
        verbose_name = _("dead letter")
        verbose_name_plural = _("dead letters")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.task_path} ({self.get_reason_display()})"


class SentMail(models.Model):
    """The key of an e-mail already handed to the mail server, so that a retried task never sends it
    twice (see core.tasks.mail)."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key

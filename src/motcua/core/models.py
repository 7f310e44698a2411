"""Shared plumbing that needs a table."""

from django.db import models


class RateCounter(models.Model):
    """Uses of one throttle key in one fixed time window (see `core.throttle`)."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key} = {self.count}"


# The worker's resilience keeps its tables beside its code (core/tasks/); imported here so Django sees them.
from .tasks.models import DeadLetter, ScheduledJob, SentMail, WorkerHeartbeat  # noqa: E402, F401

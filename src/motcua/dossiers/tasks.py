"""The dossiers' periodic job, the overdue scan. The other tasks live beside their work:
notify.send_citizen_notice and demo.generate_demo_dossiers (imported here too, so that tasks queued
under their former paths still run)."""

from __future__ import annotations

from django_tasks import task

from .demo import generate_demo_dossiers  # noqa: F401
from .notify import send_citizen_notice  # noqa: F401
from .overdue import scan


@task()
def scan_deadlines() -> dict:
    """Warn before steps and dossiers fall due, flag predicted lateness, draft Form 04 letters. A
    periodic job: the workers' scheduler enqueues it every MOTCUA_DEADLINE_SCAN_SECONDS, once across all
    workers (settings.PERIODIC_TASKS, core.tasks.scheduler); its warnings go out as separate mail tasks."""
    return scan()

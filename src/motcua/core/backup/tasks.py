"""The daily backup as a task, for settings.PERIODIC_TASKS:

"backup": {"task": "motcua.core.backup.tasks.scheduled_backup", "seconds": 24 * 3600},
"""

from __future__ import annotations

import logging

from django.conf import settings
from django_tasks import task

from . import configured_secret, run_scheduled_backup

log = logging.getLogger(__name__)


@task()
def scheduled_backup() -> dict:
    """Run the scheduled backup. Without a backup key a production server fails the job (so /healthz
    shows it), while the demo skips it with a warning; it never writes an unencrypted archive."""
    if configured_secret() is None and not getattr(settings, "PRODUCTION", False):
        log.warning("scheduled backup skipped: set MOTCUA_BACKUP_PASSPHRASE or MOTCUA_BACKUP_KEY_FILE")
        return {"skipped": "no backup key"}
    return run_scheduled_backup()

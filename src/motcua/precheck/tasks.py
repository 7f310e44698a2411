"""The pre-check runs in the worker. `schedule` (a dossier's files arrived, or an officer asked again)
and `schedule_try` (a citizen's check before submitting) queue it once the transaction commits; the
tasks run services.run_check."""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from motcua.core.tasks.policy import on_dead_letter
from motcua.dossiers.models import Dossier

from .cases import NAMED
from .models import Check, CheckStatus
from .services import TRY_DIR, purge_tries, run_check


@task()
def precheck_dossier(check_id: int) -> dict:
    return _summary(run_check(check_id))


@task()
def precheck_try(check_id: int) -> dict:
    """A citizen's check before submitting: the same run, on the files held for it (then deleted)."""
    return _summary(run_check(check_id))


def schedule(dossier: Dossier, case=None) -> Check:
    """Queue a check of the dossier as it is now, against `case` when an officer chose one (else the
    pre-check chooses); the task starts once the transaction commits."""
    check = Check.objects.create(dossier=dossier, case=case, case_reason=NAMED if case else "")
    transaction.on_commit(lambda: precheck_dossier.enqueue(check_id=check.pk))
    return check


def schedule_try(
    procedure, *, by, application: dict, files: list[tuple[str, bytes]], language: str = ""
) -> Check:
    """Hold the citizen's files in storage (under random names: the client's name is only shown)
    and queue their check; the task deletes them once read."""
    purge_tries()
    token = secrets.token_hex(12)
    uploads = [
        {"name": name[:255], "path": default_storage.save(f"{TRY_DIR}/{token}-{number}", ContentFile(data))}
        for number, (name, data) in enumerate(files, start=1)
    ]
    check = Check.objects.create(
        procedure=procedure, requested_by=by, application=application, uploads=uploads, language=language
    )
    transaction.on_commit(lambda: precheck_try.enqueue(check_id=check.pk))
    return check


def _summary(check) -> dict:
    if check is None:
        return {"status": "gone"}
    return {"status": check.status, "complete": check.complete, "timings_ms": check.timings_ms}


@on_dead_letter("motcua.precheck.tasks.precheck_dossier")
@on_dead_letter("motcua.precheck.tasks.precheck_try")
def _failed_for_good(result) -> None:
    """A check whose task ran out of tries (its worker kept dying) must not show "running" for ever."""
    check_id = result.args_kwargs["kwargs"]["check_id"]  # both are enqueued with check_id=...
    Check.objects.filter(pk=check_id).exclude(status=CheckStatus.DONE).update(
        status=CheckStatus.FAILED, error="worker lost", finished_at=timezone.now()
    )

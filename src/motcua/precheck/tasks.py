"""The pre-check runs in the worker: queued by services.schedule once the dossier's transaction
commits, or by services.schedule_try for a citizen's check before submitting."""

from __future__ import annotations

from django_tasks import task

from motcua.core.tasks.policy import on_dead_letter


@task()
def precheck_dossier(check_id: int) -> dict:
    from .services import run_check

    return _summary(run_check(check_id))


@task()
def precheck_try(check_id: int) -> dict:
    """A citizen's check before submitting: the same run, on the files held for it (then deleted)."""
    from .services import run_check

    return _summary(run_check(check_id))


def _summary(check) -> dict:
    if check is None:
        return {"status": "gone"}
    return {"status": check.status, "complete": check.complete, "timings_ms": check.timings_ms}


@on_dead_letter("motcua.precheck.tasks.precheck_dossier")
@on_dead_letter("motcua.precheck.tasks.precheck_try")
def _failed_for_good(result) -> None:
    """A check whose task ran out of tries (its worker kept dying) must not show "running" for ever."""
    from django.utils import timezone

    from .models import Check, CheckStatus

    check_id = result.args_kwargs["kwargs"]["check_id"]  # both are enqueued with check_id=...
    Check.objects.filter(pk=check_id).exclude(status=CheckStatus.DONE).update(
        status=CheckStatus.FAILED, error="worker lost", finished_at=timezone.now()
    )

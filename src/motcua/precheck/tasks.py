"""The pre-check runs in the worker: queued by services.schedule once the dossier's transaction commits."""

from __future__ import annotations

from django_tasks import task


@task()
def precheck_dossier(check_id: int) -> dict:
    from .services import run_check

    check = run_check(check_id)
    return {"status": check.status, "complete": check.complete, "timings_ms": check.timings_ms}

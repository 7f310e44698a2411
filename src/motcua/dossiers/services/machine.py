"""What every transition shares: lock and version check, move, event, due date, step hand-over."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .. import deadlines, schedule
from ..models import Dossier, Event, Status
from ..permissions import handles
from ..transitions import TransitionError
from .timing import now


class Conflict(TransitionError):
    """Someone else changed the dossier since this user loaded it."""


def _insert(rows: list) -> None:
    """New rows of one model, their primary keys set: one INSERT for a batch (bulk_create costs a
    single row a third more than save does, so a single row is saved)."""
    if len(rows) == 1:
        rows[0].save(force_insert=True)
    elif rows:
        type(rows[0]).objects.bulk_create(rows)


def _new_event(dossier: Dossier, action: str, by, from_status, to_status, **fields) -> Event:
    """The event, not yet saved (intake inserts a batch's events together)."""
    actor = by if by is not None and by.is_authenticated else None
    return Event(
        dossier=dossier,
        at=now(),
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        **fields,
    )


def _event(dossier: Dossier, action: str, by, from_status, to_status, **fields) -> Event:
    event = _new_event(dossier, action, by, from_status, to_status, **fields)
    event.save(force_insert=True)
    return event


def _lock(dossier: Dossier, version: int | None) -> Dossier:
    locked = (
        # Lock the dossier row only: the joined rows (the step may be absent) are read, not locked.
        Dossier.objects.select_for_update(of=("self",))
        .select_related("step", "agency", "unit", "procedure")
        .get(pk=dossier.pk)
    )
    if version is not None and locked.version != version:
        raise Conflict(
            _("Dossier %(code)s was changed by someone else a moment ago. Reload it and try again.")
            % {"code": locked.code}
        )
    return locked


def _official(user, dossier: Dossier, *roles: str) -> None:
    if not handles(user, dossier):
        raise PermissionDenied(_("This dossier is not handled by your unit."))
    if roles and user.role not in roles:
        raise PermissionDenied(_("Your role cannot do this."))


def _move(dossier: Dossier, action: str, by, to_status: int | None = None, **event_fields) -> Event:
    from_status = dossier.status
    if to_status is not None and to_status != dossier.status:
        dossier.previous_status, dossier.status = dossier.status, to_status
    dossier.version += 1
    dossier.save()
    return _event(dossier, action, by, from_status, dossier.status, **event_fields)


def _refresh_due(dossier: Dossier) -> None:
    if dossier.pauses.filter(ended_at__isnull=True).exists():
        return  # the clock is stopped; the due date is recomputed when the supplement arrives
    due = schedule.compute_due(dossier)
    dossier.due_at = due.at if due else None
    dossier.due_explanation = (
        due.explanation if due else [_("The catalogue gives no time limit for this procedure.")]
    )


def _enter_step(dossier: Dossier, step, assignee=None) -> None:
    dossier.step, dossier.step_started_at, dossier.assignee = step, now(), assignee


def _leave_step(dossier: Dossier) -> dict:
    """Fields of the hand-over event: the step left, its due time and whether it was early/on time/late."""
    due = schedule.step_due(dossier)
    timeliness = deadlines.timeliness(now(), due, tz=deadlines.VIETNAM) if due else ""
    return {"step": dossier.step, "step_due_at": due, "timeliness": timeliness}


def _steps(dossier: Dossier):
    return schedule.workflow(dossier.case, dossier.limit_value, dossier.limit_unit)


def _next_step(dossier: Dossier):
    steps = _steps(dossier)
    position = next((i for i, s in enumerate(steps) if s.pk == dossier.step_id), -1)
    if position + 1 >= len(steps):
        raise TransitionError(_("Dossier %(code)s is at its last step.") % {"code": dossier.code})
    return steps[position + 1]


def _receive(dossier: Dossier, by) -> Event:
    dossier.received_at, dossier.received_by = now(), by
    _refresh_due(dossier)
    _enter_step(dossier, _steps(dossier)[0], by)
    # The first step starts at the moment of reception, not a few milliseconds later: the step budgets
    # add up to the legal limit, so any gap would make a fresh dossier look late to the scan.
    dossier.step_started_at = dossier.received_at
    return _move(dossier, "receive", by, Status.RECEIVED, receiver=by, receiver_agency=dossier.unit)

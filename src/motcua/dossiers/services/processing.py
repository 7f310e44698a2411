"""Processing: forward, transfer, attach and approve (sign) the result, send back, coordination."""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.core.files import check_upload

from .. import deadlines, notify, schedule, transitions
from ..models import Coordination, Dossier, Status
from ..transitions import TransitionError
from .machine import _enter_step, _leave_step, _lock, _move, _next_step, _steps
from .timing import now


@transaction.atomic
def forward(dossier: Dossier, *, by, to=None, note: str = "", version: int | None = None) -> Dossier:
    """Hand the dossier to the next step of its workflow (optionally to a named officer)."""
    dossier = _lock(dossier, version)
    transitions.check("forward", by, dossier)
    nxt = _next_step(dossier)
    if dossier.step and dossier.step.role == Role.PROCESSING and not dossier.result:
        raise TransitionError(_("Attach the result before sending the dossier on for approval."))
    _check_receiver(to, dossier, nxt.role)
    handover = _leave_step(dossier)
    _enter_step(dossier, nxt, to)
    _move(
        dossier,
        "forward",
        by,
        Status.PROCESSING,
        receiver=to,
        receiver_agency=dossier.unit,
        note=note,
        **handover,
    )
    return dossier


def _check_receiver(to, dossier: Dossier, role: str) -> None:
    if to is not None and (to.role != role or to.agency_id not in (dossier.unit_id, dossier.agency_id)):
        raise ValidationError(
            _("%(name)s cannot take this step.") % {"name": to.get_full_name() or to.username}
        )


@transaction.atomic
def transfer(
    dossier: Dossier, *, by, to=None, unit=None, note: str = "", version: int | None = None
) -> Dossier:
    """Reassign the current step to another officer, or move the dossier to another unit."""
    dossier = _lock(dossier, version)
    transitions.check("transfer", by, dossier)
    if unit is not None:
        dossier.unit, to = unit, None
    if to is not None:
        _check_receiver(to, dossier, dossier.step.role if dossier.step else to.role)
    dossier.assignee = to
    _move(dossier, "transfer", by, receiver=to, receiver_agency=dossier.unit, note=note)
    return dossier


@transaction.atomic
def attach_result(dossier: Dossier, *, by, upload=None, version: int | None = None) -> Dossier:
    """The processing officer attaches the result document (a PDF), or has one generated."""
    dossier = _lock(dossier, version)
    transitions.check("attach_result", by, dossier)
    dossier.verify_token = dossier.verify_token or secrets.token_urlsafe(16)
    if upload is not None:
        info = check_upload(upload)
        if info.content_type != "application/pdf":
            raise ValidationError(_("The result must be a PDF, so that it can be signed."))
        content = upload.read()
    else:
        from ..results import render_result

        content = render_result(dossier, official=by)
    dossier.result.save(f"{dossier.code}.pdf", ContentFile(content), save=False)
    _move(dossier, "attach_result", by)
    return dossier


@transaction.atomic
def approve(dossier: Dossier, *, by, note: str = "", version: int | None = None) -> Dossier:
    """The leader approves: the result is signed (PAdES) and the dossier goes to be returned (status 9)."""
    from motcua.core.backends import agency_signer

    dossier = _lock(dossier, version)
    transitions.check("approve", by, dossier)
    if not dossier.result:
        raise TransitionError(_("There is no result to approve."))
    with dossier.result.open("rb") as handle:
        unsigned = handle.read()
    signed = agency_signer().sign(
        unsigned,
        reason=_("Approved by %(name)s") % {"name": by.get_full_name()},
        location=dossier.agency.name,
    )
    dossier.result.save(f"{dossier.code}.pdf", ContentFile(signed), save=False)
    dossier.result_sha256 = hashlib.sha256(signed).hexdigest()
    dossier.result_signed_at = dossier.processing_ended_at = now()
    handover = _leave_step(dossier)
    _enter_step(dossier, _next_step(dossier))
    _move(dossier, "approve", by, Status.PROCESSED, note=note, **handover)
    notify.dossier_changed(dossier, "result_ready")
    return dossier


@transaction.atomic
def send_back(dossier: Dossier, *, by, note: str, version: int | None = None) -> Dossier:
    """The leader returns the dossier to the processing step with a note."""
    dossier = _lock(dossier, version)
    transitions.check("send_back", by, dossier)
    if not note.strip():
        raise ValidationError(_("Say why the dossier is sent back."))
    steps = _steps(dossier)
    processing = next(s for s in steps if s.role == Role.PROCESSING)
    handover = _leave_step(dossier)
    _enter_step(dossier, processing)
    _move(dossier, "send_back", by, note=note, **handover)
    return dossier


@transaction.atomic
def request_coordination(
    dossier: Dossier, *, by, agency, question: str, hours: Decimal | int = 16, version: int | None = None
) -> Coordination:
    """Ask another agency for its opinion or action, within a budget of working hours."""
    dossier = _lock(dossier, version)
    transitions.check("request_coordination", by, dossier)
    if agency.pk in (dossier.unit_id, dossier.agency_id):
        raise ValidationError(_("Choose another agency than the one handling the dossier."))
    if not question.strip():
        raise ValidationError(_("Say what the coordinating agency is asked."))
    moment = now()
    due = deadlines.add_working_time(moment, Decimal(hours), schedule.calendar_for(dossier.agency))
    coordination = Coordination.objects.create(
        dossier=dossier, agency=agency, question=question, requested_at=moment, requested_by=by, due_at=due
    )
    _move(dossier, "request_coordination", by, receiver_agency=agency, step_due_at=due, note=question)
    return coordination


@transaction.atomic
def answer_coordination(coordination: Coordination, *, by, answer: str) -> Coordination:
    """The coordinating agency answers; the hand-back is timed against its budget (Form 06)."""
    coordination = (
        Coordination.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=coordination.pk)
    )
    if not (by.is_authenticated and by.is_official and by.agency_id == coordination.agency_id):
        raise PermissionDenied(_("Only the agency asked can answer."))
    if coordination.answered_at:
        raise TransitionError(_("This request was already answered."))
    if not answer.strip():
        raise ValidationError(_("Write the answer."))
    dossier = _lock(coordination.dossier, None)
    coordination.answer, coordination.answered_at, coordination.answered_by = answer, now(), by
    coordination.save(update_fields=["answer", "answered_at", "answered_by"])
    _move(
        dossier,
        "answer_coordination",
        by,
        receiver_agency=dossier.unit,
        step_due_at=coordination.due_at,
        timeliness=deadlines.timeliness(coordination.answered_at, coordination.due_at, tz=deadlines.VIETNAM),
        note=answer,
    )
    return coordination

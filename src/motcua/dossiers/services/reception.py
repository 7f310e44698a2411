"""The reception desk's transitions: receive, refuse, request a supplement (Form 02), supplement."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import deadlines, notify, schedule, transitions
from ..models import AttachmentKind, Dossier, Pause, Status
from .intake import _checked, _files_arrived, _save_attachments, _store
from .machine import _lock, _move, _receive, _refresh_due
from .timing import now


@transaction.atomic
def receive(dossier: Dossier, *, by, version: int | None = None) -> Dossier:
    dossier = _lock(dossier, version)
    transitions.check("receive", by, dossier)
    _receive(dossier, by)
    notify.dossier_changed(dossier, "received")
    return dossier


@transaction.atomic
def refuse(dossier: Dossier, *, by, reason: str, version: int | None = None) -> Dossier:
    dossier = _lock(dossier, version)
    transitions.check("refuse", by, dossier)
    if not reason.strip():
        raise ValidationError(_("A refusal must state its reasons."))
    dossier.closed_at = now()
    for pause in dossier.pauses.filter(ended_at__isnull=True):
        pause.ended_at = dossier.closed_at
        pause.save(update_fields=["ended_at"])
    _move(dossier, "refuse", by, Status.NOT_ACCEPTED, note=reason)
    notify.dossier_changed(dossier, "refused")
    return dossier


@transaction.atomic
def request_supplement(
    dossier: Dossier, *, by, items: list[dict], reason: str = "", version: int | None = None
) -> Dossier:
    """Form 02: pause the clock and ask for the listed components, each with its reason."""
    dossier = _lock(dossier, version)
    transitions.check("request_supplement", by, dossier)
    if not items or any(not str(item.get("reason", "")).strip() for item in items):
        raise ValidationError(_("List each component to supplement with its reason."))
    moment = now()
    Pause.objects.create(
        dossier=dossier,
        kind="supplement",
        reason=reason or "; ".join(i["reason"] for i in items),
        items=items,
        started_at=moment,
        requested_by=by,
    )
    dossier.supplement_requests += 1
    dossier.supplement_due_at = deadlines.add_working_time(
        moment, settings.SUPPLEMENT_DAYS * 8, schedule.calendar_for(dossier.agency)
    )
    _move(dossier, "request_supplement", by, Status.SUPPLEMENT, note=reason)
    notify.dossier_changed(dossier, "supplement_requested")
    return dossier


@transaction.atomic
def supplement(
    dossier: Dossier, *, by, files: list[tuple[object, object]], note: str = "", version: int | None = None
) -> Dossier:
    """The applicant (or a reception officer for them) supplies the missing components: the clock resumes."""
    dossier = _lock(dossier, version)
    transitions.check("supplement", by, dossier)
    checked = _checked(files)
    if not checked:
        raise ValidationError(_("Attach the documents that were requested."))
    attachments = _store(dossier, checked, AttachmentKind.SUPPLEMENT, by)
    _save_attachments(attachments)
    for pause in dossier.pauses.filter(ended_at__isnull=True):
        pause.ended_at = now()
        pause.save(update_fields=["ended_at"])
    dossier.supplement_due_at = None
    back_to = dossier.previous_status or Status.SUBMITTED
    if dossier.received_at:
        _refresh_due(dossier)
    _move(dossier, "supplement", by, back_to, note=note)
    notify.dossier_changed(dossier, "supplemented")
    _files_arrived(dossier)
    return dossier

"""The end of a dossier: return the result, withdraw, stop (Form 05), and the applicant's rating."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import notify, transitions
from ..models import Dossier, Rating, ReturnMethod, Status
from ..transitions import TransitionError
from .machine import _event, _leave_step, _lock, _move
from .timing import now


@transaction.atomic
def return_result(
    dossier: Dossier, *, by, method: str = ReturnMethod.COUNTER, version: int | None = None
) -> Dossier:
    dossier = _lock(dossier, version)
    transitions.check("return_result", by, dossier)
    if method not in ReturnMethod.values:
        raise ValidationError(_("Unknown return method."))
    handover = _leave_step(dossier)
    dossier.returned_at = dossier.closed_at = now()
    dossier.return_method, dossier.assignee = method, None
    _move(dossier, "return_result", by, Status.RETURNED, **handover)
    notify.dossier_changed(dossier, "returned")
    return dossier


@transaction.atomic
def withdraw(dossier: Dossier, *, by, reason: str = "", version: int | None = None) -> Dossier:
    dossier = _lock(dossier, version)
    transitions.check("withdraw", by, dossier)
    dossier.closed_at = now()
    dossier.pauses.filter(ended_at__isnull=True).update(ended_at=dossier.closed_at)
    _move(dossier, "withdraw", by, Status.WITHDRAWN, note=reason)
    return dossier


@transaction.atomic
def stop(dossier: Dossier, *, by, reason: str, version: int | None = None) -> Dossier:
    """Form 05: a leader stops processing, with the reason."""
    dossier = _lock(dossier, version)
    transitions.check("stop", by, dossier)
    if not reason.strip():
        raise ValidationError(_("Stopping a dossier must state the reason."))
    dossier.closed_at = dossier.processing_ended_at = now()
    dossier.pauses.filter(ended_at__isnull=True).update(ended_at=dossier.closed_at)
    _move(dossier, "stop", by, Status.STOPPED, note=reason)
    notify.dossier_changed(dossier, "stopped")
    return dossier


@transaction.atomic
def rate(dossier: Dossier, *, by, convenience: int, overall: int, comment: str = "") -> Rating:
    dossier = _lock(dossier, None)
    transitions.check("rate", by, dossier)
    if hasattr(dossier, "rating"):
        raise TransitionError(_("This dossier has already been rated."))
    if convenience not in (0, 1, 2) or overall not in (0, 1, 2):
        raise ValidationError(_("Choose one answer for each question."))
    rating = Rating.objects.create(dossier=dossier, convenience=convenience, overall=overall, comment=comment)
    _event(dossier, "rate", by, dossier.status, dossier.status)
    return rating

"""Delays: the Form 04 apology, drafted by an official or the overdue scan and approved by a leader."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Role

from .. import notify, transitions
from ..models import Apology, Dossier
from ..transitions import TransitionError
from .machine import _event, _lock, _move, _official, _refresh_due
from .timing import now


@transaction.atomic
def draft_apology(
    dossier: Dossier,
    *,
    by=None,
    reason: str,
    extra_value: Decimal | int = 3,
    extra_unit: str = "working_days",
) -> Apology:
    """Form 04 draft (by an official, or by the overdue scan when `by` is None), for a leader to approve."""
    dossier = _lock(dossier, None)
    if by is not None:
        transitions.check("draft_apology", by, dossier)
    elif dossier.status not in transitions.RULES["draft_apology"].statuses:  # the scan, on a closed one
        raise transitions.NotNow(_("Dossier %(code)s is closed.") % {"code": dossier.code})
    pending = dossier.apologies.filter(approved_at__isnull=True).first()
    if pending:
        return pending
    apology = Apology.objects.create(
        dossier=dossier,
        reason=reason,
        extra_value=Decimal(extra_value),
        extra_unit=extra_unit,
        drafted_at=now(),
        drafted_by=by,
    )
    _event(dossier, "draft_apology", by, dossier.status, dossier.status, note=reason)
    return apology


@transaction.atomic
def approve_apology(apology: Apology, *, by) -> Dossier:
    """The leader approves the Form 04 letter: it is issued to the applicant and the deadline moves."""
    dossier = _lock(apology.dossier, None)
    _official(by, dossier, Role.LEADER)
    apology = Apology.objects.select_for_update().get(pk=apology.pk)
    if apology.approved_at:
        raise TransitionError(_("This apology was already approved."))
    apology.previous_due_at = dossier.due_at
    apology.approved_at, apology.approved_by = now(), by
    apology.save(update_fields=["approved_at", "approved_by", "previous_due_at"])
    _refresh_due(dossier)
    _move(dossier, "approve_apology", by, note=apology.reason)
    notify.dossier_changed(dossier, "extended")
    return dossier

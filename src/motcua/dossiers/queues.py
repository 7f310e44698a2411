"""The officials' work queues, each a filter over the dossiers the official may see."""

from __future__ import annotations

import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role

from .models import CLOCK_RUNNING, Coordination, Dossier, Status
from .permissions import visible_to

QUEUES = {
    "receive": _("To receive"),
    "process": _("To process"),
    "approval": _("Awaiting approval"),
    "due_soon": _("Due soon"),
    "overdue": _("Overdue"),
    "supplement": _("Awaiting supplement"),
    "return": _("Results to return"),
    "coordination": _("Asked to coordinate"),
    "all": _("All dossiers"),
}
DUE_SOON = datetime.timedelta(days=2)


def default_queue(user) -> str:
    return {Role.RECEPTION: "receive", Role.LEADER: "approval"}.get(user.role, "process")


def queue(user, name: str, *, text: str = "", procedure: str = "") -> QuerySet[Dossier]:
    now = timezone.now()
    dossiers = visible_to(user).select_related("procedure", "step", "assignee")
    filters = {
        "receive": Q(status=Status.SUBMITTED),
        "process": Q(status__in=CLOCK_RUNNING, step__role=user.role)
        & (Q(assignee=user) | Q(assignee__isnull=True)),
        "approval": Q(status=Status.PROCESSING, step__role=Role.LEADER),
        "due_soon": Q(status__in=CLOCK_RUNNING, due_at__gte=now, due_at__lt=now + DUE_SOON),
        "overdue": Q(status__in=CLOCK_RUNNING, due_at__lt=now),
        "supplement": Q(status=Status.SUPPLEMENT),
        "return": Q(status=Status.PROCESSED),
        "coordination": Q(
            pk__in=Coordination.objects.filter(agency_id=user.agency_id, answered_at__isnull=True).values(
                "dossier_id"
            )
        ),
        "all": Q(),
    }
    dossiers = dossiers.filter(filters[name])
    if text:
        dossiers = dossiers.filter(Q(code__iexact=text.strip()) | Q(applicant_name__icontains=text.strip()))
    if procedure:
        dossiers = dossiers.filter(procedure__code=procedure)
    if name == "all":
        return dossiers.order_by("-submitted_at")
    return dossiers.order_by(F("due_at").asc(nulls_last=True), "submitted_at")

"""The officials' work queues, each a filter over the dossiers the official may see."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role

from .models import CLOCK_RUNNING, Coordination, Dossier, Status, WorkflowStep
from .permissions import visible_to

COUNT_CAP = 10_000  # beyond this a queue shows "10,000+": counting a million rows helps nobody

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


def _held_by_unit(user) -> QuerySet[Dossier]:
    """The work queues list what the official's unit holds now (one index: unit, status, due date);
    a dossier transferred away leaves them, though its competent agency can still open it."""
    if user.role == Role.SYSTEM_ADMIN:
        return Dossier.objects.all()
    if not (user.is_official and user.agency_id):
        return Dossier.objects.none()
    return Dossier.objects.filter(unit_id=user.agency_id)


def _steps_for(role: str) -> list[int]:
    # A literal id list (a few hundred steps at most) lets the database use the (unit, status, due)
    # index; a join on the step's role made PostgreSQL intersect bitmaps per step (5x slower at 1M).
    return list(WorkflowStep.objects.filter(role=role).values_list("pk", flat=True))


def queue(user, name: str, *, text: str = "", procedure: str = "") -> QuerySet[Dossier]:
    now = timezone.now()
    base = visible_to(user) if name == "coordination" else _held_by_unit(user)
    dossiers = base.select_related("procedure", "step", "assignee")
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
        return dossiers.order_by("-submitted_at", "-pk")
    return dossiers.order_by(F("due_at").asc(nulls_last=True), "submitted_at")


def capped_count(queryset: QuerySet[Dossier]) -> int:
    """The size of a queue, counted up to COUNT_CAP + 1 rows only."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


class CappedPaginator(Paginator):
    """Pages over a queue whose total is counted only up to COUNT_CAP (the last pages of a huge
    "all dossiers" list are reached by filtering, not by paging)."""

    @cached_property
    def count(self) -> int:
        return capped_count(self.object_list)

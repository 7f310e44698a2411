"""Officials' workspace: the work queues, and the unit's register (Form 07) as a spreadsheet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from motcua.catalogue.models import Procedure

from .. import permissions, queues
from ..paperwork.register import register_xlsx


@login_required
def workspace(request):
    user = request.user
    if not user.is_official:
        raise PermissionDenied
    name = request.GET.get("queue") or queues.default_queue(user)
    if name not in queues.QUEUES:
        raise Http404
    text, procedure = request.GET.get("q", "")[:100], request.GET.get("procedure", "")[:40]
    page = queues.CappedPaginator(queues.queue(user, name, text=text, procedure=procedure), 25).get_page(
        request.GET.get("page")
    )
    counts = {
        key: f"{queues.COUNT_CAP}+" if n > queues.COUNT_CAP else n for key, n in queues.counts(user).items()
    }
    return render(
        request,
        "dossiers/workspace.html",
        {
            "queues": queues.QUEUES,
            "current": name,
            "page": page,
            "counts": counts,
            "q": text,
            "procedure": procedure,
            "procedures": Procedure.objects.filter(agencies=user.agency).order_by("name"),
        },
    )


@login_required
def register(request):
    """Form 07: the unit's dossier register as a spreadsheet."""
    user = request.user
    if not user.is_official:
        raise PermissionDenied
    # Only what the unit's own agency handles: never other agencies' dossiers it was asked to
    # coordinate on (their applicants' addresses and phones are not this register's business).
    dossiers = (
        permissions.handled_by(user)
        .exclude(received_at__isnull=True)
        .select_related("procedure")
        .order_by("received_at")
    )
    response = HttpResponse(
        register_xlsx(dossiers, agency=user.agency),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="so-theo-doi-ho-so.xlsx"'
    return response

"""Pre-check pages: the officer's checklist actions (re-run, accept or override a finding, Form 02 from
the accepted findings) and the citizen's check before submitting. Thin: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalogue.models import Procedure
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import can_see, handles

from . import findings as kinds
from . import pipeline, preflight, services
from .models import Finding

MAX_TRY_FILES = 10
TRY_LIMIT = 20  # checks a citizen may run in 10 minutes (OCR is expensive)


def _dossier(request, code: str) -> Dossier:
    dossier = get_object_or_404(Dossier.objects.select_related("procedure", "case", "agency"), code=code)
    if not can_see(request.user, dossier):
        raise Http404
    return dossier


def _official(request, dossier: Dossier) -> None:
    if not handles(request.user, dossier):
        raise PermissionDenied


@login_required
@require_POST
def rerun(request, code: str):
    dossier = _dossier(request, code)
    _official(request, dossier)
    services.schedule(dossier)
    messages.success(request, _("The pre-check was queued."))
    return redirect("dossiers:detail", code=code)


@login_required
@require_POST
def decide(request, code: str, pk: int):
    dossier = _dossier(request, code)
    finding = get_object_or_404(Finding, pk=pk, check_run__dossier=dossier)
    decision = request.POST.get("decision")
    if decision not in ("accept", "override"):
        raise Http404
    try:
        services.decide(
            finding, by=request.user, accept=decision == "accept", note=request.POST.get("note", "")
        )
    except PermissionDenied:
        raise Http404 from None
    return redirect(f"{dossier_url(code)}#precheck")


def dossier_url(code: str) -> str:
    return reverse("dossiers:detail", args=[code])


@login_required
def form_02(request, code: str):
    """The Form 02 draft listing the accepted findings, as a PDF, without changing the dossier."""
    from motcua.dossiers.documents import render_form

    dossier = _dossier(request, code)
    _official(request, dossier)
    check = services.latest(dossier)
    items = services.supplement_items(check) if check else []
    if not items:
        messages.error(request, _("Accept at least one finding first."))
        return redirect("dossiers:detail", code=code)
    reason = _("Supplement or complete the dossier as listed.")
    pdf = render_form("02", dossier, official=request.user, reason=reason, items=items)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-mau-02-du-thao.pdf"'
    return response


@login_required
@require_POST
def request_supplement(request, code: str):
    """Issue the supplementation request (Form 02) from the accepted findings: the clock pauses."""
    dossier = _dossier(request, code)
    _official(request, dossier)
    check = services.latest(dossier)
    items = services.supplement_items(check) if check else []
    try:
        if not items:
            raise ValidationError(_("Accept at least one finding first."))
        dossier_services.request_supplement(
            dossier, by=request.user, items=items, reason=_("Supplement or complete the dossier as listed.")
        )
        messages.success(request, _("The supplementation request was issued (Form 02)."))
    except (dossier_services.TransitionError, PermissionDenied, ValidationError) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("dossiers:detail", code=code)


@login_required
@require_POST
def try_submit(request, procedure_code: str):
    """A citizen checks the files on the submission form before submitting: the same pipeline, run at
    once on the uploads, nothing stored."""
    procedure = get_object_or_404(Procedure, code=procedure_code)
    key = f"precheck-try:{request.user.pk}"
    if cache.get_or_set(key, 0, timeout=600) >= TRY_LIMIT:
        return render(request, "precheck/try.html", {"procedure": procedure, "limited": True}, status=429)
    cache.incr(key)
    case = procedure.cases.first()
    uploads = [f for name in request.FILES for f in request.FILES.getlist(name)][:MAX_TRY_FILES]
    # One byte over the limit is enough for preflight to report the file as too large.
    files = [(upload.name, upload.read(preflight.MAX_BYTES + 1)) for upload in uploads]
    application = {
        "full_name": request.POST.get("applicant_name", "").strip(),
        "id_number": request.POST.get("applicant_id_number", "").strip(),
    }
    result = pipeline.run(services.requirements_for(case) if case else [], application, files)
    # The citizen sees what to add or send again; the officer weighs the rest at reception.
    shown = {kinds.MISSING, kinds.WRONG_COUNT, kinds.INVALID, kinds.UNREADABLE, kinds.UNRECOGNISED}
    context = {
        "procedure": procedure,
        "findings": [f for f in result.findings if f.kind in shown],
        "documents": result.documents,
        "checked": bool(files),
    }
    return render(request, "precheck/try.html", context)

"""Pre-check pages: the officer's checklist actions (re-run, accept or override a finding, Form 02 from
the accepted findings) and the citizen's check before submitting. Thin: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalogue.models import Procedure
from motcua.core import throttle
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import can_see, handles

from . import preflight, services, tasks
from .models import CheckStatus, Finding

MAX_TRY_FILES = 10
TRY_LIMIT = 20  # checks a citizen may run in 10 minutes (OCR is expensive)
REFRESH_SECONDS = 2  # how often the progress page of a check before submitting reloads itself


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
    try:
        case = services.case_to_check(dossier, request.POST.get("case"))
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect(f"{dossier_url(code)}#precheck")
    tasks.schedule(dossier, case=case)
    messages.success(request, _("The pre-check was queued."))
    return redirect(f"{dossier_url(code)}#precheck")


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
    from motcua.dossiers.paperwork.official_forms import render_form

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
    """A citizen checks the files on the submission form before submitting: the files are held and
    checked by the worker (the same pipeline), and the citizen is sent to a page that shows the
    progress, then the result once; nothing is kept after that."""
    procedure = get_object_or_404(Procedure, code=procedure_code)
    if not throttle.allow_request("precheck-try", request, limit=TRY_LIMIT, window=600):
        return render(request, "precheck/try.html", {"procedure": procedure, "limited": True}, status=429)
    uploads = [f for name in request.FILES for f in request.FILES.getlist(name)][:MAX_TRY_FILES]
    if not uploads:
        return render(request, "precheck/try.html", {"procedure": procedure, "empty": True})
    # One byte over the limit is enough for preflight to report the file as too large.
    files = [(upload.name, upload.read(preflight.MAX_BYTES + 1)) for upload in uploads]
    application = {
        "full_name": request.POST.get("applicant_name", "").strip(),
        "id_number": request.POST.get("applicant_id_number", "").strip(),
    }
    check = tasks.schedule_try(
        procedure,
        by=request.user,
        application=application,
        files=files,
        language=translation.get_language() or "",
    )
    return redirect("precheck:try-result", pk=check.pk)


@login_required
def try_result(request, pk: int):
    """Progress while the worker checks (the page reloads itself; a link does it without that), then
    the findings, shown once: the check is deleted as they are shown."""
    check = services.try_of(pk, request.user)
    if check is None:
        return render(request, "precheck/try.html", {"gone": True}, status=404)
    context = {"procedure": check.procedure, "check": check}
    if check.status in (CheckStatus.QUEUED, CheckStatus.RUNNING):
        response = render(request, "precheck/try.html", {**context, "pending": True})
        response["Refresh"] = str(REFRESH_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    context.update(services.take_try_result(check))
    response = render(request, "precheck/try.html", context)
    response["Cache-Control"] = "no-store"
    return response

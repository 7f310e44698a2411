"""Citizens' pages: submit (also the counter intake), my dossiers, track, verify."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts.models import Role
from motcua.catalogue.models import Channel, Procedure
from motcua.core import throttle

from .. import forms, permissions, services
from ..models import Dossier

VERIFY_LIMIT = 30  # verification pages per address per 10 minutes
VERIFY_CACHE_SECONDS = 24 * 3600


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, procedure_code: str):
    procedure = get_object_or_404(Procedure, code=procedure_code)
    case = procedure.cases.prefetch_related("documents").first()
    documents = list(case.documents.all()) if case else []
    user = request.user
    counter = user.is_official
    if counter and user.role != Role.RECEPTION:
        raise PermissionDenied
    initial = (
        {}
        if counter
        else {
            "applicant_name": user.get_full_name(),
            "applicant_id_number": user.id_number,
            "applicant_phone": user.phone,
            "applicant_email": user.email,
        }
    )
    form = forms.ApplicantForm(
        request.POST or None, request.FILES or None, procedure=procedure, documents=documents, initial=initial
    )
    if counter:
        form.fields["agency"].queryset = form.fields["agency"].queryset.filter(pk=user.agency_id)
        form.initial["agency"] = user.agency
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = services.Application(
            procedure=procedure,
            case=case,
            agency=data["agency"],
            channel=Channel.COUNTER if counter else Channel.ONLINE,
            applicant_name=data["applicant_name"],
            applicant_id_number=data["applicant_id_number"],
            applicant_phone=data["applicant_phone"],
            applicant_email=data["applicant_email"],
            applicant_address=data["applicant_address"],
            form_data={"notes": data["notes"]},
            files=form.files_by_document(),
        )
        try:
            dossier = services.submit(application, by=user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Dossier %(code)s was submitted.") % {"code": dossier.code})
            return redirect("dossiers:detail", code=dossier.code)
    return render(request, "dossiers/submit.html", {"procedure": procedure, "form": form, "counter": counter})


@login_required
def mine(request):
    dossiers = permissions.visible_to(request.user).filter(applicant=request.user).select_related("procedure")
    page = Paginator(dossiers.order_by("-submitted_at"), 20).get_page(request.GET.get("page"))
    return render(request, "dossiers/mine.html", {"page": page})


@require_http_methods(["GET", "POST"])
def track(request):
    """Status look-up by dossier code and the applicant's ID number (rate-limited per address). The
    look-up is a POST: the ID number never travels in a URL (logs, history, referrers); a GET only
    fills in the code a tracking link or QR code carries."""
    if request.method == "POST":
        form = forms.TrackForm(request.POST)
    else:
        form = forms.TrackForm(initial={"code": request.GET.get("code", "")[:60]})
    dossier = None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        if not throttle.allow(keys=[*throttle.keys_for(request), f"code:{code}"], **throttle.ID_LOOKUP):
            return render(request, "dossiers/track.html", {"form": form, "limited": True}, status=429)
        dossier = (
            Dossier.objects.select_related("procedure", "agency")
            .filter(code=code, applicant_id_number=form.cleaned_data["id_number"])
            .first()
        )
        if dossier is None:
            form.add_error(None, _("No dossier matches this code and ID number."))
    return render(
        request,
        "dossiers/track.html",
        {"form": form, "dossier": dossier, "events": dossier.events.all() if dossier else []},
    )


@require_http_methods(["GET", "POST"])
def verify(request, code: str, token: str):
    """Public: is this result registered, is its signature valid, and is an uploaded copy the same file?
    Found by its code and the token printed with it (the code alone says nothing), limited per address."""
    if not throttle.allow_request("verify", request, limit=VERIFY_LIMIT, window=600):
        return render(request, "dossiers/verify.html", {"code": code, "limited": True}, status=429)
    dossier = (
        Dossier.objects.select_related("procedure", "agency")
        .filter(code=code, result_signed_at__isnull=False)
        .exclude(verify_token="")
        .first()
    )
    registered = dossier is not None and secrets.compare_digest(dossier.verify_token, token)
    stored = uploaded = None
    form = forms.VerifyForm(request.POST or None, request.FILES or None)
    if registered:

        def stored_bytes():
            with dossier.result.open("rb") as handle:
                return handle.read()

        stored = _verified(dossier.result_sha256, stored_bytes)
    if request.method == "POST" and form.is_valid() and registered:
        content = form.cleaned_data["file"].read()
        digest = hashlib.sha256(content).hexdigest()
        check = _verified(digest, lambda: content)
        uploaded = {"verification": check, "same": digest == dossier.result_sha256}
        uploaded["accepted"] = check.valid and uploaded["same"]
    return render(
        request,
        "dossiers/verify.html",
        {
            "code": code,
            "dossier": dossier if registered else None,
            "stored": stored,
            "form": form,
            "uploaded": uploaded,
        },
        status=200 if registered else 404,
    )


def _verified(sha256: str, content):
    """The signature check of a file, cached by its hash: the same bytes always verify the same way."""
    from motcua.core.backends import agency_signer

    key = f"verify:{sha256}"
    verification = cache.get(key)
    if verification is None:
        verification = agency_signer().verify(content())
        cache.set(key, verification, VERIFY_CACHE_SECONDS)
    return verification

"""Pages for citizens (submit, my dossiers, track, supplement, rate, verify, feedback) and officials
(work queues, counter intake, the dossier page with its actions). Thin: services decide."""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Channel, Procedure
from motcua.core import throttle

from . import forms, permissions, queues, services, transitions
from .models import Apology, Attachment, AttachmentKind, Coordination, Dossier, Feedback, Status

FEEDBACK_LIMIT = 5  # feedback forms per address (and account) per 10 minutes
VERIFY_LIMIT = 30  # verification pages per address per 10 minutes
VERIFY_CACHE_SECONDS = 24 * 3600


def _dossier(request, code: str) -> Dossier:
    dossier = get_object_or_404(
        Dossier.objects.select_related("procedure", "agency", "unit", "step", "assignee"), code=code
    )
    if not permissions.can_see(request.user, dossier):
        raise Http404  # do not reveal that the code exists
    return dossier


# --- citizens -----------------------------------------------------------------------------------


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


def track(request):
    """Status look-up by dossier code and the applicant's ID number (rate-limited per address)."""
    form = forms.TrackForm(request.GET or None)
    dossier = None
    if request.GET and form.is_valid():
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
    from motcua.core.signing import default_signer

    key = f"verify:{sha256}"
    verification = cache.get(key)
    if verification is None:
        verification = default_signer().verify(content())
        cache.set(key, verification, VERIFY_CACHE_SECONDS)
    return verification


@require_http_methods(["GET", "POST"])
def feedback(request):
    form = forms.FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.allow_request("feedback", request, limit=FEEDBACK_LIMIT, window=600):
            return render(request, "dossiers/feedback.html", {"form": form, "limited": True}, status=429)
        data = dict(form.cleaned_data)
        code = data.pop("dossier_code").strip()
        # Linked to a dossier only when the sender may see it; otherwise the code stays in the text.
        dossier = permissions.visible_to(request.user).filter(code=code).first() if code else None
        if code and dossier is None:
            data["body"] = f"[{code}] {data['body']}"
        Feedback.objects.create(dossier=dossier, agency=dossier.agency if dossier else None, **data)
        messages.success(request, _("Thank you. Your feedback was sent to the agency."))
        return redirect("dossiers:feedback")
    return render(request, "dossiers/feedback.html", {"form": form})


# --- the dossier page and its actions -----------------------------------------------------------


def _actions(user, dossier: Dossier) -> dict:
    """The forms of the actions this user may take now: the transition table's, then the coordination
    questions put to the user's agency (the services re-check everything)."""
    found = {}
    for action in transitions.allowed(user, dossier):
        form = _action_form(action, dossier, {"version": dossier.version})
        if form is not None:
            found[action] = form
    if user.is_authenticated and user.is_official:
        for coordination in dossier.coordinations.filter(agency_id=user.agency_id, answered_at__isnull=True):
            found[f"answer_coordination-{coordination.pk}"] = forms.AnswerForm(
                initial={"coordination": coordination.pk}
            )
    return found


def _action_form(action: str, dossier: Dossier, version: dict):
    if action == "forward":
        nxt = _next_role(dossier)
        candidates = User.objects.filter(agency=dossier.unit, role=nxt, is_active=True) if nxt else None
        return forms.ForwardForm(initial=version, candidates=candidates)
    if action == "transfer":
        step_role = dossier.step.role if dossier.step_id else None
        candidates = User.objects.filter(agency=dossier.unit, role=step_role, is_active=True)
        return forms.TransferForm(initial=version, candidates=candidates)
    if action == "request_supplement":
        documents = [d for case in dossier.procedure.cases.all() for d in case.documents.all()]
        return forms.SupplementRequestForm(initial=version, documents=documents)
    if action == "request_coordination":
        return forms.CoordinationForm(initial=version, exclude=[dossier.agency_id, dossier.unit_id])
    if action == "rate":
        return None if hasattr(dossier, "rating") else forms.RatingForm()
    return ACTIONS[action][0](initial=version)


def _next_role(dossier: Dossier) -> str | None:
    steps = list(dossier.case.workflow.all()) if dossier.case else []
    later = [s for s in steps if dossier.step and s.order > dossier.step.order]
    return later[0].role if later else None


def detail(request, code: str):
    dossier = _dossier(request, code)
    user = request.user
    official = permissions.handles(user, dossier)
    can_see_result = permissions.can_see_result(user, dossier)
    attachments = dossier.attachments.select_related("document")
    if not can_see_result:
        attachments = attachments.exclude(kind=AttachmentKind.RESULT)
    events = dossier.events.select_related("actor", "receiver", "receiver_agency", "step")
    apologies = dossier.apologies.all()
    if not official:
        apologies = apologies.filter(approved_at__isnull=False)  # drafts stay with the unit (Form 04)
    context = {
        "dossier": dossier,
        "events": permissions.timeline_for(user, dossier, events),
        "attachments": attachments,
        "pauses": dossier.pauses.all(),
        "apologies": apologies,
        "actions": _actions(user, dossier),
        "is_official": official,
        "can_see_result": can_see_result,
        "forms_available": _forms_available(dossier),
        "can_approve_apology": user.is_authenticated
        and user.role == Role.LEADER
        and permissions.handles(user, dossier),
    }
    return render(request, "dossiers/detail.html", context)


def _forms_available(dossier: Dossier) -> list[str]:
    numbers = []
    if dossier.received_at:
        numbers.append("01")
    if dossier.pauses.exists():
        numbers.append("02")
    if dossier.status == Status.NOT_ACCEPTED:
        numbers.append("03")
    if dossier.apologies.filter(approved_at__isnull=False).exists():
        numbers.append("04")
    if dossier.status == Status.STOPPED:
        numbers.append("05")
    if dossier.received_at:
        numbers.append("06")
    return numbers


ACTIONS = {
    "receive": (forms.VersionForm, lambda d, u, c, r: services.receive(d, by=u, version=c["version"])),
    "refuse": (
        forms.ReasonForm,
        lambda d, u, c, r: services.refuse(d, by=u, reason=c["reason"], version=c["version"]),
    ),
    "withdraw": (
        forms.NoteForm,
        lambda d, u, c, r: services.withdraw(d, by=u, reason=c["note"], version=c["version"]),
    ),
    "stop": (
        forms.ReasonForm,
        lambda d, u, c, r: services.stop(d, by=u, reason=c["reason"], version=c["version"]),
    ),
    "approve": (
        forms.NoteForm,
        lambda d, u, c, r: services.approve(d, by=u, note=c["note"], version=c["version"]),
    ),
    "send_back": (
        forms.NoteForm,
        lambda d, u, c, r: services.send_back(d, by=u, note=c["note"], version=c["version"]),
    ),
    "return_result": (
        forms.ReturnForm,
        lambda d, u, c, r: services.return_result(d, by=u, method=c["method"], version=c["version"]),
    ),
    "attach_result": (
        forms.ResultForm,
        lambda d, u, c, r: services.attach_result(d, by=u, upload=c["file"], version=c["version"]),
    ),
    "supplement": (
        forms.SupplementForm,
        lambda d, u, c, r: services.supplement(
            d, by=u, files=[(None, f) for f in c["files"]], note=c["note"], version=c["version"]
        ),
    ),
    "draft_apology": (
        forms.ApologyForm,
        lambda d, u, c, r: services.draft_apology(
            d, by=u, reason=c["reason"], extra_value=Decimal(c["extra_days"])
        ),
    ),
}


@login_required
@require_POST
def act(request, code: str, action: str):
    dossier = _dossier(request, code)
    user = request.user
    try:
        if action == "forward" or action == "transfer":
            form = (forms.ForwardForm if action == "forward" else forms.TransferForm)(
                request.POST, candidates=User.objects.filter(agency__in=[dossier.unit_id, dossier.agency_id])
            )
            if form.is_valid():
                data = form.cleaned_data
                if action == "forward":
                    services.forward(
                        dossier, by=user, to=data["to"], note=data["note"], version=data["version"]
                    )
                else:
                    services.transfer(
                        dossier,
                        by=user,
                        to=data["to"],
                        unit=data["unit"],
                        note=data["note"],
                        version=data["version"],
                    )
        elif action == "request_supplement":
            documents = [d for case in dossier.procedure.cases.all() for d in case.documents.all()]
            form = forms.SupplementRequestForm(request.POST, documents=documents)
            if form.is_valid():
                services.request_supplement(
                    dossier,
                    by=user,
                    items=form.items(),
                    reason=form.cleaned_data["reason"],
                    version=form.cleaned_data["version"],
                )
        elif action == "request_coordination":
            form = forms.CoordinationForm(request.POST, exclude=[dossier.agency_id, dossier.unit_id])
            if form.is_valid():
                data = form.cleaned_data
                services.request_coordination(
                    dossier,
                    by=user,
                    agency=data["agency"],
                    question=data["question"],
                    hours=data["hours"],
                    version=data["version"],
                )
        elif action == "answer_coordination":
            form = forms.AnswerForm(request.POST)
            if form.is_valid():
                coordination = get_object_or_404(
                    Coordination, pk=form.cleaned_data["coordination"], dossier=dossier
                )
                services.answer_coordination(coordination, by=user, answer=form.cleaned_data["answer"])
        elif action == "rate":
            form = forms.RatingForm(request.POST)
            if form.is_valid():
                services.rate(dossier, by=user, **form.cleaned_data)
        elif action in ACTIONS:
            form_class, run = ACTIONS[action]
            form = form_class(request.POST, request.FILES)
            if form.is_valid():
                run(dossier, user, form.cleaned_data, request)
        else:
            raise Http404
        if form.is_valid():
            messages.success(request, _("Done."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    except services.Conflict as exc:
        messages.error(request, str(exc))
    except (services.TransitionError, PermissionDenied, ValidationError) as exc:
        text = (
            "; ".join(exc.messages) if isinstance(exc, ValidationError) else (str(exc) or _("Not allowed."))
        )
        messages.error(request, text)
    return redirect("dossiers:detail", code=dossier.code)


@login_required
@require_POST
def approve_apology(request, code: str, pk: int):
    dossier = _dossier(request, code)
    apology = get_object_or_404(Apology, pk=pk, dossier=dossier)
    try:
        services.approve_apology(apology, by=request.user)
        messages.success(request, _("The apology was approved and the due date extended."))
    except (services.TransitionError, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("Not allowed."))
    return redirect("dossiers:detail", code=dossier.code)


def form_pdf(request, code: str, number: str):
    from .documents import render_form

    dossier = _dossier(request, code)
    if number not in _forms_available(dossier):
        raise Http404
    # Each form reads what it needs from the dossier (its pauses, events and apologies).
    options = {"tracking_url": services.tracking_url(dossier)}
    if number in ("03", "05"):
        event = dossier.events.filter(action="refuse" if number == "03" else "stop").last()
        options.update(reason=event.note if event else "", official=event.actor if event else None)
    if number == "06":
        options["internal_notes"] = permissions.sees_internal_notes(request.user, dossier)
    response = HttpResponse(render_form(number, dossier, **options), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-mau-{number}.pdf"'
    return response


def attachment(request, code: str, pk: int):
    dossier = _dossier(request, code)
    item = get_object_or_404(Attachment, pk=pk, dossier=dossier)
    if item.kind == AttachmentKind.RESULT and not permissions.can_see_result(request.user, dossier):
        raise Http404  # a draft result stays with the handling unit until it is signed and released
    return FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.name)


def result(request, code: str):
    dossier = _dossier(request, code)
    if not dossier.result or not permissions.can_see_result(request.user, dossier):
        raise Http404  # a draft result stays with the handling unit until it is signed and released
    return FileResponse(
        dossier.result.open("rb"), content_type="application/pdf", filename=f"{dossier.code}.pdf"
    )


# --- officials ----------------------------------------------------------------------------------


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
    from .documents import register_xlsx

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

"""The dossier page and its action dispatch, apology approval, the forms as PDF, files and result."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.accounts.models import Role, User

from .. import forms, permissions, services, transitions
from ..models import Apology, Attachment, AttachmentKind, Coordination, Dossier, Status
from ..paperwork.official_forms import render_form


def _dossier(request, code: str) -> Dossier:
    dossier = get_object_or_404(
        Dossier.objects.select_related("procedure", "agency", "unit", "step", "assignee"), code=code
    )
    if not permissions.can_see(request.user, dossier):
        raise Http404  # do not reveal that the code exists
    return dossier


# Each action's heading, its button and how the button looks: one that moves the dossier on, one that
# asks or adds something on the side, one that ends the dossier (red, confirmed by a box).
ACTION_TEXT = {
    "receive": (gettext_lazy("Receive (valid dossier)"), gettext_lazy("Receive the dossier"), "primary"),
    "refuse": (gettext_lazy("Refuse to receive (Form 03)"), gettext_lazy("Refuse the dossier"), "final"),
    "request_supplement": (
        gettext_lazy("Request a supplement (Form 02)"),
        gettext_lazy("Send the supplement request"),
        "secondary",
    ),
    "supplement": (
        gettext_lazy("Send the requested documents"),
        gettext_lazy("Send the documents"),
        "primary",
    ),
    "forward": (gettext_lazy("Forward to the next step"), gettext_lazy("Forward"), "primary"),
    "transfer": (gettext_lazy("Transfer"), gettext_lazy("Transfer the dossier"), "secondary"),
    "attach_result": (gettext_lazy("Attach the result"), gettext_lazy("Attach the result"), "primary"),
    "approve": (gettext_lazy("Approve and sign the result"), gettext_lazy("Approve and sign"), "primary"),
    "send_back": (gettext_lazy("Send back for rework"), gettext_lazy("Send back"), "secondary"),
    "return_result": (gettext_lazy("Return the result"), gettext_lazy("Record the return"), "primary"),
    "withdraw": (gettext_lazy("Withdraw my dossier"), gettext_lazy("Withdraw the dossier"), "final"),
    "stop": (gettext_lazy("Stop processing (Form 05)"), gettext_lazy("Stop processing"), "final"),
    "draft_apology": (
        gettext_lazy("Draft an apology and extension (Form 04)"),
        gettext_lazy("Save the draft letter"),
        "secondary",
    ),
    "rate": (gettext_lazy("Rate the service"), gettext_lazy("Send my rating"), "primary"),
    "request_coordination": (
        gettext_lazy("Ask another agency to coordinate"),
        gettext_lazy("Send the question"),
        "secondary",
    ),
    "answer_coordination": (
        gettext_lazy("Answer the coordination request"),
        gettext_lazy("Send the answer"),
        "primary",
    ),
}


@dataclass
class Offered:
    """An action on the dossier page: its form, where it posts, and its words."""

    name: str  # the form's id, unique on the page
    action: str
    form: object
    title: str = ""
    button: str = ""
    kind: str = "primary"

    def __post_init__(self):
        self.title, self.button, self.kind = ACTION_TEXT[self.action]


def _actions(user, dossier: Dossier) -> list[Offered]:
    """The forms of the actions this user may take now: the transition table's, then the coordination
    questions put to the user's agency (the services re-check everything). Those that end the
    dossier come last."""
    found = []
    for action in transitions.allowed(user, dossier):
        form = _action_form(action, dossier, {"version": dossier.version})
        if form is not None:
            found.append(Offered(action, action, form))
    if user.is_authenticated and user.is_official:
        for coordination in dossier.coordinations.filter(agency_id=user.agency_id, answered_at__isnull=True):
            form = forms.AnswerForm(initial={"coordination": coordination.pk})
            found.append(Offered(f"answer_coordination-{coordination.pk}", "answer_coordination", form))
    return sorted(found, key=lambda offered: offered.kind == "final")


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
        return forms.SupplementRequestForm(initial=version, documents=_supplement_documents(dossier))
    if action == "request_coordination":
        return forms.CoordinationForm(initial=version, exclude=[dossier.agency_id, dossier.unit_id])
    if action == "rate":
        return None if hasattr(dossier, "rating") else forms.RatingForm()
    return ACTIONS[action][0](initial=version)


def _supplement_documents(dossier: Dossier) -> list:
    """The papers an officer may ask for: the dossier's case's first, then the other cases' papers,
    each name once (the declaration is listed by every case)."""
    cases = sorted(dossier.procedure.cases.all(), key=lambda case: case.pk != dossier.case_id)
    seen, documents = set(), []
    for case in cases:
        for document in case.documents.all():
            if document.name not in seen:
                seen.add(document.name)
                documents.append(document)
    return documents


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
        "open_pause": dossier.pauses.filter(kind="supplement", ended_at__isnull=True).last(),
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
        forms.FinalReasonForm,
        lambda d, u, c, r: services.refuse(d, by=u, reason=c["reason"], version=c["version"]),
    ),
    "withdraw": (
        forms.FinalNoteForm,
        lambda d, u, c, r: services.withdraw(d, by=u, reason=c["note"], version=c["version"]),
    ),
    "stop": (
        forms.FinalReasonForm,
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
            form = forms.SupplementRequestForm(request.POST, documents=_supplement_documents(dossier))
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

"""Dossier operations. Each transition is one function: it checks the action is allowed (status, role,
unit, version), writes the new state and appends an Event (the Form 06 timeline), all in one
transaction. Illegal transitions raise TransitionError; a stale version raises Conflict."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.catalogue.models import Procedure, ProcedureCase
from motcua.core.files import check_upload, stored_name

from . import deadlines, hooks, notify, schedule, transitions
from .codes import next_codes
from .models import (
    Apology,
    Attachment,
    AttachmentKind,
    Coordination,
    Digitisation,
    Dossier,
    Event,
    Pause,
    Rating,
    ReturnMethod,
    Status,
)
from .permissions import handles
from .transitions import NotNow, TransitionError  # noqa: F401  (raised to callers as services.…)


class Conflict(TransitionError):
    """Someone else changed the dossier since this user loaded it."""


_clock: ContextVar[datetime.datetime | None] = ContextVar("motcua_clock", default=None)


def now() -> datetime.datetime:
    return _clock.get() or timezone.now()


@contextmanager
def clock(moment: datetime.datetime):
    """Run transitions as if at `moment` (demo data and tests of past dossiers)."""
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)


# --- intake -------------------------------------------------------------------------------------


@dataclass
class Application:
    procedure: Procedure
    agency: object
    channel: str
    applicant_name: str
    applicant_id_number: str
    case: ProcedureCase | None = None
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    form_data: dict = field(default_factory=dict)
    files: list[tuple[object, object]] = field(default_factory=list)  # (RequiredDocument | None, upload)


def _checked(files: Iterable[tuple[object, object]]) -> list[tuple[object, object, object]]:
    """Validate every file before anything is written; collect all errors into one ValidationError."""
    checked, errors = [], []
    for document, upload in files:
        try:
            checked.append((document, upload, check_upload(upload)))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def _store(dossier: Dossier, files, kind: str, by) -> list[Attachment]:
    stored = []
    for document, upload, info in files:
        attachment = Attachment(
            dossier=dossier,
            document=document,
            kind=kind,
            name=info.name,
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
            uploaded_by=by if by and by.is_authenticated else None,
        )
        attachment.file.save(stored_name(info), upload, save=False)
        stored.append(attachment)
    return stored


def _save_attachments(attachments: list[Attachment]) -> None:
    """Insert the rows; if that fails, remove the files already written so nothing is half-saved."""
    try:
        Attachment.objects.bulk_create(attachments)
    except Exception:
        for attachment in attachments:
            attachment.file.delete(save=False)
        raise


def submit(application: Application, *, by, pushed: bool = False) -> Dossier:
    """A new dossier: online by a citizen (status 1), or at the counter by a reception officer, who
    receives it at once (status 2). `pushed`: sent through the API by a national portal on behalf of an
    applicant without a local account; it arrives submitted, for the reception desk to check."""
    return submit_many([application], by=by, pushed=pushed)[0]


def submit_many(applications: Sequence[Application], *, by, pushed: bool = False) -> list[Dossier]:
    """New dossiers, each as `submit` makes it, in one transaction: all of them or none (a portal's
    batch). The work per dossier is its rows only: every check and look-up comes first, the numbers
    of each agency's day are drawn in one statement, and dossiers, files and events are inserted
    together. Notices and pre-checks are queued to run after the commit."""
    counter = by.is_official and not pushed
    for application in applications:
        if counter and by.role != Role.RECEPTION:
            raise PermissionDenied(_("Only a reception officer can receive dossiers at the counter."))
        if counter and by.agency_id != application.agency.pk:
            raise PermissionDenied(_("You can only receive dossiers for your own unit."))
    files = [_checked(application.files) for application in applications]
    cases: dict[int, ProcedureCase] = {}  # the default case of each procedure, looked up once
    limits: dict[tuple, tuple] = {}
    planned = []
    for application in applications:
        procedure = application.procedure
        case = application.case
        if case is None:
            if procedure.pk not in cases:
                cases[procedure.pk] = (
                    procedure.cases.first()
                    or ProcedureCase.everything.update_or_create(
                        procedure=procedure, key="", defaults={"name": "", "retired_at": None}
                    )[0]
                )
            case = cases[procedure.pk]
        key = (procedure.pk, case.pk, application.channel)
        if key not in limits:
            limits[key] = schedule.limit_for(procedure, case, application.channel)
        planned.append((application, case, limits[key]))
    agencies = {application.agency.pk: application.agency for application in applications}
    attachments: list[Attachment] = []
    try:
        with transaction.atomic():
            moment = now()
            wanted = Counter(application.agency.pk for application in applications)
            codes = {pk: iter(next_codes(agencies[pk], moment, n)) for pk, n in wanted.items()}
            dossiers = [
                Dossier(
                    code=next(codes[application.agency.pk]),
                    procedure=application.procedure,
                    procedure_version=application.procedure.version or None,
                    case=case,
                    agency=application.agency,
                    unit=application.agency,
                    channel=application.channel,
                    applicant=None if counter or pushed else by,
                    applicant_name=application.applicant_name.strip(),
                    applicant_id_number=application.applicant_id_number.strip(),
                    applicant_phone=application.applicant_phone,
                    applicant_email=application.applicant_email,
                    applicant_address=application.applicant_address,
                    form_data=application.form_data,
                    digitisation=Digitisation.DIGITISED if checked else Digitisation.NONE,
                    limit_value=value,
                    limit_unit=unit,
                    same_day=same_day,
                    submitted_at=moment,
                )
                for (application, case, (value, unit, same_day)), checked in zip(planned, files, strict=True)
            ]
            _insert(dossiers)
            for dossier, checked in zip(dossiers, files, strict=True):
                attachments += _store(dossier, checked, AttachmentKind.COMPONENT, by)
            _save_attachments(attachments)
            events = [_new_event(dossier, "submit", by, None, Status.SUBMITTED) for dossier in dossiers]
            _insert(events)
            for dossier, event, checked in zip(dossiers, events, files, strict=True):
                # The events written, in order, kept on the instance: the API answers with the
                # timeline without reading it back.
                dossier.written_events = [event]
                if counter:
                    dossier.written_events.append(_receive(dossier, by))
                notify.dossier_changed(dossier, "submitted")
                if checked:  # a new dossier has no other files: no need to ask the database
                    _files_arrived(dossier)
    except Exception:
        for attachment in attachments:
            attachment.file.delete(save=False)
        raise
    return dossiers


# --- the transition machinery -------------------------------------------------------------------


def _files_arrived(dossier: Dossier) -> None:
    """Tell the apps that read a dossier's files (the pre-check) that files arrived: see hooks.py."""
    if dossier.attachments.exists():
        hooks.files_received(dossier)


def _insert(rows: list) -> None:
    """New rows of one model, their primary keys set: one INSERT for a batch (bulk_create costs a
    single row a third more than save does, so a single row is saved)."""
    if len(rows) == 1:
        rows[0].save(force_insert=True)
    elif rows:
        type(rows[0]).objects.bulk_create(rows)


def _new_event(dossier: Dossier, action: str, by, from_status, to_status, **fields) -> Event:
    """The event, not yet saved (intake inserts a batch's events together)."""
    actor = by if by is not None and by.is_authenticated else None
    return Event(
        dossier=dossier,
        at=now(),
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        **fields,
    )


def _event(dossier: Dossier, action: str, by, from_status, to_status, **fields) -> Event:
    event = _new_event(dossier, action, by, from_status, to_status, **fields)
    event.save(force_insert=True)
    return event


def _lock(dossier: Dossier, version: int | None) -> Dossier:
    locked = (
        # Lock the dossier row only: the joined rows (the step may be absent) are read, not locked.
        Dossier.objects.select_for_update(of=("self",))
        .select_related("step", "agency", "unit", "procedure")
        .get(pk=dossier.pk)
    )
    if version is not None and locked.version != version:
        raise Conflict(
            _("Dossier %(code)s was changed by someone else a moment ago. Reload it and try again.")
            % {"code": locked.code}
        )
    return locked


def _official(user, dossier: Dossier, *roles: str) -> None:
    if not handles(user, dossier):
        raise PermissionDenied(_("This dossier is not handled by your unit."))
    if roles and user.role not in roles:
        raise PermissionDenied(_("Your role cannot do this."))


def _move(dossier: Dossier, action: str, by, to_status: int | None = None, **event_fields) -> Event:
    from_status = dossier.status
    if to_status is not None and to_status != dossier.status:
        dossier.previous_status, dossier.status = dossier.status, to_status
    dossier.version += 1
    dossier.save()
    return _event(dossier, action, by, from_status, dossier.status, **event_fields)


def _refresh_due(dossier: Dossier) -> None:
    if dossier.pauses.filter(ended_at__isnull=True).exists():
        return  # the clock is stopped; the due date is recomputed when the supplement arrives
    due = schedule.compute_due(dossier)
    dossier.due_at = due.at if due else None
    dossier.due_explanation = (
        due.explanation if due else [_("The catalogue gives no time limit for this procedure.")]
    )


def _enter_step(dossier: Dossier, step, assignee=None) -> None:
    dossier.step, dossier.step_started_at, dossier.assignee = step, now(), assignee


def _leave_step(dossier: Dossier) -> dict:
    """Fields of the hand-over event: the step left, its due time and whether it was early/on time/late."""
    due = schedule.step_due(dossier)
    timeliness = deadlines.timeliness(now(), due, tz=deadlines.VIETNAM) if due else ""
    return {"step": dossier.step, "step_due_at": due, "timeliness": timeliness}


def _steps(dossier: Dossier):
    return schedule.workflow(dossier.case, dossier.limit_value, dossier.limit_unit)


def _next_step(dossier: Dossier):
    steps = _steps(dossier)
    position = next((i for i, s in enumerate(steps) if s.pk == dossier.step_id), -1)
    if position + 1 >= len(steps):
        raise TransitionError(_("Dossier %(code)s is at its last step.") % {"code": dossier.code})
    return steps[position + 1]


def _receive(dossier: Dossier, by) -> Event:
    dossier.received_at, dossier.received_by = now(), by
    _refresh_due(dossier)
    _enter_step(dossier, _steps(dossier)[0], by)
    # The first step starts at the moment of reception, not a few milliseconds later: the step budgets
    # add up to the legal limit, so any gap would make a fresh dossier look late to the scan.
    dossier.step_started_at = dossier.received_at
    return _move(dossier, "receive", by, Status.RECEIVED, receiver=by, receiver_agency=dossier.unit)


# --- transitions --------------------------------------------------------------------------------


@transaction.atomic
def receive(dossier: Dossier, *, by, version: int | None = None) -> Dossier:
    dossier = _lock(dossier, version)
    transitions.check("receive", by, dossier)
    _receive(dossier, by)
    notify.dossier_changed(dossier, "received")
    return dossier


@transaction.atomic
def refuse(dossier: Dossier, *, by, reason: str, version: int | None = None) -> Dossier:
    dossier = _lock(dossier, version)
    transitions.check("refuse", by, dossier)
    if not reason.strip():
        raise ValidationError(_("A refusal must state its reasons."))
    dossier.closed_at = now()
    for pause in dossier.pauses.filter(ended_at__isnull=True):
        pause.ended_at = dossier.closed_at
        pause.save(update_fields=["ended_at"])
    _move(dossier, "refuse", by, Status.NOT_ACCEPTED, note=reason)
    notify.dossier_changed(dossier, "refused")
    return dossier


@transaction.atomic
def request_supplement(
    dossier: Dossier, *, by, items: list[dict], reason: str = "", version: int | None = None
) -> Dossier:
    """Form 02: pause the clock and ask for the listed components, each with its reason."""
    dossier = _lock(dossier, version)
    transitions.check("request_supplement", by, dossier)
    if not items or any(not str(item.get("reason", "")).strip() for item in items):
        raise ValidationError(_("List each component to supplement with its reason."))
    moment = now()
    Pause.objects.create(
        dossier=dossier,
        kind="supplement",
        reason=reason or "; ".join(i["reason"] for i in items),
        items=items,
        started_at=moment,
        requested_by=by,
    )
    dossier.supplement_requests += 1
    dossier.supplement_due_at = deadlines.add_working_time(
        moment, settings.SUPPLEMENT_DAYS * 8, schedule.calendar_for(dossier.agency)
    )
    _move(dossier, "request_supplement", by, Status.SUPPLEMENT, note=reason)
    notify.dossier_changed(dossier, "supplement_requested")
    return dossier


@transaction.atomic
def supplement(
    dossier: Dossier, *, by, files: list[tuple[object, object]], note: str = "", version: int | None = None
) -> Dossier:
    """The applicant (or a reception officer for them) supplies the missing components: the clock resumes."""
    dossier = _lock(dossier, version)
    transitions.check("supplement", by, dossier)
    checked = _checked(files)
    if not checked:
        raise ValidationError(_("Attach the documents that were requested."))
    attachments = _store(dossier, checked, AttachmentKind.SUPPLEMENT, by)
    _save_attachments(attachments)
    for pause in dossier.pauses.filter(ended_at__isnull=True):
        pause.ended_at = now()
        pause.save(update_fields=["ended_at"])
    dossier.supplement_due_at = None
    back_to = dossier.previous_status or Status.SUBMITTED
    if dossier.received_at:
        _refresh_due(dossier)
    _move(dossier, "supplement", by, back_to, note=note)
    notify.dossier_changed(dossier, "supplemented")
    _files_arrived(dossier)
    return dossier


@transaction.atomic
def forward(dossier: Dossier, *, by, to=None, note: str = "", version: int | None = None) -> Dossier:
    """Hand the dossier to the next step of its workflow (optionally to a named officer)."""
    dossier = _lock(dossier, version)
    transitions.check("forward", by, dossier)
    nxt = _next_step(dossier)
    if dossier.step and dossier.step.role == Role.PROCESSING and not dossier.result:
        raise TransitionError(_("Attach the result before sending the dossier on for approval."))
    _check_receiver(to, dossier, nxt.role)
    handover = _leave_step(dossier)
    _enter_step(dossier, nxt, to)
    _move(
        dossier,
        "forward",
        by,
        Status.PROCESSING,
        receiver=to,
        receiver_agency=dossier.unit,
        note=note,
        **handover,
    )
    return dossier


def _check_receiver(to, dossier: Dossier, role: str) -> None:
    if to is not None and (to.role != role or to.agency_id not in (dossier.unit_id, dossier.agency_id)):
        raise ValidationError(
            _("%(name)s cannot take this step.") % {"name": to.get_full_name() or to.username}
        )


@transaction.atomic
def transfer(
    dossier: Dossier, *, by, to=None, unit=None, note: str = "", version: int | None = None
) -> Dossier:
    """Reassign the current step to another officer, or move the dossier to another unit."""
    dossier = _lock(dossier, version)
    transitions.check("transfer", by, dossier)
    if unit is not None:
        dossier.unit, to = unit, None
    if to is not None:
        _check_receiver(to, dossier, dossier.step.role if dossier.step else to.role)
    dossier.assignee = to
    _move(dossier, "transfer", by, receiver=to, receiver_agency=dossier.unit, note=note)
    return dossier


@transaction.atomic
def attach_result(dossier: Dossier, *, by, upload=None, version: int | None = None) -> Dossier:
    """The processing officer attaches the result document (a PDF), or has one generated."""
    dossier = _lock(dossier, version)
    transitions.check("attach_result", by, dossier)
    dossier.verify_token = dossier.verify_token or secrets.token_urlsafe(16)
    if upload is not None:
        info = check_upload(upload)
        if info.content_type != "application/pdf":
            raise ValidationError(_("The result must be a PDF, so that it can be signed."))
        content = upload.read()
    else:
        from .results import render_result

        content = render_result(dossier, official=by)
    dossier.result.save(f"{dossier.code}.pdf", ContentFile(content), save=False)
    _move(dossier, "attach_result", by)
    return dossier


@transaction.atomic
def approve(dossier: Dossier, *, by, note: str = "", version: int | None = None) -> Dossier:
    """The leader approves: the result is signed (PAdES) and the dossier goes to be returned (status 9)."""
    from motcua.core.signing import default_signer

    dossier = _lock(dossier, version)
    transitions.check("approve", by, dossier)
    if not dossier.result:
        raise TransitionError(_("There is no result to approve."))
    with dossier.result.open("rb") as handle:
        unsigned = handle.read()
    signed = default_signer().sign(
        unsigned,
        reason=_("Approved by %(name)s") % {"name": by.get_full_name()},
        location=dossier.agency.name,
    )
    dossier.result.save(f"{dossier.code}.pdf", ContentFile(signed), save=False)
    dossier.result_sha256 = hashlib.sha256(signed).hexdigest()
    dossier.result_signed_at = dossier.processing_ended_at = now()
    handover = _leave_step(dossier)
    _enter_step(dossier, _next_step(dossier))
    _move(dossier, "approve", by, Status.PROCESSED, note=note, **handover)
    notify.dossier_changed(dossier, "result_ready")
    return dossier


@transaction.atomic
def send_back(dossier: Dossier, *, by, note: str, version: int | None = None) -> Dossier:
    """The leader returns the dossier to the processing step with a note."""
    dossier = _lock(dossier, version)
    transitions.check("send_back", by, dossier)
    if not note.strip():
        raise ValidationError(_("Say why the dossier is sent back."))
    steps = _steps(dossier)
    processing = next(s for s in steps if s.role == Role.PROCESSING)
    handover = _leave_step(dossier)
    _enter_step(dossier, processing)
    _move(dossier, "send_back", by, note=note, **handover)
    return dossier


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
def request_coordination(
    dossier: Dossier, *, by, agency, question: str, hours: Decimal | int = 16, version: int | None = None
) -> Coordination:
    """Ask another agency for its opinion or action, within a budget of working hours."""
    dossier = _lock(dossier, version)
    transitions.check("request_coordination", by, dossier)
    if agency.pk in (dossier.unit_id, dossier.agency_id):
        raise ValidationError(_("Choose another agency than the one handling the dossier."))
    if not question.strip():
        raise ValidationError(_("Say what the coordinating agency is asked."))
    moment = now()
    due = deadlines.add_working_time(moment, Decimal(hours), schedule.calendar_for(dossier.agency))
    coordination = Coordination.objects.create(
        dossier=dossier, agency=agency, question=question, requested_at=moment, requested_by=by, due_at=due
    )
    _move(dossier, "request_coordination", by, receiver_agency=agency, step_due_at=due, note=question)
    return coordination


@transaction.atomic
def answer_coordination(coordination: Coordination, *, by, answer: str) -> Coordination:
    """The coordinating agency answers; the hand-back is timed against its budget (Form 06)."""
    coordination = (
        Coordination.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=coordination.pk)
    )
    if not (by.is_authenticated and by.is_official and by.agency_id == coordination.agency_id):
        raise PermissionDenied(_("Only the agency asked can answer."))
    if coordination.answered_at:
        raise TransitionError(_("This request was already answered."))
    if not answer.strip():
        raise ValidationError(_("Write the answer."))
    dossier = _lock(coordination.dossier, None)
    coordination.answer, coordination.answered_at, coordination.answered_by = answer, now(), by
    coordination.save(update_fields=["answer", "answered_at", "answered_by"])
    _move(
        dossier,
        "answer_coordination",
        by,
        receiver_agency=dossier.unit,
        step_due_at=coordination.due_at,
        timeliness=deadlines.timeliness(coordination.answered_at, coordination.due_at, tz=deadlines.VIETNAM),
        note=answer,
    )
    return coordination


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


def tracking_url(dossier: Dossier) -> str:
    return settings.SITE_URL + reverse("dossiers:track") + f"?code={dossier.code}"


def verify_url(dossier: Dossier) -> str:
    return settings.SITE_URL + reverse("dossiers:verify", args=[dossier.code, dossier.verify_token])

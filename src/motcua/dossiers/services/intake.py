"""Intake: the application, the checks and storage of its files, and `submit`/`submit_many`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.catalogue.models import Procedure, ProcedureCase
from motcua.core.files import check_upload, stored_name

from .. import hooks, notify, schedule
from ..codes import next_codes
from ..models import Attachment, AttachmentKind, Digitisation, Dossier, Status
from .machine import _insert, _new_event, _receive
from .timing import now


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


def _files_arrived(dossier: Dossier) -> None:
    """Tell the apps that read a dossier's files (the pre-check) that files arrived: see hooks.py."""
    if dossier.attachments.exists():
        hooks.files_received(dossier)


def default_case(procedure: Procedure) -> ProcedureCase:
    """The case a dossier is filed under when none is chosen: the procedure's first current case, or
    its blank one (made, or brought back from retirement) when the catalogue lists none."""
    return (
        procedure.cases.first()
        or ProcedureCase.everything.update_or_create(
            procedure=procedure, key="", defaults={"name": "", "retired_at": None}
        )[0]
    )


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
                cases[procedure.pk] = default_case(procedure)
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

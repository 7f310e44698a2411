"""Forms 01-06 as A4 PDF: `render_form` and one builder per form for what the form's template needs."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation

from motcua.core import qr
from motcua.core.pdf import html_to_pdf

from ..models import AttachmentKind, Event
from ..permissions import readable_note
from .formatting import (
    date_line,
    format_appointment,
    format_datetime,
    format_number,
    local,
    person_name,
    person_with_unit,
    place_name,
    time_limit,
)
from .labels import (
    ACTIONS,
    BLANK,
    CHANNELS,
    FORMS,
    LEGAL_BASIS,
    NOT_HANDOVERS,
    RETURN_METHODS,
    TIME_UNITS,
    TIMELINESS,
)


def render_form(
    number: str,
    dossier,
    *,
    official=None,
    reason: str = "",
    items: list[dict] | None = None,
    extension: str = "",
    tracking_url: str = "",
    issued_at: datetime.datetime | None = None,
    internal_notes: bool = True,
) -> bytes:
    """Form `number` ("01".."06") for `dossier` as A4 PDF bytes.

    official: the signing/receiving official (defaults: 01/03 the dossier's received_by, 02 the
    requester of the latest supplementation pause). reason: supplementation (02, general), refusal
    (03, required), delay (04), stop (05, required). items: the components to supplement (02);
    when None, those of the latest supplementation pause. extension: the proposed new date (04).
    For 04 the latest Apology fills what is not given (reason, approver, and once approved the new
    due date, with the original one from previous_due_at). tracking_url: encoded in the QR code of
    01. issued_at: the date on the date line (default: received_at for 01, now for the others).
    internal_notes: False leaves the internal notes off Form 06 (the copy for the applicant; see
    `permissions.note_is_public`).
    """
    if number not in FORMS:
        raise ValueError(f"unknown form {number!r}; expected one of {', '.join(FORMS)}")
    reason = (reason or "").strip()
    if number in ("03", "05") and not reason:
        raise ValueError(f"Form {number} needs the reason")
    builder = _BUILDERS[number]
    agency = dossier.agency
    if issued_at is None:
        issued_at = (dossier.received_at if number == "01" else None) or timezone.now()
    context = {
        "number": number,
        "title": FORMS[number],
        "legal_basis": LEGAL_BASIS,
        "dossier": dossier,
        "agency": agency,
        "parent": agency.parent,
        "place": place_name(agency),
        "date_line": date_line(local(issued_at).date()),
        "procedure": dossier.procedure,
        "received_at": format_datetime(dossier.received_at),
        "due_at": format_datetime(dossier.due_at),
        "appointment": format_appointment(dossier.due_at),
        "blank": BLANK,
        "reason": reason,
    }
    context.update(
        builder(
            dossier,
            official=official,
            reason=reason,
            items=items,
            extension=extension,
            tracking_url=tracking_url,
            internal_notes=internal_notes,
        )
    )
    with translation.override("vi"):
        html = render_to_string(f"dossiers/forms/form_{number}.html", context)
    return html_to_pdf(html)


def _components(dossier) -> list[dict]:
    """The components received, one line per required document (with its counts and files) and
    one per file that matches no required document."""
    lines: dict[tuple, dict] = {}
    attachments = dossier.attachments.filter(kind=AttachmentKind.COMPONENT).select_related("document")
    for attachment in attachments:
        document = attachment.document
        if document is not None:
            line = lines.setdefault(
                ("document", document.pk),
                {
                    "name": document.name,
                    "originals": document.originals,
                    "copies": document.copies,
                    "files": [],
                    "order": (0, document.order, document.pk),
                },
            )
            line["files"].append(attachment.name)
        else:
            lines[("file", attachment.pk)] = {
                "name": attachment.name,
                "originals": None,
                "copies": None,
                "files": [],
                "order": (1, 0, attachment.pk),
            }
    return sorted(lines.values(), key=lambda line: line["order"])


def _form_01(dossier, *, official, tracking_url, **_) -> dict:
    official = official or dossier.received_by
    return {
        "components": _components(dossier),
        "time_limit": time_limit(dossier),
        "channel": CHANNELS.get(dossier.channel, ""),
        "return_method": RETURN_METHODS.get(dossier.return_method, ""),
        "official_name": person_name(official),
        "tracking_url": tracking_url,
        "qr": qr.png_data_uri(tracking_url) if tracking_url else "",
    }


def _supplement_pause(dossier):
    return dossier.pauses.filter(kind="supplement").order_by("-started_at", "-pk").first()


def _count(value) -> str:
    if value in (None, ""):
        return ""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:02d}" if number > 0 else "0"


def _form_02(dossier, *, official, reason, items, **_) -> dict:
    pause = None
    if items is None or official is None or not reason:
        pause = _supplement_pause(dossier)
    if items is None:
        items = (pause.items if pause else None) or []
        if not reason and pause is not None:
            reason = pause.reason.strip()
    if official is None and pause is not None:
        official = pause.requested_by
    rows = []
    for item in items:
        if isinstance(item, str):
            item = {"document": item}
        rows.append(
            {
                "document": str(item.get("document") or item.get("name") or ""),
                "originals": _count(item.get("originals")),
                "copies": _count(item.get("copies")),
                "reason": str(item.get("reason") or ""),
            }
        )
    if not rows and not reason:
        raise ValueError("Form 02 needs the components to supplement or the reason")
    official = official or dossier.received_by
    unit = getattr(official, "agency", None) or dossier.agency
    return {
        "items": rows,
        "reason": reason,
        "supplement_due": format_datetime(dossier.supplement_due_at),
        "official_name": person_name(official),
        "official_phone": getattr(official, "phone", "") or unit.phone,
        "official_unit": unit,
    }


def _form_03(dossier, *, official, **_) -> dict:
    return {"official_name": person_name(official or dossier.received_by)}


def _form_04(dossier, *, official, reason, extension, **_) -> dict:
    """The latest Apology (services.draft_apology) fills what the caller leaves out. Once approved,
    the dossier's due_at is the new date and the apology keeps the original one."""
    apology = dossier.apologies.order_by("-drafted_at", "-pk").first()
    original_due = dossier.due_at
    if apology is not None:
        reason = reason or apology.reason.strip()
        official = official or apology.approved_by
        if apology.previous_due_at is not None:
            original_due = apology.previous_due_at
            extension = extension or format_appointment(dossier.due_at)
        elif not extension:
            value = format_number(apology.extra_value)
            extension = f"thêm {value} {TIME_UNITS.get(apology.extra_unit, apology.extra_unit)}"
    return {
        "reason": reason,
        "extension": (extension or "").strip(),
        "time_limit": time_limit(dossier),
        "original_due": format_appointment(original_due),
        "official_name": person_name(official),
    }


def _form_05(dossier, *, official, **_) -> dict:
    return {"official_name": person_name(official)}


def _form_06(dossier, *, official, internal_notes=True, **_) -> dict:
    events = (
        Event.objects.filter(dossier=dossier)
        .exclude(action__in=NOT_HANDOVERS)
        .select_related("actor__agency", "receiver__agency", "receiver_agency", "step")
        .order_by("at", "pk")
    )
    rows = []
    for event in events:
        if event.receiver is not None:
            receiver = person_with_unit(event.receiver)
            if event.receiver_agency is not None and event.receiver_agency != event.receiver.agency:
                receiver = f"{receiver}, {event.receiver_agency.name}"
        elif event.receiver_agency is not None:
            receiver = event.receiver_agency.name
        else:
            receiver = ""
        rows.append(
            {
                "at": format_datetime(event.at),
                "sender": person_with_unit(event.actor),
                "receiver": receiver,
                "step": event.step.name if event.step else ACTIONS.get(event.action, event.action),
                "step_due": format_datetime(event.step_due_at),
                "timeliness": TIMELINESS.get(event.timeliness, event.timeliness),
                "note": readable_note(event, internal=internal_notes),
            }
        )
    return {"rows": rows, "official_name": person_name(official)}


_BUILDERS = {"01": _form_01, "02": _form_02, "03": _form_03, "04": _form_04, "05": _form_05, "06": _form_06}

"""The official forms of Circular 03/2025/TT-VPCP, Annex I.

Forms 01-06 are rendered as A4 PDF (WeasyPrint, Noto Serif), Form 07 (the dossier register) as an
XLSX workbook. Official forms are Vietnamese whatever language the portal is shown in, so every
label here is Vietnamese text, not a translatable string, and rendering happens under
`translation.override("vi")`. Times are shown in local time (settings.TIME_ZONE).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Min, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import deadlines
from .models import AttachmentKind, Event, Status
from .permissions import readable_note

LEGAL_BASIS = "Thông tư số 03/2025/TT-VPCP"

FORMS = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    "05": "Thông báo dừng giải quyết hồ sơ",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}
REGISTER_TITLE = "Sổ theo dõi hồ sơ"  # Form 07

TIMELINESS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}

# The national status names (domain notes, section 3.1), as printed on the register.
STATUS_LABELS = {
    Status.SUBMITTED: "Mới đăng ký",
    Status.RECEIVED: "Được tiếp nhận",
    Status.NOT_ACCEPTED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT: "Yêu cầu bổ sung giấy tờ",
    Status.FINANCIAL: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.PROCESSED: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}
RETURN_METHODS = {
    "counter": "Nhận trực tiếp tại Bộ phận Một cửa",
    "post": "Qua dịch vụ bưu chính công ích",
    "online": "Nhận trực tuyến",
}
CHANNELS = {
    "counter": "Nộp trực tiếp",
    "online": "Nộp trực tuyến",
    "post": "Nộp qua dịch vụ bưu chính công ích",
}
TIME_UNITS = {
    "working_days": "ngày làm việc",
    "days": "ngày",
    "hours": "giờ làm việc",
    "months": "tháng",
    "years": "năm",
}
# Names for the events of services.py when they carry no workflow step (a step's name wins).
ACTIONS = {
    "submit": "Nộp hồ sơ",
    "receive": "Tiếp nhận hồ sơ",
    "refuse": "Từ chối tiếp nhận",
    "request_supplement": "Yêu cầu bổ sung, hoàn thiện hồ sơ",
    "supplement": "Bổ sung hồ sơ",
    "forward": "Chuyển xử lý",
    "transfer": "Chuyển cơ quan giải quyết",
    "attach_result": "Cập nhật kết quả",
    "approve": "Phê duyệt",
    "send_back": "Trả lại bước trước",
    "return_result": "Trả kết quả",
    "withdraw": "Rút hồ sơ",
    "stop": "Dừng giải quyết",
    "approve_apology": "Duyệt văn bản xin lỗi",
}
# Events that are no hand-over and stay off Form 06.
NOT_HANDOVERS = {"rate", "draft_apology"}
BLANK = "…………………………"

# Administrative-unit words stripped from an agency name to get the place on the date line.
_UNIT_PREFIXES = ("Ủy ban nhân dân ", "UBND ")
_UNIT_WORDS = ("thành phố ", "tỉnh ", "phường ", "xã ", "đặc khu ", "thị trấn ")


# ---------------------------------------------------------------- formatting helpers


def local(moment: datetime.datetime | None) -> datetime.datetime | None:
    if moment is None:
        return None
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def format_datetime(moment: datetime.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in local time; empty for no time."""
    moment = local(moment)
    return moment.strftime("%d/%m/%Y %H:%M") if moment else ""


def format_appointment(moment: datetime.datetime | None) -> str:
    """'16 giờ 30 phút, ngày 07/10/2025', the wording of the receipt slip."""
    moment = local(moment)
    if moment is None:
        return ""
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def date_line(day: datetime.date) -> str:
    """'ngày 03 tháng 10 năm 2025': days below 10 and the months 1 and 2 take a leading zero
    (Decree 30/2020/NĐ-CP, on the date of an administrative document)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_name(agency) -> str:
    """The locality written before the date: the commune or province the agency belongs to.

    The Agency model has no place-name field, so the name is read off the nearest commune- or
    province-level People's Committee up the tree ("Ủy ban nhân dân phường An Phú" -> "An Phú")."""
    seen = set()
    while agency is not None and agency.pk not in seen:
        seen.add(agency.pk)
        if agency.kind in ("commune", "province"):
            name = agency.name
            for prefix in _UNIT_PREFIXES:
                if name.startswith(prefix):
                    rest = name[len(prefix) :]
                    for word in _UNIT_WORDS:
                        if rest.lower().startswith(word):
                            return rest[len(word) :].strip()
                    return rest.strip()
        agency = agency.parent
    return "……………"


def person_name(user) -> str:
    """The full name in Vietnamese order, family name first ("Trần Thị Bình" is last_name "Trần Thị",
    first_name "Bình", as accounts/demo.py stores it; Django's get_full_name() gives "Bình Trần Thị")."""
    if user is None:
        return ""
    return (
        " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part)
        or user.get_username()
    )


def person_with_unit(user) -> str:
    name = person_name(user)
    if user is not None and getattr(user, "agency", None) is not None:
        return f"{name} ({user.agency.name})"
    return name


def timeliness(dossier, now: datetime.datetime | None = None) -> str:
    """'early', 'on_time', 'late' or '' for a dossier against its appointment.

    The end is processing_ended_at, else returned_at. Early: ended on a day before the due day.
    On time: ended by the due time. Late: ended after it, or still open with the due time passed."""
    due = dossier.due_at
    if due is None:
        return ""
    end = dossier.processing_ended_at or dossier.returned_at
    if end is None:
        if dossier.status in (Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.STOPPED):
            return ""
        return "late" if (now or timezone.now()) > due else ""
    # Both in local time, so "an earlier day" means a local calendar day.
    return deadlines.timeliness(local(end), local(due))


def _number(value) -> str:
    """3 -> '3', Decimal('2.50') -> '2,5' (Vietnamese decimal comma)."""
    text = f"{Decimal(str(value)).normalize():f}"
    return text.replace(".", ",")


def time_limit(dossier) -> str:
    if dossier.same_day:
        return "Trong ngày"
    if dossier.limit_value is None:
        return ""
    value = _number(dossier.limit_value)
    return f"{value} {TIME_UNITS.get(dossier.limit_unit, dossier.limit_unit)}".strip()


# ---------------------------------------------------------------- Forms 01-06


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
    from weasyprint import HTML  # heavy import, only when a form is asked for

    with translation.override("vi"):
        html = render_to_string(f"dossiers/forms/form_{number}.html", context)
    return HTML(string=html).write_pdf()


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


def _qr_data_uri(url: str) -> str:
    import segno

    # 10 px a module with the 4-module quiet zone: sharp at 3 cm on paper.
    return segno.make(url, error="m", micro=False).png_data_uri(scale=10, border=4)


def _form_01(dossier, *, official, tracking_url, **_) -> dict:
    official = official or dossier.received_by
    return {
        "components": _components(dossier),
        "time_limit": time_limit(dossier),
        "channel": CHANNELS.get(dossier.channel, ""),
        "return_method": RETURN_METHODS.get(dossier.return_method, ""),
        "official_name": person_name(official),
        "tracking_url": tracking_url,
        "qr": _qr_data_uri(tracking_url) if tracking_url else "",
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
            value = _number(apology.extra_value)
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


# ---------------------------------------------------------------- Form 07, the register

REGISTER_HEADERS = [
    "STT",
    "Mã hồ sơ",
    "Thủ tục hành chính",
    "Tên tổ chức, cá nhân",
    "Địa chỉ, số điện thoại",
    "Ngày nhận hồ sơ",
    "Ngày hẹn trả kết quả",
    "Ngày chuyển xử lý",
    "Ngày kết thúc xử lý",
    "Ngày trả kết quả",
    "Kết quả (Trước hạn/Đúng hạn/Quá hạn)",
    "Trạng thái",
    "Ghi chú",
]
REGISTER_WIDTHS = [6, 24, 46, 28, 34, 17, 17, 17, 17, 17, 16, 22, 28]
REGISTER_HEADER_ROW = 3  # row 1 the title, row 2 the agency and period, then the headers
DATE_COLUMNS = {6, 7, 8, 9, 10}  # 1-based
EXCEL_DATETIME = "dd/mm/yyyy hh:mm"


def _first_forwards(dossiers: list) -> dict[int, datetime.datetime]:
    found: dict[int, datetime.datetime] = {}
    pks = [dossier.pk for dossier in dossiers]
    for start in range(0, len(pks), 500):
        rows = (
            Event.objects.filter(dossier_id__in=pks[start : start + 500], action="forward")
            .values("dossier_id")
            .annotate(first=Min("at"))
        )
        found.update({row["dossier_id"]: row["first"] for row in rows})
    return found


def _excel_time(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Excel has no time zones: local wall-clock time, naive."""
    moment = local(moment)
    return moment.replace(tzinfo=None) if moment else None


def _notes(dossier) -> str:
    notes = []
    if dossier.supplement_requests:
        notes.append(f"Yêu cầu bổ sung {dossier.supplement_requests} lần")
    if dossier.channel:
        notes.append(CHANNELS.get(dossier.channel, dossier.channel))
    return "; ".join(notes)


def register_xlsx(
    dossiers: Iterable, *, agency=None, period: str = "", now: datetime.datetime | None = None
) -> bytes:
    """Form 07 'Sổ theo dõi hồ sơ' as an XLSX workbook: one row per dossier, in the order given."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    dossiers = list(dossiers)
    prefetch_related_objects(dossiers, "procedure")
    forwarded = _first_forwards(dossiers)
    now = now or timezone.now()

    book = Workbook()
    sheet = book.active
    sheet.title = REGISTER_TITLE
    last_column = get_column_letter(len(REGISTER_HEADERS))
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    sheet["A1"] = REGISTER_TITLE.upper()
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last_column}1")
    subtitle = [
        agency.name if agency is not None else "",
        period and f"Kỳ: {period}",
        f"Mẫu số 07 - {LEGAL_BASIS}",
    ]
    sheet["A2"] = " - ".join(part for part in subtitle if part)
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet["A2"].font = Font(italic=True)
    sheet.merge_cells(f"A2:{last_column}2")

    for column, header in enumerate(REGISTER_HEADERS, start=1):
        cell = sheet.cell(row=REGISTER_HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
        sheet.column_dimensions[get_column_letter(column)].width = REGISTER_WIDTHS[column - 1]

    for index, dossier in enumerate(dossiers, start=1):
        address = ", ".join(part for part in (dossier.applicant_address, dossier.applicant_phone) if part)
        values = [
            index,
            dossier.code,
            dossier.procedure.name,
            dossier.applicant_name,
            address,
            _excel_time(dossier.received_at),
            _excel_time(dossier.due_at),
            _excel_time(forwarded.get(dossier.pk)),
            _excel_time(dossier.processing_ended_at),
            _excel_time(dossier.returned_at),
            TIMELINESS.get(timeliness(dossier, now), ""),
            STATUS_LABELS.get(dossier.status, str(dossier.status)),
            _notes(dossier),
        ]
        row = REGISTER_HEADER_ROW + index
        for column, value in enumerate(values, start=1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=row, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text from applicants is never a formula ("=...")
            elif column in DATE_COLUMNS:
                cell.number_format = EXCEL_DATETIME
            cell.alignment = wrap
            cell.border = box

    sheet.freeze_panes = f"A{REGISTER_HEADER_ROW + 1}"
    if dossiers:
        sheet.auto_filter.ref = f"A{REGISTER_HEADER_ROW}:{last_column}{REGISTER_HEADER_ROW + len(dossiers)}"
    sheet.print_title_rows = f"{REGISTER_HEADER_ROW}:{REGISTER_HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    book.properties.title = REGISTER_TITLE
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

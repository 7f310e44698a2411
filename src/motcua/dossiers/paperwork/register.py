"""Form 07, the dossier register ("Sổ theo dõi hồ sơ"), as an XLSX workbook."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from django.db.models import Min, prefetch_related_objects
from django.utils import timezone

from ..models import Event
from .formatting import local, timeliness
from .labels import CHANNELS, LEGAL_BASIS, REGISTER_TITLE, STATUS_LABELS, TIMELINESS

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

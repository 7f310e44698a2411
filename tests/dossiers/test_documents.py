"""The official forms: Forms 01-06 as PDF (text read back with pypdf) and the Form 07 register as XLSX."""

import io
import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pypdf
import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from motcua.accounts.models import Agency, AgencyKind, Role, User
from motcua.catalogue.models import RequiredDocument, Source
from motcua.catalogue.services import save_procedure
from motcua.dossiers.models import Apology, Attachment, Dossier, Event, Pause, Status, WorkflowStep
from motcua.dossiers.paperwork.formatting import date_line, place_name
from motcua.dossiers.paperwork.labels import FORMS
from motcua.dossiers.paperwork.official_forms import render_form
from motcua.dossiers.paperwork.register import REGISTER_HEADER_ROW, REGISTER_HEADERS, register_xlsx

from ..catalogue.sample import procedure

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "H99.X01-251003-0007"
TRACKING = "https://motcua.example.invalid/tra-cuu/?ma=H99.X01-251003-0007"


def at(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=TZ)


def pdf_text(data: bytes) -> str:
    """The PDF's text, NFC-normalised, whitespace collapsed (so wrapped lines still match)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def user(username, full_name, role, agency, **extra) -> User:
    last, _, first = full_name.rpartition(" ")
    return User.objects.create_user(
        username, first_name=first, last_name=last, role=role, agency=agency, **extra
    )


@pytest.fixture
def dossier(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    province = Agency.objects.create(code="H99", name="Ủy ban nhân dân tỉnh An Hòa", kind=AgencyKind.PROVINCE)
    ward = Agency.objects.create(
        code="H99.X01",
        name="Ủy ban nhân dân phường An Phú",
        kind=AgencyKind.COMMUNE,
        parent=province,
        phone="0231 3000 000",
    )
    justice = Agency.objects.create(
        code="H99.STP", name="Sở Tư pháp", kind=AgencyKind.DEPARTMENT, parent=province
    )
    proc, _ = save_procedure(procedure(), source=Source.LOCAL)
    case = proc.cases.get()
    form, certificate = RequiredDocument.objects.filter(case=case)  # Tờ khai 1/0, Giấy chứng sinh 1/1
    reception = user("tiepnhan", "Trần Thị Bình", Role.RECEPTION, ward, phone="0912 345 678")
    processing = user("chuyenvien", "Lê Văn Cường", Role.PROCESSING, ward)
    leader = user("lanhdao", "Phạm Thị Dung", Role.LEADER, ward)
    dossier = Dossier.objects.create(
        code=CODE,
        procedure=proc,
        case=case,
        agency=ward,
        unit=ward,
        channel="counter",
        status=Status.PROCESSING,
        applicant_name="Nguyễn Văn An",
        applicant_id_number="001099012345",
        applicant_phone="0987 654 321",
        applicant_address="12 Lê Lợi, phường An Phú",
        limit_value=3,
        limit_unit="working_days",
        submitted_at=at("03/10/2025 08:50"),
        received_at=at("03/10/2025 09:00"),
        due_at=at("07/10/2025 16:30"),
        supplement_due_at=at("10/10/2025 17:00"),
        received_by=reception,
        return_method="counter",
    )
    for name, document in (("to-khai.pdf", form), ("giay-chung-sinh.jpg", certificate)):
        upload = SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")
        Attachment.objects.create(
            dossier=dossier,
            document=document,
            kind="component",
            file=upload,
            name=name,
            content_type=upload.content_type,
            size=upload.size,
            sha256="0" * 64,
            uploaded_by=reception,
        )
    steps = [
        WorkflowStep.objects.create(case=case, order=n, name=name, role=role, hours=hours)
        for n, (name, role, hours) in enumerate(
            [
                ("Tiếp nhận hồ sơ", "reception", 1),
                ("Thẩm định hồ sơ", "processing", 8),
                ("Phê duyệt kết quả", "leader", 4),
            ],
            start=1,
        )
    ]
    Event.objects.create(
        dossier=dossier,
        at=at("03/10/2025 09:00"),
        action="receive",
        actor=reception,
        receiver=processing,
        step=steps[0],
        step_due_at=at("03/10/2025 10:00"),
        timeliness="on_time",
        from_status=Status.SUBMITTED,
        to_status=Status.RECEIVED,
    )
    Event.objects.create(
        dossier=dossier,
        at=at("06/10/2025 15:00"),
        action="forward",
        actor=processing,
        receiver_agency=justice,
        step=steps[1],
        step_due_at=at("06/10/2025 09:00"),
        timeliness="late",
        from_status=Status.RECEIVED,
        to_status=Status.PROCESSING,
        note="Xác minh hộ tịch",
    )
    Event.objects.create(
        dossier=dossier,
        at=at("07/10/2025 08:00"),
        action="approve",
        actor=leader,
        receiver=reception,
        step=steps[2],
        step_due_at=at("07/10/2025 12:00"),
        timeliness="early",
    )
    return dossier


def test_every_form_is_a_vietnamese_a4_pdf_with_the_header(dossier):
    reception = User.objects.get(username="tiepnhan")
    arguments = {
        "02": {"items": [{"document": "Tờ khai", "reason": "Thiếu chữ ký"}]},
        "03": {"reason": "Không thuộc thẩm quyền"},
        "05": {"reason": "Người yêu cầu đã chết"},
    }
    with translation.override("en"):  # the portal language does not matter
        for number, title in FORMS.items():
            data = render_form(number, dossier, official=reception, **arguments.get(number, {}))
            assert data.startswith(b"%PDF-")
            page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
            assert [round(float(v)) for v in page.mediabox[2:]] == [595, 842]  # A4 in points
            text = pdf_text(data)
            for fact in (
                "ỦY BAN NHÂN DÂN TỈNH AN HÒA",
                "ỦY BAN NHÂN DÂN PHƯỜNG AN PHÚ",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                title.upper(),
                f"Mẫu số {number} - Thông tư số 03/2025/TT-VPCP",
                CODE,
                "Nguyễn Văn An",
            ):
                assert fact in text, (number, fact)


def test_form_01_receipt(dossier):
    text_pdf = render_form("01", dossier, tracking_url=TRACKING)
    text = pdf_text(text_pdf)
    assert "An Phú, ngày 03 tháng 10 năm 2025" in text
    assert "001099012345" in text  # the applicant's own slip: the ID number in full
    assert "Đăng ký khai sinh thử nghiệm (mã thủ tục 9.000001)" in text
    assert "Tờ khai (bản chính: 1; bản sao: 0)" in text
    assert "Giấy chứng sinh (bản chính: 1; bản sao: 1)" in text and "giay-chung-sinh.jpg" in text
    assert "03/10/2025 09:00" in text
    assert "hẹn trả kết quả vào hồi 16 giờ 30 phút, ngày 07/10/2025" in text
    assert "3 ngày làm việc" in text
    assert "Nhận trực tiếp tại Bộ phận Một cửa" in text
    assert "Tra cứu tình trạng hồ sơ" in text
    assert "Trần Thị Bình" in text  # received_by signs when no official is given

    reader = pypdf.PdfReader(io.BytesIO(text_pdf))
    assert len(reader.pages) == 1
    images = reader.pages[0].images
    assert len(images) == 1
    qr_image = images[0].image
    try:
        import zxingcpp
    except ImportError:
        zxingcpp = None
    if zxingcpp is not None:
        assert [r.text for r in zxingcpp.read_barcodes(qr_image)] == [TRACKING]
    else:
        # No QR decoder here: the embedded image must be, module for module, the QR symbol of the URL.
        expected = [
            [bool(v) for v in row]
            for row in segno.make(TRACKING, error="m", micro=False).matrix_iter(border=4)
        ]
        gray = qr_image.convert("L")
        size = gray.width / len(expected)
        got = [
            [
                gray.getpixel((int((x + 0.5) * size), int((y + 0.5) * size))) < 128
                for x in range(len(expected))
            ]
            for y in range(len(expected))
        ]
        assert got == expected


def test_form_01_without_tracking_url_has_no_qr(dossier):
    data = render_form("01", dossier)
    assert "Tra cứu tình trạng hồ sơ" not in pdf_text(data)
    assert not pypdf.PdfReader(io.BytesIO(data)).pages[0].images


def test_form_02_supplement_request(dossier):
    items = [
        {"document": "Giấy chứng sinh", "originals": 1, "copies": 0, "reason": "Bản chụp không đọc được"},
        {"document": "Tờ khai", "originals": 1, "copies": 0, "reason": "Thiếu chữ ký người yêu cầu"},
    ]
    text = pdf_text(render_form("02", dossier, official=User.objects.get(username="tiepnhan"), items=items))
    for fact in (
        "Giấy chứng sinh",
        "Bản chụp không đọc được",
        "Tờ khai",
        "Thiếu chữ ký người yêu cầu",
        "trước 10/10/2025 17:00",
        "Trần Thị Bình",
        "0912 345 678",
        "Ủy ban nhân dân phường An Phú",
    ):
        assert fact in text, fact


def test_form_02_reads_the_latest_supplement_pause(dossier):
    Pause.objects.create(
        dossier=dossier,
        kind="supplement",
        reason="Hồ sơ chưa hợp lệ",
        started_at=at("03/10/2025 10:00"),
        items=[{"document": "Giấy chứng sinh", "copies": 1, "reason": "Thiếu bản sao"}],
        requested_by=User.objects.get(username="chuyenvien"),
    )
    text = pdf_text(render_form("02", dossier))
    assert "Thiếu bản sao" in text and "Hồ sơ chưa hợp lệ" in text and "Lê Văn Cường" in text


def test_form_03_refusal_needs_and_shows_the_reason(dossier):
    with pytest.raises(ValueError):
        render_form("03", dossier, reason="  ")
    reason = "Thủ tục không thuộc thẩm quyền <b>của</b> phường & đề nghị nộp tại Sở Tư pháp"
    text = pdf_text(render_form("03", dossier, reason=reason))
    assert reason in text  # escaped, so printed literally
    assert "từ chối tiếp nhận, giải quyết hồ sơ" in text


def test_form_04_apology_and_extension(dossier):
    text = pdf_text(
        render_form(
            "04",
            dossier,
            official=User.objects.get(username="lanhdao"),
            reason="Cần xác minh thông tin hộ tịch tại tỉnh khác",
            extension="17 giờ 00 phút, ngày 14/10/2025",
        )
    )
    for fact in (
        "16 giờ 30 phút, ngày 07/10/2025",
        "Cần xác minh thông tin hộ tịch tại tỉnh khác",
        "17 giờ 00 phút, ngày 14/10/2025",
        "xin lỗi",
        "THỦ TRƯỞNG CƠ QUAN",
        "Phạm Thị Dung",
    ):
        assert fact in text, fact


def test_form_04_from_an_approved_apology(dossier):
    leader = User.objects.get(username="lanhdao")
    Apology.objects.create(
        dossier=dossier,
        reason="Chờ kết quả xác minh",
        extra_value=3,
        drafted_at=at("07/10/2025 08:00"),
        approved_at=at("07/10/2025 09:00"),
        approved_by=leader,
        previous_due_at=dossier.due_at,
    )
    dossier.due_at = at("10/10/2025 16:30")
    dossier.save()
    text = pdf_text(render_form("04", dossier))
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 07/10/2025" in text
    assert (
        "Chờ kết quả xác minh" in text
        and "16 giờ 30 phút, ngày 10/10/2025" in text
        and "Phạm Thị Dung" in text
    )


def test_form_04_from_a_draft_apology(dossier):
    Apology.objects.create(
        dossier=dossier, reason="Chờ kết quả xác minh", extra_value=3, drafted_at=at("07/10/2025 08:00")
    )
    text = pdf_text(render_form("04", dossier))
    assert "16 giờ 30 phút, ngày 07/10/2025" in text and "thêm 3 ngày làm việc" in text


def test_form_05_stop_notice(dossier):
    with pytest.raises(ValueError):
        render_form("05", dossier)
    text = pdf_text(render_form("05", dossier, reason="Người yêu cầu đề nghị dừng giải quyết"))
    assert "dừng giải quyết hồ sơ" in text and "Người yêu cầu đề nghị dừng giải quyết" in text


def test_form_06_lists_every_handover_in_order(dossier):
    Event.objects.create(dossier=dossier, at=at("07/10/2025 09:00"), action="rate")  # not a hand-over
    text = pdf_text(render_form("06", dossier))
    rows = [
        (
            "03/10/2025 09:00",
            "Trần Thị Bình",
            "Lê Văn Cường",
            "Tiếp nhận hồ sơ",
            "03/10/2025 10:00",
            "Đúng hạn",
        ),
        ("06/10/2025 15:00", "Lê Văn Cường", "Sở Tư pháp", "Thẩm định hồ sơ", "06/10/2025 09:00", "Quá hạn"),
        (
            "07/10/2025 08:00",
            "Phạm Thị Dung",
            "Trần Thị Bình",
            "Phê duyệt kết quả",
            "07/10/2025 12:00",
            "Trước hạn",
        ),
    ]
    starts = []
    for row in rows:  # each row after the one before it
        starts.append(text.find(row[0], starts[-1] + 1 if starts else 0))
        assert starts[-1] >= 0, row
    for row, start, end in zip(rows, starts, starts[1:] + [len(text)], strict=True):
        for fact in row:  # and every fact of a row within that row
            assert fact in text[start:end], (row, fact)
    assert "Xác minh hộ tịch" in text
    assert text.count("Đúng hạn") == 1 and text.count("Quá hạn") == 1


def test_unknown_form():
    with pytest.raises(ValueError):
        render_form("07", None)


def test_date_line_and_place(dossier):
    assert date_line(datetime(2025, 2, 3).date()) == "ngày 03 tháng 02 năm 2025"
    assert date_line(datetime(2025, 10, 13).date()) == "ngày 13 tháng 10 năm 2025"
    assert date_line(datetime(2025, 3, 13).date()) == "ngày 13 tháng 3 năm 2025"
    assert place_name(dossier.agency) == "An Phú"
    assert place_name(Agency.objects.get(code="H99.STP")) == "An Hòa"


def test_register_xlsx(dossier):
    dossier.processing_ended_at = at("07/10/2025 10:00")
    dossier.save()
    late = Dossier.objects.create(
        code="H99.X01-251003-0008",
        procedure=dossier.procedure,
        agency=dossier.agency,
        unit=dossier.agency,
        channel="online",
        status=Status.RETURNED,
        applicant_name='=HYPERLINK("http://x")',
        applicant_id_number="1",
        submitted_at=at("03/10/2025 10:00"),
        received_at=at("03/10/2025 10:05"),
        due_at=at("06/10/2025 10:05"),
        processing_ended_at=at("08/10/2025 09:00"),
        returned_at=at("08/10/2025 15:00"),
        supplement_requests=2,
    )
    early = Dossier.objects.create(
        code="H99.X01-251004-0001",
        procedure=dossier.procedure,
        agency=dossier.agency,
        unit=dossier.agency,
        channel="counter",
        status=Status.RETURNED,
        applicant_name="Lý Thị Hoa",
        applicant_id_number="2",
        submitted_at=at("04/10/2025 08:00"),
        received_at=at("04/10/2025 08:00"),
        due_at=at("09/10/2025 08:00"),
        returned_at=at("06/10/2025 14:00"),
    )
    data = register_xlsx(Dossier.objects.order_by("code"), agency=dossier.agency, period="Tháng 10/2025")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    assert "Tháng 10/2025" in sheet["A2"].value and "Mẫu số 07" in sheet["A2"].value
    header = [cell.value for cell in sheet[REGISTER_HEADER_ROW]]
    assert header == REGISTER_HEADERS
    assert all(cell.font.b for cell in sheet[REGISTER_HEADER_ROW])
    assert sheet.freeze_panes == f"A{REGISTER_HEADER_ROW + 1}"
    assert sheet.column_dimensions["C"].width > 30
    rows = [
        dict(zip(header, (cell.value for cell in row), strict=True))
        for row in sheet.iter_rows(min_row=REGISTER_HEADER_ROW + 1)
    ]
    assert [row["Mã hồ sơ"] for row in rows] == [CODE, late.code, early.code]
    assert [row["STT"] for row in rows] == [1, 2, 3]
    first = rows[0]
    assert first["Ngày nhận hồ sơ"] == datetime(2025, 10, 3, 9, 0)  # naive local time
    assert first["Ngày hẹn trả kết quả"] == datetime(2025, 10, 7, 16, 30)
    assert first["Ngày chuyển xử lý"] == datetime(2025, 10, 6, 15, 0)  # the "forward" event
    assert first["Thủ tục hành chính"] == "Đăng ký khai sinh thử nghiệm"
    assert first["Địa chỉ, số điện thoại"] == "12 Lê Lợi, phường An Phú, 0987 654 321"
    assert first["Trạng thái"] == "Đang xử lý"
    timeliness = "Kết quả (Trước hạn/Đúng hạn/Quá hạn)"
    assert [row[timeliness] for row in rows] == ["Đúng hạn", "Quá hạn", "Trước hạn"]
    assert rows[1]["Tên tổ chức, cá nhân"] == '=HYPERLINK("http://x")'  # text, not a formula
    assert sheet.cell(REGISTER_HEADER_ROW + 2, 4).data_type == "s"
    assert rows[1]["Ngày chuyển xử lý"] is None
    assert rows[1]["Trạng thái"] == "Đã trả kết quả"
    assert "Yêu cầu bổ sung 2 lần" in rows[1]["Ghi chú"]
    assert sheet.cell(REGISTER_HEADER_ROW + 1, 6).number_format == "dd/mm/yyyy hh:mm"


def test_empty_register():
    sheet = load_workbook(io.BytesIO(register_xlsx([]))).active
    assert sheet.max_row == REGISTER_HEADER_ROW

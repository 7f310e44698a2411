"""The portal-record parser: exact results on rows copied from the real file, then the whole file.

The parser is pure Python: no database is touched here.
"""

import json

import pytest

from motcua.catalogue.importers.dvc import channels
from motcua.catalogue.importers.dvc.figures import measure
from motcua.catalogue.importers.dvc.record import LEVELS, parse_record, read_jsonl

from ..conftest import CATALOGUE_FILE as CATALOGUE
from ..conftest import shared_file

CHANNELS = "Hình thức nộpThời gianPhí, lệ phíMô tả"


def parse(**fields):
    return parse_record({"ma_thu_tuc": "1.000001", "ten_thu_tuc": "Thủ tục thử", **fields})


def reasons(parsed):
    return [(p["field"], p["reason"]) for p in parsed["problems"]]


def channel(kind, value, unit, text, fees, fee_text, free=False, description=""):
    return {
        "channel": kind,
        "time_value": value,
        "time_unit": unit,
        "time_text": text,
        "fees": fees,
        "free": free,
        "fee_text": fee_text,
        "description": description,
    }


# --- channels, times, fees (rows of 1.000771, 1.001193, 1.000005, 3.000339, 1.003135) -------------


def test_channel_rows_with_usd_fee():
    p = parse(
        cach_thuc_thuc_hien=CHANNELS + "Trực tuyến5 Ngày làm việc10 USD(/lần)"
        "Dịch vụ bưu chính5 Ngày làm việc10 USD(/lần)Trực tiếp5 Ngày làm việc10 USD(/lần)"
    )
    fee = [{"kind": "other", "amount": 10, "currency": "USD", "description": "/lần"}]
    assert p["channels"] == [
        channel("online", 5.0, "working_days", "5 Ngày làm việc", fee, "10 USD(/lần)"),
        channel("post", 5.0, "working_days", "5 Ngày làm việc", fee, "10 USD(/lần)"),
        channel("counter", 5.0, "working_days", "5 Ngày làm việc", fee, "10 USD(/lần)"),
    ]
    assert p["problems"] == []


def test_vnd_fee_with_note_and_description_naming_other_channels():
    p = parse(
        cach_thuc_thuc_hien=CHANNELS + "Trực tiếp5 Ngày làm việc50,000 Việt Nam Đồng(- 50.000đ/tem “AB” "
        "(Thông tư số 25/2021/TT-BTC).)+ Trực tiếp: nộp hồ sơ tại trụ sở. + Trực tuyến: nộp qua Cổng."
        "Trực tuyến24 GiờMiễn phí(Không thu lệ phí)Nộp qua Cổng dịch vụ công."
    )
    assert p["channels"] == [
        channel(
            "counter",
            5.0,
            "working_days",
            "5 Ngày làm việc",
            [
                {
                    "kind": "other",
                    "amount": 50000,
                    "currency": "VND",
                    "description": "- 50.000đ/tem “AB” (Thông tư số 25/2021/TT-BTC).",
                }
            ],
            "50,000 Việt Nam Đồng(- 50.000đ/tem “AB” (Thông tư số 25/2021/TT-BTC).)",
            description="+ Trực tiếp: nộp hồ sơ tại trụ sở. + Trực tuyến: nộp qua Cổng.",
        ),
        channel(
            "online",
            24.0,
            "hours",
            "24 Giờ",
            [{"kind": "charge", "amount": 0, "currency": "VND", "description": "Không thu lệ phí"}],
            "Miễn phí(Không thu lệ phí)",
            free=True,
            description="Nộp qua Cổng dịch vụ công.",
        ),
    ]


def test_time_without_unit_is_kept_and_reported():
    p = parse(cach_thuc_thuc_hien=CHANNELS + "Trực tuyến1Miễn phíTrực tiếp1Miễn phí")
    free = [{"kind": "other", "amount": 0, "currency": "VND", "description": ""}]
    assert p["channels"] == [
        channel("online", 1.0, None, "1", free, "Miễn phí", free=True),
        channel("counter", 1.0, None, "1", free, "Miễn phí", free=True),
    ]
    assert reasons(p) == [("channels.time", "time has no unit")] * 2


def test_time_glued_to_the_amount_is_split_and_reported():
    p = parse(
        cach_thuc_thuc_hien=CHANNELS
        + "Trực tuyến120,000 VNĐ(Theo Thông tư số 172/2010/TT-BTC, lệ phí hải quan)"
    )
    assert p["channels"] == [
        channel(
            "online",
            1.0,
            None,
            "1",
            [
                {
                    "kind": "charge",
                    "amount": 20000,
                    "currency": "VND",
                    "description": "Theo Thông tư số 172/2010/TT-BTC, lệ phí hải quan",
                }
            ],
            "20,000 VNĐ(Theo Thông tư số 172/2010/TT-BTC, lệ phí hải quan)",
        )
    ]
    assert reasons(p) == [
        ("channels.time", "time glued to the fee amount; split assumed"),
        ("channels.time", "time has no unit"),
    ]


def test_free_fee_contradicted_by_its_note_is_reported():
    p = parse(
        cach_thuc_thuc_hien=CHANNELS + "Trực tuyến12 NgàyMiễn phí(Cho một loại hình sản phẩm: 8.000.000/lần.)"
    )
    assert p["channels"][0]["free"] is True
    assert p["channels"][0]["time_unit"] == "days"
    assert reasons(p) == [("channels.fees", "fee cell says free but its note states an amount")]


def test_fee_lines_written_in_the_description_when_the_fee_cell_is_empty():
    p = parse(
        cach_thuc_thuc_hien=CHANNELS + "Trực tuyến5 Ngày làm việcKhông có thông tin- 05 ngày làm việc\n"
        "- Lệ phí : 20.000 Đồng (Lệ phí cấp mới: 20.000 đồng/giấy.); \n- Phí : 50.000 Đồng (Phí thẩm định)"
    )
    assert p["channels"][0]["fees"] == [
        {
            "kind": "charge",
            "amount": 20000,
            "currency": "VND",
            "description": "Lệ phí cấp mới: 20.000 đồng/giấy.",
        },
        {"kind": "fee", "amount": 50000, "currency": "VND", "description": "Phí thẩm định"},
    ]
    assert p["channels"][0]["fee_text"] == ""
    assert reasons(p) == [("channels.fees", "fee cell empty; fee taken from the description")]


def test_no_information_and_text_times():
    p = parse(
        cach_thuc_thuc_hien=CHANNELS + "Trực tiếpKhông có thông tinKhông có thông tinTại trụ sở."
        "Trực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phíQua Cổng."
    )
    first, second = p["channels"]
    assert first == channel("counter", None, None, "", [], "", description="Tại trụ sở.")
    assert second["time_text"] == "Không phải trả kết quả cho người nộp thuế" and second["free"] is True
    assert reasons(p) == [("channels.time", "time is text, not a duration")]


# --- documents ---------------------------------------------------------------------------------


def test_documents_grouped_by_case_with_form_files():
    p = parse(
        thanh_phan_ho_so="Đối với cá nhân (bảo lãnh cho thân nhân): Tên giấy tờMẫu đơn, tờ khaiSố lượng"
        "Đơn bảo lãnh cho thân nhân là người nước ngoài nhập cảnh Việt Nam (mẫu NA3) ban hành kèm theo "
        "Thông tư số 22/2023/TT-BCA ngày 30/6/2023 của Bộ công an.NA3.doc1 bản chính"
        "Đối với cơ quan, tổ chức:Tên giấy tờMẫu đơn, tờ khaiSố lượngCông văn đề nghị xét duyệt (NA2)."
        "4-Mẫu NA2.doc1 bản chính- Bản sao hộ chiếu0 bản chính,2 bản sao"
    )
    assert p["cases"] == [
        {
            "name": "Đối với cá nhân (bảo lãnh cho thân nhân):",
            "documents": [
                {
                    "name": "Đơn bảo lãnh cho thân nhân là người nước ngoài nhập cảnh Việt Nam (mẫu NA3) ban hành kèm "
                    "theo Thông tư số 22/2023/TT-BCA ngày 30/6/2023 của Bộ công an.",
                    "originals": 1,
                    "copies": 0,
                    "form_template": "NA3.doc",
                    "notes": "",
                }
            ],
            "notes": [],
        },
        {
            "name": "Đối với cơ quan, tổ chức:",
            "documents": [
                {
                    "name": "Công văn đề nghị xét duyệt (NA2).",
                    "originals": 1,
                    "copies": 0,
                    "form_template": "4-Mẫu NA2.doc",
                    "notes": "",
                },
                {"name": "Bản sao hộ chiếu", "originals": 0, "copies": 2, "form_template": "", "notes": ""},
            ],
            "notes": [],
        },
    ]
    assert p["problems"] == []


def test_default_case_counts_glued_to_numbers_and_quantities_inside_names():
    p = parse(
        thanh_phan_ho_so="--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đăng ký theo Mẫu số 181 bản chính,1 bản sao"
        "Báo cáo giải trình (nếu có yêu cầu): 01 bản chính0 bản chính"
        "Văn bản đề nghị1 bản chính01 bản chính biên bản xác nhận giấy phép bị mất1 bản chính"
    )
    assert p["cases"] == [
        {
            "name": "",
            "documents": [
                {
                    "name": "Đơn đăng ký theo Mẫu số 18",
                    "originals": 1,
                    "copies": 1,
                    "form_template": "",
                    "notes": "",
                },
                {
                    "name": "Báo cáo giải trình (nếu có yêu cầu): 01 bản chính",
                    "originals": 0,
                    "copies": 0,
                    "form_template": "",
                    "notes": "",
                },
                {"name": "Văn bản đề nghị", "originals": 1, "copies": 0, "form_template": "", "notes": ""},
                {
                    "name": "01 bản chính biên bản xác nhận giấy phép bị mất",
                    "originals": 1,
                    "copies": 0,
                    "form_template": "",
                    "notes": "",
                },
            ],
            "notes": [],
        }
    ]


def test_documents_text_without_table_is_reported():
    p = parse(thanh_phan_ho_so="); nộp hồ sơ cho cơ quan BHXH.\nBước 2. Cơ quan BHXH tiếp nhận hồ sơ")
    assert p["cases"] == []
    assert reasons(p) == [("cases", "document table header missing")]


# --- legal basis, result, simple fields ----------------------------------------------------------


def test_legal_basis_numbers_glued_to_titles():
    p = parse(
        can_cu_phap_ly="Tên văn bản pháp lýMã văn bảnLuật 54/2014/QH1354/2014/QH13"
        "Thuế xuất khẩu, thuế nhập khẩu107/2016/QH13Nghị định 121/2021/NĐ-CP121/2021/NĐ-CP"
        "73/2025/TT-NHNNSố 73/2025/TT-NHNNLuật Doanh nghiệp 202076/2025/QH15"
        "Quyết định Quy định về chế độ đối với cán bộ53/2010/QĐ-TTg"
    )
    assert p["legal_basis"] == [
        {"number": "54/2014/QH13", "title": "Luật 54/2014/QH13"},
        {"number": "107/2016/QH13", "title": "Thuế xuất khẩu, thuế nhập khẩu"},
        {"number": "121/2021/NĐ-CP", "title": "Nghị định 121/2021/NĐ-CP"},
        {"number": "73/2025/TT-NHNN", "title": "73/2025/TT-NHNN"},
        {"number": "76/2025/QH15", "title": "Luật Doanh nghiệp 2020"},
        {"number": "53/2010/QĐ-TTg", "title": "Quyết định Quy định về chế độ đối với cán bộ"},
    ]
    assert p["problems"] == []


def test_legal_basis_without_number_is_reported():
    p = parse(can_cu_phap_ly="Tên văn bản pháp lýMã văn bảnLuật 79/2015/QH1379/2015/QH13Luật Thú y 2015")
    assert p["legal_basis"] == [{"number": "79/2015/QH13", "title": "Luật 79/2015/QH13"}]
    assert reasons(p) == [("legal_basis", "legal document without a recognisable number")]


def test_result_portal_noise_is_stripped():
    p = parse(
        ket_qua_xu_ly="Giấy phép nhập khẩu, xuất khẩuMã: KQ.G10.000272Từ khóaKhông có thông tinMô tả"
        "Không có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Tỉnh/ Thành phố --Nộp hồ sơ"
    )
    assert (p["result"], p["result_code"]) == ("Giấy phép nhập khẩu, xuất khẩu", "KQ.G10.000272")
    p = parse(
        ket_qua_xu_ly="Thông báo giải quyết đơn (mẫu CV05)Mã: KQ.G01.000079Thông báo chuyển đơn (mẫu CV04)"
        "Mã: KQ.G01.000103Từ khóaKhông có thông tinMô tảKhông có thông tin"
    )
    assert p["result"] == "Thông báo giải quyết đơn (mẫu CV05)\nThông báo chuyển đơn (mẫu CV04)"
    assert p["result_code"] == "KQ.G01.000079, KQ.G01.000103"


def test_simple_fields_levels_applicants_and_normalisation():
    decomposed = "Ca\u0302\u0301p ti\u0309nh, Ca\u0302\u0301p xa\u0303"  # "Cấp tỉnh, Cấp xã" in NFD
    p = parse(
        cap_thuc_hien=decomposed + ", Cơ quan khác",
        ten_thu_tuc="  Cấp  giấy phép \n",
        doi_tuong_thuc_hien="Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam, "
        "Cán bộ, công chức, viên chức",
        co_quan_phoi_hop="Không có thông tin",
        yeu_cau_dieu_kien=" Không có thông tin ",
        detail_url="https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x",
    )
    assert p["levels"] == ["province", "commune", "other"]
    assert p["name"] == "Cấp giấy phép"
    assert p["applicant_types"] == [
        "Tổ chức (không bao gồm doanh nghiệp, HTX)",
        "Công dân Việt Nam",
        "Cán bộ, công chức, viên chức",
    ]
    assert p["coordinating_agencies"] == p["conditions"] == ""
    assert p["source_url"] == "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x"
    assert reasons(parse(cap_thuc_hien="Cấp huyện")) == [("levels", "unknown level label")]


def test_steps_split_at_step_markers():
    p = parse(
        trinh_tu_thuc_hien="Bước 1: Thụ lý giải quyết khiếu nại\n\nNếu khiếu nại thuộc thẩm quyền.\n"
        "Bước 2: Kiểm tra lại quyết định (xem Bước 5: không phải bước mới)."
    )
    assert p["steps"] == [
        {"title": "Thụ lý giải quyết khiếu nại", "description": "Nếu khiếu nại thuộc thẩm quyền."},
        {"title": "Kiểm tra lại quyết định (xem Bước 5: không phải bước mới).", "description": ""},
    ]
    assert parse(trinh_tu_thuc_hien="- Nộp hồ sơ.\n- Nhận kết quả.")["steps"] == [
        {"title": "", "description": "- Nộp hồ sơ.\n- Nhận kết quả."}
    ]


def test_code_mismatch_is_a_problem_and_bad_content_never_raises():
    p = parse(code_mismatch=True, raw_text_code="1.000002")
    assert p["code_mismatch"] is True
    assert reasons(p) == [("code_mismatch", "page content belongs to another procedure")]
    odd = parse_record(
        {
            "ma_thu_tuc": 5,
            "cach_thuc_thuc_hien": ["x"],
            "thanh_phan_ho_so": None,
            "can_cu_phap_ly": "(",
            "ket_qua_xu_ly": "Mã:",
        }
    )
    assert odd["code"] == "5" and ("name", "procedure name missing") in reasons(odd)


def test_mappings_are_exported():
    assert LEVELS["Cấp bộ"] == "ministry" and channels.CHANNELS["Dịch vụ bưu chính"] == "post"
    assert channels.TIME_UNITS["Ngày làm việc"] == "working_days" and channels.TIME_UNITS["Giờ"] == "hours"


# --- read_jsonl --------------------------------------------------------------------------------


def test_read_jsonl_yields_line_numbers(tmp_path):
    path = tmp_path / "ok.jsonl"
    rows = [{"ma_thu_tuc": "1.1", "ten_thu_tuc": "A"}, {"ma_thu_tuc": "1.2", "ten_thu_tuc": "B"}]
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows[:1]) + "\n\n" + json.dumps(rows[1]) + "\n",
        encoding="utf-8",
    )
    assert list(read_jsonl(path)) == [(1, rows[0]), (3, rows[1])]


@pytest.mark.parametrize(
    "bad, message",
    [
        ('{"ma_thu_tuc": "1.3", "ten_thu_tuc": "C"', "line 2: malformed JSON"),
        ('{"ten_thu_tuc": "C"}', "line 2: missing ma_thu_tuc"),
        ('{"ma_thu_tuc": "1.3", "ten_thu_tuc": "  "}', "line 2: missing ten_thu_tuc"),
        ('["not", "an", "object"]', "line 2: expected a JSON object"),
    ],
)
def test_read_jsonl_rejects_a_bad_line_with_its_number(tmp_path, bad, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"ma_thu_tuc": "1.1", "ten_thu_tuc": "A"}\n' + bad + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        list(read_jsonl(path))


# --- the real file -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    rows = [row for _, row in read_jsonl(shared_file(CATALOGUE))]
    return measure(rows)


def share(stats, part, whole):
    return stats[part] / stats[whole]


@pytest.mark.realdata
def test_real_file_records_have_code_and_name(real):
    assert real["stats"]["code_and_name"] >= 2600


@pytest.mark.realdata
def test_real_file_fees_are_structured(real):
    assert share(real["stats"], "fee_structured", "fee_stated") >= 0.95


@pytest.mark.realdata
def test_real_file_documents_have_counts(real):
    assert share(real["stats"], "documents_counted", "documents_table") >= 0.95


@pytest.mark.realdata
def test_real_file_processing_time_floor(real):
    # 18% of records state no usable time: 338 give only a bare number ("1") on every channel and 122
    # say "Không có thông tin"; the contract forbids guessing a unit, so the reachable share is ~82%.
    assert share(real["stats"], "structured_time", "records") >= 0.80


@pytest.mark.realdata
def test_real_file_unstructured_times_are_reported_not_dropped(real):
    for p in real["parsed"]:
        unstructured = [c for c in p["channels"] if c["time_text"] and not c["time_unit"]]
        if unstructured:
            assert any(x["field"] == "channels.time" for x in p["problems"]), p["code"]
    assert real["reasons"]["code_mismatch: page content belongs to another procedure"] == 17

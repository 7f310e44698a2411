"""Classification, extraction and rules on text, without OCR (fast)."""

import datetime

from motcua.precheck import classify, extract, rules
from motcua.precheck.classify import Document
from motcua.precheck.requirements import Requirement, is_conditional
from motcua.precheck.text import Page


def page(text, file="a.pdf", number=1, source="layer", confidence=1.0):
    return Page(file, number, text, confidence, source, len(text.split()))


DECLARATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên người yêu cầu: NGUYỄN THỊ HƯƠNG\nGiấy tờ tùy thân: Thẻ căn cước số 001190012345"
CARD = "CĂN CƯỚC\nIDENTITY CARD\nSố định danh cá nhân: 001190012345\nHọ, chữ đệm và tên / Full name: NGUYỄN THỊ HƯƠNG\nNgày sinh / Date of birth: 15/03/1990\nCó giá trị đến / Date of expiry: 15/03/2040"


def test_conditional_documents_are_recognised_from_their_wording():
    assert is_conditional("Văn bản ủy quyền đăng ký khai sinh (khi nhờ người khác làm thay)")
    assert is_conditional("Giấy tờ tùy thân", "Chỉ xuất trình để đối chiếu")
    assert not is_conditional("Giấy chứng sinh", "Thiếu Giấy chứng sinh thì thay bằng xác nhận")


def test_pages_are_classified_by_title_and_grouped_into_documents(birth_requirements):
    form, certificate, card = birth_requirements
    pages = [
        page(DECLARATION, "to-khai.pdf", 1),
        page("Quê quán: Hòa Bình\nTôi cam đoan nội dung trên là đúng sự thật.", "to-khai.pdf", 2),
        page("BỘ Y TẾ\nGIAY CHUNG SINH\nHọ và tên mẹ: Nguyễn Thị Hương", "gcs.pdf"),  # OCR lost the marks
        page(CARD, "cc.pdf", 1),
        page(CARD, "cc.pdf", 2),  # a second card in the same file starts a second document
        page("NHÀ HÀNG PHỞ NGON\nPhở bò tái 50.000 đ", "hoa-don.jpg"),
    ]
    documents, loose = classify.group(pages, birth_requirements, rules.readable)
    assert [(d.requirement.name, d.file, d.page_range) for d in documents] == [
        (form.name, "to-khai.pdf", "1-2"),
        (certificate.name, "gcs.pdf", "1"),
        (card.name, "cc.pdf", "1"),
        (card.name, "cc.pdf", "2"),
    ]
    assert [p.file for p in loose] == ["hoa-don.jpg"]
    assert "TỜ KHAI" in documents[0].evidence


def test_extraction_finds_ids_and_labelled_dates():
    fields = extract.extract(CARD + "\nNgày, tháng, năm cấp / Date of issue: ngày 10 tháng 5 năm 2021")
    assert fields.id_numbers() == {"001190012345"}
    assert [v.value for v in fields.birth_dates] == [datetime.date(1990, 3, 15)]
    assert [v.value for v in fields.expiry_dates] == [datetime.date(2040, 3, 15)]
    assert [v.value for v in fields.issue_dates] == [datetime.date(2021, 5, 10)]
    assert fields.names[0].value == "NGUYỄN THỊ HƯƠNG"
    assert extract.parse_date("1990-03-15") == datetime.date(1990, 3, 15)


def _card(text=CARD, source="layer"):
    requirement = Requirement(name="Giấy tờ tùy thân (thẻ căn cước)", required=False)
    return Document(requirement, "cc.pdf", [page(text, "cc.pdf", source=source, confidence=0.9)])


def test_names_match_with_or_without_diacritics_and_mismatches_are_reported():
    application = {
        "full_name": "Nguyen Thi Huong",
        "id_number": "001190012345",
        "date_of_birth": "1990-03-15",
    }
    assert rules.consistency(_card(), application) == []
    application |= {
        "full_name": "Nguyễn Thị Hường",
        "id_number": "001190099999",
        "date_of_birth": "1991-03-15",
    }
    found = {f.field: f for f in rules.consistency(_card(), application)}
    assert set(found) == {"id_number", "date_of_birth"}  # Hường folds to Huong: same letters, marks aside
    assert found["id_number"].evidence.startswith("Số định danh") and "999" in found["id_number"].detail
    application["full_name"] = "Trần Văn Bình"
    assert "full_name" in {f.field for f in rules.consistency(_card(), application)}


def test_ocr_noise_in_a_name_is_tolerated_but_not_a_different_name():
    noisy = CARD.replace("NGUYỄN THỊ HƯƠNG", "NGUYÊN THI HUONO")
    application = {"full_name": "Nguyễn Thị Hương"}
    assert rules.consistency(_card(noisy, source="ocr"), application) == []
    assert rules.consistency(_card(noisy, source="layer"), application)
    assert rules.consistency(_card(source="ocr"), {"full_name": "Nguyễn Thị Lan"})


def test_only_the_closest_identity_card_is_compared_when_there_are_several():
    other = CARD.replace("NGUYỄN THỊ HƯƠNG", "DƯƠNG QUỐC HẢI").replace("001190012345", "001088054321")
    application = {"full_name": "Nguyễn Thị Hương", "id_number": "001190012345"}
    assert rules.consistency_all([_card(other), _card()], application, set()) == []
    assert len(rules.consistency_all([_card(other)], application, set())) == 2


def test_missing_required_documents_and_short_counts(birth_requirements):
    form, certificate, card = birth_requirements
    card.count = 2
    documents = [Document(form, "a.pdf", [page(DECLARATION)]), Document(card, "c.pdf", [page(CARD)])]
    found = rules.counts(birth_requirements, documents, doubtful=False)
    assert [(f.kind, f.requirement) for f in found] == [
        ("missing_document", certificate.name),
        ("wrong_count", card.name),
    ]


def test_expired_documents_by_expiry_date_or_validity_period():
    today = datetime.date(2026, 6, 1)
    assert rules.expiry(_card(), today) == []
    expired = rules.expiry(_card(CARD.replace("15/03/2040", "15/03/2024")), today)
    assert [f.kind for f in expired] == ["expired_document"] and "2024" in expired[0].evidence
    status = Document(
        Requirement(name="Giấy xác nhận tình trạng hôn nhân", validity_days=180),
        "x.pdf",
        [page("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN\nNgày cấp: 01/06/2025")],
    )
    assert [f.kind for f in rules.expiry(status, today)] == ["expired_document"]
    status.requirement.validity_days = 400
    assert rules.expiry(status, today) == []


def test_unreadable_pages_are_reported_with_the_document_they_continue(birth_requirements):
    first = page(DECLARATION, "to-khai.pdf", 1)
    garbage = page("wpe Mau lo si", "to-khai.pdf", 2, source="ocr", confidence=0.2)
    documents, _ = classify.group([first, garbage], birth_requirements, rules.readable)
    [finding] = rules.unreadable([first, garbage], documents)
    assert (finding.kind, finding.file, finding.page) == ("unreadable", "to-khai.pdf", 2)
    assert finding.requirement == birth_requirements[0].name

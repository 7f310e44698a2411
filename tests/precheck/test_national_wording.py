"""Classification of real papers against the national catalogue's wording (text only, no OCR): a form
whose title is the short head of a long requirement name, a paper named by what it proves, a page
photographed as its own file, and a required paper preferred to a conditional one on a tie."""

from motcua.precheck import cases, classify, rules
from motcua.precheck.requirements import Requirement

from .test_steps import page

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
ID_CARD = Requirement("Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử (giấy tờ tùy thân)")


def group(pages, requirements):
    return classify.group(pages, requirements, rules.readable)


def test_a_form_is_recognised_by_the_head_of_a_long_requirement_name():
    form = Requirement(
        "Tờ khai đề nghị bản sao Trích lục hộ tịch theo mẫu trong trường hợp người yêu cầu là cá nhân "
        "hoặc Văn bản yêu cầu cấp bản sao Trích lục hộ tịch nêu rõ lý do trong trường hợp người yêu cầu "
        "là cơ quan, tổ chức (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp);"
    )
    assert form.head() == "to khai de nghi ban sao trich luc ho tich"
    title = f"{MOTTO}\nTỜ KHAI ĐỀ NGHỊ CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH\nKính gửi: Ủy ban nhân dân xã Ea Kao"
    documents, loose = group([page(title, "to-khai.pdf")], [form, ID_CARD])
    assert [d.requirement for d in documents] == [form] and not loose
    # A name that is only qualifiers after two words gives no head: "Tờ khai" alone names every form.
    assert Requirement("Tờ khai theo mẫu").head() == ""


def test_an_official_paper_that_is_nothing_else_is_the_one_paper_named_by_its_purpose():
    proof = Requirement(
        "Văn bản của cơ quan y tế, cơ quan giám định hoặc cơ quan khác có thẩm quyền xác nhận quan hệ "
        "cha con, quan hệ mẹ con."
    )
    form = Requirement("Tờ khai đăng ký nhận cha, mẹ, con theo mẫu")
    assert proof.by_purpose and not form.by_purpose
    # A two-column header splits the motto; OCR misreads "Tự" as "Ty".
    report = (
        "VIỆN PHÁP Y QUỐC GIA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT\nPHÂN VIỆN PHÍA BẮC NAM\n"
        "Độc lập - Ty do - Hạnh phúc\nKẾT QUẢ GIÁM ĐỊNH ADN\n(xác định quan hệ huyết thống)"
    )
    receipt = "SIÊU THỊ MINH AN\nHÓA ĐƠN BÁN LẺ\nGạo 2 x 25.000 = 50.000\nTỔNG CỘNG: 50.000 đ"
    pages = [page(report, "adn.pdf"), page(receipt, "hoa-don.jpg")]
    documents, loose = group(pages, [form, proof, ID_CARD])
    assert [(d.requirement, d.file) for d in documents] == [(proof, "adn.pdf")]
    assert [p.file for p in loose] == ["hoa-don.jpg"]
    # Two papers named by their purpose: an unknown official paper could be either, so it is neither.
    other = Requirement("Giấy tờ chứng minh nơi cư trú của người nhận")
    documents, loose = group([page(report, "adn.pdf")], [form, proof, other])
    assert documents == [] and [p.file for p in loose] == ["adn.pdf"]


def test_a_certified_copy_and_its_original_are_both_the_papers_to_certify():
    papers = Requirement(
        "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao và bản sao cần chứng thực."
    )
    diploma = f"{MOTTO}\nBẰNG TỐT NGHIỆP CAO ĐẲNG\nCho: Bà Thân Kim Thơm"
    pages = [page(diploma, "ban-chinh.pdf"), page("BẢN SAO\n" + diploma, "ban-sao.pdf")]
    documents, loose = group(pages, [papers])
    assert [d.file for d in documents] == ["ban-chinh.pdf", "ban-sao.pdf"] and not loose


def test_a_page_photographed_as_its_own_file_continues_the_document_before_it():
    form = Requirement("Tờ khai đăng ký kết hôn theo mẫu")
    first = f"{MOTTO}\nTỜ KHAI ĐĂNG KÝ KẾT HÔN\nHọ, chữ đệm, tên: Mạc Bích Ngọc"
    second = "Chúng tôi cam đoan những lời khai trên đây là đúng sự thật.\nBên nữ Bên nam"
    back = "Nơi cư trú / Place of residence: ấp Sà Lôn, xã Ô Lâm\nNgày, tháng, năm cấp: 15/01/2025"
    card = "CĂN CƯỚC\nIDENTITY CARD\nSố định danh cá nhân: 001190012345"
    menu = "QUÁN ĂN BẢN MƯỜNG\nThực đơn - Menu\nCá suối nướng 40.000"
    pages = [
        page(first, "to-khai-1.jpg"),
        page(second, "to-khai-2.jpg"),
        page(card, "can-cuoc-1.jpg"),
        page(back, "can-cuoc-2.jpg"),
        page(menu, "thuc-don.jpg"),  # opens with a heading: it starts something of its own
        page(second, "tiep.jpg"),  # after an unrecognised file, nothing to continue
    ]
    documents, loose = group(pages, [form, ID_CARD])
    assert [(d.requirement, d.files) for d in documents] == [
        (form, ["to-khai-1.jpg", "to-khai-2.jpg"]),
        (ID_CARD, ["can-cuoc-1.jpg", "can-cuoc-2.jpg"]),
    ]
    assert documents[0].page_range == "1, to-khai-2.jpg p.1"
    assert [p.file for p in loose] == ["thuc-don.jpg", "tiep.jpg"]
    found = rules.unrecognised(loose, documents)
    assert [f.file for f in found] == ["thuc-don.jpg", "tiep.jpg"]


def test_on_a_tie_the_required_paper_wins_over_a_conditional_one():
    lease = Requirement("Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ được công chứng")
    looked_up = Requirement(
        "Thông tin chứng minh đủ diện tích nhà ở để đăng ký thường trú tại chỗ ở hợp pháp do thuê, "
        "mượn, ở nhờ được khai thác trong căn cước điện tử",
        required=False,
    )
    text = f"{MOTTO}\nHỢP ĐỒNG THUÊ NHÀ Ở\nBên cho thuê: Ông Hà Văn Tới"
    documents, _ = group([page(text, "hop-dong.pdf")], [looked_up, lease])
    assert [d.requirement for d in documents] == [lease]


# Fields as real forms and cards lay them out.

CARD_TEXT = (
    "CĂN CƯỚC / IDENTITY CARD\nSố định danh cá nhân / Personal identification number:\n004198541099\n"
    "Họ, chữ đệm và tên khai sinh / Full name:\nKHA DIỆU HOA\nNgày, tháng, năm sinh / Date of birth: 10/12/1998"
)
MARRIAGE_FORM = (
    "TỜ KHAI ĐĂNG KÝ KẾT HÔN\nHọ, chữ đệm, | KHA DIEU HOA LÒ BH | PÀNH\ntên\n"
    "Ngày, tháng, 10/12/1998 25/08/2000\nnăm sinh\nCăn cước số 004198541099 | Căn cước số 004200519961"
)
RESIDENCE_FORM = (
    "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ\n1. Họ, chữ đệm và tên TRIỆU XUÂN KHÁNH\n"
    "2. Ngày, tháng, năm sinh 01/01/1991\n4. Số định danh cá nhân 004091896908\n"
    "7. Họ, chữ đệm và tên chủ hộ Hà Bá Tởi"
)


def test_names_after_a_label_on_the_next_line_or_without_a_colon_are_extracted():
    from motcua.precheck.extract import extract

    assert [v.value for v in extract(CARD_TEXT).names] == ["KHA DIỆU HOA"]
    assert [v.value for v in extract(RESIDENCE_FORM).names] == ["TRIỆU XUÂN KHÁNH", "Hà Bá Tởi"]
    # A label with no name after it ("Mẫu | Họ và tên | Năm sinh" table heading) gives none.
    assert extract("Mẫu Họ và tên Năm sinh Loại mẫu\nM1 Y Bhin Êban 1986").names == []


def _document(requirement, text, source="ocr"):
    return classify.Document(requirement, "f.pdf", [page(text, "f.pdf", source=source, confidence=0.93)])


def test_names_and_birth_dates_are_compared_on_forms_and_cards_laid_out_as_they_are():
    form = Requirement("Tờ khai đăng ký kết hôn theo mẫu, có đủ thông tin của hai bên nam, nữ")
    card = Requirement("Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước (giấy tờ tùy thân)")
    applicant = {"full_name": "Kha Diệu Hoa", "date_of_birth": "1998-12-10", "id_number": "004198541099"}
    # OCR dropped the marks and garbled the partner's name in the next column: still the applicant's.
    assert rules.consistency(_document(form, MARRIAGE_FORM), applicant) == []
    assert rules.consistency(_document(card, CARD_TEXT), applicant) == []
    other = dict(applicant, full_name="Kha Diệu Liên")
    assert [f.field for f in rules.consistency(_document(form, MARRIAGE_FORM), other)] == ["full_name"]
    assert [f.field for f in rules.consistency(_document(card, CARD_TEXT), other)] == ["full_name"]
    # The birth date on the row after the applicant's name, on a form whose labels have no colons.
    residence = Requirement("Tờ khai thay đổi thông tin cư trú (mẫu CT01) ... không có hộ chiếu Việt Nam")
    assert not residence.identity  # a form that mentions a passport is no identity paper
    person = {"full_name": "Triệu Xuân Khánh", "date_of_birth": "1991-06-01", "id_number": "004091896908"}
    found = rules.consistency(_document(residence, RESIDENCE_FORM), person)
    assert [(f.field, f.evidence) for f in found] == [
        ("date_of_birth", "2. Ngày, tháng, năm sinh 01/01/1991")
    ]
    assert (
        rules.consistency(_document(residence, RESIDENCE_FORM), dict(person, date_of_birth="1991-01-01"))
        == []
    )


def test_a_form_about_someone_else_is_not_compared_to_the_applicant_birth_date():
    """A birth declaration gives the child's birth date, not the requester's."""
    form = Requirement("Tờ khai đăng ký khai sinh theo mẫu")
    text = (
        "TỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên người yêu cầu: KHỔNG DIỆU MAI THƠM\n"
        "Nơi cư trú: bản Co Mạ\nGiấy tờ tùy thân: Căn cước số 011303594480\nĐề nghị đăng ký khai sinh cho:\n"
        "Họ, chữ đệm, tên KHỔNG THỊ NGỌC SAO\nNgày, tháng, năm sinh 05/05/2026"
    )
    applicant = {
        "full_name": "Khổng Diệu Mai Thơm",
        "date_of_birth": "2003-08-02",
        "id_number": "011303594480",
    }
    assert rules.consistency(_document(form, text), applicant) == []


def test_a_document_with_an_unread_page_is_not_compared():
    """The requester's block may be on the page that could not be read (reported on its own)."""
    form = Requirement("Tờ khai đăng ký khai sinh theo mẫu")
    text = "TỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên KHONG THỊ NGỌC SAO"
    applicant = {"full_name": "Khổng Diệu Mai Thơm"}
    assert [f.field for f in rules.consistency(_document(form, text), applicant)] == ["full_name"]
    assert rules.consistency(_document(form, text), applicant, partial=True) == []


def test_a_scan_that_garbles_the_card_title_is_still_an_identity_card_by_its_labels():
    card = Requirement("Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước (giấy tờ tùy thân)")
    residence_proof = Requirement("Giấy tờ có giá trị chứng minh thông tin về cư trú", required=False)
    garbled = (
        f"{MOTTO}\nARI CEPA J TO ENTITV CADD\nHo, chữ đệm va tên khai sinh / Full name:\nĐINH THỊ ÁNH\n"
        "Ngày, thang, năm sinh / Date of birth: 14/02/1998\nGiới tinh / Sex: Nữ Quốc tịch / Nationality: Việt Nam"
    )
    documents, _ = group([page(garbled, "can-cuoc-vo.png")], [residence_proof, card])
    assert [d.requirement for d in documents] == [card]


def test_an_id_number_with_a_digit_dropped_or_doubled_by_ocr_still_matches():
    form = Requirement("Tờ khai đăng ký kết hôn theo mẫu")
    applicant = {"id_number": "011198274940"}
    doubled = _document(form, "TỜ KHAI ĐĂNG KÝ KẾT HÔN\nGiấy tờ tùy thân Căn cước số 0111898274940")
    assert rules.consistency(doubled, applicant) == []
    # Twelve digits that differ are another number, OCR or not.
    other = _document(form, "TỜ KHAI ĐĂNG KÝ KẾT HÔN\nGiấy tờ tùy thân Căn cước số 011198274941")
    assert [f.field for f in rules.consistency(other, applicant)] == ["id_number"]


def test_a_page_that_only_mentions_a_paper_continues_the_form_it_belongs_to():
    """A form's second page names other papers ("theo Giấy chứng sinh", "Số Giấy báo tử"): it is
    still the form, and the paper it mentions is still missing."""
    form = Requirement("Tờ khai đăng ký khai tử theo mẫu")
    notice = Requirement("Giấy báo tử hoặc giấy tờ thay Giấy báo tử do cơ quan có thẩm quyền cấp")
    birth = Requirement("Giấy chứng sinh")
    pages = [
        page(
            f"{MOTTO}\nTỜ KHAI ĐĂNG KÝ KHAI TỬ\nHọ, chữ đệm, tên người đã chết: MẠC VĂN TÌNH", "to-khai.pdf"
        ),
        page("Số Giấy báo tử 44/GBT\nNgày cấp 05/05/2026\nTôi cam đoan nội dung khai trên", "to-khai.pdf", 2),
        page("Họ, chữ đệm, tên người cha (theo Giấy chứng sinh)\nĐề nghị cấp bản sao", "to-khai.pdf", 3),
    ]
    documents, _ = group(pages, [form, notice, birth])
    assert [(d.requirement, d.page_range) for d in documents] == [(form, "1-3")]
    missing = rules.counts([form, notice, birth], documents, doubtful=False)
    assert [f.requirement for f in missing] == [notice.name, birth.name]
    # The paper itself, titled in capitals or in a short line, is still recognised.
    titled = page(f"{MOTTO}\nGIẤY BÁO TỬ\nSố: 44/GBT", "gbt.pdf")
    assert group([titled], [form, notice])[0][0].requirement is notice


def test_both_spouses_show_an_identity_paper():
    card = Requirement("Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước (giấy tờ tùy thân)")
    form = Requirement("Tờ khai đăng ký kết hôn theo mẫu")
    one = [
        classify.Document(form, "to-khai.pdf", [page("TỜ KHAI ĐĂNG KÝ KẾT HÔN", "to-khai.pdf")]),
        classify.Document(card, "can-cuoc-vo.jpg", [page("CĂN CƯỚC", "can-cuoc-vo.jpg")]),
    ]
    couple = {"id_number": "004198541099", "partner_id_number": "004200519961"}
    assert rules.people(couple) == 2 and rules.people({"id_number": "004198541099"}) == 1
    found = rules.counts([form, card], one, doubtful=False, people=rules.people(couple))
    assert [(f.kind, f.requirement) for f in found] == [("wrong_count", card.name)]
    assert rules.counts([form, card], one, doubtful=False, people=1) == []
    two = one + [classify.Document(card, "can-cuoc-chong.jpg", [page("CĂN CƯỚC", "can-cuoc-chong.jpg")])]
    assert rules.counts([form, card], two, doubtful=False, people=2) == []
    # An empty partner field names nobody.
    assert rules.people({"id_number": "004198541099", "partner_id_number": ""}) == 1


def test_a_case_whose_paper_is_read_by_its_title_beats_one_that_takes_it_as_a_paper_of_purpose():
    land = f"{MOTTO}\nGIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nNgười sử dụng đất: Ông Lương Thế Chiến"
    form = Requirement("Tờ khai thay đổi thông tin cư trú")
    vehicle = cases.Option(
        "Chỗ ở là phương tiện",
        [Requirement("Văn bản xác nhận của Ủy ban nhân dân cấp xã về địa điểm phương tiện đậu, đỗ"), form],
    )
    own = cases.Option(
        "Chỗ ở thuộc quyền sở hữu", [Requirement("Giấy tờ chứng nhận quyền sử dụng đất"), form]
    )
    choice = cases.choose([vehicle, own], [page(land, "dat.pdf")], rules.readable)
    assert choice.option is own and choice.runner_up.option is vehicle

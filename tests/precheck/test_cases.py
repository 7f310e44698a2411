"""Choosing the case a dossier is (cases.choose): on the same pages, the case whose requirements
explain them best; an exceptional case only on evidence; the named case always; and the national
catalogue's own lists read as an officer reads them (paper or e-form, looked-up data, any-of lists)."""

from motcua.precheck import cases
from motcua.precheck.requirements import Requirement, any_of, is_conditional, online_form
from motcua.precheck.rules import readable
from motcua.precheck.text import Page

BODY = "\nHọ, chữ đệm, tên: Hà Thị Mơ\nNơi cư trú: bản Nà Phặc, xã Quảng Uyên, tỉnh Cao Bằng"


def page(file: str, title: str, number: int = 1) -> Page:
    text = f"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{title}{BODY}"
    return Page(file, number, text, 1.0, "layer", len(text.split()))


ORDINARY = cases.Option(
    "",
    [
        Requirement("Giấy đề nghị đăng ký hộ kinh doanh"),
        Requirement("Bản sao hợp đồng thuê mặt bằng kinh doanh (nếu có)", required=False),
    ],
)
AUTHORISED = cases.Option(
    "Trường hợp ủy quyền thực hiện thủ tục",
    [Requirement("Văn bản ủy quyền cho cá nhân thực hiện thủ tục đăng ký hộ kinh doanh")],
    exceptional=True,
)
LATE = cases.Option(
    "Đăng ký khai sinh quá hạn",
    [
        Requirement("Giấy đề nghị đăng ký hộ kinh doanh"),
        Requirement("Văn bản xác nhận lý do chậm đăng ký (nếu có)", required=False),
    ],
    exceptional=True,
)


def test_the_ordinary_case_when_the_files_fit_it_and_the_runner_up_is_named():
    pages = [page("de-nghi.pdf", "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH")]
    choice = cases.choose([ORDINARY, AUTHORISED, LATE], pages, readable)
    assert choice.option is ORDINARY and choice.reason == cases.BEST
    assert choice.runner_up is not None and choice.runner_up.option is not ORDINARY
    assert [d.requirement.name for d in choice.fit.documents] == ["Giấy đề nghị đăng ký hộ kinh doanh"]


def test_an_exceptional_case_needs_evidence_a_file_only_it_explains():
    # The late case fits the request form exactly as well as the ordinary one: no evidence for it,
    # whichever the catalogue lists first.
    pages = [page("de-nghi.pdf", "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH")]
    assert cases.choose([ORDINARY, LATE], pages, readable).option is ORDINARY
    assert cases.choose([LATE, ORDINARY], pages, readable).option is ORDINARY
    # An authorisation letter that the ordinary case cannot explain is that evidence.
    pages = [page("uy-quyen.pdf", "VĂN BẢN ỦY QUYỀN CHO CÁ NHÂN THỰC HIỆN THỦ TỤC ĐĂNG KÝ HỘ KINH DOANH")]
    choice = cases.choose([ORDINARY, AUTHORISED], pages, readable)
    assert choice.option is AUTHORISED and choice.runner_up.option is ORDINARY


def test_a_named_case_is_checked_whatever_fits_better_and_a_single_case_is_the_only_one():
    pages = [page("de-nghi.pdf", "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH")]
    choice = cases.choose([ORDINARY, AUTHORISED], pages, readable, named=1)
    assert choice.option is AUTHORISED and choice.reason == cases.NAMED and choice.runner_up is None
    # The request form is none of the authorisation case's papers, but a paper of the procedure still.
    assert choice.fit.missing == 1 and not choice.fit.loose
    assert [d.requirement.name for d in choice.fit.documents] == ["Giấy đề nghị đăng ký hộ kinh doanh"]
    only = cases.choose([AUTHORISED], pages, readable)
    assert only.option is AUTHORISED and only.reason == cases.ONLY


def test_the_paper_declaration_is_required_on_paper_and_the_e_form_is_never_a_file():
    paper = (
        "Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức "
        "trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính);"
    )
    eform = "Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (do người yêu cầu cung cấp thông tin ...)"
    assert not is_conditional(paper) and is_conditional(paper, online=True)
    assert online_form(eform) and not online_form(paper)
    # Any other "(nếu ...)" is still a situation.
    assert is_conditional("Báo cáo kết quả (nếu có)")


def test_data_the_office_looks_up_is_never_demanded_and_any_of_lists_recognise_each_paper():
    looked_up = (
        "Thông tin chứng minh về chỗ ở hợp pháp được khai thác trong căn cước điện tử, tài khoản "
        "định danh điện tử trên hệ thống định danh và xác thực điện tử"
    )
    assert is_conditional(looked_up)
    assert not is_conditional("Thông tin về người được giám hộ")
    listed = Requirement(
        "Giấy tờ chứng minh chỗ ở hợp pháp là một trong những giấy tờ sau: a) Giấy chứng nhận quyền "
        "sử dụng đất; b) Hợp đồng cho thuê nhà ở có công chứng; c) Văn bản xác nhận của Ủy ban nhân dân"
    )
    assert listed.alternatives() == [
        "giay chung nhan quyen su dung dat",
        "hop dong cho thue nha o co cong chung",
        "van ban xac nhan cua uy ban nhan dan",
    ]
    pages = [page("hop-dong.pdf", "HỢP ĐỒNG CHO THUÊ NHÀ Ở CÓ CÔNG CHỨNG")]
    choice = cases.choose([cases.Option("", [listed])], pages, readable)
    assert [d.requirement for d in choice.fit.documents] == [listed]
    assert Requirement("Giấy chứng sinh").alternatives() == []


def test_a_case_that_lists_alternatives_is_one_requirement_any_of_them_satisfies():
    heading = "Trường hợp ủy quyền thực hiện thủ tục thì hồ sơ phải kèm theo một trong những giấy tờ sau:"
    papers = [
        Requirement("(i) Văn bản ủy quyền cho cá nhân thực hiện thủ tục", required=False),
        Requirement("(ii) Bản sao hợp đồng cung cấp dịch vụ với tổ chức làm dịch vụ", required=False),
        Requirement("(v) Người ủy quyền và người được ủy quyền chịu trách nhiệm trước pháp luật"),
    ]
    (merged,) = any_of(heading, papers)
    assert merged.required and merged.name == heading.rstrip(":")
    pages = [page("hop-dong.pdf", "HỢP ĐỒNG CUNG CẤP DỊCH VỤ VỚI TỔ CHỨC LÀM DỊCH VỤ")]
    choice = cases.choose([cases.Option(heading, [merged])], pages, readable)
    assert [d.requirement for d in choice.fit.documents] == [merged] and choice.fit.missing == 0
    # Without the heading, the list stays as it is.
    assert any_of("Trường hợp ủy quyền thực hiện thủ tục", papers) == papers

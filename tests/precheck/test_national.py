"""The pre-check against the imported national catalogue (../shared/data): a complete dossier of
each of the five procedures the reviewers tried is reported complete, checked against the ordinary
case, never the authorisation case, and what is really missing is still found."""

import io
import json

import pytest
from django.core.management import call_command

from ..conftest import CATALOGUE_FILE, shared_file
from .conftest import ID, MOTTO, NAME, identity_card, lines, render

FIVE = ("1.001193", "1.000656", "1.000894", "1.001612", "1.004194")


@pytest.fixture
def national(db, tmp_path):
    source = shared_file(CATALOGUE_FILE)
    chosen = tmp_path / "five.jsonl"
    with source.open(encoding="utf-8") as records, chosen.open("w", encoding="utf-8") as out:
        out.writelines(line for line in records if json.loads(line)["ma_thu_tuc"] in FIVE)
    call_command("catalogue_import", str(chosen), summary=True, stdout=io.StringIO())


def paper(title: str, *pairs, heading: str = MOTTO) -> bytes:
    return render(heading + f"<h1>{title}</h1>" + lines(*pairs) + "<p>Người khai ký, ghi rõ họ tên</p>")


APPLICANT = (("Họ, chữ đệm, tên người yêu cầu", NAME), ("Số định danh cá nhân", ID))
HOSPITAL = "<p>SỞ Y TẾ TỈNH LAI CHÂU</p><p>Bệnh viện Đa khoa tỉnh</p>"
DOSSIERS = {
    "1.001193": {
        "to-khai.pdf": paper(
            "TỜ KHAI ĐĂNG KÝ KHAI SINH", *APPLICANT, ("Họ tên người được khai sinh", "Lò Văn Páo")
        ),
        "chung-sinh.pdf": paper("GIẤY CHỨNG SINH", ("Họ và tên mẹ", NAME), heading=HOSPITAL),
    },
    "1.000656": {
        "to-khai.pdf": paper("TỜ KHAI ĐĂNG KÝ KHAI TỬ", *APPLICANT, ("Họ tên người chết", "Lò Văn Pâng")),
        "bao-tu.pdf": paper("GIẤY BÁO TỬ", ("Họ, chữ đệm, tên người chết", "Lò Văn Pâng"), heading=HOSPITAL),
    },
    "1.000894": {
        "to-khai.pdf": paper(
            "TỜ KHAI ĐĂNG KÝ KẾT HÔN", ("Họ, chữ đệm, tên bên nữ", NAME), ("Số định danh", ID)
        ),
    },
    "1.001612": {
        "de-nghi.pdf": paper(
            "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH", *APPLICANT, ("Tên hộ kinh doanh", "Quán Mơ")
        ),
    },
    "1.004194": {
        "ct01.pdf": paper(
            "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ", *APPLICANT, ("Nội dung đề nghị", "Đăng ký tạm trú")
        ),
    },
}


def check(folder, code):
    out = io.StringIO()
    call_command("precheck", str(folder), procedure=code, json=True, stdout=out)
    return json.loads(out.getvalue())


def dossier(tmp_path, code, files):
    folder = tmp_path / code
    folder.mkdir()
    application = {
        "full_name": NAME,
        "id_number": ID,
        "date_of_birth": "1990-03-15",
        "checked_on": "2026-06-01",
    }
    (folder / "application.json").write_text(json.dumps(application, ensure_ascii=False), encoding="utf-8")
    for name, data in {**files, "can-cuoc.pdf": identity_card()}.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("code", FIVE)
def test_a_complete_dossier_of_each_of_the_five_is_complete_and_checked_against_the_ordinary_case(
    national, tmp_path, code
):
    result = check(dossier(tmp_path, code, DOSSIERS[code]), code)
    assert result["complete"], result["findings"]
    assert "ủy quyền" not in result["case"].lower(), result["case"]
    assert result["case_reason"] in ("best", "only") and result["case_number"] >= 1
    assert len(result["documents"]) == len(DOSSIERS[code]) + 1, result["documents"]


def test_what_is_really_missing_is_still_found_once(national, tmp_path):
    files = dict(DOSSIERS["1.001193"])
    del files["chung-sinh.pdf"]
    result = check(dossier(tmp_path, "1.001193", files), "1.001193")
    assert [(f["kind"], f["requirement"][:15]) for f in result["findings"]] == [
        ("missing_document", "Giấy chứng sinh")
    ]
    # The household-business request itself is missing: an ID card is no evidence of authorisation.
    files = {"can-cuoc-2.pdf": identity_card()}
    result = check(dossier(tmp_path, "1.001612", files), "1.001612")
    assert result["case_number"] == 1 and "ủy quyền" in result["runner_up"]
    assert [(f["kind"], f["requirement"]) for f in result["findings"]] == [
        ("missing_document", "Giấy đề nghị đăng ký hộ kinh doanh;")
    ]

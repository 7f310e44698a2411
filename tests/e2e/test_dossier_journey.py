"""A dossier's whole life in the browser: submitted online, supplemented, processed, approved, signed,
returned, verified and rated, each step by the person whose job it is."""

import pytest

from ..dossiers.conftest import PDF
from .conftest import sign_in

pytestmark = pytest.mark.browser


def act(page, action, fill=None):
    form = page.locator(f"#action-{action}")
    if fill:
        fill(form)
    form.locator("button[name=do]").click()
    page.wait_for_load_state()
    assert not page.locator(".msg.error").count(), page.locator(".messages").inner_text()


def status(page):
    return page.locator("h1 .status").get_attribute("class")


def test_the_whole_journey(browser, portal):
    citizen = sign_in(browser, portal, "congdan")
    citizen.goto(f"{portal}/thu-tuc/1.001193/")
    citizen.click("#submit-link")
    citizen.fill("#id_applicant_id_number", "001203004567")
    citizen.fill("#id_applicant_email", "an@example.invalid")
    citizen.select_option("#id_agency", label="Ủy ban nhân dân phường An Phú")
    first_document = citizen.locator("input[type=file]").first
    first_document.set_input_files([{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    citizen.locator("form button[type=submit]").last.click()
    citizen.wait_for_url("**/ho-so/H99.X01-*/")
    code = citizen.locator("h1 .code").inner_text()
    dossier_url = f"{portal}/ho-so/{code}/"
    assert "s1" in status(citizen)

    reception = sign_in(browser, portal, "tiepnhan")
    reception.goto(dossier_url)

    def ask_for_authorisation(form):
        form.locator("input[type=checkbox]").nth(2).check()
        form.locator("input[type=text]").nth(2).fill("Thiếu văn bản ủy quyền có chứng thực")

    act(reception, "request_supplement", ask_for_authorisation)
    assert "s5" in status(reception)
    form02 = reception.request.get(f"{dossier_url}mau-02.pdf")
    assert form02.ok and form02.body().startswith(b"%PDF-")

    citizen.goto(dossier_url)
    act(
        citizen,
        "supplement",
        lambda form: form.locator("input[type=file]").set_input_files(
            [{"name": "uy-quyen.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        ),
    )
    assert "s1" in status(citizen)  # back to waiting for reception

    reception.goto(dossier_url)
    act(reception, "receive")
    assert "s2" in status(reception)
    act(
        reception, "forward", lambda form: form.locator("select[name=to]").select_option(label="Lê Văn Cường")
    )

    officer = sign_in(browser, portal, "chuyenvien")
    officer.goto(dossier_url)
    act(officer, "attach_result")
    act(officer, "forward")

    leader = sign_in(browser, portal, "lanhdao")
    leader.goto(dossier_url)
    act(leader, "approve")
    assert "s9" in status(leader)

    reception.goto(dossier_url)
    act(reception, "return_result", lambda form: form.locator("select[name=method]").select_option("counter"))
    assert "s10" in status(reception)
    signed = reception.request.get(f"{dossier_url}ket-qua.pdf").body()

    verifier = browser.new_context().new_page()
    reception.goto(dossier_url)
    verify_link = reception.locator("a[href^='/verify/']").get_attribute("href")
    assert verify_link.startswith(f"/verify/{code}/") and len(verify_link) > len(f"/verify/{code}/") + 20
    verifier.goto(f"{portal}{verify_link}")
    verifier.set_input_files(
        "#id_file", [{"name": "kq.pdf", "mimeType": "application/pdf", "buffer": signed}]
    )
    verifier.locator("form button[type=submit]").click()
    assert "ok" in verifier.locator("#verdict").get_attribute("class")
    cut = len(signed) // 3
    tampered = signed[:cut] + bytes([signed[cut] ^ 0x20]) + signed[cut + 1 :]
    verifier.set_input_files(
        "#id_file", [{"name": "kq.pdf", "mimeType": "application/pdf", "buffer": tampered}]
    )
    verifier.locator("form button[type=submit]").click()
    assert "error" in verifier.locator("#verdict").get_attribute("class")

    citizen.goto(dossier_url)

    def rate(form):
        form.locator("input[name=convenience][value='2']").check()
        form.locator("input[name=overall][value='1']").check()
        form.locator("textarea[name=comment]").fill("Cán bộ hướng dẫn tận tình.")

    act(citizen, "rate", rate)
    assert citizen.locator("#action-rate").count() == 0
    timeline = citizen.locator("table.timeline tbody tr")
    assert timeline.count() >= 10

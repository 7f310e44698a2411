"""An officer receives a dossier with a missing document at the counter, sees the pre-check finding
with its evidence, accepts it and produces the Form 02 PDF that lists it."""

import io

import pytest
from pypdf import PdfReader

from ..precheck.conftest import declaration
from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def tasks_inline(settings):
    # The worker's job runs inside the request once it commits, so the page shows the result at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def signed_in_form(browser, portal, username):
    """Signed in as `username` on the birth registration form, with the applicant filled in."""
    page = sign_in(browser, portal, username, locale="vi-VN")
    page.goto(f"{portal}/ho-so/nop/1.001193/")
    page.fill("#id_applicant_name", "Nguyễn Thị Hương")
    page.fill("#id_applicant_id_number", "001190012345")
    return page.context, page


def test_officer_sees_the_missing_document_and_prints_form_02(browser, portal, tasks_inline):
    context, page = signed_in_form(browser, portal, "tiepnhan")
    form_pdf = declaration("Nguyễn Thị Hương", "001190012345")
    page.locator("input[type=file]").first.set_input_files(
        [{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": form_pdf}]
    )
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/ho-so/H99.X01-*/")

    panel = page.locator("#precheck")
    missing = panel.locator(".finding-missing_document")
    assert missing.count() == 1
    assert "Giấy chứng sinh" in panel.locator("tr.state-problem").first.inner_text()
    # The evidence: what the files were recognised as, and the title line that recognised them.
    assert "to-khai.pdf" in missing.inner_text()
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in panel.inner_text()

    missing.locator("button[value=accept]").click()
    page.wait_for_load_state()
    assert panel.locator(".finding-missing_document button").count() == 0  # decided and recorded

    href = page.locator("#precheck-form-02").get_attribute("href")
    response = page.request.get(f"{portal}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Giấy chứng sinh" in text
    context.close()


def test_citizen_checks_documents_before_submitting_and_watches_the_progress(browser, portal):
    """The check before submitting runs in the worker: the new tab shows the progress and reloads
    itself (no JavaScript needed) until the result is there; then nothing of it is kept."""
    from motcua.precheck import services
    from motcua.precheck.models import Check

    context, page = signed_in_form(browser, portal, "congdan")
    page.select_option("#id_agency", index=1)
    form_pdf = declaration("Nguyễn Thị Hương", "001190012345")
    page.locator("input[type=file]").first.set_input_files(
        [{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": form_pdf}]
    )
    with context.expect_page() as opened:
        page.click("#precheck-try")
    result = opened.value
    result.wait_for_selector("#precheck-try-progress")  # queued: no worker has taken it yet
    check = Check.objects.get(dossier=None)
    services.run_check(check.pk)  # the worker
    result.wait_for_selector(".missing-items", timeout=15_000)  # the page reloaded itself
    assert "Giấy chứng sinh" in result.locator(".missing-items").inner_text()
    assert not Check.objects.exists()  # shown once, then deleted
    assert page.url.endswith("/ho-so/nop/1.001193/")  # the form is still there, untouched
    context.close()

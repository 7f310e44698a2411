"""The pre-check on real dossiers: queued when a dossier is submitted, run by the task, reviewed by an
official of the dossier's unit only, turned into Form 02; the citizen sees only the missing items."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from motcua.catalogue.models import Procedure
from motcua.precheck import services, tasks
from motcua.precheck.models import Check, Decision, Finding
from motcua.precheck.tasks import precheck_dossier, precheck_try

from ..dossiers.conftest import apply, birth, people  # noqa: F401
from .conftest import declaration, upload

FORM = "Tờ khai đăng ký khai sinh"


@pytest.fixture
def checked(apply, django_capture_on_commit_callbacks):  # noqa: F811
    """A dossier submitted online with only its declaration: the birth certificate is missing."""
    with django_capture_on_commit_callbacks(execute=True):
        dossier = apply(files=[(None, upload("to-khai.pdf", declaration("Nguyễn Văn An", "001203004567")))])
    check = services.latest(dossier)
    return dossier, check


def test_submitting_queues_a_check_that_the_task_runs(checked):
    dossier, check = checked
    assert check.status == "queued"
    assert DBTaskResult.objects.filter(task_path=precheck_dossier.module_path).count() == 1
    services.run_check(check.pk)
    check.refresh_from_db()
    assert check.status == "done" and check.progress == 100 and check.complete is False
    assert [(f.kind, f.requirement_name) for f in check.findings.all()] == [
        ("missing_document", "Giấy chứng sinh")
    ]
    assert check.documents[0]["requirement"] == FORM and check.documents[0]["file"] == "to-khai.pdf"
    finished_at, finding_ids = check.finished_at, list(check.findings.values_list("pk", flat=True))
    services.run_check(check.pk)  # idempotent: a finished check is left alone
    check.refresh_from_db()
    assert check.finished_at == finished_at
    assert list(check.findings.values_list("pk", flat=True)) == finding_ids


def test_only_officials_of_the_unit_decide_and_decisions_are_recorded(checked, people):  # noqa: F811
    dossier, check = checked
    services.run_check(check.pk)
    finding = check.findings.get()
    for outsider in (people["congdan"], people["tiepnhan.x02"]):
        with pytest.raises(PermissionDenied):
            services.decide(finding, by=outsider, accept=True)
    services.decide(finding, by=people["tiepnhan"], accept=False, note="Bệnh viện đã gửi bản điện tử")
    finding.refresh_from_db()
    assert finding.decision == Decision.OVERRIDDEN and finding.decided_by == people["tiepnhan"]
    assert services.precision_by_kind()["missing_document"]["precision"] == 0.0


def test_form_02_lists_the_accepted_findings(checked, people, client):  # noqa: F811
    dossier, check = checked
    services.run_check(check.pk)
    finding = check.findings.get()
    client.force_login(people["tiepnhan"])
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Giấy chứng sinh" in page and f"finding-{finding.pk}" in page
    client.post(f"/ho-so/{dossier.code}/kiem-tra/phat-hien/{finding.pk}/", {"decision": "accept"})
    response = client.get(f"/ho-so/{dossier.code}/kiem-tra/mau-02.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Giấy chứng sinh" in text and "BỔ SUNG" in text.upper()
    client.post(f"/ho-so/{dossier.code}/kiem-tra/yeu-cau-bo-sung/")
    dossier.refresh_from_db()
    assert dossier.status == 5 and dossier.pauses.get().items[0]["document"] == "Giấy chứng sinh"


def test_other_units_see_nothing_and_the_citizen_sees_only_missing_items(checked, people, client):  # noqa: F811
    dossier, check = checked
    services.run_check(check.pk)
    finding = check.findings.get()
    client.force_login(people["tiepnhan.x02"])
    assert (
        client.post(
            f"/ho-so/{dossier.code}/kiem-tra/phat-hien/{finding.pk}/", {"decision": "accept"}
        ).status_code
        == 404
    )
    assert client.get(f"/ho-so/{dossier.code}/kiem-tra/mau-02.pdf").status_code == 404
    client.force_login(people["congdan"])
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Giấy chứng sinh" in page.split('id="precheck"')[1]
    assert f"finding-{finding.pk}" not in page  # no evidence, no decision buttons
    assert (
        client.post(
            f"/ho-so/{dossier.code}/kiem-tra/phat-hien/{finding.pk}/", {"decision": "accept"}
        ).status_code
        == 404
    )
    finding.refresh_from_db()
    assert finding.decision == Decision.PENDING


def test_a_citizen_checks_files_before_submitting(people, birth, client, django_capture_on_commit_callbacks):  # noqa: F811
    """The check runs in the worker on files held for it; the citizen watches its progress, sees the
    result once, and then nothing is left: no files, no check, no findings."""
    client.force_login(people["congdan"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ho-so/kiem-tra-truoc/{birth.code}/",
            {"applicant_name": "Nguyễn Văn An", "doc_1": upload("to-khai.pdf", declaration("Nguyễn Văn An"))},
        )
    assert response.status_code == 302
    check = Check.objects.get()
    assert check.dossier is None and check.status == "queued" and check.requested_by == people["congdan"]
    assert DBTaskResult.objects.filter(task_path=precheck_try.module_path).count() == 1
    [held] = [item["path"] for item in check.uploads]
    assert default_storage.exists(held) and "to-khai" not in held  # stored under a random name

    waiting = client.get(response.url)
    assert (
        waiting.status_code == 200
        and waiting["Refresh"]
        and 'id="precheck-try-progress"' in (waiting.content.decode())
    )
    client.force_login(people["tiepnhan"])
    assert client.get(response.url).status_code == 404  # only the citizen who asked, not even an official

    services.run_check(check.pk)  # the worker
    assert not default_storage.exists(held)
    check.refresh_from_db()
    assert check.status == "done" and check.uploads == []

    client.force_login(people["congdan"])
    page = client.get(response.url)
    assert page.status_code == 200 and "Refresh" not in page
    assert "Giấy chứng sinh" in page.content.decode() and "to-khai.pdf" in page.content.decode()
    assert not Check.objects.exists() and not Finding.objects.exists()  # shown once, then gone
    assert client.get(response.url).status_code == 404


def test_a_check_before_submitting_nobody_came_back_for_expires(people, birth):  # noqa: F811
    check = tasks.schedule_try(birth, by=people["congdan"], application={}, files=[("a.pdf", b"%PDF-")])
    [held] = [item["path"] for item in check.uploads]
    Check.objects.filter(pk=check.pk).update(created_at=timezone.now() - services.TRY_TTL * 2)
    assert services.try_of(check.pk, people["congdan"]) is None
    assert services.purge_tries() == 1
    assert not Check.objects.exists() and not default_storage.exists(held)
    assert services.run_check(check.pk) is None  # a task that comes late finds nothing to do


def test_checks_before_submitting_are_rate_limited(people, birth, client, monkeypatch):  # noqa: F811
    monkeypatch.setattr("motcua.precheck.views.TRY_LIMIT", 2)
    client.force_login(people["congdan"])
    url = f"/ho-so/kiem-tra-truoc/{birth.code}/"
    assert [client.post(url, {"applicant_name": "An"}).status_code for _ in range(3)] == [200, 200, 429]


def test_a_check_whose_task_became_a_dead_letter_is_failed_not_running(
    apply,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from motcua.core.tasks.models import DeadLetter
    from motcua.core.tasks.recovery import dead_letter

    with django_capture_on_commit_callbacks(execute=True):
        dossier = apply()
    check = dossier.prechecks.get()
    result = DBTaskResult.objects.get(task_path="motcua.precheck.tasks.precheck_dossier")
    dead_letter(result, DeadLetter.Reason.LOST)
    check.refresh_from_db()
    assert check.status == "failed" and check.error == "worker lost" and check.finished_at


def test_the_officer_sees_the_case_chosen_and_switches_case_to_recompute(checked, people, client, birth):  # noqa: F811
    dossier, check = checked
    services.run_check(check.pk)
    check.refresh_from_db()
    ordinary, late, abandoned = birth.cases.all()
    assert check.case == ordinary and check.case_reason == "best" and check.runner_up in (late, abandoned)
    client.force_login(people["tiepnhan"])
    page = client.get(f"/ho-so/{dossier.code}/").content.decode().split('id="precheck"')[1]
    assert "phù hợp nhất với các tệp" in page and "Phù hợp thứ hai" in page
    assert f'<option value="{late.pk}"' in page

    other_case = Procedure.objects.exclude(pk=birth.pk).filter(cases__isnull=False).first().cases.first()
    before = Check.objects.count()
    response = client.post(f"/ho-so/{dossier.code}/kiem-tra/chay/", {"case": other_case.pk}, follow=True)
    assert Check.objects.count() == before and response.status_code == 200

    client.post(f"/ho-so/{dossier.code}/kiem-tra/chay/", {"case": late.pk})
    switched = services.latest(dossier)
    assert switched.pk != check.pk and switched.case == late and switched.case_reason == "named"
    services.run_check(switched.pk)
    switched.refresh_from_db()
    assert switched.case == late and switched.case_reason == "named" and switched.runner_up is None
    late_names = {d.name for d in late.documents.all()}
    assert {f.requirement_name for f in switched.findings.filter(kind="missing_document")} <= late_names
    rows = services.checklist(switched)["rows"]
    assert {row["requirement"].name for row in rows} == late_names
    page = client.get(f"/ho-so/{dossier.code}/").content.decode().split('id="precheck"')[1]
    assert f'<option value="{late.pk}" selected' in page

"""The dossier life cycle through the services, on the demo province and catalogue."""

import datetime
import re
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation

from motcua.accounts.models import Agency, Role, User
from motcua.dossiers import codes, deadlines, services
from motcua.dossiers.models import Attachment, Dossier, Status
from motcua.dossiers.permissions import visible_to

from .conftest import pdf

pytestmark = pytest.mark.django_db


def test_online_submission_gets_a_code_and_keeps_its_files(apply):
    dossier = apply()
    assert re.fullmatch(r"H99\.X01-\d{6}-0001", dossier.code)
    assert dossier.status == Status.SUBMITTED and dossier.received_at is None
    assert dossier.digitisation == 1  # its components arrived as electronic copies
    files = list(dossier.attachments.all())
    assert len(files) == 2 and all(len(f.sha256) == 64 and f.content_type == "application/pdf" for f in files)
    assert [e.action for e in dossier.events.all()] == ["submit"]


def test_counter_intake_receives_at_once_with_an_explained_due_date(apply, people):
    with services.clock(datetime.datetime(2025, 10, 1, 9, 0, tzinfo=deadlines.VIETNAM)):  # a Wednesday
        dossier = apply(by=people["tiepnhan"])
    assert dossier.status == Status.RECEIVED and dossier.received_by == people["tiepnhan"]
    assert dossier.due_at == datetime.datetime(2025, 10, 2, 9, 0, tzinfo=deadlines.VIETNAM)
    assert dossier.due_explanation == [
        "Tiếp nhận: Thứ 4 01/10/2025 09:00",
        "Thời hạn giải quyết: 1 ngày làm việc (8 giờ làm việc)",
        "Hạn trả kết quả: Thứ 5 02/10/2025 09:00",
    ]
    assert dossier.step.role == Role.RECEPTION


def test_a_bad_file_is_refused_and_nothing_is_saved(apply, birth, settings):
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    with pytest.raises(ValidationError, match="scan.pdf"):
        apply(files=[(None, pdf()), (None, fake)])
    assert not Dossier.objects.exists() and not Attachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_the_whole_journey(apply, people):
    citizen, reception, officer, leader = (
        people[n] for n in ("congdan", "tiepnhan", "chuyenvien", "lanhdao")
    )
    dossier = apply()
    dossier = services.receive(dossier, by=reception, version=dossier.version)
    first_due = dossier.due_at
    docs = list(dossier.case.documents.all())
    dossier = services.request_supplement(
        dossier,
        by=reception,
        version=dossier.version,
        items=[{"document": docs[2].name, "reason": "Thiếu văn bản ủy quyền"}],
    )
    assert dossier.status == Status.SUPPLEMENT and dossier.supplement_requests == 1
    dossier = services.supplement(
        dossier, by=citizen, files=[(None, pdf("uy-quyen.pdf"))], version=dossier.version
    )
    assert dossier.status == Status.RECEIVED and dossier.due_at >= first_due
    dossier = services.forward(dossier, by=reception, to=officer, version=dossier.version)
    assert dossier.status == Status.PROCESSING and dossier.assignee == officer
    with pytest.raises(services.TransitionError):
        services.forward(dossier, by=officer, version=dossier.version)  # no result yet
    dossier = services.attach_result(dossier, by=officer, version=dossier.version)
    dossier = services.forward(dossier, by=officer, version=dossier.version)
    assert dossier.step.role == Role.LEADER
    dossier = services.approve(dossier, by=leader, version=dossier.version)
    assert dossier.status == Status.PROCESSED and dossier.result_signed_at
    from motcua.core.backends import agency_signer

    with dossier.result.open("rb") as handle:
        assert agency_signer().verify(handle.read()).valid
    dossier = services.return_result(dossier, by=reception, method="counter", version=dossier.version)
    assert dossier.status == Status.RETURNED and dossier.returned_at
    services.rate(dossier, by=citizen, convenience=2, overall=1, comment="Nhanh")
    actions = [e.action for e in dossier.events.all()]
    assert actions == [
        "submit",
        "receive",
        "request_supplement",
        "supplement",
        "forward",
        "attach_result",
        "forward",
        "approve",
        "return_result",
        "rate",
    ]
    handovers = dossier.events.exclude(step=None).exclude(timeliness="")
    assert handovers.count() >= 3 and set(handovers.values_list("timeliness", flat=True)) <= {
        "early",
        "on_time",
        "late",
    }


def test_illegal_transitions_say_why(apply, people):
    dossier = apply()
    with translation.override("en"), pytest.raises(services.TransitionError, match="approve"):
        services.approve(dossier, by=people["lanhdao"])
    with pytest.raises(ValidationError):
        services.refuse(dossier, by=people["tiepnhan"], reason="  ")
    with pytest.raises(PermissionDenied):
        services.receive(dossier, by=people["chuyenvien"])  # a processing officer does not receive
    services.refuse(dossier, by=people["tiepnhan"], reason="Không thuộc thẩm quyền")
    with pytest.raises(services.TransitionError):
        services.receive(dossier, by=people["tiepnhan"])


def test_two_officers_acting_on_the_same_version_one_wins(apply, people):
    dossier = apply()
    seen = dossier.version
    services.receive(dossier, by=people["tiepnhan"], version=seen)
    with translation.override("en"), pytest.raises(services.Conflict, match="changed by someone else"):
        services.refuse(dossier, by=people["tiepnhan"], reason="x", version=seen)


def test_people_see_only_what_is_theirs(apply, people):
    mine = apply()
    stranger = User.objects.create_user("other", password="x-long-password-1", role=Role.CITIZEN)
    other_unit = User.objects.create_user(
        "xa2", password="x-long-password-1", role=Role.RECEPTION, agency=Agency.objects.get(code="H99.X02")
    )
    assert mine in visible_to(people["congdan"]) and mine in visible_to(people["tiepnhan"])
    assert mine not in visible_to(stranger) and mine not in visible_to(other_unit)
    with pytest.raises(PermissionDenied):
        services.receive(mine, by=other_unit)
    with pytest.raises(PermissionDenied):
        services.withdraw(mine, by=stranger)


def test_transfer_to_another_unit_makes_it_theirs(apply, people):
    dossier = apply(by=people["tiepnhan"])
    other = Agency.objects.get(code="H99.X02")
    officer = User.objects.create_user("xa2", password="x-long-password-1", role=Role.RECEPTION, agency=other)
    services.transfer(dossier, by=people["tiepnhan"], unit=other, note="Phi địa giới")
    assert dossier in visible_to(officer)


def test_codes_count_per_agency_per_day(demo):
    x01, x02 = Agency.objects.get(code="H99.X01"), Agency.objects.get(code="H99.X02")
    drawn = [codes.next_code(x01) for _ in range(3)] + [codes.next_code(x02)]
    assert [c[-4:] for c in drawn] == ["0001", "0002", "0003", "0001"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_never_draws_the_same_number():
    agency = Agency.objects.create(code="T01", name="Test", kind="commune")
    drawn, errors = [], []

    def worker():
        try:
            for _ in range(10):
                drawn.append(codes.next_code(agency))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(int(c[-4:]) for c in drawn) == list(range(1, 61))


def test_an_agency_counts_deadlines_in_its_own_working_hours(apply, people):
    import datetime

    from motcua.dossiers import schedule

    agency = people["tiepnhan"].agency
    agency.afternoon_end = datetime.time(16, 30)
    agency.full_clean()
    agency.save()
    calendar = schedule.calendar_for(agency)
    assert calendar.hours.afternoon == (datetime.time(13, 30), datetime.time(16, 30))
    assert calendar.hours.hours_per_day == 7.5
    agency.afternoon_end = datetime.time(11, 0)
    with pytest.raises(ValidationError):
        agency.full_clean()


def test_a_coordinating_agency_sees_answers_and_is_timed(apply, people, client):
    dossier = apply(by=people["tiepnhan"])
    dossier = services.forward(dossier, by=people["tiepnhan"], to=people["chuyenvien"])
    justice = Agency.objects.get(code="H99.STP")
    lawyer = User.objects.create_user(
        "stp",
        password="x-long-password-1",
        role=Role.PROCESSING,
        agency=justice,
        last_name="Mai",
        first_name="Anh",
    )
    assert dossier not in visible_to(lawyer)
    asked = services.request_coordination(
        dossier, by=people["chuyenvien"], agency=justice, question="Xác minh trích lục hộ tịch gốc", hours=8
    )
    assert dossier in visible_to(lawyer)
    client.force_login(lawyer)
    queue = client.get("/can-bo/", {"queue": "coordination"}).context["page"].object_list
    assert [d.code for d in queue] == [dossier.code]
    with pytest.raises(PermissionDenied):
        services.forward(dossier, by=lawyer)  # asked for an opinion, not handed the dossier
    response = client.post(
        f"/ho-so/{dossier.code}/xu-ly/answer_coordination/",
        {"coordination": asked.pk, "answer": "Thông tin khớp với sổ gốc."},
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.answered_by == lawyer and asked.answered_at
    answer = dossier.events.get(action="answer_coordination")
    assert answer.timeliness in {"early", "on_time"} and answer.step_due_at == asked.due_at
    with pytest.raises(services.TransitionError):
        services.answer_coordination(asked, by=lawyer, answer="again")

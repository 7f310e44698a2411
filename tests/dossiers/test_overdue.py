"""The deadline scan, Form 04 and notices, run the way the worker runs them."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from motcua.core.tasks import scheduler
from motcua.core.tasks.mail import send_email
from motcua.core.tasks.models import ScheduledJob
from motcua.dossiers import deadlines, schedule, services, tasks
from motcua.dossiers.models import Dossier
from motcua.dossiers.overdue import scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_dossier(apply, people):
    """A counter dossier received about four working days ago for a one-working-day procedure."""
    calendar = schedule.calendar_for(people["tiepnhan"].agency)
    past = deadlines.add_working_time(timezone.now() - datetime.timedelta(days=7), 1, calendar)
    with services.clock(past):
        dossier = apply(by=people["tiepnhan"])
        dossier = services.forward(dossier, by=people["tiepnhan"], to=people["chuyenvien"])
    assert dossier.due_at < timezone.now()
    return dossier


def test_scan_warns_flags_and_drafts_an_apology_once(
    late_dossier, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        counts = scan()
    assert counts["warned"] == 1 and counts["predicted_late"] == 1 and counts["apologies"] == 1
    dossier = Dossier.objects.get(pk=late_dossier.pk)
    assert dossier.predicted_late and dossier.overdue_warned_at
    assert not mail.outbox  # the scan only queues its warnings: a mail server that is down never stops it
    [queued] = DBTaskResult.objects.filter(task_path=send_email.module_path)
    send_email.call(**queued.args_kwargs["kwargs"])
    warning = mail.outbox[-1]
    assert late_dossier.code in warning.subject and people["lanhdao"].email in warning.to
    assert dossier.apologies.count() == 1 and dossier.apologies.get().drafted_by is None
    again = scan()
    assert again["warned"] == 0 and again["apologies"] == 0 and dossier.apologies.count() == 1


@pytest.mark.parametrize("hour", [6, 9, 12, 16, 20])  # before, in, between and after working hours
def test_a_dossier_with_time_to_spare_is_left_alone(apply, people, hour):
    calendar = schedule.calendar_for(people["tiepnhan"].agency)
    day = deadlines.add_working_time(timezone.now() - datetime.timedelta(days=10), 1, calendar).date()
    received = datetime.datetime.combine(day, datetime.time(hour), tzinfo=deadlines.VIETNAM)
    with services.clock(received):
        dossier = apply(by=people["tiepnhan"])  # one working day ahead
    # a slow intake started the first step a moment after reception: still on time
    Dossier.objects.filter(pk=dossier.pk).update(step_started_at=received + datetime.timedelta(seconds=0.5))
    counts = scan(received + datetime.timedelta(minutes=1))
    assert counts["predicted_late"] == 0 and counts["apologies"] == 0
    counts = scan(received + datetime.timedelta(days=3))  # long past its due date
    assert counts["predicted_late"] == 1


def test_leader_approves_the_apology_and_the_due_date_moves(late_dossier, people, client):
    scan()
    apology = late_dossier.apologies.get()
    before = Dossier.objects.get(pk=late_dossier.pk).due_at
    dossier = services.approve_apology(apology, by=people["lanhdao"])
    assert dossier.due_at > before
    due = timezone.localtime(dossier.due_at, deadlines.VIETNAM).strftime("%d/%m/%Y %H:%M")
    lines = dossier.due_explanation
    assert lines[-1].startswith("Hạn trả kết quả: ") and lines[-1].endswith(due)
    assert [line for line in lines if line.startswith("Gia hạn thêm 1 ngày làm việc (Mẫu số 04): ")] == [
        f"Gia hạn thêm 1 ngày làm việc (Mẫu số 04): {lines[-1].removeprefix('Hạn trả kết quả: ')}"
    ]
    with translation.override("en"):  # the same explanation, in the reader's language
        assert any("(Form 04)" in line for line in schedule.compute_due(dossier).explanation)
    client.force_login(people["lanhdao"])
    response = client.get(f"/ho-so/{dossier.code}/mau-04.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    with pytest.raises(services.TransitionError):
        services.approve_apology(apology, by=people["lanhdao"])


@pytest.mark.django_db(transaction=True)
def test_the_workers_scheduler_books_the_scan_once_per_interval(demo, settings):
    now = timezone.now()
    assert "deadline-scan" in scheduler.tick(now)
    assert scheduler.tick(now) == []  # booked once for this interval, however many workers tick
    call_command("worker", "--batch")
    done = DBTaskResult.objects.get(task_path=tasks.scan_deadlines.module_path)
    assert done.status == "SUCCESSFUL"
    job = ScheduledJob.objects.get(name="deadline-scan")
    assert job.last_success_at == done.finished_at
    every = datetime.timedelta(seconds=settings.PERIODIC_TASKS["deadline-scan"]["seconds"])
    assert job.next_run_at == now + every


@pytest.mark.django_db(transaction=True)
def test_the_citizen_is_e_mailed_when_the_dossier_is_received(apply, people):
    dossier = apply()
    services.receive(dossier, by=people["tiepnhan"])
    call_command("worker", "--batch")
    subjects = [m.subject for m in mail.outbox]
    assert any(dossier.code in s and "tiếp nhận" in s for s in subjects), subjects
    assert all(m.to == ["an@example.invalid"] for m in mail.outbox)


def test_a_dossier_past_its_due_date_is_labelled_overdue_not_predicted_late(late_dossier, people, client):
    """The review saw dossiers already late labelled "dự báo quá hạn" (a forecast)."""
    scan()
    dossier = Dossier.objects.get(pk=late_dossier.pk)
    assert dossier.predicted_late and dossier.overdue
    client.force_login(people["chuyenvien"])
    with translation.override("vi"):
        page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert '<span class="badge late">Quá hạn</span>' in page and "dự báo quá hạn" not in page
    # Still within its time, the forecast is what the badge says.
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() + datetime.timedelta(days=2))
    with translation.override("vi"):
        page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert '<span class="badge late">dự báo quá hạn</span>' in page

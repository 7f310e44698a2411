"""The worker survives what kills workers: real worker processes on the test database, killed with
SIGKILL mid-task; two workers sharing one schedule while the mail server is down; /healthz; `motcua run`
restarting its worker. Leases and intervals are shrunk to seconds through the environment."""

import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.core.tasks import recovery, scheduler
from motcua.core.tasks.mail import deliver, send_email
from motcua.core.tasks.models import DeadLetter, ScheduledJob, SentMail, WorkerHeartbeat
from motcua.core.tasks.supervise import Supervised
from motcua.dossiers import deadlines, schedule, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.overdue import scan
from motcua.dossiers.tasks import scan_deadlines
from tests.core import sample_tasks
from tests.dossiers.conftest import apply, birth, people  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
LEASE = 2  # seconds: a killed worker's tasks are retried about this long after its last heartbeat


def wait_for(condition, timeout, what, logs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    output = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    pytest.fail(f"timed out after {timeout} s waiting for {what}\n{output}")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def spawn(tmp_path, settings):
    """Start real `motcua` processes on this test's database; every one is killed at the end."""
    started = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.worker_settings",
        "MOTCUA_TEST_DATABASE": str(connection.settings_dict["NAME"]),
        "MOTCUA_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "MOTCUA_DATA_DIR": str(tmp_path / "data"),
        "MOTCUA_TASK_BACKEND": "database",
        "MOTCUA_WORKER_LEASE": str(LEASE),
        "MOTCUA_TASK_ATTEMPTS": "2",
        "MOTCUA_TASK_RETRY_SECONDS": "1",
        "MOTCUA_EMBEDDER": "none",
        "PYTHONPATH": str(ROOT),
    }

    def start(*args, command="worker", extra_env=None):
        log = tmp_path / f"{command}-{len(started)}.log"
        argv = [sys.executable, "-m", "motcua.cli", command, *args]
        if command == "worker":
            argv += ["--interval", "0.1", "--no-startup-delay"]
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**env, **(extra_env or {})},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        started.append(process)
        return process

    start.logs = lambda: [p.log for p in started]
    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def result_of(pk) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=pk)


# (a) SIGKILL mid-task


@pytest.mark.django_db(transaction=True)
def test_a_task_killed_with_its_worker_completes_on_the_next_worker(spawn, tmp_path):
    marker = tmp_path / "starts"
    hold = Path(f"{marker}.hold")
    hold.touch()
    queued = sample_tasks.hold.enqueue(marker=str(marker))
    first = spawn("--worker-id", "first", "--no-scheduler")
    wait_for(
        lambda: marker.exists() and marker.read_text().count("\n") == 1, 30, "the first start", spawn.logs()
    )
    assert result_of(queued.id).status == "RUNNING"
    first.send_signal(signal.SIGKILL)  # an out-of-memory kill: no cleanup at all
    first.wait()
    hold.unlink()
    assert result_of(queued.id).status == "RUNNING"  # what the review saw stay forever

    spawn("--worker-id", "second", "--no-scheduler")
    wait_for(lambda: result_of(queued.id).status == "SUCCESSFUL", 30, "the retried task", spawn.logs())
    done = result_of(queued.id)
    assert done.worker_ids == ["first", "second"] and done.return_value == "done"
    assert marker.read_text().count("\n") == 2
    assert not DeadLetter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_that_always_kills_its_worker_becomes_a_dead_letter(spawn):
    queued = sample_tasks.die.enqueue()
    for name in ("w0", "w1"):  # MOTCUA_TASK_ATTEMPTS=2: two workers die on it
        worker = spawn("--worker-id", name, "--no-scheduler")
        assert worker.wait(timeout=30) == -signal.SIGKILL, worker.log.read_text()
    survivor = spawn("--worker-id", "w2", "--no-scheduler")
    wait_for(lambda: DeadLetter.objects.exists(), 30, "the dead letter", spawn.logs())
    survivor.send_signal(signal.SIGTERM)
    assert survivor.wait(timeout=30) == 0, survivor.log.read_text()

    failed = result_of(queued.id)
    assert failed.status == "FAILED" and failed.worker_ids == ["w0", "w1"]
    assert failed.exception_class_path == "motcua.core.tasks.recovery.WorkerLost"
    assert "stopped sending heartbeats" in failed.traceback
    letter = DeadLetter.objects.get()
    assert (letter.result_id, letter.reason, letter.attempts) == (failed.pk, "lost", 2)
    assert not WorkerHeartbeat.objects.filter(pk="w2").exists()  # a clean exit removes its heartbeat

    # The administrator's "retry": back in the queue, with a fresh count of tries.
    assert recovery.retry_dead_letters(DeadLetter.objects.all()) == 1
    again = result_of(queued.id)
    assert again.status == "READY" and recovery.attempts_of(again) == 0
    assert DeadLetter.objects.get().resolution == "retried"


@pytest.mark.django_db(transaction=True)
def test_sigterm_twice_still_lets_the_task_finish(spawn, tmp_path):
    marker = tmp_path / "starts"
    hold = Path(f"{marker}.hold")
    hold.touch()
    queued = sample_tasks.hold.enqueue(marker=str(marker))
    worker = spawn("--no-scheduler")
    wait_for(lambda: marker.exists(), 30, "the task to start", spawn.logs())
    worker.send_signal(signal.SIGTERM)  # e.g. systemd's to the whole group, then `motcua run`'s own
    time.sleep(0.3)
    worker.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    assert worker.poll() is None
    hold.unlink()
    assert worker.wait(timeout=30) == 0, worker.log.read_text()
    assert result_of(queued.id).status == "SUCCESSFUL"


# (b) one scan per interval across workers, whatever the mail server does


def late_dossier(apply, people):  # noqa: F811
    """A dossier received about a week ago for a one-working-day procedure: overdue, to be warned about."""
    calendar = schedule.calendar_for(people["tiepnhan"].agency)
    past = deadlines.add_working_time(timezone.now() - datetime.timedelta(days=7), 1, calendar)
    with services.clock(past):
        dossier = apply(by=people["tiepnhan"])
        return services.forward(dossier, by=people["tiepnhan"], to=people["chuyenvien"])


@pytest.mark.django_db(transaction=True)
def test_two_workers_and_a_dead_mail_server_give_one_scan_per_interval(spawn, apply, people):  # noqa: F811
    dossier = late_dossier(apply, people)
    DBTaskResult.objects.all().delete()  # the intake's notices and pre-checks are not this test's
    interval = 2
    env = {"MOTCUA_DEADLINE_SCAN_SECONDS": str(interval), "MOTCUA_TEST_SMTP_PORT": str(closed_port())}
    workers = [spawn("--worker-id", f"w{i}", extra_env=env) for i in range(2)]
    scans = DBTaskResult.objects.filter(task_path=scan_deadlines.module_path)

    def later_scan_after_the_dead_mail():
        letter = DeadLetter.objects.filter(task_path=send_email.module_path).first()
        return letter and scans.filter(status="SUCCESSFUL", started_at__gt=letter.created_at).exists()

    wait_for(later_scan_after_the_dead_mail, 60, "a scan after the warning mail gave up", spawn.logs())
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        assert worker.wait(timeout=30) == 0, worker.log.read_text()

    slots = sorted(scans.values_list("run_after", flat=True))
    assert len(slots) >= 2 and len(set(slots)) == len(slots), slots  # never two scans for one interval
    for earlier, later in zip(slots, slots[1:], strict=False):
        assert (later - earlier).total_seconds() % interval == 0, slots
    assert not scans.filter(status="FAILED").exists()
    job = ScheduledJob.objects.get(name="deadline-scan")
    assert job.last_success_at is not None and job.last_error == ""
    assert DBTaskResult.objects.filter(task_path="motcua.core.tasks.retention.prune_history").count() == 1

    # The warning was queued once, failed against the closed port, was retried, then dead-lettered.
    [warning] = DBTaskResult.objects.filter(task_path=send_email.module_path)
    assert warning.status == "FAILED" and len(warning.worker_ids) == 2
    assert warning.args_kwargs["kwargs"]["key"].startswith(f"due-warning:{dossier.pk}:")
    letter = DeadLetter.objects.get(result=warning)
    assert letter.reason == "error" and "refused" in letter.error.lower()
    assert not SentMail.objects.exists()
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.overdue_warned_at and dossier.apologies.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_ticks_enqueue_each_interval_once(settings):
    settings.PERIODIC_TASKS = {"deadline-scan": {"task": scan_deadlines.module_path, "seconds": 600}}
    now = timezone.now()
    scheduler.sync(now)
    barrier = threading.Barrier(4)
    booked = []

    def tick():
        try:
            barrier.wait()
            booked.extend(scheduler.tick(now))
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert booked == ["deadline-scan"]
    [first] = DBTaskResult.objects.filter(task_path=scan_deadlines.module_path)
    assert first.run_after == now
    assert scheduler.tick(now + datetime.timedelta(seconds=599)) == []
    # The next interval: not doubled while the first run is still queued, booked once it has run.
    assert scheduler.tick(now + datetime.timedelta(seconds=601)) == []
    call_command("worker", "--batch")
    assert ScheduledJob.objects.get().last_success_at is not None
    later = now + datetime.timedelta(seconds=1250)  # two intervals on: one run for the current slot
    assert scheduler.tick(later) == ["deadline-scan"]
    slots = sorted(
        DBTaskResult.objects.filter(task_path=scan_deadlines.module_path).values_list("run_after", flat=True)
    )
    assert slots == [now, now + datetime.timedelta(seconds=1200)]
    assert ScheduledJob.objects.get().next_run_at == now + datetime.timedelta(seconds=1800)


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.mark.django_db(transaction=True)
def test_a_scan_never_sends_mail_itself_and_finishes_when_the_mail_server_is_down(
    apply,  # noqa: F811
    people,  # noqa: F811
    settings,
):
    settings.EMAIL_BACKEND = "tests.core.test_tasks_resilience.RefusingBackend"
    settings.TASK_RETRY_SECONDS = 600
    dossier = late_dossier(apply, people)
    DBTaskResult.objects.all().delete()  # the intake's notices and pre-checks are not this test's
    assert scan()["warned"] == 1
    [queued] = DBTaskResult.objects.filter(task_path=send_email.module_path)
    call_command("worker", "--batch")  # refused: back in the queue for a later try
    retried = result_of(queued.pk)
    assert retried.status == "READY" and len(retried.worker_ids) == 1
    assert retried.run_after > timezone.now() + datetime.timedelta(seconds=500)
    assert not DeadLetter.objects.exists()
    assert scan()["warned"] == 0  # warned once; the next scan runs all the same
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now())  # its retry is due
    call_command("worker", "--batch")
    assert result_of(queued.pk).status == "SUCCESSFUL"
    [warning] = mail.outbox
    assert dossier.code in warning.subject and people["lanhdao"].email in warning.to
    send_email.enqueue(**queued.args_kwargs["kwargs"])  # the same warning again
    call_command("worker", "--batch")
    assert len(mail.outbox) == 1  # its key was sent already


def test_a_mail_key_is_sent_once(db):
    assert deliver("test:1", "Subject", "Body", ["a@example.invalid"]) is True
    assert deliver("test:1", "Subject", "Body", ["a@example.invalid"]) is False
    assert len(mail.outbox) == 1 and SentMail.objects.filter(key="test:1").exists()


# (c) /healthz


def test_healthz_reports_the_worker_the_scheduler_and_the_database(client, db, settings):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == {"ok": True} and body["worker"]["ok"] is False
    assert body["scheduler"]["jobs"]["deadline-scan"]["ok"] is False  # no scheduler has ever run

    now = timezone.now()
    scheduler.sync(now)
    ScheduledJob.objects.update(last_success_at=now)
    WorkerHeartbeat.objects.create(worker_id="w", host="h", pid=1, started_at=now, last_seen=now)
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok" and body["worker"]["alive"] == 1
    assert body["queue"] == {"ready": 0, "running": 0} and body["dead_letters"] == 0
    assert set(body["worker"]) == {"ok", "alive", "last_heartbeat_age_s", "lease_s"}  # no hosts, no ids

    stale = now - datetime.timedelta(seconds=settings.TASK_WORKER_LEASE + 1)
    WorkerHeartbeat.objects.update(last_seen=stale)
    assert client.get("/healthz").status_code == 503

    WorkerHeartbeat.objects.update(last_seen=now)
    ScheduledJob.objects.filter(name="deadline-scan").update(
        last_success_at=now - datetime.timedelta(seconds=3 * 600 + 1)
    )
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["scheduler"]["ok"] is False


# `motcua run` restarts its worker


def test_the_supervisor_restarts_a_dead_child():
    child = Supervised("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"], first_delay=0.1)
    child.start()
    first = child.process.pid
    os.kill(first, signal.SIGKILL)
    wait_for(lambda: (child.watch(), child.restarts)[1] == 1, 10, "the restart")
    assert child.process.pid != first and child.process.poll() is None
    assert child.delay == 0.2  # the next quick death waits twice as long
    child.stop(timeout=5)
    assert child.process is None


@pytest.mark.django_db(transaction=True)
def test_motcua_run_restarts_its_killed_worker_and_healthz_follows(spawn):
    port = closed_port()
    server = spawn("--port", str(port), command="run")

    def health():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    wait_for(lambda: health() == 200, 60, "a healthy server", spawn.logs())
    [beat] = WorkerHeartbeat.objects.all()
    os.kill(beat.pid, signal.SIGKILL)
    wait_for(
        lambda: WorkerHeartbeat.objects.exclude(pid=beat.pid).exists(),
        30,
        "the restarted worker",
        spawn.logs(),
    )
    wait_for(lambda: health() == 200, 30, "a healthy server again", spawn.logs())
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=60) == 0, server.log.read_text()
    assert "restarting it" in server.log.read_text()
    assert not WorkerHeartbeat.objects.exclude(pid=beat.pid).exists()  # the new worker stopped cleanly


# the admin's pages


@pytest.mark.django_db(transaction=True)
def test_admins_see_dead_letters_and_jobs_and_retry_a_dead_letter(admin_client):
    queued = sample_tasks.die.enqueue()
    DBTaskResult.objects.filter(pk=queued.id).update(status="FAILED", worker_ids=["a", "b", "c"])
    letter = recovery.dead_letter(result_of(queued.id), DeadLetter.Reason.LOST)
    scheduler.sync(timezone.now())
    WorkerHeartbeat.objects.create(
        worker_id="w", host="h", pid=1, started_at=timezone.now(), last_seen=timezone.now()
    )
    for page in ("deadletter", "scheduledjob", "workerheartbeat"):
        response = admin_client.get(f"/admin/core/{page}/")
        assert response.status_code == 200, page
    page = admin_client.get(f"/admin/core/deadletter/{letter.pk}/change/").content.decode()
    assert f"/admin/django_tasks_database/dbtaskresult/{queued.id}/change/" in page
    assert "deadline-scan" in admin_client.get("/admin/core/scheduledjob/").content.decode()
    response = admin_client.post(
        "/admin/core/deadletter/", {"action": "retry", "_selected_action": [letter.pk]}, follow=True
    )
    assert response.status_code == 200
    assert result_of(queued.id).status == "READY"
    assert DeadLetter.objects.get().resolution == "retried"
    response = admin_client.post(
        "/admin/core/scheduledjob/",
        {"action": "run_now", "_selected_action": ["task-retention"]},
        follow=True,
    )
    assert ScheduledJob.objects.get(name="task-retention").next_run_at <= timezone.now()


@pytest.mark.django_db(transaction=True)
def test_retention_prunes_old_results_but_keeps_open_dead_letters(settings):
    from motcua.core.tasks.retention import prune_history

    old = timezone.now() - datetime.timedelta(days=settings.TASK_HISTORY_DAYS + 1)
    done, dead, recent = (sample_tasks.die.enqueue().id for _ in range(3))
    DBTaskResult.objects.filter(pk__in=[done, dead]).update(finished_at=old, status="SUCCESSFUL")
    DBTaskResult.objects.filter(pk=dead).update(status="FAILED")
    DBTaskResult.objects.filter(pk=recent).update(finished_at=timezone.now(), status="SUCCESSFUL")
    recovery.dead_letter(result_of(dead), DeadLetter.Reason.ERROR)
    SentMail.objects.create(key="old", sent_at=old)
    counts = prune_history.call()
    assert counts["task_results"] == 1 and counts["sent_mail"] == 1
    assert {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)} == {dead, recent}


@pytest.mark.django_db(transaction=True)
def test_a_task_that_raises_a_bug_is_a_dead_letter_at_once():
    queued = sample_tasks.boom.enqueue()
    call_command("worker", "--batch")
    failed = result_of(queued.id)
    assert failed.status == "FAILED" and len(failed.worker_ids) == 1  # no retry for a bug
    letter = DeadLetter.objects.get(result=failed)
    assert letter.reason == "error" and "a bug, not a passing error" in letter.error

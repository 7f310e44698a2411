"""`motcua worker`: django-tasks-db's worker (its claim logic untouched) with, beside it,

- a heartbeat: a `WorkerHeartbeat` row refreshed every sixth of MOTCUA_WORKER_LEASE from a thread,
  deleted on a clean exit;
- recovery: at start and every half lease, tasks of workers that stopped beating are requeued or
  dead-lettered (`recovery.recover_lost`);
- the scheduler: periodic jobs enqueued once per interval across all workers (`scheduler.tick`);
- retries: after each task, a passing failure is requeued with backoff, a final one dead-lettered.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from . import recovery, scheduler
from .models import WorkerHeartbeat

log = logging.getLogger("motcua.core.tasks")


def beat(worker_id: str) -> None:
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(pk=worker_id).update(last_seen=now):
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"last_seen": now},
            create_defaults={
                "last_seen": now,
                "started_at": now,
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
            },
        )


class MotcuaWorker(Worker):
    def __init__(self, *, schedule: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.schedule = schedule and not self.batch
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def shutdown(self, signum, frame) -> None:
        # A repeated SIGTERM (a service manager and `motcua run` both asking) must not abort the task
        # being finished; a second Ctrl+C still does, and SIGKILL always can.
        if not self.running and signum == signal.SIGTERM:
            log.warning("SIGTERM again: still finishing the current task")
            return
        super().shutdown(signum, frame)

    @property
    def period(self) -> float:
        return max(settings.TASK_WORKER_LEASE / 6, 0.2)

    def run(self) -> None:
        beat(self.worker_id)
        self._housekeeping(recover=True, tick=self.schedule)
        if not self.batch:
            self._thread = threading.Thread(target=self._background, name="motcua-heartbeat", daemon=True)
            self._thread.start()
        try:
            super().run()
        finally:
            self._stopped.set()
            if self._thread is not None:
                self._thread.join(timeout=10)
            try:
                WorkerHeartbeat.objects.filter(pk=self.worker_id).delete()
            except Exception:
                log.exception("could not remove the heartbeat of worker %s", self.worker_id)

    def _housekeeping(self, *, recover: bool, tick: bool) -> None:
        # Each step on its own: a failing scheduler must not stop the recovery, nor either the heartbeat.
        if recover:
            try:
                recovery.recover_lost()
            except Exception:
                log.exception("lost-task recovery failed")
        if tick:
            try:
                scheduler.tick()
            except Exception:
                log.exception("the scheduler's tick failed")

    def _background(self) -> None:
        rounds = 0
        try:
            while not self._stopped.wait(self.period):
                close_old_connections()
                try:
                    beat(self.worker_id)
                except Exception:
                    log.exception("heartbeat of worker %s failed", self.worker_id)
                    continue
                rounds += 1
                self._housekeeping(recover=rounds % 3 == 0, tick=self.schedule)
        finally:
            connection.close()

    def run_task(self, db_task_result) -> None:
        super().run_task(db_task_result)
        try:
            recovery.after_run(db_task_result)
        except Exception:
            log.exception("after task %s", db_task_result.pk)

"""Which tasks are retried after an error, how long to wait, and who hears of a dead letter.

Every task may be *requeued* when the worker running it is lost (SIGKILL, OOM, a lost machine): tasks
here are idempotent by design (DESIGN, principle 3). A task that *raises* is retried only when it says
which errors pass (`retry_on`): a mail server that is down passes, a bug does not.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

# task module path -> exception classes worth a retry
RETRYABLE: dict[str, tuple[type[BaseException], ...]] = {}
# task module path -> callbacks given the DBTaskResult that became a dead letter
DEAD_LETTER_HANDLERS: dict[str, list[Callable]] = {}

# Exceptions that mean the worker was stopped mid-task (a second Ctrl+C), not that the task failed.
INTERRUPTED = ("builtins.SystemExit", "builtins.KeyboardInterrupt")

MAX_DELAY_SECONDS = 3600


def retry_on(*exceptions: type[BaseException]):
    """Retry the decorated task (put it above `@task()`) when it raises one of `exceptions`, up to
    MOTCUA_TASK_ATTEMPTS tries in all, waiting MOTCUA_TASK_RETRY_SECONDS and doubling."""

    def register(task):
        RETRYABLE[task.module_path] = tuple(exceptions)
        return task

    return register


def on_dead_letter(task_path: str):
    """Register `handler(db_task_result)`, called once when a task of `task_path` becomes a dead letter
    (for example to mark the object it was working on as failed)."""

    def register(handler):
        DEAD_LETTER_HANDLERS.setdefault(task_path, []).append(handler)
        return handler

    return register


def retry_delay(attempts: int) -> float:
    """Seconds before the next try, after `attempts` tries."""
    return min(settings.TASK_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_DELAY_SECONDS)

"""Tasks that the resilience tests enqueue for real worker processes."""

import os
import signal
import time
from pathlib import Path

from django_tasks import task


@task()
def hold(marker: str) -> str:
    """Note each start in `marker`, then wait while `marker`.hold exists."""
    with open(marker, "a") as handle:
        handle.write(f"{os.getpid()}\n")
    while Path(marker + ".hold").exists():
        time.sleep(0.05)
    return "done"


@task()
def die() -> None:
    """Kill the worker running it, every time (an out-of-memory kill stands in)."""
    os.kill(os.getpid(), signal.SIGKILL)


@task()
def boom() -> None:
    """A bug: failures that no retry would fix."""
    raise ValueError("a bug, not a passing error")

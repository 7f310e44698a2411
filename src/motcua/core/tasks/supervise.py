"""A child process that is started again when it dies (used by `motcua run` for its worker)."""

from __future__ import annotations

import logging
import subprocess
import time

log = logging.getLogger("motcua.core.tasks")


class Supervised:
    """Start `argv`; `watch()` restarts it after it exits, waiting 1 s, then 2, 4 … up to `max_delay`
    while it keeps dying young (within `stable` seconds of its start)."""

    def __init__(self, name: str, argv: list[str], *, first_delay=1.0, max_delay=60.0, stable=60.0, **popen):
        self.name, self.argv, self.popen = name, argv, popen
        self.first_delay, self.max_delay, self.stable = first_delay, max_delay, stable
        self.delay = first_delay
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.restart_at: float | None = None
        self.restarts = 0

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, **self.popen)
        self.started_at = time.monotonic()
        self.restart_at = None

    def watch(self) -> None:
        """Call every so often: notices an exit and restarts when its wait is over."""
        if self.process is None:
            return
        now = time.monotonic()
        if self.restart_at is None:
            code = self.process.poll()
            if code is None:
                return
            if now - self.started_at >= self.stable:
                self.delay = self.first_delay
            self.restart_at = now + self.delay
            log.error(
                "the %s (pid %s) exited with code %s; restarting it in %.0f s",
                self.name,
                self.process.pid,
                code,
                self.delay,
            )
            self.delay = min(self.delay * 2, self.max_delay)
        if now >= self.restart_at:
            self.start()
            self.restarts += 1
            log.warning("the %s was restarted (pid %s)", self.name, self.process.pid)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM (a worker finishes its task first), then SIGKILL after `timeout` seconds."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log.error("the %s did not stop within %.0f s; killing it", self.name, timeout)
            process.kill()
            process.wait()

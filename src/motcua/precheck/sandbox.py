"""Reading files in child processes with limits, so that a hostile file costs a bounded amount.

Each file that must be decoded (PDF, image, DOCX) is read by its own `reader.py` process: an address-
space limit (RLIMIT_AS, inherited by Tesseract), a CPU-seconds limit, a wall-clock watchdog here (a
process that finishes no page for `page_seconds`, or takes more than `page_seconds` plus
AVERAGE_PAGE_SECONDS a page in all, is killed with its process group) and no secrets in its
environment. Up to `workers` processes run at
once; each OCRs up to `workers // processes` pages in parallel. A process that ends badly yields a
status for its file only; the other files are still read. The peak memory of each process (and of the
Tesseract processes it waited for) is what it reports when it ends, else the kernel's (`wait4`)."""

from __future__ import annotations

import json
import logging
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from motcua import conf

from .preflight import MAX_PIXELS
from .reader import OUT_OF_MEMORY

log = logging.getLogger(__name__)

# A file's reading may take page_seconds plus this many seconds a page in all: a scanned page takes
# ~1 s (2-3 s on a busy 2-core machine), a page built to render slowly takes all it is given.
AVERAGE_PAGE_SECONDS = 5
MAX_OUTPUT = 16 * 1024 * 1024  # bytes of JSON a reading process may send (60 pages of dense text: ~3 MB)
# What the reading process may see of the environment: no keys, no database URL.
PASSED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TESSDATA_PREFIX")
CHILD_ENV = {
    "OMP_THREAD_LIMIT": "1",  # Tesseract's OpenMP threads fight with our page-level parallelism
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",  # each OpenBLAS thread reserves address space
    "MALLOC_ARENA_MAX": "2",  # glibc reserves 64 MB of address space per thread arena otherwise
    "PYTHONDONTWRITEBYTECODE": "1",
}


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 1024
    page_seconds: int = 30
    max_pages: int = 120  # pages checked in one dossier, all files together

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            memory_mb=conf.value("MOTCUA_PRECHECK_MEMORY_MB"),
            page_seconds=conf.value("MOTCUA_PRECHECK_PAGE_SECONDS"),
            max_pages=conf.value("MOTCUA_PRECHECK_MAX_PAGES"),
        )


@dataclass
class Job:
    name: str
    content_type: str
    data: bytes
    pages: int  # from preflight, for the time budget and the progress


@dataclass
class Reading:
    """How one file was read: status "ok", "damaged", "memory", "time" or "limits" (ended badly,
    cause unknown), its pages (dicts from reader.py), the peak resident memory of the process and of
    the Tesseract processes it started (kB), and the wall-clock seconds."""

    name: str
    status: str = "ok"
    pages: list[dict] = field(default_factory=list)
    peak_kb: int = 0
    seconds: float = 0.0


def _ocr_choice() -> str:
    """The OCR engine the reading process builds (settings.PRECHECK_OCR, i.e. MOTCUA_OCR)."""
    from django.conf import settings

    return str(getattr(settings, "PRECHECK_OCR", "") or "tesseract") if settings.configured else "tesseract"


class EngineMissing(RuntimeError):
    """Tesseract or an OCR module is not installed: the check fails, no file is blamed."""


class _Child:
    def __init__(self, index: int, job: Job, languages: str, threads: int, limits: Limits) -> None:
        self.index, self.job = index, job
        self.reading = Reading(job.name)
        self.buffer = b""
        self.received = 0
        self.done = False
        self.error: str | None = None
        self.detail = ""
        self.reported_peak = 0
        budget = limits.page_seconds + AVERAGE_PAGE_SECONDS * max(1, job.pages)
        spec = {
            "type": job.content_type,
            "languages": languages,
            "ocr": _ocr_choice(),
            "threads": threads,
            "memory_mb": limits.memory_mb,
            "cpu_seconds": budget * max(1, threads) + 10,  # a backstop if this process dies
            "max_pixels": MAX_PIXELS,
        }
        self.stdin = tempfile.TemporaryFile()  # unnamed: gone when closed, even after a crash
        self.stdin.write(job.data)
        self.stdin.seek(0)
        self.stderr = tempfile.TemporaryFile()
        self.started = self.last = time.monotonic()
        self.page_seconds, self.end = limits.page_seconds, self.started + budget
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-m", "motcua.precheck.reader", json.dumps(spec)],
            stdin=self.stdin,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=_environment(),
            cwd=tempfile.gettempdir(),
            start_new_session=True,  # its own process group: a kill takes Tesseract with it
        )

    @property
    def deadline(self) -> float:
        return min(self.end, self.last + self.page_seconds)

    def feed(self, chunk: bytes) -> bool:
        """Take output; False when the child broke the protocol (too much output)."""
        self.received += len(chunk)
        if self.received > MAX_OUTPUT:
            return False
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                return False
            if not isinstance(event, dict):
                return False
            if "page" in event:
                self.reading.pages.append(event)
                self.last = time.monotonic()
            elif event.get("done"):
                self.done = True
            elif "error" in event:
                self.error, self.detail = str(event["error"]), str(event.get("detail", ""))
            if isinstance(event.get("peak_kb"), int):
                self.reported_peak = event["peak_kb"]
        return True

    def kill(self) -> None:
        # Its peak so far, read before it goes (a killed process reports nothing, and the kernel's
        # figure after the fact counts the worker's size too).
        try:
            with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        self.reported_peak = max(self.reported_peak, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def reap(self, status: str | None = None) -> Reading:
        """Wait for the process, record its peak memory and decide the file's status."""
        _, code, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(code)
        if status is None:
            try:  # any Tesseract it left behind
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.stdout.close()
        self.stdin.close()
        reading = self.reading
        # The reader's own measure (its VmHWM and its Tesseracts'), or what kill() read; else the
        # kernel's, which also counts the worker's size when it started the process.
        reading.peak_kb = self.reported_peak or usage.ru_maxrss
        reading.seconds = round(time.monotonic() - self.started, 3)
        returncode = self.process.returncode
        self.stderr.seek(0, os.SEEK_END)
        self.stderr.seek(max(0, self.stderr.tell() - 4000))
        tail = self.stderr.read().decode("utf-8", "replace")
        self.stderr.close()
        if status:
            reading.status = status
        elif self.error == "engine":
            raise EngineMissing(self.detail or "the OCR engine is not installed")
        elif self.error in ("damaged", "memory", "limits"):
            reading.status = self.error
        elif self.done and returncode == 0:
            reading.status = "ok"
        elif returncode == -signal.SIGXCPU:
            reading.status = "time"  # its CPU limit
        elif any(sign in tail for sign in OUT_OF_MEMORY):  # a library that gave up and exited
            reading.status = "memory"
        else:
            reading.status = "limits"
        if reading.status != "ok":
            reading.pages = []
            log.warning(
                "reading %s stopped (%s, exit %s, %d kB, %.1f s): %s",
                self.job.content_type,
                reading.status,
                returncode,
                reading.peak_kb,
                reading.seconds,
                " | ".join(tail.strip().splitlines()[-3:]) or self.detail,
            )
        return reading


def _environment() -> dict[str, str]:
    environment = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
    environment.update(CHILD_ENV)
    source = str(Path(__file__).resolve().parents[2])  # the folder that holds the motcua package
    environment["PYTHONPATH"] = source
    return environment


def read_all(
    jobs: list[Job],
    *,
    languages: str = "vie+eng",
    workers: int = 1,
    limits: Limits | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Reading]:
    """Read every job in a child process, up to `workers` at once; the readings in the jobs' order.
    `progress(done, total)` counts pages as they are read."""
    limits = limits or Limits.from_settings()
    if not jobs:
        return []
    processes = max(1, min(workers, len(jobs)))
    threads = max(1, workers // processes)
    total = sum(max(1, job.pages) for job in jobs)
    waiting = deque(enumerate(jobs))
    readings: list[Reading | None] = [None] * len(jobs)
    running: dict[int, _Child] = {}
    selector = selectors.DefaultSelector()
    done_pages = 0

    def finish(child: _Child, status: str | None = None) -> None:
        selector.unregister(child.process.stdout)
        del running[child.index]
        readings[child.index] = child.reap(status)

    try:
        while waiting or running:
            while waiting and len(running) < processes:
                index, job = waiting.popleft()
                child = _Child(index, job, languages, threads, limits)
                running[index] = child
                selector.register(child.process.stdout, selectors.EVENT_READ, child)
            now = time.monotonic()
            timeout = max(0.0, min(child.deadline for child in running.values()) - now)
            for key, _ in selector.select(timeout=timeout):
                child = key.data
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    finish(child)
                    continue
                before = len(child.reading.pages)
                if not child.feed(chunk):
                    child.kill()
                    finish(child, "limits")
                    continue
                if progress and len(child.reading.pages) > before:
                    done_pages += len(child.reading.pages) - before
                    progress(min(done_pages, total), total)
            now = time.monotonic()
            for child in [c for c in running.values() if now >= c.deadline]:
                child.kill()
                finish(child, "time")
    finally:
        for child in list(running.values()):  # an exception here: leave no process behind
            child.kill()
            finish(child, "limits")
        selector.close()
    return [reading for reading in readings if reading is not None]

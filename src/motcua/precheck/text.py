"""Step 2, text: the text of every page, from the PDF text layer or the DOCX body when there is one,
otherwise by OCR (see ocr.py). Every file is decoded in a child process with memory and time limits
(sandbox.py runs reader.py); a file whose process ends badly gets an `invalid_file` finding and the
other files are still read. Each page keeps its confidence (1.0 for a text layer)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.core.text import nfc

from .findings import INVALID, Finding
from .preflight import Inspected
from .sandbox import Job, Limits, Reading, read_all


@dataclass
class Page:
    file: str
    number: int  # 1-based
    text: str
    confidence: float
    source: str  # "layer", "docx" or "ocr"
    words: int = 0


def pages_of(
    items: list[Inspected],
    languages: str = "vie+eng",
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    limits: Limits | None = None,
) -> list[Page]:
    """The pages of every valid file, in order. `progress(done, total)` is called as pages are read."""
    return read(items, languages, workers, progress, limits)[0]


def read(
    items: list[Inspected],
    languages: str = "vie+eng",
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    limits: Limits | None = None,
) -> tuple[list[Page], list[Reading]]:
    """The pages of every valid file and how each file was read (status, peak memory, seconds). A file
    that could not be read within the limits gets an `invalid_file` finding on its item."""
    limits = limits or Limits.from_settings()
    valid = [item for item in items if item.ok]
    jobs = [Job(item.name, item.content_type or "", item.data, item.pages) for item in valid]
    readings = read_all(
        jobs, languages=languages, workers=workers or os.cpu_count() or 1, limits=limits, progress=progress
    )
    pages: list[Page] = []
    for item, reading in zip(valid, readings, strict=True):
        if reading.status != "ok":
            detail = _problem(reading.status, limits)
            item.findings.append(Finding(INVALID, None, file=item.name, detail=detail, confidence=1.0))
            continue
        for event in sorted(reading.pages, key=lambda event: event["page"]):
            pages.append(
                Page(
                    item.name,
                    int(event["page"]),
                    nfc(str(event["text"])),
                    float(event["confidence"]),
                    str(event["source"]),
                    int(event["words"]),
                )
            )
    return pages, readings


def _problem(status: str, limits: Limits) -> str:
    if status == "damaged":
        return _("The file is damaged and cannot be opened.")
    if status == "memory":
        return _(
            "The file could not be read within the memory limit (%(mb)d MB): it may be damaged or made "
            "to overload the check. Send it again as an ordinary scan or PDF."
        ) % {"mb": limits.memory_mb}
    if status == "time":
        return _(
            "The file could not be read within the time limit (%(seconds)d seconds a page): it may be "
            "damaged or made to overload the check. Send it again as an ordinary scan or PDF."
        ) % {"seconds": limits.page_seconds}
    return _(
        "The file could not be read within the limits of the check: it may be damaged or made to "
        "overload it. Send it again as an ordinary scan or PDF."
    )

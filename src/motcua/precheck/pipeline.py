"""The pre-check pipeline: preflight > text > classify > extract + rules > findings, each step timed.
Pure: it takes the requirements, the application data and the files' bytes, and touches no database,
so the command line, the worker and the benchmark run exactly the same code."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from . import cases, classify, preflight, rules, text
from .findings import UNREADABLE, Finding
from .requirements import Requirement
from .sandbox import Limits, Reading

# Progress shares of the steps (OCR dominates).
STEPS = {"preflight": 5, "text": 80, "classify": 5, "rules": 10}


@dataclass
class Result:
    findings: list[Finding]
    documents: list[classify.Document]
    timings_ms: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    ocr_pages: int = 0
    readings: list[Reading] = field(default_factory=list)  # per file: status, peak memory, seconds
    case: cases.Option | None = None  # the case checked against
    runner_up: cases.Option | None = None  # the next best, when the pipeline chose
    case_reason: str = ""  # cases.NAMED, BEST or ONLY

    @property
    def complete(self) -> bool:
        return not self.findings


def run(
    options: list[cases.Option] | list[Requirement],
    application: dict,
    files: list[tuple[str, bytes]],
    *,
    today: datetime.date | None = None,
    languages: str = "vie+eng",
    workers: int | None = None,
    progress: Callable[[int, str], None] | None = None,
    limits: Limits | None = None,
    case: int | None = None,
) -> Result:
    """Check one dossier against the procedure's cases (or one list of requirements): the case at
    index `case` when the application or the officer names it, else the one cases.choose picks.
    `progress(percent, step)` is called as the steps advance. `limits` bound the pages read and
    each file's reading process (default: the MOTCUA_PRECHECK_* settings)."""
    if all(isinstance(option, cases.Option) for option in options) and options:
        choices = [option for option in options if isinstance(option, cases.Option)]
    else:
        choices = [cases.Option("", [r for r in options if isinstance(r, Requirement)])]
    limits = limits or Limits.from_settings()
    today = today or _checked_on(application) or datetime.date.today()
    timings: dict[str, int] = {}
    done = 0

    def step(name: str, started: float) -> None:
        nonlocal done
        timings[name] = round((time.perf_counter() - started) * 1000)
        done += STEPS[name]
        if progress:
            progress(min(done, 100), name)

    started = time.perf_counter()
    items = [preflight.inspect(name, data) for name, data in files]
    preflight.limit_pages(items, limits.max_pages)
    step("preflight", started)

    started = time.perf_counter()

    def ocr_progress(finished: int, total: int) -> None:
        if progress:
            progress(done + STEPS["text"] * finished // total, "text")

    pages, readings = text.read(
        items, languages=languages, workers=workers, progress=ocr_progress, limits=limits
    )
    step("text", started)

    started = time.perf_counter()
    choice = cases.choose(choices, pages, rules.readable, named=case)
    requirements, documents, loose = choice.option.requirements, choice.fit.documents, choice.fit.loose
    step("classify", started)

    started = time.perf_counter()
    found: list[Finding] = [finding for item in items for finding in item.findings]
    found += rules.unreadable(pages, documents)
    found += rules.unrecognised(loose, documents)
    doubtful = bool(found)
    found += rules.counts(requirements, documents, doubtful, rules.people(application))
    partial = {finding.file for finding in found if finding.kind == UNREADABLE}
    found += rules.consistency_all(documents, application, partial)
    for document in documents:
        found += rules.expiry(document, today)
    step("rules", started)
    timings["total"] = sum(timings.values())
    return Result(
        findings=found,
        documents=documents,
        timings_ms=timings,
        pages=len(pages),
        ocr_pages=sum(page.source == "ocr" for page in pages),
        readings=readings,
        case=choice.option,
        runner_up=choice.runner_up.option if choice.runner_up else None,
        case_reason=choice.reason,
    )


def _checked_on(application: dict) -> datetime.date | None:
    """`checked_on` in the application data fixes "today" (reproducible checks of old dossiers)."""
    value = application.get("checked_on")
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None

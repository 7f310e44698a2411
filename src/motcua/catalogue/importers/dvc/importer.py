"""Import the national catalogue export (one JSON procedure per line) into the database.

The whole file is read and validated before anything is written: a malformed line stops the import
with its line number and the database is left untouched. Every record or field that could not be
parsed is named in the report, never silently dropped.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ...models import Source
from ...services import field_for, save_procedure, schedule_reindex
from .record import parse_record, read_jsonl


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (line, code, reason)
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, code, field, reason)
    seconds: float = 0.0

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def lines(self, detail: bool = True) -> list[str]:
        out = [
            f"imported: {self.imported} (new {self.created}, updated {self.updated})",
            f"skipped: {len(self.skipped)}",
            f"records with problems: {len({p[0] for p in self.problems})} ({len(self.problems)} problems)",
            f"time: {self.seconds:.1f} s",
        ]
        by_reason = Counter(f"{p[2]}: {p[3]}" for p in self.problems)
        if by_reason:
            out.append("problems by kind:")
            out += [f"  {n:5d}  {reason}" for reason, n in by_reason.most_common()]
        if detail:
            out += [
                f"skipped line {line} ({code or 'no code'}): {reason}" for line, code, reason in self.skipped
            ]
            out += [f"line {line} {code} {fld}: {reason}" for line, code, fld, reason in self.problems]
        return out


def import_file(path: str | Path) -> ImportReport:
    """Import or update every procedure in `path`. Raises ValueError (with the line) on a malformed file."""
    started = time.perf_counter()
    rows = list(read_jsonl(Path(path)))  # validates the whole file first
    report = ImportReport()
    with transaction.atomic():
        fields: dict[str, object] = {}
        for line, row in rows:
            parsed = parse_record(row)
            if not parsed.get("code") or not parsed.get("name"):
                report.skipped.append((line, parsed.get("code", ""), "no procedure code or name"))
                continue
            name = parsed.get("field", "")
            if name not in fields:
                fields[name] = field_for(name)
            _, created = save_procedure(parsed, source=Source.NATIONAL, field=fields[name])
            report.created += created
            report.updated += not created
            report.problems += [
                (line, parsed["code"], p["field"], p["reason"]) for p in parsed.get("problems", [])
            ]
        schedule_reindex()
    report.seconds = time.perf_counter() - started
    return report

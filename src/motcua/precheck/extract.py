"""Step 4, extraction: the fields the rules compare, from a document's text: full names, 12-digit
personal ID numbers, dates (of birth, issue and expiry), document numbers. Labels are matched folded
(without diacritics), so OCR that drops a mark still finds "Ngày sinh"."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from motcua.core.text import fold

_ID = re.compile(r"(?<![\d.])\d(?:[ .]?\d){11}(?![\d.])")
_DATE_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
_NUMBER = re.compile(r"^\s*so\s*(?:/\s*no\.?)?\s*:\s*([\w./-]{2,40})", re.IGNORECASE)

# Folded label fragments (any one present) for each kind of labelled value.
NAME_LABELS = ("ho va ten", "ho, chu dem", "ho chu dem", "full name", "ho ten")
BIRTH_LABELS = ("ngay sinh", "nam sinh", "date of birth")
ISSUE_LABELS = ("ngay cap", "cap ngay", "date of issue", "ngay, thang, nam cap")
EXPIRY_LABELS = ("gia tri den", "het han", "date of expiry", "expiry")

V = TypeVar("V")


@dataclass
class Value(Generic[V]):
    value: V
    line: str  # the line it came from: the evidence shown to the officer


@dataclass
class Fields:
    names: list[Value[str]] = field(default_factory=list)
    ids: list[Value[str]] = field(default_factory=list)
    dates: list[Value[datetime.date]] = field(default_factory=list)
    birth_dates: list[Value[datetime.date]] = field(default_factory=list)
    issue_dates: list[Value[datetime.date]] = field(default_factory=list)
    expiry_dates: list[Value[datetime.date]] = field(default_factory=list)
    numbers: list[Value[str]] = field(default_factory=list)

    def id_numbers(self) -> set[str]:
        return {v.value for v in self.ids}

    def all_dates(self) -> set[datetime.date]:
        return {v.value for v in self.dates}


def parse_date(text: str) -> datetime.date | None:
    """The first date in `text`: 15/03/1990, 15-03-1990, 1990-03-15 or "ngày 15 tháng 3 năm 1990"."""
    found = dates_in(text)
    if found:
        return found[0]
    try:
        return datetime.date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        return None


def dates_in(text: str) -> list[datetime.date]:
    folded = fold(text)
    found = []
    for day, month, year in _DATE_NUMERIC.findall(folded) + _DATE_WORDS.findall(folded):
        try:
            found.append(datetime.date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return found


def _labelled(line: str, labels: tuple[str, ...]) -> bool:
    head = fold(line.split(":", 1)[0]) if ":" in line else fold(line)[:40]
    return any(label in head for label in labels)


def extract(text: str) -> Fields:
    fields = Fields()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for match in _ID.finditer(line):
            fields.ids.append(Value(re.sub(r"\D", "", match.group()), line))
        dates = dates_in(line)
        fields.dates += [Value(d, line) for d in dates]
        if dates and _labelled(line, EXPIRY_LABELS):
            fields.expiry_dates += [Value(d, line) for d in dates]
        elif dates and _labelled(line, ISSUE_LABELS):
            fields.issue_dates += [Value(d, line) for d in dates]
        elif dates and _labelled(line, BIRTH_LABELS):
            fields.birth_dates += [Value(d, line) for d in dates]
        if ":" in line and _labelled(line, NAME_LABELS):
            value = line.split(":", 1)[1].strip()
            if value and not any(ch.isdigit() for ch in value):
                fields.names.append(Value(value, line))
        number = _NUMBER.match(fold(line))
        if number:
            fields.numbers.append(Value(number.group(1), line))
    return fields

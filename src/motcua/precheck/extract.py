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


def birth_dates_beside(name: str, text: str) -> tuple[list[datetime.date], str] | None:
    """The dates of birth a form gives the person named `name`: on the birth-date row within two
    lines after the line that names them (a form's person block; both spouses' side by side). None
    when the name is not found or no such row follows it (a requester's block has no birth date)."""
    lines = [line for line in text.splitlines() if line.strip()]
    wanted = " ".join(fold(name).split())
    for index, line in enumerate(lines):
        if wanted not in " ".join(fold(line).split()):
            continue
        for later in lines[index + 1 : index + 3]:
            head, dates = fold(later)[:30], dates_in(later)
            if dates and ("sinh" in head or head.startswith("ngay, thang") or "birth" in head):
                return dates, later
    return None


def capitalised_tail(line: str) -> str:
    """The words at the end of a line that all begin with a capital: the name typed after a label
    without a colon ("1. Họ, chữ đệm và tên TRIỆU XUÂN KHÁNH", a table row "Họ, chữ đệm, | KHA DIỆU
    HOA | LÒ THẾ PÀNH"); Vietnamese names capitalise every word."""
    words = line.replace("|", " ").split()
    tail: list[str] = []
    for word in reversed(words):
        letters = [ch for ch in word if ch.isalpha()]
        if not letters or not letters[0].isupper() or any(ch.isdigit() for ch in word):
            break
        tail.insert(0, word)
    # The label's own first word ("Họ,") is capitalised too: never part of the name.
    while tail and fold(tail[0]).rstrip(",") in ("ho", "full", "name"):
        tail.pop(0)
    return " ".join(tail)


def name_after(line: str, following: str) -> str:
    """The name a name label introduces: after its colon, at the end of the line, or alone on the
    next line ("Họ, chữ đệm và tên khai sinh / Full name:" then "BẾ THỊ DUYÊN")."""
    value = line.split(":", 1)[1].strip() if ":" in line else capitalised_tail(line)
    if not value and ":" not in following and capitalised_tail(following) == " ".join(following.split()):
        value = following.strip()
    return "" if any(ch.isdigit() for ch in value) else value


def extract(text: str) -> Fields:
    fields = Fields()
    lines = [line.strip() for line in text.splitlines()]
    for index, line in enumerate(lines):
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
        if _labelled(line, NAME_LABELS):
            following = next((later for later in lines[index + 1 :] if later), "")
            value = name_after(line, following)
            if value:
                fields.names.append(Value(value, line))
        number = _NUMBER.match(fold(line))
        if number:
            fields.numbers.append(Value(number.group(1), line))
    return fields

"""The parts of a Vietnamese legal document: the document, its articles (Điều), clauses (Khoản) and points
(Điểm)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Point:
    letter: str  # "a", "đ"
    text: str  # as written, marker included: "a) Đã bị xử phạt ...;"


@dataclass
class Clause:
    number: str  # "1", "2a"; "" holds the points of an article that has no numbered clauses
    text: str  # as written, marker and points included
    points: list[Point] = field(default_factory=list)


@dataclass
class Article:
    number: str  # "12", "12a"
    title: str
    part: str = ""
    chapter: str = ""  # "Chương II. ĐĂNG KÝ CƯ TRÚ"
    section: str = ""
    clauses: list[Clause] = field(default_factory=list)
    text: str = ""  # the article's full text as written (NFC)
    intro: str = ""  # the body before the first clause: all of it when there are no clauses

    @property
    def heading(self) -> str:
        return f"Điều {self.number}. {self.title}".strip(". ") if self.number else self.title

    @property
    def body(self) -> str:
        return "\n".join([self.intro] * bool(self.intro) + [c.text for c in self.clauses])


@dataclass
class LegalDocument:
    number: str = ""  # "68/2020/QH14"
    doc_type: str = ""  # "Luật"
    title: str = ""  # the subject: "Cư trú"
    issuer: str = ""
    issued_on: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    status: str = "unknown"  # "in_force" | "expired" | "unknown"
    replaces: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

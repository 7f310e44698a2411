"""Step 3, classification: which required document each page is, from its text and the requirement's
name, form title, form labels and keywords; then consecutive pages are grouped into documents (a page
with a title starts a document, a page without one continues the document before it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from motcua.core.text import fold

from .requirements import Requirement
from .text import Page

TITLE_LINES = 8  # official documents open with the national motto, then the title
THRESHOLD = 0.45
_NON_WORD = re.compile(r"[^\w]+")


@dataclass
class Match:
    requirement: Requirement | None
    score: float
    title: bool  # the page opens with the requirement's title: it starts a new document
    evidence: str = ""


@dataclass
class Document:
    """One recognised document: a requirement and the pages (of one file) that make it up."""

    requirement: Requirement
    file: str
    pages: list[Page] = field(default_factory=list)
    score: float = 0.0
    evidence: str = ""

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)

    @property
    def confidence(self) -> float:
        return min(page.confidence for page in self.pages) if self.pages else 0.0

    @property
    def page_range(self) -> str:
        first, last = self.pages[0].number, self.pages[-1].number
        return str(first) if first == last else f"{first}-{last}"


def _words(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


def _line_score(phrase: str, line: str) -> float:
    """How well a title line names the document: 1.0 when it holds the phrase; for a short line that
    holds most of a long phrase's words, their share (OCR garbles a letter here and there)."""
    if f" {phrase} " in f" {line} ":
        return 1.0
    wanted, present = phrase.split(), line.split()
    if len(wanted) < 3 or len(present) > len(wanted) + 2:
        return 0.0
    share = sum(word in set(present) for word in wanted) / len(wanted)
    return share * 0.85 if share >= 0.75 else 0.0


def match(page: Page, requirements: list[Requirement]) -> Match:
    original = [line for line in page.text.splitlines() if _words(line)]
    # A "label: value" line is body text, never a title ("Giấy tờ tùy thân: Thẻ căn cước số ...").
    lines = [_words(line) if ":" not in line else "" for line in original]
    body = " " + " ".join(_words(line) for line in original) + " "
    best = Match(None, 0.0, False)
    for requirement in requirements:
        score, title, evidence = 0.0, False, ""
        for phrase in requirement.phrases():
            for index, line in enumerate(lines[:TITLE_LINES]):
                found = _line_score(phrase, line) if line else 0.0
                # Earlier lines weigh more; a longer phrase wins a tie ("tờ khai đăng ký khai sinh" over
                # the "căn cước" mentioned inside it).
                candidate = found * (1.0 - 0.02 * index) + len(phrase) / 2000 if found else 0.0
                if candidate > score:
                    score, title, evidence = candidate, True, original[index]
            if score < 0.5 and f" {phrase} " in body:
                score, title, evidence = 0.5, False, phrase
        labels = requirement.label_phrases()
        if labels:
            share = sum(f" {label} " in body for label in labels) / len(labels)
            if share >= 0.3 and 0.5 + 0.4 * share > score:
                score, title, evidence = 0.5 + 0.4 * share, False, ", ".join(requirement.form_lines[:2])
        if requirement.catch_all and score < 0.46 and len(body.split()) >= 10:
            score, title, evidence = 0.46, False, original[0] if original else ""
        if score > best.score:
            best = Match(requirement, score, title, evidence)
    return best if best.score >= THRESHOLD else Match(None, best.score, False)


def group(pages: list[Page], requirements: list[Requirement], readable) -> tuple[list[Document], list[Page]]:
    """Documents found, and the readable pages that match nothing and continue no document."""
    documents: list[Document] = []
    loose: list[Page] = []
    current: Document | None = None
    for page in pages:
        if current is not None and current.file != page.file:
            current = None
        if not readable(page):
            continue
        found = match(page, requirements)
        # A title starts a document; a page without one continues the document before it.
        if found.requirement is not None and (current is None or found.title):
            current = Document(found.requirement, page.file, [page], found.score, found.evidence)
            documents.append(current)
        elif current is not None:
            current.pages.append(page)
        else:
            loose.append(page)
    return documents, loose

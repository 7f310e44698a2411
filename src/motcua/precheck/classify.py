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
_REFERRING = ("so", "theo")  # "Số <paper>", "theo <paper>": a reference to the paper, not its title
_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")


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
    def files(self) -> list[str]:
        """The file it starts in, then any file that continues it (a page photographed on its own)."""
        return list(dict.fromkeys([self.file] + [page.file for page in self.pages]))

    @property
    def page_range(self) -> str:
        own = [page.number for page in self.pages if page.file == self.file] or [self.pages[0].number]
        pages = str(own[0]) if own[0] == own[-1] else f"{own[0]}-{own[-1]}"
        return ", ".join([pages] + [f"{name} p.1" for name in self.files[1:]])


def _words(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


def _line_score(phrase: str, line: str, capitals: bool = True) -> float:
    """How well a title line names the document: 1.0 when it holds the phrase; for a short line that
    holds most of a long phrase's words, their share (OCR garbles a letter here and there)."""
    wanted, present = phrase.split(), line.split()
    if f" {phrase} " in f" {line} ":
        # A sentence that mentions the paper ("Họ, chữ đệm, tên người cha (theo Giấy chứng sinh)") is
        # no title: a title is the name and a few words more, or set in capitals (two-column headers).
        # Nor is a form's row that refers to it ("Số Giấy báo tử 44/GBT").
        if any(f" {word} {phrase} " in f" {line} " for word in _REFERRING):
            return 0.0
        return 1.0 if len(present) <= len(wanted) + 6 or capitals else 0.0
    if len(wanted) < 3 or len(present) > len(wanted) + 2:
        return 0.0
    share = sum(word in set(present) for word in wanted) / len(wanted)
    return share * 0.85 if share >= 0.75 else 0.0


def official(page: Page) -> bool:
    """The page opens as an official paper does, with the national motto: most of the motto's word
    pairs among its first lines (two-column headers split it, OCR misreads a letter)."""
    top = " ".join(_words(line) for line in page.text.splitlines()[:TITLE_LINES]).split()
    pairs = set(zip(top, top[1:], strict=False))
    for motto in _MOTTO:
        words = motto.split()
        wanted = list(zip(words, words[1:], strict=False))
        if sum(pair in pairs for pair in wanted) >= 0.7 * len(wanted):
            return True
    return False


def _capitals(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def headed(page: Page) -> bool:
    """One of the page's first two lines is a heading in capitals ("HÓA ĐƠN BÁN LẺ", "THỰC ĐƠN"): the
    page starts something, it does not continue a page before it."""
    lines = [line for line in page.text.splitlines() if len(_words(line).split()) >= 2][:2]
    return any(_capitals(line) for line in lines)


def match(page: Page, requirements: list[Requirement]) -> Match:
    original = [line for line in page.text.splitlines() if _words(line)]
    # A "label: value" line is body text, never a title ("Giấy tờ tùy thân: Thẻ căn cước số ...").
    lines = [_words(line) if ":" not in line else "" for line in original]
    body = " " + " ".join(_words(line) for line in original) + " "
    best = Match(None, 0.0, False)
    # The one paper named by its purpose (requirements.by_purpose) takes an official paper that is
    # nothing else; with several such papers the page cannot tell which it is.
    by_purpose = [requirement for requirement in requirements if requirement.by_purpose]
    stand_in = by_purpose[0] if len(by_purpose) == 1 and official(page) else None
    for requirement in requirements:
        score, title, evidence = 0.0, False, ""
        for phrase in requirement.phrases():
            for index, line in enumerate(lines[:TITLE_LINES]):
                found = _line_score(phrase, line, _capitals(original[index])) if line else 0.0
                # Earlier lines weigh more; a longer phrase wins a tie ("tờ khai đăng ký khai sinh" over
                # the "căn cước" mentioned inside it), and a required paper wins over a conditional one.
                bonus = len(phrase) / 2000 + 0.06 * requirement.required
                candidate = found * (1.0 - 0.02 * index) + bonus if found else 0.0
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
        if requirement is stand_in and score < 0.46:
            score, title, evidence = 0.46, True, original[0] if original else ""
        if score > best.score:
            best = Match(requirement, score, title, evidence)
    return best if best.score >= THRESHOLD else Match(None, best.score, False)


def group(pages: list[Page], requirements: list[Requirement], readable) -> tuple[list[Document], list[Page]]:
    """Documents found, and the readable pages that match nothing and continue no document. A file
    whose first page matches nothing, opens with no motto and no heading continues the document of
    the file before it: a phone photo of each page, an identity card's back as its own file."""
    documents: list[Document] = []
    loose: list[Page] = []
    current: Document | None = None
    file = None
    for page in pages:
        if page.file != file:  # a new file: it may continue the document the last file ended in
            file, previous, current = page.file, current, None
        if not readable(page):
            continue
        found = match(page, requirements)
        if current is None and previous is not None and page.number == 1 and not found.title:
            # The same paper's next page (a card's back), or a page that is nothing else.
            same = found.requirement is previous.requirement
            if (same or found.requirement is None) and not official(page) and not headed(page):
                current = previous
        # A title starts a document; a page without one continues the document before it.
        if found.requirement is not None and (current is None or found.title):
            current = Document(found.requirement, page.file, [page], found.score, found.evidence)
            documents.append(current)
        elif current is not None:
            current.pages.append(page)
        else:
            loose.append(page)
            current = None
    return documents, loose

"""The required-documents table: cases, each document's name, form files, originals and copies."""

from __future__ import annotations

import re

from .problems import Problems
from .sections import structure
from .text import BULLET_RE, one_line, with_next

DOCUMENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"

# Quantity cell: a single digit count (longer digit runs are the end of the name glued to it) and
# never followed by a space or punctuation, which is how "01 bản chính" reads inside a name.
QUANTITY_RE = re.compile(r"(\d)\s?bản chính(?:,(\d+)\s?bản sao)?(?=$|[^\s;,.:)])")
FORM_FILE_RE = re.compile(r"\.(?:docx?|pdf|xlsx?)", re.IGNORECASE)
FORM_KEYWORD_RE = re.compile(r"Mẫu|Mau|mẫu|mau|Phụ lục|Phu luc|PL|Đơn|Tờ khai|To khai|Tokhai")


def glue_strength(text: str, i: int) -> int:
    """How surely a form file name glued to the document name starts at text[i]: 2 after a lower-case
    letter, closing punctuation, a dot or a year and before a capital ("…kinh doanhMẫu 04", "…(bản
    chính)Phụ lục 12.2", "…NHNN.PL V", "…26/01/2026Mau so 02"); 1 for a lower-case letter before a
    digit ("…theo mẫu1.004286"), which also occurs inside file names ("Phlc03TT10"); else 0."""
    before, char = text[i - 1], text[i]
    if char.isupper():
        after_dot = before == "." and (text[i - 2 : i - 1].isalpha() or text[i - 2 : i - 1] == ")")
        after_year = i >= 4 and text[i - 4 : i].isdigit()
        return 2 if before.islower() or before in ";:)]" or after_dot or after_year else 0
    if char.isdigit():
        return 2 if before in ";:)]" or text[i - 2 : i] == ")." else int(before.islower())
    return 0


def split_form_files(name: str) -> tuple[str, str]:
    """Split the form file names glued to the end of a document name: (name, "a.docx; b.doc")."""
    ends = [m.end() for m in FORM_FILE_RE.finditer(name)]
    if not ends or ends[-1] != len(name):
        return name, ""
    first_end = ends[0]
    window = range(max(1, first_end - 80), first_end - 5)  # never split inside the extension itself
    strength = {i: glue_strength(name, i) for i in window}
    glued_keywords = [
        m.start()
        for m in FORM_KEYWORD_RE.finditer(name, window.start, first_end)
        if m.start() and not name[m.start() - 1].isspace()
    ]
    cut = next((i for i in window if strength[i] == 2), None)
    if cut is None:
        cut = glued_keywords[-1] if glued_keywords else next((i for i in window if strength[i] == 1), None)
    if cut is None:
        cut = name.rfind(" ", 0, first_end) + 1
    files = [name[a:b].strip() for a, b in zip([cut] + ends[:-1], ends, strict=True)]
    return name[:cut].strip(), "; ".join(f for f in files if f)


def parse_document_rows(body: str, problems: Problems) -> tuple[list[dict], str]:
    """Documents of one table body; returns them with the text left after the last count."""
    matches = list(QUANTITY_RE.finditer(body))
    # "…: 01 bản chính" glued to the real cell "0 bản chính": the first one belongs to the name.
    cells = [m for m, nxt in with_next(matches) if not (nxt and nxt.start() == m.end())]
    documents, pos = [], 0
    for m in cells:
        raw = body[pos : m.start()]
        pos = m.end()
        name, form = split_form_files(raw.strip())
        name = one_line(BULLET_RE.sub("", name))
        if not name:
            problems.add("cases.documents", "document without a name")
        documents.append(
            {
                "name": name,
                "originals": int(m.group(1)),
                "copies": int(m.group(2) or 0),
                "form_template": form,
                "notes": "",
            }
        )
    return documents, body[pos:]


def parse_cases(text: str, problems: Problems) -> list[dict]:
    if not text.strip(" -"):
        return []
    sections = text.split(DOCUMENT_HEADER)
    if len(sections) == 1:
        problems.add("cases", "document table header missing")
        return []
    cases, heading = [], sections[0]
    for body in sections[1:]:
        documents, tail = parse_document_rows(body, problems)
        name = one_line(heading).strip(" -")
        if not documents:
            problems.add("cases.documents", "document table without any count")
        cases.append({"name": name, "documents": documents})
        heading = tail  # text after the last count is the heading of the next table
    if heading.strip(" -"):
        if cases and cases[-1]["documents"]:
            cases[-1]["documents"][-1]["notes"] = one_line(heading)
        problems.add("cases.documents", "text after the last document has no count")
    return structure(cases, problems)

"""From the portal's document tables to cases: which tables are cases and which rows are documents.

The portal prints one table per heading, and a heading is often not a case at all but a part of the
one dossier: "Giấy tờ phải nộp" (to submit), "Giấy tờ phải xuất trình" (to show), "Lưu ý" (notes).
Read as cases, a birth registration had four, the default one a list of notes, and the pre-check
demanded each note as a missing document. Here those parts are merged into one main case, rows that
count nothing (0 originals, 0 copies) or stand under "Lưu ý" become the case's notes, and the cases
that apply only in a situation ("Trường hợp ủy quyền ...") come after the ordinary ones, so that the
first case, which intake and the pre-check take when none is chosen, is the ordinary dossier."""

from __future__ import annotations

import re

from motcua.core.text import fold

from .problems import Problems

# Headings that name a part of the dossier rather than a situation: "* Giấy tờ phải nộp:",
# "Thành phần hồ sơ:", "a) Thành phần hồ sơ:", "* Hồ sơ đăng ký tạm trú gồm:", "* Lưu ý :".
_PART = re.compile(
    r"^\W*(?:[a-z]\)\s*)?(?:giay to phai (?:nop|xuat trinh)|(?:cac )?giay to (?:nop|xuat trinh)|"
    r"thanh phan(?: ho so)?|ho so(?: [^:]{0,60})? gom|luu y)\b"
)
_NOTES = re.compile(r"^\W*luu y\b")
# A situation that is the exception, not the rule: on someone's behalf, a foreign element, late.
_EXCEPTIONAL = re.compile(r"^\W*(?:truong hop|doi voi truong hop)\b|\buy quyen\b|nuoc ngoai|qua han")


def is_part(heading: str) -> bool:
    return not heading.strip(" -*:") or bool(_PART.search(fold(heading)))


def is_exceptional(name: str) -> bool:
    """A case the pre-check must not assume without evidence (authorisation, foreign element...)."""
    return bool(_EXCEPTIONAL.search(fold(name)))


_COUNT_IN_NAME = re.compile(r"\d+ ban (?:chinh|sao)")  # "Báo cáo (nếu có): 01 bản chính" + "0 bản chính"


def _is_note(document: dict, in_notes: bool) -> bool:
    name = fold(document["name"])
    counted = document["originals"] or document["copies"] or _COUNT_IN_NAME.search(name)
    return in_notes or not counted or bool(_NOTES.search(name))


def structure(tables: list[dict], problems: Problems) -> list[dict]:
    """Cases [{name, documents, notes}] from the tables [{name, documents}] parse_cases found."""
    main: dict = {"name": "", "documents": [], "notes": []}
    cases: list[dict] = []
    for table in tables:
        part = is_part(table["name"])
        in_notes = part and bool(_NOTES.search(fold(table["name"])))
        target = main if part else {"name": table["name"], "documents": [], "notes": []}
        for document in table["documents"]:
            if _is_note(document, in_notes):
                target["notes"].append(document["name"])
            else:
                target["documents"].append(document)
        if not part:
            cases.append(target)
    if main["documents"] or not cases:
        cases.insert(0, main)
    elif main["notes"]:  # notes under no case (a closing "Lưu ý") apply to every case
        for case in cases:
            case["notes"] += main["notes"]
    cases.sort(key=lambda case: is_exceptional(case["name"]))  # stable: the ordinary ones first
    if tables and not any(case["documents"] for case in cases):
        problems.add("cases.documents", "no row counts a document: every row was read as a note")
    return [case for case in cases if case["documents"] or case["notes"]]

"""Step 5, rules: every required document present in the required count; the application data
consistent with the documents (names with and without diacritics, dates, ID numbers); documents not
expired; pages readable. Each broken rule is a Finding."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _
from rapidfuzz.distance import Levenshtein

from motcua.core.text import fold, nfc

from . import findings as f
from .classify import Document
from .extract import Fields, birth_dates_beside, extract, parse_date
from .requirements import Requirement
from .text import Page

MIN_CONFIDENCE = 0.5  # mean OCR word confidence below which a page is reported unreadable
MIN_WORDS = 4
IDENTITY_FIELDS = ("full_name", "id_number", "date_of_birth")
FORM_FIELDS = ("full_name", "id_number", "date_of_birth")


def readable(page: Page) -> bool:
    return page.source != "ocr" or (page.confidence >= MIN_CONFIDENCE and page.words >= MIN_WORDS)


def unreadable(pages: list[Page], documents: list[Document]) -> list[f.Finding]:
    """One finding per unreadable page, naming the document it sits in when the page before is known."""
    out = []
    for page in pages:
        if readable(page):
            continue
        before = next(
            (d for d in documents if d.file == page.file and d.pages[-1].number == page.number - 1), None
        )
        out.append(
            f.Finding(
                f.UNREADABLE,
                before.requirement.name if before else None,
                file=page.file,
                page=page.number,
                detail=_("Page %(page)d cannot be read (OCR confidence %(conf)d%%). Ask for a clearer scan.")
                % {"page": page.number, "conf": round(page.confidence * 100)},
                evidence=" ".join(page.text.split())[:120],
                confidence=0.9 if page.words < MIN_WORDS else 1 - page.confidence,
            )
        )
    return out


def unrecognised(loose: list[Page], documents: list[Document]) -> list[f.Finding]:
    """Files none of whose readable pages is a required document."""
    recognised = {file for d in documents for file in d.files}
    out, seen = [], set()
    for page in loose:
        if page.file in recognised or page.file in seen:
            continue
        seen.add(page.file)
        first_line = next((line for line in page.text.splitlines() if line.strip()), "")
        out.append(
            f.Finding(
                f.UNRECOGNISED,
                None,
                file=page.file,
                page=page.number,
                detail=_("This file is none of the documents the procedure asks for."),
                evidence=first_line[:120],
                confidence=0.8,
            )
        )
    return out


def people(application: dict) -> int:
    """How many people the application identifies by ID number: the applicant and, for a marriage,
    the partner ("partner_id_number"); each of them shows an identity paper."""
    return 1 + sum(
        1 for key, value in application.items() if key.endswith("_id_number") and key != "id_number" and value
    )


def counts(
    requirements: list[Requirement], documents: list[Document], doubtful: bool, people: int = 1
) -> list[f.Finding]:
    """Missing documents and short counts; an identity paper is needed for each of the `people` the
    application identifies. `doubtful`: some page could not be read or recognised, so a missing
    document may be hiding there (lower confidence)."""
    out = []
    for requirement in requirements:
        found = [d for d in documents if d.requirement is requirement]
        needed = max(requirement.count, people) if requirement.identity else requirement.count
        if requirement.required and not found:
            out.append(
                f.Finding(
                    f.MISSING,
                    requirement.name,
                    detail=_("No file in the dossier is this document."),
                    # What was recognised instead: the officer sees at a glance what the files are.
                    evidence="; ".join(f"{d.file} p.{d.page_range}: {d.requirement.name}" for d in documents)[
                        :300
                    ],
                    confidence=0.6 if doubtful else 0.95,
                )
            )
        elif found and len(found) < needed:
            out.append(
                f.Finding(
                    f.WRONG_COUNT,
                    requirement.name,
                    file=found[0].file,
                    detail=_("%(need)d needed, %(found)d found.") % {"need": needed, "found": len(found)},
                    evidence="; ".join(f"{d.file} p.{d.page_range}" for d in found),
                    confidence=0.6 if doubtful else 0.9,
                )
            )
    return out


def consistency_all(documents: list[Document], application: dict, partial: set[str]) -> list[f.Finding]:
    """Consistency of every document. Identity papers may belong to several people (both spouses):
    the applicant's data must match one of them, so only the closest one's differences are reported.
    `partial`: files with an unreadable page, where a value may be missing only because it is unread."""
    identity: list[list[f.Finding]] = []
    out: list[f.Finding] = []
    for document in documents:
        found = consistency(document, application, partial=document.file in partial)
        if document.requirement.identity:
            identity.append(found)
        else:
            out += found
    if identity and all(identity):
        closest: list[f.Finding] = min(identity, key=len)
        out += closest
    return out


def consistency(document: Document, application: dict, partial: bool = False) -> list[f.Finding]:
    """The application's data against one document: the applicant's name, ID number and date of birth
    on identity papers and the application form, plus the fields an admin listed for this document."""
    requirement = document.requirement
    keys = list(requirement.fields)
    if requirement.identity:
        keys += IDENTITY_FIELDS
    elif requirement.application_form:
        keys += FORM_FIELDS
    fields = extract(document.text)
    ocr = any(page.source == "ocr" for page in document.pages)
    out = []
    for key in dict.fromkeys(keys):
        value = application.get(key)
        if value in (None, "") or partial:
            continue  # with a page unread, an absent value proves nothing (the page is reported)
        strict = key in requirement.fields
        if key == "date_of_birth" and not requirement.identity and not strict:
            problem = _birth_on_form(str(value), application.get("full_name", ""), document.text)
        else:
            problem = _compare(key, str(value), document.text, fields, strict=strict, ocr=ocr)
        if problem:
            evidence, detail = problem
            out.append(
                f.Finding(
                    f.MISMATCH,
                    requirement.name,
                    file=document.file,
                    page=document.pages[0].number,
                    detail=detail,
                    evidence=evidence,
                    confidence=0.9 * document.confidence + 0.05,
                    field=key,
                )
            )
    return out


def _near(wanted: str, seen: str) -> bool:
    """OCR misreads a letter or two ("Đặng" as "PANG"): a name one edit away per 12 letters still
    matches, anywhere in a value that may hold two names side by side (a form's two columns)."""
    a, words = " ".join(fold(wanted).split()), fold(seen).split()
    size = len(a.split())
    windows = [" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))]
    return any(Levenshtein.distance(a, window) <= max(1, len(a) // 12) for window in windows)


def _misread(wanted: str, run: str) -> bool:
    """A run of 11 or 13 digits one edit from the 12-digit number: OCR dropped or doubled a digit.
    A 12-digit run that differs is another number, not a misreading."""
    return len(run) != len(wanted) and Levenshtein.distance(wanted, run) <= 1


def _compare(
    key: str, value: str, text: str, fields: Fields, strict: bool, ocr: bool = False
) -> tuple[str, str] | None:
    """None when the document agrees with the application (or has nothing to compare), else
    (evidence, detail). `strict`: an admin rule demands the value, so absence is a mismatch too.
    `ocr`: the text was read by OCR, so a labelled name within a letter or two still matches."""
    label = {
        "full_name": _("full name"),
        "id_number": _("personal ID number"),
        "date_of_birth": _("date of birth"),
    }
    name = str(label.get(key, key))
    wanted_date = parse_date(value) if ("date" in key or key in ("dob",)) else None
    if key == "id_number" or (value.isdigit() and len(value) in (9, 12)):
        numbers = fields.id_numbers()
        if value in numbers or value in re.sub(r"\D", "", text):
            return None
        if ocr and any(_misread(value, run) for run in re.findall(r"\d{11,13}", text.replace(" ", ""))):
            return None
        if not numbers and not strict:
            return None
        seen = fields.ids[0] if fields.ids else None
        return _evidence(seen.line if seen else ""), _("The %(field)s %(value)s is not on this document.") % {
            "field": name,
            "value": _masked(value),
        }
    if wanted_date is not None:
        dated = fields.birth_dates if key == "date_of_birth" else fields.dates
        if wanted_date in {v.value for v in dated} or (not dated and wanted_date in fields.all_dates()):
            return None
        if not dated and not strict:
            return None
        return _evidence(dated[0].line if dated else ""), _(
            "The %(field)s %(value)s is not on this document."
        ) % {
            "field": name,
            "value": wanted_date.strftime("%d/%m/%Y"),
        }
    # A name or other text: with diacritics, then without (OCR and typing both drop marks).
    squashed = " ".join(nfc(text).lower().split())
    if " ".join(nfc(value).lower().split()) in squashed:
        return None
    if " ".join(fold(value).split()) in " ".join(fold(text).split()):
        return None
    if ocr and any(_near(value, v.value) for v in fields.names):
        return None
    seen = fields.names[0] if (key == "full_name" and fields.names) else None
    if seen is None and not strict and key == "full_name" and not fields.names:
        return None
    return _evidence(seen.line if seen else ""), _("The %(field)s “%(value)s” is not on this document.") % {
        "field": name,
        "value": value,
    }


def _birth_on_form(value: str, name: str, text: str) -> tuple[str, str] | None:
    """A form's birth date for the applicant, read on the row after their name; a form that gives
    none (a requester's block) has nothing to compare."""
    wanted, beside = parse_date(value), birth_dates_beside(name, text) if name else None
    if wanted is None or beside is None or wanted in beside[0]:
        return None
    return _evidence(beside[1]), _("The %(field)s %(value)s is not on this document.") % {
        "field": _("date of birth"),
        "value": wanted.strftime("%d/%m/%Y"),
    }


def expiry(document: Document, today: datetime.date) -> list[f.Finding]:
    fields = extract(document.text)

    def expired_finding(detail: str, line: str) -> list[f.Finding]:
        return [
            f.Finding(
                f.EXPIRED,
                document.requirement.name,
                file=document.file,
                page=document.pages[0].number,
                detail=detail,
                evidence=_evidence(line),
                confidence=0.9 * document.confidence + 0.05,
            )
        ]

    expired = [v for v in fields.expiry_dates if v.value < today]
    if expired:
        date = expired[0].value.strftime("%d/%m/%Y")
        return expired_finding(_("Expired on %(date)s.") % {"date": date}, expired[0].line)
    days = document.requirement.validity_days
    if days and fields.issue_dates:
        issued = max(fields.issue_dates, key=lambda v: v.value)
        if issued.value + datetime.timedelta(days=days) < today:
            detail = _("Issued on %(date)s: valid for %(days)d days only.") % {
                "date": issued.value.strftime("%d/%m/%Y"),
                "days": days,
            }
            return expired_finding(detail, issued.line)
    return []


def _evidence(line: str) -> str:
    return " ".join(line.split())[:160]


def _masked(number: str) -> str:
    return number[:3] + "*" * max(0, len(number) - 6) + number[-3:] if len(number) > 6 else number

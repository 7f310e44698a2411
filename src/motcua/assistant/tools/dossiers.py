"""Dossier tools: a dossier's status for whoever may see it, the citizen's own dossiers and the
official's due / overdue list. The dossiers modules are imported inside the functions."""

from __future__ import annotations

import re

from motcua.core.text import fold

DOSSIER_CODE = re.compile(r"\b[A-Z0-9][A-Z0-9.]*-\d{6}-\d{4}\b")
ID_NUMBER = re.compile(r"(?<!\d)\d{12}(?!\d)")
# "hồ sơ (khai sinh) của tôi", "hồ sơ (kết hôn) tôi đã nộp", "hồ sơ (khai sinh) đến đâu rồi",
# "(the status of) my (birth) application"; the words in between name the procedure.
MY_DOSSIERS = re.compile(
    r"\bho so(?P<a>( \w+){0,4}?) cua (toi|minh|em)\b"
    r"|\bho so(?P<b>( \w+){0,4}?) (toi|minh|em) (da )?(nop|gui)\b"
    r"|\bho so(?P<c>( \w+){0,4}?) (den|toi) dau roi\b"
    r"|\btinh trang ho so\b"
    r"|\bmy(?P<d>( \w+){0,2}?) (dossiers?|applications?)\b"
    r"|ملفي|طلبي"
)
DUE = re.compile(
    r"\b(qua han|tre han|tre hen|sap (den )?han|den han|sap het han|overdue|due soon|late|due)\b|متاخر"
)


def dossier_code(question: str) -> str:
    match = DOSSIER_CODE.search(question.upper())
    return match.group() if match else ""


def lookup_dossier(user, code: str, id_number: str = ""):
    """The dossier `code` if this user may see it, or if `id_number` is its applicant's (the public
    tracking rule); None otherwise, without saying whether the code exists."""
    from motcua.dossiers import permissions
    from motcua.dossiers.models import Dossier

    dossier = permissions.visible_to(user).filter(code=code).select_related("procedure", "agency").first()
    if dossier is None and id_number:
        dossier = (
            Dossier.objects.select_related("procedure", "agency")
            .filter(code=code, applicant_id_number=id_number)
            .first()
        )
    return dossier


def my_dossiers(user, limit: int = 5, about: str = ""):
    """The citizen's latest dossiers; those of the procedure named `about` ("khai sinh") when any
    of them is."""
    from motcua.dossiers import permissions

    if not user.is_authenticated or user.is_official:
        return []
    latest = list(
        permissions.visible_to(user)
        .filter(applicant=user)
        .select_related("procedure")
        .order_by("-submitted_at")[:50]
    )
    named = [d for d in latest if about and fold(about) in fold(d.procedure.name)]
    return (named or latest)[:limit]


def my_dossiers_about(question: str) -> str:
    """The words naming a procedure in "hồ sơ khai sinh của tôi" ("khai sinh"), or ""."""
    match = MY_DOSSIERS.search(fold(question))
    if not match:
        return ""
    return next((match.group(g).strip() for g in "abcd" if match.group(g)), "")


def due_in_unit(user, limit: int = 10) -> dict[str, tuple[int, list]]:
    """For an official: the unit's overdue and due-soon dossiers (count and the first few)."""
    from motcua.dossiers import queues

    out = {}
    for name in ("overdue", "due_soon"):
        queryset = queues.queue(user, name)
        out[name] = (queues.capped_count(queryset), list(queryset[:limit]))
    return out


def wants_my_dossiers(question: str) -> bool:
    return bool(MY_DOSSIERS.search(fold(question)))


def wants_due(question: str) -> bool:
    folded = fold(question)
    return bool(DUE.search(folded)) and bool(re.search(r"ho so|dossier|don vi|unit|ملف", folded))

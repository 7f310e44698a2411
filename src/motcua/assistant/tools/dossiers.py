"""Dossier tools: a dossier's status for whoever may see it, the citizen's own dossiers and the
official's due / overdue list. The dossiers modules are imported inside the functions."""

from __future__ import annotations

import re

from motcua.core.text import fold

DOSSIER_CODE = re.compile(r"\b[A-Z0-9][A-Z0-9.]*-\d{6}-\d{4}\b")
ID_NUMBER = re.compile(r"(?<!\d)\d{12}(?!\d)")
MY_DOSSIERS = re.compile(
    r"\b(ho so (cua )?(toi|minh|em)|tinh trang ho so|my (dossier|dossiers|application|applications)|"
    r"status of my)\b|ملفي|طلبي"
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


def my_dossiers(user, limit: int = 5):
    from motcua.dossiers import permissions

    if not user.is_authenticated or user.is_official:
        return []
    return list(
        permissions.visible_to(user)
        .filter(applicant=user)
        .select_related("procedure")
        .order_by("-submitted_at")[:limit]
    )


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

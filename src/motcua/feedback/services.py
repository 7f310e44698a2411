"""Filing feedback: from the public form, or a conversation handed over by the assistant."""

from __future__ import annotations

from motcua.dossiers.permissions import visible_to

from .models import Feedback


def file(
    *, sender, name: str, subject: str, body: str, email: str = "", phone: str = "", dossier_code: str = ""
):
    """A new ticket. It is linked to the dossier only when the sender may see that dossier; otherwise
    the code stays in the text, so that nobody learns from the form whether a code exists."""
    code = dossier_code.strip()
    dossier = visible_to(sender).filter(code=code).first() if code else None
    if code and dossier is None:
        body = f"[{code}] {body}"
    return Feedback.objects.create(
        name=name,
        email=email,
        phone=phone,
        subject=subject,
        body=body,
        dossier=dossier,
        agency=dossier.agency if dossier else None,
    )

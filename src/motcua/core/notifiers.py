"""Notices to people (citizens now; officials later) behind one small interface, so that e-mail, SMS
or Zalo can carry them. The channel in use is chosen by MOTCUA_NOTIFIER (`core.backends.notifiers`);
every backend passes tests/core/notifier_conformance.py.

A notice is sent at most once per `key` (the caller's name for it, e.g. `notice:<task result id>`): a
retried task sends nothing twice. A temporary failure (the mail server is down) raises OSError, which
`smtplib.SMTPException` is, so the task that sends it is retried; nothing is lost silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Recipient:
    """Whom a notice is for, with every address we know; each channel uses its own."""

    name: str = ""
    email: str = ""
    phone: str = ""


@runtime_checkable
class Notifier(Protocol):
    channel: str  # "email", later "sms", "zalo"

    def can_reach(self, recipient: Recipient) -> bool:
        """Whether this channel has an address for the recipient (no notice is queued otherwise)."""

    def send(self, key: str, recipient: Recipient, subject: str, body: str) -> bool:
        """Deliver unless `key` was delivered already; whether it delivered now. OSError: try later."""


class EmailNotifier:
    """Notices by e-mail through Django's mail backend (MOTCUA_EMAIL_BACKEND), once per key."""

    channel = "email"

    def can_reach(self, recipient: Recipient) -> bool:
        return bool(recipient.email)

    def send(self, key: str, recipient: Recipient, subject: str, body: str) -> bool:
        from .tasks.mail import deliver

        if not self.can_reach(recipient):
            raise ValueError(f"no e-mail address for notice {key}")
        return deliver(key, subject, body, [recipient.email])

"""E-mail as tasks: never sent inside a request or a scan, retried when the mail server is down, and
sent once per key.

The key names the message (`due-warning:<dossier>:<due date>`, `notice:<task result id>`): once the mail
server has accepted a message its key is recorded, and a retried or repeated task with the same key sends
nothing. A worker that dies in the instant between the server's acceptance and the record may send it
again: at least once, never silently dropped.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import SentMail
from .policy import retry_on


def deliver(key: str, subject: str, body: str, recipients: list[str]) -> bool:
    """Send unless `key` was sent already. Returns whether it sent. Mail-server errors propagate."""
    if SentMail.objects.filter(key=key).exists():
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, list(recipients))
    SentMail.objects.get_or_create(key=key, defaults={"sent_at": timezone.now()})
    return True


@retry_on(smtplib.SMTPException, OSError)
@task()
def send_email(key: str, subject: str, body: str, recipients: list[str]) -> bool:
    return deliver(key, subject, body, recipients)


def queue_email(key: str, subject: str, body: str, recipients: list[str]) -> None:
    """Enqueue `send_email` once the current transaction commits (at once outside one)."""
    transaction.on_commit(
        lambda: send_email.enqueue(key=key, subject=subject, body=body, recipients=sorted(recipients))
    )

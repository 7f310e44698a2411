"""The 'email' notifier passes the Notifier conformance suite; the notifier is chosen by settings."""

import contextlib
import smtplib

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from motcua.core import backends
from motcua.core.notifiers import EmailNotifier, Recipient

from .notifier_conformance import NotifierConformance


class TestEmailNotifier(NotifierConformance):
    @pytest.fixture
    def notifier(self, settings):
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        return EmailNotifier()

    @pytest.fixture
    def reachable(self):
        return Recipient("Nguyễn Thị Hoa", "hoa@example.invalid", "0912345678")

    @pytest.fixture
    def outbox(self):
        return lambda: [(m.to[0], m.subject, m.body) for m in mail.outbox]

    @pytest.fixture
    def channel_down(self, monkeypatch):
        @contextlib.contextmanager
        def down():
            def refuse(*args, **kwargs):
                raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")

            with monkeypatch.context() as patch:
                patch.setattr("motcua.core.tasks.mail.send_mail", refuse)
                yield

        return down


def test_the_notifier_is_chosen_by_settings(settings):
    settings.NOTIFIER = "email"
    assert isinstance(backends.notifier(), EmailNotifier)
    settings.NOTIFIER = "zalo"
    with pytest.raises(ImproperlyConfigured) as error:
        apps.get_app_config("core").ready()
    assert str(error.value) == "MOTCUA_NOTIFIER='zalo' is not a notifier: choose one of 'email'"

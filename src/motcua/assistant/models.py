"""Conversations with the assistant: each answer is stored with its evidence, latency and feedback.

Questions are stored with personal data masked (`core.logmask.mask`): the answer was composed from the
raw text, but nothing downstream (history, admin, logs) needs an ID number or a phone number again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Conversation(models.Model):
    # An account's conversations follow it; an anonymous visitor's live in their session.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="conversations"
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    handed_over = models.ForeignKey(
        "feedback.Feedback",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed to an officer as"),
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.title or str(self.pk)


class Message(models.Model):
    """One question and its answer."""

    conversation = models.ForeignKey(Conversation, models.CASCADE, related_name="messages")
    question = models.TextField(_("question"))
    language = models.CharField(_("language"), max_length=5, default="vi")
    answer = models.JSONField(_("answer"), default=dict)  # compose.Answer.as_dict(): statements, citations
    evidence = models.JSONField(_("evidence"), default=list)  # what retrieval returned, with scores
    mode = models.CharField(_("mode"), max_length=20, default="extractive")
    declined = models.BooleanField(_("declined"), default=False)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), default=0)
    rating = models.SmallIntegerField(
        _("rating"), null=True, blank=True, choices=[(1, _("Helpful")), (-1, _("Not helpful"))]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("assistant answer")
        verbose_name_plural = _("assistant answers")

    def __str__(self) -> str:
        return self.question[:80]

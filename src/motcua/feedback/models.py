"""PAKN (phản ánh, kiến nghị): citizens' feedback and petitions, from the public form or handed over
from an assistant conversation. The assistant, the indicators (group 5) and documents read them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Feedback(models.Model):
    name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", models.SET_NULL, null=True, blank=True, verbose_name=_("agency")
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("content"))
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback or petition")
        verbose_name_plural = _("feedback and petitions")

    def __str__(self) -> str:
        return self.subject

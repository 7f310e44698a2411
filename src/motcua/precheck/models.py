"""Pre-check records: a Check per run on a dossier (status and progress for the officer), its
Findings with the officer's decision on each (accepted or overridden, so precision can be measured),
and the per-procedure rules an administrator adds on top of the catalogue."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import findings


class RuleKind(models.TextChoices):
    REQUIRE = "require", _("Always required (even if the catalogue says 'when...')")
    WAIVE = "waive", _("Not required (checked only when present)")
    COUNT = "count", _("Number of documents needed")
    KEYWORDS = "keywords", _("Extra phrases that recognise the document (one per line)")
    CATCH_ALL = "catch_all", _("Any unrecognised document counts as this one")
    FIELD = "field", _("Application field that must appear on the document")
    VALIDITY_DAYS = "validity_days", _("Valid for this many days after issue")


class ProcedureRule(models.Model):
    procedure = models.ForeignKey(
        "catalogue.Procedure", models.CASCADE, related_name="precheck_rules", verbose_name=_("procedure")
    )
    document = models.ForeignKey(
        "catalogue.RequiredDocument",
        models.CASCADE,
        related_name="precheck_rules",
        verbose_name=_("required document"),
    )
    kind = models.CharField(_("rule"), max_length=20, choices=RuleKind.choices)
    value = models.TextField(_("value"), blank=True)
    note = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        ordering = ["procedure", "document", "kind"]
        verbose_name = _("pre-check rule")
        verbose_name_plural = _("pre-check rules")

    def __str__(self) -> str:
        return f"{self.procedure.code} {self.get_kind_display()} {self.value}".strip()

    def clean(self) -> None:
        if self.document_id and self.procedure_id and self.document.case.procedure_id != self.procedure_id:
            raise ValidationError(_("The document belongs to another procedure."))
        if self.kind in (RuleKind.COUNT, RuleKind.VALIDITY_DAYS) and not str(self.value).strip().isdigit():
            raise ValidationError(_("Enter a whole number."))
        if self.kind in (RuleKind.KEYWORDS, RuleKind.FIELD) and not str(self.value).strip():
            raise ValidationError(_("Enter a value."))


class CheckStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Check(models.Model):
    """A pre-check run: of a dossier (kept, reviewed by officials), or a citizen's check of the files
    on the submission form before submitting (no dossier: `procedure`, `requested_by`, the typed
    `application` and the `uploads` held in storage until the task has read them; the row is deleted
    once its result has been shown, or when it expires unseen)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", models.CASCADE, related_name="prechecks", null=True, blank=True
    )
    procedure = models.ForeignKey(
        "catalogue.Procedure", models.CASCADE, related_name="+", null=True, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", null=True, blank=True
    )
    application = models.JSONField(default=dict, blank=True)
    # [{"name": the citizen's file name, "path": where storage holds it until it is read}]
    uploads = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=10, blank=True)  # of the citizen's page, for the details
    status = models.CharField(max_length=10, choices=CheckStatus.choices, default=CheckStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    complete = models.BooleanField(null=True)
    pages = models.PositiveSmallIntegerField(default=0)
    timings_ms = models.JSONField(default=dict, blank=True)
    # The documents recognised: [{"requirement_id", "requirement", "file", "pages", "evidence", "score"}].
    documents = models.JSONField(default=list, blank=True)
    # The case checked against and the next best; `case_reason` "named" when the officer chose it
    # (set before the run), "best" when the pre-check did, "only" for a procedure of one case.
    case = models.ForeignKey(
        "catalogue.ProcedureCase", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    runner_up = models.ForeignKey(
        "catalogue.ProcedureCase", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case_reason = models.CharField(max_length=10, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pre-check")
        verbose_name_plural = _("pre-checks")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.status} {self.progress}%"


class Decision(models.TextChoices):
    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", _("Accepted")
    OVERRIDDEN = "overridden", _("Overridden")


class Finding(models.Model):
    KINDS = [
        (findings.MISSING, _("Missing document")),
        (findings.WRONG_COUNT, _("Wrong number of documents")),
        (findings.UNRECOGNISED, _("Unrecognised file")),
        (findings.MISMATCH, _("Data does not match the application")),
        (findings.EXPIRED, _("Expired document")),
        (findings.UNREADABLE, _("Unreadable page")),
        (findings.INVALID, _("Invalid file")),
    ]
    check_run = models.ForeignKey(Check, models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20, choices=KINDS)
    requirement = models.ForeignKey(
        "catalogue.RequiredDocument", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requirement_name = models.TextField(blank=True)
    attachment = models.ForeignKey(
        "dossiers.Attachment", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.CharField(max_length=255, blank=True)
    page = models.PositiveSmallIntegerField(null=True, blank=True)
    field = models.CharField(max_length=60, blank=True)
    detail = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    confidence = models.FloatField(default=1.0)
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["kind", "decision"], name="precheck_finding_decision")]

    def __str__(self) -> str:
        return f"{self.kind} {self.requirement_name or self.file}"

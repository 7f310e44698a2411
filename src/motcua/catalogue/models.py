"""The catalogue of administrative procedures, with the fields the national database publishes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from motcua.core.i18n import Translated
from motcua.core.text import fold

from . import fees


def counted_time(value, unit: str) -> str:
    """ "1 working day", "15 working days", "0.5 days": the unit in the right plural form."""
    value = value.normalize()
    count = int(value) if value == int(value) else 2  # a fraction reads as a plural
    counted = TIME_UNIT_COUNTS.get(TimeUnit(unit)) if unit in TimeUnit.values else None
    if counted is None:
        return f"{value:f} {unit}".strip()
    return counted % {"count": count, "n": f"{value:f}"}


class Level(models.TextChoices):
    MINISTRY = "ministry", _("Ministry / central")
    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")
    OTHER = "other", _("Other agency")


class Channel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    ONLINE = "online", _("Online")
    POST = "post", _("By public post")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    DAYS = "days", _("days")
    HOURS = "hours", _("hours")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")


# A time limit with its count, in the plural form the count needs ("count": the number chosen by).
TIME_UNIT_COUNTS = {
    TimeUnit.WORKING_DAYS: ngettext_lazy("%(n)s working day", "%(n)s working days", "count"),
    TimeUnit.DAYS: ngettext_lazy("%(n)s day", "%(n)s days", "count"),
    TimeUnit.HOURS: ngettext_lazy("%(n)s hour", "%(n)s hours", "count"),
    TimeUnit.MONTHS: ngettext_lazy("%(n)s month", "%(n)s months", "count"),
    TimeUnit.YEARS: ngettext_lazy("%(n)s year", "%(n)s years", "count"),
}


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Full online service")
    PARTIAL = "partial", _("Partial online service")
    NONE = "none", _("Not online")


class FeeKind(models.TextChoices):
    FEE = "fee", _("Fee")
    CHARGE = "charge", _("Charge")
    OTHER = "other", _("Other payment")


class Source(models.TextChoices):
    DEMO = "demo", _("Demo data")
    NATIONAL = "national", _("National catalogue import")
    LOCAL = "local", _("Entered locally")


class Field(Translated, models.Model):
    """Lĩnh vực: the area of state management a procedure belongs to."""

    code = models.SlugField(_("code"), max_length=120, unique=True, allow_unicode=False)
    name = models.CharField(_("name"), max_length=255)
    i18n = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self) -> str:
        return self.name


class FormTemplate(Translated, models.Model):
    """A blank application form (tờ khai, đơn) citizens can download and fill in."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    i18n = models.JSONField(_("translations"), default=dict, blank=True)
    lines = models.JSONField(
        _("form lines"),
        default=list,
        blank=True,
        help_text=_("The labels of the blanks to fill in, in order."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("form template")
        verbose_name_plural = _("form templates")

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def at_level(self, level: str) -> ProcedureQuerySet:
        # Levels are stored as ",province,commune," so one portable LIKE finds a level on any engine.
        return self.filter(levels__contains=f",{level},")


class Procedure(Translated, models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.TextField(_("name"))
    summary = models.TextField(_("summary"), blank=True)
    i18n = models.JSONField(_("translations"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.LOCAL)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    publication_decision = models.CharField(_("publication decision"), max_length=255, blank=True)
    procedure_type = models.CharField(_("procedure type"), max_length=255, blank=True)
    levels = models.CharField(
        _("levels"), max_length=80, default=",", help_text=_("Comma-wrapped level codes.")
    )
    field = models.ForeignKey(
        Field, models.PROTECT, null=True, blank=True, related_name="procedures", verbose_name=_("field")
    )
    applicant_types = models.JSONField(_("applicant types"), default=list, blank=True)
    competent_authority = models.TextField(_("competent authority"), blank=True)
    coordinating_agencies = models.TextField(_("coordinating agencies"), blank=True)
    implementing_agency = models.TextField(_("implementing agency"), blank=True)
    reception_address = models.TextField(_("where to submit"), blank=True)
    agencies = models.ManyToManyField(
        "accounts.Agency", blank=True, related_name="procedures", verbose_name=_("agencies that carry it out")
    )
    steps = models.JSONField(
        _("steps"), default=list, blank=True, help_text=_('A list of {"title": ..., "description": ...}.')
    )
    legal_basis = models.JSONField(
        _("legal basis"), default=list, blank=True, help_text=_('A list of {"number": ..., "title": ...}.')
    )
    conditions = models.TextField(_("conditions"), blank=True)
    result = models.TextField(_("result"), blank=True)
    online_level = models.CharField(
        _("online level"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    keywords = models.JSONField(_("search keywords"), default=list, blank=True)
    import_problems = models.JSONField(_("import problems"), default=list, blank=True)
    # The number of the latest ProcedureVersion; dossiers record the one they were received under.
    version = models.PositiveIntegerField(_("catalogue version"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def level_list(self) -> list[str]:
        return [code for code in self.levels.split(",") if code]

    @level_list.setter
    def level_list(self, codes: list[str]) -> None:
        self.levels = "," + ",".join(dict.fromkeys(codes)) + ("," if codes else "")

    def get_level_list_display(self) -> list[str]:
        labels = dict(Level.choices)
        return [str(labels.get(code, code)) for code in self.level_list]


class ProcedureVersion(models.Model):
    """What an import said about a procedure, kept each time its content changes, so that a dossier
    received under an older text can still be read against the rules it was submitted under."""

    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    digest = models.CharField(max_length=64)
    content = models.JSONField(_("content as imported"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["procedure", "-number"]
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="one_procedure_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} v{self.number}"


def unique_key(name: str, taken: set[str]) -> str:
    """A stable key for a case or a document from its folded name, unique among its siblings."""
    base = slugify(fold(name or ""))[:240]
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}~{n}"
    taken.add(key)
    return key


class Keyed(models.Model):
    """A case or a document: a re-import finds it again by `key`; one added by hand gets a key here."""

    parent_field = ""
    if TYPE_CHECKING:  # what the concrete models declare
        key: str
        name: str
        everything: ClassVar[models.Manager]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.key and self.name:
            parent = {f"{self.parent_field}_id": getattr(self, f"{self.parent_field}_id")}
            siblings = type(self).everything.filter(**parent).exclude(pk=self.pk)
            self.key = unique_key(self.name, set(siblings.values_list("key", flat=True)))
        super().save(*args, **kwargs)


class CurrentManager(models.Manager):
    """Hides children an import no longer lists. They are kept (retired), never deleted, because open
    dossiers, workflow steps and pre-check rules may point at them; foreign keys still reach them."""

    def get_queryset(self):
        return super().get_queryset().filter(retired_at__isnull=True)


class ChannelOption(models.Model):
    """How a procedure can be submitted (counter, online, post), with its time limit and fees."""

    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="channels")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    time_value = models.DecimalField(
        _("processing time"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    time_unit = models.CharField(_("time unit"), max_length=20, choices=TimeUnit.choices, blank=True)
    time_text = models.CharField(_("time as published"), max_length=500, blank=True)
    free = models.BooleanField(_("free of charge"), default=False)
    fee_text = models.TextField(_("fees as published"), blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("submission channel")
        verbose_name_plural = _("submission channels")

    def __str__(self) -> str:
        return self.get_channel_display()

    @property
    def time_display(self) -> str:
        return self.time_text if self.time_value is None else counted_time(self.time_value, self.time_unit)


class Fee(models.Model):
    channel = models.ForeignKey(ChannelOption, models.CASCADE, related_name="fees")
    kind = models.CharField(_("kind"), max_length=10, choices=FeeKind.choices, default=FeeKind.CHARGE)
    amount = models.BigIntegerField(_("amount"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="VND")
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}" if self.amount is not None else self.description[:60]

    @cached_property
    def conditions(self) -> fees.Conditions:
        """The exemptions and the charging condition its note states (catalogue.fees)."""
        return fees.conditions(self.description)

    @property
    def label(self) -> str:
        """What the fee is for: its note up to the first parenthesis, colon or semicolon."""
        return re.split(r"[(:;]", self.description, maxsplit=1)[0].strip()


class ProcedureCase(Keyed):
    """Trường hợp: a variant of a procedure with its own documents and, possibly, its own time limit."""

    parent_field = "procedure"
    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="cases")
    # Stable identity across re-imports (from the folded name): a re-import updates the row in place.
    key = models.CharField(_("key"), max_length=255, blank=True)
    name = models.TextField(_("name"), blank=True)
    time_value = models.DecimalField(
        _("processing time"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    time_unit = models.CharField(_("time unit"), max_length=20, choices=TimeUnit.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    retired_at = models.DateTimeField(_("no longer in the catalogue since"), null=True, blank=True)
    # What the catalogue says about the documents without being one ("Lưu ý: ..."), one text each.
    notes = models.JSONField(_("notes"), default=list, blank=True)

    everything = models.Manager()  # retired ones too
    objects = CurrentManager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("procedure case")
        verbose_name_plural = _("procedure cases")
        default_manager_name = "objects"
        constraints = [models.UniqueConstraint(fields=["procedure", "key"], name="one_case_per_key")]

    def __str__(self) -> str:
        return self.name or str(_("All cases"))

    @property
    def time_display(self) -> str:
        return "" if self.time_value is None else counted_time(self.time_value, self.time_unit)


class RequiredDocument(Keyed):
    """Thành phần hồ sơ: a document the applicant must bring, counted as originals and copies."""

    parent_field = "case"
    case = models.ForeignKey(ProcedureCase, models.CASCADE, related_name="documents")
    key = models.CharField(_("key"), max_length=255, blank=True)
    name = models.TextField(_("name"))
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    form = models.ForeignKey(
        FormTemplate,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("form template"),
    )
    form_name = models.CharField(_("form file as published"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    retired_at = models.DateTimeField(_("no longer in the catalogue since"), null=True, blank=True)

    everything = models.Manager()  # retired ones too
    objects = CurrentManager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        default_manager_name = "objects"
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="one_document_per_key")]

    def __str__(self) -> str:
        return self.name[:80]

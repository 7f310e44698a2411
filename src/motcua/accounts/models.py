"""Users with one-stop roles, and the effective-dated tree of agencies they work in."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.i18n import Translated


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    RECEPTION = "reception", _("Reception officer")
    PROCESSING = "processing", _("Processing officer")
    LEADER = "leader", _("Approving leader")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


OFFICIAL_ROLES = (Role.RECEPTION, Role.PROCESSING, Role.LEADER, Role.AGENCY_ADMIN)


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Department")
    CENTRE = "centre", _("Public administration service centre")
    COMMUNE = "commune", _("Commune / ward")
    OTHER = "other", _("Other agency")


class AgencyQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date | None = None) -> AgencyQuerySet:
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__lte=day) | Q(valid_from__isnull=True)).filter(
            Q(valid_to__gte=day) | Q(valid_to__isnull=True)
        )


class Agency(Translated, models.Model):
    """A unit of government. Never deleted or renamed in place: a reorganisation closes the old unit
    (valid_to) and points it at its successor, so old dossiers and signed documents keep their agency."""

    code = models.CharField(_("identification code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    i18n = models.JSONField(_("translations"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    # Working hours that deadlines are counted in (the legal default: 07:00-11:30 and 13:30-17:00).
    morning_start = models.TimeField(_("morning starts"), default=datetime.time(7, 0))
    morning_end = models.TimeField(_("morning ends"), default=datetime.time(11, 30))
    afternoon_start = models.TimeField(_("afternoon starts"), default=datetime.time(13, 30))
    afternoon_end = models.TimeField(_("afternoon ends"), default=datetime.time(17, 0))

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end:
            raise ValidationError(
                _(
                    "Working hours must be in order: morning start, morning end, afternoon start, "
                    "afternoon end."
                )
            )

    def is_active(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def current(self) -> Agency:
        """Follow successor links to the unit that carries this one's work today."""
        agency, seen = self, set()
        while agency.successor and agency.pk not in seen:
            seen.add(agency.pk)
            agency = agency.successor
        return agency


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    agency = models.ForeignKey(
        Agency, models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("agency")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("personal ID number"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in OFFICIAL_ROLES]) | Q(agency__isnull=False),
                name="official_has_agency",
            )
        ]

    def get_full_name(self) -> str:
        """Vietnamese order: family name first ("Trần Thị Bình")."""
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def is_official(self) -> bool:
        return self.role in OFFICIAL_ROLES

"""Who may see and act on which dossier. Every view and API endpoint goes through these functions."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.accounts.models import Role

from .models import Coordination, Dossier


def visible_to(user) -> QuerySet[Dossier]:
    """Citizens: their own dossiers. Officials: their unit's, those transferred to it, and those their
    agency was asked to coordinate on."""
    dossiers = Dossier.objects.all()
    if not user.is_authenticated:
        return dossiers.none()
    if user.role == Role.SYSTEM_ADMIN:
        return dossiers
    if user.is_official and user.agency_id:
        asked = Coordination.objects.filter(agency_id=user.agency_id).values("dossier_id")
        return dossiers.filter(Q(agency_id=user.agency_id) | Q(unit_id=user.agency_id) | Q(pk__in=asked))
    return dossiers.filter(applicant=user)


def can_see(user, dossier: Dossier) -> bool:
    return visible_to(user).filter(pk=dossier.pk).exists()


def is_applicant(user, dossier: Dossier) -> bool:
    return user.is_authenticated and dossier.applicant_id == user.pk


def handles(user, dossier: Dossier) -> bool:
    """An official of the unit that holds the dossier now (or of its competent agency)."""
    return bool(
        user.is_authenticated
        and user.is_official
        and user.agency_id
        and user.agency_id in (dossier.unit_id, dossier.agency_id)
    )

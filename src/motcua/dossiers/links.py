"""The public addresses of a dossier: its tracking page and its result's verification page."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from .models import Dossier


def tracking_url(dossier: Dossier) -> str:
    return settings.SITE_URL + reverse("dossiers:track") + f"?code={dossier.code}"


def verify_url(dossier: Dossier) -> str:
    return settings.SITE_URL + reverse("dossiers:verify", args=[dossier.code, dossier.verify_token])

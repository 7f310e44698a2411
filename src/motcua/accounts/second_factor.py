"""Officials (and administrators) prove a second factor, a TOTP code from an authenticator app
(django-otp), before any page but sign-out and the second-factor pages themselves: a stolen password
alone opens no dossier. The first time, they add the app by scanning a QR code."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

# Paths an official reaches before the second factor (after the language prefix is removed).
OPEN_PATHS = ("/tai-khoan/hai-buoc/", "/tai-khoan/logout/", "/static/", "/i18n/", "/healthz", "/api/")


def needs_second_factor(user) -> bool:
    return bool(
        settings.OFFICIAL_SECOND_FACTOR and user.is_authenticated and (user.is_official or user.is_staff)
    )


def confirmed_device(user) -> TOTPDevice | None:
    return next(iter(devices_for_user(user, confirmed=True)), None)


def pending_device(user) -> TOTPDevice:
    """The device being added: made once, kept until its first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=str(_("Authenticator app")), confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def middleware(get_response):
    """After django-otp's OTPMiddleware: an official not yet verified is sent to the second factor."""

    def check(request):
        user = request.user
        if needs_second_factor(user) and not user.is_verified() and not _open(request.path):
            target = "accounts:second-factor" if confirmed_device(user) else "accounts:second-factor-setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return check


def _open(path: str) -> bool:
    if language := get_language_from_path(path):
        path = path.removeprefix(f"/{language}")
    return path.startswith(OPEN_PATHS)


def safe_next(request, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return default


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("The 6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits the app shows now.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()

"""Account pages motcua changes from Django's defaults."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from motcua.core import throttle

RESET_LIMIT = 5  # password-reset requests per address (and per e-mail address) per hour


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, rate-limited: each request sends an e-mail, so it is an abuse channel."""

    def post(self, request, *args, **kwargs):
        email = request.POST.get("email", "").strip().lower()[:254]
        if not throttle.allow_request(
            "password-reset", request, limit=RESET_LIMIT, window=3600, extra=(f"email:{email}",)
        ):
            return render(request, "registration/password_reset_form.html", {"limited": True}, status=429)
        return super().post(request, *args, **kwargs)


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a sign-in while the account or the address is locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "core/locked_out.html", {"lockout_minutes": minutes}, status=429)

"""Account pages motcua changes from Django's defaults."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _

from motcua.core import throttle

from . import signup

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


class LoginView(auth_views.LoginView):
    """Django's sign-in; without a `next`, officials land in their work queues."""

    def get_default_redirect_url(self):
        if self.request.user.is_official:
            return resolve_url("dossiers:workspace")
        return super().get_default_redirect_url()


SIGNUP_LIMIT = 5  # sign-ups per address per hour: each sends an e-mail


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("dossiers:mine")
    form = signup.SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.allow_request("sign-up", request, limit=SIGNUP_LIMIT, window=3600):
            return render(request, "accounts/sign_up.html", {"form": form, "limited": True}, status=429)
        signup.register(form.cleaned_data, request)
        return redirect("accounts:sign-up-sent")
    return render(request, "accounts/sign_up.html", {"form": form})


def sign_up_sent(request):
    return render(request, "accounts/sign_up_sent.html")


def verify_email(request, uidb64: str, token: str):
    user = signup.verify(uidb64, token)
    if user is None:
        return render(request, "accounts/verify_failed.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your e-mail address is confirmed and your account is open."))
    return redirect("dossiers:mine")

"""Account pages motcua changes from Django's defaults."""

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token

from motcua.core import throttle

from . import second_factor, signup

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
        return (
            _landing(self.request.user)
            if self.request.user.is_official
            else super().get_default_redirect_url()
        )


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


@login_required
def second_factor_setup(request):
    """Add the authenticator app: scan the QR code (or type the key), then prove it with one code."""
    if second_factor.confirmed_device(request.user):
        return redirect(f"{resolve_url('accounts:second-factor')}?next={request.GET.get('next', '')}")
    device = second_factor.pending_device(request.user)
    form = second_factor.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(second_factor.safe_next(request, _landing(request.user)))
        form.add_error("code", _("This code does not match. Wait for the next one and try again."))
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": second_factor.qr_svg(device),
        "key": key,
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/second_factor_setup.html", context)


@login_required
def second_factor_verify(request):
    form = second_factor.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(second_factor.safe_next(request, _landing(request.user)))
        form.add_error("code", _("This code does not match. Wait for the next one and try again."))
    return render(request, "accounts/second_factor.html", {"form": form, "next": request.GET.get("next", "")})


def _landing(user) -> str:
    return resolve_url("dossiers:workspace" if user.is_official else "portal:home")

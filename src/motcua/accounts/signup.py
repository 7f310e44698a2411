"""A citizen's own account: sign-up with an e-mail address that is proven by a link before the account
opens. The same answer whether or not the address is already registered (no way to learn who has an
account here); the owner of a registered address is told so by e-mail instead."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from .models import Role, User


class SignUpForm(forms.Form):
    last_name = forms.CharField(label=_("Family and middle names"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.RegexField(
        label=_("Phone (optional)"),
        regex=r"^(\+84|0)\d{9,10}$",
        required=False,
        error_messages={"invalid": _("A Vietnamese phone number: 0 and 9 or 10 digits.")},
    )
    id_number = forms.RegexField(
        label=_("Personal ID number (optional, fills your applications)"),
        regex=r"^\d{12}$",
        required=False,
        error_messages={"invalid": _("Enter the 12 digits of the ID number.")},
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        if data.get("password"):
            draft = User(
                username=data.get("email", ""),
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(data["password"], draft)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class EmailTokens(PasswordResetTokenGenerator):
    """A link that proves the address: it stops working once the account is open (or its password
    changes), and after PASSWORD_RESET_TIMEOUT like a reset link."""

    key_salt = "motcua.accounts.signup.EmailTokens"

    def _make_hash_value(self, user, timestamp) -> str:
        return f"{user.pk}{user.password}{user.is_active}{timestamp}{user.email}"


tokens = EmailTokens()


def register(data: dict, request) -> User | None:
    """A new, closed citizen account and the e-mail with its link; None when the address is taken
    (its owner gets a note instead). The caller answers the same either way."""
    email = data["email"]
    existing = User.objects.filter(email__iexact=email).first() or User.objects.filter(username=email).first()
    if existing:
        _send(
            request, existing, "accounts/email/already_registered.txt", {"reset": reverse("password_reset")}
        )
        return None
    user = User(
        username=email,
        email=email,
        first_name=data["first_name"].strip(),
        last_name=data["last_name"].strip(),
        phone=data.get("phone", ""),
        id_number=data.get("id_number", ""),
        role=Role.CITIZEN,
        is_active=False,
    )
    user.set_password(data["password"])
    user.save()
    link = reverse(
        "accounts:verify", args=[urlsafe_base64_encode(force_bytes(user.pk)), tokens.make_token(user)]
    )
    _send(request, user, "accounts/email/verify.txt", {"link": link})
    return user


def verify(uidb64: str, token: str) -> User | None:
    """Open the account whose link this is; None for a link that is wrong, used or too old."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    if user.is_active or not tokens.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def _send(request, user: User, template: str, context: dict) -> None:
    absolute = {key: request.build_absolute_uri(value) for key, value in context.items()}
    body = render_to_string(template, {"user": user, **absolute}, request=request)
    subject, _blank, text = body.partition("\n\n")
    send_mail(subject.strip(), text.strip() + "\n", None, [user.email])

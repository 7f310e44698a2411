"""Account linking: the account of a person the electronic ID identified, found or created.

Accounts are matched by personal ID number. A citizen's account is created when there is none; a role is
never changed, and administrators never sign in with the electronic ID.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role

from .base import ID_NUMBER, Identity, IdentityError

log = logging.getLogger(__name__)


def _username(subject: str) -> str:
    if re.fullmatch(r"[\w.@+-]{1,140}", subject, flags=re.ASCII):
        return f"eid-{subject}"
    return "eid-" + hashlib.sha256(subject.encode()).hexdigest()[:40]


def _split_name(full_name: str) -> tuple[str, str]:
    """Vietnamese order: "Trần Thị Bình" → last_name "Trần Thị", first_name "Bình" (get_full_name joins them)."""
    words = full_name.split()
    if not words:
        return "", ""
    return words[-1][:150], " ".join(words[:-1])[:150]


def _privileged(user) -> bool:
    return user.role != Role.CITIZEN or user.is_staff or user.is_superuser


def _use_official_account():
    return IdentityError(
        _(
            "This personal ID number belongs to an official's account. "
            "Please sign in with your official user name and password."
        ),
        "official",
    )


@transaction.atomic
def sign_in(identity: Identity):
    """The account for this identity: found by personal ID number, else created as a citizen's account.

    Never changes a role. A citizen's account wins over an official's for the same person; an official's
    account is used only when EID_OFFICIALS is on, and administrators (system administrators, staff,
    superusers) never sign in with the electronic ID.
    """
    User = get_user_model()
    if not ID_NUMBER.match(identity.id_number or "") or not identity.subject:
        raise IdentityError(_("The electronic ID did not identify you completely."), "identity-incomplete")
    username = _username(identity.subject)
    accounts = list(User.objects.select_for_update().filter(id_number=identity.id_number).order_by("pk"))
    citizens = [u for u in accounts if not _privileged(u)]
    if citizens:
        # Prefer the account this subject created before, else the oldest.
        user = next((u for u in citizens if u.username == username), citizens[0])
        if len(citizens) > 1:
            log.warning(
                "eID sign-in: %d citizen accounts share one ID number; using account %s",
                len(citizens),
                user.pk,
            )
    elif accounts:
        officials = [
            u for u in accounts if u.role != Role.SYSTEM_ADMIN and not u.is_staff and not u.is_superuser
        ]
        if not officials or not getattr(settings, "EID_OFFICIALS", False):
            log.info("eID sign-in refused: the ID number belongs to an official's or administrator's account")
            raise _use_official_account()
        user = officials[0]
    else:
        user = User.objects.select_for_update().filter(username=username).first()
        if user is not None:  # this subject's account, whose ID number was cleared or changed by hand
            if _privileged(user) or (user.id_number and user.id_number != identity.id_number):
                log.warning(
                    "eID sign-in refused: account %s does not match the provider's ID number", user.pk
                )
                raise IdentityError(
                    _(
                        "Your electronic ID does not match your account here. Please contact the service desk."
                    ),
                    "subject-conflict",
                )
            user.id_number = identity.id_number
        else:
            user = User(username=username, role=Role.CITIZEN, id_number=identity.id_number)
            user.set_unusable_password()
            log.info("eID sign-in: new citizen account")
    if not user.is_active:
        raise IdentityError(_("This account has been disabled. Please contact the service desk."), "inactive")
    if not user.first_name and not user.last_name:
        user.first_name, user.last_name = _split_name(identity.full_name)
    if not user.email and identity.email and len(identity.email) <= 254:
        user.email = identity.email
    if not user.phone and identity.phone and len(identity.phone) <= 20:
        user.phone = identity.phone
    user.save()
    return user

"""Which electronic-ID provider signs citizens in: MOTCUA_EID_PROVIDER ("oidc"), configured by EID_*.

Sign-in with the electronic ID is off while EID_ISSUER is empty: `provider()` is then None and the
button is hidden. The provider is built once and rebuilt when an EID_* setting changes (tests).
Declaring the registry imports nothing heavy: Authlib is loaded when the provider is first built.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from motcua.core.registry import Registry

from .base import IdentityProvider

providers: Registry[IdentityProvider] = Registry("e-ID provider", "EID_PROVIDER", env="MOTCUA_EID_PROVIDER")


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [item for item in re.split(r"[\s,]+", value) if item]
    return [str(item) for item in value or ()]


@providers.register("oidc")
def _oidc() -> IdentityProvider:
    from .oidc import OIDCProvider

    return OIDCProvider(
        issuer=settings.EID_ISSUER,
        client_id=getattr(settings, "EID_CLIENT_ID", ""),
        client_secret=getattr(settings, "EID_CLIENT_SECRET", ""),
        name=provider_name(),
        scopes=_as_list(getattr(settings, "EID_SCOPES", ["openid", "profile"])),
        token_auth=getattr(settings, "EID_TOKEN_AUTH", "client_secret_basic"),
        id_number_claim=getattr(settings, "EID_ID_NUMBER_CLAIM", "id_number") or "id_number",
        acr_values=_as_list(getattr(settings, "EID_ACR_VALUES", [])),
        timeout=getattr(settings, "EID_TIMEOUT", 10),
    )


def provider() -> IdentityProvider | None:
    """The configured provider, or None when EID_ISSUER is empty (electronic-ID sign-in is off).
    Raises IdentityError when it is set up wrongly (no client id, a plain-http issuer, ...)."""
    if not getattr(settings, "EID_ISSUER", ""):
        return None
    return providers.get()


def provider_name() -> str:
    """The name for the sign-in button, or "" when electronic-ID sign-in is off. Makes no network call."""
    if not getattr(settings, "EID_ISSUER", ""):
        return ""
    return getattr(settings, "EID_NAME", "") or "VNeID"


@receiver(setting_changed)
def _forget_provider(*, setting: str, **kwargs) -> None:
    if setting.startswith("EID_"):
        providers.reset()

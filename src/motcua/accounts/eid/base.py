"""The interface of an electronic-ID provider: who it says the citizen is, and how it fails.

A citizen signs in at a national identity provider (VNeID or any OpenID Connect provider). The provider
tells us who they are (`Identity`); `linking.sign_in` finds or creates their account by personal ID
number. Every failure is an `IdentityError` with a message fit to show the citizen and a short `reason`
code fit for the log: neither ever carries a token, a code or personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

ID_NUMBER = re.compile(r"^\d{12}$")


class IdentityError(Exception):
    """Sign-in failed. `message` is for the citizen (translatable); `reason` is a short code for the log."""

    def __init__(self, message: Any, reason: str = "refused"):
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class Identity:
    subject: str  # the provider's stable subject id ("sub")
    id_number: str  # 12-digit personal ID number
    full_name: str
    email: str = ""
    phone: str = ""
    level: str = ""  # assurance level if the provider gives one ("acr")

    def __repr__(self) -> str:  # never print personal data by accident (tracebacks, logs)
        return f"Identity(level={self.level!r})"


@runtime_checkable
class IdentityProvider(Protocol):
    """The authorization-code flow seen from motcua. The views make `state`, `nonce` and `code_verifier`
    (kept in the session, used once); the provider binds them to the sign-in and checks them on return."""

    name: str  # shown on the button, e.g. "VNeID"

    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str, code_verifier: str) -> str:
        """Where to send the browser. Makes at most the provider's discovery call."""
        ...

    def identify(self, *, code: str, redirect_uri: str, nonce: str, code_verifier: str) -> Identity:
        """Exchange the code the browser brought back for a verified `Identity`, or raise IdentityError."""
        ...

"""The core app's backends, each chosen by a setting through a `Registry` (DESIGN principle 4):

- `signers` (MOTCUA_SIGNER): the `Signer` of result PDFs: 'auto' (default: 'pkcs12' when
  MOTCUA_SIGNING_PKCS12 is set, else 'demo'), 'pkcs12' (the agency's PKCS#12 file) or 'demo' (the
  self-signed demo authority under MOTCUA_DATA_DIR). Conformance: tests/core/signer_conformance.py.
- `notifiers` (MOTCUA_NOTIFIER): the `Notifier` of notices to citizens: 'email'. Conformance:
  tests/core/notifier_conformance.py.

CoreConfig.ready() calls `validate()`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .notifiers import Notifier
from .registry import Registry
from .signing import Signer

signers: Registry[Signer] = Registry(
    "signer",
    "SIGNER",
    depends=("SIGNING_PKCS12", "SIGNING_PASSWORD", "DATA_DIR", "PRODUCTION", "ALLOW_DEMO_SIGNER"),
)


@signers.register("pkcs12")
def _pkcs12() -> Signer:
    from .signing import pkcs12_signer

    return pkcs12_signer()


@signers.register("demo")
def _demo() -> Signer:
    from .signing_demo import demo_signer

    return demo_signer()


@signers.register("auto", aliases=("",))
def _auto() -> Signer:
    return _pkcs12() if getattr(settings, "SIGNING_PKCS12", "") else _demo()


def agency_signer() -> Signer:
    """The agency signer chosen by settings.SIGNER (MOTCUA_SIGNER): by default the PKCS#12 file of
    MOTCUA_SIGNING_PKCS12, else the demo authority under DATA_DIR (which a production server refuses
    unless MOTCUA_ALLOW_DEMO_SIGNER is set). Built once per process."""
    return signers.get()


notifiers: Registry[Notifier] = Registry("notifier", "NOTIFIER")


@notifiers.register("email")
def _email() -> Notifier:
    from .notifiers import EmailNotifier

    return EmailNotifier()


def notifier() -> Notifier:
    return notifiers.get()


def validate() -> None:
    """At start-up: MOTCUA_SIGNER and MOTCUA_NOTIFIER name known choices (ImproperlyConfigured if not)."""
    signers.validate()
    notifiers.validate()
    if signers.resolve(signers.chosen()) == "pkcs12" and not getattr(settings, "SIGNING_PKCS12", ""):
        raise ImproperlyConfigured("MOTCUA_SIGNER='pkcs12' needs the file's path in MOTCUA_SIGNING_PKCS12")

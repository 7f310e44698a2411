"""Sign-in with the electronic ID: start (to the provider) and callback (back from it).

The session keeps one entry per started sign-in, keyed by its `state`: the nonce, the PKCE verifier, where
to go afterwards and the reader's language. The callback consumes the entry, so a state works once.
"""

from __future__ import annotations

import logging
import secrets
import time
import urllib.parse

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .backends import provider, provider_name
from .base import IdentityError
from .linking import sign_in

log = logging.getLogger(__name__)

FLOWS = "eid_flows"
MAX_FLOWS = 5  # sign-ins started in other tabs stay valid, up to this many
FLOW_SECONDS = 15 * 60
VERIFIED = "eid_verified"  # session: {"provider", "level", "at"} after an electronic-ID sign-in


def eid_context(request: HttpRequest) -> dict:
    """Context processor: `eid_provider_name` is the button's provider name, or "" when sign-in is off."""
    return {"eid_provider_name": provider_name()}


def _redirect_uri() -> str:
    """The callback URL registered with the provider: the public origin, the unprefixed (default-language) path."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("eid:callback")
    return urllib.parse.urljoin(getattr(settings, "SITE_URL", "http://127.0.0.1:8000") + "/", path)


def _safe_next(request: HttpRequest, url: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


def _language_links() -> list[dict]:
    """Language links to the sign-in page: the usual links repeat this URL, whose query holds the code."""
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            url = reverse("login")
        info = translation.get_language_info(code)
        links.append({"code": code, "name": info["name_local"], "url": url, "current": code == current})
    return links


# Failures that are the citizen's doing or ordinary; the rest point at the provider or the set-up.
ORDINARY = {"state", "cancelled", "not-configured", "official", "inactive", "level", "id-number-missing"}


def _error(request: HttpRequest, message, reason: str, status: int = 400) -> HttpResponse:
    """The error page. Logs the reason code only: never the message's inputs, a token or personal data."""
    log.log(logging.INFO if reason in ORDINARY else logging.WARNING, "eID sign-in failed: %s", reason)
    context = {
        "message": message,
        "reason": reason,
        "provider_name": provider_name(),
        "language_links": _language_links(),
    }
    response = render(request, "accounts/eid_error.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    try:
        idp = provider()
    except IdentityError as exc:  # set up wrongly (no client id, plain-http issuer, ...)
        return _error(request, exc.message, exc.reason)
    if idp is None:
        return _error(
            request, _("Sign-in with the electronic ID is not available here."), "not-configured", 404
        )
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters: RFC 7636 asks for 43 to 128
    try:
        url = idp.authorization_url(
            redirect_uri=_redirect_uri(), state=state, nonce=nonce, code_verifier=verifier
        )
    except IdentityError as exc:
        return _error(request, exc.message, exc.reason)
    now = time.time()
    flows = {
        key: flow
        for key, flow in request.session.get(FLOWS, {}).items()
        if isinstance(flow, dict) and now - flow.get("at", 0) < FLOW_SECONDS
    }
    for key in sorted(flows, key=lambda k: flows[k]["at"])[: max(0, len(flows) - MAX_FLOWS + 1)]:
        del flows[key]
    flows[state] = {
        "nonce": nonce,
        "verifier": verifier,
        "next": _safe_next(request, request.GET.get("next", "")),
        "lang": translation.get_language() or settings.LANGUAGE_CODE,
        "at": now,
    }
    request.session[FLOWS] = flows
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    flows = request.session.get(FLOWS, {})
    flow = flows.pop(state, None) if state else None
    if flow is not None:
        request.session[FLOWS] = flows  # consumed: a state works once
    if not isinstance(flow, dict) or time.time() - flow.get("at", 0) >= FLOW_SECONDS:
        return _error(
            request, _("This sign-in has expired or was already used. Please start again."), "state"
        )
    with translation.override(flow.get("lang") or settings.LANGUAGE_CODE):
        return _finish(request, flow)


def _finish(request: HttpRequest, flow: dict) -> HttpResponse:
    try:
        idp = provider()
    except IdentityError as exc:
        return _error(request, exc.message, exc.reason)
    name = provider_name()
    if idp is None:
        return _error(
            request, _("Sign-in with the electronic ID is not available here."), "not-configured", 404
        )
    if request.GET.get("error"):
        code = "".join(c for c in request.GET["error"].lower() if c.isalnum() or c == "_")[:40]
        if code == "access_denied":
            return _error(request, _("Sign-in at {name} was cancelled.").format(name=name), "cancelled")
        return _error(
            request,
            _("{name} could not sign you in. Please try again later.").format(name=name),
            f"provider-{code or 'unknown'}",
        )
    code = request.GET.get("code", "")
    if not code:
        return _error(
            request,
            _("{name} sent an answer that could not be read. Please try again later.").format(name=name),
            "no-code",
        )
    try:
        identity = idp.identify(
            code=code, redirect_uri=_redirect_uri(), nonce=flow["nonce"], code_verifier=flow["verifier"]
        )
        user = sign_in(identity)
    except IdentityError as exc:
        return _error(request, exc.message, exc.reason)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[VERIFIED] = {"provider": name, "level": identity.level, "at": timezone.now().isoformat()}
    log.info("eID sign-in: account %s signed in (level %s)", user.pk, identity.level or "-")
    return HttpResponseRedirect(
        _safe_next(request, flow.get("next", "")) or resolve_url(settings.LOGIN_REDIRECT_URL)
    )

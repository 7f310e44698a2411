"""Electronic-identification sign-in: the interface, a generic OpenID Connect provider, and account linking.

A citizen signs in at a national identity provider (VNeID or any OpenID Connect provider). The provider
tells us who they are (`Identity`); `sign_in` finds or creates their account by personal ID number.

`OIDCProvider` implements the authorization-code flow with PKCE (S256): discovery from
`{issuer}/.well-known/openid-configuration`, the token request (client_secret_basic or
client_secret_post), an id_token verified against the provider's JWKS (RS256 / ES256; iss, aud, exp,
nonce), then the userinfo endpoint for the remaining claims. Every failure is an `IdentityError` with a
message fit to show the citizen and a short `reason` code fit for the log: neither ever carries a token,
a code or personal data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role

log = logging.getLogger(__name__)

ID_NUMBER = re.compile(r"^\d{12}$")
SUPPORTED_ALGORITHMS = ("RS256", "ES256")
MAX_RESPONSE_BYTES = 1024 * 1024
CACHE_SECONDS = 3600  # discovery document and JWKS
JWKS_REFETCH_SECONDS = 60  # an unknown key id refetches the JWKS at most this often (key rotation)
LEEWAY_SECONDS = 60  # clock skew allowed on exp / iat / nbf


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
    name: str  # shown on the button, e.g. "VNeID"

    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str, code_verifier: str) -> str: ...

    def identify(self, *, code: str, redirect_uri: str, nonce: str, code_verifier: str) -> Identity: ...


def pkce_challenge(code_verifier: str) -> str:
    """The S256 code challenge of RFC 7636: base64url(sha256(verifier)) without padding."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


# --- HTTP ------------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Endpoints answer directly; a redirect (to where?) is treated as an error status."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass
class _Response:
    status: int
    content_type: str
    body: bytes

    def json(self, provider: str, what: str) -> dict:
        try:
            data = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        if not isinstance(data, dict):
            raise IdentityError(_unreadable(provider), f"{what}-malformed")
        return data


def _unreadable(provider: str):
    return format_lazy(
        _("{name} sent an answer that could not be read. Please try again later."), name=provider
    )


def _unverifiable(provider: str):
    return format_lazy(
        _("{name}'s answer could not be verified, so you have not been signed in. Please try again."),
        name=provider,
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_url(url: Any, provider: str, what: str) -> str:
    """Endpoints must be https; plain http is accepted only on this machine (development, tests)."""
    if not isinstance(url, str) or not url:
        raise IdentityError(_unreadable(provider), f"{what}-missing")
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname or not (
        parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(parts.hostname))
    ):
        raise IdentityError(
            _("Sign-in with the electronic ID is not set up correctly. Please tell the service desk."),
            f"{what}-insecure",
        )
    return url


def _http(
    method: str,
    url: str,
    *,
    provider: str,
    what: str,
    timeout: float,
    data: dict | None = None,
    headers: dict | None = None,
) -> _Response:
    body = urllib.parse.urlencode(data).encode("ascii") if data is not None else None
    request = urllib.request.Request(url, data=body, method=method, headers={"Accept": "application/json"})
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    if body is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        try:
            response = _opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as error:  # an error status still has a body worth reading
            response = error
        with response:
            content = response.read(MAX_RESPONSE_BYTES + 1)
            status = response.status if response.status is not None else response.code
            content_type = response.headers.get("Content-Type", "")
    except TimeoutError as exc:
        raise IdentityError(
            format_lazy(_("{name} did not answer in time. Please try again later."), name=provider),
            f"{what}-timeout",
        ) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise IdentityError(
                format_lazy(_("{name} did not answer in time. Please try again later."), name=provider),
                f"{what}-timeout",
            ) from exc
        raise IdentityError(
            format_lazy(_("{name} could not be reached. Please try again later."), name=provider),
            f"{what}-unreachable",
        ) from exc
    except (OSError, ValueError) as exc:  # connection reset mid-answer, bad status line, ...
        raise IdentityError(
            format_lazy(_("{name} could not be reached. Please try again later."), name=provider),
            f"{what}-unreachable",
        ) from exc
    if len(content) > MAX_RESPONSE_BYTES:
        raise IdentityError(_unreadable(provider), f"{what}-too-large")
    return _Response(status, content_type.split(";")[0].strip().lower(), content)


# --- caches ----------------------------------------------------------------------------------------

_cache: dict[tuple[str, str], tuple[float, Any]] = {}
_cache_lock = threading.Lock()


def clear_cache() -> None:
    """Forget discovery documents and key sets (after a configuration change; between tests)."""
    with _cache_lock:
        _cache.clear()


def _cached(key: tuple[str, str], max_age: float) -> Any:
    with _cache_lock:
        entry = _cache.get(key)
    if entry and time.monotonic() - entry[0] < max_age:
        return entry[1]
    return None


def _store(key: tuple[str, str], value: Any) -> None:
    with _cache_lock:
        _cache[key] = (time.monotonic(), value)


def _cache_age(key: tuple[str, str]) -> float:
    with _cache_lock:
        entry = _cache.get(key)
    return time.monotonic() - entry[0] if entry else float("inf")


# --- OpenID Connect ------------------------------------------------------------------------------


def _safe_code(value: Any) -> str:
    """A provider's error code, reduced to something safe to log and show."""
    text = value if isinstance(value, str) else ""
    return re.sub(r"[^a-z0-9_.-]", "", text.lower())[:40] or "unknown"


class OIDCProvider:
    """A generic OpenID Connect provider (authorization-code flow with PKCE S256)."""

    def __init__(
        self,
        *,
        issuer: str,
        client_id: str,
        client_secret: str = "",
        name: str = "VNeID",
        scopes: list[str] | tuple[str, ...] = ("openid", "profile"),
        token_auth: str = "client_secret_basic",
        id_number_claim: str = "id_number",
        acr_values: list[str] | tuple[str, ...] = (),
        timeout: float = 10,
        algorithms: tuple[str, ...] = SUPPORTED_ALGORITHMS,
    ):
        self.name = name
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.scopes = ["openid", *[s for s in scopes if s != "openid"]]
        self.token_auth = token_auth
        self.id_number_claim = id_number_claim
        self.acr_values = [v for v in acr_values if v]
        self.timeout = float(timeout)
        self.algorithms = tuple(a for a in algorithms if a in SUPPORTED_ALGORITHMS)
        if not client_id or token_auth not in ("client_secret_basic", "client_secret_post"):
            raise IdentityError(
                _("Sign-in with the electronic ID is not set up correctly. Please tell the service desk."),
                "config",
            )
        _check_url(self.issuer, name, "issuer")

    def __repr__(self) -> str:
        return f"OIDCProvider(name={self.name!r}, issuer={self.issuer!r})"

    # discovery and keys

    def metadata(self) -> dict:
        key = ("discovery", self.issuer)
        meta = _cached(key, CACHE_SECONDS)
        if meta is not None:
            return meta
        url = self.issuer + "/.well-known/openid-configuration"
        response = _http("GET", url, provider=self.name, what="discovery", timeout=self.timeout)
        if response.status != 200:
            raise IdentityError(_unreadable(self.name), f"discovery-status-{response.status}")
        meta = response.json(self.name, "discovery")
        if not isinstance(meta.get("issuer"), str) or meta["issuer"].rstrip("/") != self.issuer:
            raise IdentityError(_unverifiable(self.name), "discovery-issuer")
        for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            _check_url(meta.get(endpoint), self.name, f"discovery-{endpoint}")
        if meta.get("userinfo_endpoint") is not None:
            _check_url(meta["userinfo_endpoint"], self.name, "discovery-userinfo_endpoint")
        _store(key, meta)
        return meta

    def _jwks(self, *, refresh: bool = False) -> list[dict]:
        key = ("jwks", self.issuer)
        keys = None if refresh else _cached(key, CACHE_SECONDS)
        if keys is not None:
            return keys
        response = _http(
            "GET", self.metadata()["jwks_uri"], provider=self.name, what="jwks", timeout=self.timeout
        )
        if response.status != 200:
            raise IdentityError(_unreadable(self.name), f"jwks-status-{response.status}")
        document = response.json(self.name, "jwks")
        keys = (
            [k for k in document.get("keys", []) if isinstance(k, dict)]
            if isinstance(document.get("keys"), list)
            else None
        )
        if keys is None:
            raise IdentityError(_unreadable(self.name), "jwks-malformed")
        _store(key, keys)
        return keys

    def _keys_for(self, kid: str | None, alg: str) -> list[Any]:
        def matching(keys: list[dict]) -> list[Any]:
            kty = "RSA" if alg.startswith("RS") else "EC"
            found = []
            for jwk_data in keys:
                if jwk_data.get("kty") != kty or jwk_data.get("use", "sig") != "sig":
                    continue
                if jwk_data.get("alg") not in (None, alg) or (kid is not None and jwk_data.get("kid") != kid):
                    continue
                try:
                    found.append(jwt.PyJWK(jwk_data, algorithm=alg).key)
                except jwt.PyJWTError:
                    continue
            return found

        found = matching(self._jwks())
        if not found and _cache_age(("jwks", self.issuer)) > JWKS_REFETCH_SECONDS:
            found = matching(self._jwks(refresh=True))  # the provider may have rotated its keys
        if not found:
            raise IdentityError(_unverifiable(self.name), "id-token-unknown-key")
        return found

    def _decode(self, token: str, *, what: str, nonce: str | None) -> dict:
        """Verify a signed token from the provider (the id_token, or a signed userinfo answer)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise IdentityError(_unverifiable(self.name), f"{what}-malformed") from exc
        alg = header.get("alg")
        if alg not in self.algorithms:
            raise IdentityError(_unverifiable(self.name), f"{what}-algorithm")
        issuer = self.metadata()["issuer"]
        required = ["iss", "sub", "aud", "exp", "iat"] if what == "id-token" else ["sub"]
        claims = None
        for key in self._keys_for(header.get("kid"), alg):
            try:
                claims = jwt.decode(
                    token,
                    key=key,
                    algorithms=[alg],
                    audience=self.client_id,
                    issuer=issuer,
                    leeway=LEEWAY_SECONDS,
                    options={
                        "require": required,
                        "verify_aud": what == "id-token" or "aud" in _unverified(token),
                        "verify_iss": what == "id-token" or "iss" in _unverified(token),
                    },
                )
                break
            except jwt.InvalidSignatureError:
                continue  # try the next key that matches (no kid given)
            except jwt.ExpiredSignatureError as exc:
                raise IdentityError(_unverifiable(self.name), f"{what}-expired") from exc
            except jwt.InvalidAudienceError as exc:
                raise IdentityError(_unverifiable(self.name), f"{what}-audience") from exc
            except jwt.InvalidIssuerError as exc:
                raise IdentityError(_unverifiable(self.name), f"{what}-issuer") from exc
            except (jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError) as exc:
                raise IdentityError(_unverifiable(self.name), f"{what}-not-yet-valid") from exc
            except jwt.MissingRequiredClaimError as exc:
                raise IdentityError(_unverifiable(self.name), f"{what}-claims") from exc
            except jwt.PyJWTError as exc:
                raise IdentityError(_unverifiable(self.name), f"{what}-invalid") from exc
        if claims is None:
            raise IdentityError(_unverifiable(self.name), f"{what}-signature")
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise IdentityError(_unverifiable(self.name), f"{what}-claims")
        audiences = claims.get("aud") if isinstance(claims.get("aud"), list) else [claims.get("aud")]
        if ("azp" in claims or len(audiences) > 1) and claims.get("azp") != self.client_id:
            raise IdentityError(_unverifiable(self.name), f"{what}-audience")
        if nonce is not None:
            received = claims.get("nonce")
            if not isinstance(received, str) or not hmac.compare_digest(received.encode(), nonce.encode()):
                raise IdentityError(_unverifiable(self.name), f"{what}-nonce")
        return claims

    # the flow

    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str, code_verifier: str) -> str:
        endpoint = self.metadata()["authorization_endpoint"]
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(self.scopes),
            "state": state,
            "nonce": nonce,
            "code_challenge": pkce_challenge(code_verifier),
            "code_challenge_method": "S256",
        }
        if self.acr_values:
            params["acr_values"] = " ".join(self.acr_values)
        parts = urllib.parse.urlsplit(endpoint)
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))

    def identify(self, *, code: str, redirect_uri: str, nonce: str, code_verifier: str) -> Identity:
        meta = self.metadata()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        headers = {}
        if self.token_auth == "client_secret_post":
            form.update(client_id=self.client_id, client_secret=self.client_secret)
        else:  # RFC 6749 2.3.1: each part form-encoded, then HTTP Basic
            pair = f"{urllib.parse.quote_plus(self.client_id)}:{urllib.parse.quote_plus(self.client_secret)}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
        response = _http(
            "POST",
            meta["token_endpoint"],
            provider=self.name,
            what="token",
            timeout=self.timeout,
            data=form,
            headers=headers,
        )
        if response.status != 200:
            try:
                error = _safe_code(response.json(self.name, "token").get("error"))
            except IdentityError:
                error = f"status-{response.status}"
            raise IdentityError(
                format_lazy(_("{name} refused to complete the sign-in. Please start again."), name=self.name),
                f"token-error-{error}",
            )
        tokens = response.json(self.name, "token")
        id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
        if not isinstance(id_token, str) or not id_token:
            raise IdentityError(_unreadable(self.name), "token-no-id-token")
        if str(tokens.get("token_type", "bearer")).lower() != "bearer":
            raise IdentityError(_unreadable(self.name), "token-type")
        claims = self._decode(id_token, what="id-token", nonce=nonce)
        level = claims.get("acr") if isinstance(claims.get("acr"), str) else ""
        if meta.get("userinfo_endpoint") and isinstance(access_token, str) and access_token:
            userinfo = self._userinfo(meta["userinfo_endpoint"], access_token)
            if userinfo.get("sub") != claims["sub"]:
                raise IdentityError(_unverifiable(self.name), "userinfo-subject")
            protected = {"iss", "aud", "exp", "iat", "nbf", "nonce", "acr", "azp", "auth_time"}
            claims = {**claims, **{k: v for k, v in userinfo.items() if k not in protected}}
        if self.acr_values and level not in self.acr_values:
            raise IdentityError(
                format_lazy(
                    _(
                        "This service needs a higher level of electronic identification than {name} confirmed."
                    ),
                    name=self.name,
                ),
                "level",
            )
        return self._identity(claims, level)

    def _userinfo(self, endpoint: str, access_token: str) -> dict:
        response = _http(
            "GET",
            endpoint,
            provider=self.name,
            what="userinfo",
            timeout=self.timeout,
            headers={"Authorization": f"Bearer {access_token}"},
        )
        if response.status != 200:
            raise IdentityError(_unreadable(self.name), f"userinfo-status-{response.status}")
        if response.content_type == "application/jwt":  # a signed userinfo answer
            return self._decode(response.body.decode("ascii", "replace").strip(), what="userinfo", nonce=None)
        return response.json(self.name, "userinfo")

    def _identity(self, claims: dict, level: str) -> Identity:
        raw = claims.get(self.id_number_claim)
        id_number = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
        if not id_number:
            raise IdentityError(
                format_lazy(
                    _("{name} did not give your personal ID number, so you cannot be signed in."),
                    name=self.name,
                ),
                "id-number-missing",
            )
        if not ID_NUMBER.match(id_number):
            raise IdentityError(_unreadable(self.name), "id-number-invalid")
        full_name = _text(claims.get("name")) or " ".join(
            part
            for part in (_text(claims.get(c)) for c in ("family_name", "middle_name", "given_name"))
            if part
        )
        email = _text(claims.get("email")) if claims.get("email_verified", True) is not False else ""
        return Identity(
            subject=claims["sub"],
            id_number=id_number,
            full_name=full_name,
            email=email if "@" in email else "",
            phone=_text(claims.get("phone_number")),
            level=level,
        )


def _unverified(token: str) -> dict:
    try:
        return jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return {}


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


# --- configuration -------------------------------------------------------------------------------


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [item for item in re.split(r"[\s,]+", value) if item]
    return [str(item) for item in value or ()]


def provider() -> IdentityProvider | None:
    """The configured provider, or None when EID_ISSUER is empty (electronic-ID sign-in is off)."""
    issuer = getattr(settings, "EID_ISSUER", "")
    if not issuer:
        return None
    return OIDCProvider(
        issuer=issuer,
        client_id=getattr(settings, "EID_CLIENT_ID", ""),
        client_secret=getattr(settings, "EID_CLIENT_SECRET", ""),
        name=getattr(settings, "EID_NAME", "") or "VNeID",
        scopes=_as_list(getattr(settings, "EID_SCOPES", ["openid", "profile"])),
        token_auth=getattr(settings, "EID_TOKEN_AUTH", "client_secret_basic"),
        id_number_claim=getattr(settings, "EID_ID_NUMBER_CLAIM", "id_number") or "id_number",
        acr_values=_as_list(getattr(settings, "EID_ACR_VALUES", [])),
        timeout=getattr(settings, "EID_TIMEOUT", 10),
    )


def provider_name() -> str:
    """The name for the sign-in button, or "" when electronic-ID sign-in is off. Makes no network call."""
    if not getattr(settings, "EID_ISSUER", ""):
        return ""
    return getattr(settings, "EID_NAME", "") or "VNeID"


# --- accounts ------------------------------------------------------------------------------------


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

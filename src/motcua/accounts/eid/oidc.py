"""A generic OpenID Connect provider (VNeID or any other), built on Authlib.

The authorization-code flow with PKCE (S256): discovery from `{issuer}/.well-known/openid-configuration`,
the token request through Authlib's httpx client (client_secret_basic or client_secret_post), an id_token
verified with joserfc against the provider's JWKS (RS256 / ES256 only, never 'none' or a MAC) and checked
by Authlib's `CodeIDToken` (iss, aud, azp, exp, iat, nonce), then the userinfo endpoint for the remaining
claims. Discovery and the JWKS are kept in the Django cache. Every HTTP answer is limited in time
(EID_TIMEOUT) and size (MAX_RESPONSE_BYTES); redirects are not followed.

What is ours: the mapping of failures to `IdentityError` reasons, the assurance-level (acr) rule and the
claims that make an `Identity`. Tokens, codes and personal data never reach a message or the log.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
import urllib.parse
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from authlib.common.security import is_secure_transport
from authlib.deprecate import AuthlibDeprecationWarning
from authlib.oauth2.claims import JWTClaims
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from django.core.cache import cache
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingAlgorithmError,
    UnsupportedAlgorithmError,
)
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from .base import ID_NUMBER, Identity, IdentityError

with warnings.catch_warnings():  # Authlib 1.9 prefers the httpx2 fork and warns once it finds httpx
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client, OAuthError

SUPPORTED_ALGORITHMS = ("RS256", "ES256")
MAX_RESPONSE_BYTES = 1024 * 1024
CACHE_SECONDS = 3600  # discovery document and JWKS
JWKS_REFETCH_SECONDS = 60  # an unknown key id refetches the JWKS at most this often (key rotation)
LEEWAY_SECONDS = 60  # clock skew allowed on exp / iat / nbf
# The claim a failed check names, as the reason code's last word.
CLAIM_REASONS = {
    "iss": "issuer",
    "aud": "audience",
    "azp": "audience",
    "exp": "expired",
    "nbf": "not-yet-valid",
    "iat": "not-yet-valid",
    "nonce": "nonce",
}
PROTECTED_CLAIMS = {"iss", "aud", "exp", "iat", "nbf", "nonce", "acr", "azp", "auth_time"}


def _not_set_up():
    return _("Sign-in with the electronic ID is not set up correctly. Please tell the service desk.")


def _unreadable(provider: str):
    return format_lazy(
        _("{name} sent an answer that could not be read. Please try again later."), name=provider
    )


def _unverifiable(provider: str):
    return format_lazy(
        _("{name}'s answer could not be verified, so you have not been signed in. Please try again."),
        name=provider,
    )


def _check_url(url: Any, provider: str, what: str) -> str:
    """Endpoints must be https; plain http is accepted only on this machine (development, tests)."""
    if not isinstance(url, str) or not url:
        raise IdentityError(_unreadable(provider), f"{what}-missing")
    if not is_secure_transport(url):
        raise IdentityError(_not_set_up(), f"{what}-insecure")
    return url


def _safe_code(value: Any) -> str:
    """A provider's error code, reduced to something safe to log and show."""
    text = value if isinstance(value, str) else ""
    return re.sub(r"[^a-z0-9_.-]", "", text.lower())[:40] or "unknown"


# --- HTTP: Authlib's httpx client, limited in size ----------------------------------------------------


class _TooLarge(Exception):
    pass


class _Limited(httpx.SyncByteStream):
    def __init__(self, stream: httpx.SyncByteStream, limit: int):
        self._stream, self._limit = stream, limit

    def __iter__(self) -> Iterator[bytes]:
        size = 0
        for chunk in self._stream:
            size += len(chunk)
            if size > self._limit:
                raise _TooLarge
            yield chunk

    def close(self) -> None:
        self._stream.close()


def _limit_size(response: httpx.Response) -> None:
    """Response hook (before the body is read): refuse a body over MAX_RESPONSE_BYTES, said or sent."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_RESPONSE_BYTES:
        raise _TooLarge
    response.stream = _Limited(response.stream, MAX_RESPONSE_BYTES)


def _basic_form_encoded(auth, method, uri, headers, body):
    """client_secret_basic as RFC 6749 2.3.1 says: each part form-encoded, then HTTP Basic."""
    pair = f"{urllib.parse.quote_plus(auth.client_id)}:{urllib.parse.quote_plus(auth.client_secret)}"
    headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    return uri, headers, body


def _json(response: httpx.Response, provider: str, what: str) -> dict:
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise IdentityError(_unreadable(provider), f"{what}-malformed")
    return data


# --- the provider --------------------------------------------------------------------------------


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
        self.algorithms = [a for a in algorithms if a in SUPPORTED_ALGORITHMS]
        if not client_id or token_auth not in ("client_secret_basic", "client_secret_post"):
            raise IdentityError(_not_set_up(), "config")
        _check_url(self.issuer, name, "issuer")
        digest = hashlib.sha256(f"{self.issuer}\n{client_id}".encode()).hexdigest()[:32]
        self._cache_prefix = f"motcua.eid.oidc.{digest}"

    def __repr__(self) -> str:
        return f"OIDCProvider(name={self.name!r}, issuer={self.issuer!r})"

    def _client(self) -> OAuth2Client:
        client = OAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_endpoint_auth_method=self.token_auth,
            timeout=self.timeout,
            follow_redirects=False,  # endpoints answer directly; a redirect is an error status
            headers={"Accept": "application/json", "Accept-Encoding": "identity"},
            event_hooks={"response": [_limit_size]},
        )
        client.register_client_auth_method(("client_secret_basic", _basic_form_encoded))
        return client

    @contextmanager
    def _calling(self, what: str) -> Iterator[None]:
        """Turn what can go wrong on the wire into an IdentityError whose reason starts with `what`."""
        try:
            yield
        except httpx.HTTPStatusError as exc:
            raise IdentityError(_unreadable(self.name), f"{what}-status-{exc.response.status_code}") from exc
        except httpx.TimeoutException as exc:
            message = format_lazy(_("{name} did not answer in time. Please try again later."), name=self.name)
            raise IdentityError(message, f"{what}-timeout") from exc
        except _TooLarge as exc:
            raise IdentityError(_unreadable(self.name), f"{what}-too-large") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # refused, reset mid-answer, bad status line...
            message = format_lazy(_("{name} could not be reached. Please try again later."), name=self.name)
            raise IdentityError(message, f"{what}-unreachable") from exc

    def _get(self, url: str, what: str) -> dict:
        with self._calling(what), self._client() as client:
            response = client.request("GET", url, withhold_token=True)
            response.raise_for_status()
        return _json(response, self.name, what)

    # discovery and keys, kept in the Django cache

    def metadata(self) -> dict:
        key = f"{self._cache_prefix}.discovery"
        meta = cache.get(key)
        if meta is not None:
            return meta
        meta = self._get(self.issuer + "/.well-known/openid-configuration", "discovery")
        if not isinstance(meta.get("issuer"), str) or meta["issuer"].rstrip("/") != self.issuer:
            raise IdentityError(_unverifiable(self.name), "discovery-issuer")
        for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            _check_url(meta.get(endpoint), self.name, f"discovery-{endpoint}")
        if meta.get("userinfo_endpoint") is not None:
            _check_url(meta["userinfo_endpoint"], self.name, "discovery-userinfo_endpoint")
        cache.set(key, meta, CACHE_SECONDS)
        return meta

    def _key_set(self, *, refresh: bool = False) -> tuple[KeySet, float]:
        """The provider's signing keys and when they were fetched."""
        key = f"{self._cache_prefix}.jwks"
        entry = None if refresh else cache.get(key)
        fetched = entry is None
        if fetched:
            entry = {"keys": self._get(self.metadata()["jwks_uri"], "jwks"), "at": time.time()}
        try:
            keys = KeySet.import_key_set(entry["keys"])
        except (JoseError, KeyError, TypeError, ValueError) as exc:
            raise IdentityError(_unreadable(self.name), "jwks-malformed") from exc
        if fetched:
            cache.set(key, entry, CACHE_SECONDS)
        return keys, entry["at"]

    def _decode(self, token: str, *, what: str, nonce: str | None = None, access_token: Any = None) -> dict:
        """Verify a signed token from the provider: the id_token (`nonce` given), or a signed userinfo
        answer (a subject required; iss and aud checked when present)."""
        registry = JWSRegistry(algorithms=self.algorithms, strict_check_header=False)
        id_token = nonce is not None
        options: dict[str, dict] = {
            "sub": {"essential": True},
            "iss": {"essential": id_token, "value": self.metadata()["issuer"]},
            "aud": {"essential": id_token, "value": self.client_id},
        }
        if id_token:  # the nonce this sign-in sent, and no other (an empty one matches nothing)
            options["nonce"] = {"essential": True, "value": nonce}
        claims_cls = CodeIDToken if id_token else JWTClaims
        params = {"nonce": nonce, "client_id": self.client_id, "access_token": access_token}
        try:
            keys, fetched = self._key_set()
            try:
                decoded = jwt.decode(token, keys, registry=registry)
            except InvalidKeyIdError:
                if time.time() - fetched <= JWKS_REFETCH_SECONDS:
                    raise
                keys, _fetched = self._key_set(refresh=True)  # the provider may have rotated its keys
                decoded = jwt.decode(token, keys, registry=registry)
            claims = claims_cls(decoded.claims, decoded.header, options, params)
            claims.validate(leeway=LEEWAY_SECONDS)
        except (UnsupportedAlgorithmError, MissingAlgorithmError) as exc:
            raise IdentityError(_unverifiable(self.name), f"{what}-algorithm") from exc
        except InvalidKeyIdError as exc:
            raise IdentityError(_unverifiable(self.name), f"{what}-unknown-key") from exc
        except BadSignatureError as exc:
            raise IdentityError(_unverifiable(self.name), f"{what}-signature") from exc
        except ClaimError as exc:
            raise IdentityError(
                _unverifiable(self.name), f"{what}-{CLAIM_REASONS.get(exc.claim, 'claims')}"
            ) from exc
        except (JoseError, ValueError) as exc:  # not a JWT, not JSON, a key of the wrong type...
            raise IdentityError(_unverifiable(self.name), f"{what}-malformed") from exc
        return dict(claims)

    # the flow

    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str, code_verifier: str) -> str:
        extra = {"acr_values": " ".join(self.acr_values)} if self.acr_values else {}
        return prepare_grant_uri(
            self.metadata()["authorization_endpoint"],
            client_id=self.client_id,
            response_type="code",
            redirect_uri=redirect_uri,
            scope=self.scopes,
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(code_verifier),
            code_challenge_method="S256",
            **extra,
        )

    def identify(self, *, code: str, redirect_uri: str, nonce: str, code_verifier: str) -> Identity:
        meta = self.metadata()
        with self._calling("token"), self._client() as client:
            try:
                tokens = client.fetch_token(
                    meta["token_endpoint"],
                    grant_type="authorization_code",
                    code=code,
                    redirect_uri=redirect_uri,
                    code_verifier=code_verifier,
                )
            except OAuthError as exc:  # the provider's {"error": ...}
                raise self._refused(_safe_code(exc.error)) from exc
            except httpx.HTTPStatusError as exc:  # an error status without a JSON error
                raise self._refused(f"status-{exc.response.status_code}") from exc
            except ValueError as exc:  # 200 with a body that is not a JSON object
                raise IdentityError(_unreadable(self.name), "token-malformed") from exc
            id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
            if not isinstance(id_token, str) or not id_token:
                raise IdentityError(_unreadable(self.name), "token-no-id-token")
            if str(tokens.get("token_type", "bearer")).lower() != "bearer":
                raise IdentityError(_unreadable(self.name), "token-type")
            at = access_token if isinstance(access_token, str) else None  # for at_hash, when given
            claims = self._decode(id_token, what="id-token", nonce=nonce, access_token=at)
            if meta.get("userinfo_endpoint") and isinstance(access_token, str) and access_token:
                userinfo = self._userinfo(client, meta["userinfo_endpoint"])
                if userinfo.get("sub") != claims["sub"]:
                    raise IdentityError(_unverifiable(self.name), "userinfo-subject")
                claims = {**claims, **{k: v for k, v in userinfo.items() if k not in PROTECTED_CLAIMS}}
        level = claims.get("acr") if isinstance(claims.get("acr"), str) else ""
        if self.acr_values and level not in self.acr_values:
            message = _(
                "This service needs a higher level of electronic identification than {name} confirmed."
            )
            raise IdentityError(format_lazy(message, name=self.name), "level")
        return self._identity(claims, level)

    def _refused(self, error: str) -> IdentityError:
        message = _("{name} refused to complete the sign-in. Please start again.")
        return IdentityError(format_lazy(message, name=self.name), f"token-error-{error}")

    def _userinfo(self, client: OAuth2Client, endpoint: str) -> dict:
        with self._calling("userinfo"):
            try:
                response = client.get(endpoint)  # Authlib puts the access token in the Authorization header
            except OAuthError as exc:  # the access token expired already
                raise IdentityError(_unreadable(self.name), "userinfo-token") from exc
            response.raise_for_status()
        if response.headers.get("Content-Type", "").split(";")[0].strip().lower() == "application/jwt":
            return self._decode(response.content.decode("ascii", "replace").strip(), what="userinfo")
        return _json(response, self.name, "userinfo")

    def _identity(self, claims: dict, level: str) -> Identity:
        raw = claims.get(self.id_number_claim)
        id_number = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
        if not id_number:
            message = _("{name} did not give your personal ID number, so you cannot be signed in.")
            raise IdentityError(format_lazy(message, name=self.name), "id-number-missing")
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


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""

"""A small OpenID Connect provider speaking real HTTP on 127.0.0.1, for tests.

It serves discovery, /authorize (records the parameters and sends the browser back with a code for
`user`), /token (checks the code, the redirect URI, the PKCE verifier and the client's credentials;
answers an id_token signed with a key made in the test, and an access token), /jwks and /userinfo.

Set `misbehave` to make it go wrong on purpose (see MISBEHAVIOURS).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

MISBEHAVIOURS = {
    "wrong_key": "id_token signed with a key that is not in the JWKS (same kid)",
    "wrong_audience": "id_token for another client",
    "wrong_issuer": "id_token from another issuer",
    "expired": "id_token expired an hour ago",
    "wrong_nonce": "id_token with a nonce the client did not send",
    "alg_none": "unsigned id_token (alg none)",
    "hs256": "id_token MACed with the client secret (HS256), not signed",
    "malformed_json": "token response that is not JSON",
    "slow": "token response that takes `delay` seconds",
    "error": "token endpoint answers 400 invalid_grant",
    "server_error": "token endpoint answers 500 with an HTML page",
    "access_denied": "/authorize sends the user back with error=access_denied",
    "userinfo_other_sub": "userinfo about another subject",
    "userinfo_jwt": "userinfo answered as a signed JWT (application/jwt)",
    "no_id_number": "no personal ID number claim",
    "low_level": "acr of a lower assurance level",
    "huge": "token response of more than a megabyte",
}


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class FakeOIDC:
    def __init__(
        self,
        *,
        key,
        wrong_key,
        alg: str = "RS256",
        client_id: str = "motcua-test",
        client_secret: str = "s3cret:with/odd chars",
        token_auth: str = "client_secret_basic",
        user: dict | None = None,
        delay: float = 3.0,
    ):
        self.key, self.wrong_key, self.alg = key, wrong_key, alg
        self.kid = "key-1"
        self.client_id, self.client_secret, self.token_auth = client_id, client_secret, token_auth
        self.user = user or {}
        self.misbehave = ""
        self.delay = delay
        self.acr = "vneid-level-2"
        self.authorize_requests: list[dict] = []
        self.token_requests: list[dict] = []
        self.userinfo_requests = 0
        self.paths: list[str] = []  # every request, in order
        self._codes: dict[str, dict] = {}
        self._access_tokens: dict[str, dict] = {}
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._server.handle_error = lambda request, address: None  # a client that timed out is not news
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeOIDC:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    # what a browser does at the provider

    def authorize(self, url: str) -> str:
        """GET the authorization URL over HTTP as the browser would; return where the provider sends it back."""
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            opener.open(url, timeout=5)
        except urllib.error.HTTPError as answer:
            if answer.code == 302:
                return answer.headers["Location"]
            raise AssertionError(f"/authorize answered {answer.code}: {answer.read()[:200]!r}") from None
        raise AssertionError("/authorize did not redirect")

    # tokens

    def public_jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.get_default_algorithms()[self.alg].to_jwk(self.key.public_key()))
        jwk.update(kid=self.kid, use="sig", alg=self.alg)
        return {"keys": [jwk]}

    def id_token(self, nonce: str, sub: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": sub,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "acr": "vneid-level-1" if self.misbehave == "low_level" else self.acr,
            "name": self.user.get("name", ""),
        }
        key, alg, headers = self.key, self.alg, {"kid": self.kid}
        match self.misbehave:
            case "wrong_audience":
                claims["aud"] = "someone-else"
            case "wrong_issuer":
                claims["iss"] = "https://issuer.invalid"
            case "expired":
                claims["iat"], claims["exp"] = now - 7200, now - 3600
            case "wrong_nonce":
                claims["nonce"] = secrets.token_urlsafe(16)
            case "wrong_key":
                key = self.wrong_key
            case "alg_none":
                return jwt.encode(claims, None, algorithm="none")
            case "hs256":
                return jwt.encode(claims, self.client_secret.encode().ljust(32, b"."), algorithm="HS256")
        return jwt.encode(claims, key, algorithm=alg, headers=headers)

    def userinfo(self, sub: str) -> dict:
        claims = {"sub": sub, **{k: v for k, v in self.user.items() if k != "sub"}}
        if self.misbehave == "userinfo_other_sub":
            claims["sub"] = "someone-else"
        if self.misbehave == "no_id_number":
            claims.pop("id_number", None)
        return claims


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _handler(fake: FakeOIDC):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _send(
            self, status: int, body: bytes | str | dict, content_type: str = "application/json", headers=None
        ):
            if isinstance(body, dict):
                body = json.dumps(body)
            if isinstance(body, str):
                body = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            fake.paths.append(url.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            if url.path == "/.well-known/openid-configuration":
                base = fake.issuer
                return self._send(
                    200,
                    {
                        "issuer": base,
                        "authorization_endpoint": base + "/authorize",
                        "token_endpoint": base + "/token",
                        "jwks_uri": base + "/jwks",
                        "userinfo_endpoint": base + "/userinfo",
                        "response_types_supported": ["code"],
                        "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": [fake.alg],
                        "code_challenge_methods_supported": ["S256"],
                        "token_endpoint_auth_methods_supported": [fake.token_auth],
                    },
                )
            if url.path == "/jwks":
                return self._send(200, fake.public_jwks())
            if url.path == "/authorize":
                return self._authorize(query)
            if url.path == "/userinfo":
                return self._userinfo()
            return self._send(404, {"error": "not_found"})

        def _authorize(self, query: dict):
            fake.authorize_requests.append(query)
            if query.get("client_id") != fake.client_id or not query.get("redirect_uri"):
                return self._send(400, "unknown client", "text/plain")
            back = query["redirect_uri"]
            if fake.misbehave == "access_denied":
                params = {"error": "access_denied", "state": query.get("state", "")}
            else:
                code = secrets.token_urlsafe(24)
                fake._codes[code] = {"query": query, "user": dict(fake.user)}
                params = {"code": code, "state": query.get("state", "")}
            separator = "&" if "?" in back else "?"
            self._send(
                302, b"", "text/plain", {"Location": back + separator + urllib.parse.urlencode(params)}
            )

        def do_POST(self):
            fake.paths.append(urllib.parse.urlsplit(self.path).path)
            if urllib.parse.urlsplit(self.path).path != "/token":
                return self._send(404, {"error": "not_found"})
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            fake.token_requests.append({"form": form, "authorization": self.headers.get("Authorization", "")})
            if not self._client_ok(form):
                return self._send(401, {"error": "invalid_client"})
            grant = fake._codes.pop(form.get("code", ""), None)  # a code works once
            if grant is None or form.get("grant_type") != "authorization_code":
                return self._send(400, {"error": "invalid_grant"})
            query = grant["query"]
            challenge = _b64url(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            if query.get("code_challenge_method") != "S256" or challenge != query.get("code_challenge"):
                return self._send(
                    400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
                )
            if form.get("redirect_uri") != query["redirect_uri"]:
                return self._send(
                    400, {"error": "invalid_grant", "error_description": "redirect_uri mismatch"}
                )
            match fake.misbehave:
                case "slow":
                    fake._stop.wait(fake.delay)
                case "malformed_json":
                    return self._send(200, '{"access_token": "abc", "id_token": ')
                case "error":
                    return self._send(
                        400, {"error": "invalid_grant", "error_description": "the code expired"}
                    )
                case "server_error":
                    return self._send(500, "<html><body>Internal error</body></html>", "text/html")
                case "huge":
                    return self._send(200, {"access_token": "x" * (1024 * 1024), "token_type": "Bearer"})
            sub = grant["user"].get("sub", "subject-1")
            access = secrets.token_urlsafe(24)
            fake._access_tokens[access] = grant["user"]
            self._send(
                200,
                {
                    "access_token": access,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": fake.id_token(query.get("nonce", ""), sub),
                },
            )

        def _client_ok(self, form: dict) -> bool:
            if fake.token_auth == "client_secret_post":
                return (
                    form.get("client_id") == fake.client_id
                    and form.get("client_secret") == fake.client_secret
                )
            header = self.headers.get("Authorization", "")
            if not header.startswith("Basic "):
                return False
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            return (urllib.parse.unquote_plus(client_id), urllib.parse.unquote_plus(secret)) == (
                fake.client_id,
                fake.client_secret,
            )

        def _userinfo(self):
            fake.userinfo_requests += 1
            header = self.headers.get("Authorization", "")
            user = fake._access_tokens.get(header[7:]) if header.startswith("Bearer ") else None
            if user is None:
                return self._send(401, {"error": "invalid_token"}, headers={"WWW-Authenticate": "Bearer"})
            claims = fake.userinfo(user.get("sub", "subject-1"))
            if fake.misbehave == "userinfo_jwt":
                claims.update(iss=fake.issuer, aud=fake.client_id)
                token = jwt.encode(claims, fake.key, algorithm=fake.alg, headers={"kid": fake.kid})
                return self._send(200, token, "application/jwt")
            self._send(200, claims)

    return Handler

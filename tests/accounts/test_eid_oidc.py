"""The OpenID Connect provider against the fake provider (real HTTP, discovery, JWKS, signed id_token),
and how the provider is chosen (backends.py)."""

from __future__ import annotations

import logging
import subprocess
import sys
import urllib.parse

import httpx
import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from motcua.accounts.eid import backends, oidc
from motcua.accounts.eid.base import IdentityError
from motcua.accounts.eid.oidc import OIDCProvider

from .conftest import CITIZEN
from .eid_conformance import IdentityProviderConformance, new_flow
from .fake_oidc import FakeOIDC


@pytest.fixture
def server(keys):
    with FakeOIDC(key=keys["rsa"], wrong_key=keys["other"], user=dict(CITIZEN)) as fake:
        yield fake


def make_provider(server: FakeOIDC, **overrides) -> OIDCProvider:
    return OIDCProvider(
        issuer=server.issuer,
        client_id=server.client_id,
        client_secret=server.client_secret,
        token_auth=server.token_auth,
        scopes=["openid", "profile", "email", "phone"],
        acr_values=["vneid-level-2"],
        timeout=1,
        **overrides,
    )


def browse(server: FakeOIDC):
    def follow(url: str) -> dict:
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(server.authorize(url)).query))

    return follow


class TestOIDCProvider(IdentityProviderConformance):
    @pytest.fixture
    def idp(self, server):
        return make_provider(server)

    @pytest.fixture
    def browser(self, server):
        return browse(server)

    @pytest.fixture
    def person(self):
        return {"subject": CITIZEN["sub"], "id_number": CITIZEN["id_number"], "full_name": CITIZEN["name"]}


class TestOIDCProviderWithSecretPost(TestOIDCProvider):
    @pytest.fixture
    def server(self, keys):
        with FakeOIDC(
            key=keys["ec"],
            wrong_key=keys["other"],
            alg="ES256",
            token_auth="client_secret_post",
            user=dict(CITIZEN),
        ) as fake:
            yield fake


# --- what only the OIDC provider does --------------------------------------------------------------


def sign_in(idp: OIDCProvider, server: FakeOIDC):
    flow = new_flow()
    back = browse(server)(idp.authorization_url(**flow))
    return idp.identify(
        code=back["code"],
        redirect_uri=flow["redirect_uri"],
        nonce=flow["nonce"],
        code_verifier=flow["code_verifier"],
    )


def test_discovery_and_keys_come_from_the_cache(server):
    sign_in(make_provider(server), server)
    sign_in(make_provider(server), server)  # another instance: the cache is Django's, not the object's
    assert server.paths.count("/.well-known/openid-configuration") == 1
    assert server.paths.count("/jwks") == 1
    assert server.paths.count("/token") == 2


def test_rotated_keys_are_fetched_again_but_not_too_often(server, keys, monkeypatch):
    idp = make_provider(server)
    sign_in(idp, server)
    server.key, server.kid = keys["other"], "key-2"  # the provider rotates its signing key
    with pytest.raises(IdentityError) as error:
        sign_in(idp, server)  # the keys were fetched a moment ago: not again yet
    assert error.value.reason == "id-token-unknown-key"
    monkeypatch.setattr(oidc, "JWKS_REFETCH_SECONDS", 0)
    assert sign_in(idp, server).id_number == CITIZEN["id_number"]
    assert server.paths.count("/jwks") == 2


def test_tokens_and_the_client_secret_are_never_logged(server, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, httpx and Authlib included
    sign_in(make_provider(server), server)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (*server._access_tokens, server.client_secret, CITIZEN["id_number"]):
        assert secret not in logged


def test_a_streamed_answer_over_the_limit_is_cut_off():
    chunks = (b"x" * 65536 for _ in range(oidc.MAX_RESPONSE_BYTES // 65536 + 1))
    response = httpx.Response(200, content=chunks)  # no Content-Length: sent in chunks
    assert "Content-Length" not in response.headers
    oidc._limit_size(response)
    with pytest.raises(oidc._TooLarge):
        response.read()


def test_only_rs256_and_es256_are_accepted(server):
    assert make_provider(server, algorithms=("HS256", "none", "RS256")).algorithms == ["RS256"]


def test_a_set_up_without_client_id_is_refused(server):
    with pytest.raises(IdentityError) as error:
        OIDCProvider(issuer=server.issuer, client_id="")
    assert error.value.reason == "config"


# --- choosing the provider -------------------------------------------------------------------------


def test_oidc_is_the_one_provider_and_the_default(settings):
    assert backends.providers.choices() == ["oidc"]
    assert settings.EID_PROVIDER == "oidc"


def test_e_id_is_off_without_an_issuer(settings):
    settings.EID_ISSUER = ""
    assert backends.provider() is None and backends.provider_name() == ""


def test_the_provider_is_kept_until_a_setting_changes(settings, server):
    settings.EID_ISSUER, settings.EID_CLIENT_ID = server.issuer, server.client_id
    first = backends.provider()
    assert backends.provider() is first and first.issuer == server.issuer
    settings.EID_NAME = "Định danh"
    assert backends.provider() is not first and backends.provider().name == "Định danh"


def test_a_wrong_provider_stops_start_up_naming_the_setting_and_the_choices(settings):
    settings.EID_PROVIDER = "saml"
    with pytest.raises(ImproperlyConfigured) as error:
        apps.get_app_config("accounts").ready()
    assert "MOTCUA_EID_PROVIDER='saml'" in str(error.value) and "'oidc'" in str(error.value)


def test_the_app_loads_no_oidc_library_until_someone_signs_in():
    code = (
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'motcua.settings'\n"
        "import django; django.setup()\n"
        "import motcua.urls, motcua.accounts.eid.views\n"
        "print(','.join(m for m in ('authlib', 'joserfc', 'httpx') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""

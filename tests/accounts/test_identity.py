"""Sign-in with the electronic ID, end to end against a fake OpenID Connect provider over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import logging
import socket
import urllib.parse

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import SESSION_KEY
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, include, path, reverse

from motcua import urls as project_urls
from motcua.accounts.eid.backends import provider
from motcua.accounts.eid.base import Identity, IdentityError
from motcua.accounts.eid.linking import sign_in
from motcua.accounts.eid.oidc import OIDCProvider
from motcua.accounts.models import Agency, AgencyKind, Role, User

from .conftest import CITIZEN, ID_NUMBER
from .fake_oidc import FakeOIDC

pytestmark = pytest.mark.django_db

# This module doubles as the URLconf: the project's URLs, plus the eID views where urls.py lacks them.
try:
    reverse("eid:start", urlconf=project_urls)
    urlpatterns = project_urls.urlpatterns
except NoReverseMatch:
    urlpatterns = [
        *project_urls.urlpatterns,
        *i18n_patterns(
            path("tai-khoan/dinh-danh/", include("motcua.accounts.eid.urls")), prefix_default_language=False
        ),
    ]

CONTEXT_PROCESSOR = "motcua.accounts.eid.views.eid_context"
# The snippet handed over for registration/login.html.
BUTTON = (
    "{% load i18n %}{% if eid_provider_name %}"
    '<p class="eid"><a class="button" href="{% url \'eid:start\' %}{% if next %}?next={{ next|urlencode }}{% endif %}">'
    "{% blocktranslate with name=eid_provider_name %}Sign in with {{ name }}{% endblocktranslate %}</a></p>"
    "{% endif %}"
)


def configure(settings, fake: FakeOIDC) -> None:
    settings.EID_ISSUER = fake.issuer
    settings.EID_CLIENT_ID = fake.client_id
    settings.EID_CLIENT_SECRET = fake.client_secret
    settings.EID_TOKEN_AUTH = fake.token_auth
    settings.EID_NAME = "VNeID"
    settings.EID_SCOPES = ["openid", "profile", "email", "phone"]
    settings.EID_ACR_VALUES = ["vneid-level-2"]
    settings.EID_TIMEOUT = 1
    settings.EID_OFFICIALS = False


@pytest.fixture
def urlconf(settings):
    settings.ROOT_URLCONF = __name__
    settings.TEMPLATES = [
        {
            **engine,
            "OPTIONS": {
                **engine["OPTIONS"],
                "context_processors": [
                    *[p for p in engine["OPTIONS"]["context_processors"] if p != CONTEXT_PROCESSOR],
                    CONTEXT_PROCESSOR,
                ],
            },
        }
        for engine in settings.TEMPLATES
    ]


@pytest.fixture
def fake(settings, urlconf, keys):
    # Each test has its own cache (tests/conftest.py), so discovery and JWKS are fetched afresh.
    with FakeOIDC(key=keys["rsa"], wrong_key=keys["other"], user=dict(CITIZEN)) as server:
        configure(settings, server)
        yield server


@pytest.fixture
def motcua_log(caplog):
    """The `motcua` logger does not propagate to the root; listen to it directly."""
    logger = logging.getLogger("motcua")
    logger.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.INFO)
    yield caplog
    logger.removeHandler(caplog.handler)


def go(client, fake: FakeOIDC, next_url: str = "/en/"):
    """Start at motcua, visit the provider over HTTP like a browser, come back to the callback."""
    started = client.get("/en/tai-khoan/dinh-danh/", {"next": next_url})
    assert started.status_code == 302, started.content[:500]
    assert started["Location"].startswith(fake.issuer + "/authorize?")
    back = urllib.parse.urlsplit(fake.authorize(started["Location"]))
    assert (back.scheme, back.netloc, back.path) == (
        "http",
        "127.0.0.1:8000",
        "/tai-khoan/dinh-danh/callback/",
    )
    return client.get(f"{back.path}?{back.query}")


def signed_in(client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


def reason(response) -> str:
    assert response.status_code == 400, response.content[:500]
    return response.context["reason"]


def official(**fields) -> User:
    agency = Agency.objects.create(code="T01", name="Sở Tư pháp", kind=AgencyKind.DEPARTMENT)
    return User.objects.create_user(
        username="can-bo",
        password="pw-123456",
        role=Role.PROCESSING,
        agency=agency,
        id_number=ID_NUMBER,
        **fields,
    )


# --- the happy paths -------------------------------------------------------------------------------


@pytest.mark.parametrize("token_auth", ["client_secret_basic", "client_secret_post"])
def test_first_sign_in_creates_a_citizen_and_logs_in(client, fake, settings, token_auth):
    fake.token_auth = settings.EID_TOKEN_AUTH = token_auth
    response = go(client, fake, next_url="/en/thu-tuc/")
    assert response.status_code == 302 and response["Location"] == "/en/thu-tuc/"

    user = signed_in(client)
    assert user.username == "eid-vneid-7f3a9c" and user.role == Role.CITIZEN
    assert user.id_number == ID_NUMBER and not user.has_usable_password()
    assert (user.last_name, user.first_name, user.get_full_name()) == ("Trần Thị", "Bình", "Trần Thị Bình")
    assert (user.email, user.phone) == ("binh@example.vn", "0912345678")
    assert not user.is_staff and not user.is_superuser
    assert client.session["eid_verified"]["level"] == "vneid-level-2"

    # What went over the wire: PKCE S256, nonce, state, scopes, the level asked for, client authentication.
    sent = fake.authorize_requests[0]
    assert sent["code_challenge_method"] == "S256" and sent["response_type"] == "code"
    assert sent["scope"].split() == ["openid", "profile", "email", "phone"]
    assert sent["acr_values"] == "vneid-level-2" and sent["nonce"] and sent["state"]
    verifier = fake.token_requests[0]["form"]["code_verifier"]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == sent["code_challenge"] and 43 <= len(verifier) <= 128
    assert ("client_secret" in fake.token_requests[0]["form"]) == (token_auth == "client_secret_post")
    assert fake.userinfo_requests == 1
    # Nothing of the flow stays in the session.
    assert not client.session.get("eid_flows")


def test_es256_provider_and_signed_userinfo(client, fake, keys):
    fake.key, fake.alg, fake.misbehave = keys["ec"], "ES256", "userinfo_jwt"
    response = go(client, fake)
    assert response.status_code == 302
    assert signed_in(client).id_number == ID_NUMBER


def test_second_sign_in_reuses_the_account(client, fake):
    go(client, fake)
    first = signed_in(client)
    client.post("/en/tai-khoan/logout/")
    assert signed_in(client) is None
    go(client, fake)
    assert signed_in(client) == first
    assert User.objects.filter(id_number=ID_NUMBER).count() == 1


def test_existing_local_citizen_is_linked_by_id_number(client, fake):
    local = User.objects.create_user(
        username="binh", password="pw-123456", id_number=ID_NUMBER, first_name="Bình", last_name="Trần"
    )
    assert go(client, fake).status_code == 302
    user = signed_in(client)
    assert user == local and User.objects.count() == 1
    assert (user.get_full_name(), user.email, user.phone) == ("Trần Bình", "binh@example.vn", "0912345678")
    assert user.has_usable_password() and user.username == "binh"


def test_official_is_refused_unless_officials_may_use_eid(client, fake, settings):
    officer = official()
    refused = go(client, fake)
    assert reason(refused) == "official" and signed_in(client) is None
    assert "official user name and password" in refused.content.decode()

    settings.EID_OFFICIALS = True
    assert go(client, fake).status_code == 302
    user = signed_in(client)
    assert user == officer and user.role == Role.PROCESSING and User.objects.count() == 1


def test_a_person_with_both_accounts_gets_the_citizen_account(client, fake, settings):
    settings.EID_OFFICIALS = True
    official()
    citizen = User.objects.create_user(username="binh", id_number=ID_NUMBER)
    go(client, fake)
    assert signed_in(client) == citizen


@pytest.mark.parametrize(
    "fields", [{"role": Role.SYSTEM_ADMIN}, {"is_superuser": True, "is_staff": True}, {"is_staff": True}]
)
def test_administrators_never_sign_in_with_eid(client, fake, settings, fields):
    settings.EID_OFFICIALS = True
    User.objects.create_user(username="admin", password="pw-123456", id_number=ID_NUMBER, **fields)
    assert reason(go(client, fake)) == "official" and signed_in(client) is None


def test_inactive_account_is_refused(client, fake):
    User.objects.create_user(username="binh", id_number=ID_NUMBER, is_active=False)
    assert reason(go(client, fake)) == "inactive" and signed_in(client) is None


def test_unsafe_next_goes_home(client, fake):
    response = go(client, fake, next_url="https://evil.example/")
    assert response.status_code == 302 and response["Location"] == "/en/"


# --- refusals --------------------------------------------------------------------------------------


def test_bad_state_is_refused(client, fake):
    response = client.get("/tai-khoan/dinh-danh/callback/", {"state": "forged", "code": "x"})
    assert reason(response) == "state" and signed_in(client) is None
    assert fake.token_requests == []


def test_a_callback_works_once(client, fake):
    started = client.get("/en/tai-khoan/dinh-danh/")
    back = urllib.parse.urlsplit(fake.authorize(started["Location"]))
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    client.post("/en/tai-khoan/logout/")
    assert reason(client.get(f"{back.path}?{back.query}")) == "state" and signed_in(client) is None


def test_a_state_from_another_browser_is_refused(client, fake):
    from django.test import Client

    started = client.get("/en/tai-khoan/dinh-danh/")
    back = urllib.parse.urlsplit(fake.authorize(started["Location"]))
    other = Client()
    assert reason(other.get(f"{back.path}?{back.query}")) == "state" and signed_in(other) is None


MISBEHAVIOURS = [
    ("wrong_key", "id-token-signature", "could not be verified"),
    ("wrong_audience", "id-token-audience", "could not be verified"),
    ("wrong_issuer", "id-token-issuer", "could not be verified"),
    ("expired", "id-token-expired", "could not be verified"),
    ("wrong_nonce", "id-token-nonce", "could not be verified"),
    ("alg_none", "id-token-algorithm", "could not be verified"),
    ("hs256", "id-token-algorithm", "could not be verified"),
    ("malformed_json", "token-malformed", "could not be read"),
    ("slow", "token-timeout", "did not answer in time"),
    ("error", "token-error-invalid_grant", "refused to complete the sign-in"),
    ("server_error", "token-error-status-500", "refused to complete the sign-in"),
    ("access_denied", "cancelled", "was cancelled"),
    ("userinfo_other_sub", "userinfo-subject", "could not be verified"),
    ("no_id_number", "id-number-missing", "did not give your personal ID number"),
    ("low_level", "level", "higher level of electronic identification"),
    ("huge", "token-too-large", "could not be read"),
]


@pytest.mark.parametrize(("misbehave", "code", "text"), MISBEHAVIOURS, ids=[m[0] for m in MISBEHAVIOURS])
def test_provider_misbehaviour_is_a_clear_error(client, fake, motcua_log, misbehave, code, text):
    fake.misbehave = misbehave
    response = go(client, fake)
    assert reason(response) == code
    page = response.content.decode()
    assert text in page and "VNeID" in page
    assert signed_in(client) is None and not User.objects.exists()
    # No token, code or personal data leaks to the page or the log.
    leaks = [*fake._access_tokens, ID_NUMBER, CITIZEN["sub"], CITIZEN["email"], fake.client_secret]
    leaks += [r["form"].get("code", "") for r in fake.token_requests]
    log_text = "\n".join(r.getMessage() for r in motcua_log.records)
    assert code in log_text
    for secret in filter(None, leaks):
        assert secret not in page and secret not in log_text


def test_success_logs_no_personal_data(client, fake, motcua_log):
    go(client, fake)
    log_text = "\n".join(r.getMessage() for r in motcua_log.records)
    assert "signed in" in log_text
    for secret in (ID_NUMBER, CITIZEN["sub"], CITIZEN["email"], CITIZEN["name"], *fake._access_tokens):
        assert secret not in log_text


def test_unreachable_provider(client, settings, urlconf):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EID_ISSUER, settings.EID_CLIENT_ID, settings.EID_TIMEOUT = f"http://127.0.0.1:{port}", "c", 1
    response = client.get("/en/tai-khoan/dinh-danh/")
    assert reason(response) == "discovery-unreachable"
    assert "could not be reached" in response.content.decode()


def test_plain_http_is_refused_except_on_this_machine(settings):
    with pytest.raises(IdentityError) as error:
        OIDCProvider(issuer="http://id.example.vn", client_id="c")
    assert error.value.reason == "issuer-insecure"
    assert OIDCProvider(issuer="https://id.example.vn/", client_id="c").issuer == "https://id.example.vn"


# --- the button ------------------------------------------------------------------------------------


def render_button(path: str) -> str:
    request = RequestFactory().get(path)
    return Template(BUTTON).render(RequestContext(request, {"next": "/en/ho-so/"}))


def test_button_hidden_without_issuer(client, settings, urlconf):
    settings.EID_ISSUER = ""
    assert provider() is None
    page = client.get("/en/tai-khoan/login/")
    assert page.context["eid_provider_name"] == ""
    assert "dinh-danh" not in page.content.decode() and render_button("/en/tai-khoan/login/") == ""
    assert client.get("/en/tai-khoan/dinh-danh/").status_code == 404


def test_button_shown_with_issuer(client, fake):
    page = client.get("/en/tai-khoan/login/")
    assert page.context["eid_provider_name"] == "VNeID"
    html = render_button("/en/tai-khoan/login/")
    assert 'href="/en/tai-khoan/dinh-danh/?next=/en/ho-so/"' in html and "Sign in with VNeID" in html
    if "eid_provider_name" in page.templates[0].source:  # once the snippet is in the login template
        assert "/tai-khoan/dinh-danh/" in page.content.decode()


# --- account rules without the web ----------------------------------------------------------------


def test_sign_in_never_elevates_and_fills_only_empty_fields():
    existing = User.objects.create_user(username="binh", id_number=ID_NUMBER, email="old@example.vn")
    user = sign_in(Identity(subject="s", id_number=ID_NUMBER, full_name="Lê Văn An", email="new@example.vn"))
    assert user == existing and user.role == Role.CITIZEN
    assert (user.email, user.get_full_name()) == ("old@example.vn", "Lê Văn An")


def test_odd_subjects_make_safe_user_names():
    user = sign_in(Identity(subject="a b/c" * 50, id_number=ID_NUMBER, full_name="An"))
    assert user.username.startswith("eid-") and len(user.username) <= 150 and " " not in user.username
    with pytest.raises(IdentityError):
        sign_in(Identity(subject="s", id_number="12345", full_name="An"))


def test_an_identity_does_not_print_personal_data():
    shown = repr(Identity(subject="sub-1", id_number=ID_NUMBER, full_name="Trần Thị Bình", level="2"))
    assert ID_NUMBER not in shown and "Bình" not in shown and "sub-1" not in shown

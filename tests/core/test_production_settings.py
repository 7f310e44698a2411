"""Production settings: `check --deploy` passes, personal pages are not stored, the policy headers."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.core import backends


def _motcua(tmp_path, *args, **env):
    skip = ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the browser tests set the latter in-process
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_") and k not in skip}
    environ.update(MOTCUA_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-m", "motcua.cli", *args], env=environ, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    production = {
        "MOTCUA_PRODUCTION": "true",
        "MOTCUA_SECRET_KEY": secrets.token_urlsafe(50),
        "MOTCUA_ALLOWED_HOSTS": "dichvucong.example.vn",
        "MOTCUA_SITE_URL": "https://dichvucong.example.vn",
        "MOTCUA_TRUSTED_PROXIES": "127.0.0.1",
    }
    result = _motcua(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stdout + result.stderr
    # and the local demo's settings are what check --deploy warns about, so the test can fail
    demo = _motcua(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert demo.returncode != 0 and "security.W004" in demo.stdout + demo.stderr


def test_production_refuses_the_demo_signing_authority(settings):
    settings.PRODUCTION, settings.SIGNING_PKCS12, settings.ALLOW_DEMO_SIGNER = True, "", False
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_SIGNING_PKCS12"):
        backends.agency_signer()


@pytest.mark.django_db
def test_personal_pages_are_not_stored_and_carry_the_policy_headers(client, demo):
    from motcua.accounts.models import User

    home = client.get("/")
    assert "no-store" not in home.get("Cache-Control", "")  # the public catalogue may be cached
    assert "default-src 'self'" in home["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in home["Content-Security-Policy"]
    assert "no-store" in client.get("/tra-cuu/")["Cache-Control"]
    assert "no-store" in client.get("/en/tra-cuu/")["Cache-Control"]  # the same page in English
    api = client.get("/api/v1/dossiers/")
    assert "no-store" in api["Cache-Control"] and "Authorization" in api["Vary"]
    client.force_login(User.objects.get(username="congdan"))
    assert "no-store" in client.get("/")["Cache-Control"]  # any page of a signed-in user


@pytest.mark.django_db
def test_only_administrators_open_the_admin(client, demo):
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username="tiepnhan"))
    assert client.get("/admin/").status_code == 302  # to the admin's own sign-in
    client.force_login(User.objects.get(username="admin"))
    assert client.get("/admin/").status_code == 200

"""Officials prove a TOTP code after their password before any page opens; the first time they add
their authenticator app; citizens are not asked."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.demo import DEMO_PASSWORD, demo_code
from motcua.accounts.models import User

pytestmark = pytest.mark.django_db


def password_only(client, username):
    response = client.post("/tai-khoan/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content
    return response


def test_an_official_with_only_a_password_cannot_open_the_workspace_or_a_dossier(client, demo):
    password_only(client, "tiepnhan")
    for path in ("/can-bo/", "/en/can-bo/", "/ho-so/H99.X01-000000-0001/", "/admin/", "/ho-so/"):
        response = client.get(path)
        assert response.status_code == 302 and "/tai-khoan/hai-buoc/" in response["Location"], path
    assert client.get("/tai-khoan/hai-buoc/?next=/can-bo/").status_code == 200


def test_the_code_of_the_authenticator_opens_the_workspace_and_a_wrong_one_does_not(client, demo):
    password_only(client, "tiepnhan")
    wrong = client.post("/tai-khoan/hai-buoc/", {"code": "000000", "next": "/can-bo/"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["code"]
    assert client.get("/can-bo/").status_code == 302
    code = {"code": demo_code(User.objects.get(username="tiepnhan")), "next": "/can-bo/"}
    # After a wrong code even the right one waits (django-otp doubles the wait at each failure).
    assert client.post("/tai-khoan/hai-buoc/", code).status_code == 200
    time.sleep(1.1)
    code["code"] = demo_code(User.objects.get(username="tiepnhan"))
    right = client.post("/tai-khoan/hai-buoc/", code)
    assert right.status_code == 302 and right["Location"] == "/can-bo/"
    assert client.get("/can-bo/").status_code == 200


def test_an_official_without_an_app_adds_one_by_its_qr_code_first(client, demo):
    user = User.objects.get(username="chuyenvien")
    TOTPDevice.objects.filter(user=user).delete()
    password_only(client, "chuyenvien")
    sent = client.get("/can-bo/")
    assert "/tai-khoan/hai-buoc/thiet-lap/" in sent["Location"]
    page = client.get(sent["Location"])
    html = page.content.decode()
    assert "<svg" in html  # the QR code, drawn in the page
    key = b32decode(re.search(r'id="totp-key">([A-Z2-7=]+)<', html).group(1))
    assert client.post("/tai-khoan/hai-buoc/thiet-lap/", {"code": "123456"}).status_code == 200
    time.sleep(1.1)  # the wait after a wrong code
    code = f"{totp(key):06d}"
    done = client.post("/tai-khoan/hai-buoc/thiet-lap/", {"code": code, "next": "/can-bo/"})
    assert done.status_code == 302 and done["Location"] == "/can-bo/"
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/can-bo/").status_code == 200


def test_a_citizen_is_not_asked_for_a_second_factor(client, demo):
    password_only(client, "congdan")
    assert client.get("/ho-so/").status_code == 200


def test_a_next_address_elsewhere_is_not_followed(client, demo):
    password_only(client, "tiepnhan")
    code = demo_code(User.objects.get(username="tiepnhan"))
    response = client.post("/tai-khoan/hai-buoc/", {"code": code, "next": "https://evil.example/"})
    assert response["Location"] == "/can-bo/"


def test_the_policy_can_be_turned_off_by_the_operator(client, demo, settings):
    settings.OFFICIAL_SECOND_FACTOR = False
    password_only(client, "tiepnhan")
    assert client.get("/can-bo/").status_code == 200


def test_the_demo_code_command_reads_only_demo_devices(demo):
    from django.core.management import CommandError, call_command

    user = User.objects.get(username="chuyenvien")
    TOTPDevice.objects.filter(user=user).update(key="00" * 20)
    with pytest.raises(CommandError):
        call_command("demo_code", "chuyenvien")
    with pytest.raises(CommandError):
        call_command("demo_code", "congdan")

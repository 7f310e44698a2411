"""A citizen creates an account and proves the e-mail address; passwords are reset in the portal's own
pages; officials land in their work queues."""

import re

import pytest
from django.core import mail

from motcua.accounts.models import Role, User

pytestmark = pytest.mark.django_db

FORM = {
    "last_name": "Trần Thị",
    "first_name": "Mai",
    "email": "Mai.Tran@Example.invalid",
    "phone": "0912345678",
    "id_number": "079301002345",
    "password": "hoa-sen-nở-2026",
}


def signs_in(client, username, password) -> bool:
    """Through the sign-in page, as a person does (django-axes needs the request)."""
    response = client.post("/tai-khoan/login/", {"username": username, "password": password})
    return response.status_code == 302


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_an_account_opens_only_from_the_link_sent_to_its_address(client, demo):
    response = client.post("/tai-khoan/dang-ky/", FORM)
    assert response.status_code == 302 and response["Location"].endswith("/tai-khoan/dang-ky/da-gui/")
    user = User.objects.get(email="mai.tran@example.invalid")
    assert not user.is_active and user.role == Role.CITIZEN and user.id_number == "079301002345"
    assert user.get_full_name() == "Trần Thị Mai" and user.check_password(FORM["password"])
    assert not signs_in(client, user.username, FORM["password"])  # closed until proven
    (message,) = mail.outbox
    assert message.to == ["mai.tran@example.invalid"]
    link = link_in(message)
    opened = client.get(link)
    assert opened.status_code == 302 and opened["Location"].endswith("/ho-so/")
    user.refresh_from_db()
    assert user.is_active and client.get("/ho-so/").context["user"] == user  # signed in
    client.logout()
    assert client.get(link).status_code == 400  # used once
    assert signs_in(client, "mai.tran@example.invalid", FORM["password"])


def test_a_registered_address_gets_a_note_and_the_page_says_the_same(client, demo):
    taken = {**FORM, "email": "congdan@example.invalid"}
    response = client.post("/tai-khoan/dang-ky/", taken)
    assert response.status_code == 302 and response["Location"].endswith("/tai-khoan/dang-ky/da-gui/")
    assert User.objects.filter(email__iexact="congdan@example.invalid").count() == 1
    (message,) = mail.outbox
    assert "/tai-khoan/password_reset/" in message.body and "/xac-minh/" not in message.body


def test_a_wrong_link_opens_nothing(client, demo):
    client.post("/tai-khoan/dang-ky/", FORM)
    link = link_in(mail.outbox[0])
    assert client.get(link[:-3] + "abc/").status_code == 400
    assert client.get("/tai-khoan/xac-minh/bm9uZQ/abc-def/").status_code == 400
    assert not User.objects.get(email="mai.tran@example.invalid").is_active


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("password", "12345678"),
        ("password", "mai.tran@example"),
        ("id_number", "12345"),
        ("email", "not-an-address"),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_saves_nothing(client, demo, field, value):
    response = client.post("/tai-khoan/dang-ky/", {**FORM, field: value})
    assert response.status_code == 200 and response.context["form"].errors[field]
    assert not User.objects.filter(email__iexact=FORM["email"]).exists() and not mail.outbox


def test_sign_ups_are_rate_limited(client, demo):
    for n in range(5):
        client.post("/tai-khoan/dang-ky/", {**FORM, "email": f"mai{n}@example.invalid"})
    response = client.post("/tai-khoan/dang-ky/", {**FORM, "email": "mai9@example.invalid"})
    assert response.status_code == 429 and not User.objects.filter(email="mai9@example.invalid").exists()


def test_the_password_is_reset_in_the_portals_own_pages(client, demo):
    sent = client.post("/tai-khoan/password_reset/", {"email": "congdan@example.invalid"}, follow=True)
    assert 'class="site"' in sent.content.decode() and "Django" not in sent.content.decode()
    (message,) = mail.outbox
    form = client.get(link_in(message), follow=True)
    page = form.content.decode()
    assert 'class="site"' in page and 'name="new_password1"' in page and "Django" not in page
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "sen-hong-2027!", "new_password2": "sen-hong-2027!"},
        follow=True,
    )
    assert 'class="site"' in done.content.decode() and "Django" not in done.content.decode()
    assert signs_in(client, "congdan", "sen-hong-2027!")


def test_an_official_lands_in_the_work_queues_and_a_citizen_on_the_home_page(client, demo):
    from motcua.accounts.demo import DEMO_PASSWORD

    official = client.post("/tai-khoan/login/", {"username": "tiepnhan", "password": DEMO_PASSWORD})
    assert official.status_code == 302 and official["Location"].endswith("/can-bo/")
    client.logout()
    citizen = client.post("/tai-khoan/login/", {"username": "congdan", "password": DEMO_PASSWORD})
    assert citizen.status_code == 302 and citizen["Location"] == "/"


def test_the_sign_in_page_leads_to_sign_up_and_password_reset(client, demo):
    page = client.get("/tai-khoan/login/").content.decode()
    assert 'href="/tai-khoan/dang-ky/"' in page and 'href="/tai-khoan/password_reset/"' in page

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.accounts.models import Agency, Role, User
from motcua.dossiers.models import Dossier, Status

pytestmark = pytest.mark.django_db

PUSH = {
    "procedure": "1.001193",
    "agency": "H99.X01",
    "applicant_name": "Lê Thị Hoa",
    "applicant_id_number": "079095001234",
    "applicant_email": "hoa@example.invalid",
}


@pytest.fixture
def api(demo):
    return APIClient()


def token_for(user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def test_a_portal_pushes_a_dossier_with_a_token(api):
    officer = User.objects.get(username="tiepnhan")
    response = api.post("/api/v1/dossiers/", PUSH, format="json", **token_for(officer))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == Status.SUBMITTED and body["code"].startswith("H99.X01-")
    assert [event["action"] for event in body["timeline"]] == ["submit"]
    assert Dossier.objects.get(code=body["code"]).applicant is None


def test_push_is_refused_for_another_agency_and_for_strangers(api):
    other = User.objects.create_user(
        "xa2", password="x-long-password-1", role=Role.RECEPTION, agency=Agency.objects.get(code="H99.X02")
    )
    assert api.post("/api/v1/dossiers/", PUSH, format="json", **token_for(other)).status_code == 403
    assert api.post("/api/v1/dossiers/", PUSH, format="json").status_code in (401, 403)
    bad = api.post(
        "/api/v1/dossiers/",
        {**PUSH, "applicant_id_number": "12"},
        format="json",
        **token_for(User.objects.get(username="tiepnhan")),
    )
    assert bad.status_code == 400 and "applicant_id_number" in bad.json()
    assert not Dossier.objects.exists()


def test_status_and_timeline_are_visible_only_to_those_concerned(api):
    officer = User.objects.get(username="tiepnhan")
    code = api.post("/api/v1/dossiers/", PUSH, format="json", **token_for(officer)).json()["code"]
    assert api.get(f"/api/v1/dossiers/{code}/", **token_for(officer)).json()["status_label"]
    stranger = User.objects.create_user("other", password="x-long-password-1", role=Role.CITIZEN)
    assert api.get(f"/api/v1/dossiers/{code}/", **token_for(stranger)).status_code == 404
    other = User.objects.create_user(
        "xa2", password="x-long-password-1", role=Role.PROCESSING, agency=Agency.objects.get(code="H99.X02")
    )
    assert api.get("/api/v1/dossiers/", **token_for(other)).json()["count"] == 0


def test_list_filters_and_paginates(api):
    officer = User.objects.get(username="tiepnhan")
    for _ in range(3):
        api.post("/api/v1/dossiers/", PUSH, format="json", **token_for(officer))
    body = api.get("/api/v1/dossiers/", {"status": 1, "agency": "H99.X01"}, **token_for(officer)).json()
    assert body["count"] == 3 and len(body["results"]) == 3
    assert api.get("/api/v1/dossiers/", {"status": 4}, **token_for(officer)).json()["count"] == 0
    assert api.get("/api/v1/dossiers/", {"status": "x"}, **token_for(officer)).status_code == 400

"""A dossier pushed through the API: a handful of queries, and an answer the same as reading it back."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

PUSH = {
    "procedure": "1.001193",
    "agency": "H99.X01",
    "applicant_name": "  Lê Thị Hoa ",
    "applicant_id_number": "079095001234",
    "applicant_email": "hoa@example.invalid",
    "form_data": {"noi_sinh": "Bệnh viện Từ Dũ"},
}


@pytest.fixture
def api(demo):
    client = APIClient()
    token = Token.objects.get_or_create(user=User.objects.get(username="tiepnhan"))[0]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_answer_to_a_push_is_the_dossier_as_read_back(api):
    pushed = api.post("/api/v1/dossiers/", PUSH, format="json")
    assert pushed.status_code == 201, pushed.content
    read = api.get(f"/api/v1/dossiers/{pushed.json()['code']}/")
    assert pushed.json() == read.json()
    assert pushed.json()["applicant_name"] == "Lê Thị Hoa" and pushed.json()["procedure"] == "1.001193"
    assert pushed.json()["timeline"][0]["actor"] == "Trần Thị Bình"


def test_a_push_takes_a_handful_of_queries_in_one_transaction(api):
    api.post("/api/v1/dossiers/", PUSH, format="json")  # warm: URL resolver, content types
    with CaptureQueriesContext(connection) as captured:
        assert api.post("/api/v1/dossiers/", PUSH, format="json").status_code == 201
    statements = [q["sql"] for q in captured.captured_queries]
    writes = [sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    # The token with its user and the user's agency (the agency pushed to), the procedure with its
    # case; in the transaction the day's number, the dossier and its event (and BEGIN/COMMIT,
    # engine-dependent). Nothing read back for the answer, no calendar, no files looked for.
    assert len(writes) == 3, writes
    reads = [sql for sql in statements if sql.startswith("SELECT")]
    assert len(reads) == 2, reads


def test_a_token_of_a_disabled_account_or_an_unknown_token_is_refused(api):
    # 403, not 401: DRF answers 401 only when its first scheme (here the session) names a challenge.
    User.objects.filter(username="tiepnhan").update(is_active=False)
    assert api.post("/api/v1/dossiers/", PUSH, format="json").status_code == 403
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert api.post("/api/v1/dossiers/", PUSH, format="json").status_code == 403
    assert not Dossier.objects.exists()


def test_an_administrator_pushes_to_any_open_agency(demo):
    admin = User.objects.filter(role="system_admin").first()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=admin)[0].key}")
    pushed = client.post("/api/v1/dossiers/", PUSH, format="json")
    assert pushed.status_code == 201, pushed.content
    assert Dossier.objects.get(code=pushed.json()["code"]).agency.code == "H99.X01"


def _batch(size):
    return [{**PUSH, "applicant_name": f"Lê Thị Hoa {i}"} for i in range(size)]


def test_a_batch_is_answered_in_order_with_consecutive_codes(api):
    pushed = api.post("/api/v1/dossiers/", _batch(3), format="json")
    assert pushed.status_code == 201, pushed.content
    answers = pushed.json()
    assert [a["applicant_name"] for a in answers] == [row["applicant_name"] for row in _batch(3)]
    numbers = [int(a["code"].rsplit("-", 1)[1]) for a in answers]
    assert numbers == [1, 2, 3]
    for answer in answers:
        assert api.get(f"/api/v1/dossiers/{answer['code']}/").json() == answer
    assert int(api.post("/api/v1/dossiers/", PUSH, format="json").json()["code"].rsplit("-", 1)[1]) == 4


def test_a_batch_is_all_or_nothing(api):
    bad = _batch(3)
    bad[2]["applicant_id_number"] = "12"
    response = api.post("/api/v1/dossiers/", bad, format="json")
    assert response.status_code == 400 and "applicant_id_number" in response.json()["2"]  # by position
    unknown = _batch(3)
    unknown[1]["procedure"] = "9.999999"
    assert api.post("/api/v1/dossiers/", unknown, format="json").status_code == 404
    elsewhere = _batch(2)
    elsewhere[1]["agency"] = "H99.X02"
    assert api.post("/api/v1/dossiers/", elsewhere, format="json").status_code == 403
    assert api.post("/api/v1/dossiers/", [], format="json").status_code == 400
    assert api.post("/api/v1/dossiers/", _batch(101), format="json").status_code == 400
    assert not Dossier.objects.exists()


def test_a_batch_takes_the_same_few_queries_whatever_its_size(api):
    api.post("/api/v1/dossiers/", _batch(2), format="json")
    counted = []
    for size in (2, 20):  # SQLite takes 999 parameters a statement: 24 dossiers an INSERT at most
        with CaptureQueriesContext(connection) as captured:
            assert api.post("/api/v1/dossiers/", _batch(size), format="json").status_code == 201
        counted.append(len(captured.captured_queries))
    assert counted[0] == counted[1], counted
    assert Dossier.objects.count() == 2 + 2 + 20


def test_a_push_to_a_closed_unit_is_refused(api):
    from motcua.accounts.models import Agency

    Agency.objects.filter(code="H99.X01").update(valid_from=None, valid_to=datetime.date(2020, 1, 1))
    assert api.post("/api/v1/dossiers/", PUSH, format="json").status_code == 404
    assert not Dossier.objects.exists()


def test_a_procedure_the_catalogue_lists_no_case_for_is_filed_under_its_blank_case(api):
    from motcua.catalogue.models import Procedure, ProcedureCase

    procedure = Procedure.objects.get(code=PUSH["procedure"])
    first = procedure.cases.first()
    pushed = api.post("/api/v1/dossiers/", PUSH, format="json")
    assert Dossier.objects.get(code=pushed.json()["code"]).case == first  # the first current case
    ProcedureCase.objects.filter(procedure=procedure).update(
        retired_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    pushed = api.post("/api/v1/dossiers/", PUSH, format="json")
    assert pushed.status_code == 201, pushed.content
    case = Dossier.objects.get(code=pushed.json()["code"]).case
    assert case.procedure == procedure and case.key == "" and case.retired_at is None

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "src/motcua/api/openapi.yaml"


def test_list_is_paginated_and_filtered(client, demo):
    body = client.get("/api/v1/procedures/", {"level": "commune"}).json()
    assert body["count"] >= 5 and len(body["results"]) <= 20
    assert all("commune" in item["levels"] for item in body["results"])
    assert {"code", "name", "i18n", "field", "online_level"} <= set(body["results"][0])


def test_detail_has_structured_documents_fees_and_time(client, demo):
    body = client.get("/api/v1/procedures/1.001193/").json()
    assert body["name"] == "Đăng ký khai sinh"
    channel = body["channels"][0]
    assert channel["time_value"] is not None and channel["time_unit"]
    document = body["cases"][0]["documents"][0]
    assert document["originals"] + document["copies"] >= 1
    assert body["legal_basis"]


def test_unknown_code_is_404(client, demo):
    assert client.get("/api/v1/procedures/0.000000/").status_code == 404


def test_search_ranks_and_requires_a_query(client, demo):
    body = client.get("/api/v1/procedures/search/", {"q": "dang ky khai sinh"}).json()
    assert body["results"][0]["code"] == "1.001193"
    response = client.get("/api/v1/procedures/search/")
    assert response.status_code == 400 and "q" in response.json()


def test_fields_list_counts_procedures(client, demo):
    fields = {f["code"]: f for f in client.get("/api/v1/fields/").json()}
    assert fields["ho-tich"]["procedures"] >= 3


def test_api_is_read_only(client, demo):
    assert client.post("/api/v1/procedures/", {"code": "x"}).status_code == 405


def test_committed_openapi_schema_matches_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "en", "--file", str(generated), "--validate")
    assert yaml.safe_load(generated.read_text()) == yaml.safe_load(SCHEMA_FILE.read_text()), (
        "The API changed: run `make openapi` and commit src/motcua/api/openapi.yaml"
    )

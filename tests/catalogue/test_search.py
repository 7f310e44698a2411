import pytest

from motcua.catalogue import search
from motcua.catalogue.models import Procedure, Source
from motcua.catalogue.services import find, save_procedure

from .sample import procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    save_procedure(procedure(code="9.000001", name="Đăng ký khai sinh"), source=Source.LOCAL)
    save_procedure(
        procedure(code="9.000002", name="Đăng ký kết hôn", i18n={"en": {"name": "Marriage registration"}}),
        source=Source.LOCAL,
    )
    save_procedure(
        procedure(code="9.000003", name="Cấp bản sao trích lục khai sinh, kết hôn", cases=[]),
        source=Source.LOCAL,
    )
    search.rebuild()


def codes(text):
    return [hit.code for hit in search.search(text)]


def test_with_and_without_diacritics_find_the_same_first(catalogue):
    assert codes("đăng ký khai sinh")[0] == "9.000001"
    assert codes("dang ky khai sinh")[0] == "9.000001"
    assert codes("DANG KY KET HON")[0] == "9.000002"


def test_translated_names_are_searchable(catalogue):
    assert codes("marriage registration")[0] == "9.000002"


def test_no_match_and_empty_query(catalogue):
    assert codes("xyzzy") == []
    assert codes("   ") == []


def test_update_and_delete_reach_the_index(catalogue):
    Procedure.objects.filter(code="9.000001").delete()
    save_procedure(procedure(code="9.000004", name="Đăng ký khai tử"), source=Source.LOCAL)
    search.update(["9.000001", "9.000004"])
    assert "9.000001" not in codes("khai sinh")
    assert codes("dang ky khai tu")[0] == "9.000004"
    assert search.count() == 3


def test_rebuild_is_idempotent(catalogue):
    assert search.rebuild() == search.rebuild() == search.count() == 3


def test_find_combines_ranking_and_filters(catalogue):
    save_procedure(
        procedure(code="9.000005", name="Đăng ký khai sinh có yếu tố nước ngoài", levels=["province"]),
        source=Source.LOCAL,
    )
    search.update(["9.000005"])
    assert [p.code for p in find("khai sinh")][:2] == ["9.000001", "9.000005"]
    assert [p.code for p in find("khai sinh", level="province")] == ["9.000005"]


def test_demo_catalogue_answers_colloquial_queries(demo):
    for text in ("đăng ký khai sinh", "dang ky khai sinh", "làm giấy khai sinh cho con"):
        assert find(text)[0].name == "Đăng ký khai sinh", text

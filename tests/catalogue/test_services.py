import pytest

from motcua.catalogue.models import Fee, Procedure, RequiredDocument, Source
from motcua.catalogue.services import field_for, find, save_procedure

from .sample import procedure

pytestmark = pytest.mark.django_db


def test_save_builds_the_structured_procedure():
    saved, created = save_procedure(procedure(), source=Source.LOCAL, field=field_for("Hộ tịch"))
    assert created
    assert saved.level_list == ["commune"]
    counter = saved.channels.get(channel="counter")
    assert (counter.time_value, counter.time_unit) == (1, "working_days")
    assert list(counter.fees.values_list("amount", flat=True)) == [8000]
    docs = RequiredDocument.objects.filter(case__procedure=saved)
    assert [(d.name, d.originals, d.copies) for d in docs] == [("Tờ khai", 1, 0), ("Giấy chứng sinh", 1, 1)]
    assert saved.field.code == "ho-tich"


def test_saving_again_replaces_instead_of_duplicating():
    save_procedure(procedure(), source=Source.LOCAL)
    changed = procedure(
        name="Tên mới", cases=[{"name": "", "documents": [{"name": "Một giấy", "originals": 1}]}]
    )
    saved, created = save_procedure(changed, source=Source.LOCAL)
    assert not created
    assert Procedure.objects.count() == 1 and saved.name == "Tên mới"
    assert RequiredDocument.objects.count() == 1
    assert Fee.objects.count() == 1


def test_level_filter_is_exact():
    save_procedure(procedure(code="9.000002", levels=["province", "commune"]), source=Source.LOCAL)
    save_procedure(procedure(code="9.000003", levels=["ministry"]), source=Source.LOCAL)
    assert set(Procedure.objects.at_level("commune").values_list("code", flat=True)) == {"9.000002"}
    assert set(find(level="ministry").values_list("code", flat=True)) == {"9.000003"}


def test_translated_fields_fall_back_to_vietnamese():
    saved, _ = save_procedure(procedure(i18n={"en": {"name": "Birth"}}), source=Source.LOCAL)
    assert saved.tr("name", "en") == "Birth"
    assert saved.tr("name", "ar") == saved.name and saved.tr_language("name", "ar") == "vi"

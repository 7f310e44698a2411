"""A time limit reads with the plural form its count needs, in every language."""

from decimal import Decimal

import pytest
from django.utils import translation

from motcua.catalogue.models import ChannelOption, ProcedureCase, TimeUnit


@pytest.mark.parametrize(
    ("language", "value", "unit", "expected"),
    [
        ("en", "1", TimeUnit.WORKING_DAYS, "1 working day"),
        ("en", "15", TimeUnit.WORKING_DAYS, "15 working days"),
        ("en", "0.5", TimeUnit.DAYS, "0.5 days"),
        ("en", "1", TimeUnit.HOURS, "1 hour"),
        ("vi", "1", TimeUnit.WORKING_DAYS, "1 ngày làm việc"),
        ("ar", "3", TimeUnit.DAYS, "3 أيام"),
    ],
)
def test_time_limit_plural(language, value, unit, expected):
    option = ChannelOption(time_value=Decimal(value), time_unit=unit)
    with translation.override(language):
        assert option.time_display == expected


def test_a_published_text_is_shown_as_published_without_a_value():
    assert ChannelOption(time_text="Trong ngày").time_display == "Trong ngày"


def test_a_case_reads_its_time_limit_the_same_way():
    case = ProcedureCase(time_value=Decimal("1"), time_unit=TimeUnit.WORKING_DAYS)
    with translation.override("en"):
        assert case.time_display == "1 working day"
    assert ProcedureCase().time_display == ""


@pytest.mark.django_db
def test_the_procedure_page_counts_in_the_right_plural(client, demo):
    from motcua.catalogue.models import Procedure

    procedure = Procedure.objects.filter(cases__time_value=1).first() or Procedure.objects.first()
    case = procedure.cases.first()
    ProcedureCase.objects.filter(pk=case.pk).update(time_value=Decimal("1"), time_unit=TimeUnit.WORKING_DAYS)
    page = client.get(f"/en/thu-tuc/{procedure.code}/").content.decode()
    assert "1 working day" in page and "1 working days" not in page


@pytest.mark.django_db
def test_an_arabic_page_keeps_a_decision_number_in_its_own_direction(client, demo):
    from motcua.catalogue.models import Procedure

    procedure = Procedure.objects.exclude(publication_decision="").first()
    page = client.get(f"/ar/thu-tuc/{procedure.code}/").content.decode()
    assert f'<bdi class="code">{procedure.publication_decision}</bdi>' in page

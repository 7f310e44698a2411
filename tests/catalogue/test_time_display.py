"""A time limit reads with the plural form its count needs, in every language."""

from decimal import Decimal

import pytest
from django.utils import translation

from motcua.catalogue.models import ChannelOption, TimeUnit


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

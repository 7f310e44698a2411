from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def tr(obj, field: str) -> str:
    """The field in the reader's language when translated, else the Vietnamese original."""
    return obj.tr(field)


@register.filter
def tr_lang(obj, field: str) -> str:
    return obj.tr_language(field)


@register.filter
def money(amount, currency: str = "VND") -> str:
    if amount is None:
        return ""
    grouped = f"{Decimal(amount):,.0f}".replace(",", ".")
    unit = _("VND") if currency == "VND" else currency
    return f"{grouped} {unit}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key)

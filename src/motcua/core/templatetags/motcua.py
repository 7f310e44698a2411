import re
from decimal import Decimal

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
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


# Codes that must read left to right inside Arabic text: document numbers ("163/QĐ-BTP",
# "60/2014/QH13"), procedure and dossier codes ("1.001193", "H23.1-260115-0001"), amounts, dates.
_CODE = re.compile(r"\b\d[\w.\-]*(?:/[\w.\-]+)+|\b[A-Z]?\d+(?:[.\-]\w+)+\b|\b\d{1,3}(?:\.\d{3})+\b")


@register.filter(needs_autoescape=True)
def ltr_codes(text, autoescape=True):
    """`text` escaped, its codes isolated left to right (<bdi dir="ltr">) so that a right-to-left
    page does not reorder "163/QĐ-BTP" into "BTP-QĐ/163"."""
    text = escape(text) if autoescape else str(text)
    return mark_safe(_CODE.sub(lambda m: f'<bdi dir="ltr">{m.group()}</bdi>', text))

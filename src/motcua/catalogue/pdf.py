"""Blank application forms rendered as PDF (WeasyPrint shapes Vietnamese and Arabic text)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from motcua.core.pdf import html_to_pdf

from .models import FormTemplate


def blank_form_pdf(form: FormTemplate) -> bytes:
    # Official forms are filled in Vietnamese, whatever language the portal is shown in.
    with translation.override("vi"):
        html = render_to_string("catalogue/form_pdf.html", {"form": form})
    return html_to_pdf(html)

"""A generated result document (used when the officer has no file of their own): a PDF that names the
dossier and carries a QR code to its public verification page."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from motcua.core import qr
from motcua.core.pdf import html_to_pdf

from .links import verify_url


def render_result(dossier, *, official) -> bytes:
    url = verify_url(dossier)
    with translation.override("vi"):
        html = render_to_string(
            "dossiers/result_pdf.html",
            {
                "dossier": dossier,
                "official": official,
                "verify_url": url,
                "issued": timezone.localtime(),
                "qr": qr.svg(url, scale=3, svgns=True),
            },
        )
    return html_to_pdf(html)

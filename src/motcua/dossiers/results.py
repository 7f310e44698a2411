"""A generated result document (used when the officer has no file of their own): a PDF that names the
dossier and carries a QR code to its public verification page."""

from __future__ import annotations

import io

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation


def render_result(dossier, *, official) -> bytes:
    from weasyprint import HTML

    from .services import verify_url

    url = verify_url(dossier)
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=3, xmldecl=False, svgns=True)
    with translation.override("vi"):
        html = render_to_string(
            "dossiers/result_pdf.html",
            {
                "dossier": dossier,
                "official": official,
                "verify_url": url,
                "issued": timezone.localtime(),
                "qr": buffer.getvalue().decode(),
            },
        )
    return HTML(string=html).write_pdf()

"""HTML to PDF through WeasyPrint (which shapes Vietnamese and Arabic text), imported only when used."""

from __future__ import annotations


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of an HTML page. `base_url` resolves its relative links (stylesheets, images)."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    return HTML(string=html, base_url=base_url).write_pdf()

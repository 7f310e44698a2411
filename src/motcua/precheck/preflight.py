"""Step 1, preflight: what each file really is (from its bytes, never its name), its size, page count
and page sizes, and whether its structure is sane, all without decoding it (decoding happens in the
reading process, see sandbox.py); then the dossier's page budget. Every problem becomes an
`invalid_file` finding; nothing here raises on bad input."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from motcua.core.files import DOCX, JPEG, PDF, PNG, sniff

from .findings import INVALID, Finding

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 60
MAX_PIXELS = 40_000_000  # a 300 DPI A3 scan is ~17 Mpx; more is a decompression bomb or a mistake
MAX_DOCX_UNPACKED = 50 * 1024 * 1024
MAX_DOCX_RATIO = 100  # unpacked / packed: ordinary documents compress 2-20 times
MAX_DOCX_ENTRIES = 1000  # parts in the archive: a document with many images has a few hundred
MAX_DOCX_XML = 20 * 1024 * 1024  # one XML part: a 300-page text is ~10 MB; parsing costs ~12x in memory
MAX_PAGE_SIDE_PT = 5000 / 25.4 * 72  # 5 m: longer than any drawing or map roll; PDF allows 5.08 m
MIN_PAGE_SIDE_PT = 10 / 25.4 * 72  # 1 cm: narrower than any receipt


@dataclass
class Inspected:
    name: str
    data: bytes
    content_type: str | None = None
    pages: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def inspect(name: str, data: bytes) -> Inspected:
    item = Inspected(name=name, data=data)

    def invalid(detail: str) -> Inspected:
        item.findings.append(Finding(INVALID, None, file=name, detail=detail, confidence=1.0))
        return item

    if not data:
        return invalid(_("The file is empty."))
    if len(data) > MAX_BYTES:
        return invalid(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 1024 // 1024})
    item.content_type = sniff(data[:16], io.BytesIO(data))
    if item.content_type is None:
        return invalid(_("The file is not a PDF, JPEG, PNG or DOCX document, whatever its name says."))
    try:
        if item.content_type == PDF:
            problem = _pdf(item)
        elif item.content_type in (JPEG, PNG):
            problem = _image(item)
        else:
            problem = _docx(item)
    except Exception:  # any parser failure on hostile or broken input is a finding, not a crash
        problem = _("The file is damaged and cannot be opened.")
    return invalid(problem) if problem else item


def _pdf(item: Inspected) -> str | None:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(item.data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            return _("The PDF is protected by a password.")
        return _("The PDF is damaged and cannot be opened.")
    try:
        item.pages = len(document)
        if item.pages == 0:
            return _("The PDF has no pages.")
        if item.pages > MAX_PAGES:
            return _("The PDF has %(pages)d pages; at most %(max)d are checked.") % {
                "pages": item.pages,
                "max": MAX_PAGES,
            }
        for index in range(item.pages):
            # The page box only (no content is parsed): pages are rendered by size, so an absurd
            # one is refused here and every other one is rendered within a fixed number of pixels.
            width, height = document.get_page_size(index)
            if not all(MIN_PAGE_SIDE_PT <= side <= MAX_PAGE_SIDE_PT for side in (width, height)):
                return _("Page %(page)d measures %(w)d × %(h)d cm: it cannot be a page of a document.") % {
                    "page": index + 1,
                    "w": round(width / 72 * 2.54),
                    "h": round(height / 72 * 2.54),
                }
    finally:
        document.close()
    return None


def _image(item: Inspected) -> str | None:
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(item.data))  # reads the header only; decoding is the reader's
    except Image.DecompressionBombError:
        return _("The image is too large to decode: refused as a decompression bomb.")
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            return _("The image is %(w)d × %(h)d pixels: too large to be a scan of a document.") % {
                "w": width,
                "h": height,
            }
        if width < 100 or height < 100:
            return _("The image is too small to be a scan of a document.")
    if item.content_type == JPEG and not item.data.rstrip(b"\0").endswith(b"\xff\xd9"):
        return _("The image is cut short (incomplete upload or damaged file).")
    item.pages = 1
    return None


def _docx(item: Inspected) -> str | None:
    """Sizes as the archive declares them: Python's zipfile never inflates an entry past its declared
    size (a lie ends in a CRC error), so these bound what the reader may unpack."""
    with zipfile.ZipFile(io.BytesIO(item.data)) as archive:
        entries = archive.infolist()
    if len(entries) > MAX_DOCX_ENTRIES:
        return _("The document holds %(n)d parts: refused as a decompression bomb.") % {"n": len(entries)}
    unpacked = sum(info.file_size for info in entries)
    if unpacked > MAX_DOCX_UNPACKED or unpacked > MAX_DOCX_RATIO * len(item.data):
        return _("The document unpacks to %(mb)d MB: refused as a decompression bomb.") % {
            "mb": unpacked // 1024 // 1024
        }
    largest = max((info.file_size for info in entries if info.filename.endswith(".xml")), default=0)
    if largest > MAX_DOCX_XML:
        return _("The document's text takes %(mb)d MB: too large to be checked.") % {
            "mb": largest // 1024 // 1024
        }
    item.pages = 1
    return None


def limit_pages(items: list[Inspected], max_pages: int) -> None:
    """The dossier's page budget: a file that would take the dossier past `max_pages` pages in all is
    not read (a finding says so); smaller files after it still are."""
    used = 0
    for item in items:
        if not item.ok:
            continue
        if used + item.pages > max_pages:
            detail = _(
                "Not checked: the dossier's other files already have %(used)d pages, and at most %(max)d "
                "pages are checked in all."
            ) % {"used": used, "max": max_pages}
            item.findings.append(Finding(INVALID, None, file=item.name, detail=detail, confidence=1.0))
            continue
        used += item.pages


__all__ = ["DOCX", "JPEG", "PDF", "PNG", "Inspected", "inspect", "limit_pages"]

"""Step 1, preflight: what each file really is (from its bytes, never its name), its size and page
count, and whether it can be opened at all. Every problem becomes an `invalid_file` finding; nothing
here raises on bad input."""

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
    finally:
        document.close()
    if item.pages == 0:
        return _("The PDF has no pages.")
    if item.pages > MAX_PAGES:
        return _("The PDF has %(pages)d pages; at most %(max)d are checked.") % {
            "pages": item.pages,
            "max": MAX_PAGES,
        }
    return None


def _image(item: Inspected) -> str | None:
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(item.data))  # reads the header only
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
        image.load()  # decodes fully: a corrupted image fails here
    if item.content_type == JPEG and not item.data.rstrip(b"\0").endswith(b"\xff\xd9"):
        return _("The image is cut short (incomplete upload or damaged file).")
    item.pages = 1
    return None


def _docx(item: Inspected) -> str | None:
    with zipfile.ZipFile(io.BytesIO(item.data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_DOCX_UNPACKED or unpacked > MAX_DOCX_RATIO * len(item.data):
        return _("The document unpacks to %(mb)d MB: refused as a decompression bomb.") % {
            "mb": unpacked // 1024 // 1024
        }
    import docx

    docx.Document(io.BytesIO(item.data))
    item.pages = 1
    return None


__all__ = ["DOCX", "JPEG", "PDF", "PNG", "Inspected", "inspect"]

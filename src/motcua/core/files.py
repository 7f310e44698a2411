"""Upload validation: the real file type from its first bytes (never the name), size, and checksum."""

from __future__ import annotations

import hashlib
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua import conf

PDF, JPEG, PNG, DOCX = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
)
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx"}
OTHER_EXTENSIONS = {JPEG: {".jpeg", ".jpe"}}
MAX_PDF_OBJECTS = 100_000  # objects a PDF may have for the script check; a scan has a few per page


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def sniff(head: bytes, upload) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None


def check_upload(upload) -> CheckedFile:
    """Validate an uploaded file; raise ValidationError with a message the citizen can act on."""
    limit = conf.value("MOTCUA_MAX_UPLOAD_MB") * 1024 * 1024
    name = getattr(upload, "name", "") or "file"
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)d MB.")
            % {"name": name, "limit": conf.value("MOTCUA_MAX_UPLOAD_MB")}
        )
    upload.seek(0)
    head = upload.read(16)
    content_type = sniff(head, upload)
    if content_type is None:
        raise ValidationError(_("%(name)s is not a PDF, JPEG, PNG or DOCX file.") % {"name": name})
    if content_type == PDF and _pdf_scripts(upload, name):
        raise ValidationError(
            _(
                "%(name)s contains JavaScript, which is not accepted in a dossier. Save it again as a "
                "plain PDF (for example with Print, then Save as PDF) and upload that copy."
            )
            % {"name": name}
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        name=shown_name(name, content_type),
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
    )


def shown_name(name: str, content_type: str) -> str:
    """The client's name, with the extension of what the file really is added when it says otherwise
    (`scan.html` holding a PDF is shown as `scan.html.pdf`)."""
    extension = EXTENSIONS[content_type]
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix != extension and suffix not in OTHER_EXTENSIONS.get(content_type, ()):
        name = name[: 255 - len(extension)] + extension
    return name[:255]


def stored_name(checked: CheckedFile) -> str:
    """The name a file is stored under: chosen here, never the client's (only its display name is)."""
    return uuid.uuid4().hex + EXTENSIONS[checked.content_type]


def _pdf_scripts(upload, name: str) -> bool:
    """Whether a PDF carries JavaScript where a viewer could run it: a /JS entry, a /JavaScript action or
    name tree. Two looks: the file's bytes outside stream data (names written with #xx escapes
    decoded), and, when pypdf can read its structure, every object reachable from the catalogue
    (inside object streams too).
    Content streams are never decoded; a structure too large to walk is refused."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    upload.seek(0)
    try:
        outside_streams = STREAM_DATA.sub(b"", upload.read())  # image bytes may spell "/JS" by chance
        if any(_unescaped(n) in SCRIPT_NAMES for n in PDF_NAME.findall(outside_streams)):
            return True
        upload.seek(0)
        try:
            reader = PdfReader(upload, strict=False)
            stack, seen = [reader.trailer["/Root"]], set()
        except (PyPdfError, ValueError, KeyError, TypeError):
            return False  # not walkable: the byte scan above is all there is (the pre-check reads it)
        while stack:
            item: Any = stack.pop()
            if isinstance(item, IndirectObject):
                if item.idnum in seen:
                    continue
                seen.add(item.idnum)
                if len(seen) > MAX_PDF_OBJECTS:
                    raise ValidationError(_("%(name)s has too many parts to be checked.") % {"name": name})
                try:
                    item = item.get_object()
                except (PyPdfError, ValueError, KeyError, TypeError):
                    continue
            if isinstance(item, DictionaryObject):
                if "/JS" in item or "/JavaScript" in item or item.get("/S") == "/JavaScript":
                    return True
                stack.extend(item.values())
            elif isinstance(item, ArrayObject):
                stack.extend(item)
        return False
    finally:
        upload.seek(0)


PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
STREAM_DATA = re.compile(rb"\bstream\r?\n.*?\bendstream\b", re.S)
SCRIPT_NAMES = {b"JS", b"JavaScript"}


def _unescaped(name: bytes) -> bytes:
    return (
        re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name) if b"#" in name else name
    )

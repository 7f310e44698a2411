"""Upload validation: the real file type from its first bytes (never the name), size, and checksum."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

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
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        name=name[:255], content_type=content_type, size=upload.size, sha256=digest.hexdigest()
    )

"""Upload checks of core.files: PDFs carrying JavaScript are refused wherever the script hides, and files
are stored under names chosen here, shown with the extension of what they really are."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject, TextStringObject

from motcua.core.files import JPEG, PDF, check_upload, shown_name, stored_name
from tests.dossiers.conftest import PDF as MINIMAL_PDF


def written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def clean_pdf() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def upload(data: bytes, name="giay-to.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def javascript_action(script="app.alert(1)") -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)}
    )


def test_a_plain_pdf_is_accepted():
    assert check_upload(upload(written(clean_pdf()))).content_type == PDF
    assert check_upload(upload(MINIMAL_PDF)).content_type == PDF  # no cross-reference table: still read


def test_a_document_level_script_is_refused():
    writer = clean_pdf()
    writer.add_open_action(JavaScript("app.alert('hello');"))
    with pytest.raises(ValidationError, match="JavaScript"):
        check_upload(upload(written(writer)))


def test_an_open_action_script_is_refused():
    writer = clean_pdf()
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(javascript_action())
    with pytest.raises(ValidationError, match="JavaScript"):
        check_upload(upload(written(writer)))


def test_a_script_on_a_page_annotation_is_refused():
    writer = clean_pdf()
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/A"): javascript_action(),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    with pytest.raises(ValidationError, match="JavaScript"):
        check_upload(upload(written(writer)))


def test_a_script_behind_an_escaped_name_is_refused():
    # /J#53 is the name /JS written with a hex escape, a common way to slip past byte scanners.
    data = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>endobj "
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj "
        b"4 0 obj<</S/Java#53cript/J#53(app.alert(1))>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    with pytest.raises(ValidationError, match="JavaScript"):
        check_upload(upload(data))


def test_a_pdf_that_cannot_be_walked_is_still_scanned():
    broken = b"%PDF-1.4\n" + b"\x00garbage" * 100
    assert check_upload(upload(broken)).content_type == PDF  # unreadable: the pre-check says so later
    with pytest.raises(ValidationError, match="JavaScript"):
        check_upload(upload(broken + b"<</S/JavaScript/JS(app.alert(1))>>"))


def test_the_shown_name_says_what_the_file_really_is():
    assert shown_name("scan.html", PDF) == "scan.html.pdf"
    assert shown_name("giay-to.PDF", PDF) == "giay-to.PDF"
    assert shown_name("anh.jpeg", JPEG) == "anh.jpeg"
    assert shown_name("x" * 300, PDF).endswith(".pdf") and len(shown_name("x" * 300, PDF)) == 255
    assert check_upload(upload(written(clean_pdf()), name="trang.exe")).name == "trang.exe.pdf"


def test_files_are_stored_under_a_name_chosen_here():
    checked = check_upload(upload(written(clean_pdf()), name="../../etc/evil.html"))
    first, second = stored_name(checked), stored_name(checked)
    assert first.endswith(".pdf") and first != second
    assert "evil" not in first and "/" not in first and ".." not in first


def with_object_stream(action: bytes) -> bytes:
    """A PDF 1.5 whose object 4 (the catalogue's open action) sits compressed in an object stream,
    found through a cross-reference stream: its bytes never appear in the file as written."""
    inner = b"4 0 " + action
    packed = zlib.compress(inner)
    head = b"%PDF-1.5\n"
    objects = [
        b"1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>endobj\n",
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n",
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n",
        b"5 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(packed)
        + packed
        + b"\nendstream endobj\n",
    ]
    offsets, body = [], head
    for obj in objects:
        offsets.append(len(body))
        body += obj
    xref_at = len(body)
    rows = [(0, 0, 65535), (1, offsets[0], 0), (1, offsets[1], 0), (1, offsets[2], 0), (2, 5, 0)]
    rows += [(1, offsets[3], 0), (1, xref_at, 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    xref = (
        b"6 0 obj<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length %d>>stream\n" % len(table)
        + table
        + b"\nendstream endobj\n"
    )
    return body + xref + b"startxref\n%d\n%%%%EOF\n" % xref_at


def test_a_script_inside_a_compressed_object_stream_is_refused():
    harmless = with_object_stream(b"<</S/GoTo/D[3 0 R/Fit]>>")
    assert check_upload(upload(harmless)).content_type == PDF
    hidden = with_object_stream(b"<</S/JavaScript/JS(app.alert(1))>>")
    assert b"JavaScript" not in hidden
    with pytest.raises(ValidationError, match="JavaScript"):
        check_upload(upload(hidden))


def test_stream_bytes_that_happen_to_spell_a_script_name_are_not_a_script():
    # A scan's compressed image data is arbitrary bytes: "/JS " turns up in about 4% of 10 MB scans.
    writer = clean_pdf()
    image = StreamObject()
    image.set_data(b"\x00\x13/JS (x) /JavaScript\x7f" * 50)
    writer.pages[0][NameObject("/Thumb")] = writer._add_object(image)
    data = written(writer)
    assert b"/JS (x)" in data
    assert check_upload(upload(data)).content_type == PDF

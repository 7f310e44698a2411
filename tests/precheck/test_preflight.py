"""Preflight: every broken or hostile file becomes an invalid_file finding, never an exception."""

import io
import struct
import zipfile
import zlib

import pytest
from django.utils import translation
from pypdf import PdfReader, PdfWriter

from motcua.precheck.preflight import DOCX, JPEG, PDF, inspect

from .conftest import declaration


@pytest.fixture(autouse=True)
def english():
    """The details are asserted on their English wording (Vietnamese is the default language)."""
    with translation.override("en"):
        yield


def invalid(item):
    assert [f.kind for f in item.findings] == ["invalid_file"], item.findings
    assert item.findings[0].file == item.name
    return item.findings[0].detail


def test_a_real_pdf_passes_with_its_page_count():
    item = inspect("to-khai.pdf", declaration())
    assert item.ok and item.content_type == PDF and item.pages == 2


def test_the_type_comes_from_the_bytes_not_the_name():
    item = inspect("anh.pdf", _jpeg())
    assert item.ok and item.content_type == JPEG
    assert "PDF" in invalid(inspect("to-khai.pdf", b"MZ\x90\x00 an executable, renamed"))


def test_empty_truncated_and_encrypted_files():
    assert invalid(inspect("trong.pdf", b""))
    pdf = declaration()
    assert invalid(inspect("cat.pdf", pdf[: len(pdf) // 3]))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password="bi-mat")
    locked = io.BytesIO()
    writer.write(locked)
    assert "password" in invalid(inspect("khoa.pdf", locked.getvalue())).lower()


def test_a_truncated_jpeg_is_damaged():
    data = _jpeg()
    invalid(inspect("anh.jpg", data[: len(data) // 2]))


def test_a_decompression_bomb_image_is_refused_without_decoding_it():
    # A valid PNG header claiming 30,000 x 30,000 pixels: 900 Mpx from a few hundred bytes.
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0))
    bomb = b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")
    invalid(inspect("bom.png", bomb))


def test_a_docx_bomb_is_refused_and_a_real_docx_passes():
    import docx

    document = docx.Document()
    document.add_paragraph("Giấy đề nghị đăng ký hộ kinh doanh")
    real = io.BytesIO()
    document.save(real)
    assert inspect("de-nghi.docx", real.getvalue()).content_type == DOCX
    bomb = io.BytesIO()
    with zipfile.ZipFile(real) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/media/huge.bin", b"\0" * (60 * 1024 * 1024))
    assert "bomb" in invalid(inspect("bom.docx", bomb.getvalue()))


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7\n garbage", b"PK\x03\x04 broken zip", b"\xff\xd8\xff\xe0 broken"]
)
def test_garbage_behind_a_valid_signature_never_raises(data):
    invalid(inspect("x", data))


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(out, "JPEG")
    return out.getvalue()

"""Hostile files cost a bounded amount: refused before decoding when their structure says so, else read
in a child process with memory and time limits; a file that overruns them gets an invalid_file finding
and the other files of the dossier are still read. Real files, real pdfium, Pillow and Tesseract."""

import io
import random
import struct
import time
import zipfile
import zlib

import pytest
from django.utils import translation
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from motcua.precheck import pipeline, preflight, sandbox
from motcua.precheck.reader import RENDER_DPI, render_scale
from motcua.precheck.sandbox import Limits

from .conftest import declaration, identity_card, scan

MB = 1024  # kB
PEAK_BOUND = 600 * MB  # what a reading process may reach (its own and its Tesseracts' resident memory)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def pdf(pages, strokes=0) -> bytes:
    """A PDF of blank pages of the given sizes in points, each crossed by `strokes` lines."""
    writer = PdfWriter()
    for width, height in pages:
        page = writer.add_blank_page(width=width, height=height)
        if strokes:
            body = b"".join(
                b"%d %d m %d %d l S\n" % (i % width, (i * 7) % height, (i * 13) % width, (i * 3) % height)
                for i in range(strokes)
            )
            stream = DecodedStreamObject()
            stream.set_data(b"8 w\n" + body)
            page[NameObject("/Contents")] = writer._add_object(stream.flate_encode(level=9))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def checked(files, **options):
    started = time.monotonic()
    result = pipeline.run([], {}, files, **options)
    return result, time.monotonic() - started


def invalid(result, name):
    details = [f.detail for f in result.findings if f.kind == "invalid_file" and f.file == name]
    assert len(details) == 1, result.findings
    return details[0]


def test_a_page_too_large_for_any_document_is_refused_before_rendering():
    # The probe's file: 14400 x 14400 pt (the PDF maximum, 5.08 m) rendered at 200 DPI was 1.6 GB a page.
    one, sixty = pdf([(14400, 14400)]), pdf([(14400, 14400)] * 60)
    assert len(sixty) < 10_000
    for name, data in (("one.pdf", one), ("sixty.pdf", sixty)):
        result, seconds = checked([(name, data)])
        assert "Page 1 measures 508 × 508 cm" in invalid(result, name)
        assert result.readings == [] and result.pages == 0  # nothing was rendered, no process started
        assert seconds < 2
    # A sliver (4.9 m by 1 pt) is no page either, and would not survive the OCR's resizing.
    assert "measures 494 × 0 cm" in invalid(checked([("soi.pdf", pdf([(14000, 1)]))])[0], "soi.pdf")


def test_a_large_page_is_rendered_at_the_ocr_resolution_not_at_200_dpi():
    # 4.9 m a side is allowed (a roll drawing); rendered at 200 DPI it would be 1.5 GB.
    assert render_scale(595, 842, 2300) == RENDER_DPI / 72  # A4 as before
    scale = render_scale(14000, 14000, 2300)
    assert 14000 * scale == pytest.approx(2300) and (14000 * scale) ** 2 < 6_000_000
    result, seconds = checked([("ban-ve.pdf", pdf([(14000, 14000)], strokes=20))])
    [reading] = result.readings
    assert reading.status == "ok" and reading.peak_kb < PEAK_BOUND, reading
    assert result.ocr_pages == 1 and seconds < 30
    assert [f.kind for f in result.findings] == ["unreadable"]  # read, found nothing


def test_sixty_blank_pages_cost_seconds_not_minutes():
    # 31 s in the web request for 30 such pages before; blank pages no longer reach Tesseract.
    result, seconds = checked([("trang.pdf", pdf([(595, 842)] * 60))])
    [reading] = result.readings
    assert reading.status == "ok" and reading.peak_kb < PEAK_BOUND
    assert result.pages == 60 and seconds < 20
    assert {f.kind for f in result.findings} == {"unreadable"}


def test_the_dossier_page_budget_covers_all_files_together():
    two = declaration()  # 2 pages with a text layer
    files = [("a.pdf", two), ("b.pdf", two), ("c.pdf", identity_card())]
    result, _ = checked(files, limits=Limits(max_pages=3))
    assert "at most 3 pages are checked in all" in invalid(result, "b.pdf")
    assert [(r.name, len(r.pages)) for r in result.readings] == [("a.pdf", 2), ("c.pdf", 1)]  # c still fits


def text_of(result, name) -> str:
    [reading] = [r for r in result.readings if r.name == name]
    assert reading.status == "ok", reading
    return "\n".join(page["text"] for page in reading.pages)


def png(width, height, compressed_rows=200) -> bytes:
    """A valid grayscale PNG header with the given size and a few rows of deflated white."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    deflate = zlib.compressobj(9)
    rows = (
        b"".join(deflate.compress(b"\0" + b"\xff" * width) for _ in range(compressed_rows)) + deflate.flush()
    )
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def test_a_png_decompression_bomb_is_refused_without_decoding_it():
    bomb = png(50000, 50000)  # 2.5 Gpx, 2.5 GB decoded, from a few kB
    assert len(bomb) < 20_000
    result, seconds = checked([("bom.png", bomb)])
    assert "decompression bomb" in invalid(result, "bom.png")
    assert result.readings == [] and seconds < 1
    # Just over the 40 Mpx cap: refused on its header too.
    result, _ = checked([("lon.png", png(7000, 6000))])
    assert "7000 × 6000 pixels" in invalid(result, "lon.png")


def big_image() -> bytes:
    """36 Mpx (under the 40 Mpx cap), 6000 x 6000 RGB: 108 MB decoded, 100 kB as a PNG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (6000, 6000), "white")
    ImageDraw.Draw(image).line((0, 0, 6000, 6000), fill="black", width=40)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_large_image_is_decoded_in_the_reading_process_within_its_bound():
    result, seconds = checked([("anh.png", big_image())])
    [reading] = result.readings
    assert reading.status == "ok" and reading.peak_kb < PEAK_BOUND, reading
    assert seconds < 30


def test_a_file_over_the_memory_limit_is_reported_and_the_other_files_are_still_read():
    # 420 MB of address space: enough for Python, OpenCV and an ordinary scan (they need ~310 MB,
    # measured), not for decoding 36 Mpx as well (~525 MB). The card is read under the same limit.
    card = scan(identity_card(), angle=3.0)
    files = [("anh.png", big_image()), ("can-cuoc.jpg", card), ("to-khai.pdf", declaration())]
    result, seconds = checked(files, limits=Limits(memory_mb=420))
    statuses = {r.name: r.status for r in result.readings}
    assert statuses == {"anh.png": "memory", "can-cuoc.jpg": "ok", "to-khai.pdf": "ok"}
    assert "memory limit (420 MB)" in invalid(result, "anh.png")
    assert [f.file for f in result.findings if f.kind == "invalid_file"] == ["anh.png"]
    assert "CĂN CƯỚC" in text_of(result, "can-cuoc.jpg")
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text_of(result, "to-khai.pdf")
    assert seconds < 30


def test_a_page_built_to_render_forever_is_stopped_on_time_and_the_others_are_read():
    # 200,000 strokes in 1 MB: about 18 s to render on this machine; stopped after 2.
    slow = pdf([(595, 842)], strokes=200_000)
    files = [("cham.pdf", slow), ("to-khai.pdf", declaration())]
    result, seconds = checked(files, limits=Limits(page_seconds=2))
    statuses = {r.name: r.status for r in result.readings}
    assert statuses == {"cham.pdf": "time", "to-khai.pdf": "ok"}
    assert "time limit (2 seconds a page)" in invalid(result, "cham.pdf")
    assert seconds < 10
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text_of(result, "to-khai.pdf")


def docx_with(extra: dict[str, bytes]) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Giấy đề nghị đăng ký hộ kinh doanh")
    real = io.BytesIO()
    document.save(real)
    out = io.BytesIO()
    with zipfile.ZipFile(real) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


def test_docx_bombs_are_refused_before_any_xml_is_parsed():
    # The probe's file: 306 kB that unpack to 300 MB.
    bomb = docx_with({"word/media/huge.bin": b"\0" * (300 * 1024 * 1024)})
    result, seconds = checked([("bom.docx", bomb)])
    assert "unpacks to 300 MB" in invalid(result, "bom.docx") and result.readings == [] and seconds < 5
    # Thousands of parts.
    many = docx_with({f"word/media/{n}.bin": b"" for n in range(preflight.MAX_DOCX_ENTRIES + 1)})
    assert "parts" in invalid(checked([("nhieu.docx", many)])[0], "nhieu.docx")
    # One XML part of 21 MB (about 250 MB once parsed), compressed only ~4 times like real text.
    words = random.Random(5).choices(
        ["hộ", "kinh", "doanh", "đăng", "ký", "số", "ngày", "tháng"], k=4_000_000
    )
    xml = ("<w:document>" + " ".join(words) + "</w:document>").encode()
    large = docx_with({"word/huge.xml": xml})
    assert len(large) < preflight.MAX_BYTES
    assert "too large to be checked" in invalid(checked([("lon.docx", large)])[0], "lon.docx")


def test_a_docx_is_read_in_the_reading_process():
    result, _ = checked([("de-nghi.docx", docx_with({}))])
    [reading] = result.readings
    assert reading.status == "ok" and reading.peak_kb < PEAK_BOUND


def test_the_reading_process_gets_no_secrets(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:secret@db/motcua")
    monkeypatch.setenv("MOTCUA_SECRET_KEY", "secret")
    environment = sandbox._environment()
    assert "DATABASE_URL" not in environment and "MOTCUA_SECRET_KEY" not in environment
    assert environment["OMP_THREAD_LIMIT"] == "1"


def test_a_missing_ocr_engine_fails_the_check_instead_of_blaming_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on it
    with pytest.raises(sandbox.EngineMissing):
        pipeline.run([], {}, [("can-cuoc.jpg", scan(identity_card()))])


def test_an_image_that_breaks_while_decoding_is_damaged_not_a_crash():
    # A sane header (preflight passes it) but the pixels cut short: found by the reading process.
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((800, 600), 60).save(out, "PNG")
    cut = out.getvalue()[: len(out.getvalue()) // 2]
    assert preflight.inspect("cat.png", cut).ok
    result, _ = checked([("cat.png", cut), ("to-khai.pdf", declaration())])
    assert invalid(result, "cat.png") == "The file is damaged and cannot be opened."
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text_of(result, "to-khai.pdf")

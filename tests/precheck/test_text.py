"""Text: the PDF text layer when there is one, Tesseract OCR (after deskewing) when there is not."""

import io

from PIL import Image

from motcua.precheck import ocr
from motcua.precheck.preflight import inspect
from motcua.precheck.text import pages_of

from .conftest import ID, declaration, identity_card, scan


def test_a_born_digital_pdf_is_read_from_its_text_layer():
    pages = pages_of([inspect("to-khai.pdf", declaration())])
    assert [(p.number, p.source, p.confidence) for p in pages] == [(1, "layer", 1.0), (2, "layer", 1.0)]
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in pages[0].text and ID in pages[0].text


def test_a_skewed_noisy_scan_is_straightened_and_read_in_vietnamese():
    photo = scan(identity_card(), angle=3.0)
    image = Image.open(io.BytesIO(photo))
    _, angle = ocr.prepare(image)
    assert abs(angle + 3.0) < 0.6 or abs(angle - 3.0) < 0.6, angle
    [page] = pages_of([inspect("can-cuoc.jpg", photo)], workers=1)
    assert page.source == "ocr" and page.confidence > 0.75
    assert "CĂN CƯỚC" in page.text and ID in page.text.replace(" ", "")


def test_a_blank_or_blurred_page_reads_as_nothing_with_low_confidence():
    from PIL import ImageFilter

    blurred = Image.open(io.BytesIO(scan(declaration(), blur=0))).filter(ImageFilter.GaussianBlur(8))
    out = io.BytesIO()
    blurred.save(out, "PNG")
    [page] = pages_of([inspect("mo.png", out.getvalue())], workers=1)
    assert page.words < 4 or page.confidence < 0.5


def test_invalid_files_yield_no_pages():
    assert pages_of([inspect("x.pdf", b"%PDF-1.4 broken")]) == []

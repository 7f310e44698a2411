"""The conformance suite every OCR engine passes (precheck.ocr_base.OcrEngine).

Subclass `OcrConformance` and provide an `engine` fixture. Engines with a test module: 'tesseract'
(tests/precheck/test_ocr_tesseract.py; needs the tesseract binary with the vie and eng data).
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from motcua.precheck.ocr_base import OcrEngine, OcrPage

from .conftest import render, scan

LINE = "Giấy khai sinh của Nguyễn Thị Hương Giang"


class OcrConformance:
    @pytest.fixture
    def vietnamese_page(self):
        """A rendered page with one Vietnamese line full of diacritics, as the PIL image a scanner gives."""
        import pypdfium2 as pdfium

        pdf = render(
            f"<p style='font-size:20pt'>{LINE}</p><p style='font-size:20pt'>Số định danh: 001190012345</p>"
        )
        return pdfium.PdfDocument(pdf)[0].render(scale=200 / 72).to_pil()

    @pytest.fixture
    def skewed_page(self):
        pdf = render(f"<p style='font-size:20pt'>{LINE}</p>")
        return Image.open(io.BytesIO(scan(pdf, angle=3.0, dpi=200)))

    def test_implements_the_protocol(self, engine):
        assert isinstance(engine, OcrEngine) and engine.name and engine.target_long_side > 1000

    def test_reads_a_vietnamese_line_with_its_diacritics(self, engine, vietnamese_page):
        page = engine.read(vietnamese_page, "vie+eng")
        assert isinstance(page, OcrPage)
        assert LINE in page.text.replace("\n", " ")
        assert "001190012345" in page.text.replace(" ", "")
        assert page.confidence > 0.8 and page.words >= 10

    def test_lines_are_separated_by_newlines(self, engine, vietnamese_page):
        lines = [line for line in engine.read(vietnamese_page).text.splitlines() if line.strip()]
        assert len(lines) == 2 and lines[0].strip() == LINE

    def test_shrink_then_read_shrunk_is_read(self, engine, vietnamese_page):
        assert engine.read_shrunk(engine.shrink(vietnamese_page)).text == engine.read(vietnamese_page).text

    def test_a_skewed_scan_is_straightened_and_read(self, engine, skewed_page):
        page = engine.read(skewed_page)
        assert "Nguyễn Thị Hương Giang" in page.text.replace("\n", " ")
        assert 2.0 < abs(page.skew) < 4.0

    @pytest.mark.parametrize("turn", [90, 180, 270])
    def test_a_page_turned_sideways_or_upside_down_is_read_upright(self, engine, turn):
        """A scan fed sideways or a photo taken upside down: the page is turned back before reading."""
        import pypdfium2 as pdfium

        paragraph = (
            "<p style='font-size:14pt'>Ủy ban nhân dân xã tiếp nhận hồ sơ đăng ký khai sinh của công dân, "
            "kiểm tra giấy tờ và trả kết quả trong ngày làm việc. Người đi đăng ký xuất trình giấy tờ "
            "tùy thân và nộp tờ khai theo mẫu.</p>"
        )
        pdf = render(f"<p style='font-size:20pt'>{LINE}</p>" + paragraph * 3)
        upright = pdfium.PdfDocument(pdf)[0].render(scale=200 / 72).to_pil()
        page = engine.read(upright.rotate(turn, expand=True))
        assert LINE in page.text.replace("\n", " ")
        assert page.confidence > 0.8

    def test_a_blank_page_has_no_words(self, engine):
        page = engine.read(Image.new("L", (1654, 2339), 255))
        assert (page.text, page.words, page.confidence) == ("", 0, 0.0)

"""Step 2, text: the text of every page, from the PDF text layer or the DOCX body when there is one,
otherwise by OCR (see ocr.py). Pages to OCR run in parallel, one Tesseract process per core. Each page
keeps its confidence (1.0 for a text layer)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from motcua.core.text import nfc

from .preflight import DOCX, PDF, Inspected

MIN_LAYER_CHARS = 30  # fewer characters in a PDF page's text layer: treat the page as a scan
RENDER_DPI = 200


@dataclass
class Page:
    file: str
    number: int  # 1-based
    text: str
    confidence: float
    source: str  # "layer", "docx" or "ocr"
    words: int = 0


def pages_of(
    items: list[Inspected],
    languages: str = "vie+eng",
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Page]:
    """The pages of every valid file, in order. `progress(done, total)` is called as OCR pages finish."""
    pages: list[Page] = []
    jobs: list[tuple[int, object]] = []  # (index in pages, PIL image or a callable rendering one)
    for item in items:
        if not item.ok:
            continue
        if item.content_type == PDF:
            _pdf_pages(item, pages, jobs)
        elif item.content_type == DOCX:
            pages.append(Page(item.name, 1, _docx_text(item.data), 1.0, "docx", 0))
        else:
            pages.append(Page(item.name, 1, "", 0.0, "ocr"))
            jobs.append((len(pages) - 1, _image_loader(item.data)))
    if jobs:
        _ocr(pages, jobs, languages, workers or os.cpu_count() or 1, progress)
    return pages


def _pdf_pages(item: Inspected, pages: list[Page], jobs: list) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(item.data)
    for number in range(len(document)):
        page = document[number]
        layer = nfc(page.get_textpage().get_text_bounded()).replace("\r\n", "\n").strip()
        if len("".join(layer.split())) >= MIN_LAYER_CHARS:
            pages.append(Page(item.name, number + 1, layer, 1.0, "layer", len(layer.split())))
        else:
            pages.append(Page(item.name, number + 1, "", 0.0, "ocr"))
            # Render now, in this thread: pdfium is not thread-safe.
            jobs.append((len(pages) - 1, page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil()))


def _image_loader(data: bytes):
    def load():
        from PIL import Image, ImageOps

        image = Image.open(io.BytesIO(data))
        return ImageOps.exif_transpose(image)  # phone photos carry their rotation in EXIF

    return load


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return nfc("\n".join(line for line in lines if line.strip()))


def _ocr(pages: list[Page], jobs: list, languages: str, workers: int, progress) -> None:
    from . import ocr

    def run(job):
        index, source = job
        image = source() if callable(source) else source
        return index, ocr.read(image, languages)

    done = 0
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
        for index, result in pool.map(run, jobs):
            page = pages[index]
            page.text, page.confidence, page.words = nfc(result.text), result.confidence, result.words
            done += 1
            if progress:
                progress(done, len(jobs))

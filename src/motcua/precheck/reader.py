"""The reading process: turns the bytes of one file into the text of its pages, inside its own child
process with operating-system limits (started by sandbox.py, never imported by the web or the worker
for real work). Everything that decodes an uploaded file happens here: the PDF parser and renderer,
the image decoder, the DOCX XML parser and Tesseract (which inherits the limits).

    python -P -m motcua.precheck.reader '{"type": ..., "languages": ..., ...}' < file

stdout carries one JSON object per line: {"page": n, "source", "text", "confidence", "words"} as pages
are read (in any order), then {"done": true, "peak_kb": n}; or {"error": "damaged" | "memory" |
"limits" | "engine", "peak_kb": n} and exit status 2. Nothing else is written to stdout. No Django
settings here: messages are the parent's, and the OCR engine is built by the name the job carries."""

from __future__ import annotations

import io
import json
import math
import os
import resource
import sys
import unicodedata
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

MIN_LAYER_CHARS = 30  # fewer characters in a PDF page's text layer: treat the page as a scan
MAX_PAGE_CHARS = 50_000  # a dense A4 page holds ~5,000; more is a repeated-text bomb
RENDER_DPI = 200
MAX_RENDER_PIXELS = 40_000_000  # never reached at the OCR resolution; a guard if that ever changes


# How libraries say that the address-space limit was reached, when they do not raise MemoryError.
OUT_OF_MEMORY = (
    "MemoryError",
    "Insufficient memory",
    "failed to map segment",
    "Cannot allocate memory",
    "Memory allocation",
    "bad_alloc",
    "out of memory",
)


class Damaged(Exception):
    """The file cannot be opened or decoded."""


def render_scale(width_pt: float, height_pt: float, target_long_side: int) -> float:
    """The pdfium scale for a page of this size in points: RENDER_DPI, or less for a page larger than
    A4, straight to the resolution OCR would shrink it to anyway (ocr.shrink resizes anything whose
    long side is over target / 0.9), and never more than MAX_RENDER_PIXELS."""
    width_pt, height_pt = max(width_pt, 1.0), max(height_pt, 1.0)
    scale = RENDER_DPI / 72
    if max(width_pt, height_pt) * scale > target_long_side / 0.9:
        scale = target_long_side / max(width_pt, height_pt)
    if width_pt * height_pt * scale * scale > MAX_RENDER_PIXELS:
        scale = math.sqrt(MAX_RENDER_PIXELS / (width_pt * height_pt))
    return scale


def _limit(job: dict) -> None:
    """Bound this process and every process it starts (Tesseract): address space, CPU seconds,
    size of any file written (Tesseract's temporary images), no core dumps."""
    memory = job["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = job["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    written = 256 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (written, written))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def ocr_engine(job: dict):
    """The OCR engine the job names (MOTCUA_OCR in the parent; 'tesseract' if it names none)."""
    from .backends import ocr_engines

    return ocr_engines.build(job.get("ocr") or "tesseract")


def _pdf(data: bytes, job: dict, emit) -> None:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise Damaged from exc
    engine = None
    threads = max(1, job["threads"])
    pending: dict = {}
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for index in range(len(document)):
            try:  # pdfium is not thread-safe: parse and render in this thread only
                page = document[index]
            except pdfium.PdfiumError as exc:
                raise Damaged from exc
            try:
                textpage = page.get_textpage()
                layer = unicodedata.normalize("NFC", textpage.get_text_bounded()[:MAX_PAGE_CHARS])
                layer = layer.replace("\r\n", "\n").strip()
                textpage.close()
                if len("".join(layer.split())) >= MIN_LAYER_CHARS:
                    emit(page=index + 1, source="layer", text=layer, confidence=1.0, words=len(layer.split()))
                    continue
                if engine is None:
                    engine = ocr_engine(job)
                width, height = page.get_size()
                scale = render_scale(width, height, engine.target_long_side)
                bitmap = page.render(scale=scale, grayscale=True)
                gray = engine.shrink(bitmap.to_pil())
                bitmap.close()
                del bitmap
            finally:
                page.close()
            # One rendered page at a time; at most `threads` small arrays wait for Tesseract.
            while len(pending) >= threads:
                _drain(pending, emit, FIRST_COMPLETED)
            pending[pool.submit(engine.read_shrunk, gray, job["languages"])] = index + 1
            del gray
        while pending:
            _drain(pending, emit, FIRST_COMPLETED)
    document.close()


def _drain(pending: dict, emit, when) -> None:
    done, _ = wait(pending, return_when=when)
    for future in done:
        number = pending.pop(future)
        result = future.result()
        emit(page=number, source="ocr", text=result.text, confidence=result.confidence, words=result.words)


def _image(data: bytes, job: dict, emit) -> None:
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = job["max_pixels"]  # twice this raises DecompressionBombError
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
        image = ImageOps.exif_transpose(image)  # phone photos carry their rotation in EXIF
    except MemoryError:
        raise
    except Exception as exc:  # truncated, corrupt or lying about its size
        raise Damaged from exc
    engine = ocr_engine(job)
    gray = engine.shrink(image)
    image.close()
    del image
    result = engine.read_shrunk(gray, job["languages"])
    emit(page=1, source="ocr", text=result.text, confidence=result.confidence, words=result.words)


def _docx(data: bytes, job: dict, emit) -> None:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except MemoryError:
        raise
    except Exception as exc:
        raise Damaged from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    text = "\n".join(line for line in lines if line.strip())
    emit(page=1, source="docx", text=text, confidence=1.0, words=0)


READERS = {PDF: _pdf, JPEG: _image, PNG: _image, DOCX: _docx}


def peak_kb() -> int:
    """Peak resident memory of this process and of the Tesseract processes it waited for, in kB.
    VmHWM, not getrusage(RUSAGE_SELF): a process started by fork and exec inherits its parent's high
    water mark in ru_maxrss, which would report the worker's size instead of this reader's."""
    own = 0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                own = int(line.split()[1])
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def main() -> int:
    job = json.loads(sys.argv[1])
    _limit(job)
    data = sys.stdin.buffer.read()
    # stdout is the protocol: keep it for emit, and send whatever a library prints there to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def emit(**event) -> None:
        if "page" not in event:
            event["peak_kb"] = peak_kb()
        out.write(json.dumps(event, ensure_ascii=False) + "\n")
        out.flush()

    try:
        READERS[job["type"]](data, job, emit)
    except Damaged:
        emit(error="damaged")
        return 2
    except MemoryError:
        emit(error="memory")
        return 2
    except ModuleNotFoundError as exc:  # a missing OCR dependency: the installation's fault, not the file's
        emit(error="engine", detail=str(exc)[:300])
        return 2
    except Exception as exc:
        message = str(exc)
        if type(exc).__name__ == "TesseractNotFoundError":
            emit(error="engine", detail=message[:300])
        elif any(sign in message for sign in OUT_OF_MEMORY):  # OpenCV, pdfium, a library's mmap
            emit(error="memory", detail=message[:300])
        elif type(exc).__name__ == "TesseractError":  # Tesseract died: killed by its own limits
            emit(error="limits", detail=message[:300])
        else:
            raise  # a traceback on stderr; the parent reports the file as not readable within limits
        return 2
    emit(done=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""OCR of one page image with Tesseract: scale to ~200 DPI, denoise, deskew, then read words with their
confidence. Imported lazily (OpenCV and pytesseract are heavy). `TesseractEngine` is these functions as
an `OcrEngine` (ocr_base.py), the 'tesseract' choice of MOTCUA_OCR."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytesseract

from .ocr_base import OcrPage

# Tesseract's own OpenMP threads fight with our page-level parallelism on a 2-core machine.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

TARGET_LONG_SIDE = 2300  # pixels: about 200 DPI for A4; measured as fast as 150 DPI and as accurate as 300
MAX_SKEW = 8.0  # degrees searched either way
# A page read with less confidence than this, or lying in landscape, may be turned a quarter or half
# way (a scan fed sideways, a phone photo upside down): Tesseract's orientation detection is asked.
UPRIGHT_CONFIDENCE = 0.8
# A page with fewer words than this but with ink like print (not blank, not a dark blurred photo) is
# read again at three quarters of the size.
FEW_WORDS, FAINT_INK, BUSY_INK = 8, 0.005, 0.15
MIN_ORIENTATION_CONFIDENCE = 0.5  # Tesseract's scale; a guess only costs a second reading, the better kept


def prepare(image) -> tuple[np.ndarray, float]:
    """A PIL image to a clean grayscale array: scaled, denoised and straightened."""
    return clean(shrink(image))


def shrink(image) -> np.ndarray:
    """A PIL image to a grayscale array at the OCR resolution (long side ~TARGET_LONG_SIDE). Done
    first and alone, so that only this small array outlives the decoded image."""
    gray = np.asarray(image.convert("L"))
    height, width = gray.shape
    scale = TARGET_LONG_SIDE / max(height, width)
    if scale < 0.9 or scale > 1.6:
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=interpolation)
    return gray


def clean(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """Denoise, straighten and binarise a grayscale array already at the OCR resolution."""
    gray = cv2.medianBlur(gray, 3)  # salt-and-pepper scanner noise and JPEG speckle
    angle = skew_angle(gray)
    if abs(angle) >= 0.3:
        gray = rotate(gray, angle)
    return binarise(gray), angle


def binarise(gray: np.ndarray) -> np.ndarray:
    """Black text on white: divide by the page's background (uneven light in photos), then Otsu.
    A clean two-tone page also OCRs about twice as fast as a noisy grey one (measured)."""
    small = cv2.resize(gray, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA)
    background = cv2.resize(cv2.dilate(small, np.ones((5, 5), np.uint8)), (gray.shape[1], gray.shape[0]))
    flat = cv2.divide(gray, np.maximum(background, 1), scale=255)
    return cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]


def skew_angle(gray: np.ndarray) -> float:
    """The rotation that makes text lines horizontal: the angle whose row profile of ink is sharpest."""
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]

    def sharpness(angle: float) -> float:
        profile = rotate(ink, angle, border=0).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 1.0), key=sharpness)
    return float(max(np.arange(coarse - 0.9, coarse + 0.91, 0.15), key=sharpness))


def rotate(gray: np.ndarray, angle: float, border: int = 255) -> np.ndarray:
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(
        gray,
        matrix,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=border,
    )


def read(image, languages: str = "vie+eng") -> OcrPage:
    return read_gray(shrink(image), languages)


def read_gray(gray: np.ndarray, languages: str = "vie+eng") -> OcrPage:
    """OCR of an array from `shrink`. A page of one flat tone (a blank rendered page) has no words:
    Tesseract is not started for it, nor for a sliver too thin to hold a line of text. A page read
    poorly or lying in landscape is turned upright when Tesseract says which way is up, and a page of
    print that yields almost no words is read again smaller; the better reading is kept."""
    if min(gray.shape) < 32 or int(gray.min()) == int(gray.max()):
        return OcrPage(text="", confidence=0.0, words=0, skew=0.0)
    cleaned, angle = clean(gray)
    page = _words(cleaned, languages, angle)
    if page.words < FEW_WORDS and FAINT_INK < float((cleaned < 128).mean()) < BUSY_INK:
        # Printed matter, yet almost no words: Tesseract's layout analysis lost a table or a stamped
        # page at this scale; a scan upsampled from 150 dpi reads better at its own size (measured).
        smaller = cv2.resize(gray, None, fx=0.75, fy=0.75, interpolation=cv2.INTER_AREA)
        retry, retry_angle = clean(smaller)
        other = _words(retry, languages, retry_angle)
        if other.confidence * other.words > page.confidence * page.words:
            page = other
    height, width = gray.shape
    if page.confidence < UPRIGHT_CONFIDENCE or width > height:
        turns = quarter_turns(cleaned)
        if turns:
            turned, angle = clean(np.ascontiguousarray(np.rot90(gray, turns)))
            other = _words(turned, languages, angle)
            # More text read with confidence: a turned page read as two confident words is no better.
            if other.confidence * other.words > page.confidence * page.words:
                return other
    return page


def quarter_turns(cleaned: np.ndarray) -> int:
    """How many quarter turns counter-clockwise (np.rot90's k) make the page upright, by Tesseract's
    orientation and script detection; 0 when it is upright or too little text to tell."""
    try:
        found = pytesseract.image_to_osd(cleaned, config="--psm 0", output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError:  # "Too few characters": nothing to turn
        return 0
    if float(found.get("orientation_conf", 0)) < MIN_ORIENTATION_CONFIDENCE:
        return 0
    clockwise = int(found.get("rotate", 0)) % 360  # degrees clockwise that make it upright
    return (4 - clockwise // 90) % 4


def _words(gray: np.ndarray, languages: str, angle: float) -> OcrPage:
    data = pytesseract.image_to_data(gray, lang=languages, output_type=pytesseract.Output.DICT)
    lines: dict[tuple, list[str]] = {}
    weighted = total = 0.0
    for i, word in enumerate(data["text"]):
        word = word.strip()
        if not word:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
        confidence = float(data["conf"][i])
        if confidence >= 0:
            weighted += confidence * len(word)
            total += len(word)
    text = "\n".join(" ".join(words) for words in lines.values())
    words = sum(len(w) for w in lines.values())
    return OcrPage(text=text, confidence=(weighted / total / 100) if total else 0.0, words=words, skew=angle)


class TesseractEngine:
    name = "tesseract"
    target_long_side = TARGET_LONG_SIDE

    def shrink(self, image) -> np.ndarray:
        return shrink(image)

    def read_shrunk(self, shrunk: np.ndarray, languages: str = "vie+eng") -> OcrPage:
        return read_gray(shrunk, languages)

    def read(self, image, languages: str = "vie+eng") -> OcrPage:
        return read(image, languages)

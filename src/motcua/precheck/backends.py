"""The pre-check's backends, chosen by a setting through a `Registry` (DESIGN principle 4):

- `ocr_engines` (MOTCUA_OCR): the `OcrEngine` for scans and photos: 'tesseract'. Conformance:
  tests/precheck/ocr_conformance.py. The engine runs in the reading process (reader.py), which builds it
  by the name the job carries (`ocr_engines.build(name)`: no settings are read there).

PrecheckConfig.ready() calls `validate()`.
"""

from __future__ import annotations

from motcua.core.registry import Registry

from .ocr_base import OcrEngine

ocr_engines: Registry[OcrEngine] = Registry("OCR engine", "PRECHECK_OCR", env="MOTCUA_OCR")


@ocr_engines.register("tesseract")
def _tesseract() -> OcrEngine:
    from .ocr import TesseractEngine

    return TesseractEngine()


def validate() -> None:
    ocr_engines.validate()

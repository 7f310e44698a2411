"""OCR engines behind one small interface. The engine in use is chosen by MOTCUA_OCR
(`precheck.backends.ocr_engines`) and runs inside the reading process (reader.py), which gets its name
in the job; every engine passes tests/precheck/ocr_conformance.py. Light: engines import their heavy
libraries themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@dataclass
class OcrPage:
    text: str
    confidence: float  # 0..1, mean word confidence weighted by word length
    words: int
    skew: float  # degrees corrected


@runtime_checkable
class OcrEngine(Protocol):
    name: str
    target_long_side: int  # pixels of a page's long side the engine reads at (pages are rendered so)

    def shrink(self, image) -> Any:
        """A PIL image to the engine's input at its resolution. Done first and alone, so that only this
        small object outlives the decoded image."""

    def read_shrunk(self, shrunk: Any, languages: str = "vie+eng") -> OcrPage:
        """The text of a page from `shrink`, lines joined by newlines, with its confidence."""

    def read(self, image, languages: str = "vie+eng") -> OcrPage:
        """shrink, then read_shrunk."""

"""The Tesseract engine passes the OCR conformance suite; the engine is chosen by settings."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from motcua.precheck.backends import ocr_engines

from .ocr_conformance import OcrConformance


class TestTesseract(OcrConformance):
    @pytest.fixture
    def engine(self):
        from motcua.precheck.ocr import TesseractEngine

        return TesseractEngine()


def test_the_ocr_engine_is_chosen_by_settings(settings):
    settings.PRECHECK_OCR = "tesseract"
    assert ocr_engines.get().name == "tesseract"
    settings.PRECHECK_OCR = "paddle"
    with pytest.raises(ImproperlyConfigured) as error:
        apps.get_app_config("precheck").ready()
    assert str(error.value) == "MOTCUA_OCR='paddle' is not an OCR engine: choose one of 'tesseract'"

"""Content translations kept beside the Vietnamese original in a JSON field.

`i18n = {"en": {"name": ...}, "ar": {...}}`. Vietnamese lives in the plain fields, so a record that
nobody translated still shows its authoritative Vietnamese text.
"""

from __future__ import annotations

from django.utils import translation


class Translated:
    i18n: dict

    def tr(self, field: str, language: str | None = None) -> str:
        language = (language or translation.get_language() or "vi").split("-")[0]
        if language != "vi":
            text = (self.i18n or {}).get(language, {}).get(field)
            if text:
                return text
        return getattr(self, field)

    def tr_language(self, field: str, language: str | None = None) -> str:
        """The language the text of `tr(field)` is actually in (for the lang attribute)."""
        language = (language or translation.get_language() or "vi").split("-")[0]
        if language != "vi" and (self.i18n or {}).get(language, {}).get(field):
            return language
        return "vi"

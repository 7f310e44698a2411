"""Text analysis shared by every search backend: done once, in Python, the same way everywhere.

Vietnamese is written with stacked diacritics, and citizens often type without them ("dang ky khai
sinh"). We index and query the folded form (marks stripped, đ -> d) and keep the accented form beside
it, so exact spellings rank first while unaccented queries still match. Adjacent syllables are joined
into bigrams ("dang_ky", "khai_sinh"): a cheap stand-in for word segmentation that lifts multi-syllable
words above documents that merely contain the syllables.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
# Arabic short vowels and other marks (tashkeel) and the tatweel stretch character.
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FORMS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه"}
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (Vietnamese marks, Arabic tashkeel) and map đ to d."""
    text = _ARABIC_MARKS.sub("", nfc(text).lower()).translate(_ARABIC_FORMS)
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def words(text: str) -> list[str]:
    """Lower-cased word tokens (Vietnamese syllables), diacritics kept."""
    return _WORD.findall(nfc(text).lower())


def with_bigrams(tokens: list[str]) -> list[str]:
    return tokens + [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def exact_terms(text: str) -> list[str]:
    return with_bigrams(words(text))


def folded_terms(text: str) -> list[str]:
    return with_bigrams(words(fold(text)))

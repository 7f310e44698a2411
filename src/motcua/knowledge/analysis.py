"""Lexical terms for the knowledge base: one function, the same for indexing and for querying.

`analyse(text, language)` returns the terms a search index stores and matches (see
`index.base.Entry.terms`); the index itself never analyses text. Every backend therefore ranks the same
tokens, and a query is analysed exactly like the chunks it should find.

Vietnamese (the default):
  NFC -> fold (lower-case, marks stripped, đ -> d: "thủ" -> "thu") -> split into phrases at
  punctuation and line breaks -> syllables (`\\w+`) -> emit the syllables plus the bigrams of adjacent
  syllables within a phrase: "thủ tục hành chính" ->
  thu, tuc, hanh, chinh, thu_tuc, tuc_hanh, hanh_chinh.
  Most Vietnamese words are two syllables, so the bigrams carry the words ("thu_tuc", "hanh_chinh")
  and stop a document that merely contains the syllables somewhere from outranking one with the word.
  Because everything is folded, "thủ tục" and "thu tuc" give identical terms: a query typed without
  diacritics ranks exactly like the accented one.

Measured on the ALQAC 2022 development set (520 questions, 1,377 articles; an offline numpy replica of
BM25, k1 1.2, b 0.75 unless noted; MRR@10 / Hit@1; through the real pipeline with tantivy this
module's terms give 0.934 / 0.908):
  - folded syllables only:                         0.849 / 0.787  (README reference, accented: 0.875 / 0.827)
  - + syllable bigrams (this module):             0.932 / 0.904  -- the one change that matters
  - + pyvi words (ViTokenizer), all multi-syllable ones, folded: 0.935 / 0.914
  - + pyvi words of 3+ syllables only (WORD_UNITS = "pyvi"; two-syllable words equal the bigrams):
    0.933 / 0.906; at k1 0.8, b 0.6: 0.943 / 0.925 against bigrams alone 0.941 / 0.921
  - + accented forms beside the folded ones:       0.932 / 0.908  (no gain, index twice the size)
  - + syllable trigrams:                           0.928 / 0.902
  - heading (the article's first line) repeated 1-3x as a crude field boost: 0.935-0.936, no gain
  - a stop-list of question words (bao nhiêu, gì, nào, không...): 0.929, worse; BM25's idf already
    discounts them
  - BM25 parameters: k1 0.6-0.8, b 0.6-0.75 beat the usual 1.2 / 0.75 by about +0.008 MRR (0.941), a
    smooth, consistent trend (bigrams and unigrams of one word saturate together)
pyvi segmentation therefore buys nothing measurable over bigrams here, costs a 2-4 s model load, ~2 ms a
query and ~15 s per 1,400 articles at indexing, drags in scikit-learn and scipy, and segments
unaccented text badly (so accented and unaccented queries would no longer get the same terms). It is
off by default; `WORD_UNITS = "pyvi"` adds pyvi's multi-syllable words (folded) to the bigrams, for
experiments on other corpora (changing it requires re-indexing).

Arabic: `motcua.core.text.fold` (tashkeel and tatweel removed, alef / yeh / teh marbuta forms unified),
then words. English and other languages: folded words (lower-case, accents stripped). No bigrams outside
Vietnamese, where words are single tokens already.

Speed: well under 1 ms for a typical question; it never loads a model unless WORD_UNITS is "pyvi".
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from motcua.core.text import fold, nfc

WORD_UNITS = "bigrams"  # or "pyvi": bigrams plus pyvi's multi-syllable words (needs the pyvi package)

_WORD = re.compile(r"\w+", re.UNICODE)
# Phrase boundaries: no bigram is formed across punctuation or a line break.
_PHRASE = re.compile(r"[^\w\s]+|\n+", re.UNICODE)

_lock = threading.Lock()
_segmenter: Callable[[str], str] | None = None


def _pyvi() -> Callable[[str], str]:
    """pyvi's ViTokenizer.tokenize, imported once (loading its CRF model takes seconds)."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                try:
                    from pyvi import ViTokenizer
                except ImportError as exc:
                    raise RuntimeError(
                        "WORD_UNITS = 'pyvi' needs the pyvi package: pip install pyvi"
                    ) from exc
                _segmenter = ViTokenizer.tokenize
    return _segmenter


def segment_words(text: str) -> list[str]:
    """pyvi word segmentation: "Thủ tục hành chính" -> ["Thủ_tục", "hành_chính"] (case kept)."""
    return _pyvi()(nfc(text)).split()


def _vietnamese(text: str) -> list[str]:
    terms: list[str] = []
    for phrase in _PHRASE.split(fold(text)):
        syllables = _WORD.findall(phrase)
        terms.extend(syllables)
        terms.extend(f"{a}_{b}" for a, b in zip(syllables, syllables[1:], strict=False))
    if WORD_UNITS == "pyvi":
        for phrase in _PHRASE.split(text):
            if phrase.strip():
                terms.extend(fold(w) for w in segment_words(phrase) if w.count("_") >= 2)
    return terms


def analyse(text: str, language: str = "vi") -> list[str]:
    """The lexical terms of `text`, for the index and for queries alike (see the module docstring)."""
    text = nfc(text)
    if not text.strip():
        return []
    if (language or "vi").lower().startswith("vi"):
        return _vietnamese(text)
    return _WORD.findall(fold(text))

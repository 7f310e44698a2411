"""The legal article finder: the knowledge base's `retrieve` over legal sources, each result with the
share of the question's content words it contains."""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.core.text import fold
from motcua.knowledge import services as knowledge
from motcua.knowledge.models import Source, SourceKind

from .procedures import content_terms, terms_of

LEGAL_CUES = re.compile(
    r"\b(luat|dieu|khoan|nghi dinh|thong tu|bo luat|phap luat|quy dinh|xu phat|bi phat|toi|hinh phat|"
    r"quyen|nghia vu|law|article|decree|penalty|fine|legal|right|rights)\b|قانون|ماده|عقوبه"
)


def has_legal_corpus() -> bool:
    return Source.objects.filter(kind=SourceKind.LEGAL).exists()


def legal_cue(question: str) -> bool:
    return bool(LEGAL_CUES.search(fold(question)))


@dataclass
class Article:
    result: knowledge.Result
    confidence: float


# Words that say "this is about the law" rather than what the question is about.
LEGAL_STOP = set("theo luat bo quy dinh phap dieu khoan nghi thong tu van ban law article".split())


def find_articles(question: str, *, access_level: int, k: int = 2) -> list[Article]:
    """Legal chunks for the question, each with the share of the question's content words (and
    bigrams) found in its heading and text."""
    found, _ms = knowledge.retrieve(
        question, access_level=access_level, k=k, source_kinds=(SourceKind.LEGAL,)
    )
    terms = [t for t in content_terms(question) if not set(t.split("_")) & LEGAL_STOP]
    articles = []
    for result in found:
        words = terms_of(" ".join(result.chunk.title_path), result.chunk.text)
        share = sum(t in words for t in terms) / len(terms) if terms else 0.0
        articles.append(Article(result, share))
    return articles

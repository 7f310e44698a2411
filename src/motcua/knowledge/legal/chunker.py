"""Cut articles into index chunks that fit a token budget, each starting with its article heading."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .model import Article, LegalDocument
from .patterns import SENTENCE_END_RE


def default_token_count(s: str) -> float:
    return len(s.split()) * 1.3


def _pieces(text: str, fits: Callable[[str], bool]) -> list[tuple[str, str]]:
    """(piece, separator before it): paragraphs, or the sentences of a paragraph that does not fit."""
    out = []
    for para in filter(None, text.split("\n")):
        out += [
            (p, " " if i else "\n")
            for i, p in enumerate([para] if fits(para) else SENTENCE_END_RE.split(para))
        ]
    return out


def _split_article(a: Article, max_tokens: int, count: Callable[[str], float]) -> list[tuple[str, list[str]]]:
    head = a.heading
    if count(whole := f"{head}\n{a.body}".strip()) <= max_tokens:
        return [(whole, [c.number for c in a.clauses if c.number])]

    def fits(s: str) -> bool:
        return count(f"{head}\n{s}") <= max_tokens

    # units: (text, separator, clause number, context to repeat when a part starts inside the clause)
    units = [(p, sep, "", "") for p, sep in _pieces(a.intro, fits)]
    for c in a.clauses:
        if fits(c.text):
            units.append((c.text, "\n", c.number, ""))
            continue
        lead = c.text[: c.text.find(c.points[0].text)].strip() if c.points else c.text
        context = lead if c.points and count(lead) <= max_tokens / 4 else ""  # "2. Phạm tội ... sau đây:"
        pieces: list[tuple[str, str]] = []
        for p in [lead] + [p.text for p in c.points]:
            pieces += _pieces(p, lambda s, ctx=context: fits(f"{ctx}\n{s}"))
        units += [(p, sep, c.number, context if i else "") for i, (p, sep) in enumerate(pieces)]
    parts: list[tuple[str, list[str]]] = []
    for text, sep, number, context in units:
        if parts and count(candidate := parts[-1][0] + sep + text) <= max_tokens:
            parts[-1] = (candidate, parts[-1][1] + [number] * (number not in parts[-1][1]))
        else:
            start = f"{head}\n{context}" if context and fits(f"{context}\n{text}") else head
            parts.append((f"{start}\n{text}", [number]))
    return [(t, [n for n in nums if n]) for t, nums in parts]


def chunks(
    doc_or_articles: LegalDocument | Iterable[Article],
    *,
    law: str,
    max_tokens: int = 480,
    count_tokens: Callable[[str], float] = default_token_count,
) -> list[dict]:
    """One chunk per article; a longer one is split by clause (clauses kept whole), then by point, then by
    sentence. Every part starts with the article heading, and a part that starts inside a clause with the
    clause's lead-in when that is short. A single sentence longer than max_tokens is left whole."""
    articles = doc_or_articles.articles if isinstance(doc_or_articles, LegalDocument) else doc_or_articles
    out = []
    for a in articles:
        parts = _split_article(a, max_tokens, count_tokens)
        for i, (text, clauses) in enumerate(parts, 1):
            out.append(
                {
                    "id": f"{law}:{a.number}" if len(parts) == 1 else f"{law}:{a.number}:{i}",
                    "article": a.number,
                    "title_path": [p for p in (a.part, a.chapter, a.section) if p] + [a.heading],
                    "text": text,
                    "clauses": clauses,  # the clause numbers the part holds (whole or in part)
                }
            )
    return out

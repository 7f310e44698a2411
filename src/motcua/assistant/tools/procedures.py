"""The procedure finder: the catalogue's search (names weighted, with and without diacritics) over the
question plus its glossary expansion, fused by reciprocal rank (`knowledge.fusion.rrf`) with dense
(multilingual-e5) retrieval over the procedure chunks of the knowledge base, which carries English and
Arabic questions across to Vietnamese text. The best fused candidates are re-scored by how much of the
question they cover: the idf-weighted share of the question's content words found in the procedure's
own words (idf from the catalogue index), so a question about the weather shares only common words
with any procedure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.conf import settings

from motcua.catalogue import search as catalogue_search
from motcua.catalogue.models import Procedure
from motcua.core.text import fold, folded_terms
from motcua.knowledge import fusion
from motcua.knowledge import services as knowledge
from motcua.knowledge.index.base import Filters
from motcua.knowledge.models import SourceKind

from .. import language as lang

CANDIDATES = 30
RRF_K = 10  # a small constant: the first few ranks of each list should count far more than the tail
LEXICAL_WEIGHT, DENSE_WEIGHT = 1.0, 0.6
_WORD = re.compile(r"\w+", re.UNICODE)
# Folded question and filler words that say nothing about which procedure is meant.
STOP = set(
    """
    toi minh em anh chi ban co khong duoc can gi lam the nao sao bao nhieu lau may o dau khi nao thi bi
    phai muon cho con cua va la voi nhu vay nay do ai ve de hay nhe a oi a ha nhi roi se dang da can
    thu tuc giay to ho so gio xin hoi cach viec nguoi mot cac nhung tai tu den ra vao
    the a an is are do does did how what where when which who why i my me we you your can could need to
    of for in on at with and or get please much long should must it this that there have has from about
    want like know tell procedure documents document
    """.split()
)


@dataclass
class Candidate:
    code: str
    score: float
    procedure: Procedure | None = None
    confidence: float = 0.0  # share of the question's words the procedure uses
    precision: float = 0.0  # share of the procedure name's words the question uses


@dataclass
class Finding:
    candidates: list[Candidate]  # best first; compose.confidence() scores the first
    query: str  # what was searched (question plus glossary terms)
    dense: dict[str, float] = field(default_factory=dict)  # code -> best cosine
    expansion: str = ""  # the glossary's catalogue terms for the question (language.expand)


def content_terms(text: str) -> list[str]:
    """Folded content words of `text` and the bigrams of adjacent content words ("khai_sinh")."""
    words = _WORD.findall(fold(text))
    terms = [w for w in words if w not in STOP and not w.isdigit()]
    bigrams = [
        f"{a}_{b}"
        for a, b in zip(words, words[1:], strict=False)
        if a not in STOP and b not in STOP and not (a.isdigit() or b.isdigit())
    ]
    return list(dict.fromkeys(terms + bigrams))


def terms_of(*texts: str) -> set[str]:
    return set(folded_terms(" ; ".join(texts)))


def _name_vocabulary(procedure: Procedure) -> set[str]:
    """The words that say what the procedure is: its name, citizen keywords, translated names."""
    texts = [procedure.name, " ; ".join(procedure.keywords or [])]
    texts += [str(v.get("name", "")) for v in (procedure.i18n or {}).values() if isinstance(v, dict)]
    return terms_of(*texts)


def _vocabulary(procedure: Procedure) -> set[str]:
    """Everything the catalogue says about the procedure in a few words (documents included)."""
    texts = [
        procedure.summary,
        procedure.field.name if procedure.field else "",
        procedure.competent_authority,
        procedure.result,
    ]
    texts += [doc.name for case in procedure.cases.all() for doc in case.documents.all()]
    return terms_of(*texts) | _name_vocabulary(procedure)


class Weights:
    """idf of terms over the catalogue index (rare words and bigrams weigh most)."""

    def __init__(self):
        self.frequencies = catalogue_search.frequencies()
        self.total = max(self.frequencies.total, 1)
        self._cache: dict[str, float] = {}

    def __call__(self, term: str) -> float:
        if term not in self._cache:
            self._cache[term] = math.log((self.total + 1) / (self.frequencies(term) + 0.5))
        return self._cache[term]


def coverage(terms: list[str], vocabulary: set[str], weight) -> float:
    """The idf-weighted share of `terms` found in `vocabulary` (0..1)."""
    total = sum(weight(t) for t in terms)
    return sum(weight(t) for t in terms if t in vocabulary) / total if total else 0.0


def _dense(text: str) -> list[tuple[str, float]]:
    """Procedure codes by the best cosine of any of their chunks (empty when dense search is off)."""
    model = knowledge.embedder()
    if model is None:
        return []
    vector = model.embed_query(text)
    hits = knowledge.index().search_dense(
        vector, access_level=0, k=CANDIDATES * 3, filters=Filters(source_kinds=(SourceKind.PROCEDURE,))
    )
    best: dict[str, float] = {}
    for hit in hits:
        code = hit.id.split(":")[1]
        best.setdefault(code, hit.score)
    return list(best.items())


RERANK = 25  # fused candidates re-scored by how well they cover the question
# Re-scoring: the share of the question in the name (what the procedure is) counts most, then the share
# in everything it says, the share of its name in the question (no unasked qualifiers), the fused rank.
WEIGHTS = {"name": 0.45, "cover": 0.25, "precision": 0.15, "fused": 0.15}


def find_procedures(question: str, language: str = "vi", k: int = 5) -> Finding:
    expansion = lang.expand(question) if getattr(settings, "ASSISTANT_GLOSSARY", True) else ""
    # English and Arabic words never match Vietnamese names: search with the glossary's terms alone,
    # and without any, leave the ranking to the dense list (BM25 over English words only adds noise).
    lexical_query = expansion if (language != "vi" and expansion) else f"{question} {expansion}".strip()
    words_match = language == "vi" or bool(expansion)
    lexical = (
        [h.code for h in catalogue_search.search(lexical_query, limit=CANDIDATES)] if words_match else []
    )
    dense = _dense(f"{question} {expansion}".strip())
    ranked = fusion.rrf(
        [lexical, [code for code, _cos in dense[:CANDIDATES]]],
        k=RRF_K,
        weights=[LEXICAL_WEIGHT, DENSE_WEIGHT],
    )[:RERANK]
    rows = {
        p.code: p
        for p in Procedure.objects.filter(code__in=[c for c, _ in ranked])
        .select_related("field")
        .prefetch_related("channels__fees", "cases__documents__form")
    }
    # Words of the question judged against each candidate. For English or Arabic without glossary
    # terms there is nothing to compare: the dense similarity alone decides (see compose).
    terms = content_terms(lexical_query) if (language == "vi" or expansion) else []
    weight = Weights()
    query_terms = set(terms)
    top = ranked[0][1] if ranked else 1.0
    candidates = []
    for code, score in ranked:
        if code not in rows:
            continue
        procedure = rows[code]
        cover = coverage(terms, _vocabulary(procedure), weight) if terms else 0.0
        in_name = coverage(terms, _name_vocabulary(procedure), weight) if terms else 0.0
        precision = coverage(content_terms(procedure.name), query_terms, weight) if terms else 0.0
        final = (
            WEIGHTS["name"] * in_name
            + WEIGHTS["cover"] * cover
            + WEIGHTS["precision"] * precision
            + WEIGHTS["fused"] * score / top
        )
        candidates.append(Candidate(code, final, procedure, cover, precision))
    candidates.sort(key=lambda c: -c.score)
    return Finding(candidates[:k], lexical_query, dict(dense), expansion)

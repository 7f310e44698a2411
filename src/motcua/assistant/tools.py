"""The assistant's tools: procedure finder, legal article finder, dossier status and the official's
due/overdue list. Each returns plain data; `compose` turns it into a cited answer.

Procedure finder: the catalogue's tantivy search (names weighted, with and without diacritics) over the
question plus its glossary expansion, fused with dense (multilingual-e5) retrieval over the procedure
chunks of the knowledge base, which carries English and Arabic questions across to Vietnamese text.
Its confidence is the idf-weighted share of the question's content words found in the best
procedure's own words: a question about the weather shares only common words with any procedure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from motcua.catalogue import search as catalogue_search
from motcua.catalogue.models import Procedure
from motcua.core.text import fold, folded_terms
from motcua.knowledge import services as knowledge
from motcua.knowledge.index.base import Filters
from motcua.knowledge.models import Source, SourceKind

from . import language as lang

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


def _content_terms(text: str) -> list[str]:
    """Folded content words of `text` and the bigrams of adjacent content words ("khai_sinh")."""
    words = _WORD.findall(fold(text))
    terms = [w for w in words if w not in STOP and not w.isdigit()]
    bigrams = [
        f"{a}_{b}"
        for a, b in zip(words, words[1:], strict=False)
        if a not in STOP and b not in STOP and not (a.isdigit() or b.isdigit())
    ]
    return list(dict.fromkeys(terms + bigrams))


def _idf(term: str, searcher, total: int) -> float:
    df = max(searcher.doc_freq("name_f", term), searcher.doc_freq("body_f", term))
    return math.log((total + 1) / (df + 0.5))


def _terms_of(*texts: str) -> set[str]:
    return set(folded_terms(" ; ".join(texts)))


def _name_vocabulary(procedure: Procedure) -> set[str]:
    """The words that say what the procedure is: its name, citizen keywords, translated names."""
    texts = [procedure.name, " ; ".join(procedure.keywords or [])]
    texts += [str(v.get("name", "")) for v in (procedure.i18n or {}).values() if isinstance(v, dict)]
    return _terms_of(*texts)


def _vocabulary(procedure: Procedure) -> set[str]:
    """Everything the catalogue says about the procedure in a few words (documents included)."""
    texts = [
        procedure.summary,
        procedure.field.name if procedure.field else "",
        procedure.competent_authority,
        procedure.result,
    ]
    texts += [doc.name for case in procedure.cases.all() for doc in case.documents.all()]
    return _terms_of(*texts) | _name_vocabulary(procedure)


class Weights:
    """idf of terms over the catalogue index (rare words and bigrams weigh most)."""

    def __init__(self):
        index = catalogue_search._open()
        self.searcher = index.searcher()
        self.total = max(self.searcher.num_docs, 1)
        self._cache: dict[str, float] = {}

    def __call__(self, term: str) -> float:
        if term not in self._cache:
            self._cache[term] = _idf(term, self.searcher, self.total)
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
    expansion = lang.expand(question)
    # English and Arabic words never match Vietnamese names: search with the glossary's terms alone.
    lexical_query = expansion if (language != "vi" and expansion) else f"{question} {expansion}".strip()
    lexical = [h.code for h in catalogue_search.search(lexical_query, limit=CANDIDATES)]
    dense = _dense(f"{question} {expansion}".strip())
    fused: dict[str, float] = {}
    for rank, code in enumerate(lexical):
        fused[code] = fused.get(code, 0.0) + LEXICAL_WEIGHT / (RRF_K + rank + 1)
    for rank, (code, _cos) in enumerate(dense[:CANDIDATES]):
        fused[code] = fused.get(code, 0.0) + DENSE_WEIGHT / (RRF_K + rank + 1)
    ranked = sorted(fused.items(), key=lambda kv: -kv[1])[:RERANK]
    rows = {
        p.code: p
        for p in Procedure.objects.filter(code__in=[c for c, _ in ranked])
        .select_related("field")
        .prefetch_related("channels__fees", "cases__documents__form")
    }
    # Words of the question judged against each candidate. For English or Arabic without glossary
    # terms there is nothing to compare: the dense similarity alone decides (see compose).
    terms = _content_terms(lexical_query) if (language == "vi" or expansion) else []
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
        precision = coverage(_content_terms(procedure.name), query_terms, weight) if terms else 0.0
        final = (
            WEIGHTS["name"] * in_name
            + WEIGHTS["cover"] * cover
            + WEIGHTS["precision"] * precision
            + WEIGHTS["fused"] * score / top
        )
        candidates.append(Candidate(code, final, procedure, cover, precision))
    candidates.sort(key=lambda c: -c.score)
    return Finding(candidates[:k], lexical_query, dict(dense), expansion)


# --- legal articles -----------------------------------------------------------------------------

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
    terms = [t for t in _content_terms(question) if not set(t.split("_")) & LEGAL_STOP]
    articles = []
    for result in found:
        words = _terms_of(" ".join(result.chunk.title_path), result.chunk.text)
        share = sum(t in words for t in terms) / len(terms) if terms else 0.0
        articles.append(Article(result, share))
    return articles


# --- dossiers -----------------------------------------------------------------------------------

DOSSIER_CODE = re.compile(r"\b[A-Z0-9][A-Z0-9.]*-\d{6}-\d{4}\b")
ID_NUMBER = re.compile(r"(?<!\d)\d{12}(?!\d)")
MY_DOSSIERS = re.compile(
    r"\b(ho so (cua )?(toi|minh|em)|tinh trang ho so|my (dossier|dossiers|application|applications)|"
    r"status of my)\b|ملفي|طلبي"
)
DUE = re.compile(
    r"\b(qua han|tre han|tre hen|sap (den )?han|den han|sap het han|overdue|due soon|late|due)\b|متاخر"
)


def dossier_code(question: str) -> str:
    match = DOSSIER_CODE.search(question.upper())
    return match.group() if match else ""


def lookup_dossier(user, code: str, id_number: str = ""):
    """The dossier `code` if this user may see it, or if `id_number` is its applicant's (the public
    tracking rule); None otherwise, without saying whether the code exists."""
    from motcua.dossiers import permissions
    from motcua.dossiers.models import Dossier

    dossier = permissions.visible_to(user).filter(code=code).select_related("procedure", "agency").first()
    if dossier is None and id_number:
        dossier = (
            Dossier.objects.select_related("procedure", "agency")
            .filter(code=code, applicant_id_number=id_number)
            .first()
        )
    return dossier


def my_dossiers(user, limit: int = 5):
    from motcua.dossiers import permissions

    if not user.is_authenticated or user.is_official:
        return []
    return list(
        permissions.visible_to(user)
        .filter(applicant=user)
        .select_related("procedure")
        .order_by("-submitted_at")[:limit]
    )


def due_in_unit(user, limit: int = 10) -> dict[str, tuple[int, list]]:
    """For an official: the unit's overdue and due-soon dossiers (count and the first few)."""
    from motcua.dossiers import queues

    out = {}
    for name in ("overdue", "due_soon"):
        queryset = queues.queue(user, name)
        out[name] = (queues.capped_count(queryset), list(queryset[:limit]))
    return out


def wants_my_dossiers(question: str) -> bool:
    return bool(MY_DOSSIERS.search(fold(question)))


def wants_due(question: str) -> bool:
    folded = fold(question)
    return bool(DUE.search(folded)) and bool(re.search(r"ho so|dossier|don vi|unit|ملف", folded))

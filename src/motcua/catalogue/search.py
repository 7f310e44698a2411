"""Full-text search over the procedure catalogue: a tantivy BM25 index in a folder beside the database.

The database is the source of truth; this index is derived from it and can be rebuilt at any time
(`motcua catalogue reindex`, or the `reindex_catalogue` task that imports enqueue). Text analysis is
done in Python by `motcua.core.text` (accents folded, syllable bigrams), so tantivy only splits on
whitespace. Each text is indexed twice, as written and folded: "đăng ký khai sinh" and
"dang ky khai sinh" both match, and the accented spelling ranks a little higher when it is exact.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings

from motcua.core.text import exact_terms, folded_terms

from .models import Procedure

log = logging.getLogger(__name__)

# Field weights: a match in the name or the citizen keywords says far more than one in the body.
BOOSTS = {
    "name": 3.0,
    "name_f": 2.4,
    "keywords": 2.0,
    "keywords_f": 1.6,
    "other_names_f": 2.0,
    "body": 0.5,
    "body_f": 0.4,
}
CANDIDATES = 300
WRITER_HEAP = 50_000_000
_lock = threading.Lock()
_indexes: dict[Path, tantivy.Index] = {}


@dataclass(frozen=True)
class Hit:
    code: str
    score: float


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("code", stored=True, tokenizer_name="raw")
    for name in BOOSTS:
        builder.add_text_field(name, tokenizer_name="whitespace")
    return builder.build()


SCHEMA = _schema()


def index_dir() -> Path:
    return Path(settings.SEARCH_DIR) / "catalogue"


def _open() -> tantivy.Index:
    path = index_dir()
    with _lock:
        index = _indexes.get(path)
        if index is None:
            path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
            _indexes[path] = index
    return index


def _document(procedure: Procedure) -> tantivy.Document:
    translations = procedure.i18n or {}
    other_names = " ".join(
        f"{lang.get('name', '')} {lang.get('summary', '')}"
        for lang in translations.values()
        if isinstance(lang, dict)
    )
    keywords = " ; ".join(procedure.keywords or [])
    documents = " ; ".join(doc.name for case in procedure.cases.all() for doc in case.documents.all())
    body = " ; ".join(
        part
        for part in (
            procedure.summary,
            procedure.field.name if procedure.field else "",
            procedure.result,
            procedure.competent_authority,
            documents,
        )
        if part
    )
    return tantivy.Document(
        code=procedure.code,
        name=" ".join(exact_terms(procedure.name)),
        name_f=" ".join(folded_terms(procedure.name)),
        keywords=" ".join(exact_terms(keywords)),
        keywords_f=" ".join(folded_terms(keywords)),
        other_names_f=" ".join(folded_terms(other_names)),
        body=" ".join(exact_terms(body)),
        body_f=" ".join(folded_terms(body)),
    )


def _procedures(codes: Iterable[str] | None = None):
    queryset = Procedure.objects.select_related("field").prefetch_related("cases__documents")
    if codes is not None:
        queryset = queryset.filter(code__in=list(codes))
    return queryset.iterator(chunk_size=500)


def rebuild() -> int:
    """Replace the whole index with the catalogue as it is in the database. Returns the count."""
    index = _open()
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    writer.delete_all_documents()
    count = 0
    for procedure in _procedures():
        writer.add_document(_document(procedure))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    log.info("catalogue index rebuilt: %d procedures", count)
    return count


def update(codes: Iterable[str]) -> int:
    """Re-index the given procedures (deleted ones drop out of the index)."""
    codes = list(codes)
    index = _open()
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    for code in codes:
        writer.delete_documents_by_term("code", code)
    count = 0
    for procedure in _procedures(codes):
        writer.add_document(_document(procedure))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return count


def count() -> int:
    index = _open()
    index.reload()
    return index.searcher().num_docs


@dataclass(frozen=True)
class Frequencies:
    """How many procedures use a folded term, over one snapshot of the index (for idf weights)."""

    searcher: tantivy.Searcher
    total: int  # procedures in the index

    def __call__(self, term: str) -> int:
        """Procedures whose folded name or folded body holds `term` (the larger of the two counts)."""
        return max(self.searcher.doc_freq("name_f", term), self.searcher.doc_freq("body_f", term))


def frequencies() -> Frequencies:
    """Document frequencies of folded terms (`folded_terms`: syllables and bigrams) in the index now."""
    index = _open()
    index.reload()
    searcher = index.searcher()
    return Frequencies(searcher, searcher.num_docs)


def _query(text: str) -> tantivy.Query | None:
    exact, folded = set(exact_terms(text)), set(folded_terms(text))
    clauses = []
    for field, boost in BOOSTS.items():
        terms = folded if field.endswith("_f") else exact
        for term in terms:
            # Bigrams carry the word-level meaning; single syllables alone are weak evidence.
            weight = boost * (1.5 if "_" in term else 1.0)
            clauses.append(
                (
                    tantivy.Occur.Should,
                    tantivy.Query.boost_query(tantivy.Query.term_query(SCHEMA, field, term), weight),
                )
            )
    return tantivy.Query.boolean_query(clauses) if clauses else None


def search(text: str, limit: int = CANDIDATES) -> list[Hit]:
    """Procedure codes that match `text`, best first."""
    query = _query(text)
    if query is None:
        return []
    index = _open()
    index.reload()
    searcher = index.searcher()
    result = searcher.search(query, limit)
    return [Hit(searcher.doc(address)["code"][0], score) for score, address in result.hits]

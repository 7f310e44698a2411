"""The assistant's tools. Each returns plain data; `compose` turns it into a cited answer.

- `procedures`: the procedure finder (catalogue search fused with dense retrieval, then re-scored).
- `legal`: the legal article finder (the knowledge base's `retrieve` over legal sources).
- `dossiers`: dossier status and the official's due / overdue list, within what the reader may see.
"""

from .dossiers import (
    DOSSIER_CODE,
    DUE,
    ID_NUMBER,
    MY_DOSSIERS,
    dossier_code,
    due_in_unit,
    lookup_dossier,
    my_dossiers,
    my_dossiers_about,
    wants_due,
    wants_my_dossiers,
)
from .legal import LEGAL_CUES, LEGAL_STOP, Article, find_articles, has_legal_corpus, legal_cue
from .procedures import STOP, Candidate, Finding, Weights, content_terms, coverage, find_procedures, terms_of

__all__ = [
    "DOSSIER_CODE",
    "DUE",
    "ID_NUMBER",
    "LEGAL_CUES",
    "LEGAL_STOP",
    "MY_DOSSIERS",
    "STOP",
    "Article",
    "Candidate",
    "Finding",
    "Weights",
    "content_terms",
    "coverage",
    "dossier_code",
    "due_in_unit",
    "find_articles",
    "find_procedures",
    "has_legal_corpus",
    "legal_cue",
    "lookup_dossier",
    "my_dossiers",
    "my_dossiers_about",
    "terms_of",
    "wants_due",
    "wants_my_dossiers",
]

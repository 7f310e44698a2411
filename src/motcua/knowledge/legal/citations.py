"""How a chunk cites its source: "Điều 12, Luật Cư trú 68/2020/QH14, hiệu lực 01/07/2021"."""

from __future__ import annotations

import re

from .model import Article, LegalDocument
from .patterns import DOC_NUMBER, NAMED_TYPES


def citation(doc: LegalDocument | None, article: Article, law: str) -> str:
    """ "Điều 12, Luật Cư trú 68/2020/QH14, hiệu lực 01/07/2021"; unknown parts are left out."""
    name = ""
    if doc and doc.doc_type in NAMED_TYPES and doc.title:
        named = doc.title.lower().startswith(doc.doc_type.lower())
        name = f"{doc.title if named else f'{doc.doc_type} {doc.title}'} {doc.number}".strip()
    elif doc:
        name = (
            f"{doc.doc_type or 'Văn bản'} {doc.number}"
            if doc.number
            else f"{doc.doc_type} {doc.title}".strip()
        )
    name = name or (f"văn bản số {law}" if re.fullmatch(DOC_NUMBER, law) else law)
    parts = [f"Điều {article.number}" if article.number else "", name]
    if doc and doc.effective_from:
        parts.append(f"hiệu lực {doc.effective_from:%d/%m/%Y}")
    if doc and doc.effective_to:
        parts.append(f"hết hiệu lực {doc.effective_to:%d/%m/%Y}")
    return ", ".join(p for p in parts if p)

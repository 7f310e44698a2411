"""Parse Vietnamese legal documents into articles, clauses and points, and cut them into index chunks.

Statutes nest Phần (part) > Chương (chapter) > Mục (section) > Điều (article, "Điều 12. Title") > Khoản
(clause, "1.") > Điểm (point, "a)"). The header carries the issuer, "Số: 68/2020/QH14", the type (LUẬT,
NGHỊ ĐỊNH...), the subject and "Hà Nội, ngày 13 tháng 11 năm 2020"; the final articles say when the
document takes effect and which documents it ends or amends. Pure functions, stdlib only (python-docx and
pypdf are imported by `read_file` when needed). Parsing never raises on odd content: what it cannot
place goes into `LegalDocument.problems`.

    model.py       LegalDocument, Article, Clause, Point
    patterns.py    the regular expressions and word lists
    parse.py       normalize, parse_text (header, structure, facts), parse_article_text
    readers.py     read_file (.txt, .docx, .pdf), read_corpus (ALQAC jsonl)
    chunker.py     chunks: articles cut to a token budget
    citations.py   citation: "Điều 12, Luật Cư trú 68/2020/QH14, hiệu lực 01/07/2021"
"""

from .chunker import chunks, default_token_count
from .citations import citation
from .model import Article, Clause, LegalDocument, Point
from .parse import normalize, parse_article_text, parse_text
from .readers import read_corpus, read_file

__all__ = [
    "Article",
    "Clause",
    "LegalDocument",
    "Point",
    "chunks",
    "citation",
    "default_token_count",
    "normalize",
    "parse_article_text",
    "parse_text",
    "read_corpus",
    "read_file",
]

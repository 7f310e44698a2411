"""Turning sources into chunks: procedures from the catalogue (one chunk per section) and legal
documents (one chunk per article, long articles split by clause with the heading repeated)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from motcua.catalogue.models import Procedure

from . import legal
from .models import Access, SourceKind
from .services import store_source, token_counter

# A chunk's text stays under this many model tokens, leaving room within the embedder's 512 for the
# section heading embedded with it and the "passage: " prefix.
CHUNK_TOKENS = 440


def _split(text: str, count=None, limit: int = CHUNK_TOKENS) -> list[str]:
    """Paragraph-aligned parts of at most `limit` tokens as `count` measures them (the embedder's own
    tokenizer by default); a paragraph too long for one part is cut between words."""
    count = count or token_counter()
    parts, current = [], []

    def flush():
        if current:
            parts.append("\n".join(current))
            current.clear()

    for paragraph in [p.strip() for p in text.split("\n") if p.strip()]:
        if current and count("\n".join([*current, paragraph])) > limit:
            flush()
        if count(paragraph) <= limit:
            current.append(paragraph)
            continue
        flush()
        words = paragraph.split()
        while words:
            n = _fitting_words(words, count, limit)
            parts.append(" ".join(words[:n]))
            words = words[n:]
    flush()
    return parts


def _fitting_words(words: list[str], count, limit: int) -> int:
    """How many leading words fit in `limit` tokens (at least one), by bisection."""
    low, high = 1, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        if count(" ".join(words[:middle])) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


SECTIONS = [
    ("tong-quan", "Thông tin chung"),
    ("thanh-phan-ho-so", "Thành phần hồ sơ"),
    ("thoi-han-phi", "Thời hạn giải quyết, phí, lệ phí"),
    ("trinh-tu", "Trình tự thực hiện"),
    ("can-cu-phap-ly", "Căn cứ pháp lý"),
    ("dieu-kien", "Yêu cầu, điều kiện"),
    ("ket-qua", "Kết quả"),
]


def _section_texts(p: Procedure) -> dict[str, str]:
    channels = []
    for option in p.channels.all():
        fees = "; ".join(
            f"{f.amount or ''} {f.currency if f.amount is not None else ''} {f.description}".strip()
            for f in option.fees.all()
        ) or ("Miễn phí" if option.free else option.fee_text)
        channels.append(
            f"{option.get_channel_display()}: {option.time_display or 'không rõ thời hạn'}; {fees}"
        )
    documents = []
    for case in p.cases.all():
        if case.name:
            documents.append(case.name)
        documents += [
            f"- {d.name} ({d.originals} bản chính, {d.copies} bản sao)" for d in case.documents.all()
        ]
    return {
        "tong-quan": "\n".join(
            filter(
                None,
                [
                    p.name,
                    p.summary,
                    p.field.name if p.field else "",
                    "Cơ quan: " + p.competent_authority if p.competent_authority else "",
                    "Đối tượng: " + "; ".join(p.applicant_types) if p.applicant_types else "",
                    "Từ khóa: " + "; ".join(p.keywords) if p.keywords else "",
                ],
            )
        ),
        "thanh-phan-ho-so": "\n".join(documents),
        "thoi-han-phi": "\n".join(channels),
        "trinh-tu": "\n".join(f"{s.get('title', '')} {s.get('description', '')}".strip() for s in p.steps),
        "can-cu-phap-ly": "\n".join(
            f"{law.get('title', '')} {law.get('number', '')}".strip() for law in p.legal_basis
        ),
        "dieu-kien": p.conditions,
        "ket-qua": p.result,
    }


def procedure_chunks(p: Procedure) -> list[dict]:
    chunks = []
    texts = _section_texts(p)
    for slug, heading in SECTIONS:
        for n, part in enumerate(_split(texts[slug])):
            chunks.append(
                {
                    "key": f"procedure:{p.code}:{slug}" + (f":{n}" if n else ""),
                    "title_path": [p.name, heading],
                    "text": part,
                    "anchor": slug,
                    "citation": f"Thủ tục {p.code} {p.name} — {heading}",
                }
            )
    return chunks


def sync_procedures(codes: list[str] | None = None) -> dict[str, int]:
    procedures = Procedure.objects.select_related("field").prefetch_related(
        "channels__fees", "cases__documents"
    )
    if codes is not None:
        procedures = procedures.filter(code__in=codes)
    totals = {"sources": 0, "new": 0, "changed": 0, "unchanged": 0, "removed": 0}
    for p in procedures.iterator(chunk_size=200):
        counts = store_source(
            kind=SourceKind.PROCEDURE,
            key=f"procedure:{p.code}",
            title=p.name,
            number=p.code,
            access_level=Access.PUBLIC,
            chunks=procedure_chunks(p),
        )
        totals["sources"] += 1
        for name, n in counts.items():
            totals[name] += n
    return totals


def follow_catalogue(codes: list[str] | None) -> None:
    """After a catalogue change: re-chunk the procedures concerned (deleted ones drop out) and index."""
    from .services import delete_source, index_pending

    sync_procedures(codes)
    if codes is not None:
        for code in set(codes) - set(Procedure.objects.filter(code__in=codes).values_list("code", flat=True)):
            delete_source(f"procedure:{code}")
    index_pending()


@dataclass
class LegalReport:
    documents: int = 0
    chunks: int = 0
    problems: list[str] = field(default_factory=list)


def _legal_chunks(law: str, articles, doc=None) -> list[dict]:
    out = []
    by_number: dict[str, legal.Article] = {}
    for a in articles:
        by_number.setdefault(a.number, a)  # the first article of a number, as cited before
    for chunk in legal.chunks(articles, law=law, max_tokens=CHUNK_TOKENS, count_tokens=token_counter()):
        article = by_number.get(chunk["article"])
        out.append(
            {
                "key": f"legal:{chunk['id']}",
                "title_path": chunk["title_path"],
                "text": chunk["text"],
                "anchor": f"dieu-{chunk['article']}",
                "citation": legal.citation(doc, article, law) if article else law,
            }
        )
    return out


@transaction.atomic
def import_legal_corpus(path: Path) -> LegalReport:
    """The ALQAC-style corpus: one JSON article per line, grouped by law id. All or nothing: a bad line
    anywhere stores no law."""
    report = LegalReport()
    for law_id, articles in legal.read_corpus(path):
        chunks = _legal_chunks(law_id, articles)
        store_source(kind=SourceKind.LEGAL, key=f"legal:{law_id}", title=law_id, number=law_id, chunks=chunks)
        report.documents += 1
        report.chunks += len(chunks)
    return report


def import_legal_file(path: Path, *, number: str = "", title: str = "") -> LegalReport:
    """A legal document as text, DOCX or PDF (with a text layer)."""
    doc = legal.parse_text(legal.read_file(path), number=number, title=title)
    law = doc.number or number or Path(path).stem
    chunks = _legal_chunks(law, doc.articles, doc)
    if not chunks:
        raise ValueError(f"{path}: no article (Điều) found; nothing was imported")
    store_source(
        kind=SourceKind.LEGAL,
        key=f"legal:{law}",
        title=doc.title or title or law,
        number=law,
        doc_type=doc.doc_type,
        issuer=doc.issuer,
        issued_on=doc.issued_on,
        valid_from=doc.effective_from,
        valid_to=doc.effective_to,
        status=doc.status,
        replaces=doc.replaces,
        problems=doc.problems,
        chunks=chunks,
    )
    return LegalReport(documents=1, chunks=len(chunks), problems=doc.problems)

"""Read legal texts from files: .txt, .docx and .pdf (python-docx and pypdf are imported when needed), and
the ALQAC corpus format (one article per JSON line)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from .model import Article
from .parse import normalize, parse_article_text

MAGIC = {b"%PDF": "a PDF", b"PK\x03\x04": "a ZIP/.docx", b"\xd0\xcf\x11\xe0": "a Word 97-2003 .doc"}
MAGIC |= {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image"}


def _read_txt(path: Path) -> str:
    data = path.read_bytes()
    kind = next((k for magic, k in MAGIC.items() if data.startswith(magic)), None)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16", errors="replace")
    elif kind or b"\x00" in data:
        raise ValueError(
            f"{path.name} is not a text file (it is {kind or 'binary data'}): use UTF-8 text, .docx or .pdf"
        )
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:  # Windows Vietnamese: older office files still use it
            text = data.decode("cp1258", errors="replace")
    if sum(unicodedata.category(c) == "Cc" and c not in "\n\r\t\f" for c in text) > len(text) / 100:
        raise ValueError(f"{path.name} is not a text file (it is binary data)")
    return normalize(text)


def _read_docx(path: Path) -> str:
    try:
        import docx  # python-docx
        from docx.table import Table
    except ImportError as e:
        raise ImportError("reading .docx needs python-docx: pip install python-docx") from e
    try:
        document = docx.Document(str(path))
    except Exception as e:  # zipfile, lxml and KeyError errors all mean the same to the user
        raise ValueError(f"{path.name} is not a valid .docx file: {e}") from e
    out: list[str] = []
    for block in document.iter_inner_content():  # paragraphs and tables in document order
        if isinstance(block, Table):  # the header block is usually a two-column table
            for row in block.rows:
                cells = {id(c._tc): c for c in row.cells}  # a merged cell comes once per grid column
                out += [c.text for c in cells.values()]
        else:
            out.append(block.text)
    return normalize("\n".join(out))


def _read_pdf(path: Path) -> str:
    import pypdf

    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        text = normalize("\n".join(page.extract_text() or "" for page in reader.pages))
    except Exception as e:  # pypdf raises many types for damaged or protected files
        raise ValueError(f"{path.name}: cannot read the PDF ({e})") from e
    if sum(c.isalpha() for c in text) < 20:
        raise ValueError(f"scanned PDF: run OCR first ({path.name} has no text layer)")
    return text


READERS = {".txt": _read_txt, ".docx": _read_docx, ".pdf": _read_pdf}


def read_file(path: Path, *, max_bytes: int = 20 * 1024 * 1024) -> str:
    """The text (NFC) of a .txt, .docx or .pdf file. Type and size are checked before anything is read."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ValueError(
            f"unsupported file type {path.suffix or '(none)'!r} for {path.name}: use .txt, .docx or .pdf"
        )
    if (size := path.stat().st_size) > max_bytes:
        raise ValueError(f"{path.name} is {size:,} bytes, over the limit of {max_bytes:,} bytes (max_bytes)")
    return reader(path)


def read_corpus(path: Path) -> Iterator[tuple[str, list[Article]]]:
    """ALQAC jsonl rows grouped by law_id, in order of first appearance; numbers come from article_id."""
    laws: dict[str, list[Article]] = {}
    with Path(path).open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                law, number, article = (
                    str(row["law_id"]),
                    str(row["article_id"]),
                    parse_article_text(row["text"]),
                )
            except json.JSONDecodeError as e:
                raise ValueError(f"line {n}: invalid JSON ({e.msg})") from e
            except KeyError as e:
                raise ValueError(f"line {n}: missing field {e}") from e
            except (TypeError, AttributeError, ValueError) as e:
                raise ValueError(f"line {n}: bad row ({e})") from e
            article.number = number
            laws.setdefault(law, []).append(article)
    yield from laws.items()

"""Parse Vietnamese legal documents into articles, clauses and points, and cut them into index chunks.

Statutes nest Phần (part) > Chương (chapter) > Mục (section) > Điều (article, "Điều 12. Title") > Khoản
(clause, "1.") > Điểm (point, "a)"). The header carries the issuer, "Số: 68/2020/QH14", the type (LUẬT,
NGHỊ ĐỊNH...), the subject and "Hà Nội, ngày 13 tháng 11 năm 2020"; the final articles say when the
document takes effect and which documents it ends or amends. Pure functions, stdlib only (python-docx and
pypdf are imported by `read_file` when needed). Parsing never raises on odd content: what it cannot
place goes into `LegalDocument.problems`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path


@dataclass
class Point:
    letter: str  # "a", "đ"
    text: str  # as written, marker included: "a) Đã bị xử phạt ...;"


@dataclass
class Clause:
    number: str  # "1", "2a"; "" holds the points of an article that has no numbered clauses
    text: str  # as written, marker and points included
    points: list[Point] = field(default_factory=list)


@dataclass
class Article:
    number: str  # "12", "12a"
    title: str
    part: str = ""
    chapter: str = ""  # "Chương II. ĐĂNG KÝ CƯ TRÚ"
    section: str = ""
    clauses: list[Clause] = field(default_factory=list)
    text: str = ""  # the article's full text as written (NFC)
    intro: str = ""  # the body before the first clause: all of it when there are no clauses

    @property
    def heading(self) -> str:
        return f"Điều {self.number}. {self.title}".strip(". ") if self.number else self.title

    @property
    def body(self) -> str:
        return "\n".join([self.intro] * bool(self.intro) + [c.text for c in self.clauses])


@dataclass
class LegalDocument:
    number: str = ""  # "68/2020/QH14"
    doc_type: str = ""  # "Luật"
    title: str = ""  # the subject: "Cư trú"
    issuer: str = ""
    issued_on: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    status: str = "unknown"  # "in_force" | "expired" | "unknown"
    replaces: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# --- patterns ---------------------------------------------------------------------------------------------
# Heading keywords in any case ("Chương", "CHƯƠNG"), numerals case-sensitive: "Phần lớn", "Mục đích" and
# "Điều kiện" begin real article titles and lines.
PART_RE = re.compile(r"^((?i:phần)\s+(?:(?i:thứ)\s+\w+|[IVXLC]+|\d+))\b[.:]?\s*(.*)$")
CHAPTER_RE = re.compile(r"^((?i:chương)\s+(?:[IVXLC]+|\d+))\b[.:]?\s*(.*)$")
SECTION_RE = re.compile(r"^((?i:mục)\s+(?:\d+|[IVXLC]+))\b[.:]?\s*(.*)$")
# "Điều 12. Title", "Điều 12: Title", or "Điều 115" alone (the Constitution has no article titles)
ARTICLE_RE = re.compile(r"^(?i:điều)\s+(\d+[a-zđ]?)(?:\s*[.:]\s*|\s*$)(.*)$")
LEVELS = ("part", "chapter", "section")
HEADINGS = (("part", PART_RE), ("chapter", CHAPTER_RE), ("section", SECTION_RE), ("article", ARTICLE_RE))
CLAUSE_RE = re.compile(r"^(\d{1,3}[a-zđ]?)\.\s+\S")  # "1. ", "2a. "; not "1.000 đồng" nor "1.1."
CLAUSE_NO_DOT_RE = re.compile(r"^(\d{1,3}) (?=[A-ZĐÀ-Ỹ])")  # "23 Đề nghị": a typo, taken as the next clause
POINT_RE = re.compile(r"^([a-zđ]\d?)\)\s+\S")  # "a) ", "đ) ", "a1) "
POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese order: no f, j, w, z
RULE_RE = re.compile(r"^[-_=*.~–—\s]{3,}$")  # the rules drawn under header lines
DOC_NUMBER = r"\d+/(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-Za-zĐđ0-9]+)*"  # 68/2020/QH14, 15/QĐ-BNV
NUMBER_RE = re.compile(r"\b" + DOC_NUMBER)
NUMBER_LINE_RE = re.compile(
    r"(?:^|\s)(?:(?:Bộ luật|Luật|Pháp lệnh|Nghị quyết|Lệnh) số|[Ss]ố)\s*:?\s*(" + DOC_NUMBER + ")"
)
DATE_RE = re.compile(r"ngày\s+(\d{1,2})\s*(?:tháng|/|-)\s*(\d{1,2})\s*(?:năm|/|-)\s*(\d{4})")
PLACE_DATE_RE = re.compile(r"[A-ZĐ][^,\d]{1,40},\s*" + DATE_RE.pattern)
NATIONAL_RE = re.compile(r"CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM")
LOCAL_UNIT_RE = re.compile(r"(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\b")
DOC_TYPES = (
    "BỘ LUẬT|HIẾN PHÁP|PHÁP LỆNH|THÔNG TƯ LIÊN TỊCH|NGHỊ QUYẾT LIÊN TỊCH|VĂN BẢN HỢP NHẤT|NGHỊ ĐỊNH|NGHỊ QUYẾT"
    "|THÔNG TƯ|QUYẾT ĐỊNH|CHỈ THỊ|LỆNH|LUẬT|QUY CHẾ|QUY ĐỊNH|HƯỚNG DẪN|KẾ HOẠCH|THÔNG BÁO"
).split("|")
TYPE_LINE_RE = re.compile(r"^(" + "|".join(DOC_TYPES) + r")(?:\s+(.+))?$")
TYPE_BY_SYMBOL = {"NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "QĐ": "Quyết định"}
TYPE_BY_SYMBOL |= {"NQ": "Nghị quyết", "CT": "Chỉ thị", "VBHN": "Văn bản hợp nhất"}
NAMED_TYPES = ("Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh")  # cited by name: "Luật Cư trú 68/2020/QH14"
PREAMBLE_RE = re.compile(r"^(Căn cứ|Theo đề nghị|Xét)\b")
TITLE_STOP_RE = re.compile(r"^(Căn cứ|Theo đề nghị|Xét|\(|.*\bban hành\b)")
THIS = r"^(?:\d+\.\s+)?(?:Bộ luật|Luật|Hiến pháp|Pháp lệnh|Nghị định|Nghị quyết|Thông tư|Quyết định|Chỉ thị)"
EFFECTIVE_RE = re.compile(THIS + r"(?: liên tịch)? này(?: chính thức)? có hiệu lực")
EXPIRES_RE = re.compile(THIS + r"(?: liên tịch)? này hết hiệu lực")
AMEND_RE = re.compile(r"[Ss]ửa đổi, bổ sung")
# "Luật X số N đã được sửa đổi, bổ sung một số điều theo Luật số A và Luật số B": A and B are only history
HISTORY_RE = re.compile(
    r"đã được sửa đổi[^.;]*?theo(?:,? (?:và )?(?:Bộ luật |Luật |Pháp lệnh |Nghị định |Thông tư )?số \S+)+"
)
PARTIAL_RE = re.compile(r"\b(?:Điều|khoản|điểm|Chương|Mục)\s+[\dIVXLC]")  # "bãi bỏ Điều 5 của Luật số N"
SENTENCE_END_RE = re.compile(r"(?<=[.;:!?])\s+(?=\S)")
# The end of the enacted text: adoption formula, recipients, signature block.
CLOSING_RE = re.compile(
    r"^(?:(?:Bộ luật|Luật|Hiến pháp|Pháp lệnh|Nghị quyết) này (?:đã )?được (?:Quốc hội|Hội đồng)"
    r"|Nơi nhận\b|(?:TM|KT|TL|TUQ|Q)\.\s|(?:PHÓ )?(?:CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG)\b)"
)
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def normalize(text: str) -> str:
    """NFC (so NFD input parses the same), one kind of line end and space, invisible characters removed."""
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    return re.sub(r"[ \t\xa0]+", " ", text.replace("\r\n", "\n").replace("\r", "\n"))


def _lines(text: str) -> list[str]:
    return [s for s in (line.strip() for line in text.split("\n")) if s and not RULE_RE.match(s)]


def _key(number: str) -> tuple[int, str]:
    m = re.match(r"(\d+)(.*)", number)
    return (int(m[1]), m[2]) if m else (0, number)


def _date(m: re.Match | None) -> date | None:
    try:
        return date(int(m[3]), int(m[2]), int(m[1])) if m else None
    except ValueError:
        return None


def _is_title(line: str) -> bool:
    return not (CLAUSE_RE.match(line) or POINT_RE.match(line)) and line[-1] not in ".;:,!?…"


class _Quotes:
    """Whether a line starts inside a quotation: amending acts quote whole clauses and articles ('“1. ...',
    '“Điều 5. ...'), whose numbers must not be taken for the act's own structure."""

    def __init__(self) -> None:
        self.depth, self.straight = 0, False

    def inside(self, line: str) -> bool:
        return self.depth > 0 or self.straight or line[:1] in '“"'

    def feed(self, line: str) -> None:
        self.depth = max(0, self.depth + line.count("“") - line.count("”"))
        self.straight ^= line.count('"') % 2 == 1


def _split_body(lines: list[str]) -> tuple[str, list[Clause], bool]:
    """Body lines -> (intro, clauses, quotes balanced). Clause numbers and point letters must increase:
    a "1." after clause 3 is quoted or listed text and stays in clause 3."""
    intro: list[str] = []
    clauses: list[tuple[str, list[str], list[tuple[str, list[str]]]]] = []  # (number, lines, points)
    quotes = _Quotes()
    for line in lines:
        quoted = quotes.inside(line)
        quotes.feed(line)
        clause = None if quoted else CLAUSE_RE.match(line)
        if not quoted and not clause and clauses and (m := CLAUSE_NO_DOT_RE.match(line)):
            clause = m if _key(m[1]) == (_key(clauses[-1][0])[0] + 1, "") else None
        point = None if quoted else POINT_RE.match(line)
        points = clauses[-1][2] if clauses else []
        if clause and (not clauses or _key(clause[1]) > _key(clauses[-1][0])):
            clauses.append((clause[1], [line], []))
        elif point and (not points or POINT_LETTERS.find(point[1][0]) > POINT_LETTERS.find(points[-1][0][0])):
            if not clauses:  # points straight under the article: they go in an unnumbered clause
                clauses.append(("", intro, []))
                intro = []
            clauses[-1][1].append(line)
            clauses[-1][2].append((point[1], [line]))
        elif clauses:
            clauses[-1][1].append(line)
            if points:
                points[-1][1].append(line)
        else:
            intro.append(line)
    built = [Clause(n, "\n".join(ls), [Point(p, "\n".join(pl)) for p, pl in pts]) for n, ls, pts in clauses]
    return "\n".join(intro), built, not (quotes.depth or quotes.straight)


def _article(number: str, title: str, lines: list[str], text: str, **where: str) -> tuple[Article, bool]:
    if not title and lines and _is_title(lines[0]):  # "Điều 5." with its title on the next line
        title = lines.pop(0)
    while lines and title and title[-1] not in ".;:" and lines[0][:1].islower() and _is_title(lines[0]):
        title = f"{title} {lines.pop(0)}"  # a long title wrapped onto the next line (PDF text layers)
    intro, clauses, balanced = _split_body(lines)
    return Article(number, title, clauses=clauses, text=text, intro=intro, **where), balanced


def parse_article_text(text: str) -> Article:
    """One article as in the ALQAC rows: a title line (or "Điều 12. Title") then the body. Articles of the
    Constitution have no title: a first line that is a clause or ends like a sentence is body."""
    text = normalize(text).strip()
    lines = _lines(text)
    if not lines:
        raise ValueError("empty article")
    m = ARTICLE_RE.match(lines[0])
    return _article(m[1], m[2], lines[1:], text)[0] if m else _article("", "", lines, text)[0]


def _sentence_case(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    if s != s.upper():
        return s
    s = (s[:1] + s[1:].lower()).replace("việt nam", "Việt Nam")
    # the names of other laws keep their capitals: "... của Luật Cư trú", "Bộ luật Dân sự"
    return re.sub(r"\b(bộ luật|luật) (\w)", lambda m: m[1].capitalize() + " " + m[2].upper(), s)


def _parse_header(lines: list[str], doc: LegalDocument) -> None:
    nat = next((i for i, s in enumerate(lines) if NATIONAL_RE.search(s)), None)
    if nat is not None:  # the issuer: upper-case lines above, or left of, the national title
        issuer = [
            s for s in [*filter(str.isupper, lines[:nat]), NATIONAL_RE.split(lines[nat])[0].strip()] if s
        ]
        # "ỦY BAN NHÂN DÂN / TỈNH HÀ NAM" is one name; in "BỘ TÀI CHÍNH / TỔNG CỤC THUẾ" the lower line issues
        keep = 2 if len(issuer) > 1 and LOCAL_UNIT_RE.match(issuer[-1]) else 1
        doc.issuer = " ".join(issuer[-keep:])
    elif lines and lines[0].isupper() and not TYPE_LINE_RE.match(lines[0]):
        doc.issuer = lines[0]
    start = 0
    for i, s in enumerate(lines):
        if PREAMBLE_RE.match(s):
            break
        if not doc.number and (m := NUMBER_LINE_RE.search(s)):
            doc.number, start = m[1], i
        if not doc.issued_on and (m := PLACE_DATE_RE.search(s)):
            doc.issued_on, start = _date(DATE_RE.search(m[0])), i
    for i in range(start, len(lines)):
        if m := TYPE_LINE_RE.match(lines[i]):
            doc.doc_type, title = m[1].capitalize(), [m[2]] if m[2] else []
            for s in lines[i + 1 : i + 5]:  # the subject, until the preamble or a change of case
                if TITLE_STOP_RE.match(s) or (title and s.isupper() != title[-1].isupper()):
                    break
                title.append(s)
            doc.title = _sentence_case(" ".join(title)).rstrip(":")
            break


def _facts(sentences: Iterable[str], doc: LegalDocument) -> None:
    """Effective dates and the documents replaced or amended, from the body's sentences."""
    for s in sentences:
        s = HISTORY_RE.sub("", s)
        numbers = [n for n in NUMBER_RE.findall(s) if n != doc.number]
        if EFFECTIVE_RE.match(s) and not doc.effective_from:
            if m := re.search(r"sau (\d+) ngày,? kể từ ngày ký", s):
                doc.effective_from = doc.issued_on and doc.issued_on + timedelta(days=int(m[1]))
            elif re.search(r"từ ngày ký|kể từ ngày ban hành", s):
                doc.effective_from = doc.issued_on
            else:
                doc.effective_from = _date(DATE_RE.search(s))
        elif EXPIRES_RE.match(s):
            doc.effective_to = _date(DATE_RE.search(s))
        elif "hết hiệu lực" in s or (re.search(r"\bthay thế\b|[Bb]ãi bỏ", s) and not AMEND_RE.search(s)):
            pos = 0
            for n in numbers:  # "Điều 5 của Luật số N hết hiệu lực" only amends N
                at = s.index(n, pos)
                (doc.amends if PARTIAL_RE.search(s[pos:at]) else doc.replaces).append(n)
                pos = at + len(n)
        elif AMEND_RE.search(s):
            doc.amends.extend(numbers)
    doc.replaces = list(dict.fromkeys(doc.replaces))
    doc.amends = [n for n in dict.fromkeys(doc.amends) if n not in doc.replaces]


def parse_text(text: str, *, number: str = "", title: str = "", as_of: date | None = None) -> LegalDocument:
    """A whole document. `number` and `title` are the caller's metadata and win over the header. `status`
    is judged on `as_of` (default today) from the document's own text: a later repeal is not visible."""
    lines = _lines(normalize(text))
    if not lines:
        raise ValueError("empty document")
    doc, where = LegalDocument(), {"part": "", "chapter": "", "section": ""}
    header: list[str] = []
    closing: list[str] = []
    stray: list[str] = []
    current: list[str] = []  # the lines of the article being read, its heading first
    pending = ""  # a part/chapter/section whose title may follow on the next upper-case lines
    quotes, last = _Quotes(), (0, "")
    started = closed = False  # past the header; inside the signature block

    def finish() -> None:
        if current:
            m = ARTICLE_RE.match(current[0])
            art, balanced = _article(m[1], m[2], current[1:], "\n".join(current), **where)
            if not balanced:
                doc.problems.append(f"Điều {art.number}: unbalanced quotation marks")
            if not (art.intro or art.clauses):
                doc.problems.append(f"Điều {art.number}: no text")
            doc.articles.append(art)
            current.clear()

    for line in lines:
        quoted = quotes.inside(line)
        quotes.feed(line)
        kind, m = next(((k, m) for k, rx in HEADINGS if not quoted and (m := rx.match(line))), (None, None))
        if kind == "article":
            key = _key(m[1])
            if key > last or key == (1, ""):
                if key <= last:
                    doc.problems.append(
                        f"numbering restarts at Điều 1 after Điều {last[0]}{last[1]} (attached document?)"
                    )
                elif last[0] and key[0] > last[0] + 1:
                    gap = f"{last[0] + 1}" + (f"-{key[0] - 1}" if key[0] - 1 > last[0] + 1 else "")
                    doc.problems.append(f"missing Điều {gap} before Điều {key[0]}")
                finish()
                current.append(line)
                quotes, last, pending, started, closed = _Quotes(), key, "", True, False
                continue
            doc.problems.append(f"Điều {m[1]} out of order after Điều {last[0]}{last[1]}: kept as text")
        elif kind:
            finish()
            where[kind] = f"{m[1]}. {m[2]}" if m[2] else m[1]
            for lower in LEVELS[LEVELS.index(kind) + 1 :]:  # a new chapter ends the section...
                where[lower] = ""
            pending, started, closed = kind, True, False
            continue
        if pending and line.isupper() and not current:  # "Chương II" / "ĐĂNG KÝ CƯ TRÚ" on two lines
            where[pending] += (" " if "." in where[pending] else ". ") + line
            continue
        pending = ""
        if started and CLOSING_RE.match(line):
            finish()
            closed = True
        if current:
            current.append(line)
        else:
            (closing if closed else stray if started else header).append(line)
    finish()

    _parse_header(header, doc)
    doc.issued_on = doc.issued_on or _date(re.search(r"thông\s+qua\s+" + DATE_RE.pattern, " ".join(closing)))
    if number and doc.number and number != doc.number:
        doc.problems.append(f"number in the text {doc.number} differs from the given {number}")
    doc.number = number or doc.number
    for t in sorted((*NAMED_TYPES, *(t.capitalize() for t in DOC_TYPES)), key=len, reverse=True):
        if title.lower().startswith(t.lower() + " "):  # "Luật Cư trú" -> type "Luật", title "Cư trú"
            doc.doc_type, title = doc.doc_type or t, title[len(t) + 1 :]
            break
    doc.title = title or doc.title
    if not doc.doc_type and (m := re.search(r"/([A-ZĐ]+)-", doc.number)):
        doc.doc_type = TYPE_BY_SYMBOL.get(m[1], "")
    # one paragraph per heading, intro and clause, lines joined: PDF text layers wrap mid-sentence
    paras = [
        p.replace("\n", " ") for a in doc.articles for p in (a.heading, a.intro, *(c.text for c in a.clauses))
    ]
    _facts((s for p in [*paras, " ".join(closing)] for s in re.split(r"(?<=[.;])\s+", p) if s), doc)

    today = as_of or date.today()
    if doc.effective_to and doc.effective_to <= today:
        doc.status = "expired"
    elif doc.effective_from and doc.effective_from <= today:
        doc.status = "in_force"
    found = {"number": doc.number, "document type": doc.doc_type, "issue date": doc.issued_on}
    for name, value in {**found, "effective date": doc.effective_from}.items():
        if not value:
            doc.problems.append(f"{name} not found")
    if not doc.articles:
        doc.problems.append("no articles (Điều) found")
    if stray:
        doc.problems.append(f"{len(stray)} line(s) outside any article, first: {stray[0][:80]!r}")
    return doc


# --- files ----------------------------------------------------------------------------------------------
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


# --- chunks and citations -------------------------------------------------------------------------------
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

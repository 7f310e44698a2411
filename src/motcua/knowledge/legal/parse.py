"""Parse the text of a legal document: header (issuer, number, type, subject, date), the Phần > Chương > Mục
> Điều > Khoản > Điểm structure, and the facts of the final articles (effective dates, documents replaced
or amended). Parsing never raises on odd content: what it cannot place goes into `LegalDocument.problems`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta

from .model import Article, Clause, LegalDocument, Point
from .patterns import (
    AMEND_RE,
    ARTICLE_RE,
    CLAUSE_NO_DOT_RE,
    CLAUSE_RE,
    CLOSING_RE,
    DATE_RE,
    DOC_TYPES,
    EFFECTIVE_RE,
    EXPIRES_RE,
    HEADINGS,
    HISTORY_RE,
    INVISIBLE,
    LEVELS,
    LOCAL_UNIT_RE,
    NAMED_TYPES,
    NATIONAL_RE,
    NUMBER_LINE_RE,
    NUMBER_RE,
    PARTIAL_RE,
    PLACE_DATE_RE,
    POINT_LETTERS,
    POINT_RE,
    PREAMBLE_RE,
    RULE_RE,
    TITLE_STOP_RE,
    TYPE_BY_SYMBOL,
    TYPE_LINE_RE,
)


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

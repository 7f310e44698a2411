"""Parse one procedure scraped from the national public service portal (dichvucong.gov.vn).

The scrape flattens the portal's HTML tables into text without separators, so the cells are found
again from what the portal always prints: channel names, "N Ngày làm việc", "N,NNN Việt Nam Đồng",
"N bản chính,M bản sao", document numbers such as "51/2019/QH14". Pure standard library.

``parse_record(row)`` never raises on bad content; it returns a plain dict (``ParsedProcedure``)::

    code, name, publication_decision, procedure_type, field: str
    levels: list[str]                 # "ministry" | "province" | "commune" | "other", in source order
    applicant_types: list[str]
    competent_authority, coordinating_agencies, authorised_agency, implementing_agency,
    reception_address: str
    steps: [{title, description}]     # split at "Bước N": title is the rest of the marker's line (or
                                      # "Bước N" when that line is the whole step); no markers: one
                                      # step with an empty title and the whole text
    channels: [{channel: "counter"|"online"|"post", time_value: float|None,
                time_unit: "working_days"|"days"|"hours"|"months"|"years"|None, time_text: str,
                fees: [{kind: "fee"|"charge"|"other", amount: int|None, currency: str, description}],
                free: bool, fee_text: str, description: str}]
                # a "Miễn phí" line is kept as a fee of amount 0 (with its note) and sets free
    cases: [{name, documents: [{name, originals, copies, form_template, notes}]}]
                # name "" for a table without a case heading; several form files are joined by "; "
    legal_basis: [{number, title}]
    conditions, result, result_code, source_url: str   # several results: names joined by "\\n",
                                                        # codes by ", "
    code_mismatch: bool
    problems: [{field, reason}]       # field is a path without index ("channels.time"), reason a
                                      # fixed English phrase, so problems can be counted by kind

All text is NFC-normalised and stripped; "Không có thông tin" (no information) becomes "".
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ParsedProcedure = dict[str, Any]

LEVELS = {"Cấp bộ": "ministry", "Cấp tỉnh": "province", "Cấp xã": "commune", "Cơ quan khác": "other"}
CHANNELS = {"Trực tiếp": "counter", "Trực tuyến": "online", "Dịch vụ bưu chính": "post"}
TIME_UNITS = {
    "Ngày làm việc": "working_days",
    "Ngày": "days",
    "Giờ": "hours",
    "Tháng": "months",
    "Năm": "years",
}
CURRENCIES = {"Việt Nam Đồng": "VND", "VNĐ": "VND", "Đồng": "VND", "USD": "USD", "EUR": "EUR"}

NO_INFO = "Không có thông tin"
SPACES_RE = re.compile(r"[ \t\f\v]{2,}|[\t\f\v]")  # only runs and tabs: most texts are clean
LINE_EDGES_RE = re.compile(r" ?\n ?")
BLANK_LINES_RE = re.compile(r"\n{3,}")
CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOCUMENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"


def _alternation(labels) -> str:
    return "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))


# A row starts where a channel name is glued to its time cell (a digit or "Không ..."); channel
# names inside the free-text description are followed by ":" or a space instead.
ROW_START_RE = re.compile(rf"({_alternation(CHANNELS)})(?=\d|Không)")
TIME_RE = re.compile(rf"(\d+(?:[.,]\d+)?)\s*({_alternation(TIME_UNITS)})?")
CURRENCY = _alternation(CURRENCIES)
AMOUNT_RE = re.compile(rf"(\d[\d.,]*)\s*({CURRENCY})")
FEE_START_RE = re.compile(rf"\d[\d.,]*\s*(?:{CURRENCY})|Miễn phí|{NO_INFO}")
FREE_RE = re.compile(r"Miễn phí")
# A fee written in the description when the fee cell is empty: "- Lệ phí : 20.000 Đồng (…)".
STATED_FEE_RE = re.compile(r"(Lệ phí|Phí)\s*:\s*(\d[\d.,]*)\s*(Đồng|đồng|VNĐ|USD)")
# The portal prints amounts as 1,234,567; a time without unit is glued in front ("1" + "20,000").
PORTAL_AMOUNT_RE = re.compile(r"[1-9]\d{0,2}(?:,\d{3})*|0")
# An amount written in a note ("8.000.000/lần", "50.000 đồng"): a free line mentioning one is suspect.
NOTE_AMOUNT_RE = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+|[1-9][\d.,]*\s*(?:đồng|USD|VNĐ)", re.IGNORECASE)

# Quantity cell: a single digit count (longer digit runs are the end of the name glued to it) and
# never followed by a space or punctuation, which is how "01 bản chính" reads inside a name.
QUANTITY_RE = re.compile(r"(\d)\s?bản chính(?:,(\d+)\s?bản sao)?(?=$|[^\s;,.:)])")
FORM_FILE_RE = re.compile(r"\.(?:docx?|pdf|xlsx?)", re.IGNORECASE)
FORM_KEYWORD_RE = re.compile(r"Mẫu|Mau|mẫu|mau|Phụ lục|Phu luc|PL|Đơn|Tờ khai|To khai|Tokhai")
BULLET_RE = re.compile(r"^(?:[-+*•]+\s*)+")

# Document numbers: 51/2019/QH14, 105/2021/NĐ-CP, 53/2010/QĐ-TTg, 11/2012/PL-UBTVQH13, 66.7/2025/NQ-CP.
# A year ending the title may be glued in front ("Luật Doanh nghiệp 202076/2025/QH15").
# Only a legislature (QH) carries digits, so "…QH1354/2014/QH13" and "…NĐ-CP05/2021/NĐ-CP" are two numbers.
NUMBER_PART = r"(?:[A-ZĐ]*QH\d{2}|TTg|[A-ZĐ]{2,})"
DOC_NUMBER_RE = re.compile(
    rf"""
    (?: (?:(?<!\d)|(?<=QH\d\d)) \d{{1,4}}    # the serial, not the tail of other digits...
      | (?<=(?:19|20)\d\d) \d{{1,3}} )       # ...unless those digits are a year ending the title
    (?:\.\d+)? /
    (?: \d{{4}} (?: / (?:[A-ZĐ]*QH\d{{2}}|[A-ZĐ]+) (?:[-_/]{NUMBER_PART})* )?   # 51/2019/QH14, 24/2024
      | [A-ZĐ]+ (?:-{NUMBER_PART})+ )                                          # 1649/QĐ-BNNMT
    """,
    re.VERBOSE,
)
# Words of the number cell that precede the number: "Luật số 32/2024/QH15", "Số 73/2025/TT-NHNN".
CELL_WORDS = r"(?:(?:Luật|Luất|Nghị định|Thông tư|Quyết định|Nghị quyết|Số|số)(?: số)?\s*)"
NUMBER_PREFIX_RE = re.compile(rf"(?<=\S){CELL_WORDS}$")
CELL_PREFIX_RE = re.compile(rf"\s*{CELL_WORDS}?")

# Result codes: KQ.G10.000248, 1.000.00.G12-KQ1234, VBTT; the next result's name is glued after them.
RESULT_CODE_RE = re.compile(r"Mã:\s*([A-Za-z0-9_.\-]*\d|[A-Z]{2,}(?![^\W\d_]))?")
PORTAL_NOISE_RE = re.compile(r"Từ khóa|Chọn cơ quan thực hiện|Nộp hồ sơ$")
MAX_STEP_TITLE = 200
# "Bước 1:", "- Bước 2.", "a) Bước 1" at the start of a line or after a space.
STEP_RE = re.compile(r"(?:^|(?<=\s))(?:[-+*]\s*)?(?:[a-zđ]\)\s*)?Bước\s*(\d+)\s*[:.]?\s*")


def clean(value: Any) -> str:
    """NFC, collapse spaces and tabs, strip each line; "Không có thông tin" alone means empty."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\xa0", " ").replace("\r", "")
    text = SPACES_RE.sub(" ", text)
    text = BLANK_LINES_RE.sub("\n\n", LINE_EDGES_RE.sub("\n", text)).strip()
    return "" if text == NO_INFO else text


def one_line(text: str) -> str:
    return " ".join(text.split())


def split_outside_parens(text: str, sep: str = ",") -> list[str]:
    parts, depth, current = [], 0, []
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == sep and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def with_next(items: list) -> Iterator[tuple[Any, Any]]:
    """(item, following item or None) pairs."""
    return zip(items, items[1:] + [None], strict=False)


def balanced_paren(text: str, start: int) -> int:
    """Index just past the ")" closing the "(" at text[start], or -1 when it is never closed."""
    depth = 0
    for i in range(start, len(text)):
        depth += (text[i] == "(") - (text[i] == ")")
        if depth == 0:
            return i + 1
    return -1


class Problems(list):
    def add(self, field: str, reason: str) -> None:
        self.append({"field": field, "reason": reason})

    def guard(self, field: str, parse, *args, default=None):
        """Run one section parser; a bug on odd content becomes a problem, never an exception."""
        try:
            return parse(*args)
        except Exception as exc:  # noqa: BLE001 - the contract is to report, not to raise
            self.add(field, f"could not be parsed ({type(exc).__name__})")
            return [] if default is None else default


# --- simple fields ------------------------------------------------------------------------------


def parse_levels(text: str, problems: Problems) -> list[str]:
    levels = []
    for label in split_outside_parens(text):
        code = LEVELS.get(label)
        if code is None:
            problems.add("levels", "unknown level label")
        elif code not in levels:
            levels.append(code)
    return levels


def parse_applicant_types(text: str) -> list[str]:
    types: list[str] = []
    for part in split_outside_parens(text):
        # "Cán bộ, công chức, viên chức" is one portal label: a part in lower case continues the last.
        if types and part[0].islower():
            types[-1] += ", " + part
        else:
            types.append(part)
    return types


def parse_steps(text: str) -> list[dict[str, str]]:
    if not text:
        return []
    starts, expected = [], None
    for m in STEP_RE.finditer(text):
        number = int(m.group(1))
        if number == 1 or number == expected:  # "xem Bước 6" in prose is not a new step
            starts.append(m)
            expected = number + 1
    if not starts:
        return [{"title": "", "description": text}]
    steps = []
    preamble = BULLET_RE.sub("", text[: starts[0].start()]).strip(" -+*\n")
    if preamble:
        steps.append({"title": "", "description": preamble})
    for m, nxt in with_next(starts):
        body = text[m.end() : nxt.start() if nxt else len(text)].strip()
        title, _, description = body.partition("\n")
        if len(title) > MAX_STEP_TITLE:  # a one-paragraph step: the paragraph is its description
            title, description = f"Bước {m.group(1)}", body
        steps.append({"title": title.strip(), "description": description.strip()})
    return steps


# --- channels, time and fees --------------------------------------------------------------------


def split_glued_time(digits: str) -> tuple[str, str] | None:
    """'120,000' -> ('1', '20,000'): the shortest time prefix leaving a well-formed portal amount."""
    for cut in range(1, len(digits)):
        time_part, amount = digits[:cut], digits[cut:]
        if time_part.isdigit() and PORTAL_AMOUNT_RE.fullmatch(amount):
            return time_part, amount
    return None


def parse_time(row: str, channel: dict, problems: Problems) -> str:
    """Fill the time keys of `channel` from the start of `row`; return the rest of the row."""
    if row.startswith(NO_INFO):
        return row[len(NO_INFO) :]
    m = TIME_RE.match(row)
    if m and m.group(2):
        channel["time_text"] = m.group(0).strip()
        channel["time_value"] = float(m.group(1).replace(",", "."))
        channel["time_unit"] = TIME_UNITS[m.group(2)]
        return row[m.end() :]
    if m:
        number, rest = m.group(1), row[m.end() :]
        if AMOUNT_RE.match(row):  # digits run straight into a currency: time glued to the amount
            digits = AMOUNT_RE.match(row).group(1)
            split = split_glued_time(digits)
            if split is None:
                problems.add("channels.time", "time glued to the fee amount could not be separated")
                return row
            number, rest = split[0], row[len(split[0]) :]
            problems.add("channels.time", "time glued to the fee amount; split assumed")
        channel["time_text"] = number
        channel["time_value"] = float(number.replace(",", "."))
        problems.add("channels.time", "time has no unit")
        return rest
    fee = FEE_START_RE.search(row)
    end = fee.start() if fee else len(row)
    channel["time_text"] = row[:end].strip()
    problems.add("channels.time", "time is text, not a duration")
    return row[end:]


def fee_kind(note: str) -> str:
    """'charge' for lệ phí, 'fee' for phí, whichever the note names first; else 'other'."""
    m = re.search(r"(lệ )?phí", note.lower())
    return "other" if not m else "charge" if m.group(1) else "fee"


def take_note(row: str, problems: Problems) -> tuple[str, str]:
    """Split an optional "(note)" off the start of `row`; return (note, rest)."""
    if not row.startswith("("):
        return "", row
    end = balanced_paren(row, 0)
    if end < 0:
        if row[1:].strip():
            problems.add("channels.fees", "fee note has an unclosed parenthesis")
        return row[1:].strip(), ""
    return row[1 : end - 1].strip(), row[end:]


def parse_fees(row: str, channel: dict, problems: Problems) -> str:
    """Read the fee lines at the start of `row` into `channel`; return the description after them."""
    start = row
    if row.startswith(NO_INFO):
        return row[len(NO_INFO) :]
    while True:
        amount = AMOUNT_RE.match(row)
        free = FREE_RE.match(row)
        if not (amount or free):
            break
        note, row = take_note(row[(amount or free).end() :], problems)
        if free:
            channel["free"] = True
            if NOTE_AMOUNT_RE.search(note):
                problems.add("channels.fees", "fee cell says free but its note states an amount")
            line = {"kind": fee_kind(note), "amount": 0, "currency": "VND", "description": note}
        else:
            value = int(re.sub(r"[.,]", "", amount.group(1)))
            line = {
                "kind": fee_kind(note),
                "amount": value,
                "currency": CURRENCIES[amount.group(2)],
                "description": note,
            }
        channel["fees"].append(line)
    channel["fee_text"] = start[: len(start) - len(row)].strip()
    if not channel["fees"]:
        problems.add("channels.fees", "fee cell not recognised")
    return row


def fees_from_description(channel: dict, problems: Problems) -> None:
    text = channel["description"]
    for m in STATED_FEE_RE.finditer(text):
        note, _ = take_note(text[m.end() :].lstrip(), problems)
        currency = "USD" if m.group(3) == "USD" else "VND"
        amount = int(re.sub(r"[.,]", "", m.group(2)))
        channel["fees"].append(
            {
                "kind": "charge" if m.group(1) == "Lệ phí" else "fee",
                "amount": amount,
                "currency": currency,
                "description": note,
            }
        )
    if channel["fees"]:
        problems.add("channels.fees", "fee cell empty; fee taken from the description")


def parse_channels(text: str, problems: Problems) -> list[dict]:
    if not text:
        return []
    if text.startswith(CHANNEL_HEADER):
        text = text[len(CHANNEL_HEADER) :]
    else:
        problems.add("channels", "channel table header missing")
    starts = list(ROW_START_RE.finditer(text))
    if not starts:
        if text.strip():
            problems.add("channels", "no channel row found")
        return []
    if text[: starts[0].start()].strip():
        problems.add("channels", "text before the first channel row ignored")
    channels = []
    for m, nxt in with_next(starts):
        row = text[m.end() : nxt.start() if nxt else len(text)]
        channel = {
            "channel": CHANNELS[m.group(1)],
            "time_value": None,
            "time_unit": None,
            "time_text": "",
            "fees": [],
            "free": False,
            "fee_text": "",
            "description": "",
        }
        rest = parse_time(row, channel, problems)
        rest = parse_fees(rest, channel, problems)
        channel["description"] = clean(rest)
        if not channel["fees"]:
            fees_from_description(channel, problems)
        channels.append(channel)
    return channels


# --- required documents -------------------------------------------------------------------------


def glue_strength(text: str, i: int) -> int:
    """How surely a form file name glued to the document name starts at text[i]: 2 after a lower-case
    letter, closing punctuation, a dot or a year and before a capital ("…kinh doanhMẫu 04", "…(bản
    chính)Phụ lục 12.2", "…NHNN.PL V", "…26/01/2026Mau so 02"); 1 for a lower-case letter before a
    digit ("…theo mẫu1.004286"), which also occurs inside file names ("Phlc03TT10"); else 0."""
    before, char = text[i - 1], text[i]
    if char.isupper():
        after_dot = before == "." and (text[i - 2 : i - 1].isalpha() or text[i - 2 : i - 1] == ")")
        after_year = i >= 4 and text[i - 4 : i].isdigit()
        return 2 if before.islower() or before in ";:)]" or after_dot or after_year else 0
    if char.isdigit():
        return 2 if before in ";:)]" or text[i - 2 : i] == ")." else int(before.islower())
    return 0


def split_form_files(name: str) -> tuple[str, str]:
    """Split the form file names glued to the end of a document name: (name, "a.docx; b.doc")."""
    ends = [m.end() for m in FORM_FILE_RE.finditer(name)]
    if not ends or ends[-1] != len(name):
        return name, ""
    first_end = ends[0]
    window = range(max(1, first_end - 80), first_end - 5)  # never split inside the extension itself
    strength = {i: glue_strength(name, i) for i in window}
    glued_keywords = [
        m.start()
        for m in FORM_KEYWORD_RE.finditer(name, window.start, first_end)
        if m.start() and not name[m.start() - 1].isspace()
    ]
    cut = next((i for i in window if strength[i] == 2), None)
    if cut is None:
        cut = glued_keywords[-1] if glued_keywords else next((i for i in window if strength[i] == 1), None)
    if cut is None:
        cut = name.rfind(" ", 0, first_end) + 1
    files = [name[a:b].strip() for a, b in zip([cut] + ends[:-1], ends, strict=True)]
    return name[:cut].strip(), "; ".join(f for f in files if f)


def parse_document_rows(body: str, problems: Problems) -> tuple[list[dict], str]:
    """Documents of one table body; returns them with the text left after the last count."""
    matches = list(QUANTITY_RE.finditer(body))
    # "…: 01 bản chính" glued to the real cell "0 bản chính": the first one belongs to the name.
    cells = [m for m, nxt in with_next(matches) if not (nxt and nxt.start() == m.end())]
    documents, pos = [], 0
    for m in cells:
        raw = body[pos : m.start()]
        pos = m.end()
        name, form = split_form_files(raw.strip())
        name = one_line(BULLET_RE.sub("", name))
        if not name:
            problems.add("cases.documents", "document without a name")
        documents.append(
            {
                "name": name,
                "originals": int(m.group(1)),
                "copies": int(m.group(2) or 0),
                "form_template": form,
                "notes": "",
            }
        )
    return documents, body[pos:]


def parse_cases(text: str, problems: Problems) -> list[dict]:
    if not text.strip(" -"):
        return []
    sections = text.split(DOCUMENT_HEADER)
    if len(sections) == 1:
        problems.add("cases", "document table header missing")
        return []
    cases, heading = [], sections[0]
    for body in sections[1:]:
        documents, tail = parse_document_rows(body, problems)
        name = one_line(heading).strip(" -")
        if not documents:
            problems.add("cases.documents", "document table without any count")
        cases.append({"name": name, "documents": documents})
        heading = tail  # text after the last count is the heading of the next table
    if heading.strip(" -"):
        if cases and cases[-1]["documents"]:
            cases[-1]["documents"][-1]["notes"] = one_line(heading)
        problems.add("cases.documents", "text after the last document has no count")
    return cases


# --- legal basis and result ---------------------------------------------------------------------


# Where a glued next title starts inside the capitals of a number: an onset and its vowels.
SYLLABLE_START_RE = re.compile(r"(?:NGH|CH|GH|GI|KH|NG|NH|PH|QU|TH|TR|[BCDĐGHKLMNPQRSTVX])?[AEIOUY]*$")
TWO_LETTER_ONSETS = {"ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr"}


def standalone(text: str, code: str) -> bool:
    return re.search(re.escape(code) + r"(?![^\W\d_])", text) is not None


def base_letter(char: str) -> str:
    return unicodedata.normalize("NFD", char)[0].lower()


def number_end(text: str, m: re.Match) -> int:
    """End of a document number whose last capitals may start the glued next title.

    "…TT-NHNNSố 73" ends at NHNN and "…NĐ-CPLUẬT" at CP (the capitals start a syllable), but
    "…TT-BTChướng dẫn" keeps BTC when BTC stands alone elsewhere in the text; at least two letters stay.
    """
    end, segment = m.end(), re.split(r"[-/_]", m.group(0))[-1]
    following = text[end : end + 1]
    if following.islower():
        last = segment[-1:]
        starts = base_letter(following) in "aeiouy" or (last + following).lower() in TWO_LETTER_ONSETS
        give_back = 1 if starts and not standalone(text, m.group(0)) else 0
    elif following.isupper():  # a capital with a diacritic, which no number contains
        give_back = len(SYLLABLE_START_RE.search(segment).group(0))
    else:
        give_back = 0
    return end - give_back if len(segment) - give_back >= 2 else end


def parse_legal_basis(text: str, problems: Problems) -> list[dict[str, str]]:
    if not text:
        return []
    if text.startswith(LEGAL_HEADER):
        text = text[len(LEGAL_HEADER) :]
    else:
        problems.add("legal_basis", "legal basis table header missing")
    numbers = [(m.start(), number_end(text, m)) for m in DOC_NUMBER_RE.finditer(text)]
    # A row ends with its number cell: a number followed by the end or glued to the next title, or
    # (when it repeats a number of its own title) followed by a space and a capital. Of a number
    # repeated at once ("126/2020/NĐ-CP126/2020/NĐ-CP", "…NHNNSố 73/2025/TT-NHNN") the first copy
    # belongs to the title.
    entries, pos = [], 0
    for (start, end), nxt in with_next(numbers):
        after = text[end:].lstrip(".;-")
        number = text[start:end]
        glued = not after or after[0].isalnum()
        repeated = after[:1] == " " and after[1:2].isupper() and number in text[pos:start]
        repeated_next = (
            nxt and text[nxt[0] : nxt[1]] == number and CELL_PREFIX_RE.fullmatch(text[end : nxt[0]])
        )
        if not (glued or repeated) or repeated_next:
            continue
        title = one_line(NUMBER_PREFIX_RE.sub("", text[pos:start]))
        entries.append({"number": number, "title": title or number})
        pos = end
    if text[pos:].strip(" .;"):
        problems.add("legal_basis", "legal document without a recognisable number")
    return entries


def parse_result(text: str) -> tuple[str, str]:
    noise = PORTAL_NOISE_RE.search(text)
    text = text[: noise.start()] if noise else text
    names, codes, pos = [], [], 0
    for m in RESULT_CODE_RE.finditer(text):
        names.append(text[pos : m.start()])
        if m.group(1):
            codes.append(m.group(1))
        pos = m.end()
    names.append(text[pos:])
    names = [one_line(n).strip(" -+;") for n in names]
    return "\n".join(n for n in names if n), ", ".join(codes)


# --- record -------------------------------------------------------------------------------------


def parse_record(row: dict) -> ParsedProcedure:
    """Parse one scraped record. Never raises on bad content: what fails is listed in "problems"."""
    problems = Problems()
    if not isinstance(row, dict):
        problems.add("record", "record is not a JSON object")
        row = {}
    fields = {key: clean(value) for key, value in row.items() if not isinstance(value, bool)}
    get = fields.get
    guard = problems.guard
    parsed: ParsedProcedure = {
        "code": get("ma_thu_tuc", ""),
        "name": one_line(get("ten_thu_tuc", "")),
        "publication_decision": get("so_quyet_dinh", ""),
        "procedure_type": get("loai_thu_tuc", ""),
        "levels": guard("levels", parse_levels, get("cap_thuc_hien", ""), problems),
        "field": get("linh_vuc", ""),
        "applicant_types": guard("applicant_types", parse_applicant_types, get("doi_tuong_thuc_hien", "")),
        "competent_authority": get("co_quan_co_tham_quyen", ""),
        "coordinating_agencies": get("co_quan_phoi_hop", ""),
        "authorised_agency": get("co_quan_duoc_uy_quyen", ""),
        "implementing_agency": get("co_quan_thuc_hien", ""),
        "reception_address": get("dia_chi_tiep_nhan", ""),
        "steps": guard("steps", parse_steps, get("trinh_tu_thuc_hien", "")),
        "channels": guard("channels", parse_channels, get("cach_thuc_thuc_hien", ""), problems),
        "cases": guard("cases", parse_cases, get("thanh_phan_ho_so", ""), problems),
        "legal_basis": guard("legal_basis", parse_legal_basis, get("can_cu_phap_ly", ""), problems),
        "conditions": get("yeu_cau_dieu_kien", ""),
        "source_url": get("detail_url", ""),
        "code_mismatch": row.get("code_mismatch") is True,
    }
    parsed["result"], parsed["result_code"] = guard(
        "result", parse_result, get("ket_qua_xu_ly", ""), default=("", "")
    )
    for key in ("code", "name"):
        if not parsed[key]:
            problems.add(key, f"procedure {key} missing")
    if parsed["code_mismatch"]:
        problems.add("code_mismatch", "page content belongs to another procedure")
    parsed["problems"] = list(problems)
    return parsed


def read_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    """Yield (line number, row) for each non-blank line; ValueError names the first bad line."""
    with open(path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {number}: malformed JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise ValueError(f"line {number}: expected a JSON object")
            missing = [k for k in ("ma_thu_tuc", "ten_thu_tuc") if not clean(row.get(k))]
            if missing:
                raise ValueError(f"line {number}: missing {', '.join(missing)}")
            yield number, row


# --- report -------------------------------------------------------------------------------------


def has_stated_fee(raw: str) -> bool:
    """Whether the raw channel table states a fee or free wording (not only "Không có thông tin")."""
    body = clean(raw).removeprefix(CHANNEL_HEADER)
    return bool(AMOUNT_RE.search(body) or FREE_RE.search(body))


def measure(rows: list[dict]) -> dict[str, Any]:
    """The figures the importer is judged on for a list of raw rows, with the parsed records."""
    stats: Counter = Counter()
    reasons: Counter = Counter()
    parsed = []
    for row in rows:
        p = parse_record(row)
        stats["records"] += 1
        stats["code_and_name"] += bool(p["code"] and p["name"])
        stats["structured_time"] += any(c["time_value"] is not None and c["time_unit"] for c in p["channels"])
        if has_stated_fee(row.get("cach_thuc_thuc_hien", "")):
            stats["fee_stated"] += 1
            stats["fee_structured"] += any(
                c["free"] or any(x["amount"] is not None for x in c["fees"]) for c in p["channels"]
            )
        if DOCUMENT_HEADER in clean(row.get("thanh_phan_ho_so", "")):
            stats["documents_table"] += 1
            stats["documents_counted"] += any(case["documents"] for case in p["cases"])
        reasons.update(f"{x['field']}: {x['reason']}" for x in p["problems"])
        parsed.append(p)
    return {"stats": stats, "reasons": reasons, "parsed": parsed}


def main(path: str) -> None:
    figures = measure([row for _, row in read_jsonl(path)])
    s = figures["stats"]

    def share(label: str, part: str, whole: str, target: str) -> None:
        percent = 100 * s[part] / max(s[whole], 1)
        print(f"{label:<40} {s[part]:5d} / {s[whole]:5d} ({percent:5.1f}%)  target {target}")

    share("records with code and name", "code_and_name", "records", ">= 2600 records")
    share("structured processing time", "structured_time", "records", ">= 95%")
    share("structured fees (where a fee is stated)", "fee_structured", "fee_stated", ">= 95%")
    share("documents with counts (where a table)", "documents_counted", "documents_table", ">= 95%")
    print("top problem reasons:")
    for reason, count in figures["reasons"].most_common(15):
        print(f"  {count:5d}  {reason}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/procedures/dvc_procedures_6ministries.jsonl")

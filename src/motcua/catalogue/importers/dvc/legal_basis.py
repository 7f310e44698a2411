"""The legal-basis table: titles and document numbers ("51/2019/QH14"), glued together by the scrape."""

from __future__ import annotations

import re
import unicodedata

from .problems import Problems
from .text import one_line, with_next

LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"

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

"""What a question asks about a procedure (documents, fee, time limit, conditions, place, online), and
whether it is a follow-up that only makes sense against the procedure already under discussion
("còn phí thì sao?", "what about the fee?", "làm online được không?").

Matched on folded text (case, diacritics and Arabic letter forms ignored), whole words only. The
phrases are ours; extend them where users' words differ.
"""

from __future__ import annotations

import re

from motcua.core.text import fold, nfc

from .tools import STOP

# Facet -> the phrases that ask for it, separated by "|". Order: how an answer lists several facets.
PHRASES: dict[str, str] = {
    "documents": "giấy tờ | giấy tờ gì | cần những gì | cần gì | cần mang | mang theo | mang gì | chuẩn bị "
    "| thành phần hồ sơ | hồ sơ gồm | hồ sơ cần | documents | document | papers | what do i need | bring "
    "| وثائق | مستندات | أوراق | الأوراق | المستندات | الوثائق",
    "fee": "phí | lệ phí | mất phí | tốn phí | miễn phí | mất tiền | tốn tiền | bao nhiêu tiền | chi phí "
    "| mất bao nhiêu tiền | tốn bao nhiêu tiền | hết bao nhiêu tiền | mất bao nhiêu | tốn bao nhiêu "
    "| tiền | fee | fees | cost | costs | charge | price | pay | free | رسوم | الرسوم | رسم | تكلفة "
    "| التكلفة | مجانا | مجاني",
    "time": "bao lâu | mất bao lâu | thời hạn | thời gian giải quyết | mấy ngày | bao nhiêu ngày "
    "| khi nào có | bao giờ có | how long | time limit | how many days | how quickly | مدة | المدة "
    "| كم يوم | كم من الوقت",
    "conditions": "điều kiện | đủ điều kiện | có được | được phép | đủ tuổi | bao nhiêu tuổi | mấy tuổi "
    "| tuổi | ai được | ai phải | eligible | eligibility | condition | conditions | allowed | can i "
    "| old enough | age | شروط | الشروط | شرط | يحق | يجوز | عمر | سن",
    "where": "ở đâu | nơi nào | chỗ nào | cơ quan nào | nộp đâu | where | which office | أين | اين",
    "online": "online | trực tuyến | qua mạng | trên mạng | dịch vụ công | internet | từ xa | tại nhà "
    "| from home | الإنترنت | الانترنت | عبر الإنترنت | أونلاين",
}
FACETS = tuple(PHRASES)


def _pattern(phrases: str) -> re.Pattern:
    folded = sorted({fold(p.strip()) for p in phrases.split("|")}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in folded) + r")(?!\w)")


_PATTERNS = {facet: _pattern(phrases) for facet, phrases in PHRASES.items()}
# Words a follow-up is made of besides its facet: "còn ... thì sao", "what about", "and the ..."
_FOLLOW_UP_WORDS = set(
    fold(
        "còn thì sao vậy nữa mất tốn được không có phải nộp làm bao nhiêu lâu thế nào thủ tục này đó "
        "what about and also how much the is are there any it this that so then does do take takes "
        "ماذا عن و هل كم في هذا ذلك"
    ).split()
)
_WORD = re.compile(r"\w+")


def facets(question: str) -> list[str]:
    """The facets `question` asks about, in FACETS order; [] for a general question."""
    folded = fold(question)
    return [facet for facet in FACETS if _PATTERNS[facet].search(folded)]


def without_facets(question: str) -> str:
    """The question without what it asks for (fee, time, place, online), as written, for finding
    which procedure it is about: "đăng ký khai sinh mất bao nhiêu tiền" is about birth registration,
    not about the procedures whose fees mention money. Document words stay: they often name the
    procedure ("cấp lại giấy tờ xe")."""
    words = _WORD.findall(nfc(question))
    folded, starts, at = [], [], 0
    for word in words:
        starts.append(at)
        folded.append(fold(word))
        at += len(folded[-1]) + 1
    joined = " ".join(folded)
    dropped: set[int] = set()
    for facet in ("fee", "time", "where", "online"):
        for match in _PATTERNS[facet].finditer(joined):
            dropped.update(i for i, start in enumerate(starts) if match.start() <= start < match.end())
    return " ".join(word for i, word in enumerate(words) if i not in dropped)


def is_follow_up(question: str) -> bool:
    """True when the question asks for a facet and names nothing else: it refers to the procedure
    already under discussion. "phí đăng ký kết hôn" names a procedure, so it starts a new topic."""
    folded = fold(question)
    if not any(pattern.search(folded) for pattern in _PATTERNS.values()):
        return False
    for pattern in _PATTERNS.values():
        folded = pattern.sub(" ", folded)
    rest = [w for w in _WORD.findall(folded) if w not in STOP and w not in _FOLLOW_UP_WORDS]
    return not rest

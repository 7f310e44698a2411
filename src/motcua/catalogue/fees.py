"""What a fee note says beyond its amount: when the fee is charged and who or what is exempt.

The catalogue publishes a fee as an amount and a note, and the note carries the conditions that decide
whether a citizen pays at all: "Lệ phí đăng ký khai sinh quá hạn (miễn khi đăng ký đúng hạn, hộ
nghèo)", "Lệ phí khi đăng ký quá hạn; đúng hạn thì miễn", "Phí cấp bản sao (chỉ thu khi có yêu cầu)",
"Miễn lệ phí cho người thuộc gia đình có công với cách mạng", "Miễn phí từ ngày 07/4/2026 đến
30/6/2026". Pages and answers state these first, beside the amount, not in small print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from motcua.core.text import nfc

_STOP = r"(?:[^.;()\n]|\.(?=\d))+"  # up to the end of the clause (a dot inside 10.000 does not end it)
# "miễn (lệ phí|phí) (cho|đối với|khi|nếu|trong trường hợp) X", "không thu (lệ phí ...) đối với X"
_EXEMPT_FOR = re.compile(
    r"(?:\bmiễn(?:\s+(?:lệ\s+phí|phí|thu))?|\bkhông\s+thu(?:\s+(?:lệ\s+phí|phí))?(?:\s+\w+){0,2}?)\s+"
    r"(?:cho|đối\s+với|khi|nếu|trong\s+trường\s+hợp|với)\s+(" + _STOP + ")",
    re.IGNORECASE,
)
# "X thì miễn", "X được miễn (lệ phí)"
_EXEMPT_AFTER = re.compile(r"([^.;(),\n]+?)\s+(?:thì|được)\s+miễn\b", re.IGNORECASE)
# "miễn (lệ phí|phí) (kể) từ ngày D1 đến (hết) (ngày) D2"
_EXEMPT_PERIOD = re.compile(
    r"\bmiễn(?:\s+(?:lệ\s+phí|phí|thu))?\s+(?:kể\s+)?từ\s+(?:ngày\s+)?(\d{1,2}/\d{1,2}/\d{4})\s+"
    r"đến\s+(?:hết\s+)?(?:ngày\s+)?(\d{1,2}/\d{1,2}/\d{4})",
    re.IGNORECASE,
)
# "chỉ thu khi X"; a note that opens with "khi X" / "trường hợp X" / "nếu X" (after "Lệ phí" or "Phí")
_CHARGED_ONLY = re.compile(r"\bchỉ\s+thu\s+(?:khi|nếu|đối\s+với)\s+(" + _STOP + ")", re.IGNORECASE)
_CHARGED_LEAD = re.compile(
    r"^\s*(?:(?:lệ\s+phí|phí)\s+)?(?:khi|nếu|trường\s+hợp)\s+(" + _STOP + ")", re.IGNORECASE
)


@dataclass
class Conditions:
    exempt: list[str] = field(default_factory=list)  # who or what pays nothing, as the note words it
    charged_when: str = ""  # the fee is due only then

    def __bool__(self) -> bool:
        return bool(self.exempt or self.charged_when)


_TAIL = re.compile(r"\s+(?:theo\s+(?:quy\s+định|mức)\b|thu\s+\d|mức\s+thu\b).*$", re.IGNORECASE)


def _clean(text: str) -> str:
    """The condition alone: without "theo quy định tại ..." or the amount that follows it."""
    return _TAIL.sub("", " ".join(text.split())).strip(" ,:-–")


def conditions(note: str) -> Conditions:
    """The exemptions and the charging condition written in a fee note (empty when it states none)."""
    note = nfc(note or "")
    found = Conditions()
    periods = list(_EXEMPT_PERIOD.finditer(note))
    found.exempt += [f"từ {m.group(1)} đến {m.group(2)}" for m in periods]
    spans = [m.span() for m in periods]
    for match in _EXEMPT_FOR.finditer(note):
        if not any(start <= match.start() < end for start, end in spans):
            found.exempt.append(_clean(match.group(1)))
    for match in _EXEMPT_AFTER.finditer(note):
        found.exempt.append(_clean(re.sub(r"^(?:.*\b(?:khi|nếu)\s+)?", "", match.group(1))))
    charged = _CHARGED_ONLY.search(note) or _CHARGED_LEAD.search(note)
    if charged:
        found.charged_when = _clean(charged.group(1))
    found.exempt = [e for e in dict.fromkeys(found.exempt) if e]
    return found

"""Text helpers of the portal parser: cleaning, one-line text, splitting outside parentheses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

NO_INFO = "Không có thông tin"
SPACES_RE = re.compile(r"[ \t\f\v]{2,}|[\t\f\v]")  # only runs and tabs: most texts are clean
LINE_EDGES_RE = re.compile(r" ?\n ?")
BLANK_LINES_RE = re.compile(r"\n{3,}")
BULLET_RE = re.compile(r"^(?:[-+*•]+\s*)+")


def alternation(labels) -> str:
    return "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))


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

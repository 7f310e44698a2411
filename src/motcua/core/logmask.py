"""Mask personal data (ID numbers, phone numbers, e-mail addresses) before a log line is written."""

from __future__ import annotations

import logging
import re

_ID_12 = re.compile(r"(?<!\d)(\d{3})\d{6}(\d{3})(?!\d)")  # personal ID number (CCCD)
# Vietnamese phone numbers: +84 or 0, then 9 digits, often grouped "0912 345 678".
_PHONE = re.compile(r"(?<![\d+])(?:\+84[\s.-]?|0)\d(?:[\s.-]?\d){8}(?!\d)")
_ID_9 = re.compile(r"(?<!\d)\d{9}(?!\d)")  # old identity card number
_EMAIL = re.compile(r"\b([\w.+-])[\w.+-]*@([\w-]+\.[\w.-]+)\b")


def _phone(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group())
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


def mask(text: str) -> str:
    text = _ID_12.sub(r"\1******\2", text)
    text = _PHONE.sub(_phone, text)
    text = _ID_9.sub("*********", text)
    return _EMAIL.sub(r"\1***@\2", text)


class MaskPersonalData(logging.Filter):
    """Masks the message and the traceback (an exception's text often quotes the input)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None  # the formatter then prints the masked exc_text
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True

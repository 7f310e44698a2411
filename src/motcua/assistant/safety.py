"""Guardrails: requests to do something illegal, prompt-injection text, and masking for logs.

Retrieved text and questions are always data. Nothing here obeys an instruction found in either: an
injection attempt is recognised only so that it can be flagged in the log and kept out of the query.
"""

from __future__ import annotations

import re

from motcua.core.logmask import mask
from motcua.core.text import fold

# Folded (lower-case, no accents) patterns of requests to break the law: forging documents, buying
# licences or results, bribery, evading the procedure.
ILLEGAL = [
    r"\blam gia\b",
    r"\bgiay to gia\b",
    r"\b(ban|bang|giay|so|con dau|dau) gia\b",
    r"\blam lai .{0,20}gia\b",
    r"\bmua (bang|giay phep|chung chi|so do|can cuoc|ho chieu|ket qua|bang lai)",
    r"\bkhong can thi\b",
    r"\bhoi lo\b",
    r"\bboi tron\b",
    r"\bchay (an|so|giay|ho so|viec)\b",
    r"\bdut lot\b",
    r"\btron thue\b",
    r"\bforge|\bforged|\bforging|\bfake (id|passport|certificate|document|licen[cs]e|stamp)",
    r"\bcounterfeit\b",
    r"\bbuy (a |an |the )?(driving )?(licen[cs]e|permit|passport|certificate|degree|id\b)",
    r"\bbrib(e|ery|ing)\b",
    r"\bevade tax|\btax evasion",
    r"without (taking )?(the )?(test|exam)",
    r"مزور|تزوير|رشوه|شراء رخص|شراء شهاد|بدون اختبار",
    r"(ازور|يزور|نزور) (جواز|شهاده|بطاقه|رخصه|وثيق|مستند|ختم)",  # "forge" + a document ("visit" otherwise)
]
_ILLEGAL = [re.compile(p) for p in ILLEGAL]

# Instructions aimed at the assistant rather than questions about procedures.
INJECTION = [
    r"ignore (all |any )?(the )?(previous|above|prior|earlier) (instructions|rules|prompts?)",
    r"disregard (all |the )?(previous|above|prior) ",
    r"(system|developer) prompt",
    r"you are now\b",
    r"act as (an? )?(admin|administrator|developer|dan)\b",
    r"bo qua (moi |tat ca |cac )?(huong dan|chi dan|lenh|quy tac)",
    r"quen (di )?(moi |tat ca |cac )?(huong dan|chi dan|lenh)",
    r"tu gio ban (la|hay)",
    r"تجاهل (جميع |كل )?(التعليمات|الاوامر)",
]
_INJECTION = [re.compile(p) for p in INJECTION]


def is_illegal(text: str) -> bool:
    folded = fold(text)
    return any(p.search(folded) for p in _ILLEGAL)


def has_injection(text: str) -> bool:
    folded = fold(text)
    return any(p.search(folded) for p in _INJECTION)


def strip_injection(text: str) -> str:
    """The question without sentences that address the assistant, for retrieval only (the stored and
    displayed question is unchanged)."""
    sentences = re.split(r"(?<=[.!?\n])\s+", text)
    kept = [s for s in sentences if not has_injection(s)]
    return " ".join(kept) if kept else ""


def for_log(text: str, limit: int = 300) -> str:
    """A question as it may appear in a log line: personal data masked, shortened, on one line."""
    return mask(" ".join(text.split()))[:limit]

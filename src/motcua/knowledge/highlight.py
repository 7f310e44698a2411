"""Snippets with the query's words marked, matching with or without diacritics."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from motcua.core.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)
STOP = {"la", "va", "cua", "co", "cac", "nhung", "duoc", "cho", "the", "gi", "nao", "khong", "toi", "can"}


def snippet(text: str, query: str, *, width: int = 320) -> SafeString:
    wanted = {w for w in _WORD.findall(fold(query)) if len(w) > 1 and w not in STOP}
    matches = [m for m in _WORD.finditer(text) if fold(m.group()) in wanted]
    start = max(0, matches[0].start() - width // 3) if matches else 0
    window = text[start : start + width]
    out, last = [], 0
    for m in _WORD.finditer(window):
        if fold(m.group()) in wanted:
            out += [escape(window[last : m.start()]), "<mark>", escape(m.group()), "</mark>"]
            last = m.end()
    out.append(escape(window[last:]))
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - every piece of text is escaped above

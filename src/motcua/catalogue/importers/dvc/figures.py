"""The figures the importer is judged on, over a list of raw rows (`python bench/dvc_parse.py` prints
them for the national export)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .channels import AMOUNT_RE, CHANNEL_HEADER, FREE_RE
from .documents import DOCUMENT_HEADER
from .record import parse_record
from .sections import is_exceptional
from .text import clean


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
        stats["cases"] += len(p["cases"])
        stats["documents"] += sum(len(case["documents"]) for case in p["cases"])
        stats["notes"] += sum(len(case["notes"]) for case in p["cases"])
        stats["first_case_exceptional"] += bool(p["cases"]) and is_exceptional(p["cases"][0]["name"])
        stats["no_case"] += not p["cases"]
        reasons.update(f"{x['field']}: {x['reason']}" for x in p["problems"])
        parsed.append(p)
    return {"stats": stats, "reasons": reasons, "parsed": parsed}

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
    cases: [{name, documents: [{name, originals, copies, form_template, notes}], notes: [str]}]
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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .channels import parse_channels
from .documents import parse_cases
from .legal_basis import parse_legal_basis
from .problems import Problems
from .text import BULLET_RE, clean, one_line, split_outside_parens, with_next

ParsedProcedure = dict[str, Any]

LEVELS = {"Cấp bộ": "ministry", "Cấp tỉnh": "province", "Cấp xã": "commune", "Cơ quan khác": "other"}

# Result codes: KQ.G10.000248, 1.000.00.G12-KQ1234, VBTT; the next result's name is glued after them.
RESULT_CODE_RE = re.compile(r"Mã:\s*([A-Za-z0-9_.\-]*\d|[A-Z]{2,}(?![^\W\d_]))?")
PORTAL_NOISE_RE = re.compile(r"Từ khóa|Chọn cơ quan thực hiện|Nộp hồ sơ$")
MAX_STEP_TITLE = 200
# "Bước 1:", "- Bước 2.", "a) Bước 1" at the start of a line or after a space.
STEP_RE = re.compile(r"(?:^|(?<=\s))(?:[-+*]\s*)?(?:[a-zđ]\)\s*)?Bước\s*(\d+)\s*[:.]?\s*")


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

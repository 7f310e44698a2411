"""The channel table: channel, processing time and fee lines, which the portal flattens without
separators ("Trực tuyến5 Ngày làm việc10 USD(/lần)Trực tiếp…")."""

from __future__ import annotations

import re

from .problems import Problems
from .text import NO_INFO, alternation, balanced_paren, clean, with_next

CHANNELS = {"Trực tiếp": "counter", "Trực tuyến": "online", "Dịch vụ bưu chính": "post"}
TIME_UNITS = {
    "Ngày làm việc": "working_days",
    "Ngày": "days",
    "Giờ": "hours",
    "Tháng": "months",
    "Năm": "years",
}
CURRENCIES = {"Việt Nam Đồng": "VND", "VNĐ": "VND", "Đồng": "VND", "USD": "USD", "EUR": "EUR"}
CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"

# A row starts where a channel name is glued to its time cell (a digit or "Không ..."); channel
# names inside the free-text description are followed by ":" or a space instead.
ROW_START_RE = re.compile(rf"({alternation(CHANNELS)})(?=\d|Không)")
TIME_RE = re.compile(rf"(\d+(?:[.,]\d+)?)\s*({alternation(TIME_UNITS)})?")
CURRENCY = alternation(CURRENCIES)
AMOUNT_RE = re.compile(rf"(\d[\d.,]*)\s*({CURRENCY})")
FEE_START_RE = re.compile(rf"\d[\d.,]*\s*(?:{CURRENCY})|Miễn phí|{NO_INFO}")
FREE_RE = re.compile(r"Miễn phí")
# A fee written in the description when the fee cell is empty: "- Lệ phí : 20.000 Đồng (…)".
STATED_FEE_RE = re.compile(r"(Lệ phí|Phí)\s*:\s*(\d[\d.,]*)\s*(Đồng|đồng|VNĐ|USD)")
# The portal prints amounts as 1,234,567; a time without unit is glued in front ("1" + "20,000").
PORTAL_AMOUNT_RE = re.compile(r"[1-9]\d{0,2}(?:,\d{3})*|0")
# An amount written in a note ("8.000.000/lần", "50.000 đồng"): a free line mentioning one is suspect.
NOTE_AMOUNT_RE = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+|[1-9][\d.,]*\s*(?:đồng|USD|VNĐ)", re.IGNORECASE)


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

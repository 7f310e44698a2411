"""What the pre-check reports: one Finding per problem, with the requirement it concerns, where it
was seen (file, page), the evidence and how sure the pipeline is."""

from __future__ import annotations

from dataclasses import asdict, dataclass

MISSING = "missing_document"
WRONG_COUNT = "wrong_count"
UNRECOGNISED = "unrecognised_file"
MISMATCH = "field_mismatch"
EXPIRED = "expired_document"
UNREADABLE = "unreadable"
INVALID = "invalid_file"


@dataclass
class Finding:
    kind: str
    requirement: str | None  # the required document's name, or None for a file-level problem
    file: str | None = None
    page: int | None = None  # 1-based
    detail: str = ""
    evidence: str = ""  # the text (or its absence) the finding rests on
    confidence: float = 1.0  # 0..1
    field: str = ""  # for field_mismatch: the application field compared

    def as_dict(self) -> dict:
        data = asdict(self)
        data["confidence"] = round(self.confidence, 2)
        return data

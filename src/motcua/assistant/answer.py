"""The answer contract shared by every mode: statements that cite numbered sources.

A statement is shown only if every number it cites resolves to a citation of the same answer
(`Answer.enforce`); a claim without a source never reaches the reader.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Citation:
    n: int
    kind: str  # "procedure", "legal", "dossier"
    code: str  # procedure code, document number or dossier code
    title: str
    section: str = ""  # "Thành phần hồ sơ", "Điều 12"...
    url: str = ""
    quote: str = ""  # the source text (Vietnamese), the evidence the statement rests on
    valid_from: str = ""
    valid_to: str = ""


@dataclass
class Statement:
    text: str  # in the answer's language
    cites: list[int] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # bullet points quoted from the source
    items_lang: str = "vi"  # the language of the items (sources are Vietnamese)
    folded: bool = False  # the rest of the procedure, shown folded below the answer to the question


@dataclass
class Answer:
    question: str
    language: str
    statements: list[Statement] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    declined: bool = False
    reason: str = ""  # why it declined, or which tool answered
    mode: str = "extractive"
    notice: str = ""  # shown above the answer (e.g. the LLM fell back)
    codes: list[str] = field(default_factory=list)  # cited procedure codes, best first
    latency_ms: int = 0
    evidence: list[dict] = field(default_factory=list)  # retrieval results, for the log

    def enforce(self) -> Answer:
        """Drop statements whose citations are missing or unknown, and citations nobody cites."""
        known = {c.n for c in self.citations}
        self.statements = [s for s in self.statements if s.cites and set(s.cites) <= known]
        used = {n for s in self.statements for n in s.cites}
        self.citations = [c for c in self.citations if c.n in used]
        if not self.declined and not self.statements:
            self.declined, self.reason = True, self.reason or "no_supported_statement"
        return self

    def shown(self) -> list[str]:
        """The lines the reader sees before unfolding anything: the notice, each statement and its items."""
        lines = [self.notice] if self.notice else []
        for s in self.statements:
            if not s.folded:
                lines += [s.text, *s.items]
        return lines

    def shown_lines(self) -> int:
        return len(self.shown())

    def text(self) -> str:
        """Plain text: statements with [n] markers, then the numbered sources."""
        lines = [self.notice] if self.notice else []
        for s in self.statements:
            marks = "".join(f"[{n}]" for n in s.cites)
            lines.append(f"{s.text} {marks}".strip())
            lines += [f"- {item}" for item in s.items]
        if self.citations:
            lines.append("")
            lines += [f"[{c.n}] {c.title} — {c.section} ({c.code})".strip() for c in self.citations]
        return "\n".join(lines)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("evidence")
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Answer:
        data = dict(data)
        data["statements"] = [Statement(**s) for s in data.get("statements", [])]
        data["citations"] = [Citation(**c) for c in data.get("citations", [])]
        return cls(**data)

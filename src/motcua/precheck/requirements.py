"""What a dossier must contain, as the pipeline sees it: one Requirement per required document of the
procedure case, with the phrases that recognise it, how many are needed, and the checks that apply.
Built from the catalogue plus the admin's per-procedure rules (services.requirements_for)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from motcua.core.text import fold

# Words in a document's name or notes that make it needed only in some situations ("when someone else
# submits", "if any", "only for ..."): such a document is checked when present, never reported missing.
_CONDITIONAL_NAME = re.compile(r"\((khi|neu|chi)\b|\bneu co\b|\(tuy\b")
_CONDITIONAL_NOTES = re.compile(r"^\s*chi (khi|voi|nop khi|xuat trinh)")
# A document the catalogue introduces by its situation: "Trường hợp trẻ em bị bỏ rơi thì ...",
# "(ii) Trường hợp ủy quyền cho tổ chức ...", "Đối với Công an nhân dân: ...", "... trong trường hợp
# ủy quyền", "... đối với trường hợp hộ kinh doanh do các thành viên hộ gia đình đăng ký".
_CONDITIONAL_SITUATION = re.compile(
    r"^\W*(?:\(?[ivx]+\)\s*)?(?:truong hop|doi voi|neu)\b|\b(?:trong|doi voi) truong hop\b"
)

# Everyday names of documents that a requirement describes only generically.
BUILT_IN_KEYWORDS = {
    "can cuoc": ["can cuoc", "citizen identity", "identity card"],
    "tuy than": ["can cuoc", "citizen identity", "identity card", "ho chieu", "passport"],
    "ho chieu": ["ho chieu", "passport"],
    "cho o hop phap": [
        "hop dong thue nha",
        "hop dong cho thue",
        "cho muon nha",
        "cho o nho",
        "giay chung nhan quyen su dung dat",
        "quyen so huu nha o",
    ],
    "uy quyen": ["giay uy quyen", "van ban uy quyen", "hop dong uy quyen"],
}
_FORM_PREFIXES = ("to khai", "giay de nghi", "phieu de nghi", "don de nghi", "don dang ky")


@dataclass
class Requirement:
    name: str
    count: int = 1
    required: bool = True
    originals: int = 1
    copies: int = 0
    form_title: str = ""
    form_lines: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    catch_all: bool = False  # any document no other requirement recognises counts as this one
    validity_days: int | None = None  # the document must have been issued within this many days
    fields: list[str] = field(default_factory=list)  # application fields this document must carry
    id: int | None = None

    @property
    def folded(self) -> str:
        return fold(self.name)

    @property
    def identity(self) -> bool:
        return any(word in self.folded for word in ("can cuoc", "tuy than", "ho chieu"))

    @property
    def application_form(self) -> bool:
        return bool(self.form_lines) or self.folded.startswith(_FORM_PREFIXES)

    def phrases(self) -> list[str]:
        """Folded phrases whose presence near the top of a page says "this is that document"."""
        core = re.sub(r"\([^)]*\)", " ", self.name)
        found = [fold(part) for part in re.split(r"\bhoặc\b|,|;", core, flags=re.IGNORECASE)]
        found += [fold(self.form_title)] if self.form_title else []
        found += [fold(k) for k in self.keywords]
        for key, extra in BUILT_IN_KEYWORDS.items():
            if key in self.folded:
                found += extra
        phrases = [" ".join(p.split()) for p in found]
        return list(dict.fromkeys(p for p in phrases if len(p.split()) >= 2))

    def label_phrases(self) -> list[str]:
        """The application form's labels, folded and cut before any explanation in brackets."""
        labels = []
        for line in self.form_lines:
            label = " ".join(fold(re.split(r"[(;]", line)[0]).replace(",", " ").split())
            if len(label.split()) >= 2:
                labels.append(label)
        return labels


def is_conditional(name: str, notes: str = "") -> bool:
    folded = fold(name)
    return bool(
        _CONDITIONAL_NAME.search(folded)
        or _CONDITIONAL_SITUATION.search(folded)
        or _CONDITIONAL_NOTES.search(fold(notes))
    )

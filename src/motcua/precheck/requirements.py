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
# The catalogue lists both ways of filing the declaration: the paper form "(nếu người có yêu cầu lựa
# chọn nộp hồ sơ theo hình thức trực tiếp ...)" and the portal's interactive e-form ("Mẫu hộ tịch
# điện tử tương tác ..."). The e-form is the online application itself, never a file; the paper
# form's "nếu" is a channel, not a situation: it is required of every dossier filed on paper.
_ONLINE_FORM = re.compile(r"\bdien tu tuong tac\b")
_PAPER_FORM = re.compile(r"\(neu [^)]*\b(?:truc tiep|buu chinh)\b")
# "Thông tin chứng minh ... được khai thác trong căn cước điện tử ...": the office reads it from the
# national databases; the citizen brings a paper only when that fails, so it is never demanded.
_LOOKED_UP = re.compile(r"^\W*thong tin\b.{0,200}\bduoc khai thac\b")
# "... là một trong những giấy tờ sau: a) ...; b) ...": any one of the listed papers will do.
_ANY_OF = re.compile(r"\bmot trong (?:nhung|cac|so)? ?(?:giay to|loai giay to|van ban)\b[^:]*:")
_ITEM = re.compile(r"(?:^|[;\n]|\s[-+•]\s|\s[a-zđ]\)\s)")

# Where a document's own name ends and what qualifies it begins: "Tờ khai đề nghị bản sao Trích lục hộ
# tịch | theo mẫu trong trường hợp ...": the real form's title is the part before.
_QUALIFIER = re.compile(
    r"\s(?:theo mau|theo quy dinh|theo phu luc|tai mau|tai phu luc|trong truong hop|doi voi|trong do"
    r"|duoc cong chung|duoc lap|do co quan|co dan anh|co xac nhan|co chung thuc|con gia tri|neu ro"
    r"|ban hanh kem|kem theo|cua|ve viec|cho|de)\b"
)
_ENUMERATION = re.compile(r"^\W*(?:\d+[.)]|[a-zđ]\)|[-+•*])\s*")  # "1. Đơn ...", "b) Văn bản ..."
# A paper named by what it proves, not by its title: "Văn bản của cơ quan y tế, cơ quan giám định ...
# xác nhận quan hệ cha con", "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực ...". Its title is the
# issuer's own ("Kết quả giám định ADN"), so an official paper that is nothing else may be it.
_BY_PURPOSE = re.compile(
    r"^\W*(?:(?:ban chinh|ban sao|cac)\s+)*(?:giay to|van ban|tai lieu)(?:\W+(?:giay to|van ban|tai lieu))*"
    r"\s+(?:cua\s.{0,120}?|co gia tri\s)?(?:chung minh|xac nhan|lam co so)\b"
)
_NON_WORD = re.compile(r"[^\w]+")

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
_CARD_LABELS = (
    "full name",
    "date of birth",
    "nationality",
    "personal identification number",
    "place of residence",
    "date of issue",
    "date of expiry",
)
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
        """An identity paper: its name opens with one ("Hộ chiếu/Thẻ căn cước ...", "Giấy tờ tùy thân
        ..."); a declaration that mentions a passport further on ("... không có hộ chiếu") is not."""
        opening = self.folded[:40]
        return not self.application_form and any(w in opening for w in ("can cuoc", "tuy than", "ho chieu"))

    @property
    def application_form(self) -> bool:
        return bool(self.form_lines) or self.folded.startswith(_FORM_PREFIXES)

    @property
    def by_purpose(self) -> bool:
        return bool(_BY_PURPOSE.search(self.folded))

    def head(self) -> str:
        """The name's first clause cut before a qualifier (whole when it has none): the shortest such
        cut of 4 to 12 words (3 when no longer one), else ""."""
        first = re.split(r"[.;:]", _ENUMERATION.sub("", re.sub(r"\([^)]*\)", " ", self.folded)))[0]
        cuts = [first[: m.start()] for m in _QUALIFIER.finditer(first)] or [first]
        heads = [" ".join(_NON_WORD.sub(" ", cut).split()) for cut in cuts]
        fitting = [h for h in heads if 4 <= len(h.split()) <= 12] or [h for h in heads if len(h.split()) == 3]
        return fitting[0] if fitting else ""

    def alternatives(self) -> list[str]:
        """The papers listed after "một trong những giấy tờ sau:", any of which satisfies it."""
        listed = _ANY_OF.split(fold(self.name), maxsplit=1)
        if len(listed) < 2:
            return []
        items = [" ".join(item.split()[:10]) for item in _ITEM.split(listed[1])]
        return [item for item in items if len(item.split()) >= 2]

    def phrases(self) -> list[str]:
        """Folded phrases whose presence near the top of a page says "this is that document"."""
        core = re.sub(r"\([^)]*\)", " ", self.name)
        found = [fold(part) for part in re.split(r"\bhoặc\b|,|;", core, flags=re.IGNORECASE)]
        found += [self.head()] + self.alternatives()
        found += [fold(self.form_title)] if self.form_title else []
        found += [fold(k) for k in self.keywords]
        for key, extra in BUILT_IN_KEYWORDS.items():
            if key in self.folded:
                found += extra
        phrases = [" ".join(p.split()) for p in found]
        return list(dict.fromkeys(p for p in phrases if len(p.split()) >= 2))

    def label_phrases(self) -> list[str]:
        """The application form's labels, folded and cut before any explanation in brackets; for an
        identity paper without form lines, the English labels every Vietnamese card and passport
        prints (they survive a scan that garbles the title)."""
        if self.identity and not self.form_lines:
            return list(_CARD_LABELS)
        labels = []
        for line in self.form_lines:
            label = " ".join(fold(re.split(r"[(;]", line)[0]).replace(",", " ").split())
            if len(label.split()) >= 2:
                labels.append(label)
        return labels


def any_of(heading: str, requirements: list[Requirement]) -> list[Requirement]:
    """A case headed "... hồ sơ phải kèm theo một trong những giấy tờ sau:" lists alternatives: they
    become one requirement, named by the heading, that a paper recognised as any of them satisfies."""
    if len(requirements) < 2 or not _ANY_OF.search(fold(heading) + ":"):
        return requirements
    first = requirements[0]
    phrases = [phrase for requirement in requirements for phrase in requirement.phrases()]
    return [
        Requirement(
            name=" ".join(heading.split()).rstrip(" :"),
            id=first.id,
            originals=first.originals,
            copies=first.copies,
            keywords=list(dict.fromkeys(phrases)),
        )
    ]


def online_form(name: str) -> bool:
    """The portal's interactive e-form: filled in online, it is the application, not a file."""
    return bool(_ONLINE_FORM.search(fold(name)))


def is_conditional(name: str, notes: str = "", online: bool = False) -> bool:
    """Needed only in some situation, so checked when present and never reported missing.
    `online`: the dossier was filed online, where the paper declaration is not needed."""
    folded = fold(name)
    if _PAPER_FORM.search(folded):
        return online
    return bool(
        _LOOKED_UP.search(folded)
        or _CONDITIONAL_NAME.search(folded)
        or _CONDITIONAL_SITUATION.search(folded)
        or _CONDITIONAL_NOTES.search(fold(notes))
    )

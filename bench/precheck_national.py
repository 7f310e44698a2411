"""The national pre-check development set: labelled dossiers for ten procedures of the REAL national
catalogue (../shared/data/procedures/dvc_procedures_6ministries.jsonl), rendered at bench time.

    python bench/precheck_national.py OUT_DIR     # writes OUT_DIR/<dossier>/ and <dossier>.expected.json
    python bench/precheck.py --national [-v]      # imports the ten records and measures the pre-check

Every person, number and text is invented here; only document titles and the catalogue's document
names come from the catalogue. Unlike bench/precheck_devset.py (the demo catalogue), people come from
other name pools (ethnic-minority and rarer family names), places from other provinces, and documents
have real-looking form layouts (agency and motto side by side, "Mẫu số" lines, bordered field tables,
checkboxes, dotted leaders) in Noto Sans, Noto Serif or DejaVu Serif at several sizes. Degradations:
150 dpi JPEG-40 scans, binarised fax pages, perspective-skewed phone photos with a shadow, pages turned
by 90 or 180 degrees, red stamps over the text.

Labels are what a careful reception officer would say, from the law and the catalogue text: a dossier
of the ordinary case with every document that case really needs is complete; documents needed only in
a situation that does not apply (authorisation, late registration, "nếu có") are never expected;
identity papers that are "xuất trình" (shown) count as present when the applicant shows them.
expected.json holds the procedure, the 1-based case index in `procedure.cases.all()` order and its
name, the findings and the variant. Seeded: the same set every time; nothing generated is committed.
"""

from __future__ import annotations

import datetime
import io
import json
import math
import random
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

VERSION = 1  # bump when documents or labels change: the bench re-renders the cached set
SEED = 20260615
CHECKED_ON = "2026-06-01"
CODES = [
    "1.001193",  # birth registration
    "1.000656",  # death registration
    "1.000894",  # marriage registration
    "1.001612",  # household business registration
    "1.004194",  # temporary residence
    "1.004222",  # permanent residence
    "1.004873",  # marital status certificate
    "2.000815",  # certified copy from the original
    "1.001022",  # recognition of father, mother or child
    "2.000635",  # copy of a civil-status extract
]

# --- the catalogue's document names (exact RequiredDocument.name of the case the dossiers belong to) ---

ID_CARD = (
    "Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/Giấy chứng nhận căn cước hoặc các giấy "
    "tờ khác có dán ảnh và thông tin cá nhân do cơ quan có thẩm quyền cấp, còn giá trị sử dụng (sau đây "
    "gọi tắt là giấy tờ tùy thân) để chứng minh về nhân thân khi làm thủ tục trực tiếp tại cơ quan đăng "
    "ký hộ tịch."
)
BIRTH_FORM = (
    "Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực "
    "tiếp hoặc gửi hồ sơ qua hệ thống bưu chính);"
)
BIRTH_CERT = (
    "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận "
    "về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh."
)
DEATH_FORM = (
    "Tờ khai đăng ký khai tử theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp);"
)
DEATH_NOTICE = (
    "Giấy báo tử hoặc giấy tờ thay Giấy báo tử do cơ quan có thẩm quyền cấp. Trường hợp người yêu cầu "
    "đã nộp bản điện tử Giấy báo tử hoặc cơ quan đăng ký hộ tịch đã khai thác được dữ liệu điện tử có "
    "ký số của Giấy báo tử thì không phải nộp bản giấy."
)
MARRIAGE_FORM = (
    "Tờ khai đăng ký kết hôn theo mẫu, có đủ thông tin của hai bên nam, nữ. Hai bên nam, nữ có thể khai "
    "chung vào một Tờ khai đăng ký kết hôn (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực "
    "tiếp);"
)
BUSINESS_FORM = "Giấy đề nghị đăng ký hộ kinh doanh;"
BUSINESS_FAMILY = (
    "Bản sao văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh đối "
    "với trường hợp hộ kinh doanh do các thành viên hộ gia đình đăng ký thành lập. Văn bản ủy quyền này "
    "phải được công chứng hoặc chứng thực theo quy định của pháp luật."
)
TEMP_FORM = (
    "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA); đối với "
    "người đăng ký tạm trú là người chưa thành niên thì trong tờ khai phải ghi rõ ý kiến đồng ý của cha, "
    "mẹ hoặc người giám hộ, trừ trường hợp đã có ý kiến đồng ý bằng văn bản;"
)
_LOOKED_UP = (
    "Thông tin chứng minh về chỗ ở hợp pháp được khai thác trong căn cước điện tử, tài khoản định danh "
    "điện tử trên hệ thống định danh và xác thực điện tử qua Ứng dụng định danh quốc gia hoặc trong Cơ sở "
    "dữ liệu quốc gia về dân cư, Cơ sở dữ liệu về cư trú, Kho quản lý dữ liệu điện tử tổ chức, cá nhân "
    "trên Cổng dịch vụ công quốc gia, Hệ thống thông tin giải quyết thủ tục hành chính cấp bộ, cấp tỉnh "
    "hoặc cơ sở dữ liệu quốc gia, cơ sở dữ liệu chuyên ngành khác. Trường hợp không khai thác được thông "
    "tin thì công dân xuất trình giấy tờ, tài liệu chứng minh chỗ ở hợp pháp theo quy định tại khoản {k} "
    "Điều 5 Nghị định 154/2024/NĐ-CP ngày 26/11/2024 của Chính phủ."
)
TEMP_PROOF = _LOOKED_UP.format(k=3)
PERM_PROOF = _LOOKED_UP.format(k=2) + (
    " Ví dụ: Trường hợp giấy tờ, tài liệu chứng minh chỗ ở hợp pháp là giấy tờ, tài liệu chứng nhận về "
    "quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do cơ quan có thẩm quyền cấp qua các thời "
    "kỳ theo quy định của pháp luật về đất đai và nhà ở được khai thác trong Cơ sở dữ liệu quốc gia về đất "
    "đai thì không phải xuất trình giấy tờ, tài liệu chứng minh chỗ ở hợp pháp."
)
PERM_FORM = (
    "Tờ khai thay đổi thông tin cư trú (mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA) hoặc Tờ "
    "khai thay đổi thông tin về cư trú dùng cho công dân Việt Nam định cư ở nước ngoài không có hộ chiếu "
    "Việt Nam còn giá trị sử dụng (mẫu CT02 ban hành kèm theo Thông tư số 53/2025/TT-BCA)."
)
RENT_CONTRACT = (
    "Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ được công chứng hoặc chứng thực theo quy "
    "định của pháp luật."
)
STATUS_FORM = (
    "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình "
    "thức trực tiếp);"
)
CERTIFY = (
    "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao và bản sao cần chứng thực. Trường hợp "
    "người yêu cầu chứng thực chỉ xuất trình bản chính thì cơ quan, tổ chức tiến hành chụp từ bản chính "
    "để thực hiện chứng thực, trừ trường hợp cơ quan, tổ chức không có phương tiện để chụp. Bản sao từ "
    "bản chính để thực hiện chứng thực phải có đầy đủ các trang đã ghi thông tin của bản chính."
)
KIN_FORM = (
    "Tờ khai đăng ký đăng ký nhận cha, mẹ, con theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo "
    "hình thức trực tiếp);"
)
KIN_PROOF = (
    "Văn bản của cơ quan y tế, cơ quan giám định hoặc cơ quan khác có thẩm quyền xác nhận quan hệ cha "
    "con, quan hệ mẹ con."
)
EXTRACT_FORM = (
    "Tờ khai đề nghị bản sao Trích lục hộ tịch theo mẫu trong trường hợp người yêu cầu là cá nhân hoặc "
    "Văn bản yêu cầu cấp bản sao Trích lục hộ tịch nêu rõ lý do trong trường hợp người yêu cầu là cơ "
    "quan, tổ chức (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp);"
)

# --- people and places (all invented) ------------------------------------------------------------

FAMILY = ["Hà", "Lò", "Mạc", "Quách", "Triệu", "Nông", "Lục", "Sầm", "Vi", "Cầm", "Hứa", "Tòng", "La", "Kha"]
FAMILY += ["Đinh", "Lương", "Thân", "Ninh", "Âu", "Giáp", "Khổng", "Tăng", "Diệp", "Bế"]
MIDDLE = {
    False: ["Văn", "Đình", "Công", "Xuân", "Bá", "Thế", "A"],
    True: ["Thị", "Diệu", "Kim", "Bích", "Hồng"],
}
GIVEN = {
    False: ["Pành", "Khoa", "Sơn", "Thắng", "Lịch", "Chiến", "Tởi", "Khánh", "Vượng", "Thiện", "Páo"],
    True: ["Xuân", "Pên", "Nhàn", "Liên", "Hoa", "Sao", "Ngân", "Thơm", "Duyên", "Mỷ", "Ánh"],
}
# Ê Đê / Jrai names: a man's name opens with "Y", a woman's with "H'"; the clan name comes last.
HIGHLAND_GIVEN = {False: ["Y Bhin", "Y Khuê", "Y Djăm", "Y Wơn"], True: ["H'Lim", "H'Hen", "H'Nuê", "H'Yưn"]}
HIGHLAND_CLAN = ["Niê", "Êban", "Mlô", "Byă", "Ksor", "Kdăm"]

PLACES = [  # (province, ID prefix, commune, villages)
    ("tỉnh Điện Biên", "011", "xã Mường Phăng", ["bản Co Mạ", "bản Nà Nhạn", "bản Pá Khoang"]),
    ("tỉnh Lai Châu", "012", "xã Bình Lư", ["bản Nà Tăm", "bản Hua Cưởm"]),
    ("tỉnh Đắk Lắk", "066", "xã Ea Kao", ["buôn Ko Tam", "buôn Kniêt", "buôn Cuôr Đăng"]),
    ("tỉnh Cao Bằng", "004", "xã Quảng Uyên", ["xóm Nà Lừa", "xóm Bó Tờ"]),
    ("tỉnh Lạng Sơn", "020", "phường Kỳ Lừa", ["tổ dân phố Pác Mòng", "khối 7"]),
    ("tỉnh Sơn La", "014", "xã Chiềng Cơi", ["bản Hài", "bản Giảng Lắc"]),
    ("thành phố Cần Thơ", "092", "phường Bình Thủy", ["khu vực Bình Phó", "khu vực Long Tuyền"]),
    ("tỉnh An Giang", "089", "xã Ô Lâm", ["ấp Phước Long", "ấp Sà Lôn"]),
]
ETHNIC = ["Thái", "Tày", "Nùng", "Mường", "Ê Đê", "Khmer", "Hoa", "Kinh", "Dao", "Giáy"]


@dataclass
class Place:
    province: str
    prefix: str
    commune: str
    village: str

    @property
    def address(self) -> str:
        return f"{self.village}, {self.commune}, {self.province}"


@dataclass
class Person:
    name: str
    female: bool
    born: datetime.date
    id_number: str
    place: Place
    ethnic: str


def place(rng: random.Random) -> Place:
    province, prefix, commune, villages = rng.choice(PLACES)
    return Place(province, prefix, commune, rng.choice(villages))


def full_name(rng: random.Random, female: bool, family: str | None = None) -> str:
    if family is None and rng.random() < 0.2:
        return f"{rng.choice(HIGHLAND_GIVEN[female])} {rng.choice(HIGHLAND_CLAN)}"
    family = family or rng.choice(FAMILY)
    middle = rng.choice(MIDDLE[female])
    if rng.random() < 0.3:  # four-syllable names
        middle += " " + rng.choice(["Minh", "Thanh", "Ngọc", "Hải", "Mai"])
    return f"{family} {middle} {rng.choice(GIVEN[female])}"


def person(rng: random.Random, female: bool, year: int, where: Place | None = None, family=None) -> Person:
    where = where or place(rng)
    born = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
    sex_digit = (0 if year < 2000 else 2) + (1 if female else 0)
    number = f"{where.prefix}{sex_digit}{year % 100:02d}{rng.randint(0, 999999):06d}"
    return Person(full_name(rng, female, family), female, born, number, where, rng.choice(ETHNIC))


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def spelled(day: datetime.date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def plain(text: str) -> str:
    """The name as typed without diacritics ("Lò Thị Pên" -> "Lo Thi Pen")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- an HTML kit for administrative forms ---------------------------------------------------------

FONTS = ["Noto Sans", "Noto Serif", "DejaVu Serif"]
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUB = "Độc lập - Tự do - Hạnh phúc"


def css(font: str, size: float) -> str:
    return f"""
@page {{ size: A4; margin: 14mm 16mm 16mm 22mm; }}
body {{ font-family: '{font}', 'DejaVu Sans', sans-serif; font-size: {size}pt; line-height: 1.35; }}
table.head {{ width: 100%; border-collapse: collapse; }} table.head td {{ vertical-align: top;
  text-align: center; font-size: {size - 0.5}pt; }}
table.head td.l {{ width: 42%; }} .u {{ text-decoration: underline; }}
.formno {{ text-align: right; font-style: italic; font-size: {size - 1}pt; margin: 2pt 0; }}
h2 {{ text-align: center; font-size: {size + 3}pt; margin: 12pt 0 2pt; letter-spacing: 0.5pt; }}
.sub {{ text-align: center; font-style: italic; margin: 0 0 8pt; }}
table.grid {{ width: 100%; border-collapse: collapse; margin: 6pt 0; }}
table.grid td, table.grid th {{ border: 1px solid #222; padding: 3pt 5pt; vertical-align: top; }}
table.grid th {{ background: #eee; }}
p {{ margin: 4pt 0; }} .dot {{ border-bottom: 1px dotted #555; }}
.sign {{ width: 100%; margin-top: 16pt; }} .sign td {{ text-align: center; vertical-align: top; width: 50%; }}
.card {{ border: 1.5pt solid #1d4f91; border-radius: 8pt; padding: 8pt 10pt; width: 150mm; }}
.photo {{ width: 26mm; height: 34mm; background: #bbb; float: left; margin: 0 10pt 4pt 0; }}
.narrow {{ width: 78mm; font-family: 'DejaVu Sans Mono', monospace; font-size: 9pt; }}
"""


def header(agency: list[str], number: str = "", place_date: str = "") -> str:
    left = "<br>".join(agency[:-1] + [f"<b class='u'>{agency[-1]}</b>"]) if agency else ""
    if number:
        left += f"<br>Số: {number}"
    right = f"<b>{MOTTO}</b><br><b class='u'>{MOTTO_SUB}</b>"
    if place_date:
        right += f"<br><i>{place_date}</i>"
    return f"<table class='head'><tr><td class='l'>{left}</td><td>{right}</td></tr></table>"


def motto_only(place_date: str = "") -> str:
    extra = f"<br><i>{place_date}</i>" if place_date else ""
    return f"<p style='text-align:center'><b>{MOTTO}</b><br><b class='u'>{MOTTO_SUB}</b>{extra}</p>"


def form_no(text: str) -> str:
    return f"<p class='formno'>{text}</p>"


def title(text: str, sub: str = "") -> str:
    return f"<h2>{text}</h2>" + (f"<p class='sub'>{sub}</p>" if sub else "")


def grid(rows: list[tuple[str, str]], head: tuple[str, str] | None = None) -> str:
    top = f"<tr><th>{head[0]}</th><th>{head[1]}</th></tr>" if head else ""
    body = "".join(f"<tr><td style='width:42%'>{k}</td><td>{v}</td></tr>" for k, v in rows)
    return f"<table class='grid'>{top}{body}</table>"


def grid3(head: list[str], rows: list[list[str]]) -> str:
    top = "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table class='grid'>{top}{body}</table>"


def dotted(*pairs: tuple[str, str]) -> str:
    return "".join(f"<p class='dot'>{label}: {value}</p>" for label, value in pairs)


def boxes(options: list[str], chosen: int) -> str:
    return " &nbsp; ".join(("☒ " if i == chosen else "☐ ") + o for i, o in enumerate(options))


def signatures(left: str, right: str, name: str) -> str:
    return (
        f"<table class='sign'><tr><td>{left}</td><td><b>{right}</b><br><i>(Ký, ghi rõ họ tên)</i>"
        f"<br><br><br>{name}</td></tr></table>"
    )


# --- documents: each a Doc, the catalogue requirement it is and the pages' HTML -------------------


@dataclass
class Doc:
    stem: str  # file name without extension
    requirement: str  # the catalogue name, "" for a file the procedure does not ask for
    pages: list[str]
    carries: frozenset = frozenset()  # applicant fields it shows: full_name, id_number, date_of_birth
    issued: bool = False  # an official paper: may bear a red stamp


def identity_card(p: Person, stem: str = "can-cuoc", back: bool = True) -> Doc:
    issued = datetime.date(2024, 7, 1) + datetime.timedelta(days=p.born.day * 9)
    expiry = datetime.date(max(p.born.year + 40, 2031), p.born.month, p.born.day)
    front = (
        "<div class='card'><p style='text-align:center;font-size:90%'><b>" + MOTTO + "</b><br>"
        "SOCIALIST REPUBLIC OF VIET NAM<br>" + MOTTO_SUB + " / Independence - Freedom - Happiness</p>"
        "<p style='text-align:center;font-size:140%'><b>CĂN CƯỚC</b> / IDENTITY CARD</p>"
        "<div class='photo'></div>"
        f"<p>Số định danh cá nhân / Personal identification number:<br><b>{p.id_number}</b></p>"
        f"<p>Họ, chữ đệm và tên khai sinh / Full name:<br><b>{p.name.upper()}</b></p>"
        f"<p>Ngày, tháng, năm sinh / Date of birth: {d(p.born)}</p>"
        f"<p>Giới tính / Sex: {'Nữ' if p.female else 'Nam'} &nbsp; Quốc tịch / Nationality: Việt Nam</p>"
        "</div>"
    )
    rear = (
        "<div class='card'>"
        f"<p>Nơi cư trú / Place of residence: {p.place.address}</p>"
        f"<p>Nơi đăng ký khai sinh / Place of birth: {p.place.province}</p>"
        f"<p>Ngày, tháng, năm cấp / Date of issue: {d(issued)}</p>"
        f"<p>Ngày, tháng, năm hết hạn / Date of expiry: {d(expiry)}</p>"
        "<p>BỘ CÔNG AN / MINISTRY OF PUBLIC SECURITY</p>"
        f"<p style='font-family:DejaVu Sans Mono'>IDVNM{p.id_number[3:]}{p.id_number}&lt;&lt;&lt;&lt;</p></div>"
    )
    pages = [front, rear] if back else [front]
    return Doc(stem, ID_CARD, pages, frozenset({"full_name", "id_number", "date_of_birth"}), True)


def civil_agency(p: Person) -> list[str]:
    return [f"ỦY BAN NHÂN DÂN {p.place.commune.upper()}"]


def birth_form(parent: Person, child: str, born: datetime.date, filed: datetime.date) -> Doc:
    first = (
        form_no("Mẫu số 01 — Tờ khai đăng ký khai sinh")
        + motto_only()
        + title("TỜ KHAI ĐĂNG KÝ KHAI SINH")
        + f"<p>Kính gửi: Ủy ban nhân dân {parent.place.commune}, {parent.place.province}</p>"
        + grid(
            [
                ("Họ, chữ đệm, tên người yêu cầu", parent.name.upper()),
                ("Nơi cư trú", parent.place.address),
                ("Giấy tờ tùy thân", f"Thẻ căn cước số {parent.id_number}"),
                ("Quan hệ với người được khai sinh", "Mẹ đẻ" if parent.female else "Cha đẻ"),
            ],
            ("Thông tin người yêu cầu", ""),
        )
        + grid(
            [
                ("Họ, chữ đệm, tên", child.upper()),
                ("Ngày, tháng, năm sinh", f"{d(born)} (ghi bằng chữ: {spelled(born)})"),
                ("Giới tính", boxes(["Nam", "Nữ"], born.day % 2)),
                ("Dân tộc / Quốc tịch", f"{parent.ethnic} / Việt Nam"),
                ("Nơi sinh", f"Trạm y tế {parent.place.commune}, {parent.place.province}"),
                ("Quê quán", parent.place.province),
            ],
            ("Người được khai sinh", ""),
        )
    )
    second = (
        grid(
            [
                ("Họ, chữ đệm, tên người mẹ", parent.name if parent.female else "(theo Giấy chứng sinh)"),
                ("Họ, chữ đệm, tên người cha", "(theo Giấy chứng sinh)" if parent.female else parent.name),
                ("Đề nghị cấp bản sao", boxes(["Có", "Không"], 0) + " &nbsp; Số lượng: 02 bản"),
            ]
        )
        + "<p>Tôi cam đoan những nội dung khai trên đây là đúng sự thật, được sự thỏa thuận nhất trí của "
        "các bên liên quan theo quy định pháp luật và chịu trách nhiệm trước pháp luật về lời khai.</p>"
        + signatures(f"Làm tại {parent.place.commune}, {spelled(filed)}", "Người yêu cầu", parent.name)
    )
    return Doc("to-khai-khai-sinh", BIRTH_FORM, [first, second], frozenset({"full_name", "id_number"}))


def birth_certificate(mother: Person, child: str, born: datetime.date, number: int) -> Doc:
    body = (
        f"<p>TRUNG TÂM Y TẾ KHU VỰC<br><b>TRẠM Y TẾ {mother.place.commune.upper()}</b><br>Số: {number}/GCS</p>"
        + form_no("Mẫu số 1 - Giấy chứng sinh")
        + motto_only()
        + title("GIẤY CHỨNG SINH", "(Dùng cho trẻ sinh ra tại cơ sở khám bệnh, chữa bệnh)")
        + dotted(
            ("Họ và tên mẹ / người nuôi dưỡng", mother.name),
            ("Năm sinh", str(mother.born.year)),
            ("Dân tộc", mother.ethnic),
            ("Nơi cư trú", mother.place.address),
            ("Đã sinh con vào lúc", f"{born.day % 12 + 6} giờ {born.day * 2} phút, {spelled(born)}"),
            ("Tại", f"Trạm y tế {mother.place.commune}"),
            ("Số con trong lần sinh này", "01"),
            ("Giới tính của con", "Nam" if born.day % 2 == 0 else "Nữ"),
            ("Cân nặng", f"{2800 + born.day * 20} gam"),
            ("Dự định đặt tên con", child),
        )
        + signatures(
            "Người đỡ đẻ<br><br><br>Y sĩ Vi Thị Khuyên", f"Ngày {d(born)}<br>TRƯỞNG TRẠM", "Bs. Sầm Văn Ích"
        )
    )
    return Doc("giay-chung-sinh", BIRTH_CERT, [body], frozenset({"full_name"}), True)


def death_form(declarant: Person, deceased: str, died: datetime.date, filed: datetime.date) -> Doc:
    first = (
        header(civil_agency(declarant))
        + form_no("Mẫu số 02 / Tờ khai đăng ký khai tử")
        + title("TỜ KHAI ĐĂNG KÝ KHAI TỬ")
        + f"<p>Kính gửi: Ủy ban nhân dân {declarant.place.commune}</p>"
        + dotted(
            ("Họ, chữ đệm, tên người yêu cầu", declarant.name.upper()),
            ("Nơi cư trú", declarant.place.address),
            ("Giấy tờ tùy thân", f"Căn cước số {declarant.id_number}"),
            ("Quan hệ với người đã chết", "con"),
        )
        + "<p><b>Đề nghị cơ quan đăng ký khai tử cho người có tên dưới đây:</b></p>"
        + grid(
            [
                ("Họ, chữ đệm, tên", deceased.upper()),
                ("Ngày, tháng, năm sinh", "năm 1941"),
                ("Dân tộc / Quốc tịch", f"{declarant.ethnic} / Việt Nam"),
                ("Nơi cư trú cuối cùng", declarant.place.address),
                ("Đã chết vào lúc", f"04 giờ 15 phút, {spelled(died)}"),
                ("Nơi chết", "tại nhà riêng"),
                ("Nguyên nhân chết", "bệnh già"),
            ]
        )
    )
    second = (
        grid([("Số Giấy báo tử", f"{died.day + 40}/GBT"), ("Ngày cấp", d(died + datetime.timedelta(days=1)))])
        + "<p>Tôi cam đoan nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật về "
        "cam đoan của mình.</p>"
        + signatures(f"{declarant.place.commune}, {spelled(filed)}", "Người yêu cầu", declarant.name)
    )
    return Doc("to-khai-khai-tu", DEATH_FORM, [first, second], frozenset({"full_name", "id_number"}))


def death_notice(deceased: str, where: Place, died: datetime.date, number: int) -> Doc:
    body = (
        header(
            [f"UBND {where.commune.upper()}", "TRẠM Y TẾ"],
            f"{number}/GBT",
            f"{where.commune}, {spelled(died)}",
        )
        + form_no("Mẫu Giấy báo tử")
        + title("GIẤY BÁO TỬ")
        + grid(
            [
                ("Họ, chữ đệm, tên người chết", deceased),
                ("Giới tính", "Nam"),
                ("Năm sinh", "1941"),
                ("Nơi cư trú cuối cùng", where.address),
                ("Đã chết vào lúc", f"04 giờ 15 phút, {spelled(died)}"),
                ("Nơi chết", "tại nhà riêng"),
                ("Nguyên nhân chết", "bệnh già"),
            ]
        )
        + signatures("", "TRƯỞNG TRẠM Y TẾ", "Lục Thị Hằng")
    )
    return Doc("giay-bao-tu", DEATH_NOTICE, [body], frozenset(), True)


def marriage_form(bride: Person, groom: Person, filed: datetime.date) -> Doc:
    def column(p: Person) -> list[str]:
        return [
            p.name.upper(),
            d(p.born),
            p.ethnic,
            "Việt Nam",
            p.place.address,
            f"Căn cước số {p.id_number}",
        ]

    labels = [
        "Họ, chữ đệm, tên",
        "Ngày, tháng, năm sinh",
        "Dân tộc",
        "Quốc tịch",
        "Nơi cư trú",
        "Giấy tờ tùy thân",
    ]
    rows = [[label, a, b] for label, a, b in zip(labels, column(bride), column(groom), strict=True)]
    first = (
        form_no("Mẫu số 03 - Tờ khai đăng ký kết hôn")
        + header(civil_agency(bride))
        + title("TỜ KHAI ĐĂNG KÝ KẾT HÔN")
        + f"<p>Kính gửi: Ủy ban nhân dân {bride.place.commune}, {bride.place.province}</p>"
        + grid3(["Thông tin", "Bên nữ", "Bên nam"], rows + [["Kết hôn lần thứ", "Lần đầu", "Lần đầu"]])
    )
    second = (
        "<p>Chúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn của chúng tôi là tự "
        "nguyện, không vi phạm quy định của Luật Hôn nhân và gia đình Việt Nam.</p>"
        + "<p>Đề nghị cấp bản sao Giấy chứng nhận kết hôn: "
        + boxes(["Có, 02 bản", "Không"], 0)
        + "</p>"
        + f"<p><i>{bride.place.commune}, {spelled(filed)}</i></p>"
        + f"<table class='sign'><tr><td><b>Bên nữ</b><br><br><br>{bride.name}</td>"
        f"<td><b>Bên nam</b><br><br><br>{groom.name}</td></tr></table>"
    )
    return Doc("to-khai-ket-hon", MARRIAGE_FORM, [first, second], frozenset(IDENTITY))


IDENTITY = ("full_name", "id_number", "date_of_birth")


def business_form(p: Person, shop: str, filed: datetime.date) -> Doc:
    first = (
        form_no("Phụ lục III-1")
        + motto_only(f"{p.place.commune}, {spelled(filed)}")
        + title("GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH")
        + f"<p>Kính gửi: Phòng Kinh tế {p.place.commune}, {p.place.province}</p>"
        + "<p>Tôi là (ghi họ tên bằng chữ in hoa): <b>"
        + p.name.upper()
        + "</b> là chủ hộ kinh doanh; "
        "đăng ký hộ kinh doanh với các nội dung sau:</p>"
        + grid(
            [
                ("1. Tên hộ kinh doanh", shop.upper()),
                ("2. Địa chỉ trụ sở", p.place.address),
                ("3. Ngành, nghề kinh doanh", "Chế biến và bảo quản rau quả (1030); bán lẻ hàng dệt thổ cẩm"),
                ("4. Vốn kinh doanh", "95.000.000 đồng (Chín mươi lăm triệu đồng)"),
                ("5. Số lượng lao động", "04 người"),
            ]
        )
    )
    second = (
        "<p><b>6. Thông tin về chủ hộ kinh doanh</b></p>"
        + grid(
            [
                ("Họ, chữ đệm và tên", p.name.upper()),
                ("Giới tính", boxes(["Nam", "Nữ"], int(p.female))),
                ("Dân tộc / Quốc tịch", f"{p.ethnic} / Việt Nam"),
                ("Số định danh cá nhân", p.id_number),
                ("Địa chỉ liên lạc", p.place.address),
            ]
        )
        + "<p>Tôi cam kết bản thân không thuộc diện bị cấm đăng ký hộ kinh doanh và chịu trách nhiệm "
        "trước pháp luật về tính hợp pháp, chính xác, trung thực của nội dung đăng ký trên.</p>"
        + signatures("", "CHỦ HỘ KINH DOANH", p.name)
    )
    return Doc("giay-de-nghi-hkd", BUSINESS_FORM, [first, second], frozenset({"full_name", "id_number"}))


def family_mandate(p: Person, members: list[Person], number: int) -> Doc:
    rows = [[m.name, d(m.born), m.id_number] for m in members]
    body = (
        "<p style='text-align:right'><b>BẢN SAO</b></p>"
        + motto_only()
        + title("VĂN BẢN ỦY QUYỀN", "(của các thành viên hộ gia đình cho chủ hộ kinh doanh)")
        + "<p>Chúng tôi gồm các thành viên hộ gia đình có tên dưới đây:</p>"
        + grid3(["Họ và tên", "Ngày sinh", "Số định danh cá nhân"], rows)
        + f"<p>Cùng thống nhất ủy quyền cho ông/bà <b>{p.name}</b>, số định danh {p.id_number}, làm chủ "
        "hộ kinh doanh và thay mặt hộ gia đình thực hiện thủ tục đăng ký thành lập hộ kinh doanh.</p>"
        + f"<p>Chứng thực chữ ký số {number}, quyển số 02/2026-SCT/CK, Ủy ban nhân dân {p.place.commune}.</p>"
        + signatures("", "NGƯỜI THỰC HIỆN CHỨNG THỰC", "Nông Văn Chức")
    )
    return Doc("uy-quyen-ho-gia-dinh", BUSINESS_FAMILY, [body], frozenset(), True)


def ct01(p: Person, owner: str, content: str, filed: datetime.date, requirement: str) -> Doc:
    first = (
        form_no("Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA")
        + motto_only()
        + title("TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ")
        + f"<p>Kính gửi: Công an {p.place.commune}, {p.place.province}</p>"
        + grid(
            [
                ("1. Họ, chữ đệm và tên", p.name.upper()),
                ("2. Ngày, tháng, năm sinh", d(p.born)),
                ("3. Giới tính", boxes(["Nam", "Nữ"], int(p.female))),
                ("4. Số định danh cá nhân", p.id_number),
                ("5. Số điện thoại liên hệ", f"09{p.id_number[-8:]}"),
                ("6. Email", "—"),
                ("7. Họ, chữ đệm và tên chủ hộ", owner),
                ("8. Mối quan hệ với chủ hộ", "chủ hộ" if owner == p.name else "người ở nhờ / thuê"),
            ]
        )
    )
    second = (
        grid(
            [
                ("9. Nội dung đề nghị", content),
                ("10. Những thành viên trong hộ gia đình cùng thay đổi", "Không"),
            ]
        )
        + f"<p>Ý kiến của chủ hộ: đồng ý. <i>{owner}</i></p>"
        + signatures(f"{p.place.commune}, {spelled(filed)}", "NGƯỜI KÊ KHAI", p.name)
    )
    return Doc("ct01", requirement, [first, second], frozenset(IDENTITY))


def lease(tenant: Person, landlord: Person, requirement: str, months: int, number: int) -> Doc:
    body = (
        motto_only()
        + title("HỢP ĐỒNG THUÊ NHÀ Ở", f"Số: {number}/2026/HĐTN")
        + f"<p>Hôm nay, tại {landlord.place.address}, chúng tôi gồm:</p>"
        + grid(
            [
                ("Bên cho thuê (Bên A)", f"Ông/Bà {landlord.name}, số định danh {landlord.id_number}"),
                ("Bên thuê (Bên B)", f"Ông/Bà {tenant.name}, số định danh {tenant.id_number}"),
                ("Nhà cho thuê", f"nhà cấp 4, diện tích sử dụng 42 m², tại {landlord.place.address}"),
                ("Thời hạn thuê", f"{months} tháng kể từ ngày 01/05/2026"),
                ("Giá thuê", "2.300.000 đồng/tháng"),
            ]
        )
        + "<p>Bên A đồng ý cho Bên B đăng ký cư trú tại chỗ ở nêu trên trong thời hạn thuê.</p>"
        + f"<p><i>Chứng thực hợp đồng số {number % 90 + 10}, quyển số 01/2026-SCT/HĐ, UBND {landlord.place.commune}.</i></p>"
        + f"<table class='sign'><tr><td><b>BÊN A</b><br><br><br>{landlord.name}</td>"
        f"<td><b>BÊN B</b><br><br><br>{tenant.name}</td></tr></table>"
    )
    return Doc("hop-dong-thue-nha", requirement, [body], frozenset({"full_name", "id_number"}), True)


def land_title(owner: Person, requirement: str, number: int) -> Doc:
    body = (
        motto_only()
        + title("GIẤY CHỨNG NHẬN<br>QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT")
        + f"<p style='text-align:center'>Số phát hành: DL {number:06d}</p>"
        + grid(
            [
                (
                    "Người sử dụng đất",
                    f"{'Bà' if owner.female else 'Ông'} {owner.name}, sinh năm {owner.born.year}",
                ),
                ("Số định danh cá nhân", owner.id_number),
                ("Địa chỉ thửa đất", owner.place.address),
                ("Thửa đất số / Tờ bản đồ số", f"{number % 500} / {number % 40 + 3}"),
                ("Diện tích", f"{number % 200 + 120},0 m²"),
                ("Mục đích sử dụng", "Đất ở tại nông thôn: 100 m²; đất trồng cây lâu năm: phần còn lại"),
                ("Tài sản gắn liền với đất", "Nhà ở riêng lẻ, 2 tầng"),
            ]
        )
        + signatures("", "TM. ỦY BAN NHÂN DÂN<br>KT. CHỦ TỊCH", "Đinh Công Lập")
    )
    return Doc("giay-chung-nhan-dat", requirement, [body], frozenset({"full_name", "id_number"}), True)


def status_form(p: Person, purpose: str, filed: datetime.date) -> Doc:
    first = (
        form_no("Mẫu Tờ khai cấp Giấy xác nhận tình trạng hôn nhân")
        + header(civil_agency(p))
        + title("TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN")
        + dotted(
            ("Họ, chữ đệm, tên người yêu cầu", p.name.upper()),
            ("Nơi cư trú", p.place.address),
            ("Giấy tờ tùy thân", f"Thẻ căn cước số {p.id_number}"),
            ("Quan hệ với người được cấp Giấy xác nhận", "bản thân"),
        )
        + grid(
            [
                ("Họ, chữ đệm, tên", p.name),
                ("Ngày, tháng, năm sinh", d(p.born)),
                ("Giới tính / Dân tộc", f"{'Nữ' if p.female else 'Nam'} / {p.ethnic}"),
                ("Tình trạng hôn nhân", "Hiện tại chưa đăng ký kết hôn với ai"),
                ("Mục đích sử dụng", purpose),
            ],
            ("Người được cấp Giấy xác nhận", ""),
        )
    )
    second = (
        "<p>Thời gian cư trú tại các nơi trước đây (nếu có): không.</p>"
        + "<p>Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp "
        "luật về cam đoan của mình.</p>"
        + signatures(f"{p.place.commune}, {spelled(filed)}", "Người yêu cầu", p.name)
    )
    return Doc("to-khai-xac-nhan-hon-nhan", STATUS_FORM, [first, second], frozenset(IDENTITY))


def degree(holder: Person, copy: bool, serial: int) -> Doc:
    body = (
        ("<p style='text-align:right;font-size:120%'><b>BẢN SAO</b></p>" if copy else "")
        + motto_only()
        + "<p style='text-align:center'>HIỆU TRƯỞNG TRƯỜNG CAO ĐẲNG CỘNG ĐỒNG TÂY BẮC<br>cấp</p>"
        + title("BẰNG TỐT NGHIỆP CAO ĐẲNG")
        + dotted(
            ("Ngành đào tạo", "Chăn nuôi - Thú y"),
            ("Cho", f"{'Bà' if holder.female else 'Ông'} {holder.name}"),
            ("Ngày sinh", d(holder.born)),
            ("Hình thức đào tạo", "Chính quy"),
            ("Xếp loại tốt nghiệp", "Khá"),
            ("Số hiệu văn bằng", f"CĐ-TB {serial:07d}"),
            ("Số vào sổ cấp văn bằng", f"{serial % 9000}/2023"),
        )
        + signatures(f"{holder.place.province}, ngày 18 tháng 7 năm 2023", "HIỆU TRƯỞNG", "Triệu Văn Đoàn")
    )
    stem = "ban-sao-bang" if copy else "ban-chinh-bang"
    return Doc(stem, CERTIFY, [body], frozenset({"full_name", "date_of_birth"}), True)


def school_record(holder: Person, copy: bool) -> list[Doc]:
    """A two-page original (or its copy): the academic record of a secondary school."""
    first = (
        ("<p style='text-align:right'><b>BẢN SAO</b></p>" if copy else "")
        + header(["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TRƯỜNG THPT DÂN TỘC NỘI TRÚ"])
        + title("HỌC BẠ TRUNG HỌC PHỔ THÔNG")
        + dotted(
            ("Họ và tên học sinh", holder.name),
            ("Ngày sinh", d(holder.born)),
            ("Dân tộc", holder.ethnic),
            ("Chỗ ở hiện tại", holder.place.address),
        )
    )
    second = grid3(
        ["Năm học", "Lớp", "Học lực", "Hạnh kiểm"],
        [
            ["2019-2020", "10A2", "Khá", "Tốt"],
            ["2020-2021", "11A2", "Giỏi", "Tốt"],
            ["2021-2022", "12A2", "Giỏi", "Tốt"],
        ],
    ) + signatures("", "HIỆU TRƯỞNG", "Ninh Thị Hạnh")
    stem = "ban-sao-hoc-ba" if copy else "ban-chinh-hoc-ba"
    return [Doc(stem, CERTIFY, [first, second], frozenset({"full_name", "date_of_birth"}), True)]


def kin_form(parent: Person, child: Person, filed: datetime.date) -> Doc:
    rows = [
        ["Họ, chữ đệm, tên", parent.name.upper(), child.name.upper()],
        ["Ngày, tháng, năm sinh", d(parent.born), d(child.born)],
        ["Dân tộc / Quốc tịch", f"{parent.ethnic} / Việt Nam", f"{child.ethnic} / Việt Nam"],
        ["Nơi cư trú", parent.place.address, child.place.address],
        ["Giấy tờ tùy thân", f"Căn cước số {parent.id_number}", "Giấy khai sinh số 27/2019"],
    ]
    first = (
        form_no("Mẫu số 07 - Tờ khai đăng ký nhận cha, mẹ, con")
        + header(civil_agency(parent))
        + title("TỜ KHAI ĐĂNG KÝ NHẬN CHA, MẸ, CON")
        + f"<p>Kính gửi: Ủy ban nhân dân {parent.place.commune}</p>"
        + grid3(["", "Người nhận", "Người được nhận"], rows)
        + "<p>Quan hệ: "
        + boxes(["Cha - con", "Mẹ - con"], int(parent.female))
        + "</p>"
    )
    second = (
        "<p>Tôi cam đoan việc nhận con là đúng sự thật, tự nguyện, không có tranh chấp và chịu trách "
        "nhiệm trước pháp luật về cam đoan của mình.</p>"
        + "<p>Ý kiến của người mẹ / người giám hộ của con: đồng ý.</p>"
        + signatures(f"{parent.place.commune}, {spelled(filed)}", "Người nhận", parent.name)
    )
    return Doc("to-khai-nhan-con", KIN_FORM, [first, second], frozenset(IDENTITY))


def dna_report(parent: Person, child: Person, number: int) -> Doc:
    body = (
        header(["VIỆN PHÁP Y QUỐC GIA", "PHÂN VIỆN PHÍA BẮC"], f"{number}/KQ-ADN")
        + title("KẾT QUẢ GIÁM ĐỊNH ADN", "(xác định quan hệ huyết thống)")
        + grid3(
            ["Mẫu", "Họ và tên", "Năm sinh", "Loại mẫu"],
            [
                ["M1", parent.name, str(parent.born.year), "niêm mạc miệng"],
                ["M2", child.name, str(child.born.year), "niêm mạc miệng"],
            ],
        )
        + "<p><b>Kết luận:</b> Trên cơ sở phân tích 24 locus gen, "
        f"{parent.name} là {'mẹ' if parent.female else 'cha'} đẻ của {child.name} "
        "với xác suất 99,9999%.</p>" + signatures("", "GIÁM ĐỊNH VIÊN", "ThS. Khổng Minh Đạt")
    )
    return Doc("ket-qua-adn", KIN_PROOF, [body], frozenset({"full_name"}), True)


def extract_form(p: Person, subject: str, filed: datetime.date) -> Doc:
    first = (
        form_no("Mẫu Tờ khai đề nghị cấp bản sao trích lục hộ tịch")
        + motto_only()
        + title("TỜ KHAI ĐỀ NGHỊ CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH")
        + f"<p>Kính gửi: Ủy ban nhân dân {p.place.commune}</p>"
        + grid(
            [
                ("Họ, chữ đệm, tên người yêu cầu", p.name.upper()),
                ("Nơi cư trú", p.place.address),
                ("Giấy tờ tùy thân", f"Thẻ căn cước số {p.id_number}"),
                ("Quan hệ với người được cấp bản sao", "bản thân" if subject == p.name else "mẹ"),
            ]
        )
        + "<p>Đề nghị cấp bản sao: "
        + boxes(["Trích lục khai sinh", "Trích lục kết hôn", "Trích lục khai tử"], 0)
        + "</p>"
    )
    second = (
        grid(
            [
                ("Họ, chữ đệm, tên người được cấp", subject),
                ("Số, quyển số đăng ký", "112, quyển số 01/1996"),
                ("Nơi đăng ký", f"UBND {p.place.commune}"),
                ("Số lượng bản sao", "03"),
            ]
        )
        + "<p>Tôi cam đoan những nội dung khai trên đây là đúng sự thật.</p>"
        + signatures(f"{p.place.commune}, {spelled(filed)}", "Người yêu cầu", p.name)
    )
    return Doc("to-khai-trich-luc", EXTRACT_FORM, [first, second], frozenset({"full_name", "id_number"}))


# Files no procedure asks for.


def receipt(rng: random.Random) -> Doc:
    items = [("Gạo nếp nương 5kg", 185000), ("Mật ong rừng", 240000), ("Chè Shan tuyết", 120000)]
    items += [("Măng khô", rng.randint(6, 15) * 10000)]
    rows = "".join(f"<p>{n}<br>&nbsp; 1 x {p:,} = {p:,}</p>".replace(",", ".") for n, p in items)
    total = f"{sum(p for _, p in items):,}".replace(",", ".")
    body = (
        "<div class='narrow'><p style='text-align:center'><b>SIÊU THỊ MINI BẢN XANH</b><br>ĐT 0214 3868 012</p>"
        f"<p>HÓA ĐƠN BÁN LẺ #{rng.randint(10000, 99999)}</p>{rows}<p>TỔNG CỘNG: {total} đ</p>"
        "<p>Tiền mặt / Xin cảm ơn quý khách</p></div>"
    )
    return Doc("hoa-don-sieu-thi", "", [body])


def menu(rng: random.Random) -> Doc:
    dishes = ["Cá suối nướng", "Thịt trâu gác bếp", "Xôi ngũ sắc", "Canh rau dớn", "Cơm lam", "Rượu ngô"]
    rows = [[dish, f"{rng.randint(4, 25) * 10}.000"] for dish in dishes]
    body = title("QUÁN ĂN BẢN MƯỜNG", "Thực đơn — Menu") + grid3(["Món", "Giá (đồng)"], rows)
    return Doc("thuc-don", "", [body])


def flyer(rng: random.Random) -> Doc:
    body = (
        "<h2>KHUYẾN MẠI LỚN</h2><p style='font-size:150%;text-align:center'>Điện máy Tây Nguyên giảm giá đến 40%"
        "</p><p>Tủ lạnh, máy giặt, quạt điện, nồi cơm điện. Trả góp 0%. Giao hàng tận buôn làng.</p>"
        f"<p>Hotline: 0262 38{rng.randint(10000, 99999)}</p>"
    )
    return Doc("to-roi-quang-cao", "", [body])


# --- rendering and degrading ---------------------------------------------------------------------


@dataclass
class Look:
    font: str
    size: float


def html(pages: list[str], look: Look) -> str:
    breaks = "".join(f"<div style='page-break-after: always'>{p}</div>" for p in pages[:-1])
    return (
        f"<html><head><meta charset='utf-8'><style>{css(look.font, look.size)}</style></head>"
        f"<body>{breaks}{pages[-1]}</body></html>"
    )


def pdf(pages: list[str], look: Look) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(pages, look)).write_pdf()


def rasters(pdf_bytes: bytes, dpi: int):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_bytes)
    return [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(document))]


_FONT_FILE: str | None = None


def font(size: int):
    from PIL import ImageFont

    global _FONT_FILE
    if _FONT_FILE is None:
        try:
            _FONT_FILE = subprocess.run(
                ["fc-match", "-f", "%{file}", "Noto Sans:bold"], capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            _FONT_FILE = ""
    try:
        return ImageFont.truetype(_FONT_FILE, size)
    except OSError:
        return ImageFont.load_default()


def stamp(image, rng: random.Random, text: str):
    """A red round seal over the signer's name (the lowest line of ink on the page), overlapping it."""
    import numpy as np
    from PIL import Image, ImageDraw

    width, height = image.size
    radius = int(width * rng.uniform(0.09, 0.12))
    seal = Image.new("RGBA", (2 * radius + 8, 2 * radius + 8), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    red = (200, 30, 40, rng.randint(150, 200))
    centre = radius + 4
    for ring in (0, int(radius * 0.08), int(radius * 0.55)):
        draw.ellipse((4 + ring, 4 + ring, 4 + 2 * radius - ring, 4 + 2 * radius - ring), outline=red, width=4)
    star = [
        (centre + r * math.sin(k * math.pi / 5), centre - r * math.cos(k * math.pi / 5))
        for k, r in zip(range(10), [radius * 0.3, radius * 0.12] * 5, strict=True)
    ]
    draw.polygon(star, fill=red)
    small = font(int(radius * 0.16))
    draw.text((centre, centre - int(radius * 0.72)), text[:22], font=small, fill=red, anchor="mm")
    draw.text((centre, centre + int(radius * 0.72)), "TỈNH", font=small, fill=red, anchor="mm")
    seal = seal.rotate(rng.uniform(-25, 25), expand=False)
    ink = np.nonzero((np.asarray(image.convert("L")) < 128).sum(axis=1) > 3)[0]
    bottom = int(ink[-1]) if len(ink) else height // 2
    x = int(width * rng.uniform(0.55, 0.65))
    y = bottom - int(radius * rng.uniform(1.0, 1.6))
    image = image.convert("RGBA")
    image.alpha_composite(seal, (x, max(0, min(height - seal.size[1], y))))
    return image.convert("RGB")


def _noise(array, rng: random.Random, sigma: float):
    import numpy as np

    return array + np.random.default_rng(rng.randint(0, 2**31)).normal(0, sigma, array.shape)


def scan150(image, rng: random.Random):
    """A cheap office colour scanner: 150 dpi, a slight tilt, a grey cast, sensor noise."""
    import numpy as np
    from PIL import Image

    tilted = image.rotate(
        rng.uniform(-1.5, 1.5), resample=Image.BICUBIC, expand=True, fillcolor=(245, 245, 240)
    )
    array = _noise(np.asarray(tilted).astype(np.float32) * 0.92 + 12, rng, 6)
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def fax(image, rng: random.Random):
    """A fax-like page: binarised, speckled, some rows dropped."""
    import numpy as np
    from PIL import Image, ImageOps

    grey = np.asarray(ImageOps.grayscale(image)).astype(np.float32)
    grey = _noise(grey, rng, 30)
    binary = np.where(grey > rng.uniform(135, 165), 255, 0).astype(np.uint8)
    for row in rng.sample(range(binary.shape[0]), k=binary.shape[0] // 120):
        binary[row : row + 2] = 255
    return Image.fromarray(binary).convert("1")


def phone(image, rng: random.Random):
    """A phone photo of the page lying on a table: perspective, a shadow gradient, warm light."""
    import numpy as np
    from PIL import Image

    width, height = image.size
    margin = int(0.08 * width)
    canvas = (width + 2 * margin, height + 2 * margin)

    def jitter(x, y):
        return (x + margin + rng.uniform(-0.05, 0.05) * width, y + margin + rng.uniform(-0.04, 0.04) * height)

    target = [jitter(0, 0), jitter(width, 0), jitter(width, height), jitter(0, height)]
    source = [(0, 0), (width, 0), (width, height), (0, height)]
    matrix, values = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        matrix += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        values += [u, v]
    coeffs = np.linalg.solve(np.array(matrix), np.array(values))
    warped = image.transform(canvas, Image.PERSPECTIVE, tuple(coeffs), Image.BICUBIC, fillcolor=(92, 70, 52))
    array = np.asarray(warped).astype(np.float32)
    h, w = array.shape[:2]
    xs, ys = np.linspace(0, 1, w)[None, :], np.linspace(0, 1, h)[:, None]
    shade = 1.0 - 0.45 * np.clip(1.2 - (xs * rng.uniform(0.8, 1.4) + ys * rng.uniform(0.3, 0.9)), 0, 1)
    array = array * shade[:, :, None] * np.array([1.0, 0.96, 0.88])
    return Image.fromarray(np.clip(_noise(array, rng, 5), 0, 255).astype(np.uint8))


def unreadable(image, rng: random.Random):
    """A page photographed in motion and in the dark: no words survive."""
    import numpy as np
    from PIL import Image, ImageFilter, ImageOps

    grey = ImageOps.grayscale(image)
    small = grey.resize((grey.width // 8, grey.height // 8)).filter(ImageFilter.GaussianBlur(3))
    array = np.asarray(small.resize(grey.size)).astype(np.float32) * 0.25 + 40
    return Image.fromarray(np.clip(_noise(array, rng, 25), 0, 255).astype(np.uint8))


def jpeg_bytes(image, quality: int) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def image_pdf(pages, dpi: int, quality: int | None) -> bytes:
    from PIL import Image

    if quality is not None:  # JPEG-compress each page as a scanner would
        pages = [Image.open(io.BytesIO(jpeg_bytes(p, quality))) for p in pages]
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out.getvalue()


# Modes: pdf (born digital), scan (150 dpi, JPEG 40), fax (binarised PNG or PDF), photo (one JPEG per
# page), rot90 / rot180 (a scan fed in sideways or upside down).
def render(doc: Doc, mode: str, rng: random.Random, broken: int | None = None, sealed: bool = False):
    """[(filename, bytes)] for one document; `broken`: the 1-based page made unreadable."""
    look = Look(rng.choice(FONTS), rng.choice([10.5, 11, 11.5, 12, 13]))
    data = pdf(doc.pages, look)
    if mode == "pdf" and broken is None and not sealed:
        return [(f"{doc.stem}.pdf", data)]
    dpi = 150 if mode in ("scan", "rot90", "rot180") else 200
    pages = rasters(data, dpi)
    if sealed:
        pages[-1] = stamp(pages[-1], rng, "ỦY BAN NHÂN DÂN")
    out = []
    for number, page in enumerate(pages, 1):
        if number == broken:
            page = unreadable(page, rng)
        elif mode == "photo":
            page = phone(page, rng)
        elif mode == "fax":
            page = fax(page, rng)
        else:
            page = scan150(page, rng)
        if mode == "rot90":
            page = page.rotate(rng.choice([90, 270]), expand=True)
        elif mode == "rot180":
            page = page.rotate(180, expand=True)
        out.append(page)
    if mode == "photo":
        suffix = [""] if len(out) == 1 else [f"-trang-{i}" for i in range(1, len(out) + 1)]
        return [
            (f"{doc.stem}{s}.jpg", jpeg_bytes(p, rng.choice([40, 55, 70])))
            for s, p in zip(suffix, out, strict=True)
        ]
    if mode == "fax" and len(out) == 1:
        buffer = io.BytesIO()
        out[0].save(buffer, "PNG")
        return [(f"{doc.stem}.png", buffer.getvalue())]
    return [(f"{doc.stem}.pdf", image_pdf(out, dpi, None if mode == "fax" else 40))]


# --- procedures: the ordinary dossier of each, and what may go wrong -----------------------------


@dataclass
class Dossier:
    docs: list[Doc]
    application: dict
    applicant: Person


@dataclass
class Spec:
    code: str
    slug: str
    case: int  # 1-based index in procedure.cases.all() order
    case_name: str
    make: Callable[[random.Random], Dossier]
    missing: str  # stem of the required document the "missing" variant leaves out
    mismatch: str  # the application field the "mismatch" variant gets wrong
    two_of: str = ""  # stem of a document the case needs twice (wrong_count when one is dropped)
    broken: str = ""  # stem of a two-page document whose page 2 is made unreadable
    extra_for_missing: Callable[[Dossier, random.Random], list[Doc]] | None = None
    other_cases: list[tuple[int, str, Callable[[random.Random], Dossier]]] = field(default_factory=list)


def applicant(p: Person, **extra) -> dict:
    return {
        "full_name": p.name,
        "date_of_birth": p.born.isoformat(),
        "id_number": p.id_number,
        "checked_on": CHECKED_ON,
        "address": p.place.address,
        **extra,
    }


def _filed(rng: random.Random) -> datetime.date:
    return datetime.date(2026, 5, rng.randint(18, 30))


def birth(rng: random.Random) -> Dossier:
    mother = person(rng, True, rng.randint(1990, 2003))
    child = full_name(rng, rng.random() < 0.5, family=mother.name.split()[0])
    born = datetime.date(2026, 5, rng.randint(2, 16))
    docs = [
        birth_form(mother, child, born, _filed(rng)),
        birth_certificate(mother, child, born, rng.randint(100, 980)),
        identity_card(mother),
    ]
    return Dossier(docs, applicant(mother, child_name=child, child_date_of_birth=born.isoformat()), mother)


def death(rng: random.Random) -> Dossier:
    son = person(rng, False, rng.randint(1965, 1985))
    deceased = full_name(rng, False, family=son.name.split()[0])
    died = datetime.date(2026, 5, rng.randint(3, 20))
    docs = [
        death_form(son, deceased, died, _filed(rng)),
        death_notice(deceased, son.place, died, rng.randint(11, 90)),
        identity_card(son, back=rng.random() < 0.5),
    ]
    return Dossier(docs, applicant(son, deceased_name=deceased, date_of_death=died.isoformat()), son)


def marriage(rng: random.Random) -> Dossier:
    bride = person(rng, True, rng.randint(1994, 2004))
    groom = person(rng, False, rng.randint(1990, 2002), where=bride.place)
    docs = [
        marriage_form(bride, groom, _filed(rng)),
        identity_card(bride, "can-cuoc-vo", back=False),
        identity_card(groom, "can-cuoc-chong", back=False),
    ]
    data = applicant(bride, partner_name=groom.name, partner_id_number=groom.id_number)
    return Dossier(docs, data, bride)


def business(rng: random.Random) -> Dossier:
    owner = person(rng, rng.random() < 0.5, rng.randint(1975, 1998))
    shop = f"Hộ kinh doanh {rng.choice(['Thổ cẩm', 'Nông sản', 'Mộc'])} {owner.name.split()[-1]}"
    docs = [business_form(owner, shop, _filed(rng))]
    return Dossier(docs, applicant(owner, business_name=shop), owner)


def family_members(d: Dossier, rng: random.Random) -> list[Doc]:
    spouse = person(rng, not d.applicant.female, d.applicant.born.year + 1, where=d.applicant.place)
    return [family_mandate(d.applicant, [d.applicant, spouse], rng.randint(100, 900))]


def temporary(rng: random.Random) -> Dossier:
    tenant = person(rng, rng.random() < 0.5, rng.randint(1985, 2005))
    landlord = person(rng, rng.random() < 0.5, rng.randint(1955, 1975))
    content = f"Đăng ký tạm trú tại {landlord.place.address}, thời hạn 12 tháng"
    docs = [ct01(tenant, landlord.name, content, _filed(rng), TEMP_FORM)]
    if rng.random() < 0.7:  # the citizen brings the lease as well (needed when the lookup fails)
        docs.append(lease(tenant, landlord, TEMP_PROOF, 12, rng.randint(100, 999)))
    return Dossier(docs, applicant(tenant, residence_address=landlord.place.address), tenant)


def permanent(rng: random.Random) -> Dossier:
    owner = person(rng, rng.random() < 0.5, rng.randint(1960, 1990))
    content = f"Đăng ký thường trú tại chỗ ở hợp pháp thuộc quyền sở hữu của mình: {owner.place.address}"
    docs = [ct01(owner, owner.name, content, _filed(rng), PERM_FORM)]
    docs.append(land_title(owner, PERM_PROOF, rng.randint(10000, 999999)))
    return Dossier(docs, applicant(owner, residence_address=owner.place.address), owner)


def permanent_rented(rng: random.Random) -> Dossier:
    tenant = person(rng, rng.random() < 0.5, rng.randint(1980, 2000))
    landlord = person(rng, rng.random() < 0.5, rng.randint(1950, 1970))
    content = f"Đăng ký thường trú vào chỗ ở hợp pháp do thuê: {landlord.place.address}"
    ct = ct01(tenant, landlord.name, content, _filed(rng), "")  # the catalogue omits CT01 in this case
    docs = [ct, lease(tenant, landlord, RENT_CONTRACT, 60, rng.randint(100, 999))]
    return Dossier(docs, applicant(tenant, residence_address=landlord.place.address), tenant)


def status(rng: random.Random) -> Dossier:
    p = person(rng, rng.random() < 0.5, rng.randint(1988, 2004))
    purpose = rng.choice(["Để đăng ký kết hôn", "Bổ sung hồ sơ vay vốn ngân hàng", "Để mua bán nhà đất"])
    docs = [status_form(p, purpose, _filed(rng)), identity_card(p)]
    return Dossier(docs, applicant(p, purpose=purpose), p)


def certification(rng: random.Random) -> Dossier:
    holder = person(rng, rng.random() < 0.5, rng.randint(1995, 2005))
    if rng.random() < 0.5:
        serial = rng.randint(100000, 9999999)
        docs = [degree(holder, False, serial), degree(holder, True, serial)]
        title_ = "Bằng tốt nghiệp cao đẳng"
    else:
        docs = school_record(holder, False) + school_record(holder, True)
        title_ = "Học bạ trung học phổ thông"
    # Anyone may have any paper certified: a parent often brings the child's.
    requester = holder if rng.random() < 0.6 else person(rng, True, holder.born.year - 26, where=holder.place)
    return Dossier(docs, applicant(requester, document_title=title_, copies=3), requester)


def kinship(rng: random.Random) -> Dossier:
    father = person(rng, False, rng.randint(1978, 1992))
    child = person(rng, rng.random() < 0.5, rng.randint(2012, 2019), where=father.place)
    child.name = full_name(rng, child.female, family=father.name.split()[0])
    docs = [
        kin_form(father, child, _filed(rng)),
        dna_report(father, child, rng.randint(100, 999)),
        identity_card(father),
    ]
    return Dossier(docs, applicant(father, child_name=child.name), father)


def extract(rng: random.Random) -> Dossier:
    p = person(rng, rng.random() < 0.5, rng.randint(1975, 1998))
    docs = [extract_form(p, p.name, _filed(rng)), identity_card(p, back=rng.random() < 0.5)]
    return Dossier(docs, applicant(p, extract_kind="Trích lục khai sinh"), p)


PERM_OWN = "Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình"
SPECS = [
    Spec("1.001193", "khai-sinh", 1, "", birth, "giay-chung-sinh", "id_number", broken="to-khai-khai-sinh"),
    Spec("1.000656", "khai-tu", 1, "", death, "giay-bao-tu", "date_of_birth", broken="to-khai-khai-tu"),
    Spec(
        "1.000894",
        "ket-hon",
        1,
        "",
        marriage,
        "to-khai-ket-hon",
        "full_name",
        two_of="can-cuoc-chong",
        broken="to-khai-ket-hon",
    ),
    Spec(
        "1.001612",
        "ho-kinh-doanh",
        1,
        "",
        business,
        "giay-de-nghi-hkd",
        "id_number",
        broken="giay-de-nghi-hkd",
        extra_for_missing=family_members,
    ),
    Spec("1.004194", "tam-tru", 1, "", temporary, "ct01", "date_of_birth", broken="ct01"),
    Spec(
        "1.004222",
        "thuong-tru",
        7,
        PERM_OWN,
        permanent,
        "ct01",
        "full_name",
        broken="ct01",
        other_cases=[(6, "Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ", permanent_rented)],
    ),
    Spec(
        "1.004873",
        "xac-nhan-hon-nhan",
        1,
        "",
        status,
        "to-khai-xac-nhan-hon-nhan",
        "id_number",
        broken="to-khai-xac-nhan-hon-nhan",
    ),
    Spec("2.000815", "chung-thuc", 1, "", certification, "*", "", broken="ban-sao-hoc-ba"),
    Spec(
        "1.001022", "nhan-cha-con", 1, "", kinship, "ket-qua-adn", "date_of_birth", broken="to-khai-nhan-con"
    ),
    Spec(
        "2.000635", "trich-luc", 1, "", extract, "to-khai-trich-luc", "full_name", broken="to-khai-trich-luc"
    ),
]


# --- variants and labels -------------------------------------------------------------------------


def finding(kind: str, requirement: str | None = None, file: str | None = None, page=None, field_=""):
    return {"kind": kind, "requirement": requirement, "file": file, "page": page, "field": field_}


def wrong_value(key: str, value: str, p: Person, rng: random.Random) -> str:
    """A value that really differs: another given name, a birthday months away in the same year (so a
    paper showing only the year still agrees), two digits of the ID number changed."""
    if key == "full_name":
        other = value
        while fold_name(other) == fold_name(value):
            other = full_name(rng, p.female, family=value.split()[0])
        return other
    if key == "date_of_birth":
        day = datetime.date.fromisoformat(value)
        return day.replace(
            month=(day.month + rng.randint(2, 9) - 1) % 12 + 1, day=min(day.day, 28)
        ).isoformat()
    digits = list(value)
    digits[6], digits[9] = str((int(digits[6]) + 3) % 10), str((int(digits[9]) + 5) % 10)
    return "".join(digits)


def fold_name(name: str) -> str:
    return plain(name).lower()


@dataclass
class Variant:
    name: str
    modes: dict[str, str]  # stem -> mode ("*" for the rest)
    findings: list[dict] = field(default_factory=list)
    named: bool = False  # application.json names the case
    drop: str = ""  # stem of a document left out ("*": all of them)
    broken: str = ""  # stem of the document whose page 2 is unreadable
    sealed: bool = False  # red stamps over the issued papers' signature blocks
    extra: Doc | None = None  # a file the procedure does not ask for
    application: dict = field(default_factory=dict)  # overrides of the application data


VARIANTS = ["complete-pdf", "complete-scan", "complete-photo", "complete-rotated", "complete-typed-name"]
VARIANTS += ["missing", "mismatch", "one-of-two", "unrelated-file", "unreadable-page"]


def variant(kind: str, spec: Spec, dossier: Dossier, rng: random.Random) -> Variant | None:
    """One variant of a dossier, with the labels the truth gives it (None: not for this procedure)."""
    p, docs = dossier.applicant, {doc.stem: doc for doc in dossier.docs}
    if kind == "complete-pdf":
        return Variant(kind, {"*": "pdf"})
    if kind == "complete-scan":  # a 150 dpi scan or a fax, stamps over the signatures
        return Variant(kind, {"*": rng.choice(["scan", "fax"])}, named=True, sealed=True)
    if kind == "complete-photo":
        return Variant(kind, {"*": "photo"})
    if kind == "complete-rotated":
        return Variant(kind, {dossier.docs[0].stem: rng.choice(["rot90", "rot180"]), "*": "scan"})
    if kind == "complete-typed-name":  # without diacritics or in other case: not a mismatch
        typed = rng.choice([plain(p.name), p.name.upper(), plain(p.name).lower(), p.name.lower()])
        return Variant(
            kind, {"*": rng.choice(["pdf", "scan"])}, application={"full_name": typed}, sealed=True
        )
    if kind == "missing":
        if spec.missing == "*":  # nothing but the application
            return Variant(
                kind, {"*": "pdf"}, [finding("missing_document", dossier.docs[0].requirement)], drop="*"
            )
        return Variant(
            kind,
            {"*": "pdf"},
            [finding("missing_document", docs[spec.missing].requirement)],
            drop=spec.missing,
        )
    if kind == "mismatch" and spec.mismatch:
        value = wrong_value(spec.mismatch, str(dossier.application[spec.mismatch]), p, rng)
        wanted = dict.fromkeys(doc.requirement for doc in dossier.docs if spec.mismatch in doc.carries)
        labels = [finding("field_mismatch", name, field_=spec.mismatch) for name in wanted]
        return Variant(kind, {"*": "scan"}, labels, named=True, application={spec.mismatch: value})
    if kind == "one-of-two" and spec.two_of:
        labels = [finding("wrong_count", docs[spec.two_of].requirement)]
        return Variant(kind, {"*": "photo"}, labels, drop=spec.two_of)
    if kind == "unrelated-file" and not spec.two_of:
        extra = rng.choice([receipt, menu, flyer])(rng)
        labels = [finding("unrecognised_file", file=f"{extra.stem}.jpg")]
        return Variant(kind, {"*": "pdf", extra.stem: "photo"}, labels, extra=extra)
    if kind == "unreadable-page" and spec.broken in docs:
        labels = [finding("unreadable", file=f"{spec.broken}.pdf", page=2)]
        return Variant(kind, {"*": "scan"}, labels, broken=spec.broken, named=True)
    return None


def files_of(
    dossier: Dossier, variant: Variant, rng: random.Random, extra_docs: list[Doc]
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    docs = [doc for doc in dossier.docs if variant.drop not in (doc.stem, "*")] + extra_docs
    if variant.extra:
        docs.append(variant.extra)
    for doc in docs:
        broken = 2 if doc.stem == variant.broken else None
        sealed = variant.sealed and doc.issued and doc.requirement != ID_CARD
        mode = variant.modes.get(doc.stem, variant.modes.get("*", "pdf"))
        files.update(render(doc, mode, rng, broken, sealed))
    return files


def fresh(spec: Spec, kind: str, rng: random.Random) -> Dossier:
    """New people for every dossier; the unreadable variant needs the two-page document it breaks."""
    for _ in range(20):
        dossier = spec.make(rng)
        if kind != "unreadable-page" or any(doc.stem == spec.broken for doc in dossier.docs):
            return dossier
    return dossier


def dossiers(rng: random.Random):
    """(name, procedure code, case index, case name, application, files, findings, variant) for all."""
    for spec in SPECS:
        for kind in VARIANTS:
            dossier = fresh(spec, kind, rng)
            chosen = variant(kind, spec, dossier, rng)
            if chosen is None:
                continue
            extra = (
                spec.extra_for_missing(dossier, rng) if kind == "missing" and spec.extra_for_missing else []
            )
            application = {**dossier.application, **chosen.application}
            if chosen.named:
                application = {"case": spec.case, **application}
            files = files_of(dossier, chosen, rng, extra)
            yield (
                f"{spec.slug}-{kind}",
                spec.code,
                spec.case,
                spec.case_name,
                application,
                files,
                chosen.findings,
                kind,
            )
        for index, name, make in spec.other_cases:
            for named, mode in ((True, "pdf"), (False, "scan")):
                dossier = make(rng)
                application = {"case": index, **dossier.application} if named else dossier.application
                files = files_of(dossier, Variant("other-case", {"*": mode}), rng, [])
                label = f"{spec.slug}-case{index}-{'named' if named else 'unnamed'}"
                yield label, spec.code, index, name, application, files, [], "other-case"


def build(out: Path, seed: int = SEED) -> list[Path]:
    """Render every dossier into out/<name>/ (plus out/<name>.expected.json) and return the folders."""
    out.mkdir(parents=True, exist_ok=True)
    folders = []
    rng = random.Random(seed)
    for name, code, case, case_name, application, files, expected, variant in dossiers(rng):
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "application.json").write_text(json.dumps(application, ensure_ascii=False, indent=1))
        for filename, data in files.items():
            (folder / filename).write_bytes(data)
        meta = {
            "procedure": code,
            "case": case,
            "case_name": case_name,
            "findings": expected,
            "variant": variant,
            "files": sorted(files),
        }
        folder.with_name(name + ".expected.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))
        folders.append(folder)
    (out / "VERSION").write_text(str(VERSION))
    return folders


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "var/precheck-national")
    for folder in build(target):
        print(folder)

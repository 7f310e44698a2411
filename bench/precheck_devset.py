"""The pre-check development set: labelled dossiers for five common procedures, rendered at bench time.

    python bench/precheck_devset.py OUT_DIR      # writes OUT_DIR/<dossier>/{application.json, files...}

Every person, number and document is invented here. Documents are HTML rendered to PDF by WeasyPrint
(Noto fonts, Vietnamese diacritics); "scanned" and "photographed" variants are those pages rasterised
and degraded with Pillow (skew, noise, blur, JPEG). Each dossier folder also holds expected.json: the
procedure, the case, and the findings a correct pre-check reports. Seeded: the same set every time.
Nothing generated is committed.
"""

from __future__ import annotations

import datetime
import io
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

VERSION = 4  # bump when documents or labels change: the bench re-renders the cached set
CHECKED_ON = "2026-06-01"
DPI = 200

# Admin rules the set relies on (RequiredDocument name prefix -> rules), as an officer would set them.
RULES = {
    "1.001193": [("Giấy chứng sinh", "field", "child_name")],
    "1.000894": [
        ("Giấy xác nhận tình trạng hôn nhân", "require", ""),
        ("Giấy xác nhận tình trạng hôn nhân", "validity_days", "180"),
        ("Giấy tờ tùy thân", "require", ""),
        ("Giấy tờ tùy thân", "count", "2"),
        ("Tờ khai đăng ký kết hôn", "field", "partner_name"),
    ],
    "2.000815": [
        ("Bản sao cần chứng thực", "keywords", "bản sao"),
        ("Bản chính giấy tờ", "catch_all", ""),
    ],
}
CASES = {"1.001193": 1, "1.000894": 2, "1.004222": 1, "2.000815": 1, "1.001612": 1}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE_M, MIDDLE_F = ["Văn", "Minh", "Đức", "Quốc", "Hữu"], ["Thị", "Ngọc", "Thu", "Thanh", "Mỹ"]
GIVEN_M = ["An", "Bảo", "Cường", "Dũng", "Hải", "Hùng", "Khang", "Long", "Nam", "Phúc", "Quang", "Tuấn"]
GIVEN_F = ["Anh", "Châu", "Dung", "Giang", "Hà", "Hương", "Lan", "Linh", "Mai", "Nhung", "Trang", "Yến"]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt", "Phan Chu Trinh"]

CSS = """
@page { size: A4; margin: 18mm 20mm; }
body { font-family: 'Noto Serif', serif; font-size: 13pt; line-height: 1.45; }
.motto { text-align: center; font-weight: bold; } .motto small { display: block; font-size: 12pt; }
h1 { text-align: center; font-size: 16pt; margin: 14pt 0 10pt; } p { margin: 5pt 0; }
.sign { margin-top: 24pt; text-align: right; font-style: italic; }
.card { border: 2px solid #333; padding: 10pt 14pt; }
"""
MOTTO = '<p class="motto">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<small>Độc lập - Tự do - Hạnh phúc</small></p>'


@dataclass
class Person:
    name: str
    female: bool
    born: datetime.date
    id_number: str
    address: str


def person(rng: random.Random, female: bool, born_year: int) -> Person:
    middle, given = (MIDDLE_F, GIVEN_F) if female else (MIDDLE_M, GIVEN_M)
    name = f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}"
    born = datetime.date(born_year, rng.randint(1, 12), rng.randint(1, 28))
    century = (0 if born_year < 2000 else 2) + (1 if female else 0)
    number = f"0{rng.randint(1, 96):02d}{century}{born_year % 100:02d}{rng.randint(0, 999999):06d}"
    address = f"số {rng.randint(2, 199)} đường {rng.choice(STREETS)}, phường An Phú, tỉnh Hòa Bình Xanh"
    return Person(name, female, born, number, address)


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def page(*parts: str) -> str:
    return "".join(parts)


def html(pages: list[str]) -> str:
    body = "".join(f'<div style="page-break-after: always">{p}</div>' for p in pages[:-1]) + pages[-1]
    return f"<html><head><meta charset='utf-8'><style>{CSS}</style></head><body>{body}</body></html>"


def lines(*pairs: tuple[str, str]) -> str:
    return "".join(f"<p>{label}: {value}</p>" for label, value in pairs)


def footer(place_date: datetime.date, signer: str) -> str:
    return (
        f'<p class="sign">An Phú, ngày {place_date.day:02d} tháng {place_date.month:02d} năm {place_date.year}'
        f"<br>Người yêu cầu<br><br>{signer}</p>"
    )


# --- documents: each returns a list of page HTML fragments ---------------------------------------


def identity_card(p: Person, issued: datetime.date, expires: datetime.date) -> list[str]:
    front = page(
        MOTTO,
        "<h1>CĂN CƯỚC<br><small>IDENTITY CARD</small></h1><div class='card'>",
        lines(
            ("Số định danh cá nhân / Personal identification number", p.id_number),
            ("Họ, chữ đệm và tên / Full name", p.name.upper()),
            ("Ngày sinh / Date of birth", d(p.born)),
            ("Giới tính / Sex", "Nữ / F" if p.female else "Nam / M"),
            ("Quốc tịch / Nationality", "Việt Nam"),
            ("Nơi cư trú / Place of residence", p.address),
            ("Có giá trị đến / Date of expiry", d(expires)),
        ),
        "</div>",
    )
    back = page(
        "<div class='card'>",
        lines(
            ("Nơi đăng ký khai sinh / Place of birth", "tỉnh Hòa Bình Xanh"),
            ("Ngày, tháng, năm cấp / Date of issue", d(issued)),
        ),
        "<p>BỘ CÔNG AN - CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI</p>",
        f"<p>IDVNM{p.id_number}&lt;&lt;&lt;&lt;&lt;&lt;</p></div>",
    )
    return [front, back]


def birth_declaration(parent: Person, child: str, child_born: datetime.date) -> list[str]:
    first = page(
        MOTTO,
        "<h1>TỜ KHAI ĐĂNG KÝ KHAI SINH</h1>",
        lines(
            ("Kính gửi", "Ủy ban nhân dân phường An Phú"),
            ("Họ, chữ đệm, tên người yêu cầu", parent.name.upper()),
            ("Nơi cư trú", parent.address),
            ("Giấy tờ tùy thân", f"Thẻ căn cước số {parent.id_number}"),
            ("Quan hệ với người được khai sinh", "mẹ" if parent.female else "cha"),
            ("Họ, chữ đệm, tên người được khai sinh", child.upper()),
            ("Ngày, tháng, năm sinh", d(child_born)),
            ("Giới tính", "Nam"),
            ("Dân tộc", "Kinh"),
            ("Quốc tịch", "Việt Nam"),
            ("Nơi sinh", "Bệnh viện Đa khoa tỉnh Hòa Bình Xanh"),
        ),
    )
    second = page(
        lines(
            ("Quê quán", "tỉnh Hòa Bình Xanh"),
            ("Họ, chữ đệm, tên người mẹ", parent.name if parent.female else "Trần Thị Hoa"),
            ("Đề nghị cấp bản sao Giấy khai sinh", "có, 02 bản"),
        ),
        "<p>Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật và chịu trách nhiệm "
        "trước pháp luật về cam đoan của mình.</p>",
        footer(child_born + datetime.timedelta(days=20), parent.name),
    )
    return [first, second]


def birth_certificate(mother: Person, child: str, child_born: datetime.date, number: int) -> list[str]:
    return [
        page(
            "<p>BỘ Y TẾ<br>Bệnh viện Đa khoa tỉnh Hòa Bình Xanh</p>",
            f"<p>Số: {number}/GCS</p>",
            "<h1>GIẤY CHỨNG SINH</h1>",
            lines(
                ("Họ và tên mẹ", mother.name),
                ("Năm sinh của mẹ", str(mother.born.year)),
                ("Nơi đăng ký thường trú", mother.address),
                ("Số định danh cá nhân của mẹ", mother.id_number),
                ("Đã sinh con vào lúc", f"09 giờ 30 phút, ngày {d(child_born)}"),
                ("Giới tính của con", "Nam"),
                ("Cân nặng", "3.200 gam"),
                ("Dự định đặt tên con", child),
            ),
            f'<p class="sign">Ngày {d(child_born)}<br>Giám đốc bệnh viện</p>',
        )
    ]


def marriage_declaration(bride: Person, groom: Person, when: datetime.date) -> list[str]:
    first = page(
        MOTTO,
        "<h1>TỜ KHAI ĐĂNG KÝ KẾT HÔN</h1>",
        lines(("Kính gửi", "Ủy ban nhân dân phường An Phú")),
        "<p><b>Bên nữ</b></p>",
        lines(
            ("Họ, chữ đệm, tên", bride.name.upper()),
            ("Ngày, tháng, năm sinh", d(bride.born)),
            ("Nơi cư trú", bride.address),
            ("Giấy tờ tùy thân", f"Thẻ căn cước số {bride.id_number}"),
        ),
    )
    second = page(
        "<p><b>Bên nam</b></p>",
        lines(
            ("Họ, chữ đệm, tên", groom.name.upper()),
            ("Ngày, tháng, năm sinh", d(groom.born)),
            ("Nơi cư trú", groom.address),
            ("Giấy tờ tùy thân", f"Thẻ căn cước số {groom.id_number}"),
            ("Kết hôn lần thứ mấy", "lần thứ nhất / lần thứ nhất"),
        ),
        "<p>Chúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn của chúng tôi là tự "
        "nguyện, không vi phạm quy định của Luật Hôn nhân và gia đình.</p>",
        footer(when, f"{bride.name} &nbsp; {groom.name}"),
    )
    return [first, second]


def single_status(p: Person, issued: datetime.date, number: int) -> list[str]:
    return [
        page(
            "<p>ỦY BAN NHÂN DÂN PHƯỜNG AN PHÚ</p>",
            MOTTO,
            f"<p>Số: {number}/XNTTHN</p>",
            "<h1>GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN</h1>",
            lines(
                ("Họ, chữ đệm, tên", p.name),
                ("Ngày, tháng, năm sinh", d(p.born)),
                ("Giấy tờ tùy thân", f"Thẻ căn cước số {p.id_number}"),
                ("Nơi cư trú", p.address),
                ("Tình trạng hôn nhân", "Chưa đăng ký kết hôn với ai"),
                ("Mục đích sử dụng", "Đăng ký kết hôn"),
                ("Ngày cấp", d(issued)),
            ),
            '<p class="sign">TM. ỦY BAN NHÂN DÂN<br>CHỦ TỊCH</p>',
        )
    ]


def residence_form(p: Person, owner: Person, when: datetime.date) -> list[str]:
    first = page(
        MOTTO,
        "<h1>TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ</h1>",
        lines(
            ("Kính gửi", "Công an phường An Phú"),
            ("Họ, chữ đệm và tên", p.name.upper()),
            ("Ngày, tháng, năm sinh", d(p.born)),
            ("Giới tính", "Nữ" if p.female else "Nam"),
            ("Số định danh cá nhân", p.id_number),
            ("Số điện thoại liên hệ", "0912 345 678"),
            ("Họ, chữ đệm và tên chủ hộ", p.name),
            ("Mối quan hệ với chủ hộ", "chủ hộ"),
            ("Số định danh cá nhân của chủ hộ", p.id_number),
        ),
    )
    second = page(
        lines(
            ("Nội dung đề nghị", f"Đăng ký thường trú tại {p.address}"),
            ("Những thành viên trong hộ cùng thay đổi", "không"),
            ("Ý kiến của chủ sở hữu chỗ ở hợp pháp", f"Đồng ý. {owner.name}"),
        ),
        footer(when, p.name),
    )
    return [first, second]


def land_certificate(owner: Person, number: int) -> list[str]:
    return [
        page(
            MOTTO,
            "<h1>GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT,<br>QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT</h1>",
            lines(
                ("Người sử dụng đất, chủ sở hữu tài sản", f"Ông/Bà {owner.name}, năm sinh {owner.born.year}"),
                ("Số định danh cá nhân", owner.id_number),
                ("Thửa đất số", f"{number % 300}, tờ bản đồ số 12"),
                ("Địa chỉ", owner.address),
                ("Diện tích", "84,5 m²"),
                ("Mục đích sử dụng", "Đất ở tại đô thị"),
                ("Số vào sổ cấp giấy chứng nhận", f"CS {number:05d}"),
            ),
        )
    ]


def diploma(p: Person, copy: bool) -> list[str]:
    return [
        page(
            "<p style='text-align:right'><b>BẢN SAO</b></p>" if copy else "",
            MOTTO,
            "<h1>BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG</h1>",
            lines(
                ("Họ và tên", p.name),
                ("Ngày sinh", d(p.born)),
                ("Nơi sinh", "tỉnh Hòa Bình Xanh"),
                ("Xếp loại tốt nghiệp", "Khá"),
                ("Số hiệu", f"B{p.id_number[-7:]}"),
            ),
            "<p class='sign'>GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO</p>",
        )
    ]


def business_form(p: Person, shop: str, when: datetime.date) -> list[str]:
    first = page(
        MOTTO,
        "<h1>GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH</h1>",
        lines(
            ("Kính gửi", "Cơ quan đăng ký kinh doanh cấp xã phường An Phú"),
            ("Tên hộ kinh doanh", shop.upper()),
            ("Địa chỉ trụ sở hộ kinh doanh", p.address),
            ("Ngành, nghề kinh doanh", "Bán lẻ lương thực, thực phẩm (mã 4721)"),
            ("Vốn kinh doanh", "150.000.000 đồng"),
            ("Số lượng lao động", "03"),
        ),
    )
    second = page(
        lines(
            ("Họ, chữ đệm và tên chủ hộ kinh doanh", p.name.upper()),
            ("Ngày sinh", d(p.born)),
            ("Giới tính; dân tộc; quốc tịch", f"{'Nữ' if p.female else 'Nam'}; Kinh; Việt Nam"),
            ("Số định danh cá nhân của chủ hộ kinh doanh", p.id_number),
            ("Địa chỉ liên lạc", p.address),
        ),
        "<p>Tôi cam kết trung thực, chính xác về nội dung đăng ký hộ kinh doanh.</p>",
        footer(when, p.name),
    )
    return [first, second]


def restaurant_bill(rng: random.Random) -> list[str]:
    items = "".join(
        f"<p>{dish} ........ {rng.randint(3, 12) * 10}.000 đ</p>"
        for dish in ["Phở bò tái", "Bún chả Hà Nội", "Cơm tấm sườn", "Trà đá", "Chè ba màu"]
    )
    return [
        page(
            "<h1>NHÀ HÀNG PHỞ NGON</h1><p>Hóa đơn thanh toán bàn số 7</p>", items, "<p>Cảm ơn quý khách!</p>"
        )
    ]


# --- rendering and degrading ---------------------------------------------------------------------


def pdf(pages: list[str]) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(pages)).write_pdf()


def images(pdf_bytes: bytes):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_bytes)
    return [document[i].render(scale=DPI / 72).to_pil().convert("RGB") for i in range(len(document))]


def degrade(image, rng: random.Random, level: str = "scan"):
    """A scan (slight skew, noise, light blur) or a phone photo (more skew, lighting gradient, JPEG);
    'unreadable': blurred and noisy beyond reading."""
    import numpy as np
    from PIL import Image, ImageFilter

    angle = rng.uniform(1.0, 3.5) * rng.choice([-1, 1]) if level != "clean" else 0
    image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=(250, 250, 248))
    blur = {"scan": rng.uniform(0.4, 0.9), "photo": rng.uniform(0.6, 1.1), "unreadable": 7.0}[level]
    image = image.filter(ImageFilter.GaussianBlur(blur))
    array = np.asarray(image).astype(np.float32)
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(
        0, 40 if level == "unreadable" else 9, array.shape
    )
    array = array + noise
    if level == "photo":  # uneven light across the page
        height, width = array.shape[:2]
        gradient = np.linspace(-35, 10, width)[None, :, None] + np.linspace(-10, 5, height)[:, None, None]
        array = array + gradient
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def jpeg(image, rng: random.Random) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=rng.randint(55, 80))
    return out.getvalue()


def scanned_pdf(pages_html: list[str], rng: random.Random, unreadable_page: int | None = None) -> bytes:
    pages = [
        degrade(img, rng, "unreadable" if i + 1 == unreadable_page else "scan")
        for i, img in enumerate(images(pdf(pages_html)))
    ]
    # JPEG-compress each page as a scanner would, then wrap them in one image-only PDF.
    from PIL import Image

    pages = [Image.open(io.BytesIO(jpeg(p, rng))) for p in pages]
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return out.getvalue()


def photo(pages_html: list[str], rng: random.Random) -> bytes:
    return jpeg(degrade(images(pdf(pages_html))[0], rng, "photo"), rng)


def encrypted(pdf_bytes: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- dossiers ------------------------------------------------------------------------------------


def finding(kind: str, requirement: str | None = None, file: str | None = None, page=None, field=""):
    return {"kind": kind, "requirement": requirement, "file": file, "page": page, "field": field}


SEED = 20260601  # the development set; other seeds draw other people, noise, skew and blur


def build(out: Path, seed: int = SEED) -> list[Path]:
    """Render every dossier into out/<name>/ and return the folders."""
    out.mkdir(parents=True, exist_ok=True)
    folders = []
    rng = random.Random(seed)
    for maker in (birth, marriage, residence, certification, business):
        for name, procedure, application, files, expected in maker(rng):
            folder = out / name
            folder.mkdir(parents=True, exist_ok=True)
            application = {"case": CASES[procedure], "checked_on": CHECKED_ON, **application}
            (folder / "application.json").write_text(json.dumps(application, ensure_ascii=False, indent=1))
            for filename, data in files.items():
                (folder / filename).write_bytes(data)
            meta = {"procedure": procedure, "findings": expected, "pages": _pages(files)}
            folder.with_name(folder.name + ".expected.json").write_text(
                json.dumps(meta, ensure_ascii=False, indent=1)
            )
            folders.append(folder)
    (out / "VERSION").write_text(str(VERSION))
    return folders


def _pages(files: dict[str, bytes]) -> int:
    import pypdfium2 as pdfium

    total = 0
    for data in files.values():
        try:
            total += len(pdfium.PdfDocument(data)) if data.startswith(b"%PDF") else 1
        except Exception:
            total += 1
    return total


def applicant(p: Person, **extra) -> dict:
    return {"full_name": p.name, "date_of_birth": p.born.isoformat(), "id_number": p.id_number, **extra}


def _variants(rng, make, required: list[str], broken_page: tuple[str, int]):
    """The variants every procedure gets: complete (PDF and scanned), one required document missing,
    an unreadable page, an unrelated extra file, a corrupted, an encrypted and a fake file."""
    base_pdf, base_scan, application = make(rng, scanned=False), make(rng, scanned=True), None
    yield "complete-pdf", base_pdf[0], base_pdf[1], []
    yield "complete-scan", base_scan[0], base_scan[1], []
    files, application = make(rng, scanned=True)
    dropped = next(iter(files))
    yield (
        "missing",
        {k: v for k, v in files.items() if k != dropped},
        application,
        [finding("missing_document", required[0])],
    )
    files, application = make(rng, scanned=True, unreadable=broken_page)
    yield "unreadable", files, application, [finding("unreadable", file=broken_page[0], page=broken_page[1])]
    files, application = make(rng, scanned=False)
    files["hoa-don.jpg"] = photo(restaurant_bill(rng), rng)
    yield "unrecognised", files, application, [finding("unrecognised_file", file="hoa-don.jpg")]
    files, application = make(rng, scanned=False)
    files["ban-chup.pdf"] = files[dropped][: len(files[dropped]) // 3]
    yield "corrupted", files, application, [finding("invalid_file", file="ban-chup.pdf")]
    files, application = make(rng, scanned=False)
    files[dropped] = encrypted(files[dropped])
    expected = [finding("invalid_file", file=dropped), finding("missing_document", required[0])]
    yield "encrypted", files, application, expected
    files, application = make(rng, scanned=True)
    files["to-khai.docx.pdf"] = b"PK\x03\x04 not a document at all" + bytes(
        rng.randrange(256) for _ in range(300)
    )
    files["trong.jpg"] = b""
    yield (
        "fake-and-empty",
        files,
        application,
        [
            finding("invalid_file", file="to-khai.docx.pdf"),
            finding("invalid_file", file="trong.jpg"),
        ],
    )


def _render(pages_html: list[str], rng, scanned: bool, filename: str, unreadable) -> bytes:
    broken = unreadable[1] if unreadable and unreadable[0] == filename else None
    if not scanned and broken is None:
        return pdf(pages_html)
    if filename.endswith(".jpg"):
        return photo(pages_html, rng)
    return scanned_pdf(pages_html, rng, broken)


def birth(rng):
    code = "1.001193"
    form, cert = "Tờ khai đăng ký khai sinh", "Giấy chứng sinh"

    def make(rng, scanned, unreadable=None, expired=False, wrong_id=False, wrong_child=False):
        mother = person(rng, True, rng.randint(1988, 2000))
        child = f"{mother.name.split()[0]} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
        born = datetime.date(2026, 5, rng.randint(1, 20))
        expires = datetime.date(2024, 3, 10) if expired else datetime.date(2040, mother.born.month, 28)
        files = {
            "to-khai.pdf": _render(
                birth_declaration(mother, child, born), rng, scanned, "to-khai.pdf", unreadable
            ),
            "giay-chung-sinh.pdf": _render(
                birth_certificate(mother, child, born, rng.randint(100, 999)),
                rng,
                scanned,
                "giay-chung-sinh.pdf",
                unreadable,
            ),
            "can-cuoc.pdf": _render(
                identity_card(mother, datetime.date(2021, 5, 10), expires),
                rng,
                scanned,
                "can-cuoc.pdf",
                unreadable,
            ),
        }
        data = applicant(mother, child_name=child)
        if wrong_id:
            data["id_number"] = mother.id_number[:-4] + f"{(int(mother.id_number[-4:]) + 1111) % 10000:04d}"
        if wrong_child:
            data["child_name"] = f"{child.split()[0]} Gia Huy"
        return files, data

    for variant, files, data, expected in _variants(rng, make, [form, cert], ("to-khai.pdf", 2)):
        yield f"khai-sinh-{variant}", code, data, files, expected
    files, data = make(rng, scanned=True, expired=True)
    yield (
        "khai-sinh-expired",
        code,
        data,
        files,
        [
            finding(
                "expired_document",
                "Giấy tờ tùy thân của người đi làm thủ tục (thẻ căn cước, căn cước điện tử hoặc hộ chiếu)",
            )
        ],
    )
    files, data = make(rng, scanned=False, wrong_id=True)
    ident = "Giấy tờ tùy thân của người đi làm thủ tục (thẻ căn cước, căn cước điện tử hoặc hộ chiếu)"
    yield (
        "khai-sinh-wrong-id",
        code,
        data,
        files,
        [
            finding("field_mismatch", ident, field="id_number"),
            finding("field_mismatch", form, field="id_number"),
        ],
    )
    files, data = make(rng, scanned=True, wrong_child=True)
    yield "khai-sinh-wrong-child", code, data, files, [finding("field_mismatch", cert, field="child_name")]


def marriage(rng):
    code = "1.000894"
    form, single = "Tờ khai đăng ký kết hôn", "Giấy xác nhận tình trạng hôn nhân"
    ident = "Giấy tờ tùy thân của người đi làm thủ tục (thẻ căn cước, căn cước điện tử hoặc hộ chiếu)"

    def make(rng, scanned, unreadable=None, old_status=False, one_card=False, wrong_partner=False):
        bride, groom = person(rng, True, rng.randint(1990, 2001)), person(rng, False, rng.randint(1988, 2000))
        issued = datetime.date(2025, 6, 1) if old_status else datetime.date(2026, 4, rng.randint(1, 28))
        files = {
            "to-khai-ket-hon.pdf": _render(
                marriage_declaration(bride, groom, datetime.date(2026, 5, 20)),
                rng,
                scanned,
                "to-khai-ket-hon.pdf",
                unreadable,
            ),
            "xac-nhan-hon-nhan.pdf": _render(
                single_status(bride, issued, rng.randint(10, 99)),
                rng,
                scanned,
                "xac-nhan-hon-nhan.pdf",
                unreadable,
            ),
            "can-cuoc-nu.jpg": _render(
                identity_card(bride, datetime.date(2022, 1, 5), datetime.date(2041, 1, 5))[:1],
                rng,
                True,
                "can-cuoc-nu.jpg",
                None,
            ),
        }
        if not one_card:
            files["can-cuoc-nam.jpg"] = _render(
                identity_card(groom, datetime.date(2021, 8, 9), datetime.date(2038, 8, 9))[:1],
                rng,
                True,
                "can-cuoc-nam.jpg",
                None,
            )
        partner = "Lê Hoàng Phi" if wrong_partner else groom.name
        return files, applicant(bride, partner_name=partner)

    for variant, files, data, expected in _variants(rng, make, [form, single], ("to-khai-ket-hon.pdf", 2)):
        yield f"ket-hon-{variant}", code, data, files, expected
    files, data = make(rng, scanned=True, old_status=True)
    yield "ket-hon-expired", code, data, files, [finding("expired_document", single)]
    files, data = make(rng, scanned=False, one_card=True)
    yield "ket-hon-one-card", code, data, files, [finding("wrong_count", ident)]
    files, data = make(rng, scanned=True, one_card=True)
    yield "ket-hon-one-card-scan", code, data, files, [finding("wrong_count", ident)]
    files, data = make(rng, scanned=True, wrong_partner=True)
    yield "ket-hon-wrong-partner", code, data, files, [finding("field_mismatch", form, field="partner_name")]


def residence(rng):
    code = "1.004222"
    form, proof = "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)", "Giấy tờ chứng minh chỗ ở hợp pháp"

    def make(rng, scanned, unreadable=None, wrong_name=False):
        p = person(rng, rng.random() < 0.5, rng.randint(1970, 1999))
        files = {
            "ct01.pdf": _render(
                residence_form(p, p, datetime.date(2026, 5, 25)), rng, scanned, "ct01.pdf", unreadable
            ),
            "giay-chung-nhan.jpg" if scanned else "giay-chung-nhan.pdf": _render(
                land_certificate(p, rng.randint(1000, 99999)),
                rng,
                scanned,
                "giay-chung-nhan.jpg" if scanned else "giay-chung-nhan.pdf",
                unreadable,
            ),
        }
        data = applicant(p)
        if wrong_name:
            data["full_name"] = f"{p.name.split()[0]} {'Thị' if p.female else 'Văn'} Khác"
        return files, data

    for variant, files, data, expected in _variants(rng, make, [form, proof], ("ct01.pdf", 2)):
        yield f"thuong-tru-{variant}", code, data, files, expected
    files, data = make(rng, scanned=True, wrong_name=True)
    yield "thuong-tru-wrong-name", code, data, files, [finding("field_mismatch", form, field="full_name")]


def certification(rng):
    code = "2.000815"
    original, copy = "Bản chính giấy tờ, văn bản cần chứng thực", "Bản sao cần chứng thực"

    def make(rng, scanned, unreadable=None):
        p = person(rng, rng.random() < 0.5, rng.randint(1985, 2005))
        files = {
            "ban-sao.pdf": _render(diploma(p, copy=True) * 2, rng, scanned, "ban-sao.pdf", unreadable),
            "bang-goc.pdf": _render(diploma(p, copy=False), rng, scanned, "bang-goc.pdf", unreadable),
        }
        return files, applicant(p)

    for variant, files, data, expected in _variants(rng, make, [copy, original], ("ban-sao.pdf", 2)):
        if variant == "unrecognised":  # any unrecognised file is taken as the original here (catch-all rule)
            continue
        yield f"chung-thuc-{variant}", code, data, files, expected


def business(rng):
    code = "1.001612"
    form = "Giấy đề nghị đăng ký hộ kinh doanh"

    def make(rng, scanned, unreadable=None, wrong_id=False):
        p = person(rng, rng.random() < 0.5, rng.randint(1975, 2000))
        shop = f"Tạp hóa {p.name.split()[-1]}"
        files = {
            "giay-de-nghi.pdf": _render(
                business_form(p, shop, datetime.date(2026, 5, 28)),
                rng,
                scanned,
                "giay-de-nghi.pdf",
                unreadable,
            )
        }
        data = applicant(p)
        if wrong_id:
            data["id_number"] = (
                p.id_number[:3] + f"{(int(p.id_number[3:6]) + 7) % 1000:03d}" + p.id_number[6:]
            )
        return files, data

    for variant, files, data, expected in _variants(rng, make, [form], ("giay-de-nghi.pdf", 2)):
        yield f"ho-kinh-doanh-{variant}", code, data, files, expected
    files, data = make(rng, scanned=True, wrong_id=True)
    yield "ho-kinh-doanh-wrong-id", code, data, files, [finding("field_mismatch", form, field="id_number")]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "var/precheck-devset")
    for folder in build(target):
        print(folder)

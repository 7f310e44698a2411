import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.precheck.requirements import Requirement

MOTTO = "<p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Độc lập - Tự do - Hạnh phúc</p>"
NAME, ID, BORN = "Nguyễn Thị Hương", "001190012345", "15/03/1990"


def render(*pages: str) -> bytes:
    """A born-digital PDF (with a text layer), one HTML fragment per page."""
    from weasyprint import HTML

    body = "".join(f'<div style="page-break-after: always">{p}</div>' for p in pages[:-1]) + pages[-1]
    css = "@page{size:A4;margin:18mm} body{font-family:'Noto Serif';font-size:13pt}"
    return HTML(
        string=f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{body}</body></html>"
    ).write_pdf()


def scan(pdf: bytes, angle: float = 2.0, dpi: int = 150, blur: float = 0.6, page: int = 0) -> bytes:
    """A page of `pdf` as a skewed, noisy JPEG: what a scanner or a phone gives."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    image = pdfium.PdfDocument(pdf)[page].render(scale=dpi / 72).to_pil().convert("L")
    image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=250).filter(
        ImageFilter.GaussianBlur(blur)
    )
    noisy = np.asarray(image, dtype=np.float32) + np.random.default_rng(7).normal(0, 8, image.size[::-1])
    out = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=70)
    return out.getvalue()


def lines(*pairs) -> str:
    return "".join(f"<p>{label}: {value}</p>" for label, value in pairs)


def declaration(name=NAME, id_number=ID) -> bytes:
    return render(
        MOTTO
        + "<h1>TỜ KHAI ĐĂNG KÝ KHAI SINH</h1>"
        + lines(
            ("Họ, chữ đệm, tên người yêu cầu", name.upper()),
            ("Giấy tờ tùy thân", f"Thẻ căn cước số {id_number}"),
            ("Họ, chữ đệm, tên người được khai sinh", "TRẦN MINH KHANG"),
            ("Ngày, tháng, năm sinh", "02/05/2026"),
        ),
        lines(("Quê quán", "tỉnh Hòa Bình Xanh")) + "<p>Tôi cam đoan nội dung trên đây là đúng sự thật.</p>",
    )


def birth_certificate(mother=NAME) -> bytes:
    return render(
        "<p>Bệnh viện Đa khoa tỉnh</p><p>Số: 123/GCS</p><h1>GIẤY CHỨNG SINH</h1>"
        + lines(("Họ và tên mẹ", mother), ("Dự định đặt tên con", "Trần Minh Khang"))
    )


def identity_card(name=NAME, id_number=ID, born=BORN, expires="15/03/2040") -> bytes:
    return render(
        MOTTO
        + "<h1>CĂN CƯỚC</h1><p>IDENTITY CARD</p>"
        + lines(
            ("Số định danh cá nhân / Personal identification number", id_number),
            ("Họ, chữ đệm và tên / Full name", name.upper()),
            ("Ngày sinh / Date of birth", born),
            ("Có giá trị đến / Date of expiry", expires),
        )
    )


@pytest.fixture
def birth_requirements():
    return [
        Requirement(
            id=1,
            name="Tờ khai đăng ký khai sinh",
            form_title="Tờ khai đăng ký khai sinh",
            form_lines=["Họ, chữ đệm, tên người yêu cầu", "Giấy tờ tùy thân (loại, số)"],
        ),
        Requirement(id=2, name="Giấy chứng sinh"),
        Requirement(
            id=3,
            name="Giấy tờ tùy thân của người đi làm thủ tục (thẻ căn cước, căn cước điện tử hoặc hộ chiếu)",
            required=False,
        ),
    ]


def upload(name: str, data: bytes, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def seeded() -> random.Random:
    return random.Random(3)

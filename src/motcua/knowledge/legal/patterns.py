"""The regular expressions and word lists that recognise the structure and facts of a legal document."""

from __future__ import annotations

import re

# Heading keywords in any case ("Chương", "CHƯƠNG"), numerals case-sensitive: "Phần lớn", "Mục đích" and
# "Điều kiện" begin real article titles and lines.
PART_RE = re.compile(r"^((?i:phần)\s+(?:(?i:thứ)\s+\w+|[IVXLC]+|\d+))\b[.:]?\s*(.*)$")
CHAPTER_RE = re.compile(r"^((?i:chương)\s+(?:[IVXLC]+|\d+))\b[.:]?\s*(.*)$")
SECTION_RE = re.compile(r"^((?i:mục)\s+(?:\d+|[IVXLC]+))\b[.:]?\s*(.*)$")
# "Điều 12. Title", "Điều 12: Title", or "Điều 115" alone (the Constitution has no article titles)
ARTICLE_RE = re.compile(r"^(?i:điều)\s+(\d+[a-zđ]?)(?:\s*[.:]\s*|\s*$)(.*)$")
LEVELS = ("part", "chapter", "section")
HEADINGS = (("part", PART_RE), ("chapter", CHAPTER_RE), ("section", SECTION_RE), ("article", ARTICLE_RE))
CLAUSE_RE = re.compile(r"^(\d{1,3}[a-zđ]?)\.\s+\S")  # "1. ", "2a. "; not "1.000 đồng" nor "1.1."
CLAUSE_NO_DOT_RE = re.compile(r"^(\d{1,3}) (?=[A-ZĐÀ-Ỹ])")  # "23 Đề nghị": a typo, taken as the next clause
POINT_RE = re.compile(r"^([a-zđ]\d?)\)\s+\S")  # "a) ", "đ) ", "a1) "
POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese order: no f, j, w, z
RULE_RE = re.compile(r"^[-_=*.~–—\s]{3,}$")  # the rules drawn under header lines
DOC_NUMBER = r"\d+/(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-Za-zĐđ0-9]+)*"  # 68/2020/QH14, 15/QĐ-BNV
NUMBER_RE = re.compile(r"\b" + DOC_NUMBER)
NUMBER_LINE_RE = re.compile(
    r"(?:^|\s)(?:(?:Bộ luật|Luật|Pháp lệnh|Nghị quyết|Lệnh) số|[Ss]ố)\s*:?\s*(" + DOC_NUMBER + ")"
)
DATE_RE = re.compile(r"ngày\s+(\d{1,2})\s*(?:tháng|/|-)\s*(\d{1,2})\s*(?:năm|/|-)\s*(\d{4})")
PLACE_DATE_RE = re.compile(r"[A-ZĐ][^,\d]{1,40},\s*" + DATE_RE.pattern)
NATIONAL_RE = re.compile(r"CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM")
LOCAL_UNIT_RE = re.compile(r"(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\b")
DOC_TYPES = (
    "BỘ LUẬT|HIẾN PHÁP|PHÁP LỆNH|THÔNG TƯ LIÊN TỊCH|NGHỊ QUYẾT LIÊN TỊCH|VĂN BẢN HỢP NHẤT|NGHỊ ĐỊNH|NGHỊ QUYẾT"
    "|THÔNG TƯ|QUYẾT ĐỊNH|CHỈ THỊ|LỆNH|LUẬT|QUY CHẾ|QUY ĐỊNH|HƯỚNG DẪN|KẾ HOẠCH|THÔNG BÁO"
).split("|")
TYPE_LINE_RE = re.compile(r"^(" + "|".join(DOC_TYPES) + r")(?:\s+(.+))?$")
TYPE_BY_SYMBOL = {"NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "QĐ": "Quyết định"}
TYPE_BY_SYMBOL |= {"NQ": "Nghị quyết", "CT": "Chỉ thị", "VBHN": "Văn bản hợp nhất"}
NAMED_TYPES = ("Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh")  # cited by name: "Luật Cư trú 68/2020/QH14"
PREAMBLE_RE = re.compile(r"^(Căn cứ|Theo đề nghị|Xét)\b")
TITLE_STOP_RE = re.compile(r"^(Căn cứ|Theo đề nghị|Xét|\(|.*\bban hành\b)")
THIS = r"^(?:\d+\.\s+)?(?:Bộ luật|Luật|Hiến pháp|Pháp lệnh|Nghị định|Nghị quyết|Thông tư|Quyết định|Chỉ thị)"
EFFECTIVE_RE = re.compile(THIS + r"(?: liên tịch)? này(?: chính thức)? có hiệu lực")
EXPIRES_RE = re.compile(THIS + r"(?: liên tịch)? này hết hiệu lực")
AMEND_RE = re.compile(r"[Ss]ửa đổi, bổ sung")
# "Luật X số N đã được sửa đổi, bổ sung một số điều theo Luật số A và Luật số B": A and B are only history
HISTORY_RE = re.compile(
    r"đã được sửa đổi[^.;]*?theo(?:,? (?:và )?(?:Bộ luật |Luật |Pháp lệnh |Nghị định |Thông tư )?số \S+)+"
)
PARTIAL_RE = re.compile(r"\b(?:Điều|khoản|điểm|Chương|Mục)\s+[\dIVXLC]")  # "bãi bỏ Điều 5 của Luật số N"
SENTENCE_END_RE = re.compile(r"(?<=[.;:!?])\s+(?=\S)")
# The end of the enacted text: adoption formula, recipients, signature block.
CLOSING_RE = re.compile(
    r"^(?:(?:Bộ luật|Luật|Hiến pháp|Pháp lệnh|Nghị quyết) này (?:đã )?được (?:Quốc hội|Hội đồng)"
    r"|Nơi nhận\b|(?:TM|KT|TL|TUQ|Q)\.\s|(?:PHÓ )?(?:CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG)\b)"
)
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)

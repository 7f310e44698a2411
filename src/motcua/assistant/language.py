"""Cheap language detection for questions (vi / en / ar) and a curated glossary that turns common
English, Arabic and colloquial Vietnamese phrasings into the catalogue's Vietnamese terms.

Detection: Arabic script -> ar; Vietnamese letters (ă, ơ, ư, đ, tone marks) -> vi; otherwise count
common words of each language, so "lam giay khai sinh cho con" (Vietnamese typed without marks) and
"how do I register a birth" are told apart. No model is loaded.
"""

from __future__ import annotations

import re

from motcua.core.text import fold, nfc

SUPPORTED = ("vi", "en", "ar")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)
_WORD = re.compile(r"[a-z]+")
EN_WORDS = set(
    "the a an is are do does did how what where when which who why i my me we you your can could "
    "need needs to of for in on at with and or get register apply certificate please much long "
    "should must documents fee fees it this that there have has from about".split()
)
VI_WORDS = set(
    "lam giay cho con can gi toi muon thu tuc dang ky cap o dau bao nhieu lau thi nao phai co khong "
    "duoc nhu the nay ho so nop xin minh va la cua nguoi ve tien le phi ngay may khai sinh ket hon".split()
)


def detect(text: str) -> str:
    text = nfc(text)
    if len(_ARABIC.findall(text)) >= 2:
        return "ar"
    if _VIETNAMESE.search(text):
        return "vi"
    tokens = _WORD.findall(text.lower())
    english = sum(t in EN_WORDS for t in tokens)
    vietnamese = sum(t in VI_WORDS for t in tokens)
    return "en" if english > vietnamese else "vi"


# Phrase -> Vietnamese catalogue terms. Matched on folded text (case, accents, Arabic letter forms),
# longest phrase first. Written by us; extend it where users' words and the catalogue's differ.
GLOSSARY: dict[str, str] = {
    # civil status
    "birth certificate": "đăng ký khai sinh",
    "register a birth": "đăng ký khai sinh",
    "register the birth": "đăng ký khai sinh",
    "register my baby": "đăng ký khai sinh",
    "birth registration": "đăng ký khai sinh",
    "newborn": "đăng ký khai sinh",
    "شهادة ميلاد": "đăng ký khai sinh",
    "تسجيل المولود": "đăng ký khai sinh",
    "تسجيل مولود": "đăng ký khai sinh",
    "تسجيل الولادة": "đăng ký khai sinh",
    "ميلاد": "đăng ký khai sinh",
    "ولادة": "đăng ký khai sinh",
    "مولود": "đăng ký khai sinh",
    "copy of birth certificate": "cấp bản sao trích lục hộ tịch bản sao giấy khai sinh",
    "death": "đăng ký khai tử",
    "died": "đăng ký khai tử",
    "وفاة": "đăng ký khai tử",
    "marriage": "đăng ký kết hôn",
    "get married": "đăng ký kết hôn",
    "marry": "đăng ký kết hôn",
    "زواج": "đăng ký kết hôn",
    "الزواج": "đăng ký kết hôn",
    "marital status": "xác nhận tình trạng hôn nhân",
    "single status": "xác nhận tình trạng hôn nhân",
    "الحالة الاجتماعية": "xác nhận tình trạng hôn nhân",
    "guardian": "đăng ký giám hộ",
    "guardianship": "đăng ký giám hộ",
    "paternity": "đăng ký nhận cha mẹ con",
    "recognise my child": "đăng ký nhận cha mẹ con",
    "recognize my child": "đăng ký nhận cha mẹ con",
    "adopt": "đăng ký việc nuôi con nuôi trong nước",
    "adoption": "đăng ký việc nuôi con nuôi trong nước",
    "تبني": "đăng ký việc nuôi con nuôi",
    "correct my name": "thay đổi cải chính bổ sung thông tin hộ tịch",
    "change my name": "thay đổi cải chính bổ sung thông tin hộ tịch",
    "ethnicity": "xác định lại dân tộc",
    # residence and identity
    "permanent residence": "đăng ký thường trú",
    "الإقامة الدائمة": "đăng ký thường trú",
    "إقامة دائمة": "đăng ký thường trú",
    "temporary residence": "đăng ký tạm trú",
    "الإقامة المؤقتة": "đăng ký tạm trú",
    "إقامة مؤقتة": "đăng ký tạm trú",
    "extend temporary residence": "gia hạn tạm trú",
    "temporary absence": "khai báo tạm vắng",
    "identity card": "cấp thẻ căn cước",
    "id card": "cấp thẻ căn cước",
    "citizen card": "cấp thẻ căn cước",
    "lost my id card": "cấp lại thẻ căn cước",
    "بطاقة الهوية": "cấp thẻ căn cước",
    "بطاقة هوية": "cấp thẻ căn cước",
    "passport": "cấp hộ chiếu phổ thông",
    "جواز سفر": "cấp hộ chiếu phổ thông",
    "جواز السفر": "cấp hộ chiếu phổ thông",
    "criminal record": "cấp phiếu lý lịch tư pháp",
    "police clearance": "cấp phiếu lý lịch tư pháp",
    "صحيفة السوابق": "cấp phiếu lý lịch tư pháp",
    "السجل الجنائي": "cấp phiếu lý lịch tư pháp",
    "nationality": "quốc tịch việt nam",
    "citizenship": "quốc tịch việt nam",
    "naturalisation": "nhập quốc tịch việt nam",
    "naturalization": "nhập quốc tịch việt nam",
    "الجنسية": "quốc tịch việt nam",
    "visa": "thị thực",
    "تأشيرة": "thị thực",
    # copies, signatures
    "certified copy": "chứng thực bản sao từ bản chính",
    "certify a copy": "chứng thực bản sao từ bản chính",
    "notarised copy": "chứng thực bản sao từ bản chính",
    "notarized copy": "chứng thực bản sao từ bản chính",
    "نسخة مصدقة": "chứng thực bản sao từ bản chính",
    "certify my signature": "chứng thực chữ ký",
    "signature": "chứng thực chữ ký",
    "will": "chứng thực di chúc",
    # business, building, land, vehicles
    "household business": "đăng ký thành lập hộ kinh doanh",
    "small shop": "đăng ký thành lập hộ kinh doanh",
    "open a shop": "đăng ký thành lập hộ kinh doanh",
    "مشروع تجاري": "đăng ký thành lập hộ kinh doanh",
    "محل تجاري": "đăng ký thành lập hộ kinh doanh",
    "building permit": "cấp giấy phép xây dựng",
    "construction permit": "cấp giấy phép xây dựng",
    "build a house": "cấp giấy phép xây dựng nhà ở riêng lẻ",
    "رخصة بناء": "cấp giấy phép xây dựng",
    "رخصة البناء": "cấp giấy phép xây dựng",
    "land use right certificate": "giấy chứng nhận quyền sử dụng đất",
    "land title": "giấy chứng nhận quyền sử dụng đất",
    "land certificate": "giấy chứng nhận quyền sử dụng đất",
    "land dispute": "hòa giải tranh chấp đất đai",
    "driving licence": "giấy phép lái xe",
    "driving license": "giấy phép lái xe",
    "driver s license": "giấy phép lái xe",
    "driver license": "giấy phép lái xe",
    "رخصة قيادة": "giấy phép lái xe",
    "رخصة القيادة": "giấy phép lái xe",
    "register a motorbike": "đăng ký xe lần đầu",
    "vehicle registration": "đăng ký xe",
    "transfer a car": "đăng ký sang tên xe thay đổi chủ xe",
    # insurance and tax
    "maternity": "giải quyết hưởng chế độ thai sản",
    "sick leave": "giải quyết hưởng chế độ ốm đau",
    "health insurance card": "thẻ bảo hiểm y tế",
    "social insurance": "bảo hiểm xã hội",
    "one-time social insurance": "hưởng bảo hiểm xã hội một lần",
    "pension": "lương hưu",
    "income tax": "quyết toán thuế thu nhập cá nhân",
    "tax refund": "hoàn thuế quyết toán thuế thu nhập cá nhân",
    "legal aid": "yêu cầu trợ giúp pháp lý",
    # colloquial Vietnamese
    "làm giấy khai sinh": "đăng ký khai sinh",
    "làm khai sinh": "đăng ký khai sinh",
    "giấy chứng tử": "đăng ký khai tử",
    "người mất": "đăng ký khai tử",
    "lấy vợ": "đăng ký kết hôn",
    "lấy chồng": "đăng ký kết hôn",
    "giấy độc thân": "xác nhận tình trạng hôn nhân",
    "hộ khẩu": "đăng ký thường trú",
    "nhập khẩu": "đăng ký thường trú",
    "làm căn cước": "cấp thẻ căn cước",
    "cccd": "thẻ căn cước",
    "bằng lái": "giấy phép lái xe",
    "sổ đỏ": "giấy chứng nhận quyền sử dụng đất",
    "sổ hồng": "giấy chứng nhận quyền sử dụng đất quyền sở hữu nhà ở",
    "photo công chứng": "chứng thực bản sao từ bản chính",
    "công chứng bản sao": "chứng thực bản sao từ bản chính",
    "xin phép xây nhà": "cấp giấy phép xây dựng nhà ở riêng lẻ",
    "mở quán": "đăng ký thành lập hộ kinh doanh",
    "rút bảo hiểm một lần": "hưởng bảo hiểm xã hội một lần",
    "rút bhxh": "hưởng bảo hiểm xã hội một lần",
    "bhxh": "bảo hiểm xã hội",
    "bhyt": "bảo hiểm y tế",
    "sang tên xe": "đăng ký sang tên xe thay đổi chủ xe",
    "biển số": "đăng ký biển số xe",
    "giấy đăng ký xe": "chứng nhận đăng ký xe biển số xe",
    "cà vẹt": "chứng nhận đăng ký xe biển số xe",
    "cải chính": "thay đổi cải chính bổ sung thông tin hộ tịch",
    "đổi tên": "thay đổi cải chính bổ sung thông tin hộ tịch",
    "độc thân": "xác nhận tình trạng hôn nhân",
    "nhận con": "đăng ký nhận cha mẹ con",
    "nhận cha": "đăng ký nhận cha mẹ con",
    "hộ kinh doanh cá thể": "đăng ký thành lập hộ kinh doanh",
    "đăng ký hộ kinh doanh": "đăng ký thành lập hộ kinh doanh",
    "hợp đồng mua bán nhà đất": "chứng thực giao dịch quyền sử dụng đất nhà ở",
    "chứng thực hợp đồng": "chứng thực giao dịch",
    # the catalogue's abbreviations
    "bảo hiểm xã hội": "bảo hiểm xã hội bhxh",
    "bảo hiểm y tế": "bảo hiểm y tế bhyt",
    "tai nạn lao động": "tai nạn lao động tnlđ",
    "bệnh nghề nghiệp": "bệnh nghề nghiệp bnn",
    "house": "nhà ở riêng lẻ",
    "منزل": "nhà ở riêng lẻ",
}
_FOLDED = sorted(((fold(k), v) for k, v in GLOSSARY.items()), key=lambda kv: -len(kv[0]))


def expand(text: str) -> str:
    """Vietnamese catalogue terms for the phrases of `text` found in the glossary (may be empty)."""
    folded = " " + " ".join(re.findall(r"\w+", fold(text))) + " "
    found = []
    for phrase, terms in _FOLDED:
        # Arabic glues prepositions and the article to words ("لتسجيل"), so its phrases match inside words.
        key = phrase if _ARABIC.search(phrase) else f" {phrase} "
        if key in folded:
            found.append(terms)
            folded = folded.replace(key, " | ")  # a longer phrase wins over its parts
    return " ".join(dict.fromkeys(found))

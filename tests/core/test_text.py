from motcua.core.text import exact_terms, fold, folded_terms, nfc


def test_fold_strips_vietnamese_marks_and_d():
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold("THỦ TỤC Hành Chính") == "thu tuc hanh chinh"


def test_fold_is_independent_of_unicode_composition():
    decomposed = "\u0110a\u0306ng ky\u0301"  # Đăng ký typed with combining marks
    assert fold(decomposed) == fold("Đăng ký") == "dang ky"
    assert nfc(decomposed) == "Đăng ký"


def test_arabic_normalisation_removes_tashkeel_and_unifies_letters():
    assert fold("تَسْجِيلُ الْمِيلَادِ") == fold("تسجيل الميلاد")
    assert fold("إدارة") == fold("ادارة") == "اداره"


def test_terms_add_syllable_bigrams():
    assert folded_terms("Đăng ký khai sinh") == [
        "dang",
        "ky",
        "khai",
        "sinh",
        "dang_ky",
        "ky_khai",
        "khai_sinh",
    ]
    assert exact_terms("khai sinh") == ["khai", "sinh", "khai_sinh"]

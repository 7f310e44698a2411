"""Integrity checks for the bundled demo catalogue (src/motcua/catalogue/demo/procedures.json).

Plain pytest, standard library only: the data must stay loadable and self-consistent whatever is edited.
"""

import json
import re
import unicodedata
from pathlib import Path

import pytest

DATA_PATH = Path(__file__).resolve().parents[2] / "src/motcua/catalogue/demo/procedures.json"

AGENCY_CODES = {
    "H99",
    "H99.TTPV",
    "H99.STP",
    "H99.SXD",
    "H99.SNNMT",
    "H99.SYT",
    "H99.STC",
    "H99.CAT",
    "H99.X01",
    "H99.X02",
    "H99.X03",
}
LEVELS = {"ministry", "province", "commune", "other"}
CHANNELS = {"counter", "online", "post"}
TIME_UNITS = {"working_days", "days", "hours", "months"}
FEE_KINDS = {"fee", "charge", "other"}
ONLINE_LEVELS = {"full", "partial", "none"}
LANGS = ("en", "ar")

# Every category the demo must cover, mapped to the field code that carries it.
REQUIRED_FIELDS = {
    "civil status": "ho-tich",
    "residence": "cu-tru",
    "identity card": "can-cuoc",
    "household business": "ho-kinh-doanh",
    "construction permit": "xay-dung",
    "certification": "chung-thuc",
    "land": "dat-dai",
    "social assistance": "bao-tro-xa-hoi",
    "judicial record": "ly-lich-tu-phap",
}
# Procedures the demo and its documentation rely on by code.
REQUIRED_CODES = {
    "1.001193",  # birth registration
    "1.000656",  # death registration
    "1.000894",  # marriage registration
    "1.004873",  # marital status certificate
    "1.004859",  # change / correction of civil status information
    "1.004222",  # permanent residence
    "1.004194",  # temporary residence
    "1.003197",  # deletion of permanent residence
    "2.000815",  # certified copies
    "2.000884",  # signature certification
    "3.000333",  # judicial record certificate
}

CODE_RE = re.compile(r"^\d\.\d{6}$")
ARABIC_RE = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture(scope="module")
def data():
    with DATA_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def procedures(data):
    return data["procedures"]


def _strings(obj, path="$"):
    """Yield (path, value) for every string (keys included) in a JSON tree."""
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _strings(item, f"{path}[{i}]")
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield f"{path}.<key>", key
            yield from _strings(value, f"{path}.{key}")


def _nonempty(value):
    return isinstance(value, str) and value.strip() != ""


def test_file_loads_and_has_top_level_sections(data):
    assert isinstance(data, dict)
    for key in ("fields", "forms", "procedures"):
        assert isinstance(data.get(key), list) and data[key], f"missing or empty section {key!r}"


def test_at_least_25_procedures(procedures):
    assert len(procedures) >= 25


def test_procedure_codes_unique_and_well_formed(procedures):
    codes = [p["code"] for p in procedures]
    assert len(codes) == len(set(codes)), "duplicate procedure codes"
    bad = [c for c in codes if not CODE_RE.match(c)]
    assert not bad, f"codes not shaped like d.dddddd: {bad}"


def test_required_procedures_present(procedures):
    codes = {p["code"] for p in procedures}
    assert REQUIRED_CODES <= codes, f"missing: {sorted(REQUIRED_CODES - codes)}"


def test_birth_registration_is_pinned(procedures):
    birth = next(p for p in procedures if p["code"] == "1.001193")
    assert birth["name"] == "Đăng ký khai sinh"
    assert birth["field"] == "ho-tich"


def test_field_and_form_codes_unique(data):
    for section in ("fields", "forms"):
        codes = [item["code"] for item in data[section]]
        assert all(_nonempty(c) for c in codes), section
        assert len(codes) == len(set(codes)), f"duplicate codes in {section}"


def test_fields_and_forms_are_named_in_three_languages(data):
    for section in ("fields", "forms"):
        for item in data[section]:
            assert _nonempty(item.get("name")), (section, item["code"])
            for lang in LANGS:
                assert _nonempty(item["i18n"][lang]["name"]), (section, item["code"], lang)


def test_forms_have_field_labels(data):
    assert len(data["forms"]) >= 8
    for form in data["forms"]:
        labels = form.get("fields")
        assert isinstance(labels, list) and len(labels) >= 3, form["code"]
        assert all(_nonempty(label) for label in labels), form["code"]


@pytest.mark.parametrize("lang", ("vi",) + LANGS)
def test_every_procedure_has_name_and_summary(procedures, lang):
    for p in procedures:
        src = p if lang == "vi" else p["i18n"][lang]
        assert _nonempty(src.get("name")), (p["code"], lang, "name")
        assert _nonempty(src.get("summary")), (p["code"], lang, "summary")


def test_procedure_required_content(procedures):
    for p in procedures:
        code = p["code"]
        assert p["steps"], f"{code}: no steps"
        for step in p["steps"]:
            assert _nonempty(step.get("title")) and _nonempty(step.get("description")), code
        assert p["legal_basis"], f"{code}: no legal basis"
        for ref in p["legal_basis"]:
            assert _nonempty(ref.get("number")) and _nonempty(ref.get("title")), code
        assert _nonempty(p.get("competent_authority")), code
        assert _nonempty(p.get("result")), code
        assert isinstance(p.get("applicant_types"), list) and p["applicant_types"], code
        assert all(_nonempty(a) for a in p["applicant_types"]), code
        assert isinstance(p.get("agencies"), list) and p["agencies"], code


def test_channels(procedures):
    for p in procedures:
        code = p["code"]
        assert p["channels"], f"{code}: no channel"
        kinds = [c["channel"] for c in p["channels"]]
        assert len(kinds) == len(set(kinds)), f"{code}: repeated channel"
        for c in p["channels"]:
            assert c["channel"] in CHANNELS, (code, c["channel"])
            assert isinstance(c["time_value"], (int, float)) and not isinstance(c["time_value"], bool), code
            assert c["time_value"] > 0, code
            assert c["time_unit"] in TIME_UNITS, (code, c["time_unit"])
            assert isinstance(c["free"], bool), code
            assert isinstance(c["fees"], list), code
            for f in c["fees"]:
                assert f["kind"] in FEE_KINDS, (code, f["kind"])
                assert isinstance(f["amount"], int) and not isinstance(f["amount"], bool), code
                assert f["amount"] >= 0, code
                assert f["currency"] == "VND", code
                assert _nonempty(f["description"]), code
        if p["online_level"] == "none":
            assert "online" not in kinds, f"{code}: online channel but online_level none"


def test_cases_and_documents(data, procedures):
    form_codes = {f["code"] for f in data["forms"]}
    for p in procedures:
        code = p["code"]
        assert p["cases"], f"{code}: no case"
        if len(p["cases"]) > 1:
            assert all(_nonempty(c["name"]) for c in p["cases"]), f"{code}: several cases must all be named"
        for case in p["cases"]:
            assert isinstance(case["name"], str), code
            tv, tu = case["time_value"], case["time_unit"]
            assert (tv is None) == (tu is None), f"{code}: case time value/unit must come together"
            if tv is not None:
                assert isinstance(tv, (int, float)) and tv > 0, code
                assert tu in TIME_UNITS, (code, tu)
            assert case["documents"], f"{code}: case {case['name']!r} has no document"
            for d in case["documents"]:
                assert _nonempty(d["name"]), code
                assert isinstance(d["originals"], int) and d["originals"] >= 0, code
                assert isinstance(d["copies"], int) and d["copies"] >= 0, code
                assert d["originals"] + d["copies"] >= 1, (code, d["name"])
                assert d["form"] is None or d["form"] in form_codes, (code, d["form"])


def test_value_sets(procedures):
    for p in procedures:
        code = p["code"]
        assert p["levels"] and set(p["levels"]) <= LEVELS, (code, p["levels"])
        assert p["online_level"] in ONLINE_LEVELS, (code, p["online_level"])
        assert isinstance(p.get("procedure_type"), str), code
        assert isinstance(p.get("publication_decision"), str), code
        assert isinstance(p.get("coordinating_agencies"), str), code
        assert isinstance(p.get("conditions"), str), code


def test_references_resolve(data, procedures):
    field_codes = {f["code"] for f in data["fields"]}
    for p in procedures:
        assert p["field"] in field_codes, (p["code"], p["field"])
        unknown = set(p["agencies"]) - AGENCY_CODES
        assert not unknown, (p["code"], sorted(unknown))
        assert len(p["agencies"]) == len(set(p["agencies"])), p["code"]


def test_every_form_is_used(data, procedures):
    used = {d["form"] for p in procedures for c in p["cases"] for d in c["documents"] if d["form"]}
    unused = {f["code"] for f in data["forms"]} - used
    assert not unused, f"forms never referenced: {sorted(unused)}"


def test_keywords(procedures):
    for p in procedures:
        kws = p["keywords"]
        assert 3 <= len(kws) <= 6, (p["code"], len(kws))
        assert all(_nonempty(k) for k in kws), p["code"]
        assert len({k.casefold() for k in kws}) == len(kws), p["code"]


def test_every_category_is_covered(data, procedures):
    field_codes = {f["code"] for f in data["fields"]}
    used = {p["field"] for p in procedures}
    for category, field in REQUIRED_FIELDS.items():
        assert field in field_codes, f"field for {category} ({field}) not defined"
        assert field in used, f"no procedure for {category} ({field})"


def test_all_strings_are_nfc(data):
    bad = [path for path, s in _strings(data) if unicodedata.normalize("NFC", s) != s]
    assert not bad, f"strings not in NFC: {bad[:10]}"


def test_no_stray_whitespace(data):
    bad = [path for path, s in _strings(data) if s != s.strip() or "  " in s]
    assert not bad, f"leading/trailing or doubled spaces: {bad[:10]}"


def test_arabic_strings_contain_arabic_letters(data):
    items = list(data["fields"]) + list(data["forms"]) + list(data["procedures"])
    for item in items:
        for key, value in item["i18n"]["ar"].items():
            assert ARABIC_RE.search(value), (item["code"], key)


def test_vietnamese_and_english_are_not_arabic(data, procedures):
    for p in procedures:
        assert not ARABIC_RE.search(p["name"] + p["summary"]), p["code"]
        en = p["i18n"]["en"]
        assert not ARABIC_RE.search(en["name"] + en["summary"]), p["code"]
        assert en["name"] != p["name"], p["code"]

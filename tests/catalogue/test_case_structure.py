"""Cases and documents as the importer structures them from real national records (../shared/data):
the parts of one dossier merged into one case, notes kept apart, the ordinary case first."""

import json
import re
from functools import cache

from motcua.catalogue.importers.dvc.record import parse_record
from motcua.catalogue.importers.dvc.sections import is_exceptional, is_part
from motcua.core.text import fold
from motcua.precheck.requirements import is_conditional

from ..conftest import CATALOGUE_FILE, shared_file

FIVE = {
    "1.001193",
    "1.000656",
    "1.000894",
    "1.001612",
    "1.004194",
}  # birth, death, marriage, business, residence


@cache
def records() -> list[dict]:
    with shared_file(CATALOGUE_FILE).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def parsed(code: str) -> dict:
    return parse_record(next(r for r in records() if r["ma_thu_tuc"] == code))


def required(case: dict) -> list[str]:
    return [fold(d["name"]) for d in case["documents"] if not is_conditional(d["name"], d["notes"])]


def test_a_birth_registration_is_one_case_whose_notes_are_not_documents():
    cases = parsed("1.001193")["cases"]
    main = cases[0]
    assert main["name"] == "" and len(cases) == 1
    assert len(main["notes"]) >= 15  # the "Lưu ý" table and the rows that count nothing
    names = [fold(d["name"]) for d in main["documents"]]
    assert not any(name.startswith(("luu y", "nguoi tiep nhan", "ca nhan co quyen")) for name in names)
    needed = required(main)
    assert any(name.startswith("giay chung sinh") for name in needed)
    assert any("can cuoc" in name for name in needed)  # the identity document, to show
    # Abandoned child, surrogacy, authorisation: documents of a situation, never demanded by default.
    for situation in ("bi bo roi", "mang thai ho", "van ban uy quyen"):
        assert not any(situation in name for name in needed), situation
    assert len(needed) <= 4, needed


def test_the_household_business_default_case_is_the_ordinary_one_not_the_authorisation():
    cases = parsed("1.001612")["cases"]
    assert [is_exceptional(case["name"]) for case in cases] == [False, True]
    assert any(
        fold(d["name"]).startswith("giay de nghi dang ky ho kinh doanh") for d in cases[0]["documents"]
    )
    assert required(cases[0]) == ["giay de nghi dang ky ho kinh doanh;"]


def test_temporary_residence_keeps_its_real_alternatives_after_the_ordinary_case():
    cases = parsed("1.004194")["cases"]
    assert cases[0]["name"] == "" and any("ct01" in fold(d["name"]) for d in cases[0]["documents"])
    assert any("theo danh sach" in fold(case["name"]) for case in cases[1:])
    # The soldier's and the police officer's letters are alternatives: neither is required by itself.
    stationed = next(case for case in cases if "dong quan" in fold(case["name"]))
    assert all("giay gioi thieu" not in name for name in required(stationed))


def test_the_five_procedures_default_case_demands_no_note():
    for code in sorted(FIVE):
        first = parsed(code)["cases"][0]
        assert not is_exceptional(first["name"]), code
        assert first["documents"], code
        # Every row of the default case counts a document; what only explains one is a note.
        for name in (fold(d["name"]) for d in first["documents"]):
            assert not name.startswith("luu y"), (code, name)
        assert all(d["originals"] or d["copies"] for d in first["documents"]), code


def test_a_sample_of_the_catalogue_has_no_part_read_as_a_case_and_no_uncounted_document():
    sample = records()[::26][:100]
    assert len(sample) == 100
    unstructured = 0
    for record in sample:
        p = parse_record(record)
        cases = p["cases"]
        for case in cases:
            assert not (case["name"] and is_part(case["name"])), (record["ma_thu_tuc"], case["name"])
            for document in case["documents"]:
                counted = re.search(r"\b\d+ ban (chinh|sao)\b", fold(document["name"]))
                assert document["originals"] or document["copies"] or counted, (
                    record["ma_thu_tuc"],
                    document["name"],
                )
        ordinary = [is_exceptional(case["name"]) for case in cases]
        assert ordinary == sorted(ordinary), record["ma_thu_tuc"]  # the exceptional ones come last
        if record.get("thanh_phan_ho_so", "").strip(" -") and not any(c["documents"] for c in cases):
            unstructured += 1
            assert any(problem["field"].startswith("cases") for problem in p["problems"]), record[
                "ma_thu_tuc"
            ]
    assert unstructured < 10, unstructured  # the records it could not structure are reported, and few

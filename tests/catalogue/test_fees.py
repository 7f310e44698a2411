"""Fee notes read for their exemptions and charging conditions, on our own phrasings and on the real
national catalogue; the procedure page states them beside the amount."""

import json
from pathlib import Path

import pytest

from motcua.catalogue.fees import Conditions, conditions
from motcua.catalogue.importers.dvc.record import parse_record, read_jsonl

from ..conftest import CATALOGUE_FILE, shared_file


@pytest.mark.parametrize(
    ("note", "exempt", "charged_when"),
    [
        ("Lệ phí quá hạn (miễn khi khai đúng hạn, hộ cận nghèo)", ["khai đúng hạn, hộ cận nghèo"], ""),
        ("Thu khi nộp muộn; nộp đúng hạn thì miễn", ["nộp đúng hạn"], ""),
        ("Phí sao lục (chỉ thu khi có đề nghị): 5.000 đồng/bản", [], "có đề nghị"),
        ("Miễn lệ phí đối với thương binh theo quy định tại Thông tư 12", ["thương binh"], ""),
        ("Miễn thu từ ngày 01/1/2026 đến hết ngày 31/3/2026", ["từ 01/1/2026 đến 31/3/2026"], ""),
        ("Trường hợp nộp trực tuyến thu 15.000 đồng/lần.", [], "nộp trực tuyến"),
        ("20.000 đồng/lần", [], ""),
        ("", [], ""),
    ],
)
def test_conditions_of_a_fee_note(note, exempt, charged_when):
    assert conditions(note) == Conditions(exempt, charged_when)


def test_real_catalogue_exemptions_are_read():
    """Every fee note of the national export that says "Miễn lệ phí cho/đối với ..." or "Miễn ... từ
    ngày ... đến ..." yields its exemption, and notes that mention no exemption yield none."""
    path = shared_file(CATALOGUE_FILE)
    with_exemption = without = read = 0
    for _line, row in read_jsonl(path):
        for channel in parse_record(row)["channels"]:
            for fee in channel["fees"]:
                note = fee["description"]
                found = conditions(note)
                lowered = note.lower()
                if "miễn lệ phí cho" in lowered or "miễn lệ phí đối với" in lowered:
                    assert found.exempt, note
                    with_exemption += 1
                elif "miễn" not in lowered and "không thu" not in lowered:
                    assert not found.exempt, note
                    without += 1
                read += 1
    assert with_exemption >= 20 and without >= 1000, (with_exemption, without, read)


@pytest.mark.django_db
def test_the_procedure_page_puts_the_exemption_before_the_amount(client, demo):
    page = client.get("/thu-tuc/1.001193/").content.decode()
    fees = page[page.index('id="how"') :]
    first = fees[fees.index('<li class="fee">') : fees.index("</li>", fees.index('<li class="fee">'))]
    exempt = first.index('class="exempt"')
    assert "đăng ký đúng hạn" in first[exempt:] and exempt < first.index("8.000")


def test_the_demo_fees_say_when_they_are_charged():
    demo = Path(__file__).parents[2] / "src/motcua/catalogue/demo/procedures.json"
    data = json.loads(demo.read_text(encoding="utf-8"))
    birth = next(p for p in data["procedures"] if p["code"] == "1.001193")
    notes = [fee["description"] for channel in birth["channels"] for fee in channel["fees"]]
    assert all(conditions(note) for note in notes)

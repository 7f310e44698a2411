"""The command-line contract: motcua precheck DIR --procedure CODE --json."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from .conftest import ID, NAME, birth_certificate, declaration, identity_card, scan


def run(folder, code="1.001193"):
    out = io.StringIO()
    call_command("precheck", str(folder), procedure=code, json=True, stdout=out)
    return json.loads(out.getvalue())


def write(folder, files, application):
    folder.mkdir(exist_ok=True)
    (folder / "application.json").write_text(json.dumps(application, ensure_ascii=False))
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_a_complete_dossier_and_one_missing_its_birth_certificate(demo, tmp_path):
    application = {"full_name": NAME, "id_number": ID, "date_of_birth": "1990-03-15"}
    complete = write(
        tmp_path / "du",
        {
            "to-khai.pdf": declaration(),
            "gcs.pdf": birth_certificate(),
            "cc.jpg": scan(identity_card(), angle=-2),
        },
        application,
    )
    result = run(complete)
    assert set(result) >= {"procedure", "complete", "findings", "timings_ms"}
    assert result["procedure"] == "1.001193" and result["complete"] is True, result["findings"]
    assert {d["file"] for d in result["documents"]} == {"to-khai.pdf", "gcs.pdf", "cc.jpg"}
    assert result["timings_ms"]["text"] > 0 and result["timings_ms"]["total"] >= result["timings_ms"]["text"]

    missing = write(
        tmp_path / "thieu", {"to-khai.pdf": declaration(), "hong.pdf": b"%PDF-1.4 cut"}, application
    )
    result = run(missing)
    assert result["complete"] is False
    kinds = {(f["kind"], f["requirement"], f["file"]) for f in result["findings"]}
    assert ("missing_document", "Giấy chứng sinh", None) in kinds
    assert ("invalid_file", None, "hong.pdf") in kinds
    for finding in result["findings"]:
        assert set(finding) >= {"kind", "requirement", "file", "page", "detail", "confidence"}
        assert 0 <= finding["confidence"] <= 1


def test_bad_arguments_are_clear_errors(demo, tmp_path):
    with pytest.raises(CommandError, match="unknown procedure"):
        run(tmp_path, code="9.999999")
    with pytest.raises(CommandError, match="not a folder"):
        run(tmp_path / "nowhere")
    (tmp_path / "application.json").write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        run(tmp_path)

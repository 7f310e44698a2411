"""The national catalogue import, on the real export in ../shared/data and on broken files."""

import json

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from motcua.catalogue import search
from motcua.catalogue.importers.dvc import import_file
from motcua.catalogue.models import ChannelOption, Procedure, RequiredDocument

from ..conftest import CATALOGUE_FILE, shared_file

pytestmark = pytest.mark.django_db


def _row(code, name="Thủ tục thử", **extra):
    return {
        "ma_thu_tuc": code,
        "ten_thu_tuc": name,
        "cach_thuc_thuc_hien": "",
        "thanh_phan_ho_so": "",
        **extra,
    }


def test_malformed_file_names_the_line_and_changes_nothing(tmp_path):
    path = tmp_path / "bad.jsonl"
    good = json.dumps(_row("9.100001"), ensure_ascii=False)
    path.write_text(f"{good}\n{good.replace('9.100001', '9.100002')}\n{{not json\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 3"):
        call_command("catalogue_import", str(path))
    assert not Procedure.objects.exists()


def test_record_without_code_is_rejected_with_its_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps(_row("9.100001")) + "\n" + json.dumps({"ten_thu_tuc": "x"}) + "\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="line 2"):
        import_file(path)
    assert not Procedure.objects.exists()


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """Import the real 2,642-record export once for this module (and again, to check idempotence)."""
    path = shared_file(CATALOGUE_FILE)
    with django_db_blocker.unblock():
        first = import_file(path)
        counts = (Procedure.objects.count(), ChannelOption.objects.count(), RequiredDocument.objects.count())
        second = import_file(path)
        recounts = (
            Procedure.objects.count(),
            ChannelOption.objects.count(),
            RequiredDocument.objects.count(),
        )
        queued = list(DBTaskResult.objects.values_list("task_path", flat=True))
        yield {"first": first, "second": second, "counts": counts, "recounts": recounts, "queued": queued}
        Procedure.objects.all().delete()
        DBTaskResult.objects.all().delete()


def test_real_export_imports_with_structured_time_and_fees(national):
    report = national["first"]
    assert report.imported >= 2600
    timed = Procedure.objects.filter(channels__time_value__isnull=False).exclude(channels__time_unit="")
    # 82% today: most of the rest publish a bare "1" with no unit (a portal placeholder) or no time at
    # all, and the importer reports them instead of guessing (see docs/catalogue-import.md).
    assert timed.distinct().count() >= 0.80 * report.imported
    stated = Procedure.objects.exclude(channels__fee_text__in=["", "Không có thông tin"]).distinct()
    structured = stated.filter(channels__fees__amount__isnull=False) | stated.filter(channels__free=True)
    assert structured.distinct().count() >= 0.95 * stated.count()


def test_report_names_every_problem_and_the_code_mismatches(national):
    report = national["first"]
    lines = "\n".join(report.lines())
    mismatched = [p for p in report.problems if "mismatch" in p[3].lower() or "another" in p[3].lower()]
    assert len({p[1] for p in mismatched}) == 17
    for line, code, fld, reason in report.problems[:50]:
        assert f"line {line} {code} {fld}: {reason}" in lines


def test_each_import_queues_one_reindex(national):
    assert national["queued"] == ["motcua.catalogue.tasks.reindex_catalogue"] * 2


def test_reimport_is_idempotent(national):
    assert national["second"].created == 0
    assert national["second"].updated == national["first"].imported
    assert national["recounts"] == national["counts"]


def test_imported_catalogue_is_searchable(national, settings, tmp_path):
    settings.SEARCH_DIR = tmp_path / "national-index"
    assert search.rebuild() == Procedure.objects.count()
    birth = Procedure.objects.get(code="1.001193")
    for text in ("đăng ký khai sinh", "dang ky khai sinh"):
        assert search.search(text)[0].code == birth.code, text

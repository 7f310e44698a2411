import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.catalogue import search
from motcua.catalogue.models import Source
from motcua.catalogue.services import save_procedure, schedule_reindex

from .sample import procedure


@pytest.mark.django_db(transaction=True)
def test_reindex_is_queued_after_commit_and_run_by_the_worker():
    save_procedure(procedure(), source=Source.LOCAL)
    schedule_reindex()  # outside an atomic block: on_commit runs at once
    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY
    assert search.count() == 0

    call_command("worker", "--batch")

    done = DBTaskResult.objects.get()
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert search.count() == 1
    assert [hit.code for hit in search.search("khai sinh")] == ["9.000001"]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_queued_when_the_transaction_rolls_back():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        save_procedure(procedure(), source=Source.LOCAL)
        schedule_reindex()
        raise RuntimeError("import failed half-way")
    assert not DBTaskResult.objects.exists()

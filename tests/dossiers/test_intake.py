"""Several dossiers received in one call (`services.submit_many`): each as `submit` makes it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services
from motcua.dossiers.models import Attachment, Channel, Dossier, Event, Status
from motcua.precheck.models import Check

from .conftest import pdf

pytestmark = pytest.mark.django_db


def applications(people, birth, count, files=True):
    case = birth.cases.first()
    documents = list(case.documents.all())
    return [
        services.Application(
            procedure=birth,
            case=case if i % 2 else None,  # half of them left to the procedure's first case
            agency=people["tiepnhan"].agency,
            channel=Channel.COUNTER,
            applicant_name=f" Nguyễn Văn An {i} ",
            applicant_id_number="001203004567",
            applicant_email="an@example.invalid",
            files=[(documents[0], pdf("to-khai.pdf"))] if files else [],
        )
        for i in range(count)
    ]


def test_a_counter_batch_is_received_like_single_dossiers(people, birth, django_capture_on_commit_callbacks):
    reception = people["tiepnhan"]
    with django_capture_on_commit_callbacks() as queued:
        dossiers = services.submit_many(applications(people, birth, 3), by=reception)
    numbers = [int(d.code.rsplit("-", 1)[1]) for d in dossiers]
    assert numbers == [1, 2, 3]
    single = services.submit(applications(people, birth, 1)[0], by=reception)
    assert int(single.code.rsplit("-", 1)[1]) == 4
    for dossier in [*dossiers, single]:
        dossier.refresh_from_db()
        assert dossier.status == Status.RECEIVED and dossier.due_at and dossier.step
        assert dossier.case == birth.cases.first() and dossier.applicant_name.startswith("Nguyễn Văn An")
        assert dossier.digitisation == 1 and dossier.attachments.count() == 1
        assert [e.action for e in dossier.events.all()] == ["submit", "receive"]
    assert [e.action for e in dossiers[0].written_events] == ["submit", "receive"]
    assert Check.objects.filter(dossier__in=dossiers).count() == 3  # a pre-check each, queued
    assert len(queued) >= 3


def test_one_bad_file_refuses_the_whole_batch(people, birth, settings):
    batch = applications(people, birth, 3)
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    batch[2].files = [(None, fake)]
    with pytest.raises(ValidationError, match="scan.pdf"):
        services.submit_many(batch, by=people["tiepnhan"])
    assert not Dossier.objects.exists() and not Attachment.objects.exists() and not Event.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_batch_without_files_queues_no_precheck(people, birth):
    dossiers = services.submit_many(applications(people, birth, 2, files=False), by=people["congdan"])
    assert all(d.status == Status.SUBMITTED and d.digitisation == 0 for d in dossiers)
    assert all(d.applicant == people["congdan"] for d in dossiers)
    assert not Check.objects.exists()

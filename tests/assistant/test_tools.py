"""Dossier status and the official's due list: the assistant never reveals a dossier the reader may
not see."""

import datetime

import pytest
from django.utils import timezone

from motcua.assistant.compose import compose
from motcua.dossiers.models import Dossier, Status

pytestmark = pytest.mark.django_db


def test_citizen_sees_the_status_of_their_own_dossier(people, make_dossier):
    dossier = make_dossier()
    answer = compose(f"hồ sơ {dossier.code} đến đâu rồi", user=people["congdan"])
    assert answer.reason == "dossier_status" and not answer.declined
    assert answer.citations[0].kind == "dossier" and answer.citations[0].code == dossier.code
    assert dossier.get_status_display() in answer.text()


def test_another_citizens_dossier_is_not_revealed(people, make_dossier):
    from motcua.accounts.models import Role, User

    dossier = make_dossier()
    stranger = User.objects.create_user("nguoila", password="x", role=Role.CITIZEN)
    for user in (stranger, None):
        answer = compose(f"tình trạng hồ sơ {dossier.code}", user=user)
        assert not answer.citations and dossier.code not in answer.text().replace(answer.notice, "")
        assert "Nguyễn Văn An" not in answer.text()


def test_lookup_by_code_and_id_number_like_the_tracking_page(people, make_dossier):
    dossier = make_dossier(id_number="001203004567")
    found = compose(f"tra cứu hồ sơ {dossier.code} CCCD 001203004567")
    assert found.citations and found.citations[0].code == dossier.code
    wrong = compose(f"tra cứu hồ sơ {dossier.code} CCCD 001203009999")
    assert not wrong.citations
    limited = compose(f"tra cứu hồ sơ {dossier.code} CCCD 001203004567", id_lookup=lambda code: False)
    assert not limited.citations  # the rate limit is spent: no look-up by ID number


def test_my_dossiers_lists_only_the_citizens_own(people, make_dossier):
    mine = make_dossier()
    answer = compose("hồ sơ của tôi đang ở đâu", user=people["congdan"])
    assert [c.code for c in answer.citations] == [mine.code]


def test_my_dossiers_of_a_procedure_named_in_the_question(people, make_dossier):
    mine = make_dossier()
    for question in (
        "Hồ sơ khai sinh của tôi đến đâu rồi?",
        "hồ sơ tôi đã nộp",
        "What is the status of my application?",
    ):
        answer = compose(question, user=people["congdan"])
        assert answer.reason == "my_dossiers" and [c.code for c in answer.citations] == [mine.code], question
    assert compose("Hồ sơ khai sinh của tôi đến đâu rồi?").reason == "my_dossiers"  # signed out: no list
    assert not compose("Hồ sơ khai sinh của tôi đến đâu rồi?").citations


def test_official_asks_what_is_overdue_in_their_unit(people, make_dossier):
    dossier = make_dossier()
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Status.PROCESSING, due_at=timezone.now() - datetime.timedelta(days=1)
    )
    official = people["chuyenvien"] if "chuyenvien" in people else people["tiepnhan"]
    official.agency = dossier.unit
    answer = compose("hồ sơ nào trong đơn vị đang quá hạn?", user=official)
    assert answer.reason == "due"
    assert dossier.code in [c.code for c in answer.citations]
    citizen = compose("hồ sơ nào trong đơn vị đang quá hạn?", user=people["congdan"])
    assert dossier.code not in [c.code for c in citizen.citations]

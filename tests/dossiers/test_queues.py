"""The officials' work queues: the counts the workspace shows, in a few queries, equal each queue's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import Agency, Role
from motcua.dossiers import queues
from motcua.dossiers.models import Coordination, Dossier, Status, WorkflowStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(apply, people):
    """Dossiers of the demo commune in every queue (and in none), a few held by another unit, a few
    assigned to someone else, one the commune was asked to coordinate on."""
    reception = people["tiepnhan"]
    other_unit = Agency.objects.get(code="H99.X02")
    now = timezone.now()
    made = [apply(by=reception) for _ in range(14)] + [apply() for _ in range(3)]  # received; submitted
    steps = {role: WorkflowStep.objects.filter(role=role, case=made[0].case).first() for role in Role.values}
    changes = [
        {"status": Status.PROCESSING, "step": steps[Role.PROCESSING], "assignee": None},
        {"status": Status.PROCESSING, "step": steps[Role.PROCESSING], "assignee": people["chuyenvien"]},
        {"status": Status.PROCESSING, "step": steps[Role.PROCESSING], "assignee": people["lanhdao"]},
        {"status": Status.PROCESSING, "step": steps[Role.LEADER], "assignee": people["lanhdao"]},
        {"status": Status.PROCESSING, "step": steps[Role.LEADER], "assignee": None},
        {"status": Status.RECEIVED, "due_at": now + datetime.timedelta(hours=5)},  # due soon
        {"status": Status.PROCESSING, "due_at": now - datetime.timedelta(hours=5)},  # overdue
        {"status": Status.PROCESSING, "due_at": now + datetime.timedelta(days=9)},
        {"status": Status.SUPPLEMENT, "due_at": now - datetime.timedelta(hours=5)},  # paused: not overdue
        {"status": Status.FINANCIAL},  # in no queue but "all"
        {"status": Status.PROCESSED},
        {"status": Status.RETURNED, "due_at": now - datetime.timedelta(hours=5)},
        {"status": Status.PROCESSING, "step": steps[Role.PROCESSING], "unit": other_unit},  # transferred
        {"status": Status.SUBMITTED, "unit": other_unit},
    ]
    for dossier, change in zip(made, changes, strict=False):
        Dossier.objects.filter(pk=dossier.pk).update(**change)
    # A dossier of another commune that the demo commune is asked about, and one already answered.
    for answered in (None, now):
        foreign = apply(by=reception)  # then moved to the other commune as its own
        Dossier.objects.filter(pk=foreign.pk).update(agency=other_unit, unit=other_unit)
        Coordination.objects.create(
            dossier=foreign,
            agency=reception.agency,
            question="Xác minh nơi cư trú",
            requested_at=now,
            due_at=now + datetime.timedelta(days=1),
            answered_at=answered,
        )
    return made


def _one_by_one(user) -> dict[str, int]:
    return {name: queues.capped_count(queues.queue(user, name)) for name in queues.QUEUES if name != "all"}


@pytest.mark.parametrize(
    "username", ["tiepnhan", "chuyenvien", "lanhdao", "quantri", "admin", "chuyenvien.x02", "congdan"]
)
def test_grouped_counts_equal_each_queue_counted_alone(mixed, people, username):
    user = people[username]
    expected = _one_by_one(user)
    assert queues.counts(user) == expected
    assert list(queues.counts(user)) == [name for name in queues.QUEUES if name != "all"]
    if username == "chuyenvien":  # the fixture reaches every queue of the commune's processing officer
        assert all(expected[name] for name in ("receive", "process", "due_soon", "overdue", "supplement"))
        assert expected["return"] and expected["approval"] and expected["coordination"] == 1


def test_counts_are_capped_like_the_paginator(mixed, people, monkeypatch, client):
    monkeypatch.setattr(queues, "COUNT_CAP", 1)
    user = people["chuyenvien"]
    assert queues.counts(user) == _one_by_one(user)
    assert max(queues.counts(user).values()) == 2  # COUNT_CAP + 1: "more than the cap"
    client.force_login(user)
    shown = client.get(reverse("dossiers:workspace")).context["counts"]
    assert shown["receive"] == "1+"


def test_workspace_counts_take_a_fixed_handful_of_queries(
    mixed, people, client, django_assert_max_num_queries
):
    client.force_login(people["chuyenvien"])
    client.get(reverse("dossiers:workspace"))
    # Session and user, the page and its count, the grouped counts (with two step-id look-ups) and the
    # coordination count, the procedures of the filter, and the template's few.
    with django_assert_max_num_queries(14):
        page = client.get(reverse("dossiers:workspace"))
    assert page.status_code == 200 and page.context["counts"] == _one_by_one(people["chuyenvien"])

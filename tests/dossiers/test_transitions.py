"""The success paths of the transitions the journey does not take: a leader sends a dossier back, a
leader stops one (Form 05), the applicant withdraws, a step is handed to another officer. Each checks
the status, the clock (pauses, closing time), the event written and what may follow."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts.models import Role, User
from motcua.dossiers import services
from motcua.dossiers.models import Status


@pytest.fixture
def at_approval(apply, people):
    """A dossier waiting for the leader's approval, its result attached."""
    dossier = services.receive(apply(), by=people["tiepnhan"])
    dossier = services.forward(dossier, by=people["tiepnhan"], to=people["chuyenvien"])
    dossier = services.attach_result(dossier, by=people["chuyenvien"])
    return services.forward(dossier, by=people["chuyenvien"])


def in_supplement(dossier, people):
    document = dossier.case.documents.first()
    return services.request_supplement(
        dossier, by=people["tiepnhan"], items=[{"document": document.name, "reason": "Bản chụp bị mờ"}]
    )


def test_the_leader_sends_back_to_processing_and_it_comes_round_again(at_approval, people):
    leader, officer = people["lanhdao"], people["chuyenvien"]
    assert at_approval.step.role == Role.LEADER
    with pytest.raises(ValidationError):
        services.send_back(at_approval, by=leader, note="  ")
    dossier = services.send_back(at_approval, by=leader, note="Sai tên cha trong dự thảo.")
    assert dossier.status == Status.PROCESSING and dossier.step.role == Role.PROCESSING
    event = dossier.events.order_by("-pk").first()
    assert (event.action, event.note, event.actor) == ("send_back", "Sai tên cha trong dự thảo.", leader)
    with pytest.raises(services.TransitionError):
        services.approve(dossier, by=leader)  # no longer at the leader's step
    dossier = services.forward(dossier, by=officer)  # the result is still attached
    dossier = services.approve(dossier, by=leader)
    assert dossier.status == Status.PROCESSED and dossier.result_signed_at is not None


def test_a_leader_stops_a_paused_dossier_and_its_clock_stops_with_it(apply, people):
    dossier = in_supplement(services.receive(apply(), by=people["tiepnhan"]), people)
    assert dossier.pauses.get().ended_at is None
    with pytest.raises(PermissionDenied):
        services.stop(dossier, by=people["chuyenvien"], reason="Không phải lãnh đạo.")
    with pytest.raises(ValidationError):
        services.stop(dossier, by=people["lanhdao"], reason="")
    dossier = services.stop(dossier, by=people["lanhdao"], reason="Người yêu cầu đề nghị dừng.")
    assert dossier.status == Status.STOPPED and dossier.closed_at == dossier.processing_ended_at
    assert dossier.pauses.get().ended_at == dossier.closed_at
    assert dossier.events.order_by("-pk").first().note == "Người yêu cầu đề nghị dừng."
    with pytest.raises(services.TransitionError):
        services.forward(dossier, by=people["tiepnhan"])


@pytest.mark.parametrize("stage", ["submitted", "supplement"])
def test_the_applicant_withdraws_and_the_dossier_closes(apply, people, stage):
    dossier = apply()
    if stage == "supplement":
        dossier = in_supplement(services.receive(dossier, by=people["tiepnhan"]), people)
    with pytest.raises(PermissionDenied):
        services.withdraw(dossier, by=people["tiepnhan"])  # only the applicant
    dossier = services.withdraw(dossier, by=people["congdan"], reason="Đã nộp ở nơi khác.")
    assert dossier.status == Status.WITHDRAWN and dossier.closed_at is not None
    assert all(p.ended_at == dossier.closed_at for p in dossier.pauses.all())
    event = dossier.events.order_by("-pk").first()
    assert (event.action, event.to_status, event.note) == ("withdraw", Status.WITHDRAWN, "Đã nộp ở nơi khác.")
    with pytest.raises(services.TransitionError):
        services.withdraw(dossier, by=people["congdan"])


def test_a_step_is_handed_to_another_officer_of_its_unit_who_carries_it_on(apply, people):
    officer = people["chuyenvien"]
    colleague = User.objects.create_user(
        "chuyenvien2", role=Role.PROCESSING, agency=officer.agency, first_name="Mai"
    )
    dossier = services.receive(apply(), by=people["tiepnhan"])
    dossier = services.forward(dossier, by=people["tiepnhan"], to=officer)
    with pytest.raises(ValidationError):  # not the step's role
        services.transfer(dossier, by=officer, to=people["lanhdao"])
    with pytest.raises(ValidationError):  # another unit's officer
        services.transfer(dossier, by=officer, to=people["chuyenvien.x02"])
    dossier = services.transfer(dossier, by=officer, to=colleague, note="Nghỉ phép từ mai.")
    assert dossier.assignee == colleague and dossier.status == Status.PROCESSING
    event = dossier.events.order_by("-pk").first()
    assert (event.action, event.receiver, event.note) == ("transfer", colleague, "Nghỉ phép từ mai.")
    dossier = services.attach_result(dossier, by=colleague)
    dossier = services.forward(dossier, by=colleague)
    assert dossier.step.role == Role.LEADER

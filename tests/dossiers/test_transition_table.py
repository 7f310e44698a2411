"""The transition table is the one truth: for dossiers in every status (and workflow step) and for every
kind of user, the actions the dossier page offers are exactly those the services accept. Each service is
called for real inside a savepoint that is rolled back; it "refuses" when it raises PermissionDenied or
NotNow (the table's answers). Other errors (a missing reason, a result not yet attached) are the
action's own checks, made after the table has allowed it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from motcua.accounts.models import Agency, Role, User
from motcua.dossiers import services, transitions
from motcua.dossiers.models import Dossier
from motcua.dossiers.views.dossier import _actions

from .conftest import pdf


class Rollback(Exception):
    pass


def calls(dossier, other_agency):
    document = dossier.case.documents.first()
    return {
        "receive": lambda d, u: services.receive(d, by=u),
        "refuse": lambda d, u: services.refuse(d, by=u, reason="Không đủ điều kiện."),
        "request_supplement": lambda d, u: services.request_supplement(
            d, by=u, items=[{"document": document.name, "reason": "Bản chụp mờ"}]
        ),
        "supplement": lambda d, u: services.supplement(d, by=u, files=[(None, pdf("bo-sung.pdf"))]),
        "forward": lambda d, u: services.forward(d, by=u),
        "transfer": lambda d, u: services.transfer(d, by=u),
        "request_coordination": lambda d, u: services.request_coordination(
            d, by=u, agency=other_agency, question="Xin ý kiến về hồ sơ."
        ),
        "attach_result": lambda d, u: services.attach_result(d, by=u),
        "approve": lambda d, u: services.approve(d, by=u),
        "send_back": lambda d, u: services.send_back(d, by=u, note="Xem lại dự thảo."),
        "return_result": lambda d, u: services.return_result(d, by=u),
        "withdraw": lambda d, u: services.withdraw(d, by=u),
        "stop": lambda d, u: services.stop(d, by=u, reason="Dừng theo đề nghị."),
        "draft_apology": lambda d, u: services.draft_apology(d, by=u, reason="Chậm do phải xác minh."),
        "rate": lambda d, u: services.rate(d, by=u, convenience=2, overall=2),
    }


def accepted(action, call, dossier, user) -> bool:
    try:
        with transaction.atomic():
            call(Dossier.objects.get(pk=dossier.pk), user)
            raise Rollback
    except (PermissionDenied, transitions.NotNow):
        return False
    except Rollback:
        return True
    except Exception:  # noqa: BLE001  (the action's own checks: the table let it through)
        return True


@pytest.fixture
def dossiers(apply, people):
    """One dossier in each status a user meets, and in each step of processing."""
    reception, officer, leader, citizen = (
        people[n] for n in ("tiepnhan", "chuyenvien", "lanhdao", "congdan")
    )

    def received():
        return services.receive(apply(), by=reception)

    def at_officer():
        return services.forward(received(), by=reception, to=officer)

    def with_result():
        return services.attach_result(at_officer(), by=officer)

    def at_approval():
        return services.forward(with_result(), by=officer)

    def processed():
        return services.approve(at_approval(), by=leader)

    dossier = received()
    item = {"document": dossier.case.documents.first().name, "reason": "Thiếu"}
    return {
        "submitted": apply(),
        "received": dossier,
        "supplement": services.request_supplement(received(), by=reception, items=[item]),
        "processing, no result": at_officer(),
        "processing, result attached": with_result(),
        "waiting for approval": at_approval(),
        "processed": processed(),
        "returned": services.return_result(processed(), by=reception),
        "withdrawn": services.withdraw(apply(), by=citizen),
        "stopped": services.stop(received(), by=leader, reason="Dừng."),
        "refused": services.refuse(apply(), by=reception, reason="Không thuộc thẩm quyền."),
    }


def test_the_page_offers_exactly_what_the_services_accept(dossiers, people):
    stranger = User.objects.create_user("nguoila", role=Role.CITIZEN)
    users = [people[n] for n in ("congdan", "tiepnhan", "chuyenvien", "lanhdao", "quantri", "admin")]
    users += [people["tiepnhan.x02"], people["chuyenvien.x02"], stranger]
    other_agency = Agency.objects.get(code="H99.X02")
    mismatches = []
    for state, dossier in dossiers.items():
        table = calls(dossier, other_agency)
        assert set(table) == set(transitions.RULES)  # every rule is exercised
        for user in users:
            fresh = Dossier.objects.select_related("step", "procedure", "unit").get(pk=dossier.pk)
            shown = {
                offered.action for offered in _actions(user, fresh) if offered.action in transitions.RULES
            }
            taken = {action for action, call in table.items() if accepted(action, call, dossier, user)}
            if shown != taken:
                mismatches.append(
                    f"{state} / {user.username}: shown {sorted(shown)}, accepted {sorted(taken)}"
                )
    assert not mismatches, "\n".join(mismatches)


def test_every_status_and_role_has_something_to_do_somewhere(dossiers, people):
    """The table is not empty for the people who work the dossiers (a typo in a rule would hide it)."""
    offered = {
        user: {a for d in dossiers.values() for a in transitions.allowed(people[user], d)}
        for user in ("congdan", "tiepnhan", "chuyenvien", "lanhdao")
    }
    assert offered["congdan"] >= {"withdraw", "supplement", "rate"}
    assert offered["tiepnhan"] >= {"receive", "refuse", "request_supplement", "forward", "return_result"}
    assert offered["chuyenvien"] >= {"attach_result", "forward", "request_coordination", "transfer"}
    assert offered["lanhdao"] >= {"approve", "send_back", "stop", "refuse"}

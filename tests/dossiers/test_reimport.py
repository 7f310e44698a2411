"""Re-importing the catalogue (the demo one, a changed one, the real national export) over open dossiers
in every state leaves each of them workable: every open dossier is then walked to its end."""

import pytest
from django.core.management import call_command

from motcua.accounts.models import Role, User
from motcua.catalogue import demo as catalogue_demo
from motcua.catalogue.importers.dvc import import_file
from motcua.catalogue.models import Procedure, ProcedureCase, ProcedureVersion, RequiredDocument, Source
from motcua.catalogue.services import save_procedure
from motcua.dossiers import services
from motcua.dossiers.models import OPEN_STATUSES, Attachment, Dossier, Status
from motcua.precheck.models import ProcedureRule, RuleKind

from ..conftest import CATALOGUE_FILE, shared_file
from .conftest import pdf

SUPPLEMENT_ITEM = [{"document": "Giấy chứng sinh", "originals": 1, "copies": 0, "reason": "Bản chụp mờ."}]


@pytest.fixture
def every_state(apply, people):
    """One dossier in each state the product can put a dossier in, at each step of the workflow."""
    reception, officer, leader = people["tiepnhan"], people["chuyenvien"], people["lanhdao"]
    made = {"submitted": apply()}
    made["received"] = services.receive(apply(), by=reception)
    made["supplement"] = services.request_supplement(
        services.receive(apply(), by=reception), by=reception, items=SUPPLEMENT_ITEM
    )
    processing = services.forward(services.receive(apply(), by=reception), by=reception, to=officer)
    made["processing"] = processing
    made["apology"] = services.forward(services.receive(apply(), by=reception), by=reception, to=officer)
    services.draft_apology(made["apology"], by=officer, reason="Cần xác minh thêm.", extra_value=2)
    at_leader = services.forward(services.receive(apply(), by=reception), by=reception, to=officer)
    at_leader = services.forward(services.attach_result(at_leader, by=officer), by=officer)
    made["approval"] = at_leader
    processed = services.forward(services.receive(apply(), by=reception), by=reception, to=officer)
    processed = services.forward(services.attach_result(processed, by=officer), by=officer)
    made["processed"] = services.approve(processed, by=leader)
    made["refused"] = services.refuse(apply(), by=reception, reason="Không thuộc thẩm quyền.")
    made["withdrawn"] = services.withdraw(apply(), by=people["congdan"], reason="Không còn nhu cầu.")
    stopped = services.forward(services.receive(apply(), by=reception), by=reception, to=officer)
    made["stopped"] = services.stop(stopped, by=leader, reason="Dừng theo đề nghị.")
    counter = apply(by=reception)  # received at once, at the counter
    made["counter"] = counter
    return {name: Dossier.objects.get(pk=d.pk) for name, d in made.items()}


def walk_to_the_end(dossier: Dossier, people) -> Dossier:
    """Take an open dossier through every remaining transition as the officials of its unit would."""
    reception, officer, leader = people["tiepnhan"], people["chuyenvien"], people["lanhdao"]
    for _ in range(12):
        dossier = Dossier.objects.get(pk=dossier.pk)
        if dossier.status == Status.SUBMITTED:
            services.receive(dossier, by=reception)
        elif dossier.status == Status.SUPPLEMENT:
            services.supplement(dossier, by=reception, files=[(None, pdf("bo-sung.pdf"))])
        elif dossier.status in (Status.RECEIVED, Status.PROCESSING) and dossier.step.role == Role.RECEPTION:
            services.forward(dossier, by=reception, to=officer)
        elif dossier.status == Status.PROCESSING and dossier.step.role == Role.PROCESSING:
            if not dossier.result:
                dossier = services.attach_result(dossier, by=officer)
            services.forward(dossier, by=officer)
        elif dossier.status == Status.PROCESSING and dossier.step.role == Role.LEADER:
            services.approve(dossier, by=leader)
        elif dossier.status == Status.PROCESSED:
            services.return_result(dossier, by=reception, method="counter")
        else:
            return dossier
    raise AssertionError(f"{dossier.code} did not reach its end: status {dossier.status}")


def assert_all_finish(dossiers: dict, people) -> None:
    for name, dossier in dossiers.items():
        before = Dossier.objects.get(pk=dossier.pk)
        assert before.case is not None, name
        assert before.step is not None or before.status not in (Status.RECEIVED, Status.PROCESSING), name
        end = walk_to_the_end(before, people)
        if before.status in (*OPEN_STATUSES, Status.PROCESSED):
            assert end.status == Status.RETURNED and end.result_signed_at, name
        else:
            assert end.status == before.status, name  # closed dossiers stay as they were


def ids(procedure: Procedure) -> tuple[list[int], list[int]]:
    cases = list(ProcedureCase.everything.filter(procedure=procedure).values_list("pk", flat=True))
    docs = list(RequiredDocument.everything.filter(case__procedure=procedure).values_list("pk", flat=True))
    return cases, docs


def test_reloading_the_demo_catalogue_changes_no_row_and_every_dossier_walks_on(every_state, birth, people):
    rule = ProcedureRule.objects.create(
        procedure=birth, document=birth.cases.first().documents.first(), kind=RuleKind.REQUIRE
    )
    before, version = ids(birth), birth.version
    catalogue_demo.load()
    catalogue_demo.load()
    birth.refresh_from_db()
    assert ids(birth) == before and birth.version == version == 1
    assert ProcedureRule.objects.filter(pk=rule.pk).exists()
    assert_all_finish(every_state, people)


def test_a_changed_procedure_updates_in_place_keeps_what_dossiers_point_at_and_a_new_version(
    every_state, birth, people
):
    case = birth.cases.first()
    documents = list(case.documents.all())
    attachment = Attachment.objects.filter(dossier=every_state["received"], document=documents[1]).get()
    old = ProcedureVersion.objects.get(procedure=birth, number=birth.version).content
    data = {**old, "name": "Đăng ký khai sinh (sửa đổi)"}
    # the first document's count changes, the second disappears, a new one appears
    changed_docs = [{**old["cases"][0]["documents"][0], "copies": 2}, {"name": "Giấy tờ mới", "originals": 1}]
    data["cases"] = [{**old["cases"][0], "documents": changed_docs}, *old["cases"][1:]]
    save_procedure(data, source=Source.DEMO, field=birth.field)

    birth.refresh_from_db()
    assert birth.version == 2 and birth.name.endswith("(sửa đổi)")
    assert ProcedureVersion.objects.get(procedure=birth, number=1).content == old  # the old text is kept
    documents[0].refresh_from_db()
    assert documents[0].copies == 2 and documents[0].retired_at is None  # updated in place, same row
    attachment.refresh_from_db()
    assert attachment.document_id == documents[1].pk  # the dropped document is retired, not deleted
    assert RequiredDocument.everything.get(pk=documents[1].pk).retired_at is not None
    assert [d.name for d in birth.cases.first().documents.all()] == [documents[0].name, "Giấy tờ mới"]
    assert every_state["received"].procedure_version == 1
    assert_all_finish(every_state, people)
    later = services.submit(
        services.Application(
            procedure=birth,
            agency=people["tiepnhan"].agency,
            channel="online",
            applicant_name="Trần Thị Bình",
            applicant_id_number="001203004568",
        ),
        by=people["congdan"],
    )
    assert later.procedure_version == 2 and later.case_id == case.pk


def test_a_dropped_case_is_retired_and_its_dossiers_still_finish(every_state, birth, people):
    old = ProcedureVersion.objects.get(procedure=birth, number=birth.version).content
    save_procedure({**old, "cases": [{"name": "Trường hợp mới", "documents": []}]}, source=Source.DEMO)
    retired = ProcedureCase.everything.get(pk=every_state["processing"].case_id)
    assert retired.retired_at is not None
    assert [c.name for c in birth.cases.all()] == ["Trường hợp mới"]
    assert_all_finish(every_state, people)


@pytest.mark.realdata
def test_the_national_import_over_open_dossiers_leaves_every_one_workable(every_state, people):
    path = shared_file(CATALOGUE_FILE)
    first = import_file(path)
    assert first.imported >= 2600
    birth = Procedure.objects.get(code="1.001193")
    assert birth.source == Source.NATIONAL and birth.version == 2
    snapshot = ids(birth)
    second = import_file(path)
    assert second.created == 0
    birth.refresh_from_db()
    assert ids(birth) == snapshot and birth.version == 2  # the same export twice changes nothing
    assert_all_finish(every_state, people)


def test_running_the_demo_load_twice_leaves_every_demo_dossier_workable(demo):
    call_command("demo_load", "--now", "--dossiers", "24", verbosity=0)
    call_command("demo_load", "--now", "--dossiers", "24", verbosity=0)  # what a second `make run` does
    dossiers = {d.code: d for d in Dossier.objects.filter(status__in=(*OPEN_STATUSES, Status.PROCESSED))}
    assert len(dossiers) >= 5
    for dossier in dossiers.values():
        staff = {u.role: u for u in User.objects.filter(agency=dossier.unit, is_active=True)}
        unit_staff = {
            "tiepnhan": staff[Role.RECEPTION],
            "chuyenvien": staff[Role.PROCESSING],
            "lanhdao": staff[Role.LEADER],
        }
        assert_all_finish({dossier.code: dossier}, unit_staff)

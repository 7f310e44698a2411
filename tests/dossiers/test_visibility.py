"""What each person may read of a dossier: the draft result, internal notes, the Form 07 register.

Each rule is tried as the applicant, another citizen, an official of an uninvolved unit (and, where it
matters, of an agency asked to coordinate) and an official of the handling unit, through HTTP and the
real API client."""

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.accounts.models import Agency, Role, User
from motcua.dossiers import permissions, services
from motcua.dossiers.models import Attachment, AttachmentKind, Channel, Status

from .conftest import pdf

pytestmark = pytest.mark.django_db

# Internal remarks: each must stay with the officials.
FORWARD_NOTE = "Chuyển anh Cường thẩm định gấp"
COORDINATION_QUESTION = "Đề nghị xác minh hộ khẩu gốc của người cha"
COORDINATION_ANSWER = "Sổ hộ khẩu gốc khớp thông tin khai"
TRANSFER_NOTE = "Tạm gỡ phân công chờ bố trí người"
TO_LEADER_NOTE = "Kính trình lãnh đạo duyệt"
SEND_BACK_NOTE = "Sai tên cha trong dự thảo sửa lại"
DRAFT_APOLOGY = "Nội bộ chờ ý kiến Sở Tư pháp"
INTERNAL_NOTES = [
    FORWARD_NOTE,
    COORDINATION_QUESTION,
    COORDINATION_ANSWER,
    TRANSFER_NOTE,
    TO_LEADER_NOTE,
    SEND_BACK_NOTE,
    DRAFT_APOLOGY,
]
# What the applicant must be told.
SUPPLEMENT_REASON = "Đề nghị nộp bản sao giấy chứng nhận kết hôn"

PHONE = "0912345678"
ADDRESS = "Số 7 đường Lý Thường Kiệt, phường An Phú"


def url(name, *args):
    return reverse(f"dossiers:{name}", args=args)


@pytest.fixture
def cast(people):
    """Who tries: the applicant, another citizen, an official of an uninvolved unit (X03), one of the
    agency asked to coordinate (X02), and the handling unit's officials (X01)."""
    return {
        "applicant": people["congdan"],
        "other_citizen": User.objects.create_user(
            "congdan2", password="x-long-password-1", role=Role.CITIZEN
        ),
        "other_unit": people["chuyenvien.x03"],
        "coordinating": people["chuyenvien.x02"],
        "reception": people["tiepnhan"],
        "officer": people["chuyenvien"],
        "leader": people["lanhdao"],
    }


@pytest.fixture
def awaiting_approval(apply, cast):
    """The applicant's dossier at the leader's step with an unsigned draft result, its history holding
    every kind of internal note and one public one."""
    reception, officer, leader = cast["reception"], cast["officer"], cast["leader"]
    dossier = apply(by=cast["applicant"])
    dossier = services.receive(dossier, by=reception)
    document = dossier.case.documents.all()[2]
    dossier = services.request_supplement(
        dossier,
        by=reception,
        items=[{"document": document.name, "reason": "Thiếu"}],
        reason=SUPPLEMENT_REASON,
    )
    dossier = services.supplement(dossier, by=cast["applicant"], files=[(None, pdf("ket-hon.pdf"))])
    dossier = services.forward(dossier, by=reception, to=officer, note=FORWARD_NOTE)
    asked = services.request_coordination(
        dossier, by=officer, agency=cast["coordinating"].agency, question=COORDINATION_QUESTION, hours=8
    )
    services.answer_coordination(asked, by=cast["coordinating"], answer=COORDINATION_ANSWER)
    dossier = services.transfer(dossier, by=officer, note=TRANSFER_NOTE)
    dossier = services.attach_result(dossier, by=officer)
    dossier = services.forward(dossier, by=officer, note=TO_LEADER_NOTE)
    dossier = services.send_back(dossier, by=leader, note=SEND_BACK_NOTE)
    services.draft_apology(dossier, by=officer, reason=DRAFT_APOLOGY)
    dossier = services.forward(dossier, by=officer)
    assert dossier.step.role == Role.LEADER and dossier.result and not dossier.result_signed_at
    return dossier


def approve(dossier, cast):
    return services.approve(dossier, by=cast["leader"])


def get(client, user, path):
    client.force_login(user)
    return client.get(path)


# --- 1. the result: a draft stays with the handling unit until it is signed and released ----------


def test_the_draft_result_is_for_the_handling_unit_only(client, awaiting_approval, cast):
    dossier = awaiting_approval
    result = url("result", dossier.code)
    for who in ("applicant", "other_citizen", "other_unit", "coordinating"):
        assert get(client, cast[who], result).status_code == 404, who
    page = get(client, cast["applicant"], url("detail", dossier.code)).content.decode()
    assert result not in page  # no link to a file the applicant may not have
    for who in ("officer", "leader", "reception"):
        response = get(client, cast[who], result)
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert result in get(client, cast["leader"], url("detail", dossier.code)).content.decode()


def test_the_signed_result_is_released_to_the_applicant_after_approval(client, awaiting_approval, cast):
    dossier = approve(awaiting_approval, cast)
    assert dossier.status == Status.PROCESSED and dossier.result_signed_at
    with dossier.result.open("rb") as handle:
        signed = handle.read()
    result = url("result", dossier.code)
    for who in ("applicant", "coordinating", "officer"):
        response = get(client, cast[who], result)
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content) == signed, who
    page = get(client, cast["applicant"], url("detail", dossier.code)).content.decode()
    assert 'id="result-link"' in page and result in page
    for who in ("other_citizen", "other_unit"):
        assert get(client, cast[who], result).status_code == 404, who
    dossier = services.return_result(dossier, by=cast["reception"])
    assert get(client, cast["applicant"], result).status_code == 200


def test_a_result_attachment_obeys_the_same_rule(client, awaiting_approval, cast):
    dossier = awaiting_approval
    content = b"%PDF-1.4\n% ban du thao ket qua\n%%EOF\n"
    draft = Attachment(
        dossier=dossier,
        kind=AttachmentKind.RESULT,
        name="du-thao-ket-qua.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=cast["officer"],
    )
    draft.file.save(draft.name, ContentFile(content), save=True)
    component = dossier.attachments.filter(kind=AttachmentKind.COMPONENT).first()
    path = url("attachment", dossier.code, draft.pk)
    for who in ("applicant", "other_citizen", "other_unit", "coordinating"):
        assert get(client, cast[who], path).status_code == 404, who
    assert (
        "du-thao-ket-qua.pdf"
        not in get(client, cast["applicant"], url("detail", dossier.code)).content.decode()
    )
    assert get(client, cast["applicant"], url("attachment", dossier.code, component.pk)).status_code == 200
    response = get(client, cast["officer"], path)
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert "du-thao-ket-qua.pdf" in get(client, cast["officer"], url("detail", dossier.code)).content.decode()

    approve(dossier, cast)
    response = get(client, cast["applicant"], path)
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert (
        "du-thao-ket-qua.pdf" in get(client, cast["applicant"], url("detail", dossier.code)).content.decode()
    )
    assert get(client, cast["other_citizen"], path).status_code == 404


def test_can_see_result_is_one_rule(awaiting_approval, cast):
    dossier = awaiting_approval
    assert permissions.can_see_result(cast["officer"], dossier)
    assert not permissions.can_see_result(cast["applicant"], dossier)
    dossier.result_signed_at = dossier.submitted_at  # signed, but not yet approved out of processing
    assert not permissions.can_see_result(cast["applicant"], dossier)
    dossier = approve(awaiting_approval, cast)
    assert permissions.can_see_result(cast["applicant"], dossier)
    assert not permissions.can_see_result(cast["other_citizen"], dossier)


# --- 2. internal notes: the timeline keeps its events, the applicant loses their remarks ----------


def test_internal_notes_are_not_on_the_applicants_page(client, awaiting_approval, cast):
    dossier = awaiting_approval
    page = url("detail", dossier.code)
    response = get(client, cast["applicant"], page)
    html = response.content.decode()
    for note in INTERNAL_NOTES:
        assert note not in html, note
    assert SUPPLEMENT_REASON in html
    # The steps themselves stay visible, without their remarks.
    events = response.context["events"]
    assert len(events) == dossier.events.count()
    assert {e.action for e in events} >= {"forward", "send_back", "request_coordination", "transfer"}
    assert all(e.note == "" for e in events if e.action in permissions.INTERNAL_NOTE_ACTIONS)
    dossier.refresh_from_db()
    assert dossier.events.get(action="send_back").note == SEND_BACK_NOTE  # nothing was saved
    for who in ("other_citizen", "other_unit"):
        assert get(client, cast[who], page).status_code == 404, who
    for who in ("officer", "leader", "coordinating"):
        html = get(client, cast[who], page).content.decode()
        for note in INTERNAL_NOTES:
            assert note in html, (who, note)


def test_internal_notes_are_not_on_the_applicants_form_06(client, awaiting_approval, cast):
    from .test_documents import pdf_text

    form = url("form", awaiting_approval.code, "06")
    response = get(client, cast["applicant"], form)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Chuyển xử lý" in text or "Tiếp nhận" in text  # the hand-overs are listed
    for note in (SEND_BACK_NOTE, COORDINATION_QUESTION, COORDINATION_ANSWER, FORWARD_NOTE):
        assert note not in text, note
    text = pdf_text(get(client, cast["officer"], form).content)
    assert SEND_BACK_NOTE in text and COORDINATION_ANSWER in text


def token_for(user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def test_internal_notes_are_not_in_the_api_for_the_applicant(awaiting_approval, cast):
    api = APIClient()
    path = f"/api/v1/dossiers/{awaiting_approval.code}/"
    response = api.get(path, **token_for(cast["applicant"]))
    assert response.status_code == 200
    body = response.content.decode()
    for note in INTERNAL_NOTES:
        assert note not in body, note
    timeline = response.json()["timeline"]
    assert len(timeline) == awaiting_approval.events.count()
    notes = {event["action"]: event["note"] for event in timeline}
    assert notes["request_supplement"] == SUPPLEMENT_REASON and notes["send_back"] == ""
    for who in ("other_citizen", "other_unit"):
        assert api.get(path, **token_for(cast[who])).status_code == 404, who
    api.force_authenticate(cast["applicant"])  # a browser session gets the same answer
    assert SEND_BACK_NOTE not in api.get(path).content.decode()
    api.force_authenticate(None)
    body = api.get(path, **token_for(cast["officer"])).content.decode()
    for note in INTERNAL_NOTES:
        assert note in body, note


def test_every_event_action_is_classified_once():
    source = "\n".join(module.read_text() for module in Path(services.__file__).parent.glob("*.py"))
    written = set(re.findall(r"_(?:move|event)\(\s*dossier,\s*\"(\w+)\"", source))
    assert {"submit", "forward", "send_back", "answer_coordination", "refuse"} <= written
    classified = permissions.PUBLIC_NOTE_ACTIONS | permissions.INTERNAL_NOTE_ACTIONS
    assert written <= classified, written - classified
    assert not permissions.PUBLIC_NOTE_ACTIONS & permissions.INTERNAL_NOTE_ACTIONS
    assert not permissions.note_is_public("some_new_action")  # unknown means internal


# --- 3. the Form 07 register: the unit's own dossiers, never those it only coordinates on ---------


def register_rows(client, user) -> list[tuple]:
    response = get(client, user, url("register"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [
        tuple(str(v) for v in row if v is not None) for row in sheet.iter_rows(min_row=4, values_only=True)
    ]


def test_the_register_lists_only_the_units_own_dossiers(client, people, birth, awaiting_approval, cast):
    theirs = awaiting_approval  # X01's dossier, X02 asked to coordinate on it
    theirs.applicant_phone, theirs.applicant_address = PHONE, ADDRESS
    theirs.save(update_fields=["applicant_phone", "applicant_address"])
    x02 = cast["coordinating"].agency
    own = services.submit(
        services.Application(
            procedure=birth,
            agency=x02,
            channel=Channel.COUNTER,
            applicant_name="Trần Văn Bình",
            applicant_id_number="001203009999",
            applicant_phone="0987654321",
        ),
        by=people["tiepnhan.x02"],
    )
    assert theirs in permissions.visible_to(cast["coordinating"])  # it may open it to answer

    rows = register_rows(client, cast["coordinating"])
    cells = " ".join(" ".join(row) for row in rows)
    assert own.code in cells and "0987654321" in cells
    assert theirs.code not in cells and PHONE not in cells and ADDRESS not in cells

    rows = register_rows(client, cast["reception"])
    cells = " ".join(" ".join(row) for row in rows)
    assert theirs.code in cells and PHONE in cells and own.code not in cells

    assert not register_rows(client, cast["other_unit"])
    for who in ("applicant", "other_citizen"):
        assert get(client, cast[who], url("register")).status_code == 403, who


def test_a_dossier_transferred_in_is_on_the_receiving_units_register(client, apply, people, cast):
    dossier = apply(by=cast["reception"])
    x03 = Agency.objects.get(code="H99.X03")
    services.transfer(dossier, by=cast["reception"], unit=x03, note="Phi địa giới")
    codes = {row[1] for row in register_rows(client, cast["other_unit"])}
    assert dossier.code in codes
    assert dossier.code in {row[1] for row in register_rows(client, cast["reception"])}  # competent agency

"""The dossier pages: who may see and do what, through HTTP."""

import pytest
from django.urls import reverse

from motcua.accounts.models import Agency, Role, User
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status

from .conftest import pdf

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"dossiers:{name}", args=args)


def test_citizen_submits_online_through_the_form(client, people, birth):
    client.force_login(people["congdan"])
    documents = list(birth.cases.first().documents.all())
    response = client.post(
        url("submit", birth.code),
        {
            "applicant_name": "Nguyễn Văn An",
            "applicant_id_number": "001203004567",
            "applicant_email": "an@example.invalid",
            "agency": Agency.objects.get(code="H99.X01").pk,
            f"doc_{documents[0].pk}": [pdf("a.pdf"), pdf("b.pdf")],
        },
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(url("detail", dossier.code))
    assert dossier.attachments.count() == 2 and dossier.applicant == people["congdan"]


def test_bad_id_number_and_bad_file_keep_the_form_and_save_nothing(client, people, birth):
    client.force_login(people["congdan"])
    document = birth.cases.first().documents.first()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        url("submit", birth.code),
        {
            "applicant_name": "An",
            "applicant_id_number": "12345",
            "agency": Agency.objects.get(code="H99.X01").pk,
            f"doc_{document.pk}": SimpleUploadedFile("x.pdf", b"not a pdf"),
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["applicant_id_number"] and "applicant_id_number" in form.errors
    assert form.errors["applicant_id_number"][0] in response.content.decode()  # shown beside the field
    assert not Dossier.objects.exists()


def test_every_dossier_page_is_hidden_from_strangers(client, apply, people):
    dossier = apply(by=people["tiepnhan"])
    dossier = services.forward(dossier, by=people["tiepnhan"], to=people["chuyenvien"])
    dossier = services.attach_result(dossier, by=people["chuyenvien"])
    apology = services.draft_apology(dossier, by=people["chuyenvien"], reason="Chờ xác minh")
    stranger = User.objects.create_user("other", password="x-long-password-1", role=Role.CITIZEN)
    other_unit = User.objects.create_user(
        "xa2", password="x-long-password-1", role=Role.PROCESSING, agency=Agency.objects.get(code="H99.X02")
    )
    attachment = dossier.attachments.first()
    pages = [
        url("detail", dossier.code),
        url("form", dossier.code, "01"),
        url("form", dossier.code, "06"),
        url("attachment", dossier.code, attachment.pk),
        url("result", dossier.code),
    ]
    for user in (stranger, other_unit):
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 404, (user, page)
        for action in (
            "forward",
            "transfer",
            "stop",
            "send_back",
            "request_supplement",
            "withdraw",
            "refuse",
        ):
            response = client.post(
                url("act", dossier.code, action), {"version": dossier.version, "reason": "x"}
            )
            assert response.status_code == 404, action
        assert client.post(url("approve-apology", dossier.code, apology.pk)).status_code == 404
    client.logout()
    assert client.get(url("detail", dossier.code)).status_code == 404
    assert client.get(url("result", dossier.code)).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.events.count() == 5
    assert dossier.apologies.get().approved_at is None


def test_officer_acts_through_the_page_and_a_stale_form_is_a_conflict(client, apply, people):
    dossier = apply()
    client.force_login(people["tiepnhan"])
    page = client.get(url("detail", dossier.code)).content.decode()
    assert 'id="action-receive"' in page and 'id="action-refuse"' in page
    stale = dossier.version
    client.post(url("act", dossier.code, "receive"), {"version": stale})
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    posted = {"version": stale, "reason": "x", "confirm": "on"}
    response = client.post(url("act", dossier.code, "refuse"), posted, follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert any("someone else" in text or "người khác" in text for text in messages), messages
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_forms_are_pdfs_for_the_people_concerned(client, apply, people):
    dossier = apply(by=people["tiepnhan"])
    dossier.applicant = people["congdan"]
    dossier.save()
    client.force_login(people["congdan"])
    response = client.get(url("form", dossier.code, "01"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert client.get(url("form", dossier.code, "03")).status_code == 404  # not refused


def test_tracking_needs_code_and_id_number_and_is_rate_limited(client, apply):
    dossier = apply()
    found = client.post(url("track"), {"code": dossier.code, "id_number": dossier.applicant_id_number})
    assert found.context["dossier"] == dossier
    wrong = client.post(url("track"), {"code": dossier.code, "id_number": "999999999999"})
    assert wrong.context["dossier"] is None
    statuses = [
        client.post(url("track"), {"code": dossier.code, "id_number": "999999999999"}).status_code
        for _ in range(12)
    ]
    assert 429 in statuses


def test_the_id_number_never_travels_in_the_tracking_url(client, apply):
    """The look-up form posts; a link with ?code= (the QR on Form 01) only fills in the code, and an ID
    number put in the query string looks nothing up."""
    dossier = apply()
    page = client.get(url("track"), {"code": dossier.code, "id_number": dossier.applicant_id_number})
    html = page.content.decode()
    assert page.context["dossier"] is None and f'value="{dossier.applicant_id_number}"' not in html
    assert 'method="post"' in html and f'value="{dossier.code}"' in html


def test_workspace_queues_are_scoped_to_the_unit(client, apply, people):
    apply()
    other = User.objects.create_user(
        "xa2", password="x-long-password-1", role=Role.RECEPTION, agency=Agency.objects.get(code="H99.X02")
    )
    client.force_login(people["tiepnhan"])
    assert client.get(url("workspace")).context["page"].paginator.count == 1
    client.force_login(other)
    assert client.get(url("workspace")).context["page"].paginator.count == 0
    client.force_login(people["congdan"])
    assert client.get(url("workspace")).status_code == 403


def test_register_is_an_xlsx_for_officials(client, apply, people):
    apply(by=people["tiepnhan"])
    client.force_login(people["tiepnhan"])
    response = client.get(url("register"))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def signed_result(apply, people):
    dossier = apply(by=people["tiepnhan"])
    reception, officer, leader = people["tiepnhan"], people["chuyenvien"], people["lanhdao"]
    dossier = services.forward(dossier, by=reception, to=officer)
    dossier = services.attach_result(dossier, by=officer)
    dossier = services.forward(dossier, by=officer)
    return services.approve(dossier, by=leader)


def test_verify_accepts_the_signed_result_and_rejects_a_tampered_copy(client, apply, people):
    dossier = signed_result(apply, people)
    with dossier.result.open("rb") as handle:
        signed = handle.read()
    link = url("verify", dossier.code, dossier.verify_token)
    page = client.get(link)
    assert page.status_code == 200 and page.context["stored"].valid
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = client.post(link, {"file": SimpleUploadedFile("kq.pdf", signed)})
    assert good.context["uploaded"]["accepted"]
    middle = len(signed) // 3
    tampered = signed[:middle] + bytes([signed[middle] ^ 0x20]) + signed[middle + 1 :]
    bad = client.post(link, {"file": SimpleUploadedFile("kq.pdf", tampered)})
    assert not bad.context["uploaded"]["accepted"]
    # The reason is said in the page's language (Vietnamese by default), not in English.
    assert "nội dung đã ký bị thay đổi" in bad.content.decode()
    assert "the signed content was altered" not in bad.content.decode()
    assert client.get(url("verify", "H99.X01-000000-0000", dossier.verify_token)).status_code == 404


def test_the_verification_link_needs_the_token_printed_with_the_result(client, apply, people):
    dossier = signed_result(apply, people)
    assert len(dossier.verify_token) >= 20
    assert services.verify_url(dossier).endswith(f"/{dossier.code}/{dossier.verify_token}/")
    guessed = client.get(url("verify", dossier.code, "A" * len(dossier.verify_token)))
    assert guessed.status_code == 404
    assert dossier.procedure.name not in guessed.content.decode()
    assert dossier.agency.name not in guessed.content.decode()
    assert client.get(f"/verify/{dossier.code}/").status_code == 404  # the code alone says nothing


def test_verification_is_cached_by_file_hash_and_rate_limited(client, apply, people, monkeypatch):
    from motcua.core import backends

    dossier = signed_result(apply, people)
    link = url("verify", dossier.code, dossier.verify_token)
    calls = []
    real = backends.agency_signer().verify
    monkeypatch.setattr(
        type(backends.agency_signer()), "verify", lambda self, pdf: calls.append(1) or real(pdf)
    )
    for _ in range(3):
        assert client.get(link).context["stored"].valid
    assert len(calls) == 1  # verified once, then answered from the cache
    from motcua.dossiers.views.citizen import VERIFY_LIMIT

    answers = [client.get(link).status_code for _ in range(VERIFY_LIMIT)]
    assert answers[-1] == 429 and 200 in answers

"""The dossier page's actions as people meet them: each button says what it does, the ones that end
the dossier are red, last and confirmed, the citizen asked for papers reads what is missing first, and
the history names what happened (issue 15's review)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from motcua.dossiers import services
from motcua.dossiers.models import Event, Status

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"dossiers:{name}", args=args)


def forms_on(page: str) -> list[tuple[str, str, str]]:
    """(form id, its classes, its button's words) for each action form, in page order."""
    found = []
    for match in re.finditer(
        r'<form [^>]*class="action stack([^"]*)" id="action-([^"]+)"(.*?)</form>', page, re.S
    ):
        button = re.search(r'<button type="submit" name="do"[^>]*>([^<]+)</button>', match.group(3))
        found.append((match.group(2), match.group(1).strip(), button.group(1).strip()))
    return found


def test_each_action_has_its_own_button_and_those_that_end_the_dossier_come_last(client, apply, people):
    dossier = apply()
    client.force_login(people["tiepnhan"])
    shown = forms_on(client.get(url("detail", dossier.code)).content.decode())
    names = [name for name, _, _ in shown]
    assert {"receive", "request_supplement", "refuse"} <= set(names)
    assert names[-1] == "refuse" and dict((n, c) for n, c, _ in shown)["refuse"] == "final"
    buttons = [button for _, _, button in shown]
    assert len(set(buttons)) == len(buttons), buttons  # no two alike ("Xác nhận" on every form)


def test_refusing_without_ticking_the_box_changes_nothing(client, apply, people):
    dossier = apply()
    client.force_login(people["tiepnhan"])
    page = client.get(url("detail", dossier.code)).content.decode()
    refuse = page[page.index('id="action-refuse"') :]
    assert 'name="confirm"' in refuse[: refuse.index("</form>")]
    posted = {"version": dossier.version, "reason": "Không thuộc thẩm quyền."}
    response = client.post(url("act", dossier.code, "refuse"), posted, follow=True)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    with translation.override("vi"):
        assert translation.gettext("Tick the box to confirm: this action cannot be undone.") in (
            response.content.decode()
        )
    client.post(url("act", dossier.code, "refuse"), {**posted, "confirm": "on"})
    dossier.refresh_from_db()
    assert dossier.status == Status.NOT_ACCEPTED


def test_the_citizen_asked_for_papers_reads_what_is_missing_before_the_upload(client, apply, people):
    dossier = apply()
    document = dossier.case.documents.first()
    services.request_supplement(
        dossier, by=people["tiepnhan"], items=[{"document": document.name, "reason": "Bản chụp bị mờ"}]
    )
    client.force_login(people["congdan"])
    page = client.get(url("detail", dossier.code)).content.decode()
    form = page[page.index('id="action-supplement"') :]
    form = form[: form.index("</form>")]
    assert form.index("Bản chụp bị mờ") < form.index('type="file"')
    names = [name for name, _, _ in forms_on(page)]
    assert names == ["supplement", "withdraw"]  # withdrawing (final) after sending the papers


def test_the_supplement_request_lists_each_paper_once(client, apply, people):
    dossier = apply()
    client.force_login(people["tiepnhan"])
    page = client.get(url("detail", dossier.code)).content.decode()
    form = page[page.index('id="action-request_supplement"') :]
    labels = re.findall(r'<label for="id_need_\d+" lang="vi">([^<]+)</label>', form[: form.index("</form>")])
    assert labels and len(labels) == len(set(labels))
    own = [document.name for document in dossier.case.documents.all()]
    assert labels[: len(own)] == own  # the dossier's own case first


def test_the_history_names_a_rating_as_a_rating_not_a_second_return():
    rated = Event(action="rate", from_status=Status.RETURNED, to_status=Status.RETURNED)
    returned = Event(action="return_result", from_status=Status.PROCESSED, to_status=Status.RETURNED)
    with translation.override("en"):
        assert rated.label == "Service rated by the applicant"
        assert returned.label == "Result returned"
    with translation.override("vi"):
        assert rated.label != returned.label
        assert rated.label != "Service rated by the applicant"  # translated


def test_the_public_tracking_page_uses_the_same_names(client, apply, people):
    dossier = apply()
    Event.objects.create(
        dossier=dossier, at=dossier.submitted_at, action="draft_apology", from_status=1, to_status=1
    )
    response = client.post(
        "/en" + url("track"), {"code": dossier.code, "id_number": dossier.applicant_id_number}
    )
    assert "Apology and extension drafted" in response.content.decode()


def test_the_submission_page_counts_originals_and_copies_in_the_right_plural(client, people, birth):
    client.force_login(people["congdan"])
    page = client.get("/en" + url("submit", birth.code)).content.decode()
    assert "original(s)" not in page and "copy(ies)" not in page
    assert re.search(r"\b1 original\b", page) or re.search(r"\b\d+ originals\b", page)

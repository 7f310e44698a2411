"""PAKN: the public form files a ticket, linked to a dossier only when the sender may see it."""

import os
import sqlite3
import subprocess
import sys

import pytest

from motcua.accounts.models import User
from motcua.feedback.models import Feedback

pytestmark = pytest.mark.django_db


def test_the_form_files_a_ticket(client):
    response = client.post("/gop-y/", {"name": "An", "subject": "Góp ý", "body": "Nên mở cửa thứ Bảy."})
    assert response.status_code == 302 and response.url == "/gop-y/"
    ticket = Feedback.objects.get()
    assert (ticket.subject, ticket.body, ticket.dossier, ticket.agency) == (
        "Góp ý",
        "Nên mở cửa thứ Bảy.",
        None,
        None,
    )


def test_a_bad_form_files_nothing_and_keeps_what_was_typed(client):
    response = client.post("/gop-y/", {"name": "An", "subject": "", "body": "Nội dung giữ lại"})
    assert response.status_code == 200 and not Feedback.objects.exists()
    assert "Nội dung giữ lại" in response.content.decode()


def test_the_applicant_links_their_own_dossier_and_its_agency(client, apply, people):
    dossier = apply()
    client.force_login(people["congdan"])
    client.post(
        "/gop-y/", {"name": "An", "subject": "Chậm", "body": "Hồ sơ chậm", "dossier_code": dossier.code}
    )
    ticket = Feedback.objects.get()
    assert ticket.dossier == dossier and ticket.agency == dossier.agency and ticket.body == "Hồ sơ chậm"


def test_someone_else_cannot_link_a_dossier_nor_learn_that_it_exists(client, apply, people):
    dossier = apply()
    client.force_login(User.objects.create_user("khac", password="x"))
    client.post("/gop-y/", {"name": "B", "subject": "S", "body": "B", "dossier_code": dossier.code})
    ticket = Feedback.objects.get()
    assert ticket.dossier is None and ticket.agency is None and ticket.body == f"[{dossier.code}] B"


@pytest.mark.django_db(transaction=True)
def test_moving_the_model_into_its_app_keeps_every_ticket(tmp_path):
    """A database from before the move (dossiers 0007) keeps its tickets and the assistant's link to
    them after migrating: the rows stay, only the table is renamed."""
    env = {**os.environ, "MOTCUA_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}

    def motcua(*args):
        done = subprocess.run(
            [sys.executable, "-m", "motcua.cli", *args], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    motcua("migrate", "--noinput", "dossiers", "0007")
    motcua("migrate", "--noinput", "assistant", "0001")
    db = sqlite3.connect(tmp_path / "motcua.sqlite3")
    db.execute(
        "INSERT INTO dossiers_feedback (name, email, phone, subject, body, created_at, answer) "
        "VALUES ('An', '', '', 'Góp ý', 'Nội dung', '2026-01-01 00:00:00', '')"
    )
    db.execute(
        "INSERT INTO assistant_conversation (session_key, title, created_at, updated_at, handed_over_id) "
        "VALUES ('s', 't', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)"
    )
    db.commit()
    db.close()
    motcua("migrate", "--noinput")
    db = sqlite3.connect(tmp_path / "motcua.sqlite3")
    assert db.execute("SELECT subject, body FROM feedback_feedback").fetchall() == [("Góp ý", "Nội dung")]
    assert db.execute("SELECT handed_over_id FROM assistant_conversation").fetchall() == [(1,)]
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "dossiers_feedback" not in tables
    # The conversation's foreign key follows the renamed table.
    references = db.execute("SELECT sql FROM sqlite_master WHERE name = 'assistant_conversation'").fetchone()[
        0
    ]
    assert '"feedback_feedback"' in references

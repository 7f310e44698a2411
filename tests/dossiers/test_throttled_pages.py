"""The public look-ups and forms under the one rate-limit policy (core.throttle)."""

import pytest

from motcua.assistant.models import Message
from motcua.feedback.models import Feedback

pytestmark = pytest.mark.django_db


def test_tracking_and_the_assistant_share_one_budget(client, apply):
    dossier = apply()
    for _ in range(10):
        response = client.post("/tra-cuu/", {"code": dossier.code, "id_number": "000000000000"})
        assert response.status_code == 200
    assert client.post("/tra-cuu/", {"code": dossier.code, "id_number": "001203004567"}).status_code == 429
    client.post("/tro-ly/", {"question": f"hồ sơ {dossier.code} CCCD 001203004567 đến đâu rồi"})
    answer = Message.objects.latest("pk").answer
    assert not answer.get("citations")  # the ID look-up budget was spent on the tracking page


def test_feedback_is_throttled_and_attaches_only_to_a_dossier_the_sender_may_see(client, apply):
    dossier = apply()
    form = {"name": "A", "subject": "S", "body": "B", "dossier_code": dossier.code}
    assert client.post("/gop-y/", form).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.dossier is None and feedback.body.startswith(f"[{dossier.code}]")
    for _ in range(4):
        client.post("/gop-y/", form)
    assert client.post("/gop-y/", form).status_code == 429
    assert Feedback.objects.count() == 5

"""The chat pages: who sees which conversation, answers with sources, rating, hand-over, rate limit."""

import logging

import pytest
from django.urls import reverse

from motcua.assistant.models import Conversation, Message
from motcua.feedback.models import Feedback

pytestmark = pytest.mark.django_db


def ask(client, question, url=None):
    return client.post(url or reverse("assistant:chat"), {"question": question})


def test_citizen_asks_and_sees_the_answer_with_its_sources(client, indexed, caplog):
    caplog.set_level(logging.INFO, logger="motcua")
    response = ask(client, "làm giấy khai sinh cho con cần gì? CCCD của tôi 001203004567")
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Giấy chứng sinh" in html and 'class="cite"' in html
    assert reverse("portal:procedure", args=["1.001193"]) + "#documents" in html
    message = Message.objects.get()
    assert message.evidence and message.latency_ms > 0 and message.answer["codes"][0] == "1.001193"
    # Personal data is masked in the log and in the stored question.
    assert "001203004567" not in caplog.text and "001203004567" not in message.question
    assert "assistant answer" in caplog.text


def test_a_follow_up_in_the_same_conversation_answers_about_the_same_procedure(client, indexed):
    first = ask(client, "làm giấy khai sinh cho con cần gì")
    second = ask(client, "còn phí thì sao?", url=first["Location"])
    html = client.get(second["Location"]).content.decode()
    follow_up = Message.objects.order_by("-pk").first()
    assert follow_up.answer["reason"] == "follow_up" and follow_up.answer["codes"] == ["1.001193"]
    answer = html[html.index(f'id="m{follow_up.pk}"') :]
    shown, folded = answer.split('<details class="more">', 1)
    assert "miễn cho trường hợp" in shown and "Xem đủ thủ tục" in folded
    # Another conversation starts without a topic: the same follow-up alone names nothing.
    client.post(reverse("assistant:new"))
    alone = ask(client, "còn phí thì sao?")
    assert Message.objects.order_by("-pk").first().declined and alone.status_code == 302


def test_arabic_answers_render_right_to_left(client, indexed):
    response = ask(client, "كيف أسجل ولادة طفلي؟")
    html = client.get(response["Location"]).content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert '<bdi dir="ltr">1.001193</bdi>' in html  # the code keeps its order inside Arabic text


def test_codes_are_isolated_left_to_right_and_text_stays_escaped():
    from motcua.core.templatetags.motcua import ltr_codes

    out = ltr_codes("القرار 163/QĐ-BTP والقانون 60/2014/QH13 <script>")
    assert '<bdi dir="ltr">163/QĐ-BTP</bdi>' in out and '<bdi dir="ltr">60/2014/QH13</bdi>' in out
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_conversations_are_private(client, indexed, people):
    response = ask(client, "đăng ký kết hôn cần gì")
    url = response["Location"].split("#")[0]
    assert client.get(url).status_code == 200
    from django.test import Client

    stranger = Client()
    assert stranger.get(url).status_code == 404
    stranger.force_login(people["congdan"])
    assert stranger.get(url).status_code == 404
    message = Message.objects.get()
    assert stranger.post(reverse("assistant:rate", args=[message.pk]), {"rating": "1"}).status_code == 404


def test_signed_in_history_follows_the_account(client, indexed, people):
    client.force_login(people["congdan"])
    ask(client, "đăng ký tạm trú")
    conversation = Conversation.objects.get()
    assert conversation.user == people["congdan"]
    assert "đăng ký tạm trú" in client.get(reverse("assistant:history")).content.decode()


def test_thumbs_down_with_a_comment_is_recorded(client, indexed):
    ask(client, "đăng ký kết hôn cần gì")
    message = Message.objects.get()
    client.post(reverse("assistant:rate", args=[message.pk]), {"rating": "-1", "comment": "thiếu lệ phí"})
    message.refresh_from_db()
    assert message.rating == -1 and message.comment == "thiếu lệ phí"


def test_talk_to_an_officer_files_a_ticket_with_the_conversation(client, indexed):
    ask(client, "làm giấy khai sinh cho con cần gì")
    conversation = Conversation.objects.get()
    url = reverse("assistant:handover", args=[conversation.pk])
    assert client.post(url, {"name": "Trần Bình"}).status_code == 200  # a way to reply is required
    client.post(url, {"name": "Trần Bình", "phone": "0912345678", "note": "Con tôi sinh ở nước ngoài"})
    ticket = Feedback.objects.get()
    assert "1.001193" in ticket.body and "làm giấy khai sinh cho con cần gì" in ticket.body
    assert "Con tôi sinh ở nước ngoài" in ticket.body
    conversation.refresh_from_db()
    assert conversation.handed_over == ticket
    client.post(url, {"name": "Trần Bình", "phone": "0912345678"})
    assert Feedback.objects.count() == 1  # handed over once


def test_questions_are_rate_limited(client, demo, settings):
    settings.ASSISTANT_RATE = 2
    assert ask(client, "làm giả giấy tờ").status_code == 302
    assert ask(client, "làm giả giấy tờ").status_code == 302
    assert ask(client, "làm giả giấy tờ").status_code == 429
    assert Message.objects.count() == 2

"""The conformance suite every Notifier backend passes (core.notifiers.Notifier).

Subclass `NotifierConformance` and provide the fixtures `notifier`, `reachable` (a Recipient the channel
can reach), `outbox` (a callable returning what has been delivered so far, as (address, subject, body)
tuples) and `channel_down` (a context manager under which delivery fails as when the server is down).
Backends with a test module: 'email' (tests/core/test_notifier_email.py).
"""

from __future__ import annotations

import pytest

from motcua.core.notifiers import Notifier, Recipient

SUBJECT = "Hồ sơ 000.00.01.H01-240901-0001 đã có kết quả"
BODY = "Kết quả của hồ sơ đã sẵn sàng để trả.\n\nTra cứu: https://dichvucong.example.vn/tra-cuu/"


@pytest.mark.django_db
class NotifierConformance:
    def test_implements_the_protocol(self, notifier):
        assert isinstance(notifier, Notifier) and notifier.channel

    def test_delivers_subject_and_body_intact(self, notifier, reachable, outbox):
        assert notifier.can_reach(reachable)
        assert notifier.send("notice:1", reachable, SUBJECT, BODY) is True
        [(_, subject, body)] = outbox()
        assert subject == SUBJECT and body == BODY  # Vietnamese marks and the link survive

    def test_a_key_is_delivered_once(self, notifier, reachable, outbox):
        assert notifier.send("notice:2", reachable, SUBJECT, BODY) is True
        assert notifier.send("notice:2", reachable, SUBJECT, "again") is False
        assert notifier.send("notice:3", reachable, SUBJECT, BODY) is True
        assert len(outbox()) == 2

    def test_cannot_reach_someone_without_an_address(self, notifier):
        assert not notifier.can_reach(Recipient(name="Nguyễn Văn An"))

    def test_a_channel_that_is_down_raises_oserror_and_the_key_stays_unsent(
        self, notifier, reachable, outbox, channel_down
    ):
        with channel_down(), pytest.raises(OSError):
            notifier.send("notice:4", reachable, SUBJECT, BODY)
        assert notifier.send("notice:4", reachable, SUBJECT, BODY) is True  # the retry delivers it
        assert len(outbox()) == 1

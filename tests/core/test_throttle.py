"""One rate-limit policy (fixed windows, atomic counts, proxy-aware addresses) and the sign-in lock-out."""

import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from motcua.accounts.demo import DEMO_PASSWORD
from motcua.core import throttle
from motcua.core.models import RateCounter

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self, start: float):
        self.now = start

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(1_800_000_000.0)  # the start of a 600 s window
    monkeypatch.setattr(throttle.time, "time", fake.time)
    return fake


def test_a_window_never_moves_with_its_hits(clock):
    verdicts = []
    for _ in range(5):
        verdicts.append(throttle.allow("t", ["ip:1.2.3.4"], limit=3, window=600))
        clock.now += 100  # hits keep coming during the window
    assert verdicts == [True, True, True, False, False]
    clock.now = 1_800_000_000.0 + 600  # the next window starts on the clock, however recent the last hit
    assert throttle.allow("t", ["ip:1.2.3.4"], limit=3, window=600)


def test_any_spent_key_refuses(clock):
    for _ in range(3):
        assert throttle.allow("t", ["ip:1.1.1.1", "user:7"], limit=3, window=600)
    # another address, same account: the account's budget is spent
    assert not throttle.allow("t", ["ip:2.2.2.2", "user:7"], limit=3, window=600)
    assert throttle.allow("t", ["ip:2.2.2.2", "user:8"], limit=3, window=600)


def test_scopes_are_separate(clock):
    for _ in range(3):
        throttle.allow("a", ["ip:1.1.1.1"], limit=3, window=600)
    assert not throttle.allow("a", ["ip:1.1.1.1"], limit=3, window=600)
    assert throttle.allow("b", ["ip:1.1.1.1"], limit=3, window=600)


@pytest.mark.django_db(transaction=True)
def test_the_count_is_atomic_across_threads():
    results, lock = [], threading.Lock()

    def hit():
        try:
            for _ in range(5):
                verdict = throttle.allow("race", ["ip:9.9.9.9"], limit=10, window=3600)
                with lock:
                    results.append(verdict)
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 30 and results.count(True) == 10
    assert RateCounter.objects.get(key__startswith="race:ip:9.9.9.9").count == 30


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.5", "", "203.0.113.5"),
        ("203.0.113.5", "1.2.3.4", "203.0.113.5"),  # not our proxy: the header is the client's to forge
        ("10.0.0.2", "198.51.100.7", "198.51.100.7"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a forged left part is ignored
        ("10.0.0.2", "198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two proxies of ours
        ("10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_the_client_address_behind_trusted_proxies(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_ip(request) == expected


def test_forty_wrong_passwords_lock_the_account_and_the_address(client, demo, settings):
    settings.AXES_FAILURE_LIMIT = 10
    for _ in range(40):
        response = client.post("/tai-khoan/login/", {"username": "congdan", "password": "wrong"})
    assert response.status_code == 429
    right = {"username": "congdan", "password": DEMO_PASSWORD}
    assert client.post("/tai-khoan/login/", right).status_code == 429  # even the right one, now
    other_address = client.post("/tai-khoan/login/", right, REMOTE_ADDR="198.51.100.20")
    assert other_address.status_code == 429  # the account is locked wherever it is tried from
    other_account = client.post("/tai-khoan/login/", {"username": "tiepnhan", "password": DEMO_PASSWORD})
    assert other_account.status_code == 429  # and the address is locked for every account
    fresh = client.post(
        "/tai-khoan/login/", {"username": "tiepnhan", "password": DEMO_PASSWORD}, REMOTE_ADDR="198.51.100.21"
    )
    assert fresh.status_code == 302  # another account from another address signs in


def test_the_admin_sign_in_is_locked_out_too(client, demo, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(4):
        response = client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    assert response.status_code == 429


def test_password_reset_requests_are_limited(client, demo):
    statuses = [
        client.post("/tai-khoan/password_reset/", {"email": "congdan@example.invalid"}).status_code
        for _ in range(7)
    ]
    assert statuses[:5] == [302] * 5 and statuses[5:] == [429, 429]

"""The web server `motcua run` starts (gunicorn's asyncio ASGI worker with motcua.asgi), run for real on
the test database: a gigabyte body is refused while it is read, slow clients do not hold the site, and
a request over its time limit is answered 503 (core.serving, on a small ASGI app of its own)."""

import asyncio
import http.client
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from motcua.core.management.commands.run import gunicorn_command
from motcua.core.serving import Guarded

ROOT = Path(__file__).resolve().parents[2]
LIMIT_MB = 8


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def peak_kb(pid: int) -> int:
    """Peak resident memory (VmHWM) of a process, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmHWM for {pid}")


def children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [int(c) for t in tasks.iterdir() for c in (t / "children").read_text().split()]


@pytest.fixture
def server(tmp_path, settings):
    """`motcua run`'s gunicorn command, one web worker, on this test's database."""
    port = free_port()
    (tmp_path / "tmp").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.worker_settings",
        "MOTCUA_TEST_DATABASE": str(connection.settings_dict["NAME"]),
        "MOTCUA_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "MOTCUA_DATA_DIR": str(tmp_path / "data"),
        "MOTCUA_SECRET_KEY": settings.SECRET_KEY,  # the sessions the test signs in with
        "MOTCUA_EMBEDDER": "none",
        "MOTCUA_MAX_REQUEST_MB": str(LIMIT_MB),
        "MOTCUA_WEB_WORKERS": "1",
        "TMPDIR": str(tmp_path / "tmp"),  # where a spooled request body would land
        "PYTHONPATH": str(ROOT),
    }
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        gunicorn_command("127.0.0.1", port), cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
    process.port, process.tmp = port, tmp_path / "tmp"
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def upload_path() -> str:
    return "/ho-so/kiem-tra-truoc/1.001193/"


@pytest.mark.django_db(transaction=True)
def test_a_gigabyte_body_is_refused_while_it_is_read(server):
    # Declared: refused from its headers, before any of the body is read.
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.putrequest("POST", upload_path())
    conn.putheader("Content-Type", "multipart/form-data; boundary=x")
    conn.putheader("Content-Length", str(1 << 30))
    conn.endheaders()
    conn.send(b"x" * 65536)
    response = conn.getresponse()
    assert response.status == 413 and b"too large" in response.read()

    # Not declared (chunked): refused once the limit is passed; the rest is never taken.
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.putrequest("POST", upload_path())
    conn.putheader("Content-Type", "multipart/form-data; boundary=x")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    chunk, sent = b"y" * (1 << 20), 0
    try:
        while sent < 1 << 30:
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
    except OSError:  # the server closed the connection after its answer
        pass
    response = conn.getresponse()
    assert response.status == 413
    assert sent < 1 << 30, "the server read the whole gigabyte"

    # Bounded: the worker held a few times the limit at most, and spooled no more than it to disk.
    worker = children(server.pid)[0]
    assert peak_kb(worker) < 400 * 1024, peak_kb(worker)
    spooled = sum(f.stat().st_size for f in server.tmp.rglob("*") if f.is_file())
    assert spooled <= (LIMIT_MB + 1) * 1024 * 1024
    # and the site answers as before
    assert get(server.port, "/healthz")[0] in (200, 503)


@pytest.mark.django_db(transaction=True)
def test_slow_clients_do_not_hold_the_site(server):
    """20 clients that send a header line now and then (slowloris) hold connections, not the worker:
    under the old synchronous workers two such sockets froze /healthz for 34 s."""
    slow = []
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(b"GET / HTTP/1.1\r\nHost: motcua\r\n")
        slow.append(sock)
    stop = threading.Event()

    def drip():
        while not stop.is_set():
            for sock in slow:
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass
            stop.wait(1)

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        for _ in range(5):
            status, body = get(server.port, "/healthz", timeout=10)
            assert status in (200, 503) and b'"database"' in body
    finally:
        stop.set()
        dripper.join()
        for sock in slow:
            sock.close()


@pytest.mark.django_db(transaction=True)
def test_a_file_named_dot_dot_is_checked_not_dropped(server, demo, client):
    """Django's own parser would drop it as if no file had been chosen; the citizen's check would then
    answer "choose a file" for a file they did choose."""
    from motcua.accounts.models import User
    from motcua.precheck.models import Check
    from tests.dossiers.conftest import PDF

    client.force_login(User.objects.get(username="congdan"))
    token = "a" * 32  # a CSRF secret of the citizen's own; the form sends the same value
    body = (
        b'--b\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        + token.encode()
        + b'\r\n--b\r\nContent-Disposition: form-data; name="doc"; filename=".."\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + PDF + b"\r\n--b--\r\n"
    )
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request(
        "POST",
        upload_path(),
        body,
        {
            "Content-Type": "multipart/form-data; boundary=b",
            "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}",
        },
    )
    response = conn.getresponse()
    response.read()
    assert response.status == 302 and "/ket-qua/" in response.getheader("Location")
    check = Check.objects.get()
    assert [upload["name"] for upload in check.uploads] == ["unnamed"]


def run_guarded(app, body_chunks, timeout=5.0, max_body=100):
    """Drive core.serving.Guarded as the server does: scope, receive, send."""
    sent = []
    chunks = list(body_chunks)

    async def receive():
        if chunks:
            return {"type": "http.request", "body": chunks.pop(0), "more_body": bool(chunks)}
        await asyncio.sleep(3600)  # the client is idle: only a disconnect would come

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
    # In a thread of its own: earlier tests in the same process may leave an event loop running here.
    failures = []

    def drive():
        try:
            asyncio.run(Guarded(app, max_body=max_body, timeout=timeout)(scope, receive, send))
        except BaseException as exc:  # noqa: BLE001  (re-raised in the test's thread)
            failures.append(exc)

    thread = threading.Thread(target=drive)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]
    return sent


async def reads_all_then_answers(scope, receive, send):
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(len(body)).encode()})


def test_guarded_passes_a_body_within_the_limit():
    sent = run_guarded(reads_all_then_answers, [b"a" * 60, b"b" * 40])
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"100"


def test_guarded_refuses_an_undeclared_body_past_the_limit():
    sent = run_guarded(reads_all_then_answers, [b"a" * 60, b"b" * 41, b"c" * 1000])
    assert sent[0]["status"] == 413 and len(sent) == 2


def test_guarded_answers_503_when_a_request_runs_too_long():
    cancelled = []

    async def slow(scope, receive, send):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    sent = run_guarded(slow, [b""], timeout=0.2)
    assert sent[0]["status"] == 503 and cancelled == [True]


def test_guarded_keeps_an_answer_already_started():
    async def starts_then_stalls(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await asyncio.sleep(30)

    sent = run_guarded(starts_then_stalls, [b""], timeout=0.2)
    assert [m.get("status") for m in sent] == [200]  # no second start: the server closes it

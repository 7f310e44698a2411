"""The site under slow clients, heavy requests and load, over real sockets: `motcua run` (gunicorn's
asyncio workers, the task worker beside them) on a throw-away data folder with the demo data.

    python bench/serving.py [--seconds 30] [--users 20] [--slow 20] [--port 8091]

1. /healthz sampled every 0.25 s while `--slow` clients hold connections open (a header line every
   second, never finishing: slowloris) and a citizen runs 2 pre-checks of a blank 30-page PDF.
2. `--users` concurrent users, each from its own address 127.0.1.N (the rate limits are per address),
   pausing 0-0.5 s between requests: home, search, a procedure (3 each) and the assistant (1: the page,
   a question, its answer). An error is any answer but 2xx/3xx, a refused connection or a timeout.
One figure per line: `name: value unit`, with the load average before and after each phase.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "Đăng ký khai sinh cần giấy tờ gì?",
    "Thủ tục đăng ký kết hôn mất bao lâu?",
    "Lệ phí cấp bản sao trích lục hộ tịch là bao nhiêu?",
    "Tôi muốn đăng ký thường trú thì nộp hồ sơ ở đâu?",
]


def figure(name: str, value, unit: str) -> None:
    print(f"{name}: {value} {unit}", flush=True)


def load_average(when: str, phase: str) -> None:
    figure(f"load average {when} {phase}", f"{os.getloadavg()[0]:.2f}", "")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else float("nan")


class Session:
    """One user's connection: cookies, CSRF from the cookie, redirects followed, a source address."""

    def __init__(self, port: int, address: str = "127.0.0.1", timeout: float = 30):
        self.port, self.address, self.timeout, self.cookies = port, address, timeout, {}
        self.conn, self.path = None, ""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        self.path = path
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile is reopened once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.address, 0)
                )
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        if response.status in (301, 302, 303) and method == "POST":
            return self.request("GET", urlsplit(response.getheader("Location")).path)
        return response.status, content

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, fields: dict):
        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/",
            },
        )

    def post_files(self, path: str, fields: dict, files: dict[str, tuple[str, bytes]]):
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, data) in files.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/pdf\r\n\r\n".encode()
            )
            out.write(data + b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", path, out.getvalue(), headers)


def blank_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def start_site(port: int, data: Path) -> subprocess.Popen:
    env = dict(os.environ)
    motcua = [sys.executable, "-m", "motcua.cli"]
    subprocess.run([*motcua, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*motcua, "demo", "load"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    log = (data / "run.log").open("w")
    site = subprocess.Popen(
        [*motcua, "run", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if Session(port, timeout=5).get("/healthz")[0] == 200:
                return site
        except OSError:
            pass
        time.sleep(0.5)
    os.killpg(site.pid, signal.SIGKILL)
    raise SystemExit(f"the site did not come up:\n{(data / 'run.log').read_text()[-3000:]}")


def slow_clients(port: int, count: int, stop: threading.Event) -> threading.Thread:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET / HTTP/1.1\r\nHost: motcua\r\n")
        sockets.append(sock)

    def drip():
        while not stop.is_set():
            for sock in sockets:
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass
            stop.wait(1)
        for sock in sockets:
            sock.close()

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    return thread


def phase_slow(port: int, args) -> None:
    from motcua.accounts.demo import DEMO_PASSWORD

    citizen = Session(port)
    citizen.get("/tai-khoan/login/")
    citizen.post("/tai-khoan/login/", {"username": "congdan", "password": DEMO_PASSWORD})
    if "sessionid" not in citizen.cookies:
        raise SystemExit("the demo citizen could not sign in")
    code = re.search(rb"/thu-tuc/([\d.]+)/", Session(port).get("/thu-tuc/")[1]).group(1).decode()
    pdf = blank_pdf(30)
    stop = threading.Event()
    load_average("before", "slow clients")
    dripper = slow_clients(port, args.slow, stop)
    prechecks = []
    for i in range(2):
        status, body = citizen.post_files(
            f"/ho-so/kiem-tra-truoc/{code}/", {}, {f"file{i}": (f"blank-{i}.pdf", pdf)}
        )
        prechecks.append(status == 200 and "/ket-qua/" in citizen.path)
    ms, failures = [], 0
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        t0 = time.perf_counter()
        try:
            status, _ = Session(port, timeout=30).get("/healthz")
            failures += status != 200
        except OSError:
            failures += 1
        ms.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.25)
    stop.set()
    dripper.join()
    load_average("after", "slow clients")
    figure(f"pre-checks started beside {args.slow} slow clients", sum(prechecks), "of 2")
    figure(f"healthz p50 with {args.slow} slow clients and 2 pre-checks", f"{percentile(ms, 50):.1f}", "ms")
    figure(f"healthz p95 with {args.slow} slow clients and 2 pre-checks", f"{percentile(ms, 95):.1f}", "ms")
    figure(f"healthz max with {args.slow} slow clients and 2 pre-checks", f"{max(ms):.1f}", "ms")
    figure(f"healthz not ok with {args.slow} slow clients and 2 pre-checks", failures, f"of {len(ms)}")


def phase_load(port: int, args) -> None:
    codes = sorted(set(re.findall(rb"/thu-tuc/([\d.]+)/", Session(port).get("/thu-tuc/")[1])))
    words = ["khai sinh", "ket hon", "đăng ký", "thường trú", "chứng thực", "dat dai"]
    timings: dict[str, list[float]] = {"home": [], "search": [], "procedure": [], "assistant": []}
    counts = {"requests": 0, "errors": 0, "limited": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def user(n: int):
        rng = random.Random(n)
        session = Session(port, address=f"127.0.1.{n + 1}")
        plan = ["home"] * 3 + ["search"] * 3 + ["procedure"] * 3 + ["assistant"]
        while time.monotonic() < deadline:
            page = rng.choice(plan)
            t0 = time.perf_counter()
            statuses = []
            try:
                if page == "home":
                    statuses.append(session.get("/")[0])
                elif page == "search":
                    statuses.append(session.get("/thu-tuc/?" + urlencode({"q": rng.choice(words)}))[0])
                elif page == "procedure":
                    statuses.append(session.get(f"/thu-tuc/{rng.choice(codes).decode()}/")[0])
                else:
                    statuses.append(session.get("/tro-ly/")[0])
                    statuses.append(session.post("/tro-ly/", {"question": rng.choice(QUESTIONS)})[0])
            except OSError:
                statuses.append(0)
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                counts["requests"] += len(statuses) + (page == "assistant")  # the POST's redirect
                counts["limited"] += sum(s == 429 for s in statuses)
                counts["errors"] += sum(not (200 <= s < 400) and s != 429 for s in statuses)
                timings[page].append(elapsed)
            time.sleep(rng.uniform(0, 0.5))

    load_average("before", "load")
    started = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    load_average("after", "load")
    label = f"{args.users} users"
    figure(f"load {label} requests per second", f"{counts['requests'] / elapsed:.1f}", "req/s")
    figure(f"load {label} errors", counts["errors"], f"of {counts['requests']}")
    figure(f"load {label} rate-limited", counts["limited"], f"of {counts['requests']}")
    for page, ms in timings.items():
        figure(f"load {label} {page} p50", f"{percentile(ms, 50):.0f}", "ms")
        figure(f"load {label} {page} p95", f"{percentile(ms, 95):.0f}", "ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30, help="length of each phase")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--slow", type=int, default=20, help="slow clients in phase 1")
    parser.add_argument("--port", type=int, default=8091)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="motcua-bench-serving-"))
    os.environ.update(MOTCUA_DATA_DIR=str(data), DATABASE_URL="", DJANGO_SETTINGS_MODULE="motcua.settings")
    import django

    django.setup()  # for the demo password only: every request goes through the site's sockets
    site = start_site(args.port, data)
    try:
        phase_slow(args.port, args)
        phase_load(args.port, args)
    finally:
        os.killpg(site.pid, signal.SIGTERM)
        try:
            site.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(site.pid, signal.SIGKILL)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()

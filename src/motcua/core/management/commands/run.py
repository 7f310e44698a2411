"""Start the web server and the task worker together, restart the worker when it dies, stop both
together (Ctrl+C or SIGTERM)."""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua import conf
from motcua.core import demo
from motcua.core.tasks.supervise import Supervised

# Seconds the worker is given to finish its task on shutdown; after that it is killed (the task is then
# retried by the next worker, see docs/operations.md).
STOP_TIMEOUT = 30


def gunicorn_command(host: str, port: int) -> list[str]:
    """gunicorn's asyncio ASGI worker: a slow client or a long request holds a coroutine, not a process,
    and the master restarts a worker whose event loop stops answering (--timeout). Body size and request
    time are capped in motcua.asgi; docs/production.md has the reverse proxy in front of it."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "motcua.asgi",
        "--worker-class",
        "asgi",
        "--asgi-lifespan",
        "off",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(conf.value("MOTCUA_WEB_WORKERS")),
        "--timeout",
        "60",
        "--access-logfile",
        "-",
        "--log-level",
        "warning",
    ]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "motcua.cli", "worker"]


class Command(BaseCommand):
    help = "Serve motcua (gunicorn, asyncio workers) with its task worker beside it (restarted when it dies)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=conf.value("MOTCUA_PORT"))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, port, host, **options):
        # The worker books the periodic jobs (deadline scan, retention) itself: see core.tasks.scheduler.
        worker = Supervised("task worker", worker_command())
        worker.start()
        web = subprocess.Popen(gunicorn_command(host, port))
        self.stdout.write(
            f"\nmotcua is running at http://{host}:{port}/  (admin: http://{host}:{port}/admin/)"
        )
        for line in demo.started_lines():
            self.stdout.write(line)
        self.stdout.write(f"data folder: {settings.DATA_DIR}   stop with Ctrl+C\n")
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        try:
            while not stopping and web.poll() is None:
                worker.watch()
                time.sleep(0.5)
        except KeyboardInterrupt:
            stopping.append(True)
        finally:
            if web.poll() is None:
                web.terminate()
            worker.stop(timeout=STOP_TIMEOUT)
            try:
                web.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                web.kill()
                web.wait()
        if not stopping:  # the web server stopped by itself
            self.stderr.write(f"the web server exited with code {web.returncode}")
            sys.exit(1)

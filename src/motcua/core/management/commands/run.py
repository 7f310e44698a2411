"""Start the web server and the task worker together, and stop both together."""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua import conf
from motcua.accounts.demo import DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "Serve motcua (gunicorn) with its task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=conf.value("MOTCUA_PORT"))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, port, host, **options):
        from motcua.dossiers.tasks import schedule_scan

        schedule_scan()  # the deadline scan then keeps itself scheduled every 10 minutes
        worker = subprocess.Popen([sys.executable, "-m", "motcua.cli", "worker"])
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "motcua.wsgi",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
            ]
        )
        self.stdout.write(
            f"\nmotcua is running at http://{host}:{port}/  (admin: http://{host}:{port}/admin/)"
        )
        self.stdout.write(f"demo accounts (password {DEMO_PASSWORD}):")
        for username, role, agency, _name in USERS:
            self.stdout.write(f"  {username:<11} {role.label}" + (f" — {agency}" if agency else ""))
        self.stdout.write(f"data folder: {settings.DATA_DIR}   stop with Ctrl+C\n")
        signal.signal(signal.SIGTERM, lambda *_: web.terminate())
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in (web, worker):
                process.terminate()
            for process in (web, worker):
                process.wait(timeout=20)

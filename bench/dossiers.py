"""Dossier benchmark: API intake, officials' queues over a million dossiers, the deadline engine.

    python bench/dossiers.py [--database-url URL] [--dossiers 1000000] [--intake 300] [--skip-bulk] [--keep]

SQLite runs in a throw-away data directory. With --database-url (PostgreSQL) the bench creates its own
database `motcua_bench` on that server and drops it at the end; with --keep it leaves it there and a
later --keep run reuses it (migrated, not reloaded) when it already holds the dossiers asked for. One
figure per line: `name: value unit`, the machine's 1-minute load average before and after each phase
among them; per-queue details and the query plans of slow queues go to stderr.
"""

from __future__ import annotations

import argparse
import datetime
import heapq
import json
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from bisect import bisect_left
from decimal import Decimal
from itertools import accumulate, islice
from urllib.parse import urlsplit

BENCH_DB = "motcua_bench"
TARGET_MS = 100  # p95 of a queue page with 1,000,000 dossiers on PostgreSQL
BUDGET_S = 240  # for timing the queue pages
BATCH = 50  # dossiers in one push, for the batch intake figure
CLIENTS = 2  # portals pushing at once, for the concurrent intake figure (one per web worker)
VN = datetime.timedelta(hours=7)  # Asia/Ho_Chi_Minh wall time = UTC + 7, no daylight saving
DAY, HOUR = datetime.timedelta(days=1), datetime.timedelta(hours=1)
# Share of the dossiers per agency: the three communes, then the departments.
AGENCIES = {"H99.X01": 20, "H99.X02": 20, "H99.X03": 20, "H99.STP": 8, "H99.SXD": 6}
AGENCIES |= {"H99.SNNMT": 8, "H99.SYT": 5, "H99.STC": 5, "H99.CAT": 8}
# National status code -> share: ~88% closed (10 returned, 3 refused, 7 withdrawn, 8 stopped),
# 1% processed awaiting return (9), ~10% open (1 submitted, 2 received, 4 processing, 5-6 paused).
STATUSES = {10: 82, 3: 3, 7: 2, 8: 2, 9: 1, 1: 2, 2: 1.5, 4: 5, 5: 1, 6: 0.5}
OPEN = (1, 2, 4, 5, 6)
RECENT = (*OPEN, 9)
CHANNELS = {"online": 60, "counter": 35, "post": 5}
RETURN_METHODS = {"counter": 6, "online": 3, "post": 1}
NAMES = (
    ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"],
    ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Thu"],
    ["An", "Bình", "Cường", "Dung", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Tâm"],
)
OFFICIALS = ["tiepnhan", "chuyenvien", "lanhdao"]  # reception, processing, leader of H99.X01


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def figure(name: str, value, unit: str) -> None:
    print(f"{name}: {value} {unit}", flush=True)


def load_average(when: str, phase: str) -> None:
    """The 1-minute load average: the timings mean little without it on a shared machine."""
    figure(f"load average {when} {phase}", f"{os.getloadavg()[0]:.2f}", "(1 min)")


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


_cumulative: dict[int, tuple[list, list]] = {}


def pick(rng: random.Random, table: dict):
    """A weighted choice from {value: weight}, the cumulative weights computed once per table."""
    keys, cum = _cumulative.setdefault(id(table), (list(table), list(accumulate(table.values()))))
    return rng.choices(keys, cum_weights=cum)[0]


def person(rng: random.Random) -> str:
    return " ".join(rng.choice(part) for part in NAMES)


def on_server(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="a PostgreSQL server (its database is untouched)")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--intake", type=int, default=300, help="dossiers pushed through the API")
    parser.add_argument("--rounds", type=int, default=30, help="times each queue is timed")
    parser.add_argument("--skip-bulk", action="store_true", help="only the API intake and deadline engine")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="PostgreSQL: keep the bench database at the end, and reuse it if a previous --keep run left one",
    )
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="motcua-bench-")
    url = args.database_url and urlsplit(args.database_url)._replace(path=f"/{BENCH_DB}").geturl()
    if url and not (args.keep and database_exists(args.database_url)):
        on_server(args.database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        on_server(args.database_url, f"CREATE DATABASE {BENCH_DB}")
    os.environ.update(MOTCUA_DATA_DIR=workdir, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="motcua.settings")
    try:
        run(args)
    finally:
        if url:
            from django.db import connections

            connections.close_all()
            if not args.keep:
                on_server(args.database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)


def database_exists(url: str) -> bool:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone() is not None


def run(args) -> None:
    started = time.perf_counter()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from motcua.accounts import demo as accounts_demo
    from motcua.catalogue import demo as catalogue_demo

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test clients' host name
    call_command("migrate", verbosity=0)
    accounts_demo.load()
    catalogue_demo.load()
    from motcua.dossiers.models import Dossier

    engine = connection.vendor
    # A kept database already loaded: its dossiers are reused, and this run's intake is removed again
    # afterwards so that every run times the queues over the same rows.
    reused = args.keep and engine == "postgresql" and Dossier.objects.count() >= args.dossiers
    last = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    load_average("before", "intake")
    intake(args.intake, engine)
    load_average("after", "intake")
    if reused:
        note(f"reusing the {args.dossiers} dossiers of {BENCH_DB}: bulk load skipped")
        Dossier.objects.filter(pk__gt=last).delete()
    if not args.skip_bulk:
        if not reused:
            bulk_load(args.dossiers, engine)
        load_average("before", "queues")
        queue_latency(args.dossiers, engine, args.rounds)
        load_average("after", "queues")
    deadline_rates()
    figure(
        "dossier bench peak memory", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", "MB"
    )
    figure(f"dossier bench wall time {engine}", f"{time.perf_counter() - started:.0f}", "s")


def pusher(seed: int):
    """A portal's API client (the reception officer's token) and the applications it pushes."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from motcua.accounts.models import User
    from motcua.catalogue.models import Procedure

    client = APIClient()
    token = Token.objects.get_or_create(user=User.objects.get(username="tiepnhan"))[0]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    codes = list(Procedure.objects.filter(agencies__code="H99.X01").values_list("code", flat=True))
    rng = random.Random(seed)

    def application(i: int) -> dict:
        return {
            "procedure": codes[i % len(codes)],
            "agency": "H99.X01",
            "applicant_name": person(rng),
            "applicant_id_number": f"{rng.randrange(10**12):012d}",
            "applicant_phone": "0912345678",
        }

    return client, application


def intake(count: int, engine: str) -> None:
    """Dossiers pushed by a portal through the whole Django + DRF request cycle, in-process: the figures
    exclude the network and gunicorn (no sockets, no HTTP parsing, no worker processes)."""
    client, application = pusher(0)
    ms = []
    for i in range(count + 3):  # the first three warm up (imports, URL resolver, connection)
        t0 = time.perf_counter()
        response = client.post("/api/v1/dossiers/", application(i), format="json")
        ms.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 201, response.content
    ms = ms[3:]
    figure(f"dossier intake via API {engine}", f"{len(ms) / (sum(ms) / 1000):.0f}", "dossiers/s")
    figure(f"dossier intake p95 {engine}", f"{percentile(ms, 95):.1f}", "ms")

    # The same dossiers pushed as a portal with a backlog does: a JSON array per request, each batch
    # validated in full and received in one transaction.
    batches, ms = [], []
    for i in range(max(count, BATCH) + BATCH):  # the first batch warms up; at least one is timed
        batches.append(application(i))
        if len(batches) == BATCH:
            t0 = time.perf_counter()
            response = client.post("/api/v1/dossiers/", batches, format="json")
            ms.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 201 and len(response.json()) == BATCH, response.content
            batches = []
    ms = ms[1:]
    rate = len(ms) * BATCH / (sum(ms) / 1000)
    figure(f"dossier intake via API in batches of {BATCH} {engine}", f"{rate:.0f}", "dossiers/s")
    figure(f"dossier intake batch of {BATCH} p95 {engine}", f"{percentile(ms, 95):.1f}", "ms")
    concurrent_intake(count, engine)


def concurrent_intake(count: int, engine: str, clients: int = CLIENTS) -> None:
    """Single-dossier pushes from `clients` processes at once, as the web workers of `motcua run`
    (MOTCUA_WEB_WORKERS, 2) take them: each its own Django, connection and transaction."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("spawn")  # a fresh interpreter each: no shared sockets
    ready, results = context.Barrier(clients + 1), context.Queue()
    each = max(count // clients, 10)
    workers = [context.Process(target=_push, args=(n + 1, each, ready, results)) for n in range(clients)]
    for worker in workers:
        worker.start()
    ready.wait()
    started = time.perf_counter()
    pushed = sum(results.get(timeout=600) for _ in workers)
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join()
    rate = pushed / elapsed
    figure(f"dossier intake via API {clients} concurrent clients {engine}", f"{rate:.0f}", "dossiers/s")


def _push(seed: int, count: int, ready, results) -> None:
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client, application = pusher(seed * 1_000_003)
    for i in range(3):  # warm up, untimed
        client.post("/api/v1/dossiers/", application(i), format="json")
    ready.wait()
    for i in range(count):
        response = client.post("/api/v1/dossiers/", application(i), format="json")
        assert response.status_code == 201, response.content
    results.put(count)


def reference_data():
    """Per agency, what its dossiers are filed under: (procedure, case, limit, unit, {role: first step})."""
    from motcua.catalogue.models import Procedure, ProcedureCase
    from motcua.dossiers import schedule

    options = []
    for procedure in Procedure.objects.prefetch_related("cases", "channels", "agencies"):
        cases = list(procedure.cases.all()) or [ProcedureCase.objects.create(procedure=procedure)]
        for case in cases:
            value, unit, _same_day = schedule.limit_for(procedure, case, "counter")
            steps = {step.role: step.pk for step in reversed(schedule.workflow(case, value, unit))}
            agencies = {agency.code for agency in procedure.agencies.all()}
            options.append(
                (agencies, (procedure.pk, case.pk, int(value or 5), unit or "working_days", steps))
            )
    every = [option for _agencies, option in options]
    return {code: [o for agencies, o in options if code in agencies] or every for code in AGENCIES}


class Generator:
    """Dossier rows as {attname: value}. Times are made in Vietnam wall time and come out as naive UTC:
    what Django stores on SQLite, and what PostgreSQL reads in the UTC sessions Django opens."""

    def __init__(self, agency_ids: dict[str, int], users: dict[str, int], calendar):
        self.rng, self.agency_ids, self.users = random.Random(1), agency_ids, users
        self.options = reference_data()
        self.now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0) + VN
        today = self.now.date()
        days = (today + d * DAY for d in range(-3 * 366 - 30, 2 * 366))
        self.workdays = [d for d in days if calendar.is_working_day(d)]  # holidays, make-up Saturdays
        self.today = bisect_left(self.workdays, today)
        self.first = bisect_left(self.workdays, today.replace(year=today.year - 3))

    def rows(self, count: int):
        """In the order a live database holds them, oldest first: the closed dossiers day by day over
        3 years, merged with the recent ones (open or awaiting return), made up front and sorted."""
        rng, when = self.rng, lambda row: row["submitted_at"]
        statuses = [pick(rng, STATUSES) for _ in range(count)]
        recent = [self.dossier(s, pick(rng, AGENCIES)) for s in statuses if s in RECENT]
        old = [s for s in statuses if s not in RECENT]
        days = sorted(rng.randint(self.first, self.today - 1) for _ in old)
        closed = (self.dossier(s, pick(rng, AGENCIES), day) for s, day in zip(old, days, strict=True))
        for n, row in enumerate(heapq.merge(closed, sorted(recent, key=when), key=when)):
            row["code"] = f"{row['code']}-{row['submitted_at']:%y%m%d}-{n:06d}"
            yield {k: v - VN if isinstance(v, datetime.datetime) else v for k, v in row.items()}

    def dossier(self, status: int, code: str, day: int | None = None) -> dict:
        rng = self.rng
        procedure, case, value, unit, steps = rng.choice(self.options[code])
        row = {"code": code, "procedure_id": procedure, "case_id": case, "status": status}
        row |= {"agency_id": self.agency_ids[code], "unit_id": self.agency_ids[code]}
        row |= {"channel": pick(rng, CHANNELS), "limit_value": Decimal(value), "limit_unit": unit}
        row |= {"applicant_name": person(rng), "applicant_id_number": f"{rng.randrange(10**12):012d}"}
        if ".X" in code and rng.random() < 0.01:  # boundary-free reception: handled by another commune
            row["unit_id"] = self.agency_ids[rng.choice(["H99.X01", "H99.X02", "H99.X03"])]
        if status == 1:
            row["submitted_at"] = self.now - rng.randrange(3 * 24 * 60) * DAY / 1440
            return row
        # Received on a working day before today, within working hours (never on a period boundary);
        # recent dossiers: 90% within their limit, the rest overdue.
        if day is None:
            limit = value if unit == "working_days" else value * 5 // 7 + 1
            back = rng.randint(1, limit) if rng.random() < 0.9 else rng.randint(limit + 1, 120)
            day = self.today - back
        minute = rng.randrange(480) + 0.5  # 07:00-11:30, 13:30-17:00
        received = datetime.datetime.combine(self.workdays[day], datetime.time(7))
        received += (minute + (120 if minute > 270 else 0)) * DAY / 1440
        if unit == "working_days":  # N working days later at the same time: what deadlines.due_date says
            due = received + (self.workdays[day + value] - self.workdays[day])
        else:  # calendar days; a due date on a day off moves to the next working morning
            due = received + value * DAY
            landing = self.workdays[bisect_left(self.workdays, due.date())]
            due = due if landing == due.date() else datetime.datetime.combine(landing, datetime.time(7))
        row |= {"submitted_at": received - rng.random() * DAY, "received_at": received, "due_at": due}
        row["received_by_id"] = self.users["tiepnhan"] if code == "H99.X01" else None
        if status in OPEN:
            self.in_workflow(row, status, steps)
        else:
            self.closed(row, status)
        return row

    def closed(self, row: dict, status: int) -> None:
        rng, now, received, span = self.rng, self.now, row["received_at"], row["due_at"] - row["received_at"]
        if status in (9, 10):  # about 12% finish late
            row["processing_ended_at"] = min(received + span * rng.uniform(0.2, 1.15), now)
        if status == 10:
            returned = min(row["processing_ended_at"] + rng.uniform(0, 48) * HOUR, now)
            row |= {
                "returned_at": returned,
                "closed_at": returned,
                "return_method": pick(rng, RETURN_METHODS),
            }
            row["supplement_requests"] = int(rng.random() < 0.05)
        elif status == 3:  # refused at the desk: never received
            row |= {"received_at": None, "due_at": None, "closed_at": received, "received_by_id": None}
        elif status in (7, 8):
            row["closed_at"] = min(received + span * rng.random(), now)

    def in_workflow(self, row: dict, status: int, steps: dict) -> None:
        """The current step, since when, and who has it (only H99.X01 has officials to assign)."""
        rng, received = self.rng, row["received_at"]
        role = {2: "reception", 4: "leader" if rng.random() < 0.3 else "processing"}.get(status, "processing")
        row |= {
            "step_id": steps.get(role),
            "step_started_at": received + (self.now - received) * rng.random(),
        }
        if role != "reception" and row["unit_id"] == self.agency_ids["H99.X01"] and rng.random() < 0.6:
            row["assignee_id"] = self.users["chuyenvien" if role == "processing" else "lanhdao"]
        if status in (5, 6):
            row |= {"previous_status": 4, "supplement_requests": int(status == 5)}
            row["supplement_due_at"] = self.now + rng.randint(1, 15) * DAY if status == 5 else None


def bulk_load(count: int, engine: str) -> None:
    from django.db import connection, transaction

    from motcua.accounts.models import Agency, User
    from motcua.dossiers import schedule
    from motcua.dossiers.models import Dossier

    year = datetime.date.today().year
    calendar = schedule.calendar_for(Agency.objects.get(code="H99.X01"), years=range(year - 4, year + 3))
    agency_ids = dict(Agency.objects.filter(code__in=AGENCIES).values_list("code", "pk"))
    users = dict(User.objects.filter(username__in=OFFICIALS).values_list("username", "pk"))
    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    defaults = [(f.attname, f.get_default()) for f in fields]
    defaults = [(name, json.dumps(d) if isinstance(d, dict | list) else d) for name, d in defaults]
    table, quote = Dossier._meta.db_table, connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    generator = Generator(agency_ids, users, calendar)
    rows = ([row.get(name, default) for name, default in defaults] for row in generator.rows(count))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Secondary indexes are dropped during the load and built once at the end (the unique code stays).
        if engine == "postgresql":
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [table],
            )
        else:
            sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL"
            cursor.execute(sql, [table])
        indexes = cursor.fetchall()
        for index, _sql in indexes:
            cursor.execute(f"DROP INDEX {quote(index)}")
        while batch := list(islice(rows, 50_000)):
            with transaction.atomic():
                if engine == "postgresql":  # COPY: the fastest way in
                    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in batch:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * len(fields))
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
        for _index, sql in indexes:
            cursor.execute(sql)
        figure(f"dossier bulk load {engine} {count} dossiers", f"{time.perf_counter() - started:.1f}", "s")
        started = time.perf_counter()
        # On PostgreSQL VACUUM too, as autovacuum soon would: the visibility map makes index-only scans.
        cursor.execute(f"VACUUM (ANALYZE) {table}" if engine == "postgresql" else "ANALYZE")
        figure(f"dossier analyze {engine}", f"{time.perf_counter() - started:.1f}", "s")
    figure(f"dossiers open {engine}", Dossier.objects.filter(status__in=OPEN).count(), "dossiers")


def queue_latency(count: int, engine: str, rounds: int) -> None:
    """First page of each queue (25 rows and the paginator's count), built as `views.workspace` does."""
    from django.test import Client

    from motcua.accounts.models import User
    from motcua.dossiers import queues

    officials = [User.objects.get(username=username) for username in OFFICIALS]

    def first_page(user, name):
        page = queues.CappedPaginator(queues.queue(user, name), 25).get_page(None)
        return list(page.object_list), page.paginator.count

    timings = {(user, name): [] for user in officials for name in queues.QUEUES}
    sizes = {}
    for round_ in range(rounds + 1):  # round 0 warms the caches and is not counted
        lap = time.perf_counter()
        for (user, name), ms in timings.items():
            t0 = time.perf_counter()
            sizes[user.username, name] = first_page(user, name)[1]
            if round_:
                ms.append((time.perf_counter() - t0) * 1000)
        if not round_:  # fewer rounds (5 at least) when the queries are so slow they would stall the run
            rounds = min(rounds, max(5, int(BUDGET_S / (time.perf_counter() - lap))))
            note(f"{rounds} rounds of {len(timings)} queue pages")
    every = [t for ms in timings.values() for t in ms]
    figure(f"officials queue list p50 {engine} {count} dossiers", f"{statistics.median(every):.1f}", "ms")
    figure(f"officials queue list p95 {engine} {count} dossiers", f"{percentile(every, 95):.1f}", "ms")
    for (user, name), ms in timings.items():
        note(
            f"queue {user.username}/{name} ({sizes[user.username, name]} dossiers): p50 "
            f"{statistics.median(ms):.1f} ms, p95 {percentile(ms, 95):.1f} ms"
        )
    # The plans of each queue slower than the target (for its slowest official), else of the slowest.
    slowest = {}
    for (user, name), ms in sorted(timings.items(), key=lambda item: -percentile(item[1], 95)):
        if name not in slowest and (percentile(ms, 95) > TARGET_MS or not slowest):
            slowest[name] = user
    for name, user in slowest.items():
        explain(user, name, first_page, engine)

    client = Client()
    client.force_login(officials[1])
    ms = []
    for _ in range(rounds + 1):
        t0 = time.perf_counter()
        assert client.get("/can-bo/", {"queue": "process"}).status_code == 200
        ms.append((time.perf_counter() - t0) * 1000)
    ms = ms[1:]
    figure(f"officials workspace page p50 {engine} {count} dossiers", f"{statistics.median(ms):.1f}", "ms")
    figure(f"officials workspace page p95 {engine} {count} dossiers", f"{percentile(ms, 95):.1f}", "ms")


def explain(user, name, first_page, engine) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        first_page(user, name)
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if engine == "postgresql" else "EXPLAIN QUERY PLAN "
    note(f"\n== plan of queue {name} for {user.username}")
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute(prefix + query["sql"])
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            sql = re.sub(r"^SELECT .{60,}? FROM ", "SELECT … FROM ", query["sql"])  # the columns elided
            note(f"-- {float(query['time']) * 1000:.0f} ms\n{sql}\n{plan}\n")


def deadline_rates(count: int = 20_000) -> None:
    """`deadlines.due_date` alone: pure CPU over a 3-year Vietnamese calendar, no database."""
    from motcua.dossiers import deadlines

    year = datetime.date.today().year
    calendar = deadlines.vietnam_calendar(range(year - 1, year + 2))
    rng, start = random.Random(2), datetime.datetime(year - 1, 1, 1, tzinfo=deadlines.VIETNAM)
    limits = [(n, "working_days") for n in (1, 3, 5, 7, 10, 20)] + [(4, "hours"), (15, "days"), (1, "months")]
    receptions = [(start + rng.randrange(600 * 1440) * DAY / 1440, *rng.choice(limits)) for _ in range(count)]
    t0 = time.perf_counter()
    for received, value, unit in receptions:
        deadlines.due_date(received, value, unit, calendar)
    figure("deadline computations", f"{count / (time.perf_counter() - t0):.0f}", "per s")

    paused = []
    for received, value, unit in receptions:
        pause = received + rng.uniform(1, 48) * HOUR
        paused.append((received, value, unit, [(pause, pause + rng.uniform(2, 120) * HOUR)]))
    t0 = time.perf_counter()
    for received, value, unit, pauses in paused:
        deadlines.due_date(received, value, unit, calendar, pauses=pauses, extensions=[(5, "working_days")])
    rate = count / (time.perf_counter() - t0)
    figure("deadline computations with pause and extension", f"{rate:.0f}", "per s")


if __name__ == "__main__":
    main()

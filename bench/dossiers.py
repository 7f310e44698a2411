"""Dossier benchmark: API intake, officials' queues over a million dossiers, the deadline engine.

    python bench/dossiers.py [--database-url URL] [--dossiers 1000000] [--intake 300] [--skip-bulk]

SQLite runs in a throw-away data directory. With --database-url (PostgreSQL) the bench creates its own
database `motcua_bench` on that server and drops it at the end. One figure per line: `name: value unit`;
query plans and per-queue details go to stderr.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
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
VN = datetime.timedelta(hours=7)  # Asia/Ho_Chi_Minh wall time = UTC + 7, no daylight saving
AGENCIES = {
    "H99.X01": 20,
    "H99.X02": 20,
    "H99.X03": 20,
    "H99.STP": 8,
    "H99.SXD": 6,  # share of dossiers
    "H99.SNNMT": 8,
    "H99.SYT": 5,
    "H99.STC": 5,
    "H99.CAT": 8,
}
# National status code -> share: ~88% closed (10 returned, 3 refused, 7 withdrawn, 8 stopped),
# 1% processed awaiting return (9), ~10% open (1 submitted, 2 received, 4 processing, 5/6 paused).
STATUSES = {10: 82, 3: 3, 7: 2, 8: 2, 9: 1, 1: 2, 2: 1.5, 4: 5, 5: 1, 6: 0.5}
CHANNELS = {"online": 60, "counter": 35, "post": 5}
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


def pick(rng: random.Random, table: dict):
    """A weighted choice from {value: weight}, with the cumulative weights computed once per table."""
    keys, cum = _cumulative.setdefault(id(table), (list(table), list(accumulate(table.values()))))
    return rng.choices(keys, cum_weights=cum)[0]


_cumulative: dict[int, tuple[list, list]] = {}


def on_server(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="", help="a PostgreSQL server (its own database is left alone)"
    )
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--intake", type=int, default=300, help="dossiers pushed through the API")
    parser.add_argument("--rounds", type=int, default=30, help="times each queue is timed")
    parser.add_argument(
        "--skip-bulk", action="store_true", help="only the API intake and the deadline engine"
    )
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="motcua-bench-")
    url = args.database_url and urlsplit(args.database_url)._replace(path=f"/{BENCH_DB}").geturl()
    if url:
        on_server(args.database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        on_server(args.database_url, f"CREATE DATABASE {BENCH_DB}")
    os.environ.update(MOTCUA_DATA_DIR=workdir, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="motcua.settings")
    try:
        run(args)
    finally:
        if url:
            from django.db import connections

            connections.close_all()
            on_server(args.database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)


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
    engine = connection.vendor
    intake(args.intake, engine)
    if not args.skip_bulk:
        bulk_load(args.dossiers, engine)
        queue_latency(args.dossiers, engine, args.rounds)
    deadline_rates()
    figure(
        "dossier bench peak memory", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", "MB"
    )
    figure(f"dossier bench wall time {engine}", f"{time.perf_counter() - started:.0f}", "s")


def intake(count: int, engine: str) -> None:
    """Dossiers pushed by a portal through the whole Django/DRF request cycle, in-process: the figures
    exclude the network and gunicorn (no sockets, no HTTP parsing, no worker processes)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from motcua.accounts.models import User
    from motcua.catalogue.models import Procedure

    client = APIClient()
    token = Token.objects.get_or_create(user=User.objects.get(username="tiepnhan"))[0]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    codes = list(Procedure.objects.filter(agencies__code="H99.X01").values_list("code", flat=True))
    rng, ms = random.Random(0), []
    for i in range(count + 3):  # the first three warm up (imports, URL resolver, connection)
        payload = {
            "procedure": codes[i % len(codes)],
            "agency": "H99.X01",
            "applicant_name": name(rng),
            "applicant_id_number": f"{rng.randrange(10**12):012d}",
            "applicant_phone": "0912345678",
        }
        t0 = time.perf_counter()
        response = client.post("/api/v1/dossiers/", payload, format="json")
        ms.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 201, response.content
    ms = ms[3:]
    figure(f"dossier intake via API {engine}", f"{len(ms) / (sum(ms) / 1000):.0f}", "dossiers/s")
    figure(f"dossier intake p95 {engine}", f"{percentile(ms, 95):.1f}", "ms")


def name(rng: random.Random) -> str:
    return " ".join(rng.choice(part) for part in NAMES)


def reference_data():
    """What dossiers are filed under: per agency, (procedure id, case id, limit, first step id per role)."""
    from motcua.accounts.models import User
    from motcua.catalogue.models import Procedure, ProcedureCase
    from motcua.dossiers import schedule

    options = []
    for procedure in Procedure.objects.prefetch_related("cases", "channels", "agencies"):
        for case in list(procedure.cases.all()) or [
            ProcedureCase.objects.create(procedure=procedure, name="")
        ]:
            value, unit, _same_day = schedule.limit_for(procedure, case, "counter")
            steps = {step.role: step.pk for step in reversed(schedule.workflow(case, value, unit))}
            agencies = {agency.code for agency in procedure.agencies.all()}
            options.append((agencies, procedure.pk, case.pk, int(value or 5), unit or "working_days", steps))
    by_agency = {
        code: [o[1:] for o in options if code in o[0]] or [o[1:] for o in options] for code in AGENCIES
    }
    users = dict(User.objects.filter(username__in=OFFICIALS).values_list("username", "pk"))
    return by_agency, users


def generate(count: int, agency_ids: dict[str, int], by_agency, users, calendar):
    """Dossier rows as {attname: value}, in Vietnam wall time until the end, where it becomes naive UTC
    (what Django stores on SQLite; PostgreSQL sessions opened by Django are in UTC)."""
    rng = random.Random(1)
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0) + VN
    today = now.date()
    days = [today + datetime.timedelta(d) for d in range(-3 * 366 - 30, 2 * 366)]
    workdays = [d for d in days if calendar.is_working_day(d)]  # public holidays and make-up Saturdays
    pos_today, pos_first = (
        bisect_left(workdays, today),
        bisect_left(workdays, today.replace(year=today.year - 3)),
    )
    communes = [c for c in AGENCIES if ".X" in c]
    x01 = agency_ids["H99.X01"]
    for n in range(count):
        status, code = pick(rng, STATUSES), pick(rng, AGENCIES)
        procedure, case, value, unit, steps = rng.choice(by_agency[code])
        limit = value if unit == "working_days" else value * 5 // 7 + 1  # in working days, roughly
        row = {
            "procedure_id": procedure,
            "case_id": case,
            "agency_id": agency_ids[code],
            "status": status,
            "channel": pick(rng, CHANNELS),
            "applicant_name": name(rng),
            "limit_value": Decimal(value),
            "applicant_id_number": f"{rng.randrange(10**12):012d}",
            "limit_unit": unit,
        }
        row["unit_id"] = row["agency_id"]
        if code in communes and rng.random() < 0.01:  # boundary-free reception: handled by another commune
            row["unit_id"] = agency_ids[rng.choice(communes)]
        recent = status in (1, 2, 4, 5, 6, 9)
        if status == 1:
            row["submitted_at"] = now - datetime.timedelta(minutes=rng.randrange(3 * 24 * 60))
        else:
            back = rng.randint(0, limit + 1) if rng.random() < 0.95 else rng.randint(limit, 120)
            day = pos_today - back if recent else rng.randint(pos_first, pos_today - 1)
            minute = rng.randrange(480)  # 07:00-11:30 and 13:30-17:00
            received = datetime.datetime.combine(workdays[day], datetime.time(7)) + datetime.timedelta(
                minutes=minute + (120 if minute >= 270 else 0)
            )
            received = min(received, now - datetime.timedelta(minutes=5))
            if unit == "working_days":  # N working days later at the same clock time (the engine's answer)
                due = received + (workdays[day + value] - workdays[day])
            else:  # calendar days; a due date on a day off moves to the next working morning
                due = received + datetime.timedelta(days=value)
                landing = workdays[bisect_left(workdays, due.date())]
                due = due if landing == due.date() else datetime.datetime.combine(landing, datetime.time(7))
            row.update(
                submitted_at=received - datetime.timedelta(minutes=rng.randrange(24 * 60)),
                received_at=received,
                due_at=due,
                received_by_id=users["tiepnhan"] if code == "H99.X01" else None,
            )
            span = due - received
            if status in (9, 10):
                row["processing_ended_at"] = min(received + span * rng.uniform(0.2, 1.15), now)
            if status == 10:
                row["returned_at"] = min(
                    row["processing_ended_at"] + datetime.timedelta(hours=rng.uniform(0, 48)), now
                )
                row.update(
                    closed_at=row["returned_at"],
                    return_method=pick(rng, {"counter": 6, "online": 3, "post": 1}),
                )
                row["supplement_requests"] = int(rng.random() < 0.05)
            elif status == 3:  # refused at the desk: never received
                row.update(received_at=None, due_at=None, closed_at=received, received_by_id=None)
            elif status in (7, 8):
                row["closed_at"] = min(received + span * rng.random(), now)
            elif status != 9:  # open: where it is in the workflow, and who has it
                role = (
                    "reception"
                    if status == 2
                    else "leader"
                    if status == 4 and rng.random() < 0.3
                    else "processing"
                )
                row.update(
                    step_id=steps.get(role), step_started_at=received + (now - received) * rng.random()
                )
                mine = row["unit_id"] == x01 and rng.random() < 0.6
                row["assignee_id"] = (
                    users["chuyenvien" if role == "processing" else "lanhdao"]
                    if mine and role != "reception"
                    else None
                )
                if status in (5, 6):
                    row.update(
                        previous_status=4,
                        supplement_requests=int(status == 5),
                        supplement_due_at=now + datetime.timedelta(days=rng.randint(1, 15))
                        if status == 5
                        else None,
                    )
        row["code"] = f"{code}-{row['submitted_at']:%y%m%d}-{n:06d}"
        yield {k: v - VN if isinstance(v, datetime.datetime) else v for k, v in row.items()}


def bulk_load(count: int, engine: str) -> None:
    from django.db import connection, transaction

    from motcua.accounts.models import Agency
    from motcua.dossiers import schedule
    from motcua.dossiers.models import Dossier

    agency_ids = dict(Agency.objects.filter(code__in=AGENCIES).values_list("code", "pk"))
    by_agency, users = reference_data()
    calendar = schedule.calendar_for(
        Agency.objects.get(code="H99.X01"),
        years=range(datetime.date.today().year - 4, datetime.date.today().year + 3),
    )
    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    defaults = [
        (f.attname, json.dumps(d) if isinstance(d := f.get_default(), dict | list) else d) for f in fields
    ]
    table, quote = Dossier._meta.db_table, connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    rows = (
        [row.get(attname, default) for attname, default in defaults]
        for row in generate(count, agency_ids, by_agency, users, calendar)
    )
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
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
        indexes = cursor.fetchall()
        for index, _sql in indexes:
            cursor.execute(f"DROP INDEX {quote(index)}")
        while batch := list(islice(rows, 50_000)):
            with transaction.atomic():
                if engine == "postgresql":  # COPY: the fastest way in, one stream per batch
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
        # PostgreSQL: VACUUM as well, as autovacuum would after a load (visibility map for index-only scans).
        cursor.execute(f"VACUUM (ANALYZE) {table}" if engine == "postgresql" else "ANALYZE")
        figure(f"dossier analyze {engine}", f"{time.perf_counter() - started:.1f}", "s")
    open_count = Dossier.objects.filter(status__in=(1, 2, 4, 5, 6)).count()
    figure(f"dossiers open {engine}", open_count, "dossiers")


def queue_latency(count: int, engine: str, rounds: int) -> None:
    """First page of each queue (25 rows and the paginator's count), as `views.workspace` builds it."""
    from django.core.paginator import Paginator
    from django.test import Client

    from motcua.accounts.models import User
    from motcua.dossiers import queues

    officials = [User.objects.get(username=username) for username in OFFICIALS]

    def first_page(user, name):
        page = Paginator(queues.queue(user, name), 25).get_page(None)
        return list(page.object_list), page.paginator.count

    timings = {(user, name): [] for user in officials for name in queues.QUEUES}
    for round_ in range(rounds + 1):  # round 0 warms the caches and is not counted
        for (user, name), ms in timings.items():
            t0 = time.perf_counter()
            _rows, total = first_page(user, name)
            if round_:
                ms.append((time.perf_counter() - t0) * 1000)
            elif user.username == OFFICIALS[0]:
                print(f"queue {name}: {total} dossiers", file=sys.stderr)
    every = [t for ms in timings.values() for t in ms]
    figure(f"officials queue list p50 {engine} {count} dossiers", f"{statistics.median(every):.1f}", "ms")
    figure(f"officials queue list p95 {engine} {count} dossiers", f"{percentile(every, 95):.1f}", "ms")
    for (user, name), ms in sorted(timings.items(), key=lambda item: -percentile(item[1], 95))[:5]:
        print(
            f"slow queue {user.username}/{name}: p50 {statistics.median(ms):.1f} ms, "
            f"p95 {percentile(ms, 95):.1f} ms",
            file=sys.stderr,
        )
    explain(*max(timings, key=lambda key: percentile(timings[key], 95)), first_page, engine)

    client = Client()
    client.force_login(officials[1])
    ms = []
    for round_ in range(rounds + 1):
        t0 = time.perf_counter()
        response = client.get("/can-bo/", {"queue": "process"})
        assert response.status_code == 200, response.status_code
        ms.append((time.perf_counter() - t0) * 1000)
    figure(
        f"officials workspace page p50 {engine} {count} dossiers", f"{statistics.median(ms[1:]):.1f}", "ms"
    )
    figure(f"officials workspace page p95 {engine} {count} dossiers", f"{percentile(ms[1:], 95):.1f}", "ms")


def explain(user, name, first_page, engine) -> None:
    """The plans of the slowest queue's queries, to stderr, to see which index is missing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        first_page(user, name)
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if engine == "postgresql" else "EXPLAIN QUERY PLAN "
    print(f"\n== slowest queue: {user.username}/{name}", file=sys.stderr)
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute(prefix + query["sql"])
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            print(f"-- {float(query['time']) * 1000:.1f} ms\n{query['sql']}\n{plan}\n", file=sys.stderr)


def deadline_rates(count: int = 20_000) -> None:
    """`deadlines.due_date` alone: pure CPU over a 3-year Vietnamese calendar, no database."""
    from motcua.dossiers import deadlines

    year = datetime.date.today().year
    calendar = deadlines.vietnam_calendar(range(year - 1, year + 2))
    rng, start = random.Random(2), datetime.datetime(year - 1, 1, 1, tzinfo=deadlines.VIETNAM)
    limits = [
        (1, "working_days"),
        (3, "working_days"),
        (5, "working_days"),
        (7, "working_days"),
        (10, "working_days"),
        (20, "working_days"),
        (4, "hours"),
        (15, "days"),
        (1, "months"),
    ]
    receptions = [
        (start + datetime.timedelta(minutes=rng.randrange(600 * 24 * 60)), *rng.choice(limits))
        for _ in range(count)
    ]
    t0 = time.perf_counter()
    for received, value, unit in receptions:
        deadlines.due_date(received, value, unit, calendar)
    figure("deadline computations", f"{count / (time.perf_counter() - t0):.0f}", "per s")

    paused = []
    for received, value, unit in receptions:
        pause = received + datetime.timedelta(hours=rng.uniform(1, 48))
        paused.append(
            (received, value, unit, [(pause, pause + datetime.timedelta(hours=rng.uniform(2, 120)))])
        )
    t0 = time.perf_counter()
    for received, value, unit, pauses in paused:
        deadlines.due_date(received, value, unit, calendar, pauses=pauses, extensions=[(5, "working_days")])
    figure(
        "deadline computations with pause and extension", f"{count / (time.perf_counter() - t0):.0f}", "per s"
    )


if __name__ == "__main__":
    main()

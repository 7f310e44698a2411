"""Catalogue benchmark: import of the national export, search latency, peak memory.

    python bench/catalogue.py ../shared/data/procedures/dvc_procedures_6ministries.jsonl [--database-url URL]

Runs against a throw-away SQLite database (or the given PostgreSQL database, which it empties) and
prints one figure per line as `name: value unit`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Colloquial and formal queries, with and without diacritics, as citizens type them.
QUERIES = [
    "đăng ký khai sinh",
    "dang ky khai sinh",
    "làm giấy khai sinh cho con",
    "đăng ký kết hôn",
    "dang ky ket hon",
    "cấp căn cước",
    "dang ky thuong tru",
    "đăng ký tạm trú",
    "giấy phép xây dựng nhà ở",
    "chứng thực bản sao",
    "đăng ký hộ kinh doanh",
    "cap giay chung nhan quyen su dung dat",
    "trợ cấp xã hội hàng tháng",
    "lý lịch tư pháp",
    "khai tử",
    "xác nhận tình trạng hôn nhân",
    "cấp đổi giấy phép lái xe",
    "đăng ký xe máy",
    "thuế thu nhập cá nhân",
    "bảo hiểm xã hội một lần",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rounds", type=int, default=10, help="times each query is repeated")
    args = parser.parse_args()
    if not args.path.exists():
        sys.exit(f"no such file: {args.path} (the national export lives in ../shared/data/procedures/)")

    workdir = tempfile.mkdtemp(prefix="motcua-bench-")
    os.environ.update(
        MOTCUA_DATA_DIR=workdir, DATABASE_URL=args.database_url, DJANGO_SETTINGS_MODULE="motcua.settings"
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from motcua.catalogue import search, services
    from motcua.catalogue.importers.dvc import import_file
    from motcua.catalogue.models import Procedure

    call_command("migrate", verbosity=0)
    if args.database_url:
        Procedure.objects.all().delete()
    engine = connection.vendor
    records = sum(1 for _ in args.path.open(encoding="utf-8"))

    report = import_file(args.path)
    print(f"catalogue import {engine} {records} records: {report.seconds:.1f} s")
    print(f"catalogue imported {engine}: {report.imported} records")
    started = time.perf_counter()
    indexed = search.rebuild()
    seconds = time.perf_counter() - started
    print(f"catalogue index build {indexed} procedures: {seconds:.2f} s")
    size = sum(f.stat().st_size for f in Path(search.index_dir()).rglob("*") if f.is_file())
    print(f"catalogue index size: {size / 1e6:.1f} MB")

    names = list(Procedure.objects.order_by("?").values_list("name", flat=True)[:80])
    queries = QUERIES + [" ".join(name.split()[:6]) for name in names]
    index_ms, page_ms = [], []
    for _ in range(args.rounds):
        for text in queries:
            t0 = time.perf_counter()
            search.search(text)
            t1 = time.perf_counter()
            list(services.find(text)[:20])
            t2 = time.perf_counter()
            index_ms.append((t1 - t0) * 1000)
            page_ms.append((t2 - t1) * 1000)
    n = len(index_ms)
    print(f"catalogue search index p50 {indexed} procedures: {statistics.median(index_ms):.2f} ms")
    print(f"catalogue search index p95 {indexed} procedures: {percentile(index_ms, 95):.2f} ms")
    print(f"catalogue search with filters+rows p50 {engine}: {statistics.median(page_ms):.2f} ms")
    print(f"catalogue search with filters+rows p95 {engine}: {percentile(page_ms, 95):.2f} ms")
    print(f"catalogue search queries timed: {n} queries")
    first = {text: (services.find(text) or [None])[0] for text in ("đăng ký khai sinh", "dang ky khai sinh")}
    for text, hit in first.items():
        print(
            f"catalogue search top hit '{text}': {hit.code if hit else '-'} {json.dumps(hit.name if hit else '', ensure_ascii=False)}"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"catalogue bench peak memory: {peak_mb:.0f} MB")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

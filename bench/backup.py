"""Backup and restore times: the demo, and 100,000 dossiers with their files.

    python bench/backup.py [--database-url URL] [--demo-dossiers 100] [--dossiers 100000] [--files 2000]

In a throw-away data folder on SQLite; with --database-url (PostgreSQL) in two databases of its own on that
server (`motcua_bench_backup`, `motcua_bench_restore`), dropped at the end. It times what `motcua backup`
and `motcua restore` run (without the command's start-up): an archive encrypted with a passphrase, then a
restore into an empty data folder and database, every checksum verified. The bulk dossiers come from
bench/dossiers.py's loader, and --files attachments of random bytes (incompressible, like scans) stand for
the uploads. One figure per line: `name: value unit`. The default run is the demo only (a minute or so).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from dossiers import bulk_load, figure, note, on_server

SOURCE_DB, TARGET_DB = "motcua_bench_backup", "motcua_bench_restore"
PASSPHRASE = "bench passphrase, not a secret"


def load_average() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="a PostgreSQL server (its database is untouched)")
    parser.add_argument("--demo-dossiers", type=int, default=100, help="demo dossiers (walked, signed)")
    parser.add_argument(
        "--dossiers", type=int, default=0, help="bulk dossiers for the large figure (0: none)"
    )
    parser.add_argument("--files", type=int, default=2000, help="attachments added with the bulk dossiers")
    parser.add_argument("--file-kb", type=int, default=100, help="size of each of those attachments")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-backup-"))
    urls = {}
    if args.database_url:
        for name in (SOURCE_DB, TARGET_DB):
            urls[name] = urlsplit(args.database_url)._replace(path=f"/{name}").geturl()
            on_server(args.database_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            on_server(args.database_url, f"CREATE DATABASE {name}")
    os.environ.update(
        MOTCUA_DATA_DIR=str(workdir / "source"),
        DATABASE_URL=urls.get(SOURCE_DB, ""),
        MOTCUA_EMBEDDER="none",
        DJANGO_SETTINGS_MODULE="motcua.settings",
    )
    try:
        run(args, workdir, urls)
    finally:
        if urls:
            from django.db import connections

            connections.close_all()
            for name in urls:
                on_server(args.database_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path, urls: dict) -> None:
    import time

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from motcua.accounts import demo as accounts_demo
    from motcua.catalogue import demo as catalogue_demo
    from motcua.core.backends import agency_signer
    from motcua.core.backup import Secret
    from motcua.dossiers import demo as dossiers_demo

    call_command("migrate", verbosity=0)
    accounts_demo.load()
    catalogue_demo.load()
    agency_signer()
    started = time.perf_counter()
    made = dossiers_demo.load(args.demo_dossiers)
    note(f"{made} demo dossiers made in {time.perf_counter() - started:.0f} s")
    engine, secret = connection.vendor, Secret.passphrase(PASSPHRASE)
    figure("backup bench load average at start", load_average(), "(1 min)")
    measure("demo", engine, secret, workdir, urls, args.database_url)
    if args.dossiers:
        bulk_load(args.dossiers, engine)
        add_files(args.files, args.file_kb * 1024)
        measure(f"{args.dossiers // 1000}k dossiers", engine, secret, workdir, urls, args.database_url)
    figure("backup bench load average at end", load_average(), "(1 min)")


def add_files(count: int, size: int) -> None:
    """`count` attachments of random bytes on the oldest dossiers, written as uploads are."""
    from django.conf import settings

    from motcua.dossiers.models import Attachment, Dossier

    folder = Path(settings.MEDIA_ROOT) / "dossiers" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    dossiers = list(Dossier.objects.order_by("pk").values_list("pk", flat=True)[:count])
    rows = []
    for n in range(count):
        body = b"%PDF-1.4\n" + os.urandom(size - 9)
        (folder / f"{n:06d}.pdf").write_bytes(body)
        rows.append(
            Attachment(
                dossier_id=dossiers[n % len(dossiers)],
                file=f"dossiers/bench/{n:06d}.pdf",
                name=f"{n:06d}.pdf",
                content_type="application/pdf",
                size=size,
                sha256=hashlib.sha256(body).hexdigest(),
            )
        )
    Attachment.objects.bulk_create(rows, batch_size=1000)
    note(f"{count} attachments of {size // 1024} KB written")


def measure(label: str, engine: str, secret, workdir: Path, urls: dict, server: str) -> None:
    import dj_database_url

    from motcua.core.backup import Site, create_backup, restore_backup

    result = create_backup(workdir / "archives", secret=secret)
    figure(f"backup {label} ({engine})", f"{result.seconds:.1f}", "s")
    figure(f"backup archive {label} ({engine})", f"{result.size / 1e6:.1f}", "MB")
    figure(f"backup files {label} ({engine})", result.files - 1, "files")
    figure(f"backup rate {label} ({engine})", f"{result.size / 1e6 / result.seconds:.0f}", "MB/s")
    assert not result.missing, result.missing[:3]

    target_dir = workdir / "restored"
    if urls:
        target_db = dj_database_url.parse(urls[TARGET_DB])
    else:
        target_db = {"ENGINE": "django.db.backends.sqlite3", "NAME": target_dir / "motcua.sqlite3"}
    target = Site(target_dir, target_dir / "media", target_dir / "index", target_db)
    restored = restore_backup(result.path, secret=secret, site=target)
    figure(f"restore {label} ({engine})", f"{restored.seconds:.1f}", "s")
    assert restored.files == result.files, (restored.files, result.files)

    shutil.rmtree(target_dir)
    result.path.unlink()
    if urls:  # the next restore goes into an empty database again
        on_server(server, f"DROP DATABASE IF EXISTS {TARGET_DB} WITH (FORCE)")
        on_server(server, f"CREATE DATABASE {TARGET_DB}")


if __name__ == "__main__":
    sys.exit(main())

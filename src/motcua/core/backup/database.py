"""The database in a backup: a consistent snapshot taken while motcua runs, checked and restored.

SQLite: the online backup API copies the live file in one step inside one read transaction, so the copy
is a consistent snapshot while the web server and the worker go on writing (WAL lets them). PostgreSQL:
`pg_dump --format=custom` on a snapshot exported from a REPEATABLE READ transaction, in which the manifest's
migration state, row counts and file references are read too, so they describe exactly what was dumped;
`pg_restore --single-transaction` brings it back all or nothing.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .crypto import BackupError, Damaged

SQLITE_FILE, PG_FILE = "database/motcua.sqlite3.gz", "database/motcua.pgdump"
# Level 1 measured on 100,000 dossiers (58 MB): 17.5 MB at 120 MB/s; level 6: 15.3 MB at 29 MB/s.
COMPRESSLEVEL = 1
# Django OPTIONS that libpq understands (passed to pg_dump / pg_restore as PG* variables).
LIBPQ_OPTIONS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "options"}


@dataclass
class Snapshot:
    path: Path  # the snapshot file, in a work folder
    arcname: str  # its name in the archive
    engine: str
    migrations: list[list[str]]  # [app, name] rows of django_migrations, in order
    tables: dict[str, int]  # rows per table
    references: set[str] = field(default_factory=set)  # media names the FileFields point to
    server_version: str = ""


def engine_of(database: dict) -> str:
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {engine}")


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of the installed models: what points into MEDIA_ROOT."""
    from django.apps import apps
    from django.db.models import FileField

    return sorted(
        {
            (model._meta.db_table, f.column)
            for model in apps.get_models()
            for f in model._meta.concrete_fields
            if isinstance(f, FileField)
        }
    )


def snapshot(database: dict, folder: Path) -> Snapshot:
    if engine_of(database) == "sqlite":
        return _sqlite_snapshot(
            Path(database["NAME"]), folder, database.get("OPTIONS", {}).get("timeout", 20)
        )
    return _pg_snapshot(database, folder)


def tables(database: dict) -> list[str]:
    """The tables the database holds now ([] for a missing SQLite file or an empty database)."""
    if engine_of(database) == "sqlite":
        path = Path(database["NAME"])
        if not path.exists():
            return []
        with _closing(sqlite3.connect(_read_only(path), uri=True)) as conn:
            return _sqlite_tables(conn)
    with _pg_connect(database) as conn:
        return [name for name, _schema, _table in _pg_tables(conn)]


# --- SQLite -------------------------------------------------------------------------------------


class _closing:
    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        return self.conn

    def __exit__(self, *exc):
        self.conn.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_only(path: Path) -> str:
    return Path(path).resolve().as_uri() + "?mode=ro"


def _sqlite_tables(conn) -> list[str]:
    sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    return [name for (name,) in conn.execute(sql)]


def _sqlite_snapshot(source: Path, folder: Path, timeout: float) -> Snapshot:
    if not source.exists():
        raise BackupError(f"no database at {source}: nothing to back up (run `motcua migrate` first)")
    target = folder / "motcua.sqlite3"
    with (
        _closing(sqlite3.connect(source, timeout=timeout)) as live,
        _closing(sqlite3.connect(target)) as copy,
    ):
        live.backup(copy)  # pages=-1: every page in one step, under one read transaction
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        migrations, counts, references = _sqlite_describe(copy)
    packed = target.with_name(target.name + ".gz")
    with open(target, "rb") as raw, gzip.GzipFile(packed, "wb", compresslevel=COMPRESSLEVEL, mtime=0) as out:
        shutil.copyfileobj(raw, out, 1 << 20)
    target.unlink()
    return Snapshot(packed, SQLITE_FILE, "sqlite", migrations, counts, references, sqlite3.sqlite_version)


def _sqlite_describe(conn) -> tuple[list[list[str]], dict[str, int], set[str]]:
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {_quote(t)}").fetchone()[0] for t in _sqlite_tables(conn)
    }
    migrations = []
    if "django_migrations" in counts:
        migrations = [
            list(row) for row in conn.execute("SELECT app, name FROM django_migrations ORDER BY id")
        ]
    references = set()
    for table, column in file_columns():
        if table in counts:
            sql = f"SELECT {_quote(column)} FROM {_quote(table)} WHERE {_quote(column)} <> ''"
            references.update(value for (value,) in conn.execute(sql) if value)
    return migrations, counts, references


def check_sqlite(path: Path) -> dict[str, int]:
    """PRAGMA integrity_check on a restored file; its rows per table."""
    try:
        with _closing(sqlite3.connect(_read_only(path), uri=True)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise Damaged(f"the database in the archive fails its integrity check: {problems[:3]}")
            return _sqlite_describe(conn)[1]
    except sqlite3.DatabaseError as exc:
        raise Damaged(f"the database in the archive cannot be read: {exc}") from exc


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_params(database: dict) -> dict[str, str]:
    params = {
        "dbname": database.get("NAME") or "",
        "user": database.get("USER") or "",
        "password": database.get("PASSWORD") or "",
        "host": database.get("HOST") or "",
        "port": str(database.get("PORT") or ""),
    }
    params |= {k: str(v) for k, v in (database.get("OPTIONS") or {}).items() if k in LIBPQ_OPTIONS}
    return {k: v for k, v in params.items() if v}


def _pg_env(database: dict) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env |= {f"PG{k.upper()}" if k != "dbname" else "PGDATABASE": v for k, v in _pg_params(database).items()}
    return env


def _pg_connect(database: dict, **kwargs):
    import psycopg

    try:
        return psycopg.connect(**_pg_params(database), **kwargs)
    except psycopg.OperationalError as exc:
        name = database.get("NAME")
        raise BackupError(
            f"cannot connect to the PostgreSQL database {name!r} (a restore needs it created first, empty: "
            f"createdb {name}): {str(exc).strip()}"
        ) from exc


def _pg_tables(conn) -> list[tuple[str, str, str]]:
    rows = conn.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
    ).fetchall()
    return [(table if schema == "public" else f"{schema}.{table}", schema, table) for schema, table in rows]


def _pg_describe(conn) -> tuple[list[list[str]], dict[str, int], set[str]]:
    from psycopg import sql

    counts = {}
    for name, schema, table in _pg_tables(conn):
        query = sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        counts[name] = conn.execute(query).fetchone()[0]
    migrations = []
    if "django_migrations" in counts:
        migrations = [list(r) for r in conn.execute("SELECT app, name FROM django_migrations ORDER BY id")]
    references = set()
    for table, column in file_columns():
        if table in counts:
            query = sql.SQL("SELECT {c} FROM {t} WHERE {c} <> ''").format(
                c=sql.Identifier(column), t=sql.Identifier(table)
            )
            references.update(value for (value,) in conn.execute(query) if value)
    return migrations, counts, references


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} not found: install the PostgreSQL client tools (Debian: postgresql-client), "
            "of the server's major version or newer"
        )
    return path


def _run(command: list[str], database: dict) -> None:
    done = subprocess.run(command, env=_pg_env(database), capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _pg_snapshot(database: dict, folder: Path) -> Snapshot:
    import psycopg

    pg_dump, target = _tool("pg_dump"), folder / "motcua.pgdump"
    with _pg_connect(database) as conn:
        conn.isolation_level, conn.read_only = psycopg.IsolationLevel.REPEATABLE_READ, True
        with conn.transaction():
            exported = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            version = conn.execute("SHOW server_version").fetchone()[0]
            migrations, counts, references = _pg_describe(conn)
            options = ["--format=custom", f"--compress={COMPRESSLEVEL}", "--no-owner", "--no-privileges"]
            _run([pg_dump, *options, f"--snapshot={exported}", f"--file={target}"], database)
    return Snapshot(target, PG_FILE, "postgresql", migrations, counts, references, version)


def restore_postgres(database: dict, dump: Path) -> dict[str, int]:
    """Load a dump in one transaction (all or nothing), analyse, and return the rows per table."""
    pg_restore = _tool("pg_restore")
    options = ["--single-transaction", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    _run([pg_restore, *options, f"--dbname={_pg_params(database)['dbname']}", str(dump)], database)
    with _pg_connect(database, autocommit=True) as conn:
        conn.execute("ANALYZE")
        return _pg_describe(conn)[1]


# --- both ---------------------------------------------------------------------------------------


def migration_gap(applied: list[list[str]]) -> tuple[list[str], list[str]]:
    """(migrations the archive has that this code does not know: it is from a newer motcua,
    migrations this code has that the archive lacks: `motcua migrate` after the restore)."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    done = {tuple(row) for row in applied}
    unknown = sorted(f"{app}.{name}" for app, name in done - known)
    pending = sorted(f"{app}.{name}" for app, name in known - done)
    return unknown, pending

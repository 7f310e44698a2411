"""Backup and recovery on real installations: a data folder with its SQLite file (or, when DATABASE_URL is a
PostgreSQL URL, databases of their own on that server), demo dossiers with uploaded files and signed results
that a running worker is still making; backed up while it writes, wiped, restored into an empty data folder,
and every dossier, file and signature checked there. Each installation is driven through the `motcua`
command in its own process, as an operator would."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command

from motcua.core import backup
from motcua.core.backup import crypto

PASSPHRASE = "correct horse battery staple"
_URL = os.environ.get("DATABASE_URL", "")
SERVER = _URL if _URL.startswith(("postgres://", "postgresql://")) else ""
ENGINE = "postgresql" if SERVER else "sqlite"

# Run in the restored installation: every attachment has the checksum its row recorded at upload, every
# result file exists, and every signed result is the recorded file and carries a valid signature.
CHECK = """
import hashlib, json
from motcua.core.backends import agency_signer
from motcua.dossiers.models import Attachment, Dossier

def content(field):
    try:
        with field.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None

def sha(data):
    return data is not None and hashlib.sha256(data).hexdigest()

signer, attachments = agency_signer(), list(Attachment.objects.all())
report = {"attachments": len(attachments), "signed": 0, "valid": 0, "bad_signatures": []}
report["bad_files"] = [a.file.name for a in attachments if sha(content(a.file)) != a.sha256]
for dossier in Dossier.objects.exclude(result=""):
    data = content(dossier.result)
    if data is None:
        report["bad_files"].append(dossier.result.name)
    elif dossier.result_sha256:
        report["signed"] += 1
        if sha(data) == dossier.result_sha256 and signer.verify(data).valid:
            report["valid"] += 1
        else:
            report["bad_signatures"].append(dossier.code)
print(json.dumps(report))
"""


def on_server(sql: str) -> None:
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(sql)


class Machine:
    """One installation: a data folder, and its own PostgreSQL database when the suite runs on one."""

    def __init__(self, root: Path, name: str):
        self.data_dir = root / name
        self.database = f"motcua_backup_{os.getpid()}_{name}"
        if SERVER:
            on_server(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            on_server(f'CREATE DATABASE "{self.database}"')

    @property
    def url(self) -> str:
        return urlsplit(SERVER)._replace(path=f"/{self.database}").geturl() if SERVER else ""

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
        env |= {"MOTCUA_DATA_DIR": str(self.data_dir), "DATABASE_URL": self.url, "MOTCUA_EMBEDDER": "none"}
        return env | {"MOTCUA_TASK_BACKEND": "database", "MOTCUA_BACKUP_PASSPHRASE": PASSPHRASE} | extra

    def motcua(self, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "motcua.cli", *args],
            env=self.env(**extra),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert not check or done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
        return done

    def sql(self, statement: str) -> list[tuple]:
        if SERVER:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                cursor = conn.execute(statement)
                return cursor.fetchall() if cursor.description else []
        with closing(sqlite3.connect(self.data_dir / "motcua.sqlite3", timeout=20)) as conn:
            rows = conn.execute(statement).fetchall()
            conn.commit()
            return rows

    def drop(self) -> None:
        if SERVER:
            on_server(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def tree(folder: Path) -> dict[str, str]:
    """Every file under a folder with its SHA-256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def stop(worker: subprocess.Popen) -> None:
    # The first signal asks the worker to finish its task (all 200 dossiers); the second ends it now.
    for _ in range(2):
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            time.sleep(0.5)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.fixture(scope="module")
def machines(tmp_path_factory):
    root, made = tmp_path_factory.mktemp("machines"), []

    def new(name: str) -> Machine:
        made.append(Machine(root, name))
        return made[-1]

    yield new
    for machine in made:
        machine.drop()


@pytest.fixture(scope="module")
def backed_up(machines, tmp_path_factory):
    """A source installation whose worker is making demo dossiers (real transitions, uploads and signed
    results, committed one step at a time), backed up with `motcua backup` while it does."""
    source = machines("source")
    source.motcua("migrate", "--noinput", "--verbosity", "0")
    source.motcua("demo", "load", "--dossiers", "200")  # queued: the worker makes them one by one
    archives, log = tmp_path_factory.mktemp("archives"), tmp_path_factory.mktemp("logs") / "worker.log"
    with open(log, "w") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "motcua.cli", "worker"], env=source.env(), stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 300
        while True:
            made, signed = source.sql("SELECT count(*), count(result_signed_at) FROM dossiers_dossier")[0]
            if made >= 8 and signed >= 3:
                break
            assert worker.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.3)
        before = {code for (code,) in source.sql("SELECT code FROM dossiers_dossier")}
        events_before = source.sql("SELECT count(*) FROM dossiers_event")[0][0]
        done = source.motcua("backup", "--output-dir", str(archives))
        events_after = source.sql("SELECT count(*) FROM dossiers_event")[0][0]
        assert worker.poll() is None, log.read_text()[-3000:]
    finally:
        stop(worker)
    (archive,) = backup.archives(archives)
    return SimpleNamespace(
        source=source,
        archive=archive,
        before=before,
        written_during_backup=events_after - events_before,
        dossiers_at_stop=source.sql("SELECT count(*) FROM dossiers_dossier")[0][0],
        output=done.stdout,
    )


def test_backup_while_the_worker_writes_then_wipe_and_restore_on_a_fresh_folder_loses_nothing(
    backed_up, machines
):
    assert backed_up.written_during_backup > 0  # the worker really was writing while the backup ran
    assert "NOT encrypted" not in backed_up.output
    assert backed_up.archive.read_bytes()[:8] == crypto.MAGIC
    shutil.rmtree(backed_up.source.data_dir)  # the machine is lost
    backed_up.source.drop()

    fresh = machines("fresh")
    assert not fresh.data_dir.exists()
    done = fresh.motcua("restore", str(backed_up.archive))
    assert "every checksum verified" in done.stdout, done.stdout
    assert "reindex" in done.stdout  # the operator is told to rebuild the search indexes

    if not SERVER:
        assert fresh.sql("PRAGMA integrity_check") == [("ok",)]
        assert fresh.sql("PRAGMA foreign_key_check") == []
    restored = {code for (code,) in fresh.sql("SELECT code FROM dossiers_dossier")}
    assert backed_up.before <= restored  # every dossier committed before the backup began
    assert len(restored) <= backed_up.dossiers_at_stop
    report = json.loads(fresh.motcua("shell", "-c", CHECK).stdout.strip().splitlines()[-1])
    assert report["bad_files"] == [] and report["bad_signatures"] == []
    assert report["attachments"] >= len(backed_up.before)
    assert report["signed"] >= 3 and report["valid"] == report["signed"]
    assert not list(fresh.data_dir.glob(".motcua-*"))  # no staging left behind
    assert fresh.motcua("migrate", "--check", "--noinput").returncode == 0  # the schema is this code's


def test_an_occupied_target_or_a_tampered_archive_is_refused_and_nothing_changes(
    backed_up, machines, tmp_path
):
    target = machines("occupied")
    target.motcua("config")  # settings make the data folder (secret key, static) on first use
    (target.data_dir / "media").mkdir()
    (target.data_dir / "media" / "own.pdf").write_bytes(b"%PDF-1.4 this installation's own file")
    target.sql("CREATE TABLE keep_me (x integer)")
    target.sql("INSERT INTO keep_me VALUES (1)")
    before = tree(target.data_dir)

    refused = target.motcua("restore", str(backed_up.archive), check=False)
    assert refused.returncode != 0 and "not empty" in refused.stderr, refused.stderr
    assert "Nothing was changed" in refused.stderr

    data = bytearray(backed_up.archive.read_bytes())
    flipped, truncated = tmp_path / "flipped.tar.enc", tmp_path / "truncated.tar.enc"
    data[len(data) // 2] ^= 0x01
    flipped.write_bytes(bytes(data))
    truncated.write_bytes(backed_up.archive.read_bytes()[:-100])
    for damaged in (flipped, truncated):
        done = target.motcua("restore", "--force", str(damaged), check=False)
        assert done.returncode != 0 and "damaged or was altered" in done.stderr, done.stderr

    wrong = target.motcua(
        "restore",
        "--force",
        str(backed_up.archive),
        check=False,
        MOTCUA_BACKUP_PASSPHRASE="not the passphrase",
    )
    assert wrong.returncode != 0 and "wrong passphrase" in wrong.stderr, wrong.stderr
    missing = target.motcua(
        "restore", "--force", str(backed_up.archive), check=False, MOTCUA_BACKUP_PASSPHRASE=""
    )
    assert missing.returncode != 0 and "MOTCUA_BACKUP_PASSPHRASE" in missing.stderr

    assert tree(target.data_dir) == before
    assert target.sql("SELECT x FROM keep_me") == [(1,)]
    assert not list(target.data_dir.glob(".motcua-*"))

    # Asked to, it replaces the installation: the uploads and database that were there are gone.
    replaced = target.motcua("restore", "--force", str(backed_up.archive))
    assert "every checksum verified" in replaced.stdout
    assert not (target.data_dir / "media" / "own.pdf").exists()
    assert target.sql("SELECT count(*) FROM dossiers_dossier")[0][0] >= len(backed_up.before)
    if not SERVER:  # pg_restore --clean drops what the dump holds; other tables stay (see the docs)
        assert target.sql("SELECT name FROM sqlite_master WHERE name = 'keep_me'") == []
    assert not list(target.data_dir.glob(".motcua-*"))


def test_the_manifest_lists_every_file_with_its_checksum(backed_up):
    result = backup.restore_backup(
        backed_up.archive, secret=backup.Secret.passphrase(PASSPHRASE), verify_only=True
    )
    manifest = result.manifest
    assert manifest["engine"] == ENGINE and manifest["encrypted"] and not manifest["with_indexes"]
    assert ["dossiers", "0001_initial"] in manifest["migrations"]
    assert manifest["database"]["tables"]["dossiers_dossier"] >= len(backed_up.before)
    paths = {entry["path"] for entry in manifest["files"]}
    assert {"files/secret_key", "files/signing/demo-signer.p12", "files/signing/demo-ca.pem"} <= paths
    assert any(p.startswith("files/media/results/") for p in paths)
    assert any(p.startswith("files/media/dossiers/") for p in paths)
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"])
    assert manifest["missing_files"] == []  # every file a row names was archived
    assert result.restored is False


def test_no_key_means_no_backup_unless_no_encrypt_is_given(monkeypatch, tmp_path):
    for name in ("MOTCUA_BACKUP_PASSPHRASE", "MOTCUA_BACKUP_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    with pytest.raises(CommandError, match="--no-encrypt"):
        call_command("backup", "--output-dir", str(tmp_path))
    assert not any(tmp_path.iterdir())
    monkeypatch.setenv("MOTCUA_BACKUP_PASSPHRASE", "short")
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("backup", "--output-dir", str(tmp_path))


@pytest.mark.django_db
def test_the_scheduled_backup_is_encrypted_and_keeps_the_newest(monkeypatch, tmp_path):
    folder = tmp_path / "backups"
    monkeypatch.setenv("MOTCUA_BACKUP_DIR", str(folder))
    monkeypatch.setenv("MOTCUA_BACKUP_KEEP", "2")
    monkeypatch.delenv("MOTCUA_BACKUP_PASSPHRASE", raising=False)
    monkeypatch.delenv("MOTCUA_BACKUP_KEY_FILE", raising=False)
    with pytest.raises(backup.BackupError, match="never written unencrypted"):
        backup.run_scheduled_backup()

    key = backup.new_key_file(tmp_path / "backup.key")
    assert key.stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("MOTCUA_BACKUP_KEY_FILE", str(key))
    runs = [backup.run_scheduled_backup() for _ in range(3)]
    kept = backup.archives(folder)
    assert [p.name for p in kept] == [Path(run["archive"]).name for run in runs[1:]]
    assert runs[2]["deleted"] == [runs[0]["archive"]]
    assert all(p.read_bytes()[:8] == crypto.MAGIC and p.stat().st_mode & 0o777 == 0o600 for p in kept)
    result = backup.restore_backup(kept[-1], secret=backup.Secret.key_file(key), verify_only=True)
    assert result.manifest["engine"] == ENGINE
    with pytest.raises(backup.WrongKey, match="key file"):
        backup.restore_backup(kept[-1], secret=backup.Secret.passphrase(PASSPHRASE), verify_only=True)


@pytest.mark.django_db
def test_an_unencrypted_archive_only_when_asked_and_it_is_still_checked(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "giấy tờ.pdf").write_bytes(b"%PDF-1.4 " + os.urandom(3000))
    call_command("backup", "--output-dir", str(tmp_path / "out"), "--no-encrypt", stdout=io.StringIO())
    (archive,) = backup.archives(tmp_path / "out")
    assert archive.name.endswith(".tar") and tarfile.is_tarfile(archive)
    manifest = backup.restore_backup(archive, secret=None, verify_only=True).manifest
    assert "files/media/giấy tờ.pdf" in {entry["path"] for entry in manifest["files"]}
    assert not manifest["encrypted"]
    # Without encryption the checksums are what catches a changed file.
    changed = tmp_path / "changed.tar"
    with tarfile.open(archive, mode="r|") as tar, tarfile.open(changed, mode="w|") as copy:
        for member in tar:
            body = tar.extractfile(member).read()
            if member.name.endswith(".pdf"):
                body = body[:-1] + b"!"
            copy.addfile(member, io.BytesIO(body))
    with pytest.raises(backup.Damaged, match="does not match its manifest"):
        backup.restore_backup(changed, secret=None, verify_only=True)


# --- the encrypted stream -----------------------------------------------------------------------


@pytest.fixture
def key(tmp_path) -> crypto.Secret:
    return crypto.Secret.key_file(backup.new_key_file(tmp_path / "key"))


def seal(data: bytes, secret: crypto.Secret, chunk_log2: int = 10) -> bytes:
    out = io.BytesIO()
    writer = crypto.EncryptingWriter(out, secret, chunk_log2=chunk_log2)
    for start in range(0, len(data), 700):  # writes that do not line up with the chunks
        writer.write(data[start : start + 700])
    writer.close()
    return out.getvalue()


def unseal(sealed: bytes, secret: crypto.Secret | None) -> bytes:
    reader = crypto.DecryptingReader(io.BytesIO(sealed), secret)
    parts = []
    while part := reader.read(333):
        parts.append(part)
    return b"".join(parts)


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1025, 2048, 5000])
def test_the_stream_round_trips_any_length(key, size):
    data = os.urandom(size)
    sealed = seal(data, key)
    assert unseal(sealed, key) == data
    assert data[:16] not in sealed or size < 16
    chunks = max(1, -(-size // 1024))  # the last one carries the flag, so it is never left out
    assert len(sealed) == crypto.HEADER.size + size + chunks * crypto.TAG


def test_a_passphrase_round_trips_and_a_wrong_one_is_named():
    secret = crypto.Secret.passphrase(PASSPHRASE)
    sealed = seal(b"ho so " * 500, secret)
    assert unseal(sealed, crypto.Secret.passphrase(PASSPHRASE)) == b"ho so " * 500
    with pytest.raises(crypto.WrongKey, match="wrong passphrase"):
        unseal(sealed, crypto.Secret.passphrase("another long passphrase"))
    with pytest.raises(crypto.WrongKey, match="encrypted with a passphrase"):
        unseal(sealed, None)


def test_every_change_to_the_stream_is_detected(key, tmp_path):
    data = os.urandom(4000)  # header + chunks of 1024 + 16 bytes: three full, one short (last)
    sealed = seal(data, key)
    head, block = crypto.HEADER.size, 1024 + crypto.TAG
    chunks = [sealed[head + i * block : head + (i + 1) * block] for i in range(4)]
    flipped = bytearray(sealed)
    flipped[head + block + 5] ^= 0x80
    cases = {
        "a flipped byte": bytes(flipped),
        "the last chunk dropped": sealed[: head + 3 * block],
        "two chunks swapped": sealed[:head] + chunks[1] + chunks[0] + b"".join(chunks[2:]),
        "bytes appended": sealed + b"\x00" * 20,
        "cut inside a chunk": sealed[:-7],
        "the chunk size in the header changed": sealed[:13] + bytes([11]) + sealed[14:],
    }
    for what, changed in cases.items():
        with pytest.raises(crypto.Damaged):
            unseal(changed, key)
            pytest.fail(f"{what} was not detected")
    other = crypto.Secret.key_file(backup.new_key_file(tmp_path / "other"))
    with pytest.raises(crypto.WrongKey, match="wrong key file"):
        unseal(sealed, other)


@pytest.mark.django_db
def test_the_scheduled_task_skips_the_demo_without_a_key_but_not_production(monkeypatch, settings, tmp_path):
    from motcua.core.backup.tasks import scheduled_backup

    monkeypatch.delenv("MOTCUA_BACKUP_PASSPHRASE", raising=False)
    monkeypatch.delenv("MOTCUA_BACKUP_KEY_FILE", raising=False)
    monkeypatch.setenv("MOTCUA_BACKUP_DIR", str(tmp_path))
    assert scheduled_backup.call() == {"skipped": "no backup key"}
    settings.PRODUCTION = True
    with pytest.raises(backup.BackupError):
        scheduled_backup.call()
    monkeypatch.setenv("MOTCUA_BACKUP_PASSPHRASE", PASSPHRASE)
    assert Path(scheduled_backup.call()["archive"]).parent == tmp_path

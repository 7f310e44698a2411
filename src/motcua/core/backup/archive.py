"""Backup archives: what goes in, and writing one while motcua runs (restore.py reads them back).

An archive is one file, streamed (never held in memory): a tar of the database snapshot, the uploaded
files (MEDIA_ROOT), the signing keys (DATA_DIR/signing, and MOTCUA_SIGNING_PKCS12 when it lies elsewhere),
the generated secret key and, on request, the search indexes; then manifest.json with the motcua version,
the engine, the migration state, the rows per table and every file's size and SHA-256. The tar is
encrypted unless asked otherwise (see crypto.py). Only the database is compressed: uploads are scans,
photos and PDFs, already compressed, and deflating them again measured at 27 MB/s of CPU for nothing.

The database is snapshotted first and the files are read after it, so every file a snapshot row points
to was on disk before the snapshot (uploads are written before their row is committed, and never
rewritten in place); files that arrive later are harmless extras.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import socket
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import crypto, database
from .crypto import Secret

FORMAT, FORMAT_VERSION = "motcua-backup", 1
PREFIX, ENCRYPTED, PLAIN = "motcua-backup-", ".tar.enc", ".tar"
BLOCK = 1 << 20


@dataclass(frozen=True)
class Site:
    """Where one installation keeps what a backup holds."""

    data_dir: Path
    media_root: Path
    search_dir: Path
    database: dict  # a Django DATABASES entry
    signing_pkcs12: str = ""

    @classmethod
    def from_settings(cls) -> Site:
        from django.conf import settings

        return cls(
            Path(settings.DATA_DIR),
            Path(settings.MEDIA_ROOT),
            Path(settings.SEARCH_DIR),
            dict(settings.DATABASES["default"]),
            getattr(settings, "SIGNING_PKCS12", "") or "",
        )

    @property
    def engine(self) -> str:
        return database.engine_of(self.database)

    def roots(self) -> list[tuple[str, Path]]:
        """(archive prefix, path here) of every file root a backup holds."""
        roots = [
            ("files/secret_key", self.data_dir / "secret_key"),
            ("files/signing", self.data_dir / "signing"),
            ("files/media", self.media_root),
            ("files/index", self.search_dir),
        ]
        if self.signing_pkcs12:
            key = Path(self.signing_pkcs12)
            if (self.data_dir / "signing") not in key.resolve().parents:
                roots.append((f"files/keys/{key.name}", key))
        return roots


@dataclass
class BackupResult:
    path: Path
    size: int  # bytes of the archive
    files: int  # entries, the database snapshot included
    data: int  # bytes before compression
    seconds: float
    engine: str
    missing: list[str] = field(default_factory=list)  # files the database names that were not on disk
    warnings: list[str] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)  # older archives removed by retention

    def as_dict(self) -> dict:
        return {
            "archive": str(self.path),
            "size": self.size,
            "files": self.files,
            "seconds": round(self.seconds, 2),
            "engine": self.engine,
            "missing": self.missing,
            "warnings": self.warnings,
            "deleted": [str(p) for p in self.deleted],
        }


# --- writing ------------------------------------------------------------------------------------


def default_directory() -> Path:
    from django.conf import settings

    from motcua import conf

    return Path(conf.value("MOTCUA_BACKUP_DIR") or Path(settings.DATA_DIR) / "backups")


class _Exactly:
    """Reads exactly `size` bytes of a file for tar (zero-padded if it shrank meanwhile), hashing them."""

    def __init__(self, handle, size: int):
        self.handle, self.left, self.digest, self.short = handle, size, hashlib.sha256(), False

    def read(self, n: int) -> bytes:
        n = min(n, self.left)
        data = self.handle.read(n)
        while len(data) < n:
            more = self.handle.read(n - len(data))
            if not more:
                self.short, data = True, data + bytes(n - len(data))
                break
            data += more
        self.left -= n
        self.digest.update(data)
        return data


def walk_files(root: Path, skip: Path | None = None):
    """(relative POSIX path, path) of the regular files under root, sorted; ("", root) for a file.
    The folder `skip` (the backup folder, should it lie inside) is left out."""
    if root.is_file() and not root.is_symlink():
        yield "", root
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if skip is None or Path(folder, d).resolve() != skip)
        for name in sorted(files):
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _add(tar, arcname: str, path: Path, warnings: list[str]) -> dict | None:
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        warnings.append(f"{arcname}: removed while the backup ran")
        return None
    with handle:
        stat = os.fstat(handle.fileno())
        reader = _Exactly(handle, stat.st_size)
        info = tarfile.TarInfo(arcname)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        tar.addfile(info, reader)
    if reader.short:
        warnings.append(f"{arcname}: shrank while the backup ran (the archive holds it zero-padded)")
    return {"path": arcname, "size": stat.st_size, "sha256": reader.digest.hexdigest()}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("motcua")
    except PackageNotFoundError:
        return "unknown"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_backup(
    directory: str | Path | None = None,
    *,
    secret: Secret | None,
    site: Site | None = None,
    with_indexes: bool = False,
    keep: int = 0,
) -> BackupResult:
    """Write a new archive into `directory` (MOTCUA_BACKUP_DIR); `secret=None` writes it unencrypted.
    With keep > 0 only the newest `keep` archives stay there afterwards."""
    site = site or Site.from_settings()
    directory = Path(directory) if directory else default_directory()
    directory.mkdir(parents=True, exist_ok=True)
    started, created = time.perf_counter(), datetime.datetime.now(datetime.UTC)
    path = directory / f"{PREFIX}{created:%Y%m%d-%H%M%S-%f}{ENCRYPTED if secret else PLAIN}"
    partial = path.with_name(path.name + ".partial")
    work = Path(tempfile.mkdtemp(dir=directory, prefix=".motcua-backup-"))
    warnings: list[str] = []
    try:
        snap = database.snapshot(site.database, work)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            sink = crypto.EncryptingWriter(raw, secret) if secret else raw
            with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                entries = [_add(tar, snap.arcname, snap.path, warnings)]
                snap.path.unlink()
                for prefix, root in site.roots():
                    if prefix == "files/index" and not with_indexes:
                        continue
                    for relative, file in walk_files(root, skip=directory.resolve()):
                        entry = _add(tar, f"{prefix}/{relative}" if relative else prefix, file, warnings)
                        if entry:
                            entries.append(entry)
                archived = {e["path"][12:] for e in entries if e["path"].startswith("files/media/")}
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "motcua_version": _version(),
                    "created_at": created.isoformat(timespec="seconds"),
                    "host": socket.gethostname(),
                    "engine": snap.engine,
                    "database": {
                        "path": snap.arcname,
                        "server_version": snap.server_version,
                        "tables": snap.tables,
                    },
                    "migrations": snap.migrations,
                    "with_indexes": with_indexes,
                    "encrypted": secret is not None,
                    "files": entries,
                    "missing_files": sorted(snap.references - archived),
                    "warnings": warnings,
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime, info.mode = len(body), int(created.timestamp()), 0o600
                tar.addfile(info, io.BytesIO(body))
            if secret:
                sink.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
        _fsync_dir(directory)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    deleted = prune(directory, keep) if keep > 0 else []
    return BackupResult(
        path,
        path.stat().st_size,
        len(entries),
        sum(e["size"] for e in entries),
        time.perf_counter() - started,
        snap.engine,
        manifest["missing_files"],
        warnings,
        deleted,
    )


def archives(directory: str | Path) -> list[Path]:
    """The finished archives in a folder, oldest first (their names carry the UTC time)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = [p for p in directory.glob(f"{PREFIX}*") if p.name.endswith((ENCRYPTED, PLAIN)) and p.is_file()]
    return sorted(found, key=lambda p: p.name)


def prune(directory: str | Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives (and partial files a crash left over a day ago)."""
    directory, day_ago = Path(directory), time.time() - 86400
    for leftover in directory.glob(f"{PREFIX}*.partial"):
        if leftover.stat().st_mtime < day_ago:
            leftover.unlink(missing_ok=True)
    old = archives(directory)[:-keep] if keep > 0 else []
    for path in old:
        path.unlink(missing_ok=True)
    return old

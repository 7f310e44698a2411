"""Reading an archive back: every entry checked against the manifest while it streams into a staging
folder beside the data, then swapped into place, all or nothing (what was there is moved aside first and
put back if anything fails; a PostgreSQL dump is loaded in one transaction, last)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from . import crypto, database
from .archive import BLOCK, FORMAT, Site, walk_files
from .crypto import BackupError, Damaged, Secret

PRIVATE = ("database/", "files/secret_key", "files/signing/", "files/keys/")  # restored with mode 0600


@dataclass
class RestoreResult:
    manifest: dict
    files: int
    data: int
    seconds: float
    restored: bool  # False for --verify-only
    pending_migrations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _safe(name: str) -> bool:
    parts = name.split("/")
    return (
        len(parts) >= 2
        and parts[0] in ("database", "files")
        and all(part not in ("", ".", "..") for part in parts)
        and "\\" not in name
        and "\x00" not in name
    )


def _read(archive: Path, secret: Secret | None, staging: Path | None, engine: str | None):
    """Stream the archive: each file is hashed (and written under staging unless that is None), and the
    stream is read to its end, so an encrypted archive's last chunk is authenticated too."""
    found: dict[str, tuple[int, str]] = {}
    manifest = None
    with open(archive, "rb") as raw:
        head = raw.read(tarfile.BLOCKSIZE)
        raw.seek(0)
        if crypto.is_encrypted(head):
            source = crypto.DecryptingReader(raw, secret)
        elif head[257:262] == b"ustar":
            source = raw
        else:
            raise Damaged(f"{archive} is not a motcua backup archive")
        try:
            with tarfile.open(fileobj=source, mode="r|") as tar:
                for member in tar:
                    if manifest is not None:
                        raise Damaged(f"the archive has entries after its manifest ({member.name!r})")
                    if member.name == "manifest.json" and member.isfile():
                        manifest = json.loads(tar.extractfile(member).read())
                        continue
                    if not member.isfile() or not _safe(member.name) or member.name in found:
                        raise Damaged(f"the archive holds an unexpected entry {member.name!r}")
                    if engine and not found and member.name != _database_file(engine):
                        raise BackupError(
                            f"the archive's database is {member.name!r}, but this installation "
                            f"runs on {engine}: restore into the same engine it was taken from"
                        )
                    found[member.name] = _copy(tar.extractfile(member), member, staging)
            while source.read(BLOCK):
                pass
        except (tarfile.TarError, EOFError, zlib.error, json.JSONDecodeError) as exc:
            raise Damaged(f"the archive is damaged: {exc}") from exc
    if manifest is None or manifest.get("format") != FORMAT:
        raise Damaged("the archive has no manifest (it was cut short, or is not a motcua backup)")
    return manifest, found


def _database_file(engine: str) -> str:
    return database.SQLITE_FILE if engine == "sqlite" else database.PG_FILE


def _copy(handle, member, staging: Path | None) -> tuple[int, str]:
    """Hash an entry as stored; write it under staging (a .gz database uncompressed, as the name
    without .gz)."""
    digest, size, out = hashlib.sha256(), 0, None
    gunzip = zlib.decompressobj(wbits=31) if member.name.endswith(".gz") else None
    if staging is not None:
        target = staging / (member.name.removesuffix(".gz") if gunzip else member.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = 0o600 if member.name.startswith(PRIVATE) else 0o644
        out = os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), "wb")
    try:
        while block := handle.read(BLOCK):
            digest.update(block)
            size += len(block)
            if out:
                out.write(gunzip.decompress(block) if gunzip else block)
        if out and gunzip and (not gunzip.eof or gunzip.unused_data):
            raise Damaged(f"{member.name} in the archive is not a whole gzip file")
    finally:
        if out:
            out.close()
    return size, digest.hexdigest()


def _check(manifest: dict, found: dict[str, tuple[int, str]]) -> None:
    expected = {e["path"]: (e["size"], e["sha256"]) for e in manifest["files"]}
    missing = sorted(expected.keys() - found.keys())
    extra = sorted(found.keys() - expected.keys())
    wrong = sorted(p for p in expected.keys() & found.keys() if expected[p] != found[p])
    if missing or extra or wrong:
        example = (wrong or missing or extra)[0]
        raise Damaged(
            f"the archive does not match its manifest: {len(wrong)} files with another size or checksum, "
            f"{len(missing)} missing, {len(extra)} not listed (first: {example})"
        )


def contents(site: Site) -> list[str]:
    """What the target already holds (empty: a fresh data folder and database)."""
    present = []
    tables = database.tables(site.database)
    if tables:
        present.append(f"a database with {len(tables)} tables")
    for label, path in (
        ("uploaded files", site.media_root),
        ("signing keys", site.data_dir / "signing"),
        ("search indexes", site.search_dir),
    ):
        if path.exists() and next(walk_files(path), None):
            present.append(f"{label} in {path}")
    return present


def restore_backup(
    archive: str | Path,
    *,
    secret: Secret | None,
    site: Site | None = None,
    force: bool = False,
    verify_only: bool = False,
) -> RestoreResult:
    """Verify an archive completely, then put it in place of this installation's data, all or nothing.
    Refuses a target that holds data unless `force`; `verify_only` checks and writes nothing."""
    site = site or Site.from_settings()
    archive, started = Path(archive), time.perf_counter()
    if not archive.is_file():
        raise BackupError(f"no archive at {archive}")
    if not verify_only and not force and (present := contents(site)):
        raise BackupError(
            "the target is not empty (" + "; ".join(present) + "): restore into an empty data folder and "
            "database, or pass --force to replace what is there"
        )
    staging = None
    if not verify_only:
        site.data_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=site.data_dir, prefix=".motcua-restore-"))
    try:
        manifest, found = _read(archive, secret, staging, None if verify_only else site.engine)
        _check(manifest, found)
        unknown, pending = database.migration_gap(manifest["migrations"])
        result = RestoreResult(
            manifest,
            len(found),
            sum(size for size, _ in found.values()),
            0.0,
            not verify_only,
            pending,
        )
        if manifest["missing_files"]:
            result.notes.append(
                f"{len(manifest['missing_files'])} files the database names were already missing when the "
                f"backup ran (first: {manifest['missing_files'][0]})"
            )
        if unknown and not force:
            raise BackupError(
                f"the archive comes from a newer motcua ({manifest['motcua_version']}; migrations unknown "
                f"here: {', '.join(unknown[:3])}): install that version first, or pass --force"
            )
        if not verify_only:
            db_file = staging / manifest["database"]["path"].removesuffix(".gz")
            if manifest["engine"] == "sqlite":
                counts = database.check_sqlite(db_file)
                if counts != manifest["database"]["tables"]:
                    raise Damaged("the database in the archive does not hold the rows its manifest lists")
            _swap(site, staging, manifest, result)
        result.seconds = time.perf_counter() - started
        return result
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _move(source: Path, target: Path) -> None:
    try:
        os.rename(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.move(source, target)  # another file system (a MOTCUA_SEARCH_DIR elsewhere)


def _swap(site: Site, staging: Path, manifest: dict, result: RestoreResult) -> None:
    """Move what is there aside, the staged files in, then load a PostgreSQL dump (one transaction);
    on any failure put everything back as it was."""
    plan: list[tuple[Path | None, Path, list[Path]]] = []
    if manifest["engine"] == "sqlite":
        live = Path(site.database["NAME"])
        companions = [live.with_name(live.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
        plan.append((staging / manifest["database"]["path"].removesuffix(".gz"), live, companions))
    keys = staging / "files" / "keys"
    for key in sorted(keys.iterdir()) if keys.is_dir() else []:
        configured = Path(site.signing_pkcs12) if site.signing_pkcs12 else None
        if configured and configured.exists():
            result.notes.append(f"kept the signing key already at {configured} (the archive has {key.name})")
        elif configured:
            plan.append((key, configured, []))
        else:
            destination = staging / "files" / "signing" / key.name
            destination.parent.mkdir(parents=True, exist_ok=True)
            _move(key, destination)
            result.notes.append(
                f"the agency signing key is restored as {site.data_dir / 'signing' / key.name}: set "
                "MOTCUA_SIGNING_PKCS12 to it and MOTCUA_SIGNING_PASSWORD to its password"
            )
    for prefix, target in site.roots():
        if prefix.startswith("files/keys/"):
            continue
        staged = staging / prefix
        if prefix == "files/secret_key" and not staged.exists():
            continue  # the source had MOTCUA_SECRET_KEY set: keep this one's
        plan.append((staged if staged.exists() else None, target, []))
    if not manifest["with_indexes"]:
        result.notes.append(
            "search indexes are not in the archive: run `motcua catalogue reindex` and "
            "`motcua knowledge reindex` (or restore with --reindex)"
        )

    aside = Path(tempfile.mkdtemp(dir=site.data_dir, prefix=".motcua-replaced-"))
    undo: list[tuple[Path, Path]] = []
    try:
        for i, (staged, target, companions) in enumerate(plan):
            for j, existing in enumerate([target, *companions]):
                if existing.exists() or existing.is_symlink():
                    _move(existing, aside / f"{i}-{j}")
                    undo.append((aside / f"{i}-{j}", existing))
            if staged is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                _move(staged, target)
                undo.append((target, staged))
        if manifest["engine"] == "postgresql":
            counts = database.restore_postgres(site.database, staging / manifest["database"]["path"])
            expected = manifest["database"]["tables"]
            if any(counts.get(table) != rows for table, rows in expected.items()):
                result.notes.append("warning: row counts after pg_restore differ from the manifest")
    except BaseException as exc:
        stuck = []
        for current, original in reversed(undo):
            try:
                _move(current, original)
            except OSError:
                stuck.append(str(original))
        if stuck:  # never delete what could not be put back
            raise BackupError(
                f"the restore failed ({exc}) and {len(stuck)} items could not be put back: "
                f"the originals are in {aside}"
            ) from exc
        shutil.rmtree(aside, ignore_errors=True)
        raise
    shutil.rmtree(aside, ignore_errors=True)

"""Backups and recovery: `motcua backup` writes one consistent, encrypted archive while motcua runs;
`motcua restore` verifies it completely and brings it back on a fresh machine, all or nothing.
docs/operations-backup.md is the operator's guide."""

from __future__ import annotations

import logging
from pathlib import Path

from .archive import BackupResult, Site, archives, create_backup, default_directory, prune
from .crypto import MAGIC, BackupError, Damaged, Secret, WrongKey, is_encrypted, new_key_file
from .restore import RestoreResult, contents, restore_backup

log = logging.getLogger(__name__)

__all__ = [
    "BackupError",
    "BackupResult",
    "Damaged",
    "RestoreResult",
    "Secret",
    "Site",
    "WrongKey",
    "archives",
    "configured_secret",
    "contents",
    "create_backup",
    "default_directory",
    "is_encrypted_archive",
    "new_key_file",
    "prune",
    "restore_backup",
    "run_scheduled_backup",
]


def is_encrypted_archive(path: str | Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return is_encrypted(handle.read(len(MAGIC)))
    except OSError:
        return False


def configured_secret(key_file: str | None = None) -> Secret | None:
    """The key from --key-file, MOTCUA_BACKUP_KEY_FILE or MOTCUA_BACKUP_PASSPHRASE (in that order)."""
    from motcua import conf

    path = key_file or conf.value("MOTCUA_BACKUP_KEY_FILE")
    if path:
        return Secret.key_file(path)
    passphrase = conf.value("MOTCUA_BACKUP_PASSPHRASE")
    return Secret.passphrase(passphrase) if passphrase else None


def run_scheduled_backup() -> dict:
    """The daily backup, for the scheduler: an encrypted archive in MOTCUA_BACKUP_DIR, then retention
    (MOTCUA_BACKUP_KEEP). Never writes an unencrypted archive; raises BackupError when no key is set."""
    from motcua import conf

    secret = configured_secret()
    if secret is None:
        raise BackupError(
            "scheduled backup: set MOTCUA_BACKUP_PASSPHRASE or MOTCUA_BACKUP_KEY_FILE "
            "(an unattended backup is never written unencrypted)"
        )
    result = create_backup(secret=secret, keep=conf.value("MOTCUA_BACKUP_KEEP"))
    log.info("backup written: %s (%d bytes, %.1f s)", result.path, result.size, result.seconds)
    for warning in [*result.warnings, *(f"missing file {name}" for name in result.missing)]:
        log.warning("backup %s: %s", result.path.name, warning)
    return result.as_dict()

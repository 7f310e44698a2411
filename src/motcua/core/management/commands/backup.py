import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from motcua import conf
from motcua.core import backup


def secret_for(key_file: str | None, *, confirm: bool) -> backup.Secret | None:
    """The configured key; else, at a terminal, a passphrase typed in (twice when it encrypts)."""
    secret = backup.configured_secret(key_file)
    if secret is None and sys.stdin.isatty():
        passphrase = getpass.getpass("Backup passphrase: ")
        if confirm and getpass.getpass("Again: ") != passphrase:
            raise CommandError("the two passphrases differ")
        secret = backup.Secret.passphrase(passphrase) if passphrase else None
    return secret


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


class Command(BaseCommand):
    help = (
        "Write a consistent, encrypted backup archive (database, uploaded files, signing keys) while "
        "motcua runs; then keep only the newest MOTCUA_BACKUP_KEEP archives."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", help="Folder for the archive. Default: MOTCUA_BACKUP_DIR.")
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Archives to keep in that folder (default MOTCUA_BACKUP_KEEP; 0 keeps all).",
        )
        parser.add_argument(
            "--with-indexes",
            action="store_true",
            help="Include the search indexes (otherwise rebuilt after a restore with the reindex commands).",
        )
        parser.add_argument("--key-file", help="Encrypt with this key file (default MOTCUA_BACKUP_KEY_FILE).")
        parser.add_argument(
            "--no-encrypt",
            action="store_true",
            help="Write an unencrypted archive (it holds personal data: only for an encrypted disk).",
        )
        parser.add_argument(
            "--new-key-file", metavar="PATH", help="Create a random key file at PATH (mode 0600) and exit."
        )

    def handle(self, output_dir, keep, with_indexes, key_file, no_encrypt, new_key_file, **options):
        try:
            if new_key_file:
                path = backup.new_key_file(new_key_file)
                self.stdout.write(f"key file: {path}  (keep a copy offline, apart from the archives)")
                return
            secret = None if no_encrypt else secret_for(key_file, confirm=True)
            if secret is None and not no_encrypt:
                raise CommandError(
                    "no backup key: set MOTCUA_BACKUP_PASSPHRASE or MOTCUA_BACKUP_KEY_FILE (or --key-file); "
                    "to write an unencrypted archive, say so with --no-encrypt"
                )
            keep = conf.value("MOTCUA_BACKUP_KEEP") if keep is None else keep
            result = backup.create_backup(output_dir, secret=secret, with_indexes=with_indexes, keep=keep)
        except FileExistsError as exc:
            raise CommandError(f"{exc.filename} already exists") from exc
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"backup: {result.path}\n"
            f"  {result.engine} database and {result.files - 1} files, {megabytes(result.data)} "
            f"in {megabytes(result.size)}, {result.seconds:.1f} s" + ("" if secret else "  (NOT encrypted)")
        )
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if result.missing:
            self.stderr.write(
                f"warning: {len(result.missing)} files the database names were not on disk "
                f"(first: {result.missing[0]})"
            )
        for path in result.deleted:
            self.stdout.write(f"deleted (older than the newest {keep}): {path.name}")
        self.stdout.write("Copy it off this machine; restore it with: motcua restore " + str(result.path))

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from motcua.core import backup

from .backup import megabytes, secret_for


class Command(BaseCommand):
    help = (
        "Restore a backup archive into this data folder and database. Every checksum is verified before "
        "anything is replaced; a failed restore leaves everything as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--key-file", help="Decrypt with this key file (default MOTCUA_BACKUP_KEY_FILE).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a data folder or database that is not empty (stop motcua there first).",
        )
        parser.add_argument(
            "--verify-only", action="store_true", help="Check the archive completely; change nothing."
        )
        parser.add_argument(
            "--reindex", action="store_true", help="Rebuild the search indexes after the restore."
        )

    def handle(self, archive, key_file, force, verify_only, reindex, **options):
        try:
            secret = backup.configured_secret(key_file)
            if secret is None and backup.is_encrypted_archive(archive):
                secret = secret_for(None, confirm=False)  # typed in at a terminal
            result = backup.restore_backup(archive, secret=secret, force=force, verify_only=verify_only)
        except backup.BackupError as exc:
            raise CommandError(f"{exc}. Nothing was changed.") from exc
        manifest = result.manifest
        self.stdout.write(
            f"{'verified' if verify_only else 'restored'}: {archive}\n"
            f"  taken {manifest['created_at']} on {manifest['host']} by motcua {manifest['motcua_version']}; "
            f"{manifest['engine']} database and {result.files - 1} files, {megabytes(result.data)}, "
            f"every checksum verified, {result.seconds:.1f} s"
        )
        for note in result.notes:
            if (verify_only or reindex) and "reindex" in note:
                continue
            self.stdout.write(f"note: {note}")
        if result.pending_migrations:
            self.stdout.write(
                f"note: this motcua has {len(result.pending_migrations)} migrations the archive lacks: "
                "run `motcua migrate`"
            )
        if reindex and not verify_only:
            call_command("catalogue_reindex", stdout=self.stdout)
            call_command("knowledge_reindex", stdout=self.stdout)

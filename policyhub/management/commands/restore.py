"""`python manage.py restore ARCHIVE`: load a backup into the configured database and
MEDIA_ROOT, which must both be empty, then check every table's row count and every file's
checksum against the backup's manifest (policyhub/backup.py)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from policyhub import backup


class Command(BaseCommand):
    help = (
        "Restore a backup into an empty database (DATABASE_URL) and an empty MEDIA_ROOT, "
        "then compare row counts and file checksums with its manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="a policyhub-backup-*.tar file")

    def handle(self, *args, archive: Path, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        started = time.monotonic()
        try:
            manifest, problems = backup.restore_backup(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if problems:
            raise CommandError("The restore does not match the backup:\n" + "\n".join(problems))
        self.stdout.write(
            f"Restored {archive} (taken {manifest.created_at}): {len(manifest.tables)} tables, "
            f"{manifest.total_rows} rows, {len(manifest.files)} files, all matching the "
            f"manifest, in {time.monotonic() - started:.1f} s"
        )

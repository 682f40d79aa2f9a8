"""`python manage.py backup FOLDER [--keep N]`: the database and the uploaded files in one
archive with a manifest (policyhub/backup.py). Run it on a schedule: README, "Deploying for
real"."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from policyhub import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and MEDIA_ROOT into one archive with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="where to write the archive")
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="afterwards, delete all but the newest N archives in the folder (0: keep all)",
        )

    def handle(self, *args, folder: Path, keep: int, **options) -> None:
        if keep < 0:
            raise CommandError("--keep must be 0 (keep every archive) or more.")
        started = time.monotonic()
        try:
            path, manifest = backup.create_backup(folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{path} ({path.stat().st_size} bytes): {len(manifest.tables)} tables, "
            f"{manifest.total_rows} rows, {len(manifest.files)} files "
            f"({manifest.total_file_bytes} bytes) in {time.monotonic() - started:.1f} s"
        )
        for removed in backup.prune(folder, keep):
            self.stdout.write(f"Removed {removed}")

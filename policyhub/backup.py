"""Backups of the database and the uploaded files together, and their restore.

A backup is one uncompressed tar archive holding `database.dump` (`pg_dump -Fc`, itself
compressed), every file under MEDIA_ROOT as `media/<path>`, and `manifest.json`: the row
count of every table and the SHA-256 of every file and of the dump. Restoring checks the
archive against its manifest before anything is written, loads it into an empty database and
an empty media folder, then counts and hashes what landed and compares it with the manifest,
so a restore that lost anything says so instead of looking like success.

The dump and the row counts come from one exported snapshot, so the counts are exactly what
the dump holds even while the site is in use. Files are archived after the dump: an upload
writes its file before its row commits, so every file a dumped row names is already on disk.
Files uploaded meanwhile are archived too, harmlessly.

PostgreSQL only: for SQLite in development, copy `db.sqlite3` and `var/media` instead.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess  # nosec B404 - pg_dump and pg_restore, with argument lists, never a shell
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.db import connections, transaction

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
ARCHIVE_PREFIX = "policyhub-backup-"
ARCHIVE_SUFFIX = ".tar"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on, with a sentence saying what to do."""


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int


@dataclass
class Manifest:
    """What a backup holds, written into it and checked on restore."""

    created_at: str
    tables: dict[str, int] = field(default_factory=dict)
    files: dict[str, FileEntry] = field(default_factory=dict)
    dump: FileEntry | None = None
    format: int = FORMAT

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": self.format,
                "created_at": self.created_at,
                "tables": dict(sorted(self.tables.items())),
                "files": {
                    name: {"sha256": entry.sha256, "size": entry.size}
                    for name, entry in sorted(self.files.items())
                },
                "dump": {"sha256": self.dump.sha256, "size": self.dump.size} if self.dump else None,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise BackupError(
                f"This backup has manifest format {data.get('format')!r}; this version of "
                f"PolicyHub reads format {FORMAT}."
            )
        dump = data.get("dump")
        return cls(
            created_at=data["created_at"],
            tables={str(name): int(count) for name, count in data["tables"].items()},
            files={
                str(name): FileEntry(str(entry["sha256"]), int(entry["size"]))
                for name, entry in data["files"].items()
            },
            dump=FileEntry(str(dump["sha256"]), int(dump["size"])) if dump else None,
        )

    @property
    def total_rows(self) -> int:
        return sum(self.tables.values())

    @property
    def total_file_bytes(self) -> int:
        return sum(entry.size for entry in self.files.values())


# --- Comparing what is there with what the manifest says -------------------------------------
def compare(
    manifest: Manifest, *, tables: dict[str, int], files: dict[str, FileEntry]
) -> list[str]:
    """Every difference between the manifest and what was restored, one sentence each; an
    empty list means the restore is complete and exact."""
    problems: list[str] = []
    for name in sorted(manifest.tables.keys() - tables.keys()):
        problems.append(f"Table {name} is missing.")
    for name in sorted(tables.keys() - manifest.tables.keys()):
        problems.append(f"Table {name} is not in the backup.")
    for name in sorted(manifest.tables.keys() & tables.keys()):
        if manifest.tables[name] != tables[name]:
            problems.append(
                f"Table {name} has {tables[name]} rows; the backup has {manifest.tables[name]}."
            )
    for name in sorted(manifest.files.keys() - files.keys()):
        problems.append(f"File {name} is missing.")
    for name in sorted(files.keys() - manifest.files.keys()):
        problems.append(f"File {name} is not in the backup.")
    for name in sorted(manifest.files.keys() & files.keys()):
        if manifest.files[name] != files[name]:
            problems.append(f"File {name} differs from the backup (checksum or size).")
    return problems


def hash_stream(stream: IO[bytes]) -> FileEntry:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return FileEntry(digest.hexdigest(), size)


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(name relative to root, in POSIX form; path) of every regular file, in a stable order.
    Symbolic links are not followed: uploads are never links, and following one could
    archive something outside MEDIA_ROOT."""
    if not root.is_dir():
        return
    for folder, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(folder) / filename
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def file_checksums(root: Path) -> dict[str, FileEntry]:
    """SHA-256 and size of every file under root, by its relative name."""
    found = {}
    for name, path in _media_files(root):
        with path.open("rb") as stream:
            found[name] = hash_stream(stream)
    return found


def safe_media_name(member_name: str) -> str | None:
    """The media-relative name of an archive member, or None if it is not a media file or
    would land outside the media folder (absolute, or climbing with `..`)."""
    path = PurePosixPath(member_name)
    if path.is_absolute() or len(path.parts) < 2 or path.parts[0] != MEDIA:
        return None
    relative = PurePosixPath(*path.parts[1:])
    if any(part in {"", ".", ".."} for part in relative.parts):
        return None
    return relative.as_posix()


def archives_to_remove(folder: Path, keep: int) -> list[Path]:
    """The oldest archives beyond the newest `keep` (names sort by their UTC time)."""
    archives = sorted(
        path for path in folder.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}") if path.is_file()
    )
    return archives[:-keep] if keep > 0 else []


# --- PostgreSQL ---------------------------------------------------------------------------------
def _postgres_environment(alias: str) -> dict[str, str]:
    """libpq's variables for the database, so the password never appears in a command line
    (which any local user can read)."""
    db = settings.DATABASES[alias]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "Backups need PostgreSQL. With SQLite (development), copy db.sqlite3 and the "
            "media folder while the site is stopped."
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGDATABASE": db.get("NAME"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGHOST": db.get("HOST"),
        "PGPORT": str(db.get("PORT") or ""),
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found. Install PostgreSQL's client programs.")
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _count(cursor, table: str) -> int:
    # The table name comes from the database's own catalogue and is quoted.
    name = cursor.db.ops.quote_name(table)
    cursor.execute(f"SELECT count(*) FROM {name}")  # nosec B608
    return cursor.fetchone()[0]


def count_rows(alias: str = "default") -> dict[str, int]:
    """Rows in every table of the database (views left out)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        return {
            table: _count(cursor, table) for table in connection.introspection.table_names(cursor)
        }


# --- Backup -----------------------------------------------------------------------------------
class _HashingReader:
    """Hands tarfile the bytes of a file while hashing them, so the checksum is of exactly
    what went into the archive, even if the file changes while it is read."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def create_backup(
    folder: Path, *, media_root: Path | None = None, alias: str = "default"
) -> tuple[Path, Manifest]:
    """Write a new archive into folder; return its path and manifest. The archive appears
    under its final name only when complete, so a copy job or pruning never meets half of one."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    env = _postgres_environment(alias)
    pg_dump = _tool("pg_dump")
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    manifest = Manifest(created_at=now.isoformat(timespec="seconds").replace("+00:00", "Z"))
    final = folder / f"{ARCHIVE_PREFIX}{now:%Y%m%dT%H%M%SZ}{ARCHIVE_SUFFIX}"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".backup-") as work:
        dump = Path(work) / DUMP
        connection = connections[alias]
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            # The first statement of the transaction: a read-only snapshot that pg_dump
            # shares, so the counts below are exactly what the dump holds.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            manifest.tables = {table: _count(cursor, table) for table in tables}
            _run(
                [pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={dump}"],
                env,
            )  # fmt: skip
        with dump.open("rb") as stream:
            manifest.dump = hash_stream(stream)

        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            archive.add(dump, arcname=DUMP)
            for name, path in _media_files(media_root):
                with path.open("rb") as stream:
                    info = archive.gettarinfo(fileobj=stream, arcname=f"{MEDIA}/{name}")
                    reader = _HashingReader(stream)
                    archive.addfile(info, reader)
                    manifest.files[name] = FileEntry(reader.digest.hexdigest(), reader.size)
            data = manifest.to_json().encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
        os.replace(partial, final)
    return final, manifest


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives in folder; the deleted ones are returned."""
    removed = archives_to_remove(folder, keep)
    for path in removed:
        path.unlink()
    return removed


# --- Restore ----------------------------------------------------------------------------------
def read_manifest(archive: tarfile.TarFile) -> Manifest:
    try:
        stream = archive.extractfile(MANIFEST)
    except KeyError:
        raise BackupError("This file has no manifest.json: it is not a PolicyHub backup.") from None
    if stream is None:
        raise BackupError("The backup's manifest.json is not a file.")
    return Manifest.from_json(stream.read().decode())


def restore_backup(
    path: Path, *, media_root: Path | None = None, alias: str = "default"
) -> tuple[Manifest, list[str]]:
    """Load the archive into the configured database and media folder, both of which must be
    empty, and return its manifest with every difference found afterwards (none: exact)."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    env = _postgres_environment(alias)
    pg_restore = _tool("pg_restore")
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.introspection.table_names(cursor):
            raise BackupError(
                f"The database {settings.DATABASES[alias]['NAME']} already has tables. "
                "Restore into a new, empty database (createdb), then point DATABASE_URL at it."
            )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"The media folder {media_root} is not empty. Restore into a new, empty folder, "
            "then point MEDIA_ROOT at it."
        )
    with tarfile.open(path, "r:") as archive:
        manifest = read_manifest(archive)
        with tempfile.TemporaryDirectory(prefix="policyhub-restore-") as work:
            dump = Path(work) / DUMP
            _extract_checked(archive, DUMP, dump, manifest.dump)
            _run(
                [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
                 "--single-transaction", f"--dbname={env['PGDATABASE']}", str(dump)],
                env,
            )  # fmt: skip
        media_root.mkdir(parents=True, exist_ok=True)
        for member in archive:
            name = safe_media_name(member.name)
            if name is None or not member.isfile() or name not in manifest.files:
                continue
            _extract_checked(archive, member.name, media_root / name, manifest.files[name])
    connection.close()  # the restored tables are new to this connection's caches
    problems = compare(manifest, tables=count_rows(alias), files=file_checksums(media_root))
    return manifest, problems


def _extract_checked(
    archive: tarfile.TarFile, member: str, target: Path, expected: FileEntry | None
) -> None:
    """Copy one member out, refusing it if its bytes are not those the manifest names: a
    damaged archive stops the restore before a wrong byte is loaded."""
    try:
        stream = archive.extractfile(member)
    except KeyError:
        stream = None
    if stream is None or expected is None:
        raise BackupError(f"The backup's {member} is missing or not named in its manifest.")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with target.open("wb") as out:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if FileEntry(digest.hexdigest(), size) != expected:
        target.unlink()
        raise BackupError(f"The backup's {member} is damaged: its checksum does not match.")

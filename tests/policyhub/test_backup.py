"""Backups (policyhub/backup.py): the manifest, the comparison a restore ends with, the
checksums of files, and the archive's members that a restore refuses. The real pg_dump and
pg_restore run in `make prod-smoke`."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from policyhub.backup import (
    BackupError,
    FileEntry,
    Manifest,
    _extract_checked,
    archives_to_remove,
    compare,
    file_checksums,
    read_manifest,
    safe_media_name,
)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(**overrides) -> Manifest:
    values = {
        "created_at": "2026-03-01T02:30:00Z",
        "tables": {"documents_document": 3, "policyhub_user": 2},
        "files": {"documents/abc": FileEntry(sha(b"abc"), 3)},
        "dump": FileEntry(sha(b"dump"), 4),
    }
    return Manifest(**(values | overrides))


def test_manifest_survives_json():
    original = manifest()
    assert Manifest.from_json(original.to_json()) == original


def test_manifest_of_another_format_is_refused_with_a_reason():
    text = manifest().to_json().replace('"format": 1', '"format": 2')
    with pytest.raises(BackupError, match="format 2"):
        Manifest.from_json(text)


def test_manifest_totals():
    found = manifest(files={"a": FileEntry("x", 10), "b": FileEntry("y", 5)})
    assert (found.total_rows, found.total_file_bytes) == (5, 15)


def test_an_exact_restore_has_no_differences():
    expected = manifest()
    assert compare(expected, tables=dict(expected.tables), files=dict(expected.files)) == []


def test_every_difference_in_rows_is_named():
    problems = compare(
        manifest(),
        tables={"documents_document": 2, "meetings_meeting": 0},
        files=manifest().files,
    )
    assert problems == [
        "Table policyhub_user is missing.",
        "Table meetings_meeting is not in the backup.",
        "Table documents_document has 2 rows; the backup has 3.",
    ]


def test_every_difference_in_files_is_named():
    backed_up = {
        "documents/abc": FileEntry(sha(b"abc"), 3),
        "documents/gone": FileEntry(sha(b"g"), 1),
    }
    restored = {
        "documents/abc": FileEntry(sha(b"abd"), 3),
        "documents/new": FileEntry(sha(b"n"), 1),
    }
    problems = compare(manifest(files=backed_up), tables=manifest().tables, files=restored)
    assert problems == [
        "File documents/gone is missing.",
        "File documents/new is not in the backup.",
        "File documents/abc differs from the backup (checksum or size).",
    ]


def test_a_file_of_the_same_checksum_but_another_size_differs():
    problems = compare(
        manifest(), tables=manifest().tables, files={"documents/abc": FileEntry(sha(b"abc"), 4)}
    )
    assert problems == ["File documents/abc differs from the backup (checksum or size)."]


def test_file_checksums_cover_nested_files_by_relative_name(tmp_path):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "abc").write_bytes(b"abc")
    (tmp_path / "top.txt").write_bytes(b"")
    assert file_checksums(tmp_path) == {
        "documents/abc": FileEntry(sha(b"abc"), 3),
        "top.txt": FileEntry(sha(b""), 0),
    }


def test_file_checksums_do_not_follow_links_out_of_the_folder(tmp_path):
    outside = tmp_path / "secret"
    outside.write_bytes(b"not an upload")
    media = tmp_path / "media"
    media.mkdir()
    os.symlink(outside, media / "link")
    assert file_checksums(media) == {}


def test_file_checksums_of_a_missing_folder_are_empty(tmp_path):
    assert file_checksums(tmp_path / "nowhere") == {}


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ("media/documents/abc", "documents/abc"),
        ("media/top.txt", "top.txt"),
        ("database.dump", None),
        ("manifest.json", None),
        ("media", None),
        ("/media/documents/abc", None),
        ("media/../etc/passwd", None),
        ("media/documents/../../x", None),
        ("other/media/x", None),
    ],
)
def test_only_members_inside_the_media_folder_are_restored_as_files(member, expected):
    assert safe_media_name(member) == expected


def test_pruning_keeps_the_newest_archives(tmp_path):
    names = [
        "policyhub-backup-20260301T023000Z.tar",
        "policyhub-backup-20260302T023000Z.tar",
        "policyhub-backup-20260303T023000Z.tar",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "notes.txt").write_bytes(b"")
    assert archives_to_remove(tmp_path, 2) == [tmp_path / names[0]]
    assert archives_to_remove(tmp_path, 0) == []
    assert archives_to_remove(tmp_path, 5) == []


def archive_with(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "backup.tar"
    with tarfile.open(path, "w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_a_member_whose_bytes_differ_from_the_manifest_is_refused_and_not_left(tmp_path):
    path = archive_with(tmp_path, {"media/documents/abc": b"abX"})
    target = tmp_path / "restored" / "documents" / "abc"
    with tarfile.open(path) as archive, pytest.raises(BackupError, match="damaged"):
        _extract_checked(archive, "media/documents/abc", target, FileEntry(sha(b"abc"), 3))
    assert not target.exists()


def test_a_member_matching_the_manifest_is_copied_out(tmp_path):
    path = archive_with(tmp_path, {"media/documents/abc": b"abc"})
    target = tmp_path / "restored" / "documents" / "abc"
    with tarfile.open(path) as archive:
        _extract_checked(archive, "media/documents/abc", target, FileEntry(sha(b"abc"), 3))
    assert target.read_bytes() == b"abc"


def test_an_archive_without_a_manifest_is_not_a_backup(tmp_path):
    path = archive_with(tmp_path, {"database.dump": b"dump"})
    with tarfile.open(path) as archive, pytest.raises(BackupError, match="not a PolicyHub"):
        read_manifest(archive)


@pytest.mark.django_db
def test_backup_on_sqlite_says_what_to_do_instead(tmp_path, settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the SQLite message: checked by make test, which runs on SQLite")
    with pytest.raises(CommandError, match="copy db.sqlite3"):
        call_command("backup", str(tmp_path))


def test_backup_refuses_a_negative_keep(tmp_path):
    with pytest.raises(CommandError, match="--keep"):
        call_command("backup", str(tmp_path), "--keep", "-1")


def test_restore_of_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "nowhere.tar"))


@pytest.mark.django_db
def test_restore_refuses_a_database_that_already_has_tables(tmp_path, settings):
    """Restoring over a live database would mix two sites' rows: only an empty one will do."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("a PostgreSQL restore: checked by .ci/run's PostgreSQL + Redis step")
    path = archive_with(tmp_path, {"manifest.json": manifest().to_json().encode()})
    with pytest.raises(CommandError, match="already has tables"):
        call_command("restore", str(path))


def test_a_member_missing_from_the_archive_is_refused_with_a_reason(tmp_path):
    path = archive_with(tmp_path, {"manifest.json": b"{}"})
    with tarfile.open(path) as archive, pytest.raises(BackupError, match="missing"):
        _extract_checked(archive, "database.dump", tmp_path / "dump", FileEntry(sha(b"d"), 1))

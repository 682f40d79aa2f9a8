"""Office files are zip archives: one that would expand to far more than it weighs is
refused next to the file field, without being unpacked, and nothing is stored."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents import uploads
from documents.models import DocumentFile
from documents.uploads import check_upload
from tests.documents.factories import DocumentFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _archive(*, zeros: tuple[str, int] | None = None, parts: int = 0) -> bytes:
    """An .odt: a member `zeros[0]` of `zeros[1]` zero bytes (deflated), the mimetype first
    unless that member is it, a content.xml, and `parts` empty members."""
    buffer = io.BytesIO(_deflated_zeros(*zeros) if zeros else b"")
    with zipfile.ZipFile(buffer, "a" if zeros else "w") as archive:
        if not zeros or zeros[0] != "mimetype":
            archive.writestr("mimetype", ODT_MIMETYPE)
        archive.writestr("content.xml", b"<office:document-content/>")
        for number in range(parts):
            archive.writestr(f"Pictures/{number}.png", b"")
    return buffer.getvalue()


def _deflated_zeros(name: str, size: int) -> bytes:
    """A zip of one member that unpacks to `size` zero bytes, built in milliseconds: a
    full flush makes every compressed megabyte the same, so one is compressed and
    repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    megabyte = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = megabyte * (size // MB) + compressor.flush()
    crc, zero_megabyte = 0, bytes(MB)
    for _ in range(size // MB):
        crc = zlib.crc32(zero_megabyte, crc)
    raw_name = name.encode()
    deflated, version, date = 8, 20, 33  # 1 January 1980
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", version, 0, deflated, 0, date, crc, len(data), size,
        len(raw_name), 0,
    )  # fmt: skip
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", version, version, 0, deflated, 0, date, crc, len(data),
        size, len(raw_name), 0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    member = local + raw_name + data
    directory = central + raw_name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(member), 0)
    return member + directory + end


def _attach(client, document, name: str, content: bytes):
    return client.post(
        reverse("documents:add-file", args=[document.slug]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_a_zip_bomb_in_the_mimetype_is_refused_next_to_the_field_and_not_stored(
    client, secretariat
):
    bomb = _archive(zeros=("mimetype", 200 * MB))
    assert len(bomb) < MB
    document = DocumentFactory()
    client.force_login(secretariat)
    response = _attach(client, document, "paper.odt", bomb)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert 'class="govuk-error-message"' in html
    assert "The selected file could not be checked: it expands to more than 100 MB." in html
    assert not DocumentFile.objects.exists()


def test_an_archive_with_too_many_parts_is_refused_next_to_the_field_and_not_stored(
    client, secretariat
):
    document = DocumentFactory()
    client.force_login(secretariat)
    response = _attach(client, document, "paper.odt", _archive(parts=uploads.MAX_ARCHIVE_MEMBERS))
    html = response.content.decode()
    assert response.status_code == 200
    assert "it holds more than 5,000 parts" in html
    assert not DocumentFile.objects.exists()


def test_an_archive_within_the_bounds_is_accepted():
    upload = SimpleUploadedFile(
        "paper.odt", _archive(zeros=("Pictures/big.bmp", 2 * MB), parts=100)
    )
    assert check_upload(upload).file_type == "odt"


def test_a_mimetype_that_expands_beyond_its_few_bytes_is_never_unpacked():
    """Within the total allowed, a mimetype claiming 90 MB is refused on its declared
    size, and would be unpacked no further than a hundred bytes anyway."""
    upload = SimpleUploadedFile("paper.odt", _archive(zeros=("mimetype", 90 * MB)))
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="its contents are not OpenDocument text"):
            check_upload(upload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * MB


def test_a_damaged_compressed_member_is_refused_not_an_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT_MIMETYPE)
    data = bytearray(buffer.getvalue())
    start = 30 + len("mimetype")  # the member's data follows its local header and name
    data[start : start + 8] = b"\xff" * 8
    with pytest.raises(ValidationError, match="its contents are not OpenDocument text"):
        check_upload(SimpleUploadedFile("paper.odt", bytes(data)))


def test_too_many_parts_are_refused_before_the_table_of_contents_is_read():
    archive = _archive(parts=uploads.MAX_ARCHIVE_MEMBERS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uploads.zipfile, "ZipFile", _unread)
        with pytest.raises(ValidationError, match="it holds more than 5,000 parts"):
            check_upload(SimpleUploadedFile("paper.odt", archive))


def test_an_overlong_table_of_contents_is_refused_before_it_is_read():
    """A few parts with very long names: the table of contents is what zipfile would
    read whole, so its length is bounded too."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODT_MIMETYPE)
        for number in range(200):
            archive.writestr(f"{number}-" + "x" * 30_000, b"")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uploads.zipfile, "ZipFile", _unread)
        with pytest.raises(ValidationError, match="its list of contents is longer than 5 MB"):
            check_upload(SimpleUploadedFile("paper.odt", buffer.getvalue()))


def _unread(*args, **kwargs):
    raise AssertionError("zipfile read the table of contents")

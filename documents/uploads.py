"""Safe uploads: an allow-list of types checked by content, a size limit, clean names.

The extension says what a file claims to be; the first bytes (and, for office formats, the
zip's table of contents) say what it is. Both must agree, so an HTML page renamed .pdf is
refused. An office file is read only as far as that check needs, within bounds on its
parts, so a small archive that unpacks to gigabytes is refused rather than unpacked. See
docs/decisions/0302-documents-files.md.
"""

from __future__ import annotations

import os
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024
# Office files are zip archives, and a small archive can unpack to gigabytes. Only the
# table of contents is read whole; it may list this many parts adding up to this much, and
# of the parts only an OpenDocument file's mimetype is read (its text is under 100 bytes).
MAX_ARCHIVE_MEMBERS = 5_000
MAX_TABLE_OF_CONTENTS_BYTES = 5 * 1024 * 1024  # 5,000 parts with names of 1,000 characters
MAX_ARCHIVE_EXPANDED_BYTES = 100 * 1024 * 1024
MIMETYPE_BYTES = 100


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    is_text: bool = False


FILE_TYPES: dict[str, FileType] = {
    "pdf": FileType("PDF", "application/pdf"),
    "odt": FileType("OpenDocument text", "application/vnd.oasis.opendocument.text"),
    "ods": FileType("OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet"),
    "docx": FileType(
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": FileType(
        "Excel spreadsheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv": FileType("CSV", "text/csv; charset=utf-8", is_text=True),
    "txt": FileType("Plain text", "text/plain; charset=utf-8", is_text=True),
    "md": FileType("Markdown", "text/plain; charset=utf-8", is_text=True),
}
ALLOWED_LIST = "PDF, ODT, ODS, DOCX, XLSX, CSV, TXT or Markdown (.md)"
# Text that a browser could treat as a web page, even when served as text.
_LOOKS_LIKE_HTML = re.compile(rb"^\s*<(!doctype|html|head|body|script|svg|iframe|\?xml)", re.I)


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    file_type: str
    size: int
    text: str


def max_upload_bytes() -> int:
    return getattr(settings, "DOCUMENTS_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def clean_file_name(raw_name: str) -> str:
    """A display and download name: no folders, no control characters, nothing hidden.

    Refuses (rather than silently rewrites) a name that tries to climb folders, so the
    person uploading learns their file was odd.
    """
    name = unicodedata.normalize("NFC", raw_name or "").strip()
    if "/" in name or "\\" in name or ".." in name or "\x00" in name:
        raise ValidationError(
            "The file name must not contain folder names or '..'. "
            "Rename the file, for example to report.pdf, and try again.",
            code="path",
        )
    name = re.sub(r"[^\w\s.()-]", "", name, flags=re.UNICODE)
    name = re.sub(r"\s+", "-", name).strip(".-")
    if not name or "." not in name:
        raise ValidationError(
            "The file name must end with its type, for example report.pdf.", code="name"
        )
    stem, _, extension = name.rpartition(".")
    return f"{stem[:150]}.{extension.lower()}"


def _zip_names(head_and_file: UploadedFile) -> set[str] | None:
    """The names inside an office file, with "mimetype:<its text>" for an OpenDocument
    file's mimetype; None if it is not a readable zip. Raises ValidationError for an
    archive that would expand beyond the bounds below."""
    try:
        _check_table_of_contents(head_and_file)
        head_and_file.seek(0)
        with zipfile.ZipFile(head_and_file) as archive:
            members = archive.infolist()
            _check_archive_bounds(members)
            names = {member.filename for member in members}
            if "mimetype" in names:
                mimetype = _read_member(archive, "mimetype", limit=MIMETYPE_BYTES)
                if mimetype is None:
                    return None
                names.add("mimetype:" + mimetype.decode("ascii", "replace"))
            return names
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # an encrypted member
        OSError,
        ValueError,
    ):
        return None
    finally:
        head_and_file.seek(0)


# The record that closes a zip (and, before it, the locator and record of a zip64 one).
_END = struct.Struct("<4s4H2LH")
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")


def _check_table_of_contents(upload: UploadedFile) -> None:
    """Refuse an archive whose table of contents is too long, before zipfile reads it
    (it builds an object for every entry: a 25 MB upload can list 270,000). Reads the
    closing record zipfile itself trusts for where the table is and how long."""
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    upload.seek(max(size - _END.size - 0xFFFF, 0))  # the record, then a comment of any length
    tail = upload.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END.size:
        return  # not a zip: zipfile will say so
    *_, members, directory_bytes, _, _ = _END.unpack_from(tail, at)
    record_at = at - _END64_LOCATOR.size - _END64.size
    if record_at >= 0 and tail[at - _END64_LOCATOR.size :].startswith(b"PK\x06\x07"):
        if not tail[record_at:].startswith(b"PK\x06\x06"):
            return  # a damaged zip64 record: zipfile will refuse it
        *_, members, directory_bytes, _ = _END64.unpack_from(tail, record_at)
    if members > MAX_ARCHIVE_MEMBERS:
        raise _too_many_members()
    if directory_bytes > MAX_TABLE_OF_CONTENTS_BYTES:
        raise ValidationError(
            "The selected file could not be checked: its list of contents is longer than "
            f"{MAX_TABLE_OF_CONTENTS_BYTES // 1024**2} MB. Upload a simpler file.",
            code="archive",
        )


def _too_many_members() -> ValidationError:
    return ValidationError(
        "The selected file could not be checked: it holds more than "
        f"{MAX_ARCHIVE_MEMBERS:,} parts. Upload a simpler file.",
        code="archive",
    )


def _check_archive_bounds(members: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive whose table of contents promises too much. The sizes are the
    archive's own claims; reads stay bounded in `_read_member` in case they are false."""
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise _too_many_members()
    if sum(member.file_size for member in members) > MAX_ARCHIVE_EXPANDED_BYTES:
        raise ValidationError(
            "The selected file could not be checked: it expands to more than "
            f"{MAX_ARCHIVE_EXPANDED_BYTES // 1024**2} MB. Upload a smaller file.",
            code="archive",
        )


def _read_member(archive: zipfile.ZipFile, name: str, *, limit: int) -> bytes | None:
    """The member's bytes, or None if it is longer than `limit`: refused on its declared
    size before anything is unpacked, and never unpacked beyond `limit` + 1 bytes in case
    that size is false. (No compression ratio is needed: nothing longer is ever read.)"""
    info = archive.getinfo(name)
    if info.file_size > limit:
        return None
    with archive.open(info) as member:
        data = member.read(limit + 1)
    return data if len(data) <= limit else None


def _content_matches(extension: str, upload: UploadedFile, head: bytes) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in {"odt", "ods", "docx", "xlsx"}:
        if not head.startswith(b"PK\x03\x04"):
            return False
        names = _zip_names(upload)
        if names is None:
            return False
        expected = {
            "odt": "mimetype:" + FILE_TYPES["odt"].content_type,
            "ods": "mimetype:" + FILE_TYPES["ods"].content_type,
            "docx": "word/document.xml",
            "xlsx": "xl/workbook.xml",
        }[extension]
        return expected in names
    # Text types: valid UTF-8, no NUL bytes, and not a web page in disguise.
    return not (b"\x00" in head or _LOOKS_LIKE_HTML.match(head))


def _read_text(upload: UploadedFile) -> str | None:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "\x00" in text or _LOOKS_LIKE_HTML.match(data.lstrip(b"\xef\xbb\xbf")):
        return None
    return text


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Accept the file or raise ValidationError with a sentence that says what to do."""
    name = clean_file_name(upload.name or "")
    extension = name.rpartition(".")[2]
    if extension not in FILE_TYPES:
        raise ValidationError(f"The selected file must be a {ALLOWED_LIST}.", code="type")
    limit = max_upload_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            f"The selected file must be smaller than {filesizeformat(limit)}.", code="size"
        )
    if upload.size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    text = ""
    if not _content_matches(extension, upload, head):
        raise ValidationError(
            f"The selected file is named .{extension} but its contents are not "
            f"{FILE_TYPES[extension].label}. Upload a {ALLOWED_LIST} file.",
            code="content",
        )
    if FILE_TYPES[extension].is_text:
        decoded = _read_text(upload)
        if decoded is None:
            raise ValidationError(
                f"The selected file is named .{extension} but its contents are not "
                f"{FILE_TYPES[extension].label}. Save it as UTF-8 text and try again.",
                code="content",
            )
        text = decoded
    return CheckedUpload(name=name, file_type=extension, size=upload.size, text=text)

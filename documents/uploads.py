"""Safe uploads: an allow-list of types checked by content, a size limit, clean names.

The extension says what a file claims to be; the first bytes (and, for office formats, the
zip's table of contents) say what it is. Both must agree, so an HTML page renamed .pdf is
refused. See docs/decisions/0302-documents-files.md.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024


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
    try:
        head_and_file.seek(0)
        with zipfile.ZipFile(head_and_file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                names.add("mimetype:" + archive.read("mimetype").decode("ascii", "replace"))
            return names
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        head_and_file.seek(0)


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
            f"The selected file is not really a {FILE_TYPES[extension].label} file. "
            f"Upload a {ALLOWED_LIST} file.",
            code="content",
        )
    if FILE_TYPES[extension].is_text:
        decoded = _read_text(upload)
        if decoded is None:
            raise ValidationError(
                f"The selected file is not really a {FILE_TYPES[extension].label} file. "
                "Save it as UTF-8 text and try again.",
                code="content",
            )
        text = decoded
    return CheckedUpload(name=name, file_type=extension, size=upload.size, text=text)

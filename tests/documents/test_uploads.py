"""Uploads: allowed types checked by content, a size limit, and clean, safe names."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import DocumentFile
from documents.uploads import check_upload, clean_file_name
from tests.documents.factories import PDF_BYTES, DocumentFactory

pytestmark = pytest.mark.django_db


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


@pytest.mark.parametrize(
    ("name", "content", "file_type"),
    [
        ("paper.pdf", PDF_BYTES, "pdf"),
        ("paper.docx", DOCX, "docx"),
        ("paper.odt", ODT, "odt"),
        ("figures.csv", b"year,count\n2014,3\n", "csv"),
        ("notes.txt", "Notes with a pound sign: £".encode(), "txt"),
        ("notes.md", b"# Notes\n\nSome *text*.", "md"),
    ],
)
def test_allowed_types_with_matching_content_are_accepted(name, content, file_type):
    checked = check_upload(SimpleUploadedFile(name, content))
    assert checked.file_type == file_type
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.exe", b"MZ\x90\x00", "must be a PDF"),
        ("page.html", b"<html><body>hi</body></html>", "must be a PDF"),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "not PDF"),
        ("page.txt", b"<html><script>alert(1)</script></html>", "not Plain text"),
        ("fake.docx", PDF_BYTES, "its contents are not Word"),
        ("odt-as-docx.docx", ODT, "its contents are not Word"),
        ("binary.csv", b"a,b\x00\x01", "its contents are not CSV"),
        ("latin1.txt", "caf\xe9".encode("latin-1"), "UTF-8"),
        ("empty.pdf", b"", "empty"),
        ("noextension", b"text", "must end with its type"),
    ],
)
def test_wrong_or_disguised_files_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError, match=message):
        check_upload(SimpleUploadedFile(name, content))


def test_oversized_file_is_refused(settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError, match="smaller than 1.0"):
        check_upload(SimpleUploadedFile("big.pdf", PDF_BYTES + b" " * 2048))


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.txt", "..\\..\\windows\\evil.pdf", "a/../b.pdf", "evil\x00.pdf"]
)
def test_path_traversal_names_are_refused(name):
    with pytest.raises(ValidationError, match="folder names"):
        clean_file_name(name)


def test_names_are_sanitised_for_display_and_download():
    assert clean_file_name('My "final" paper (v2).PDF') == "My-final-paper-(v2).pdf"
    assert clean_file_name(".hidden.pdf") == "hidden.pdf"


def test_stored_name_is_unguessable_and_unrelated_to_the_upload(secretariat):
    from documents import services

    document = DocumentFactory()
    attached = services.attach_file(
        document, by=secretariat, upload=SimpleUploadedFile("secret-plan.pdf", PDF_BYTES)
    )
    assert "secret" not in attached.file.name
    assert attached.file.name.startswith("documents/")
    assert len(attached.file.name.rsplit("/", 1)[1]) == 32


def test_upload_page_shows_the_error_next_to_the_field_and_in_the_summary(client, secretariat):
    document = DocumentFactory()
    client.force_login(secretariat)
    response = client.post(
        f"/documents/{document.slug}/files/new/",
        {"file": SimpleUploadedFile("page.pdf", b"<html><script>x</script></html>")},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Attach a file" in html
    assert "govuk-error-summary" in html
    assert 'class="govuk-error-message"' in html
    assert "its contents are not PDF" in html
    assert not DocumentFile.objects.exists()


def test_folder_names_sent_by_a_browser_never_reach_storage_or_display(client, secretariat):
    # Django's upload parser already drops folder parts; the service refuses any that
    # remain (see test_path_traversal_names_are_refused). Either way nothing escapes.
    document = DocumentFactory()
    client.force_login(secretariat)
    client.post(
        f"/documents/{document.slug}/files/new/",
        {"file": SimpleUploadedFile("..\\..\\evil.pdf", PDF_BYTES)},
    )
    attached = DocumentFile.objects.get()
    assert attached.name == "evil.pdf"
    assert ".." not in attached.file.name


def test_text_of_text_files_is_kept_for_search(secretariat):
    from documents import services

    document = DocumentFactory()
    attached = services.attach_file(
        document, by=secretariat, upload=SimpleUploadedFile("n.txt", b"Trusted third party")
    )
    assert attached.text == "Trusted third party"

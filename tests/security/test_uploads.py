"""Hostile uploads through the real "Attach a file" page, then the download of whatever was
accepted: polyglots, wrong extensions, oversized and empty files, very long and Unicode
names, path traversal. tests/documents/test_uploads.py covers the checker unit by unit;
this file checks what a browser would get back."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import DocumentFile
from tests.documents.factories import PDF_BYTES, DocumentFactory

pytestmark = pytest.mark.django_db

REFUSED = [
    ("page.pdf", b"<!doctype html><script>alert(1)</script>", "wrong extension: HTML as .pdf"),
    ("page.txt", b"<html><body onload=alert(1)>", "HTML as text"),
    ("page.txt", b"\xef\xbb\xbf  <svg onload=alert(1)>", "SVG behind a byte-order mark"),
    ("page.md", b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "XML as md"),
    ("page.html", b"<p>hello</p>", "not an allowed type"),
    ("page.svg", b"<svg onload=alert(1)/>", "SVG is not allowed"),
    ("archive.docx", b"PK\x03\x04" + b"\x00" * 64, "a zip that is not a Word document"),
    ("script.pdf.exe", b"MZ" + b"\x00" * 64, "a program with a double extension"),
    ("empty.pdf", b"", "zero bytes"),
    ("binary.txt", b"text\x00with a NUL", "binary as text"),
    ("../../etc/passwd.txt", b"root:x:0:0", "path traversal"),
    ("..\\..\\win.ini.txt", b"[fonts]", "Windows path traversal"),
    ("noextension", b"plain", "no extension"),
]
ACCEPTED = [
    ("polyglot.pdf", PDF_BYTES + b"<html><script>alert(1)</script></html>", "PDF/HTML polyglot"),
    ("gif.txt", b"GIF89a/*<script>alert(1)</script>*/", "GIF/JS polyglot as text"),
    ("comment.txt", b"<!-- --><script>alert(1)</script>", "HTML after a comment, as text"),
    ("R\u00e9sum\u00e9 \u202egnp.pdf", PDF_BYTES, "Unicode with a right-to-left override"),
    ("a" * 400 + ".pdf", PDF_BYTES, "a 400-character name"),
    ("\u6570\u636e\u5171\u4eab.pdf", PDF_BYTES, "a Chinese name"),
]


def _attach(client, document, name: str, content: bytes):
    return client.post(
        reverse("documents:add-file", args=[document.slug]),
        {"file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(("name", "content", "why"), REFUSED, ids=[r[2] for r in REFUSED])
def test_hostile_upload_is_refused_with_a_message(client, secretariat, name, content, why):
    document = DocumentFactory()
    client.force_login(secretariat)
    response = _attach(client, document, name, content)
    if response.status_code == 302:
        # Django's upload parser keeps only the last part of a path ("passwd.txt"), so a
        # traversal attempt may arrive harmless: then nothing of the path may survive.
        attached = DocumentFile.objects.get()
        assert "traversal" in why
        assert "/" not in attached.name and ".." not in attached.file.name
        return
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not DocumentFile.objects.exists()


def test_oversized_upload_is_refused(client, secretariat, settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 1024
    document = DocumentFactory()
    client.force_login(secretariat)
    response = _attach(client, document, "big.pdf", PDF_BYTES + b"0" * 2048)
    assert response.status_code == 200
    assert "smaller than" in response.content.decode()
    assert not DocumentFile.objects.exists()


@pytest.mark.parametrize(("name", "content", "why"), ACCEPTED, ids=[a[2] for a in ACCEPTED])
def test_accepted_odd_file_downloads_inert(client, secretariat, name, content, why):
    """Accepted files come back as attachments that a browser will not sniff, render or
    frame, under a cleaned name of sane length with no control characters."""
    document = DocumentFactory()
    client.force_login(secretariat)
    assert _attach(client, document, name, content).status_code == 302
    attached = DocumentFile.objects.get()
    assert len(attached.name) <= 160
    assert "\u202e" not in attached.name
    assert "/" not in attached.name and ".." not in attached.file.name
    client.logout()
    response = client.get(
        reverse("documents:download", args=[document.slug, attached.pk, attached.name])
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert not response.headers["Content-Type"].startswith(("text/html", "image/svg"))

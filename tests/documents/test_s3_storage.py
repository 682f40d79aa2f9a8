"""Uploads in an S3-compatible bucket (MEDIA_STORAGE=s3), against moto's S3 server over real
HTTP: files land in the bucket and not on this server's disk, and every download still
passes the access check and is streamed, never redirected to the bucket."""

from __future__ import annotations

import runpy
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from documents import services
from documents.models import DocumentFile
from tests.documents.factories import PDF_BYTES, DocumentFactory, RestrictionFactory, upload
from tests.policyhub.test_settings import run_django

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-2"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 stand-in, a real HTTP server in a thread, for this module's tests."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, tmp_path):
    """A new empty bucket, and the default storage exactly as base.py builds it for
    MEDIA_STORAGE=s3 from these environment variables."""
    name = f"policyhub-{uuid.uuid4().hex[:12]}"
    environment = {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": "policyhub-test",
        "AWS_SECRET_ACCESS_KEY": "policyhub-test-secret",
    }
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    built = runpy.run_path(str(ROOT / "policyhub" / "settings" / "base.py"))
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=environment["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=environment["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.MEDIA_STORAGE = built["MEDIA_STORAGE"]
    settings.MEDIA_ROOT = tmp_path  # nothing may be written here
    settings.STORAGES = {**settings.STORAGES, "default": built["STORAGES"]["default"]}
    client.bucket_name = name
    return client


def _objects(bucket) -> dict[str, bytes]:
    listing = bucket.list_objects_v2(Bucket=bucket.bucket_name).get("Contents", [])
    return {
        item["Key"]: bucket.get_object(Bucket=bucket.bucket_name, Key=item["Key"])["Body"].read()
        for item in listing
    }


@pytest.fixture
def restricted_doc(bucket, group, secretariat):
    """Restricted and shared with `group`, its file attached while the bucket is the storage."""
    document = DocumentFactory(process=group.process, groups=[group], slug="bucket-draft")
    services.attach_file(document, by=secretariat, upload=upload("annex.pdf"))
    RestrictionFactory(document=document, restricted_by=secretariat)
    document.shared_with_groups.add(group)
    return document


def test_uploaded_file_is_stored_in_the_bucket_not_on_local_disk(
    client, bucket, group, secretariat, tmp_path
):
    document = DocumentFactory(process=group.process, groups=[group], slug="bucket-paper")
    client.force_login(secretariat)
    response = client.post(f"/documents/{document.slug}/files/new/", {"file": upload("annex.pdf")})
    assert response.status_code == 302
    attached = DocumentFile.objects.get(document=document)
    assert _objects(bucket) == {attached.file.name: PDF_BYTES}
    assert attached.file.name.startswith("documents/")
    assert list(tmp_path.rglob("*")) == []


def test_allowed_reader_downloads_the_files_bytes_from_the_bucket(client, restricted_doc, member):
    client.force_login(member)
    response = client.get(restricted_doc.files.get().get_absolute_url())
    assert response.status_code == 200
    assert "Location" not in response
    assert response["Content-Disposition"] == 'attachment; filename="annex.pdf"'
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_public_cannot_download_file_of_restricted_document_from_the_bucket(client, restricted_doc):
    assert client.get(restricted_doc.files.get().get_absolute_url()).status_code == 404


def test_file_in_the_bucket_is_streamed_even_with_x_accel_redirect_set(
    client, restricted_doc, secretariat, settings
):
    """nginx cannot read the bucket: a header pointing it there would serve nothing."""
    settings.DOCUMENTS_FILE_SERVING = "x-accel-redirect"
    client.force_login(secretariat)
    response = client.get(restricted_doc.files.get().get_absolute_url())
    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_removing_a_file_deletes_its_object_from_the_bucket(
    client, bucket, restricted_doc, secretariat, django_capture_on_commit_callbacks
):
    attached = restricted_doc.files.get()
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/documents/{restricted_doc.slug}/files/{attached.pk}/remove/")
    assert _objects(bucket) == {}


# --- Production settings ----------------------------------------------------------------------


def test_production_refuses_s3_storage_without_a_bucket():
    result = run_django("print('started')", MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME=None)
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME must be set when MEDIA_STORAGE is s3" in result.stderr
    assert "started" not in result.stdout


def test_production_refuses_s3_storage_with_files_handed_to_the_web_server():
    result = run_django(
        "print('started')",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="policyhub-uploads",
        DOCUMENTS_FILE_SERVING="x-accel-redirect",
    )
    assert result.returncode != 0
    assert "DOCUMENTS_FILE_SERVING must be django when MEDIA_STORAGE is s3" in result.stderr


def test_production_keeps_files_in_a_private_bucket_with_s3_storage():
    result = run_django(
        "from django.conf import settings; s = settings.STORAGES['default']; "
        "o = s['OPTIONS']; print(s['BACKEND'], o['bucket_name'], o['default_acl'], "
        "o['querystring_auth'], o['file_overwrite'])",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="policyhub-uploads",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "policyhub-uploads",
        "None",
        "True",
        "False",
    ]


def test_an_unknown_media_storage_is_refused():
    result = run_django("print('started')", MEDIA_STORAGE="s4")
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be 'filesystem' or 's3'" in result.stderr

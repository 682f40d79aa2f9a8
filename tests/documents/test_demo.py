"""The demo holds the seed's documents, open by default, with two restricted cases."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from documents.models import Document, Restriction
from policyhub.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_demo_has_the_seeds_documents(demo):
    slugs = set(Document.objects.values_list("slug", flat=True))
    assert {
        "planning-meeting-note-31-march-2014",
        "terms-of-reference",
        "interim-policy-paper-october-2014",
        "joint-policy-paper-february-2015",
        "white-paper-data-sharing-2015",
        "better-use-of-data-consultation",
        "external-advisory-group-report",
        "working-paper-research-and-statistics",
    } <= slugs


def test_demo_restrictions_have_a_case_and_are_hidden_from_the_public(client, demo):
    restrictions = Restriction.objects.active().select_related("document")
    assert restrictions.count() == 2
    for restriction in restrictions:
        assert len(restriction.justification) > 100
        assert (restriction.review_on - restriction.restricted_at.date()).days <= 183
        assert client.get(restriction.document.get_absolute_url()).status_code == 404
    register = client.get("/documents/restricted/").content.decode()
    assert "Correspondence with a commercial data supplier" in register
    assert "Acme" not in register


def test_demo_files_download_and_versions_compare(client, demo):
    note = Document.objects.get(slug="planning-meeting-note-31-march-2014")
    response = client.get(note.files.get().get_absolute_url())
    assert b"Planning the open policy process" in b"".join(response.streaming_content)
    paper = Document.objects.get(slug="joint-policy-paper-february-2015")
    assert (
        b"".join(client.get(paper.files.get().get_absolute_url()).streaming_content)[:5] == b"%PDF-"
    )
    compare = client.get("/documents/terms-of-reference/compare/1...2/").content.decode()
    assert "Parallel sign-off" in compare


def test_demo_restrictions_are_in_the_access_log_when_they_happened(client, demo, secretariat):
    client.force_login(secretariat)
    log = client.get(reverse("documents:access-log")).content.decode()
    for restriction in Restriction.objects.active().select_related("document"):
        assert restriction.document.title in log
    entries = AuditEntry.objects.filter(action="documents.restricted")
    assert entries.count() == 2
    assert {e.created_at.date() for e in entries} == {date(2016, 1, 20), date(2016, 2, 10)}
    assert all(e.actor.email == "secretariat@demo.policyhub.test" for e in entries)

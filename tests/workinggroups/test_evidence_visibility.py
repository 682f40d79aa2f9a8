"""A task's evidence never reveals a restricted document, not even its title."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import services as document_services
from tests.documents.factories import DocumentFactory
from tests.factories import WorkingGroupFactory
from workinggroups.models import Evidence
from workinggroups.services import add_default_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def task_with_evidence(secretariat):
    group = WorkingGroupFactory()
    task = add_default_tasks(group)[0]
    open_document = DocumentFactory(process=group.process, title="Open evidence paper")
    withheld = DocumentFactory(process=group.process, title="Withheld negotiation draft")
    document_services.restrict_document(
        withheld,
        grounds=["negotiation"],
        justification="Early release would harm negotiations with suppliers about terms.",
        review_on=timezone.localdate() + timedelta(days=90),
        by=secretariat,
    )
    Evidence.objects.create(task=task, title="Open paper", document=open_document)
    Evidence.objects.create(task=task, title="Negotiation draft", document=withheld)
    return task


def test_public_sees_open_evidence_but_not_restricted_document_title(client, task_with_evidence):
    task = task_with_evidence
    url = reverse("workinggroups:task", args=[task.group.slug, task.position])
    html = client.get(url).content.decode()
    assert "Open evidence paper" in html
    assert "Withheld negotiation draft" not in html
    assert "Negotiation draft" not in html


def test_secretariat_sees_restricted_evidence(client, secretariat, task_with_evidence):
    task = task_with_evidence
    client.force_login(secretariat)
    url = reverse("workinggroups:task", args=[task.group.slug, task.position])
    assert "Withheld negotiation draft" in client.get(url).content.decode()

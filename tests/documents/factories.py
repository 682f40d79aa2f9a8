"""Factories for the documents app's own models."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import Document, DocumentVersion, Evidence, Organisation, Restriction
from tests.factories import ProcessFactory, SecretariatMemberFactory
from tests.workinggroups.factories import TaskFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")


class DocumentFactory(factory.django.DjangoModelFactory):
    """A published document, open to everyone, with its first version."""

    class Meta:
        model = Document
        skip_postgeneration_save = True

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Policy paper {n}")
    slug = factory.Sequence(lambda n: f"policy-paper-{n}")
    summary = "Proposals for sharing data with safeguards."
    body = "## Proposals\n\nShare de-identified data through a trusted third party."
    kind = Document.Kind.POLICY_PAPER
    status = Document.Status.PUBLISHED
    published_on = factory.LazyFunction(lambda: date(2014, 10, 28))

    @factory.post_generation
    def groups(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.working_groups.set(extracted)

    @factory.post_generation
    def first_version(self, create: bool, extracted, **kwargs) -> None:
        if create and self.status == Document.Status.PUBLISHED and extracted is not False:
            DocumentVersion.objects.create(
                document=self,
                number=1,
                title=self.title,
                summary=self.summary,
                body=self.body,
                change_note="First published.",
            )


class RestrictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Restriction

    document = factory.SubFactory(DocumentFactory)
    grounds = Restriction.Ground.NEGOTIATION
    justification = "Publishing the draft now would harm the negotiation with suppliers."
    public_title = "Draft under negotiation"
    restricted_by = factory.LazyFunction(lambda: SecretariatMemberFactory().user)
    review_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))


def upload(name: str = "paper.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def restrict(document: Document, *, by) -> None:
    """Restrict a document through the service, as the secretariat does (audit, signals)."""
    from documents import services

    services.restrict_document(
        document,
        by=by,
        grounds=["security"],
        justification="The annex describes how the secure setting is protected.",
        review_on=timezone.localdate() + timedelta(days=30),
    )


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A web page cited as evidence for a task of a working group's workplan."""

    class Meta:
        model = Evidence

    task = factory.SubFactory(TaskFactory)
    title = "A report"
    url = "https://www.example.org/report"

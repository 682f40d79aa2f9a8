"""The database is the last line of defence: it refuses a restriction without its case, and
evidence that links nowhere."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from documents.models import Evidence, Restriction
from tests.documents.factories import DocumentFactory, RestrictionFactory
from tests.workinggroups.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _refused(**fields) -> bool:
    try:
        with transaction.atomic():
            RestrictionFactory(**fields)
    except IntegrityError:
        return True
    return False


def test_database_refuses_a_restriction_without_justification():
    assert _refused(justification="")


def test_database_refuses_a_restriction_with_a_justification_shorter_than_a_sentence():
    assert _refused(justification="   because   ")


def test_database_refuses_a_restriction_without_grounds():
    assert _refused(grounds="")


def test_database_refuses_a_restriction_without_review_date():
    assert _refused(review_on=None)


def test_database_refuses_a_second_active_restriction_of_one_document():
    document = DocumentFactory()
    RestrictionFactory(document=document)
    assert _refused(document=document)


def test_database_refuses_lifting_without_saying_who_and_why(secretariat):
    restriction = RestrictionFactory()
    restriction.lifted_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        restriction.save()


def test_database_refuses_a_published_document_without_a_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFactory(published_on=None)


def test_database_refuses_a_withdrawn_document_without_a_reason():
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFactory(status="withdrawn", withdrawn_reason="")


def test_register_title_is_the_public_title_when_given():
    restriction = RestrictionFactory(public_title="A neutral title")
    assert restriction.register_title == "A neutral title"
    restriction.public_title = ""
    assert restriction.register_title == restriction.document.title


def test_ground_labels_read_in_plain_words():
    restriction = RestrictionFactory(grounds="personal_data,legal_privilege")
    assert restriction.ground_labels == ["Personal data", "Legal privilege"]
    assert Restriction.objects.active().count() == 1


def test_evidence_must_link_somewhere(group):
    with pytest.raises(IntegrityError):
        Evidence.objects.create(task=TaskFactory(group=group), title="Nowhere")

"""Documents in each state of access, and people in each relation to them."""

from __future__ import annotations

import pytest

from documents import services
from documents.models import Document
from tests import factories
from tests.documents.factories import DocumentFactory, RestrictionFactory, upload


@pytest.fixture
def other_member(db, other_group):
    return factories.MembershipFactory(group=other_group).user


@pytest.fixture
def other_convenor(db, other_group):
    return factories.MembershipFactory(group=other_group, role="convenor").user


def _with_file_and_second_version(document: Document, by) -> Document:
    services.attach_file(document, by=by, upload=upload("annex.pdf"))
    services.update_document(
        document, by=by, body=document.body + "\n\nA new paragraph.", change_note="Added a note."
    )
    document.refresh_from_db()
    return document


@pytest.fixture
def open_doc(db, group, secretariat):
    document = DocumentFactory(process=group.process, groups=[group], slug="open-paper")
    return _with_file_and_second_version(document, secretariat)


@pytest.fixture
def restricted_doc(db, group, secretariat):
    """Restricted, shared with `group`: its members may read it, nobody else but the
    secretariat."""
    document = DocumentFactory(
        process=group.process,
        groups=[group],
        slug="negotiation-draft",
        title="Negotiation draft",
        body="## Clauses\n\nSECRET-CLAUSE-WORDING about safeguards.",
    )
    document = _with_file_and_second_version(document, secretariat)
    RestrictionFactory(document=document, restricted_by=secretariat)
    document.shared_with_groups.add(group)
    return document


@pytest.fixture
def draft_doc(db, group):
    return DocumentFactory(
        process=group.process, groups=[group], slug="draft-paper", status="draft", published_on=None
    )


@pytest.fixture
def people(db, participant, member, other_member, convenor, other_convenor, secretariat, superuser):
    """Every role by name, for permission matrices; "anonymous" is no one signed in."""
    return {
        "anonymous": None,
        "participant": participant,
        "member": member,
        "other_member": other_member,
        "convenor": convenor,
        "other_convenor": other_convenor,
        "secretariat": secretariat,
        "superuser": superuser,
    }

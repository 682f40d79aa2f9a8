"""Documents in each state of access, and people in each relation to them."""

from __future__ import annotations

from datetime import date

import pytest

from documents import services
from documents.models import Document
from tests import factories
from tests.documents.factories import DocumentFactory, RestrictionFactory, upload


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
def other_draft_doc(db, other_group):
    """A draft of `other_group`: its convenors' to read, not `group`'s."""
    return DocumentFactory(
        process=other_group.process,
        groups=[other_group],
        slug="other-groups-draft",
        title="Other group's draft",
        status="draft",
        published_on=None,
    )


@pytest.fixture
def shared_reader(db):
    """In no working group; restricted documents are shared with them by name."""
    return factories.UserFactory()


def _restricted(slug: str, title: str, *, of, people=(), groups=(), status="published"):
    document = DocumentFactory(
        process=of.process,
        groups=[of],
        slug=slug,
        title=title,
        status=status,
        published_on=None if status == "draft" else date(2014, 11, 4),
    )
    RestrictionFactory(document=document)
    document.shared_with_people.set(people)
    document.shared_with_groups.set(groups)
    return document


@pytest.fixture
def restricted_docs(db, group, other_group, shared_reader, restricted_doc):
    """Restricted documents shared differently, so that reading one never opens another:
    shared with `group` (`restricted_doc`), with `other_group`, with `shared_reader` by
    name, with nobody (though of `group`), and a restricted draft shared with
    `shared_reader`."""
    return {
        "shared_with_group": restricted_doc,
        "shared_with_other_group": _restricted(
            "other-groups-brief", "Other group's brief", of=other_group, groups=[other_group]
        ),
        "shared_with_reader": _restricted(
            "readers-brief", "Brief for one reader", of=other_group, people=[shared_reader]
        ),
        "shared_with_nobody": _restricted("sealed-brief", "Sealed brief", of=group),
        "draft_shared_with_reader": _restricted(
            "readers-draft",
            "Draft for one reader",
            of=other_group,
            people=[shared_reader],
            status="draft",
        ),
    }


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

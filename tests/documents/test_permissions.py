"""Who may see and do what with documents: one matrix, role x URL x method -> status.

Restricted documents are a 404 for anyone they are not shared with (never a 403 that
confirms they exist); people who may read a document but not change it get a 403.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from documents.models import Evidence
from documents.permissions import (
    can_edit,
    can_restrict,
    documents_visible_to,
    documents_visible_to_with_access,
)
from tests.documents.factories import EvidenceFactory, restrict
from tests.workinggroups.factories import TaskFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "participant",
    "member",
    "other_member",
    "convenor",
    "other_convenor",
    "secretariat",
    "superuser",
]


def _expect(**by_role: int) -> list[int]:
    return [by_role[role] for role in ROLES]


READ_RESTRICTED = _expect(
    anonymous=404,
    participant=404,
    member=200,
    other_member=404,
    convenor=200,
    other_convenor=404,
    secretariat=200,
    superuser=200,
)
READ_ALL = _expect(**dict.fromkeys(ROLES, 200))
SECRETARIAT_ONLY_OPEN = _expect(
    anonymous=302,
    participant=403,
    member=403,
    other_member=403,
    convenor=403,
    other_convenor=403,
    secretariat=200,
    superuser=200,
)
SECRETARIAT_ONLY_RESTRICTED = _expect(
    anonymous=302,
    participant=404,
    member=403,
    other_member=404,
    convenor=403,
    other_convenor=404,
    secretariat=200,
    superuser=200,
)

MATRIX = [
    # (document fixture, url template, method, expected statuses in ROLES order)
    ("open_doc", "/documents/", "get", READ_ALL),
    ("open_doc", "/documents/restricted/", "get", READ_ALL),
    ("open_doc", "/documents/feed/", "get", READ_ALL),
    ("open_doc", "/documents/{slug}/", "get", READ_ALL),
    ("open_doc", "{file}", "get", READ_ALL),
    ("open_doc", "/documents/{slug}/versions/1/", "get", READ_ALL),
    ("open_doc", "/documents/{slug}/compare/1...2/", "get", READ_ALL),
    ("restricted_doc", "/documents/{slug}/", "get", READ_RESTRICTED),
    ("restricted_doc", "{file}", "get", READ_RESTRICTED),
    ("restricted_doc", "/documents/{slug}/versions/1/", "get", READ_RESTRICTED),
    ("restricted_doc", "/documents/{slug}/compare/1...2/", "get", READ_RESTRICTED),
    (
        "open_doc",
        "/documents/{slug}/edit/",
        "get",
        _expect(
            anonymous=302,
            participant=403,
            member=403,
            other_member=403,
            convenor=200,
            other_convenor=403,
            secretariat=200,
            superuser=200,
        ),
    ),
    (
        "restricted_doc",
        "/documents/{slug}/edit/",
        "get",
        _expect(
            anonymous=302,
            participant=404,
            member=403,
            other_member=404,
            convenor=200,
            other_convenor=404,
            secretariat=200,
            superuser=200,
        ),
    ),
    ("open_doc", "/documents/{slug}/restrict/", "get", SECRETARIAT_ONLY_OPEN),
    ("open_doc", "/documents/{slug}/sharing/", "get", SECRETARIAT_ONLY_OPEN),
    ("restricted_doc", "/documents/{slug}/lift-restriction/", "get", SECRETARIAT_ONLY_RESTRICTED),
    ("restricted_doc", "/documents/{slug}/review-restriction/", "get", SECRETARIAT_ONLY_RESTRICTED),
    ("restricted_doc", "/documents/{slug}/sharing/", "get", SECRETARIAT_ONLY_RESTRICTED),
    ("open_doc", "/documents/access-log/", "get", SECRETARIAT_ONLY_OPEN),
    (
        "open_doc",
        "/documents/new/",
        "get",
        _expect(
            anonymous=302,
            participant=403,
            member=403,
            other_member=403,
            convenor=200,
            other_convenor=200,
            secretariat=200,
            superuser=200,
        ),
    ),
    (
        "draft_doc",
        "/documents/{slug}/",
        "get",
        _expect(
            anonymous=404,
            participant=404,
            member=404,
            other_member=404,
            convenor=200,
            other_convenor=404,
            secretariat=200,
            superuser=200,
        ),
    ),
    (
        "draft_doc",
        "/documents/{slug}/publish/",
        "post",
        _expect(
            anonymous=302,
            participant=404,
            member=404,
            other_member=404,
            convenor=302,
            other_convenor=404,
            secretariat=302,
            superuser=302,
        ),
    ),
    (
        "open_doc",
        "/documents/{slug}/publish/",
        "get",
        _expect(**{role: (302 if role == "anonymous" else 405) for role in ROLES}),
    ),
    (
        "open_doc",
        "/documents/{slug}/withdraw/",
        "get",
        _expect(
            anonymous=302,
            participant=403,
            member=403,
            other_member=403,
            convenor=200,
            other_convenor=403,
            secretariat=200,
            superuser=200,
        ),
    ),
    (
        "open_doc",
        "/documents/{slug}/files/new/",
        "get",
        _expect(
            anonymous=302,
            participant=403,
            member=403,
            other_member=403,
            convenor=200,
            other_convenor=403,
            secretariat=200,
            superuser=200,
        ),
    ),
]


def _cases():
    for fixture, url, method, statuses in MATRIX:
        for role, status in zip(ROLES, statuses, strict=True):
            yield pytest.param(
                fixture, url, method, role, status, id=f"{method}-{fixture}-{url}-{role}"
            )


@pytest.mark.parametrize(("fixture", "url", "method", "role", "status"), list(_cases()))
def test_permission_matrix(client, request, people, fixture, url, method, role, status):
    # The other group's people exist in every case, so "member" and "other_member" differ
    # only in which group they belong to.
    document = request.getfixturevalue(fixture)
    if people[role] is not None:
        client.force_login(people[role])
    file_url = document.files.first().get_absolute_url() if document.files.exists() else ""
    response = getattr(client, method)(url.format(slug=document.slug, file=file_url))
    assert response.status_code == status


def test_member_of_shared_group_sees_restricted_document_in_list(client, restricted_doc, member):
    client.force_login(member)
    assert "Negotiation draft" in client.get("/documents/").content.decode()


def test_participant_does_not_see_restricted_document_in_list(client, restricted_doc, participant):
    client.force_login(participant)
    assert "Negotiation draft" not in client.get("/documents/").content.decode()


def test_person_shared_with_directly_can_read_restricted_document(
    client, restricted_doc, participant
):
    restricted_doc.shared_with_people.add(participant)
    client.force_login(participant)
    assert client.get(restricted_doc.get_absolute_url()).status_code == 200


def test_only_secretariat_may_restrict(restricted_doc, convenor, secretariat, superuser):
    assert not can_restrict(convenor, restricted_doc)
    assert can_restrict(secretariat, restricted_doc)
    assert can_restrict(superuser, restricted_doc)


def test_convenor_of_another_group_cannot_edit(open_doc, other_convenor, convenor):
    assert not can_edit(other_convenor, open_doc)
    assert can_edit(convenor, open_doc)


def test_inactive_account_sees_only_what_the_public_sees(restricted_doc, member):
    member.is_active = False
    member.save()
    assert restricted_doc not in documents_visible_to(member)


def test_withdrawn_document_stays_readable(client, open_doc, secretariat):
    from documents import services

    services.withdraw_document(open_doc, by=secretariat, reason="Replaced by the joint paper.")
    response = client.get(open_doc.get_absolute_url())
    assert response.status_code == 200
    assert "Replaced by the joint paper." in response.content.decode()


READERS_OF_RESTRICTED = {"member", "convenor", "secretariat", "superuser"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("where", "params"),
    [
        ("/documents/", {}),
        ("/documents/", {"q": "safeguards"}),
        ("/documents/feed/", {}),
        ("/documents/restricted/", {}),
    ],
)
def test_restricted_content_appears_in_lists_search_and_feed_only_for_its_readers(
    client, people, restricted_doc, role, where, params
):
    from documents import services

    services.refresh_search_index(restricted_doc)
    if people[role] is not None:
        client.force_login(people[role])
    html = client.get(where, params).content.decode()
    # The feed and the register are always the public's view.
    public_view = where in {"/documents/feed/", "/documents/restricted/"}
    expected = role in READERS_OF_RESTRICTED and not public_view
    assert ("Negotiation draft" in html) is expected
    assert "SECRET-CLAUSE-WORDING" not in html or expected


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("participant", 403),
        ("member", 403),
        ("convenor", 302),
        ("other_convenor", 403),
        ("secretariat", 302),
    ],
)
def test_who_may_remove_a_file(client, people, open_doc, role, status):
    if people[role] is not None:
        client.force_login(people[role])
    attached = open_doc.files.get()
    response = client.post(f"/documents/{open_doc.slug}/files/{attached.pk}/remove/")
    assert response.status_code == status
    assert open_doc.files.exists() is (status != 302 or role == "anonymous")


def test_the_public_query_built_once_still_asks_about_restrictions_each_time(open_doc, secretariat):
    anonymous = AnonymousUser()
    assert list(documents_visible_to(anonymous)) == [open_doc]
    restrict(open_doc, by=secretariat)
    assert list(documents_visible_to(anonymous)) == []
    assert not documents_visible_to(anonymous).filter(pk=open_doc.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_each_readable_document_says_whether_it_is_restricted(
    people, open_doc, restricted_doc, role
):
    """The "Restricted" tag in lists: the same documents as documents_visible_to, each
    marked as it is now, for every role (the public's mark is a constant, since nothing
    they may read is restricted)."""
    user = people[role] or AnonymousUser()
    marked = {d.pk: d.is_restricted for d in documents_visible_to_with_access(user)}
    assert set(marked) == set(documents_visible_to(user).values_list("pk", flat=True))
    assert marked[open_doc.pk] is False
    assert marked.get(restricted_doc.pk) is (True if role in READERS_OF_RESTRICTED else None)


def test_the_public_marked_query_built_once_still_asks_about_restrictions_each_time(
    open_doc, secretariat
):
    anonymous = AnonymousUser()
    assert [d.is_restricted for d in documents_visible_to_with_access(anonymous)] == [False]
    restrict(open_doc, by=secretariat)
    assert list(documents_visible_to_with_access(anonymous)) == []


# --- Evidence for a working group's workplan ----------------------------------------------

# Gathered by whoever runs the workplan: the group's convenors and the secretariat.
GATHERS_EVIDENCE = _expect(
    anonymous=302,
    participant=403,
    member=403,
    other_member=403,
    convenor=200,
    other_convenor=403,
    secretariat=200,
    superuser=200,
)


@pytest.fixture
def evidence(db, group):
    return EvidenceFactory(task=TaskFactory(group=group, position=1))


@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, GATHERS_EVIDENCE, strict=True)))
def test_who_may_add_evidence(client, people, evidence, role, status):
    if people[role] is not None:
        client.force_login(people[role])
    response = client.get(f"/documents/workplan/{evidence.task.group.slug}/1/evidence/")
    assert response.status_code == status


# Removing is a POST action: allowed, it redirects back to the task.
REMOVES_EVIDENCE = [302 if status == 200 else status for status in GATHERS_EVIDENCE]


@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, REMOVES_EVIDENCE, strict=True)))
def test_who_may_remove_evidence(client, people, evidence, role, status):
    if people[role] is not None:
        client.force_login(people[role])
    url = f"/documents/workplan/{evidence.task.group.slug}/1/evidence/{evidence.pk}/remove/"
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == status
    assert Evidence.objects.exists() == (role not in {"convenor", "secretariat", "superuser"})

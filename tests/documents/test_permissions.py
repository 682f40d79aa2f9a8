"""Who may see and do what with documents: one matrix, role x URL x method -> status.

Restricted documents are a 404 for anyone they are not shared with (never a 403 that
confirms they exist); people who may read a document but not change it get a 403.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from documents import services
from documents.models import Evidence
from documents.permissions import (
    can_edit,
    can_restrict,
    documents_visible_to,
    documents_visible_to_with_access,
)
from tests.documents.factories import DocumentFactory, EvidenceFactory, restrict, upload
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


def test_participant_does_not_see_restricted_document_in_list(
    client, open_doc, restricted_doc, participant
):
    client.force_login(participant)
    response = client.get("/documents/")
    html = response.content.decode()
    assert response.status_code == 200
    assert open_doc.title in html  # the list rendered, with what the participant may read
    assert "1 document<" in html
    assert "Negotiation draft" not in html


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


# --- Several restricted documents, and people with roles in two groups -----------------------


def _titles_listed(client, params=None) -> str:
    response = client.get("/documents/", params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_a_reader_of_one_shared_document_reads_that_one_and_no_other_restricted_one(
    client, open_doc, restricted_docs, shared_reader
):
    """Sharing opens the document shared, not every restricted document, and never a
    draft: the restricted draft shared with the same reader stays unreadable until it is
    published."""
    client.force_login(shared_reader)
    html = _titles_listed(client)
    assert open_doc.title in html
    assert "Brief for one reader" in html
    readable = {"shared_with_reader"}
    for name, document in restricted_docs.items():
        assert (document.title in html) is (name in readable), name
        status = client.get(document.get_absolute_url()).status_code
        assert status == (200 if name in readable else 404), name


def test_sharing_a_draft_with_someone_does_not_let_them_read_drafts(
    client, draft_doc, other_draft_doc, restricted_docs, shared_reader
):
    client.force_login(shared_reader)
    assert client.get(restricted_docs["shared_with_reader"].get_absolute_url()).status_code == 200
    for draft in (draft_doc, other_draft_doc, restricted_docs["draft_shared_with_reader"]):
        assert client.get(draft.get_absolute_url()).status_code == 404, draft.slug


def test_convening_one_group_opens_its_drafts_not_those_of_a_group_one_only_belongs_to(
    client, draft_doc, other_draft_doc, convenor_and_other_member
):
    client.force_login(convenor_and_other_member)
    assert client.get(draft_doc.get_absolute_url()).status_code == 200
    assert client.get(other_draft_doc.get_absolute_url()).status_code == 404
    drafts = _titles_listed(client, {"status": "draft"})
    assert draft_doc.title in drafts
    assert other_draft_doc.title not in drafts.replace("&#x27;", "'")


def test_being_a_member_of_a_group_opens_none_of_its_drafts_to_a_convenor_elsewhere(
    client, draft_doc, other_draft_doc, member_and_other_convenor
):
    client.force_login(member_and_other_convenor)
    assert client.get(other_draft_doc.get_absolute_url()).status_code == 200
    assert client.get(draft_doc.get_absolute_url()).status_code == 404


def test_convening_one_group_gives_no_say_over_the_documents_of_another_one_belongs_to(
    client, group, other_group, convenor_and_other_member
):
    theirs = DocumentFactory(process=group.process, groups=[group], slug="ours")
    elsewhere = DocumentFactory(process=other_group.process, groups=[other_group], slug="theirs")
    client.force_login(convenor_and_other_member)
    assert client.get(f"/documents/{theirs.slug}/edit/").status_code == 200
    assert client.get(f"/documents/{elsewhere.slug}/edit/").status_code == 403
    assert client.get(f"/documents/{elsewhere.slug}/files/new/").status_code == 403
    page = client.get(elsewhere.get_absolute_url()).content.decode()
    assert elsewhere.title in page
    assert f"/documents/{elsewhere.slug}/edit/" not in page
    # A new document may belong to the group they convene, and to no other.
    form = client.get("/documents/new/").content.decode()
    assert f"{group.name}</label>" in form
    assert f"{other_group.name}</label>" not in form


def test_a_convenor_cannot_change_a_document_of_their_group_they_may_not_read(
    client, convenor, restricted_docs, secretariat
):
    """A restricted document of the group, not shared with it, does not exist for its
    convenor: every action on it is a 404, as its page is. (The lookup through
    documents_visible_to decides this before any action is weighed.)"""
    sealed = restricted_docs["shared_with_nobody"]
    client.force_login(convenor)
    for action in ("", "edit/", "withdraw/", "files/new/"):
        assert client.get(f"/documents/{sealed.slug}/{action}").status_code == 404, action
    assert client.post(f"/documents/{sealed.slug}/edit/", {"title": "Renamed"}).status_code == 404
    client.force_login(secretariat)
    assert client.get(f"/documents/{sealed.slug}/edit/").status_code == 200


def test_only_a_published_document_can_be_withdrawn(client, convenor, draft_doc, open_doc):
    client.force_login(convenor)
    draft_page = client.get(draft_doc.get_absolute_url()).content.decode()
    assert f"/documents/{draft_doc.slug}/edit/" in draft_page  # the convenor's actions show
    assert f"/documents/{draft_doc.slug}/withdraw/" not in draft_page
    assert client.get(f"/documents/{draft_doc.slug}/withdraw/").status_code == 403
    assert client.post(f"/documents/{draft_doc.slug}/withdraw/", {"reason": "x"}).status_code == 403
    draft_doc.refresh_from_db()
    assert draft_doc.status == "draft"
    services.withdraw_document(open_doc, by=convenor, reason="Replaced by the joint paper.")
    assert client.get(f"/documents/{open_doc.slug}/withdraw/").status_code == 403


def test_no_file_is_attached_to_or_removed_from_a_withdrawn_document(
    client, convenor, secretariat, open_doc
):
    assert client.get(open_doc.get_absolute_url()).status_code == 200
    services.withdraw_document(open_doc, by=secretariat, reason="Replaced by the joint paper.")
    attached = open_doc.files.get()
    for person in (convenor, secretariat):
        client.force_login(person)
        page = client.get(open_doc.get_absolute_url()).content.decode()
        assert "Replaced by the joint paper." in page
        assert f"/documents/{open_doc.slug}/files/new/" not in page
        assert client.get(f"/documents/{open_doc.slug}/files/new/").status_code == 403
        response = client.post(
            f"/documents/{open_doc.slug}/files/new/", {"file": upload("late-annex.pdf")}
        )
        assert response.status_code == 403
        removed = client.post(f"/documents/{open_doc.slug}/files/{attached.pk}/remove/")
        assert removed.status_code == 403
    assert list(open_doc.files.values_list("name", flat=True)) == ["annex.pdf"]

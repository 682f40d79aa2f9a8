"""A plain search (words and no filter) reads its results through SQL compiled once for
each kind of reader (documents.views.PreparedSearch). It must find exactly what the
document list's queryset finds, for every reader, and follow every write."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from documents import services, views
from documents.models import Document
from documents.views import DocumentListView, PreparedSearch, counted
from tests.documents.factories import DocumentFactory, restrict
from tests.tools import needs_postgresql

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "member", "convenor", "secretariat"]


@pytest.fixture
def papers(open_doc, restricted_doc, draft_doc, group):
    """Open, restricted (shared with the group), draft and withdrawn documents that all
    mention safeguards, and more than a page of open ones."""
    DocumentFactory(
        title="Withdrawn safeguards note",
        body="Safeguards, trust.",
        status="withdrawn",
        withdrawn_reason="Superseded.",
    )
    for number in range(22):
        DocumentFactory(title=f"Safeguards paper {number}", body="Safeguards and trust.")
    draft_doc.body = "Safeguards in a draft."
    draft_doc.save()
    open_doc.body = "Safeguards apply to accredited researchers."
    open_doc.save()
    for document in Document.objects.all():
        services.refresh_search_index(document)  # PostgreSQL searches the stored vector


def _view(rf, user, params: dict) -> DocumentListView:
    request = rf.get("/documents/", params)
    request.user = user or AnonymousUser()
    view = DocumentListView()
    view.setup(request)
    return view


def _seen(documents) -> list[tuple]:
    return [(d.pk, d.title, d.is_restricted, d.matches, d.body) for d in documents]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("words", ["safeguards", "Safeguards trust", '"safeguards" AND (trust)'])
def test_a_plain_search_finds_what_the_list_queryset_finds(rf, people, papers, role, words):
    view = _view(rf, people[role], {"q": words, "utm_source": "newsletter"})
    found = view.found()
    assert isinstance(found, PreparedSearch)
    queryset = counted(view.get_queryset())
    first, second = found[0:20], found[20:40]
    assert first, "the search finds something"
    assert _seen(first) == _seen(queryset[0:20])
    assert _seen(second) == _seen(queryset[20:40])
    assert found.count() == queryset.count()
    if words == "safeguards":  # the restricted document does not mention trust
        titles = {d.title for d in [*first, *second]}
        assert ("Negotiation draft" in titles) is (role in {"member", "convenor", "secretariat"})


@pytest.mark.parametrize(
    "params",
    [{"q": "safeguards", "kind": "report"}, {"q": "and or"}, {"q": ""}, {"kind": "report"}],
)
def test_a_search_with_filters_or_without_words_reads_the_queryset(rf, papers, params):
    assert not isinstance(_view(rf, None, params).found(), PreparedSearch)


def test_a_prepared_search_follows_a_restriction_made_after_it_was_compiled(
    rf, papers, open_doc, secretariat
):
    def titles() -> set[str]:
        return {d.title for d in _view(rf, None, {"q": "accredited"}).found()[0:20]}

    assert open_doc.title in titles()
    restrict(open_doc, by=secretariat)
    assert open_doc.title not in titles()


def test_each_kind_of_reader_compiles_a_search_once_and_never_shares_it(
    rf, monkeypatch, people, papers
):
    needs_postgresql("only PostgreSQL's search takes the words as one parameter")
    views._prepared_searches.clear()
    built: list[str] = []
    filtered = DocumentListView.filtered

    def counting(view, data):
        built.append(data["q"])
        return filtered(view, data)

    monkeypatch.setattr(DocumentListView, "filtered", counting)
    for words in ["safeguards", "trust", "accredited researchers"]:
        for role in ["anonymous", "member"]:
            rows = _view(rf, people[role], {"q": words}).found()[0:20]
            assert rows and all(words.split()[0] in (d.body.lower()) for d in rows)
    assert len(built) == 2  # once for the public, once for the group's members
    member_only = {d.title for d in _view(rf, people["member"], {"q": "clause"}).found()[0:20]}
    assert member_only == {"Negotiation draft"}
    assert not _view(rf, None, {"q": "clause"}).found()[0:20]


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_a_search_the_search_box_refuses_is_reported_not_run(client, rf, people, papers, role):
    """Text no database can hold (a null character) is refused next to the search box, and
    the list answers as it does for any invalid filter, however the search would be read."""
    if people[role] is not None:
        client.force_login(people[role])
    response = client.get("/documents/", {"q": "safeguards\x00"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Null characters are not allowed" in html
    refused = _view(rf, people[role], {"q": "safeguards\x00"})
    assert not isinstance(refused.found(), PreparedSearch)

"""The filter set that reads the results holds only the filters a request gives, and must
filter exactly as the whole set does, for every viewer."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from documents import services
from documents.filters import DocumentFilter
from documents.models import Document
from documents.permissions import documents_visible_to
from tests.documents.factories import DocumentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(group):
    org = OrganisationFactory(name="Involve")
    strand = DocumentFactory(
        title="Strand paper", kind="working_paper", body="Safeguards apply.", groups=[group]
    )
    strand.organisations.add(org)
    DocumentFactory(title="Other report", kind="report", body="Safeguards too.")
    DocumentFactory(title="A draft", kind="working_paper", status=Document.Status.DRAFT)
    for document in Document.objects.all():
        services.refresh_search_index(document)  # PostgreSQL searches the stored vector
    return {"group": group.pk, "organisation": org.pk, "year": strand.published_on.year}


def _titles(filterset: DocumentFilter) -> list[str]:
    return list(filterset.qs.order_by("title").values_list("title", flat=True))


@pytest.mark.parametrize(
    "query",
    [
        "q=safeguards",
        "kind=working_paper",
        "kind=working_paper&q=safeguards&working_group={group}",
        "organisation={organisation}&year={year}",
        "kind=not-a-kind&q=safeguards",  # an invalid filter is left out by both
        "status=draft",
        "access=restricted",
        "kind=&step=&q=",
    ],
)
@pytest.mark.parametrize("viewer", ["anonymous", "secretariat"])
def test_results_filter_as_the_whole_set_does(papers, secretariat, query, viewer):
    user = secretariat if viewer == "secretariat" else AnonymousUser()
    data = QueryDict(query.format(**papers))
    listed = documents_visible_to(user)
    whole = DocumentFilter(data, queryset=listed, user=user)
    narrowed = DocumentFilter.for_results(data, listed, user)
    assert _titles(narrowed) == _titles(whole)
    if query.startswith("q=safeguards"):
        assert "Other report" in _titles(narrowed)
    assert set(narrowed.filters) <= set(whole.filters)
    assert set(narrowed.filters) == {name for name in whole.filters if data.get(name)}


def test_a_filter_hidden_from_the_viewer_does_nothing_when_given(papers):
    data = QueryDict("status=draft&access=restricted")
    anonymous = AnonymousUser()
    narrowed = DocumentFilter.for_results(data, documents_visible_to(anonymous), anonymous)
    assert narrowed.filters == {}
    assert "A draft" not in _titles(narrowed)


def test_an_invalid_filter_is_reported_next_to_it_while_the_search_still_runs(client, papers):
    response = client.get("/documents/", {"q": "safeguards", "kind": "not-a-kind"})
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Strand paper" in html and "Other report" in html


def test_a_participant_asking_for_restricted_documents_gets_none(
    client, participant, restricted_doc, open_doc
):
    client.force_login(participant)
    html = client.get("/documents/", {"access": "restricted", "status": "draft"}).content.decode()
    assert restricted_doc.title not in html
    assert open_doc.title in html
    assert 'name="access"' not in html

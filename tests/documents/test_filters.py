"""The document filters: each viewer gets only the filters that apply to them, and a filter
that does not validate is reported next to it while the others still apply."""

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


def test_a_filter_hidden_from_the_viewer_does_nothing_when_given(papers):
    data = QueryDict("status=draft&access=restricted")
    anonymous = AnonymousUser()
    filterset = DocumentFilter(data, queryset=documents_visible_to(anonymous), user=anonymous)
    assert {"status", "access"}.isdisjoint(filterset.filters)
    assert "A draft" not in _titles(filterset)


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


def test_the_year_filter_offers_only_years_with_documents_the_viewer_may_list(client):
    from datetime import date

    DocumentFactory(title="Interim paper", published_on=date(2015, 3, 11))
    DocumentFactory(title="Consultation paper", published_on=date(2016, 2, 29))
    DocumentFactory(title="Unpublished", status=Document.Status.DRAFT, published_on=None)
    html = client.get("/documents/").content.decode()
    year_select = html.split('name="year"', 1)[1].split("</select>", 1)[0]
    assert '<option value="2016">2016</option>' in year_select
    assert '<option value="2015">2015</option>' in year_select
    assert 'value="2014"' not in year_select
    assert 'value="2026"' not in year_select
    assert year_select.index("2016") < year_select.index("2015")

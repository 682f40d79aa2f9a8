"""KeysFirstPaginator: every page holds exactly what a plain OFFSET page holds, in the same
order, whichever end it is read from, with the queryset's annotations and prefetches."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.db.models import Count
from django.utils import timezone

from consultation.models import Response
from policyhub.pagination import KeysFirstPaginator
from tests.consultation.factories import ResponseFactory
from tests.documents.factories import DocumentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


class DeepFromTheStart(KeysFirstPaginator):
    shallow = 0  # every page but the first is read keys first, as deep pages are


@pytest.mark.parametrize(("size", "per_page", "orphans"), [(7, 2, 0), (9, 3, 1), (1, 5, 0)])
def test_every_page_holds_what_a_plain_page_holds(consultation, size, per_page, orphans):
    """Ties in the ordering's first column included: the order is (submitted_at, pk) both
    ways, so pages read from the far end come back in the same order."""
    sent = timezone.now()
    for n in range(size):
        ResponseFactory(consultation=consultation, submitted_at=sent + timedelta(seconds=n % 3))
    responses = Response.objects.filter(consultation=consultation).order_by("submitted_at", "pk")
    plain = Paginator(responses, per_page, orphans=orphans)
    keys_first = DeepFromTheStart(responses, per_page, orphans=orphans)
    assert keys_first.num_pages == plain.num_pages > 0
    for number in plain.page_range:
        assert list(keys_first.page(number)) == list(plain.page(number)), number


def test_a_deep_page_reads_its_keys_first_and_a_shallow_one_does_not(
    consultation, django_assert_num_queries
):
    for _ in range(6):
        ResponseFactory(consultation=consultation)
    responses = Response.objects.order_by("pk")
    paginator = KeysFirstPaginator(responses, 2)
    paginator.shallow = 2
    paginator.count  # noqa: B018 - counted once, before the pages
    with django_assert_num_queries(1):
        list(paginator.page(2))  # skips 2 rows
    with django_assert_num_queries(2):
        deep = list(paginator.page(3))  # skips 4: its keys, then its rows
    assert deep == list(responses[4:6])


def test_an_empty_list_has_one_empty_page(consultation):
    page = KeysFirstPaginator(Response.objects.none().order_by("pk"), 10).page(1)
    assert list(page) == [] and page.paginator.count == 0


def test_rows_keep_their_annotations_and_prefetches(db):
    for n in range(5):
        document = DocumentFactory(title=f"Paper {n}")
        document.organisations.add(OrganisationFactory(name=f"Body {n}"))
    documents = (
        DocumentFactory._meta.model.objects.annotate(authors_count=Count("organisations"))
        .prefetch_related("organisations")
        .order_by("title", "pk")
    )
    last = DeepFromTheStart(documents, 2).page(3)  # read from the far end
    [paper] = last
    assert paper.title == "Paper 4" and paper.authors_count == 1
    assert [o.name for o in paper.organisations.all()] == ["Body 4"]

"""policyhub/prepared.py: SQL compiled once per shape, run with each value as a parameter."""

from __future__ import annotations

import pytest

from documents.models import Document
from policyhub.prepared import PreparedQueries
from tests.documents.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def titled():
    for title in ["Census", "Census", "Microdata", "O'Brien's %_ note"]:
        DocumentFactory(title=title)


def test_each_value_gets_the_rows_its_queryset_would_and_a_shape_is_compiled_once(titled):
    prepared = PreparedQueries()
    built: list[str] = []

    def by_title(value: str):
        built.append(value)
        return Document.objects.filter(title=value).order_by("pk")

    for value in ["Census", "Microdata", "O'Brien's %_ note", "Nothing"]:
        rows = prepared.rows("by-title", by_title, value)
        expected = Document.objects.filter(title=value).order_by("pk")
        assert [d.pk for d in rows] == [d.pk for d in expected]
        assert all(isinstance(d, Document) and d.title == value for d in rows)
    assert len(built) == 1


def test_the_least_recently_used_shape_is_forgotten_first(titled):
    prepared = PreparedQueries(size=2)
    built: list[str] = []

    def shape(name: str):
        def build(value: str):
            built.append(name)
            return Document.objects.filter(title=value)

        return build

    for name in ["a", "b", "a", "c", "a", "b"]:
        prepared.rows(name, shape(name), "Census")
    assert built == ["a", "b", "c", "b"]


def test_a_value_inside_a_pattern_or_an_empty_query_is_not_prepared(titled):
    prepared = PreparedQueries()
    within = prepared.rows("pattern", lambda v: Document.objects.filter(title__contains=v), "x")
    empty = prepared.rows("empty", lambda v: Document.objects.filter(title=v)[0:0], "Census")
    fixed = prepared.rows("fixed", lambda v: Document.objects.filter(title="Census"), "Census")
    assert within is None and empty is None and fixed is None  # callers run the queryset

"""Plain-SQL reads (policyhub/hotreads.py) give the same model instances as the ORM, in one
query, and the consultation's draft reads built on them keep the drafts() rule; queries
compiled once per shape (PreparedQueries) give each value the rows its queryset would."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from consultation.models import Answer, Response
from documents.models import Document
from policyhub import hotreads
from tests.consultation.factories import AnswerFactory, QuestionFactory, ResponseFactory
from tests.documents.factories import DocumentFactory
from tests.tools import needs_row_locks

pytestmark = pytest.mark.django_db


def test_rows_are_the_orms_instances_with_converted_values(consultation):
    response = ResponseFactory(consultation=consultation, is_late=True)
    answer = AnswerFactory(response=response, selected=["Councils", "NHS"], text="")
    [read] = hotreads.rows(Response, pk=response.pk)
    assert read == response
    # Every field as the ORM reads it: dates as aware datetimes (SQLite stores text),
    # booleans as booleans, JSON as lists.
    orm = Response.objects.get(pk=response.pk)
    for field in Response._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(orm, field.attname), field.name
    assert read.submitted_at.tzinfo is not None and read.is_late is True
    [read_answer] = hotreads.rows(Answer, response_id=response.pk)
    assert read_answer.selected == ["Councils", "NHS"] and read_answer.pk == answer.pk


def test_rows_match_every_named_value_in_one_query(consultation, django_assert_num_queries):
    draft = ResponseFactory(consultation=consultation, status="draft", submitted_at=None)
    ResponseFactory(consultation=consultation)
    with django_assert_num_queries(1):
        assert hotreads.rows(Response, consultation_id=consultation.pk, status="draft") == [draft]
    assert hotreads.rows(Response, pk=draft.pk, status="submitted") == []


def test_a_locked_read_locks_where_the_database_can(consultation):
    response = ResponseFactory(consultation=consultation)
    with CaptureQueriesContext(connection) as queries:
        assert hotreads.rows(Response, lock=True, pk=response.pk) == [response]
    locks = "FOR UPDATE" in queries.captured_queries[0]["sql"]
    assert locks == connection.features.has_select_for_update


@pytest.mark.django_db(transaction=True)
def test_a_locked_row_makes_a_second_transaction_wait(consultation):
    """What the lock is for: two saves (or a save and a send) of one response take turns."""
    needs_row_locks()
    response = ResponseFactory(consultation=consultation, status="draft", submitted_at=None)
    events, first_holds_it = [], threading.Event()

    def first() -> None:
        with transaction.atomic():
            Response.objects.locked(response.pk)
            first_holds_it.set()
            time.sleep(0.3)
            events.append("first commits")
        connection.close()

    def second() -> None:
        first_holds_it.wait(5)
        with transaction.atomic():
            Response.objects.locked(response.pk)
            events.append("second reads")
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert events == ["first commits", "second reads"]


def test_the_draft_read_keeps_the_drafts_rule(consultation):
    draft = ResponseFactory(consultation=consultation, status="draft", submitted_at=None)
    sent = ResponseFactory(consultation=consultation)
    elsewhere = ResponseFactory(status="draft", submitted_at=None)
    assert Response.objects.draft(draft.pk, consultation.pk) == draft
    assert Response.objects.draft(sent.pk, consultation.pk) is None
    assert Response.objects.draft(elsewhere.pk, consultation.pk) is None
    assert Response.objects.draft(draft.pk + 1000, consultation.pk) is None


def test_a_response_that_is_gone_cannot_be_locked(consultation):
    with pytest.raises(Response.DoesNotExist):
        Response.objects.locked(12345)


def test_answers_by_question(consultation):
    response = ResponseFactory(consultation=consultation)
    first, second = (
        QuestionFactory(section__consultation=consultation),
        QuestionFactory(section__consultation=consultation),
    )
    a = AnswerFactory(response=response, question=first, text="One")
    b = AnswerFactory(response=response, question=second, text="Two")
    AnswerFactory(question=first, text="Someone else's")
    assert response.answers_by_question() == {first.pk: a, second.pk: b}


# --- PreparedQueries ---------------------------------------------------------------------


@pytest.fixture
def titled():
    for title in ["Census", "Census", "Microdata", "O'Brien's %_ note"]:
        DocumentFactory(title=title)


def test_each_value_gets_the_rows_its_queryset_would_and_a_shape_is_compiled_once(titled):
    prepared = hotreads.PreparedQueries()
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
    prepared = hotreads.PreparedQueries(size=2)
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
    prepared = hotreads.PreparedQueries()
    within = prepared.rows("pattern", lambda v: Document.objects.filter(title__contains=v), "x")
    empty = prepared.rows("empty", lambda v: Document.objects.filter(title=v)[0:0], "Census")
    fixed = prepared.rows("fixed", lambda v: Document.objects.filter(title="Census"), "Census")
    assert within is None and empty is None and fixed is None  # callers run the queryset

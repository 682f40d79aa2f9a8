"""Sessions are read with one plain query (policyhub/sessions.py) and behave as Django's
database sessions: a live one signs the person in, an expired or unknown one does not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from policyhub.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_live_session_signs_the_person_in(client, participant):
    client.force_login(participant)
    assert "Sign out" in client.get("/documents/").content.decode()


def test_an_expired_session_is_not_read(client, participant):
    client.force_login(participant)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    page = client.get("/documents/").content.decode()
    assert "Sign in" in page and "Sign out" not in page


def test_an_unknown_key_reads_nothing_and_is_forgotten(django_assert_num_queries):
    store = SessionStore("x" * 32)
    with django_assert_num_queries(1):
        assert store.load() == {}
    assert store.session_key is None  # a new key is made when the session is next saved


def test_what_is_saved_is_read_back(django_assert_num_queries):
    store = SessionStore()
    store["draft"] = {"consultation": 7}
    store.save()
    with django_assert_num_queries(1):
        assert SessionStore(store.session_key).load() == {"draft": {"consultation": 7}}

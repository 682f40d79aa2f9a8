"""`load_demo` loads the seed's process and is idempotent."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from documents.models import Document
from meetings.models import Meeting
from process.demo import PRACTICE
from process.models import Process
from tests import pages
from workinggroups.models import WorkingGroup

pytestmark = pytest.mark.django_db

DEMO_APPS = {"policyhub", "process", "workinggroups", "meetings", "documents", "consultation"}


def snapshot() -> dict[str, list[dict]]:
    """Every row of every project model, every column, timestamps included."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in DEMO_APPS | {"account"}
    }


def test_load_demo_twice_leaves_the_same_rows():
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_demo_holds_both_processes_of_the_seed_with_their_steps():
    call_command("load_demo", verbosity=0)
    original = Process.objects.get(slug="data-sharing-2014")
    reconvened = Process.objects.get(slug="data-sharing-reconvened-2016")
    assert original.steps.count() == 4
    assert reconvened.steps.count() == 2
    assert "Chatham House Rule" in original.terms_of_reference
    assert set(WorkingGroup.objects.values_list("name", flat=True)) >= {
        "Research & Statistics",
        "Fraud, Error & Debt",
        "Tailored Public Services for Individuals",
    }


def test_demo_accounts_can_sign_in(client):
    from process.demo import DEMO_PASSWORDS

    call_command("load_demo", verbosity=0)
    for email, password in DEMO_PASSWORDS.items():
        client.logout()
        response = client.post("/accounts/login/", {"login": email, "password": password})
        assert response.status_code == 302, email


# --- The demo is the real 2014-2016 process, with its own dates ------------------------------

LAST_UPDATED = re.compile(r'Last updated <time datetime="(\d{4}-\d{2}-\d{2})"')
HISTORICAL = ["data-sharing-2014", "data-sharing-reconvened-2016"]


def last_updated(client, path: str) -> date | None:
    response = client.get(path)
    assert response.status_code == 200, path
    found = LAST_UPDATED.search(response.content.decode())
    return date.fromisoformat(found.group(1)) if found else None


def historical_pages() -> list[str]:
    """Every page about the two real processes: their timelines and terms, their groups,
    meetings, documents and the 2016 consultation."""
    paths = []
    for slug in HISTORICAL:
        paths += [reverse("process:detail", args=[slug]), reverse("process:terms", args=[slug])]
    paths += [
        g.get_absolute_url() for g in WorkingGroup.objects.filter(process__slug__in=HISTORICAL)
    ]
    paths += [m.get_absolute_url() for m in Meeting.objects.filter(process__slug__in=HISTORICAL)]
    paths += [d.get_absolute_url() for d in Document.objects.published().open()]
    paths.append(reverse("consultation:detail", args=["better-use-of-data-in-government"]))
    return paths


def test_demo_pages_say_when_the_real_process_last_changed_them(client):
    call_command("load_demo", verbosity=0)
    dates = {path: last_updated(client, path) for path in historical_pages()}
    assert all(dates.values()), [path for path, day in dates.items() if day is None]
    late = {path: day for path, day in dates.items() if day > date(2016, 12, 31)}
    assert not late


def test_no_demo_page_says_it_was_last_updated_the_day_the_demo_was_loaded(client, settings):
    """Demo rows carry their own dates. The operator's statements (privacy, accessibility)
    carry the dates set for them, which are not demo rows: set apart from today here."""
    settings.PRIVACY_NOTICE_UPDATED = date(2026, 1, 5)
    settings.ACCESSIBILITY_STATEMENT_REVIEWED = date(2026, 1, 5)
    settings.ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 1, 5)
    call_command("load_demo", verbosity=0)
    today = timezone.localdate()
    stamped = {page.path: last_updated(client, page.path) for page in pages.public_pages()}
    assert not [path for path, day in stamped.items() if day == today]


def test_reconvened_process_has_terms_agreed_when_it_reconvened(client):
    call_command("load_demo", verbosity=0)
    page = client.get(reverse("process:terms", args=["data-sharing-reconvened-2016"]))
    text = page.content.decode()
    assert "agreed on 1 December 2015" in text
    assert "11 March 2014" not in text
    original = client.get(reverse("process:terms", args=["data-sharing-2014"])).content.decode()
    assert "agreed on 11 March 2014" in original


def test_no_group_of_a_concluded_process_shows_as_active_or_meets_in_future(client):
    call_command("load_demo", verbosity=0)
    for group in WorkingGroup.objects.filter(process__slug__in=HISTORICAL):
        page = client.get(group.get_absolute_url()).content.decode()
        assert ">Concluded<" in page, group
        assert ">Active<" not in page, group
    assert not Meeting.objects.filter(
        working_group__process__slug__in=HISTORICAL, starts_at__year__gt=2016
    ).exists()
    assert not Meeting.objects.filter(process__slug__in=HISTORICAL, starts_at__year__gt=2016)


def test_practice_process_is_running_today_with_groups_that_can_be_joined(client):
    call_command("load_demo", verbosity=0)
    practice = Process.objects.get(slug=PRACTICE)
    assert practice.state() == "running"
    active = WorkingGroup.objects.filter(process=practice, status="active")
    assert active.count() == 2
    assert Meeting.objects.upcoming().filter(working_group__in=active).exists()
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "not part of the real data sharing process" in page


# --- The seed's facts -------------------------------------------------------------------------


def test_demo_names_the_minister_at_the_concluding_meeting(client):
    call_command("load_demo", verbosity=0)
    process = client.get(reverse("process:detail", args=["data-sharing-2014"])).content.decode()
    assert "Minister for the Cabinet Office, Francis Maude" in process
    meeting = Meeting.objects.get(title__startswith="Concluding meeting with the Minister")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Francis Maude" in page


def test_reconvened_steps_follow_the_seed(client):
    call_command("load_demo", verbosity=0)
    reconvened = Process.objects.get(slug="data-sharing-reconvened-2016")
    first, second = reconvened.steps.order_by("number")
    assert (first.starts_on, first.ends_on) == (date(2016, 1, 1), date(2016, 1, 31))
    assert (second.starts_on, second.ends_on) == (date(2016, 3, 1), date(2016, 7, 31))
    page = client.get(reconvened.get_absolute_url()).content.decode()
    assert "Step 1: Working groups review original and new proposals" in page
    assert "review and develop the original three strands" in page
    assert "Step 2: Consultation events and the External Advisory Group report" in page
    assert "A nominated External Advisory Group" in page


def test_reconvened_process_includes_the_three_original_strands(client):
    call_command("load_demo", verbosity=0)
    names = set(
        WorkingGroup.objects.filter(process__slug="data-sharing-reconvened-2016").values_list(
            "name", flat=True
        )
    )
    for strand in [
        "Research & Statistics",
        "Fraud, Error & Debt",
        "Tailored Public Services for Individuals",
    ]:
        assert any(name.startswith(strand) for name in names), strand
    groups = client.get(reverse("workinggroups:list")).content.decode()
    assert "Tailored Public Services for Individuals: 2016 review" in groups

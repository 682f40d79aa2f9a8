"""A withdrawn version of meeting notes leaves its words nowhere
(docs/decisions/0203-meetings-drafts-and-withdrawn-notes.md).

Version 1 attributes a comment to someone (the checker's finding overridden with a recorded
reason) and publishes an action; version 2 corrects both; version 1 is then withdrawn. The
site is crawled as tests/security crawls it (every URL pattern of the access matrix, for
every role, with the meeting's own pages too; the admin's pages for staff, with a search of
every list), plus both versions' addresses, the calendars, the documents feed and search:
no response may hold the attributed name or the words only version 1 had.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, NotesVersion
from policyhub.models import AuditEntry, User
from tests.meetings.factories import MeetingFactory
from tests.security import admin_matrix, matrix
from tests.security.test_access_matrix import People

pytestmark = pytest.mark.django_db

NAME = "Ottoline Quarrington-Vale"  # nobody else's name, on or off the record
SENTENCE = f"{NAME} said the Zephyrine ledger should be scrapped."
# What only version 1 held: the name it attributed to, and its own words.
LEAKS = ("Ottoline", "Quarrington", "Zephyrine")
ROLES = (*matrix.ROLES, "staff")
STAFF = ("staff", "superuser")


def publish_breach_correct_and_withdraw(convenor: User) -> Meeting:
    """A breach published, corrected and withdrawn, through the services a convenor uses."""
    group = matrix._get("workinggroups.WorkingGroup", slug=matrix.ACTIVE)
    meeting = MeetingFactory(
        working_group=group,
        title="Fuel poverty: evidence from advice services",
        starts_at=timezone.now() - timedelta(days=3),
    )
    notes = services.start_notes(meeting, by=convenor)
    services.add_attendee(
        notes, name="Ann Lee", organisation="Involve", mode="in_person", by=convenor
    )
    services.save_notes(
        notes,
        summary=f"{SENTENCE} Members agreed to meet again in the spring.",
        discussion_points="The Zephyrine ledger was discussed at length.",
        decisions="- Options will be drafted.",
        by=convenor,
    )
    breach = services.add_action(
        meeting,
        description="Cost the Zephyrine ledger options.",
        owner="The secretariat",
        due_on=None,
        by=convenor,
    )
    [finding] = [c.finding for c in services.check_notes(notes) if c.blocks]
    assert finding.words == f"{NAME} said"
    services.override_finding(
        notes,
        matched=finding.matched,
        sentence=finding.sentence,
        reason="Quoting a letter published on the group's page.",
        by=convenor,
    )
    version_1 = services.publish_notes(notes, by=convenor)

    services.save_notes(
        notes,
        summary="One participant argued that the ledger should be scrapped. Members agreed "
        "to meet again in the spring.",
        discussion_points="The ledger was discussed at length.",
        decisions="- Options will be drafted.",
        by=convenor,
    )
    services.remove_action(breach, by=convenor)
    services.add_action(
        meeting,
        description="Cost the ledger options.",
        owner="The secretariat",
        due_on=None,
        by=convenor,
    )
    services.publish_notes(notes, by=convenor, change_note="Removed an attributed comment.")
    return meeting, version_1


def site_paths(meeting: Meeting) -> list[tuple[str, matrix.Scope, object]]:
    """(path, scope, setup) for every URL pattern of the access matrix, with its own
    arguments, and every meeting page again with the withdrawn notes' meeting."""
    mine = matrix.Scope(group=matrix.ACTIVE)
    found = []
    for name, entry in sorted(matrix.ENTRIES.items()):
        kwargs = entry.kwargs()
        found.append((reverse(name, kwargs=kwargs), entry.scope(kwargs), entry.setup))
        if name.startswith("meetings:") and set(kwargs) == {"pk"}:
            found.append((reverse(name, kwargs={"pk": meeting.pk}), mine, None))
    notes = reverse("meetings:notes", args=[meeting.pk])
    documents = reverse("documents:list")
    for path in (
        f"{notes}?version=1",
        f"{notes}?version=2",
        reverse("meetings:notes_withdraw", args=[meeting.pk, 1]),
        reverse("meetings:notes_withdraw", args=[meeting.pk, 2]),
        reverse("meetings:meeting_calendar", args=[meeting.pk]),
        reverse("meetings:past") + f"?working_group={meeting.working_group_id}",
        *[f"{documents}?q={word}" for word in LEAKS],
    ):
        found.append((path, mine, None))
    return found


def admin_paths(meeting: Meeting) -> list[str]:
    """Every admin URL of the admin's matrix, a search of every list for the words, and
    the pages of the meeting's notes, versions, actions and audit entries."""
    found = [entry.path() for entry in admin_matrix.entries().values()]
    for model in admin.site._registry:
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        found += [f"{changelist}?q={word}" for word in LEAKS]
    objects = [
        meeting,
        meeting.notes,
        *NotesVersion.objects.filter(notes=meeting.notes),
        *meeting.actions.all(),
        *meeting.notes.overrides.all(),
        *AuditEntry.objects.filter(target_id=str(meeting.pk)),
    ]
    for obj in objects:
        opts = obj._meta
        for view in ("change", "history"):
            found.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk]))
    return found


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def decoy(path: str) -> str | None:
    """For a search (`?q=<word>`, which the page echoes), the same search for a word that
    matches nothing: a result holding the word shows as one more occurrence than there."""
    for word in LEAKS:
        if path.endswith(f"?q={word}"):
            return path.removesuffix(word) + word[:-1] + "q"
    return None


def leaks(client, path: str) -> list[str]:
    text = body(client.get(path))
    found = [word for word in LEAKS if word in text]
    if (other := decoy(path)) is not None:
        word = path.rsplit("=", 1)[1]
        echoed = body(client.get(other)).count(other.rsplit("=", 1)[1])
        found = [w for w in found if w != word or text.count(word) > echoed]
    return found


def test_a_withdrawn_versions_words_appear_in_no_response_for_any_role(
    client, django_capture_on_commit_callbacks
):
    call_command("load_demo", verbosity=0)
    convenor = User.objects.get(email="convenor@demo.policyhub.test")
    meeting, version_1 = publish_breach_correct_and_withdraw(convenor)
    notes_url = reverse("meetings:notes", args=[meeting.pk])

    # Before the withdrawal the crawl's own probes see the words: version 1's address, and
    # version 2's comparison with it (where a corrected breach used to stay public).
    assert SENTENCE in client.get(notes_url, {"version": 1}).content.decode()
    assert "Zephyrine" in client.get(notes_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_notes_version(version_1, reason="attributed", by=convenor)

    people = People()
    paths = site_paths(meeting)
    in_admin = admin_paths(meeting)
    found = []
    requests = 0
    for role in ROLES:
        for path, scope, setup in paths:
            client.logout()
            user = people.get(role, scope)
            if user is not None:
                client.force_login(user)
            if setup:
                setup(client)
            requests += 1
            if words := leaks(client, path):
                found.append(f"GET {path} as {role}: {', '.join(words)}")
        if role in STAFF:
            client.force_login(people.get(role, matrix.Scope()))
            for path in in_admin:
                if "_auth_user_id" not in client.session:
                    client.force_login(people.get(role, matrix.Scope()))  # after admin:logout
                requests += 1
                if words := leaks(client, path):
                    found.append(f"GET {path} as {role}: {', '.join(words)}")
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        if words := [word for word in LEAKS if word in text]:
            found.append(f"email {message.subject!r} to {message.to}: {', '.join(words)}")
    assert requests > 2000
    assert not found, "\n".join(found)

    # And readers see, where the version was, when and why it was withdrawn.
    client.logout()
    notice = NotesVersion.objects.get(pk=version_1.pk).withdrawal_notice
    assert notice.endswith("because it attributed a comment (Chatham House Rule).")
    assert notice in client.get(notes_url, {"version": 1}).content.decode()

"""Data migrations of the meetings app: the audit log of overridden findings loses the
words (meetings 0005), and actions readers already saw join their notes' latest version
(meetings 0006). docs/decisions/0203-meetings-drafts-and-withdrawn-notes.md."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from policyhub.models import AuditEntry
from tests.factories import UserFactory
from tests.meetings.factories import MeetingFactory, NotesFactory

BEFORE_AUDIT = [("meetings", "0004_reminder_claim_token")]
AFTER_AUDIT = [("meetings", "0005_finding_overridden_audit_without_words")]
AFTER_ACTIONS = [("meetings", "0006_published_actions")]


def _migrate(targets: list[tuple[str, str]]):
    """Migrate the test database to `targets`; the project's models as they were then."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_overridden_findings_lose_the_sentence_and_name_and_nothing_else():
    actor = UserFactory()
    try:
        _migrate(BEFORE_AUDIT)
        old = AuditEntry.objects.create(
            action="meetings.finding_overridden",
            actor=actor,
            payload={
                "matched": "Jane Smith",
                "sentence": "Jane Smith said the plan was flawed.",
                "reason": "Quoting a published letter.",
            },
        )
        other = AuditEntry.objects.create(
            action="documents.withdrawn", actor=actor, payload={"sentence": "Kept."}
        )
        _migrate(AFTER_AUDIT)
        old.refresh_from_db()
        assert old.payload == {"reason": "Quoting a published letter."}
        other.refresh_from_db()
        assert other.payload == {"sentence": "Kept."}  # another action's entry is untouched
        _migrate(BEFORE_AUDIT)  # going back is harmless: the entry stays as it is
        old.refresh_from_db()
        assert old.payload == {"reason": "Quoting a published letter."}
    finally:
        _latest()


@pytest.mark.django_db(transaction=True)
def test_actions_readers_saw_join_the_latest_version_and_drafts_stay_drafts():
    noted = NotesFactory()
    never_published = MeetingFactory()
    try:
        models = _migrate(AFTER_AUDIT)
        Action = models.get_model("meetings", "Action")
        NotesVersion = models.get_model("meetings", "NotesVersion")
        for number in (1, 2):
            NotesVersion.objects.create(notes_id=noted.pk, number=number, attendees=[])
        done = Action.objects.create(
            meeting_id=noted.meeting_id, description="Circulate", owner="ONS", status="done"
        )
        Action.objects.create(meeting_id=never_published.pk, description="Draft", owner="ONS")

        models = _migrate(AFTER_ACTIONS)
        PublishedAction = models.get_model("meetings", "PublishedAction")
        rows = list(PublishedAction.objects.values_list("version__number", "action_id", "owner"))
        assert rows == [(2, done.pk, "ONS")]
        assert PublishedAction.objects.get().published_status == "done"

        models = _migrate(AFTER_AUDIT)  # going back drops the table, and the actions stay
        assert models.get_model("meetings", "Action").objects.count() == 2
    finally:
        _latest()

"""Steps the fault tests run in their own processes, against the throwaway servers:
`python -m tests.security.faults.scenario <step> [args]` with fault_settings."""

from __future__ import annotations

import sys
from datetime import timedelta

import django


def reminders(count: str) -> None:
    """A meeting starting in a little under seven days with `count` registered people,
    so its seven-day reminder is due now for every one of them."""
    from django.utils import timezone

    from meetings.models import Registration
    from tests.factories import UserFactory
    from tests.meetings.factories import MeetingFactory

    starts = timezone.now() + timedelta(days=7) - timedelta(minutes=30)
    meeting = MeetingFactory(starts_at=starts, reminder_days=[7])
    people = UserFactory.create_batch(int(count))
    Registration.objects.bulk_create(
        [Registration(meeting=meeting, user=person, mode="in_person") for person in people]
    )
    Registration.objects.update(created_at=starts - timedelta(days=10))
    print(meeting.pk)


def sweep() -> None:
    from meetings.tasks import send_due_meeting_reminders

    send_due_meeting_reminders.delay()


def open_consultation() -> None:
    """An open consultation with one optional question: the shortest way to a submission."""
    from tests.consultation.factories import QuestionFactory
    from tests.factories import ConsultationFactory

    consultation = ConsultationFactory(slug="faults-consultation")
    QuestionFactory(section__consultation=consultation, is_required=False)
    print(consultation.slug)


def submitted() -> None:
    from consultation.models import Response

    print(Response.objects.submitted().count())
    print(Response.objects.count())


def emails() -> None:
    from policyhub.models import User

    for email in User.objects.filter(meeting_registrations__isnull=False).values_list(
        "email", flat=True
    ):
        print(email)


if __name__ == "__main__":
    django.setup()
    step, *args = sys.argv[1:]
    globals()[step](*args)

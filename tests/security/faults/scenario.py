"""Steps the fault tests run in their own processes, against the throwaway servers:
`python -m tests.security.faults.scenario <step> [args]` with fault_settings."""

from __future__ import annotations

import sys
from datetime import timedelta

import django


def reminders(count: str) -> None:
    print(_reminders(int(count)))


def _reminders(count: int) -> int:
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
    Registration.objects.filter(meeting=meeting).update(created_at=starts - timedelta(days=10))
    return meeting.pk


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


def outage_world(count: str) -> None:
    """A person who can sign in, a meeting open for registration, an active group with a
    convenor, and an open consultation; printed as JSON for the test."""
    import json

    from allauth.account.models import EmailAddress

    from tests.consultation.factories import QuestionFactory
    from tests.factories import (
        ConsultationFactory,
        MembershipFactory,
        UserFactory,
        WorkingGroupFactory,
    )
    from tests.meetings.factories import MeetingFactory

    person = UserFactory(email="outage@example.org")
    person.set_password("a-long-enough-password-2014")
    person.save()
    EmailAddress.objects.update_or_create(
        user=person, email=person.email, defaults={"verified": True, "primary": True}
    )
    meeting = MeetingFactory()
    group = WorkingGroupFactory()
    MembershipFactory(group=group, role="convenor")
    consultation = ConsultationFactory(slug="outage-consultation")
    QuestionFactory(section__consultation=consultation, is_required=False)
    due = _reminders(int(count))
    print(
        json.dumps(
            {"meeting": meeting.pk, "group": group.slug, "slug": consultation.slug, "due": due}
        )
    )


def outage_results() -> None:
    import json

    from consultation.models import Response
    from meetings.models import Registration
    from workinggroups.models import JoinRequest

    print(
        json.dumps(
            {
                "registrations": Registration.objects.filter(
                    user__email="outage@example.org"
                ).count(),
                "join_requests": JoinRequest.objects.filter(
                    user__email="outage@example.org"
                ).count(),
                "submitted": Response.objects.submitted()
                .filter(consultation__slug="outage-consultation")
                .count(),
            }
        )
    )


def responses(slug: str) -> None:
    """Each respondent's address with the statuses of the responses stored under it."""
    import json
    from collections import defaultdict

    from consultation.models import Response

    found: dict[str, list[str]] = defaultdict(list)
    for email, status in Response.objects.filter(consultation__slug=slug).values_list(
        "email", "status"
    ):
        found[email].append(status)
    print(json.dumps(found))


def emails(meeting: str) -> None:
    """Everyone registered for that meeting."""
    from policyhub.models import User

    registered = User.objects.filter(meeting_registrations__meeting_id=int(meeting))
    for email in registered.values_list("email", flat=True):
        print(email)


if __name__ == "__main__":
    django.setup()
    step, *args = sys.argv[1:]
    globals()[step](*args)

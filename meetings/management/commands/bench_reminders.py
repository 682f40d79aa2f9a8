"""`python manage.py bench_reminders`: queue and send reminders for one meeting with many
recipients, and report the time taken and peak memory (RSS).

Runs inside a transaction that is rolled back, so it leaves the database as it found it.
Emails are fully built (body, headers, .ics attachment) by a local backend that counts and
discards them, so the figure measures PolicyHub's work, not a mail server's.
"""

from __future__ import annotations

import resource
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Registration
from process.models import Process
from workinggroups.models import Membership, WorkingGroup


class CountingBackend(BaseEmailBackend):
    """Builds each message's bytes, as an SMTP backend would, then drops them."""

    sent = 0
    size = 0

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            CountingBackend.size += len(message.message().as_bytes())
            CountingBackend.sent += 1
        return len(email_messages)


class Rollback(Exception):
    pass


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Benchmark reminders for one meeting with many recipients (default 10,000)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--recipients", type=int, default=10_000)

    def handle(self, *args, recipients: int, **options) -> None:
        backend = f"{__name__}.CountingBackend"
        try:
            with override_settings(EMAIL_BACKEND=backend), transaction.atomic():
                self.run(recipients)
                raise Rollback
        except Rollback:
            pass

    def run(self, count: int) -> None:
        now = timezone.now()
        process = Process.objects.create(
            title="Benchmark",
            slug="bench-reminders",
            summary="-",
            starts_on=now.date(),
            ends_on=now.date() + timedelta(days=60),
        )
        group = WorkingGroup.objects.create(process=process, name="Bench", slug="bench-reminders")
        meeting = Meeting.objects.create(
            process=process,
            working_group=group,
            title="Benchmark meeting",
            starts_at=now + timedelta(days=6, hours=23),
            ends_at=now + timedelta(days=7),
            venue="Hall",
            region="wales",
            joining_link="https://meet.example.org/bench",
            announced_at=now - timedelta(days=30),
        )
        user_model = get_user_model()
        earlier = now - timedelta(days=30)
        users = user_model.objects.bulk_create(
            [
                user_model(
                    email=f"bench{i}@example.org",
                    display_name=f"Person {i}",
                    password="!",
                    date_joined=earlier,
                )
                for i in range(count)
            ],
            batch_size=1000,
        )
        half = len(users) // 2
        Membership.objects.bulk_create(
            [Membership(group=group, user=u, joined_at=earlier) for u in users[:half]],
            batch_size=1000,
        )
        Registration.objects.bulk_create(
            [
                Registration(meeting=meeting, user=u, mode="remote", created_at=earlier)
                for u in users[half:]
            ],
            batch_size=1000,
        )
        self.stdout.write(f"{count} recipients ready; peak RSS {peak_rss_mb():.0f} MB")
        start = time.perf_counter()
        ids = services.queue_due_reminders(now)
        queued = time.perf_counter() - start
        rss_after_queue = peak_rss_mb()
        for first in range(0, len(ids), services.REMINDER_BATCH):
            services.deliver_reminders(ids[first : first + services.REMINDER_BATCH], now)
        total = time.perf_counter() - start
        self.stdout.write(
            f"queued {len(ids)} in {queued:.1f}s; sent {CountingBackend.sent} "
            f"({CountingBackend.size / 1e6:.0f} MB of email) in {total:.1f}s in total; "
            f"peak RSS {rss_after_queue:.0f} MB after queueing, {peak_rss_mb():.0f} MB at the end"
        )

"""Reminders through a real Celery worker and broker, not eager mode: the embedded
filesystem broker that `make run` uses, and Redis when REDIS_URL is set (as in .ci/run).

The sweep is queued twice, as when beat fires twice, and each reminder still arrives once.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from celery.signals import after_task_publish, task_postrun
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu import pools as kombu_pools

from meetings import services, tasks
from meetings.models import SentReminder
from policyhub.celery import app
from tests.factories import MembershipFactory, UserFactory, date_fields
from tests.meetings.factories import MeetingFactory, NotesFactory

BROKERS = ["filesystem"] + (["redis"] if os.environ.get("REDIS_URL") else [])


@pytest.fixture(params=BROKERS)
def real_broker(request, tmp_path):
    """Point the Celery app at a real broker for one test, then restore eager mode."""
    saved = {
        key: app.conf[key]
        for key in ("broker_url", "broker_transport_options", "task_always_eager")
    }
    if request.param == "filesystem":
        folder = tmp_path / "queue"
        folder.mkdir()
        app.conf.broker_url = "filesystem://"
        app.conf.broker_transport_options = {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(tmp_path / "control"),
            "store_processed": False,
        }
    else:
        app.conf.broker_url = os.environ["REDIS_URL"]
        app.conf.broker_transport_options = {}
    app.conf.task_always_eager = False
    reset_connections()
    yield request.param
    reset_connections()
    for key, value in saved.items():
        app.conf[key] = value


def reset_connections() -> None:
    """Drop pooled broker connections so the next task uses the broker now configured.
    Celery keeps a connection pool on the app and kombu a global producer pool registry;
    both are rebuilt lazily once cleared."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    kombu_pools.reset()


class TaskTracker:
    """Every task published to the broker and every task the worker has finished, told by
    Celery's own signals, so a test waits for the work to be done rather than for time to
    pass. A task publishes the tasks it fans out before it finishes, so once every
    published task has finished nothing more is coming."""

    def __init__(self) -> None:
        self.published: set[str] = set()
        self.finished: set[str] = set()
        self.changed = threading.Condition()

    def on_publish(self, headers: dict | None = None, **kwargs) -> None:
        with self.changed:
            self.published.add((headers or {})["id"])
            self.changed.notify_all()

    def on_finish(self, task_id: str | None = None, **kwargs) -> None:
        with self.changed:
            self.finished.add(task_id)
            self.changed.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        """True once every task published so far has finished; False after `timeout`
        seconds if some still has not (the worker is stuck or the broker lost it)."""
        with self.changed:
            return self.changed.wait_for(lambda: self.published <= self.finished, timeout)


@pytest.fixture
def tasks_tracked():
    tracker = TaskTracker()
    after_task_publish.connect(tracker.on_publish, weak=False)
    task_postrun.connect(tracker.on_finish, weak=False)
    yield tracker
    after_task_publish.disconnect(tracker.on_publish)
    task_postrun.disconnect(tracker.on_finish)


STARTS_AT = datetime(2027, 5, 12, 9, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_each_reminder_once_when_beat_fires_twice(real_broker, tasks_tracked):
    meeting = MeetingFactory(working_group=MembershipFactory().group, starts_at=STARTS_AT)
    members = [MembershipFactory(group=meeting.working_group).user for _ in range(3)]
    # The clock runs (the worker's broker polling needs it) from just after the 7-day
    # reminder fell due; the test takes seconds, far from the 1-day reminder.
    with (
        time_machine.travel(STARTS_AT - timedelta(days=7, minutes=-5), tick=True),
        start_worker(app, perform_ping_check=False, shutdown_timeout=20),
    ):
        tasks.send_due_meeting_reminders.delay()
        tasks.send_due_meeting_reminders.delay()
        assert tasks_tracked.wait_until_idle(timeout=60)
    expected = 1 + len(members)  # the first member made the group, plus three more
    assert len(tasks_tracked.finished) >= 3  # both sweeps and at least one delivery ran
    assert SentReminder.objects.filter(sent_at__isnull=False).count() == expected
    assert len(mail.outbox) == expected
    assert len({m.to[0] for m in mail.outbox}) == expected


@pytest.fixture
def broker_down():
    """A broker nobody is listening on, as when Redis is down."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.task_always_eager = False
    reset_connections()
    yield
    reset_connections()
    for key, value in saved.items():
        app.conf[key] = value


@pytest.mark.django_db
def test_site_keeps_working_while_the_broker_is_down_and_reminders_follow(
    broker_down, client, convenor, group
):
    client.force_login(convenor)
    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = client.post(
        reverse("meetings:schedule"),
        {
            "working_group": group.pk,
            "title": "Scheduled while Redis is down",
            **date_fields("day", day),
            "start_time": "10:00",
            "end_time": "11:00",
            "region": "wales",
            "venue": "Cardiff",
            "has_remote_participation": "on",
            "joining_link": "https://meet.example.org/x",
            "reminder_days": "7",
        },
    )
    assert response.status_code == 302
    meeting = group.meetings.get()
    notes = NotesFactory(meeting__working_group=group)
    assert (
        client.post(reverse("meetings:notes_publish", args=[notes.meeting.pk])).status_code == 302
    )
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("meetings:register", args=[meeting.pk]), {"mode": "remote"})
    assert response.status_code == 302
    # The worker comes back after the reminder fell due: it is sent then, once.
    with time_machine.travel(meeting.starts_at - timedelta(days=6), tick=False):
        services.send_due_reminders()
        services.send_due_reminders()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([convenor.email, person.email])

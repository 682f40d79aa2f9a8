"""Reminders through a real Celery worker and broker, not eager mode: the embedded
filesystem broker that `make run` uses, and Redis when REDIS_URL is set (as in .ci/run).

The sweep is queued twice, as when beat fires twice, and each reminder still arrives once.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
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


def wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_each_reminder_once_when_beat_fires_twice(real_broker):
    meeting = MeetingFactory(
        working_group=MembershipFactory().group, starts_at=timezone.now() + timedelta(days=10)
    )
    members = [MembershipFactory(group=meeting.working_group).user for _ in range(3)]
    with (
        time_machine.travel(meeting.starts_at - timedelta(days=7, minutes=-5), tick=True),
        start_worker(app, perform_ping_check=False, shutdown_timeout=20),
    ):
        tasks.send_due_meeting_reminders.delay()
        tasks.send_due_meeting_reminders.delay()
        expected = 1 + len(members)  # the first member made the group, plus three more
        assert wait_for(lambda: SentReminder.objects.filter(sent_at__isnull=False).count() >= 4)
        time.sleep(0.5)  # give a duplicate the chance to (wrongly) arrive
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

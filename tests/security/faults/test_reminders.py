"""A Celery worker SIGKILLed in the middle of a reminder batch: after a restart, every
recipient has exactly one reminder (docs/decisions/0200: claim with a lease, send, mark)."""

from __future__ import annotations

import signal
from collections import defaultdict

import pytest

from .helpers import environment, prepare_database, scenario, start_worker
from .mailbox import delivered
from .servers import wait_for

pytestmark = pytest.mark.faults

RECIPIENTS = 500  # three delivery batches of at most 200


def test_worker_killed_mid_batch_leaves_everyone_exactly_one_reminder(postgres, redis, tmp_path):
    mailbox = tmp_path / "mailbox"
    env = environment(postgres, redis, FAULTS_MAILBOX=str(mailbox), FAULTS_SEND_DELAY="0.01")
    prepare_database(postgres, env)
    meeting = scenario(env, "reminders", str(RECIPIENTS)).strip()
    expected = set(scenario(env, "emails", meeting).split())
    assert len(expected) == RECIPIENTS

    worker = start_worker(env, tmp_path / "worker.log")
    try:
        scenario(env, "sweep")
        # Kill it mid-way through the first batch: some sent, most of the batch not.
        wait_for(lambda: len(delivered(mailbox)) >= 60, timeout=60, what="60 reminders")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        at_kill = len(delivered(mailbox))
        assert 60 <= at_kill < RECIPIENTS, at_kill

        worker = start_worker(env, tmp_path / "worker.log")
        # The killed task comes back when the broker's visibility timeout passes; a sweep
        # (beat would run one within minutes) also takes over the abandoned claims.
        scenario(env, "sweep")
        wait_for(
            lambda: {to for to, _ in delivered(mailbox)} >= expected,
            timeout=120,
            what="everyone's reminder",
        )
        scenario(env, "sweep")  # and one more, late: it must add nothing
        import time

        time.sleep(6)  # longer than the lease and the visibility timeout
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    messages = delivered(mailbox)
    ids_by_person: dict[str, set[str]] = defaultdict(set)
    for to, message_id in messages:
        ids_by_person[to].add(message_id)
    assert set(ids_by_person) == expected
    several = {to: ids for to, ids in ids_by_person.items() if len(ids) != 1}
    assert several == {}, "people with more than one distinct reminder"
    # At most the one message in flight at the kill went twice, with the same Message-ID.
    assert len(messages) - RECIPIENTS <= 1

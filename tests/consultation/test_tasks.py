"""Background work: the retention rule runs from beat through a thin task, and the emails to
respondents go through tasks that retry while the mail server fails."""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from consultation import services, tasks
from consultation.models import Response
from policyhub.models import AuditEntry
from tests import factories
from tests.consultation.factories import ResponseFactory

pytestmark = pytest.mark.django_db


def test_retention_task_forgets_emails_of_long_closed_consultations():
    long_ago = timezone.now() - timedelta(days=settings.CONSULTATION_RETENTION_DAYS + 10)
    closed = factories.ConsultationFactory(
        opens_at=long_ago - timedelta(days=50), closes_at=long_ago
    )
    old = ResponseFactory(consultation=closed, email="old@example.org")
    recent = ResponseFactory(email="recent@example.org")
    assert tasks.remove_expired_personal_data.delay().get() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.email == "" and recent.email == "recent@example.org"


def test_retention_task_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["consultation-remove-expired-personal-data"]
    assert entry["task"] == "consultation.tasks.remove_expired_personal_data"


# --- Emails: the request only queues; the task sends, retrying while mail fails ------------


def sent_draft(consultation) -> Response:
    """A complete draft with an address for its receipt, sent."""
    draft = ResponseFactory(
        consultation=consultation, status="draft", submitted_at=None, email="ann@example.org"
    )
    return services.submit_response(draft)


def test_sending_a_response_queues_its_receipt_and_sends_nothing_itself(
    consultation, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.send_receipt, "apply_async") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = sent_draft(consultation)
    queue.assert_called_once_with((response.pk, "en-gb"), retry=False)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "failure", [SMTPException("451 Try again later"), ConnectionRefusedError()], ids=repr
)
def test_receipt_is_sent_when_the_mail_server_comes_back(consultation, failure, settings):
    """The task retries, as a worker would: with eager propagation (a test setting) a retry
    would be raised here instead of being run."""
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    response = sent_draft(consultation)
    deliver = EmailMessage.send
    attempts = []

    def mail_server_back_on_the_third_try(message, *args, **kwargs):
        attempts.append(message)
        if len(attempts) < 3:
            raise failure
        return deliver(message, *args, **kwargs)

    with mock.patch.object(
        EmailMessage, "send", autospec=True, side_effect=mail_server_back_on_the_third_try
    ):
        tasks.send_receipt.delay(response.pk)
    assert len(attempts) == 3
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    assert response.reference in mail.outbox[0].subject


def test_resume_link_reaches_its_task_as_an_argument_and_no_row_holds_the_token(
    consultation, django_capture_on_commit_callbacks
):
    draft = ResponseFactory(consultation=consultation, status="draft", submitted_at=None)
    with (
        mock.patch.object(tasks.send_resume_link, "apply_async") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        token = services.issue_resume_link(
            draft, email="a@example.org", base_url="https://policyhub.test"
        )
    link = f"https://policyhub.test/consultations/{consultation.slug}/resume/{token}/"
    queue.assert_called_once_with((draft.pk, link, "en-gb"), retry=False)
    assert mail.outbox == []
    stored = [*Response.objects.values_list(), *AuditEntry.objects.values_list()]
    assert token not in repr(stored)
    tasks.send_resume_link.delay(*queue.call_args.args[0])
    assert mail.outbox[0].to == ["a@example.org"] and link in mail.outbox[0].body


def test_no_resume_link_is_emailed_once_the_response_has_been_sent(
    consultation, django_capture_on_commit_callbacks
):
    draft = ResponseFactory(consultation=consultation, status="draft", submitted_at=None)
    with (
        mock.patch.object(tasks.send_resume_link, "apply_async") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.issue_resume_link(draft, email="a@example.org", base_url="http://x")
    services.submit_response(draft)
    tasks.send_resume_link.delay(*queue.call_args.args[0])
    assert mail.outbox == []

"""Background work for working groups: emails about join requests. Thin: take an id, load,
send. Scheduled by services with transaction.on_commit, so nothing is sent for a rolled-back
change."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from policyhub.emails import subject_line
from policyhub.links import absolute_url
from policyhub.models import SecretariatMember

from .models import JoinRequest, Membership


@shared_task
def send_join_decision_email(join_request_id: int) -> None:
    """Tell the person whether they were approved or declined, and why if declined."""
    join_request = (
        JoinRequest.objects.select_related("group", "user").filter(pk=join_request_id).first()
    )
    if join_request is None or join_request.status == JoinRequest.Status.PENDING:
        return
    context = {
        "join_request": join_request,
        "group_url": absolute_url(join_request.group.get_absolute_url()),
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string("workinggroups/email/join_decision_subject.txt", context)
    body = render_to_string("workinggroups/email/join_decision.txt", context)
    send_mail(subject_line(subject), body, None, [join_request.user.email])


@shared_task
def send_join_request_email(join_request_id: int) -> None:
    """Tell the group's convenors (or, while it has none, the secretariat) that someone is
    waiting for a decision."""
    join_request = (
        JoinRequest.objects.select_related("group", "user").filter(pk=join_request_id).first()
    )
    if join_request is None or join_request.status != JoinRequest.Status.PENDING:
        return
    recipients = list(
        Membership.objects.filter(
            group=join_request.group, role=Membership.Role.CONVENOR
        ).values_list("user__email", flat=True)
    )
    if not recipients:  # a group without convenors yet: the secretariat decides
        recipients = list(SecretariatMember.objects.values_list("user__email", flat=True))
    if not recipients:
        return
    context = {
        "join_request": join_request,
        "requests_url": absolute_url(
            reverse("workinggroups:join-requests", kwargs={"slug": join_request.group.slug})
        ),
        "site_name": settings.SITE_NAME,
    }
    subject = subject_line(f"{join_request.user} asks to join {join_request.group}")
    body = render_to_string("workinggroups/email/join_request.txt", context)
    send_mail(subject, body, None, recipients)

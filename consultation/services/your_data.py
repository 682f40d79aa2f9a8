"""What consultations hold about one person, for "Your data" (policyhub.your_data).

A response is given to a consultation, not to an account: it is found by the email address
the respondent gave, and nothing links it to their account. So deleting an account leaves
each response with its consultation, under the consultation's retention: the email address
is removed CONSULTATION_RETENTION_DAYS after the consultation closes (services.retention),
and the answers and the name stay, published as the respondent chose when they sent it.
To withdraw a response, a respondent writes to the consultation's contact address.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import Q

from consultation.models import Analyst, AnswerReview, Redaction, Response
from policyhub.your_data import email_addresses, when

if TYPE_CHECKING:
    from policyhub.models import User


def responses_of(user: User):
    """Responses given with any of the person's email addresses."""
    by_address = (Q(email__iexact=address) for address in email_addresses(user))
    return Response.objects.filter(reduce(or_, by_address)).select_related("consultation")


def your_data(user: User) -> dict:
    """Their responses with their answers, and their analyst work as counts: the responses
    an analyst codes or enters are other people's, so only how many is theirs."""
    return {
        "responses": [
            {
                "consultation": r.consultation.title,
                "reference": r.reference,
                "status": r.get_status_display(),
                "responding": r.get_respondent_type_display(),
                "name": r.name,
                "organisation": r.organisation_name,
                "email": r.email,
                "publication": r.get_publication_display(),
                "submitted_at": when(r.submitted_at),
                "answers": [
                    {"question": a.question.text, "answer": a.display()}
                    for a in r.answers.select_related("question")
                ],
            }
            for r in responses_of(user)
        ],
        "analyst_of": [
            a.consultation.title
            for a in Analyst.objects.filter(user=user).select_related("consultation")
        ],
        "answers_coded": AnswerReview.objects.filter(analyst=user).count(),
        "passages_redacted": Redaction.objects.filter(redacted_by=user).count(),
        "responses_entered_from_email_or_post": Response.objects.filter(entered_by=user).count(),
    }

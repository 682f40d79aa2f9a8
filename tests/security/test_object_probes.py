"""Object-level probes: guessed and sequential ids, slugs and tokens for what someone may
not see (a restricted document with its files and versions, draft notes, concerns,
unpublished responses, other people's save-and-return and calendar tokens) answer 404, and
the secret leaks nowhere: not in titles, lists, counts, search, feeds or error pages."""

from __future__ import annotations

import math
import secrets

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse

from documents.models import Document, DocumentFile
from documents.views import PAGE_SIZE
from tests import factories, pages
from tests.documents.factories import RestrictionFactory

pytestmark = pytest.mark.django_db
SECRET = "Zqxwv"  # a word that appears nowhere else
# What the restricted document holds (a search for SECRET echoes the query, nothing more).
LEAKS = [f"{SECRET} paper", f"{SECRET} body", f"{SECRET} text", f"{SECRET} annex", SECRET + "<"]


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


@pytest.fixture
def restricted(demo):
    """A document with files and several versions, restricted, its title made findable."""
    document = Document.objects.get(slug=pages.document_compare_kwargs()[0]["slug"])
    if not document.files.exists():
        source = DocumentFile.objects.order_by("pk").first()
        DocumentFile.objects.create(
            document=document,
            file=source.file.name,
            name=f"{SECRET}-annex.txt",
            file_type="txt",
            size=source.size,
            text=f"{SECRET} annex",
        )
    Document.objects.filter(pk=document.pk).update(title=f"{SECRET} paper", summary=SECRET)
    document.versions.update(title=f"{SECRET} paper", body=f"{SECRET} body")
    document.files.update(text=f"{SECRET} text")
    RestrictionFactory(document=document, public_title="Withheld paper")
    return document


def viewers(participant):
    return [None, participant, factories.MembershipFactory(role="member").user]


def test_restricted_document_its_versions_and_files_are_404_by_guess(
    client, participant, restricted
):
    document = restricted
    numbers = range(1, document.versions.count() + 3)
    file_ids = list(DocumentFile.objects.values_list("pk", flat=True)) + [10**6]
    paths = [
        reverse("documents:detail", args=[document.slug]),
        *[reverse("documents:version", args=[document.slug, n]) for n in numbers],
        reverse("documents:compare", args=[document.slug, 1, 2]),
        *[reverse("documents:download", args=[document.slug, pk, "x.pdf"]) for pk in file_ids],
    ]
    # A file of the restricted document, asked for through an open document's slug.
    open_document = Document.objects.exclude(pk=document.pk).filter(status="published").first()
    paths += [
        reverse("documents:download", args=[open_document.slug, f.pk, f.name])
        for f in document.files.all()
    ]
    for user in viewers(participant):
        client.logout()
        if user:
            client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 404, (user, path, response.status_code)
            assert SECRET not in response.content.decode(errors="replace"), path


def test_restricted_document_leaks_into_no_list_search_feed_or_count(
    client, participant, restricted
):
    from documents.permissions import documents_visible_to

    listed = [
        reverse("documents:list"),
        reverse("documents:list") + f"?q={SECRET}",
        reverse("documents:list") + "?q=paper",
        reverse("documents:feed"),
        reverse("documents:register"),
        reverse("process:home"),
        *[reverse("workinggroups:detail", args=[g.slug]) for g in restricted.working_groups.all()],
    ]
    total = Document.objects.count()
    # Neither viewer has anything restricted shared with them: they read the open archive.
    readable = Document.objects.published().open().count()
    for page_number in range(1, math.ceil(readable / PAGE_SIZE) + 1):
        listed.append(reverse("documents:list") + f"?page={page_number}")
    for user in (None, participant):
        client.logout()
        if user:
            client.force_login(user)
        for path in listed:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            html = response.content.decode()
            assert not [leak for leak in LEAKS if leak in html], path
        counted = client.get(reverse("documents:list")).content.decode()
        assert f">{readable} documents<" in counted  # every readable one, and only those
        assert "Results for “paper”" in client.get(listed[2]).content.decode()
        visible = documents_visible_to(user or AnonymousUser()).count()
        assert visible < total


def test_draft_notes_are_not_shown_before_publication(client, participant, demo):
    from meetings.models import Meeting, Notes

    meeting = Meeting.objects.filter(notes__isnull=True).order_by("pk").first()
    Notes.objects.create(meeting=meeting, summary=f"{SECRET} draft", decisions=SECRET)
    for user in viewers(participant):
        client.logout()
        if user:
            client.force_login(user)
        # Each page as the viewer gets it: the meeting itself stays listed and readable,
        # its draft notes are not found, and editing them is for their editors only.
        for path, status, shows_meeting in [
            (reverse("meetings:notes", args=[meeting.pk]), 404, False),
            (reverse("meetings:detail", args=[meeting.pk]), 200, True),
            (reverse("meetings:past"), 200, True),
            (reverse("meetings:notes_edit", args=[meeting.pk]), 403 if user else 302, False),
        ]:
            response = client.get(path)
            html = response.content.decode()
            assert response.status_code == status, (user, path, response.status_code)
            assert (meeting.title in html) is shows_meeting, (user, path)
            assert SECRET not in html, (user, path)


def test_concerns_by_guessed_id_are_404_and_absent_from_lists(client, participant, demo):
    from workinggroups.models import Concern

    Concern.objects.update(title=f"{SECRET} concern", description=SECRET)
    highest = Concern.objects.order_by("-pk").first().pk
    client.force_login(participant)
    for pk in range(1, highest + 3):
        for name in ("concern", "concern-mediators", "concern-outcome"):
            response = client.get(reverse(f"workinggroups:{name}", args=[pk]))
            assert response.status_code == 404, (name, pk)
    for path in [reverse("workinggroups:concerns"), reverse("workinggroups:list")]:
        assert SECRET not in client.get(path).content.decode()


def test_unpublished_responses_are_not_published_or_reachable(client, participant, demo):
    from consultation.models import Answer, Response

    run = pages.RUN_CONSULTATION
    responses = Response.objects.filter(consultation__slug=run)
    hidden = responses.filter(publication="none")
    Answer.objects.filter(response__in=hidden).update(text=f"{SECRET} private answer")
    hidden.update(name=f"{SECRET} Person")
    # Published anonymously: the words may be shown, the name never.
    responses.filter(publication="anonymous").update(name=f"{SECRET} Anonymous")
    assert hidden.exists() and responses.filter(publication="anonymous").exists()
    published = reverse("consultation:published", args=[run])
    pages_to_read = [published] + [f"{published}?page={n}" for n in range(2, 12)]
    for path in pages_to_read:
        response = client.get(path)
        assert SECRET not in response.content.decode(), path
    client.force_login(participant)
    for reference in list(hidden.values_list("reference", flat=True)[:5]) + ["R-AAAA-AAAA"]:
        response = client.get(reverse("consultation:response", args=[run, reference]))
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


def test_guessed_save_and_return_tokens_open_nothing(client, demo):
    from consultation import services
    from consultation.models import Consultation

    consultation = Consultation.objects.get(slug=pages.OPEN_CONSULTATION)
    draft = services.start_response(consultation)
    draft.name = f"{SECRET} Respondent"
    draft.save()
    token = services.issue_resume_link(draft, email="a@example.org", base_url="http://x")
    guesses = [secrets.token_urlsafe(32) for _ in range(5)] + [token[:-1] + "A", "", "x" * 43]
    for guess in [g for g in guesses if g and g != token]:
        response = client.get(reverse("consultation:resume", args=[consultation.slug, guess]))
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
    # The right token for another consultation's address opens nothing either.
    other = Consultation.objects.exclude(pk=consultation.pk).first()
    response = client.get(reverse("consultation:resume", args=[other.slug, token]))
    assert response.status_code == 404


def test_guessed_calendar_and_unsubscribe_tokens_open_nothing(client, participant, demo):
    from meetings.services import calendar_token_for

    real = calendar_token_for(participant).token
    for guess in [secrets.token_urlsafe(24) for _ in range(5)] + [real[:-1] + "x"]:
        if guess == real:
            continue
        response = client.get(reverse("meetings:private_calendar", args=[guess]))
        assert response.status_code == 404
    assert client.get(reverse("meetings:private_calendar", args=[real])).status_code == 200
    forged = reverse("meetings:stop_reminders", args=[f"{participant.pk}:forged:signature"])
    assert client.post(forged).status_code in (400, 404)

"""Your data: a person downloads everything PolicyHub holds about them, and deletes their
account, after which nothing in the database names them (policyhub.your_data)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from consultation.models import AnswerReview, Redaction, Response
from documents.models import DocumentVersion
from meetings.models import (
    Action,
    Attendee,
    CalendarToken,
    Notes,
    NotesVersion,
    PublishedAction,
    Registration,
    ReminderOptOut,
    SentReminder,
)
from policyhub import audit
from policyhub import services as policyhub_services
from policyhub.models import AuditEntry, User
from tests.consultation.factories import AnswerFactory, ResponseFactory
from tests.documents.factories import DocumentFactory, EvidenceFactory, RestrictionFactory
from tests.factories import (
    PASSWORD,
    AnalystFactory,
    MembershipFactory,
    SecretariatMemberFactory,
    UserFactory,
    WorkingGroupFactory,
)
from tests.meetings.factories import MeetingFactory, NotesFactory, RegistrationFactory
from tests.workinggroups.factories import (
    AgreementRecordFactory,
    ConcernFactory,
    JoinRequestFactory,
    ProposalFactory,
    SignatoryFactory,
    SignOffFactory,
    TaskFactory,
    WiderIssueFactory,
)

pytestmark = pytest.mark.django_db

NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine.quillfeather@example.org"
OTHER_NAME = "Barnaby Oakhurst"
OTHER_EMAIL = "barnaby.oakhurst@example.org"

# Consultation responses are given to a consultation, not to an account: they keep the name
# and address the respondent gave until the consultation's retention removes the address.
KEPT_BY_RETENTION = {(Response, "name"), (Response, "email")}


def a_world(person: User, other: User) -> dict:
    """`person` with something in every app, beside `other` wherever a row has two people."""
    group = WorkingGroupFactory()
    MembershipFactory(group=group, user=person)
    MembershipFactory(group=group, user=other)
    JoinRequestFactory(user=person, decided_by=other, statement="I bring data expertise.")
    SignatoryFactory(user=person, note="Signs for Involve")
    proposal = ProposalFactory(group=group, created_by=person, title="Share census extracts")
    SignOffFactory(proposal=proposal, recorded_by=person, recorded_at=timezone.now())
    AgreementRecordFactory(proposal=proposal, recorded_by=person)
    concern = ConcernFactory(group=group, raised_by=person, title="Papers arrive late")
    concern.mediators.add(other)
    WiderIssueFactory(group=group, raised_by=person)
    TaskFactory(group=group, updated_by=person)

    upcoming = MeetingFactory(working_group=group, capacity=1)
    RegistrationFactory(meeting=upcoming, user=person)
    waiting = RegistrationFactory(
        meeting=upcoming, user=other, status="waiting", waiting_since=timezone.now()
    )
    notes = NotesFactory(
        meeting=MeetingFactory(working_group=group, starts_at=timezone.now() - timedelta(days=2))
    )
    Attendee.objects.create(
        notes=notes, user=person, name=NAME, organisation="Open Data Institute", mode="in_person"
    )
    Attendee.objects.create(notes=notes, user=other, name=OTHER_NAME, mode="remote")
    version = NotesVersion.objects.create(
        notes=notes,
        number=1,
        attendees=[
            {"name": NAME, "organisation": "Open Data Institute", "mode": "in_person"},
            {"name": OTHER_NAME, "organisation": "", "mode": "remote"},
        ],
    )
    action = Action.objects.create(
        meeting=notes.meeting, description="Circulate options", owner=NAME
    )
    PublishedAction.objects.create(
        version=version,
        action=action,
        description="Circulate options",
        owner=NAME,
        published_status="open",
    )
    CalendarToken.objects.create(user=person)
    ReminderOptOut.objects.create(user=person)
    SentReminder.objects.create(
        meeting=upcoming,
        user=person,
        kind="before-7",
        starts_at=upcoming.starts_at,
        due_at=timezone.now(),
        sent_at=timezone.now(),
    )

    document = DocumentFactory(title="Data sharing options")
    DocumentVersion.objects.filter(document=document).update(created_by=person)
    document.shared_with_people.add(person)
    EvidenceFactory(added_by=person, title="Census report")
    RestrictionFactory(restricted_by=person)

    response = ResponseFactory(name=NAME, email=EMAIL.upper(), organisation_name="")
    answer = AnswerFactory(response=response, text="Safeguards matter most.")
    analyst = AnalystFactory(user=person).user
    AnswerReview.objects.create(answer=AnswerFactory(), analyst=analyst)
    Redaction.objects.create(
        answer=answer, passage="Safeguards", reason="other", redacted_by=person
    )
    ResponseFactory(name=OTHER_NAME, email=OTHER_EMAIL)

    policyhub_services.add_to_secretariat(person, by=other, note=f"Added {person.email}")
    policyhub_services.remove_from_secretariat(person, by=other)
    audit.record("policyhub.tested", actor=person, target=proposal, by=NAME)
    LogEntry.objects.create(
        user=other,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message="[]",
    )
    return {"notes": notes, "proposal": proposal, "waiting": waiting, "response": response}


@pytest.fixture
def person(db):
    return UserFactory(display_name=NAME, email=EMAIL, organisation="Open Data Institute")


@pytest.fixture
def other(db):
    other = UserFactory(display_name=OTHER_NAME, email=OTHER_EMAIL)
    SecretariatMemberFactory(user=other)
    return other


def text_fields(model: type[models.Model]) -> list[str]:
    kinds = (models.CharField, models.TextField, models.JSONField)
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]


def mentions_of(*identities: str) -> list[str]:
    """Every text value in every table (every installed model, so a new one is covered)
    that contains one of `identities`, as "app.Model.field"."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in text_fields(model):
            if (model, field) in KEPT_BY_RETENTION:
                continue
            for value in model._base_manager.values_list(field, flat=True):
                text = json.dumps(value) if not isinstance(value, str) else value
                if any(identity.lower() in (text or "").lower() for identity in identities):
                    found.append(f"{model._meta.label}.{field}")
    return found


def delete_through_the_page(client, person: User) -> object:
    client.force_login(person)
    return client.post(reverse("delete_account"), {"email": EMAIL, "password": PASSWORD})


def test_deleting_an_account_leaves_nothing_that_names_the_person(client, person, other):
    a_world(person, other)
    assert mentions_of(NAME, EMAIL), "the world should name the person before deletion"

    response = delete_through_the_page(client, person)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_deleted")
    assert not User.objects.filter(pk=person.pk).exists()
    assert mentions_of(NAME, EMAIL) == []
    # Someone else's data is untouched.
    assert mentions_of(OTHER_NAME, OTHER_EMAIL)


def test_deletion_keeps_the_record_honest(client, person, other):
    world = a_world(person, other)

    delete_through_the_page(client, person)

    notes: Notes = world["notes"]
    assert sorted(notes.attendees.values_list("name", flat=True)) == [
        "A former participant",
        OTHER_NAME,
    ]
    assert notes.attendees.get(name="A former participant").organisation == "Open Data Institute"
    version = notes.versions.get()
    assert {line["name"] for line in version.attendees} == {"A former participant", OTHER_NAME}
    proposal = world["proposal"]
    proposal.refresh_from_db()
    assert proposal.created_by is None and proposal.group.proposals.filter(pk=proposal.pk)
    # The freed place at the meeting to come goes to the person waiting.
    world["waiting"].refresh_from_db()
    assert world["waiting"].status == Registration.Status.CONFIRMED
    # The audit log keeps each action, without the person; and says an account went.
    assert AuditEntry.objects.filter(action="policyhub.secretariat_added").get().target_repr == (
        "A former participant"
    )
    assert AuditEntry.objects.filter(action="policyhub.account_deleted").exists()
    # The consultation response stays with its consultation, under its retention.
    kept = Response.objects.get(pk=world["response"].pk)
    assert kept.email == EMAIL.upper() and kept.answers.exists()


def test_after_deletion_the_person_is_signed_out_and_told(client, person, other):
    response = delete_through_the_page(client, person)

    page = client.get(response["Location"])
    assert "Your account has been deleted" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("your_data"))["Location"].startswith(reverse("account_login"))


def test_deletion_needs_the_email_address_and_password(client, person):
    client.force_login(person)

    page = client.post(reverse("delete_account"), {"email": OTHER_EMAIL, "password": "wrong"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Enter the email address you sign in with" in html
    assert "the one you typed is wrong" in html
    assert 'value="barnaby.oakhurst@example.org"' in html  # what was typed is kept
    assert User.objects.filter(pk=person.pk).exists()


def test_an_account_without_a_password_confirms_with_the_email_address(client, person):
    person.set_unusable_password()
    person.save()
    client.force_login(person)

    response = client.post(reverse("delete_account"), {"email": EMAIL})

    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()


def test_the_last_secretariat_member_cannot_delete_their_account(client, person):
    SecretariatMemberFactory(user=person)

    response = delete_through_the_page(client, person)

    assert "You are the only member of the secretariat" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    page = client.get(reverse("your_data")).content.decode()
    assert "You are the only member of the secretariat" in page
    assert reverse("delete_account") not in page


def test_a_secretariat_member_may_go_while_another_remains(client, person, other):
    SecretariatMemberFactory(user=person)

    response = delete_through_the_page(client, person)

    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()


def test_the_last_superuser_cannot_delete_their_account(client, person):
    person.is_superuser = person.is_staff = True
    person.save()

    response = delete_through_the_page(client, person)

    assert "You are the only administrator" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def download(client, person: User):
    client.force_login(person)
    return client.post(reverse("your_data"))


def test_the_download_holds_the_persons_data_and_nobody_elses(client, person, other):
    a_world(person, other)

    response = download(client, person)

    assert response["Content-Type"].startswith("application/json")
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="policyhub-your-data-{day}.json"'
    )
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode()
    data = json.loads(text)
    assert data["account"]["name"] == NAME
    assert data["account"]["email_addresses"] == [EMAIL]
    assert [m["role"] for m in data["working_groups"]["memberships"]] == ["Member"]
    assert data["working_groups"]["join_requests"][0]["statement"] == "I bring data expertise."
    assert data["working_groups"]["proposals_written"][0]["title"] == "Share census extracts"
    assert data["working_groups"]["concerns_raised"][0]["title"] == "Papers arrive late"
    assert data["working_groups"]["sign_offs_recorded"]
    assert data["working_groups"]["signatory_roles"][0]["note"] == "Signs for Involve"
    assert len(data["meetings"]["registrations"]) == 1
    assert data["meetings"]["attendance_records"][0]["name"] == NAME
    assert data["meetings"]["actions_owned"][0]["description"] == "Circulate options"
    assert data["documents"]["shared_with_you"] == ["Data sharing options"]
    assert data["documents"]["evidence_added"][0]["title"] == "Census report"
    assert data["documents"]["restrictions_recorded"]
    [given] = data["consultations"]["responses"]
    assert given["answers"][0]["answer"] == "Safeguards matter most."
    assert data["consultations"]["answers_coded"] == 1
    assert "policyhub.tested" in {entry["action"] for entry in data["audit_log"]}
    assert OTHER_NAME.lower() not in text.lower()
    assert OTHER_EMAIL.lower() not in text.lower()


def test_each_person_downloads_only_their_own_data(client, person, other):
    a_world(person, other)

    data = json.loads(download(client, other).content)

    assert data["account"]["name"] == OTHER_NAME
    assert NAME.lower() not in json.dumps(data).lower()
    assert EMAIL.lower() not in json.dumps(data).lower()


@pytest.mark.parametrize("name", ["your_data", "delete_account"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_signed_out_people_are_sent_to_sign_in(client, name, method):
    response = getattr(client, method)(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_profile_links_to_your_data(client, person):
    client.force_login(person)

    html = client.get(reverse("profile")).content.decode()

    assert reverse("your_data") in html

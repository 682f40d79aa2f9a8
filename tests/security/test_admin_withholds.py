"""The admin shows no more than the site: every list and change page, read as a staff account
holding every view permission outside the secretariat, and as the secretariat and a superuser.

One dataset for the module (the demo, plus one of each thing the site withholds, written
through the services so the audit log holds them as it would); each test reads pages only.
"""

from __future__ import annotations

import hashlib
import html
import uuid
from datetime import timedelta

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from consultation.models import Consultation, Question, Response, Theme
from documents import services as document_services
from meetings.models import Meeting, SentReminder
from policyhub.admin import HIDDEN
from policyhub.models import AuditEntry
from process.models import Process
from tests import factories
from tests.security import admin_matrix, matrix
from tests.workinggroups.factories import (
    AgreementRecordFactory,
    AlternativeFactory,
    ProposalFactory,
    SignOffFactory,
)
from workinggroups import services as workinggroup_services
from workinggroups.models import JoinRequest, Task, WorkingGroup

WITHHELD_TITLE = "Talks with the supplier WITHHELD-TITLE-7Q"
REGISTER_TITLE = "Correspondence with a supplier REGISTER-TITLE-7Q"
DRAFT_TITLE = "First thoughts on fees DRAFT-TITLE-7Q"
STATEMENT = "I advise a charity on data law JOIN-STATEMENT-7Q."
THEME = "Cost to charities CODEBOOK-7Q"


class AdminShowsNoMoreThanTheSite(TestCase):
    maxDiff = None  # a failure lists every page and what it shows

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)
        cls.superuser = factories.UserFactory(is_superuser=True, is_staff=True)
        views = Permission.objects.filter(codename__startswith="view_")
        cls.secretariat = factories.SecretariatMemberFactory(
            user=factories.UserFactory(is_staff=True)
        ).user
        cls.secretariat.user_permissions.set(views)
        # Outside the secretariat, in no group, analysing nothing, allowed to look everywhere.
        cls.staff = factories.UserFactory(is_staff=True)
        cls.staff.user_permissions.set(views)

        by = cls.secretariat
        process = Process.objects.order_by("pk").first()
        restricted = document_services.create_document(
            by=by, process=process, title=WITHHELD_TITLE, slug="withheld-7q", body="Talks."
        )
        document_services.publish_document(restricted, by=by)
        document_services.restrict_document(
            restricted,
            by=by,
            grounds=["commercial"],
            justification="Commercially confidential terms are still being negotiated.",
            review_on=timezone.localdate() + timedelta(days=30),
            public_title=REGISTER_TITLE,
        )
        document_services.create_document(by=by, process=process, title=DRAFT_TITLE, slug="d-7q")
        task = Task.objects.filter(group__slug=matrix.ACTIVE).order_by("position").first()
        cited = document_services.add_evidence(
            task, title=WITHHELD_TITLE, document=restricted, by=by
        )
        document_services.remove_evidence(cited, by=by)  # the audit log keeps its title
        document_services.add_evidence(task, title=WITHHELD_TITLE, document=restricted, by=by)
        Consultation.objects.get(slug=matrix.RUN).documents.add(restricted)
        unpublished = Question.objects.filter(section__consultation__slug=matrix.OPEN).first()
        Theme.objects.create(question=unpublished, name=THEME)
        workinggroup_services.ask_to_join(
            WorkingGroup.objects.get(slug=matrix.ACTIVE),
            statement=STATEMENT,
            by=factories.UserFactory(),
        )
        draft = ProposalFactory(group=task.group, status="draft", title="Fees DRAFT-PROP-7Q")
        AlternativeFactory(proposal=draft)
        AgreementRecordFactory(proposal=draft, recorded_by=by)
        SignOffFactory(proposal=draft)
        admin_matrix._calendar_token()
        reminder = admin_matrix.MODELS["meetings.SentReminder"].sample()
        SentReminder.objects.filter(pk=reminder.pk).update(claim_token=uuid.uuid4().hex)
        response = admin_matrix._submitted_response()
        Response.objects.filter(pk=response.pk).update(
            resume_token_hash=hashlib.sha256(b"save and return 7Q").hexdigest(),
            entry_key=uuid.uuid4(),
            email=response.email or "respondent-7q@example.org",
        )
        cls.samples = {label: spec.sample() for label, spec in admin_matrix.MODELS.items()}

    read: dict[int, dict[str, str]] = {}  # pages by person, read once for the module

    def pages(self, person) -> dict[str, str]:
        """Every registered model's list (all rows) and its sample's change page, as
        `person` gets them: {what: HTML}."""
        if person.pk in self.read:
            return self.read[person.pk]
        self.client.force_login(person)
        found = self.read[person.pk] = {}
        for label in admin_matrix.MODELS:
            changelist = reverse(admin_matrix.model_url_name(label, "changelist"))
            change = reverse(
                admin_matrix.model_url_name(label, "change"), args=[self.samples[label].pk]
            )
            for what, path, query in (("list", changelist, {"all": ""}), ("page", change, {})):
                response = self.client.get(path, query, follow=True)
                self.assertLess(response.status_code, 500, f"{label} {what}")
                found[f"{label} {what}"] = response.content.decode()
        return found

    def shown(self, pages: dict[str, str], withheld: dict[str, set[str]]) -> list[str]:
        return [
            f"{where} shows {what}: {text!r}"
            for where, page in pages.items()
            for what, texts in withheld.items()
            for text in texts
            if text in page or html.escape(text) in page
        ]

    def test_every_model_in_the_admin_is_read_here(self):
        registered = {model._meta.label for model in admin.site._registry}
        self.assertEqual(registered, set(admin_matrix.MODELS))

    def test_the_dataset_holds_what_is_withheld(self):
        """Each kind of withheld text exists, so a page that showed it would fail."""
        withheld = admin_matrix.withheld_from(self.staff)
        self.assertEqual([what for what, texts in withheld.items() if not texts], [])
        self.assertEqual([what for what, texts in admin_matrix.secrets().items() if not texts], [])

    def test_staff_outside_the_secretariat_read_nothing_the_site_withholds_from_them(self):
        """Restricted and draft titles (audit log, evidence, consultations included), other
        people's email addresses, join statements, concerns, draft proposals and notes,
        joining links, other consultations' codebooks, responses: on no list or change page."""
        withheld = admin_matrix.withheld_from(self.staff) | admin_matrix.secrets()
        self.assertEqual(self.shown(self.pages(self.staff), withheld), [])

    def test_nobody_reads_a_secret_in_the_admin(self):
        """Calendar feed tokens, claim tokens, save-and-return hashes and entry keys: not
        even a superuser reads them; a token's place says "hidden"."""
        for person in (self.superuser, self.secretariat):
            pages = self.pages(person)
            self.assertEqual(self.shown(pages, admin_matrix.secrets()), [], person)
            for page in ("meetings.CalendarToken page", "consultation.Response page"):
                self.assertIn(HIDDEN, pages[page])

    def test_the_secretariat_still_reads_what_it_needs(self):
        for person in (self.secretariat, self.superuser):
            pages = self.pages(person)
            response = self.samples["consultation.Response"]
            needed = {
                "documents.Document list": WITHHELD_TITLE,
                "documents.Evidence list": WITHHELD_TITLE,
                "policyhub.AuditEntry list": WITHHELD_TITLE,
                "policyhub.User list": self.staff.email,
                "account.EmailAddress list": "participant@demo.policyhub.test",
                "workinggroups.JoinRequest list": "Commercial access to government data",
                "consultation.Theme list": THEME,
                "consultation.Consultation page": WITHHELD_TITLE,
                "consultation.Response page": Response.objects.get(pk=response.pk).email,
            }
            missing = [where for where, text in needed.items() if text not in pages[where]]
            self.assertEqual(missing, [], person)
        self.client.force_login(self.secretariat)
        statement = JoinRequest.objects.get(statement=STATEMENT)
        change = reverse("admin:workinggroups_joinrequest_change", args=[statement.pk])
        self.assertIn("JOIN-STATEMENT", self.read_page(change))

    def test_the_audit_log_names_a_restricted_document_as_the_register_does(self):
        self.client.force_login(self.staff)
        changelist = reverse("admin:policyhub_auditentry_changelist")
        page = self.read_page(changelist, {"all": "", "action": "documents.restricted"})
        self.assertIn(REGISTER_TITLE, page)
        self.assertNotIn(WITHHELD_TITLE, page, "the real title")
        # What an entry's details hold (here, the title of evidence citing the document) is
        # the secretariat's, who read the access log on the site.
        removed = AuditEntry.objects.get(action="workinggroups.evidence_removed")
        change = reverse("admin:policyhub_auditentry_change", args=[removed.pk])
        page = self.read_page(change)
        self.assertIn(HIDDEN, page)
        self.assertNotIn(WITHHELD_TITLE, page, "the details")
        self.client.force_login(self.secretariat)
        self.assertIn(WITHHELD_TITLE, self.read_page(change))

    def test_the_audit_log_leaves_out_entries_about_what_the_site_does_not_name(self):
        """A draft document is named nowhere on the site: its entries are the secretariat's;
        a restricted one is on the public register, so its entries are listed."""
        created = AuditEntry.objects.filter(action="documents.created")
        draft = created.get(target_repr=DRAFT_TITLE).pk
        restricted = created.get(target_repr=WITHHELD_TITLE).pk
        changelist = reverse("admin:policyhub_auditentry_changelist")
        for person, listed in ((self.staff, {restricted}), (self.secretariat, {draft, restricted})):
            self.client.force_login(person)
            response = self.client.get(changelist, {"all": "", "action": "documents.created"})
            found = {entry.pk for entry in response.context["cl"].result_list}
            self.assertEqual(found & {draft, restricted}, listed, person)

    def read_page(self, path: str, query: dict | None = None) -> str:
        response = self.client.get(path, query or {})
        self.assertEqual(response.status_code, 200, path)
        return response.content.decode()

    def test_models_of_each_persons_own_are_not_in_the_admin_of_staff(self):
        """Calendar feeds, reminder choices, reminders sent, email addresses: not on the
        index of staff outside the secretariat; the secretariat finds them there."""
        own = ["calendartoken", "reminderoptout", "sentreminder", "emailaddress"]
        for person, listed in ((self.staff, False), (self.secretariat, True)):
            self.client.force_login(person)
            index = self.read_page(reverse("admin:index"))
            self.assertEqual([f"model-{name}" in index for name in own], [listed] * 4, person)

    def test_who_analyses_a_consultation_is_for_its_analysts_and_the_secretariat(self):
        consultation = Consultation.objects.get(slug=matrix.RUN)
        self.assertTrue(consultation.analysts.exists())
        change = reverse("admin:consultation_consultation_change", args=[consultation.pk])
        for person, shown in ((self.staff, False), (self.secretariat, True)):
            self.client.force_login(person)
            self.assertEqual('id="analysts-group"' in self.read_page(change), shown, person)

    def test_a_search_does_not_confirm_a_withheld_value(self):
        """Searching a field the person may not read would answer by its results."""
        searches = {
            "admin:policyhub_auditentry_changelist": WITHHELD_TITLE,
            "admin:policyhub_user_changelist": "participant@demo.policyhub.test",
            "admin:workinggroups_membership_changelist": "@demo.policyhub.test",
            "admin:policyhub_secretariatmember_changelist": "secretariat@demo.policyhub.test",
        }
        for person, finds in ((self.staff, False), (self.secretariat, True)):
            self.client.force_login(person)
            for name, term in searches.items():
                response = self.client.get(reverse(name), {"q": term})
                count = response.context["cl"].result_count
                self.assertEqual(count > 0, finds, f"{name} searched by {person}")

    def test_joining_details_are_for_attendees_and_managers(self):
        meeting = Meeting.objects.filter(has_remote_participation=True).exclude(joining_link="")
        meeting = meeting.order_by("pk").first()
        change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
        self.client.force_login(self.staff)
        self.assertNotIn(meeting.joining_link, self.read_page(change), "to staff")
        registered = factories.UserFactory(is_staff=True)
        registered.user_permissions.set(Permission.objects.filter(codename="view_meeting"))
        meeting.registrations.create(user=registered, mode="remote")
        for person in (registered, self.secretariat):
            self.client.force_login(person)
            self.assertIn(meeting.joining_link, self.read_page(change), person)

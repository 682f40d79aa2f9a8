"""The five journeys of the service, end to end through the real pages in a real browser.

Each ends by saving full-page screenshots of its last page (screenshots/, kept out of git)
at desktop and phone widths, so a person can look at what the journey ended on.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultation.demo import ANALYST_PASSWORD, ANALYSTS
from consultation.models import Answer, Response
from documents import services as document_services
from documents.models import Document
from meetings.models import Meeting
from policyhub.models import User
from process.demo import DEMO_PASSWORDS
from tests import pages
from tests.browser.conftest import screenshot, sign_in
from tests.browser.keyboard import (
    choose_radio,
    press_button,
    tab_to,
    tab_to_field,
    tab_to_text,
    type_into,
)
from tests.browser.test_accessibility import violations
from tests.documents.factories import PDF_BYTES

EMAIL = "sam.respondent@example.org"
CONVENOR = "convenor@demo.policyhub.test"
PARTICIPANT = "participant@demo.policyhub.test"
SECRETARIAT = "secretariat@demo.policyhub.test"


def test_public_responds_to_the_open_consultation_using_only_the_keyboard(page, site):
    """Journey 1: home page to receipt, with Tab, Shift+Tab, Enter, Space, arrows and typing."""
    page.goto(site + "/")
    press_button(page, "Public consultations")
    press_button(page, "Wider issues for the next open policy process (demo)")
    press_button(page, "Start now")
    assert page.title().startswith("About you")

    tab_to_field(page, "respondent_type", "individual")
    type_into(page, "name", "Sam Respondent")
    type_into(page, "email", EMAIL)
    tab_to_field(page, "publication", "anonymous")
    press_button(page, "Save and continue")

    # Section 1: a choice and a free-text answer.
    assert page.title().startswith("Wider issues")
    tab_to(page, lambda e: e["type"] == "radio")
    choose_radio(page, "Algorithmic decisions")
    page.keyboard.press("Tab")
    page.keyboard.type("Decisions made by software about people need open scrutiny.")
    press_button(page, "Save and continue")

    # Section 2, then save and come back later.
    assert page.title().startswith("Taking part")
    tab_to(page, lambda e: e["type"] == "radio")
    choose_radio(page, "Agree")
    press_button(page, "Save and come back later")
    assert page.title().startswith("Save and come back later")
    assert page.input_value("#id_email") == EMAIL  # remembered from "About you"
    press_button(page, "Email me a link")
    assert "We have emailed a link" in page.inner_text("main")

    # Come back through the emailed link (typed into the address bar).
    (resume_email,) = [m for m in mail.outbox if m.subject.startswith("Continue your response")]
    assert resume_email.to == [EMAIL]
    link = re.search(r"https?://\S+/resume/\S+/", resume_email.body).group(0)
    page.goto(link)
    assert page.title().startswith("Check your answers")
    main = page.inner_text("main")
    for answer in ("As an individual", "Sam Respondent", "Algorithmic decisions", "Agree"):
        assert answer in main

    # Change one answer from the check page.
    press_button(page, "Change your answer to question 1.1")
    tab_to(page, lambda e: e["type"] == "radio", backwards=True)
    choose_radio(page, "Data ethics")
    press_button(page, "Save and continue")
    assert page.title().startswith("Check your answers")
    assert "Data ethics" in page.inner_text("main")

    # A second tab still showing this page, as after a double submit or a back button.
    stale = page.context.new_page()
    stale.goto(page.url)

    tab_to_text(page, "Send response")
    with page.expect_navigation():
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")  # an impatient second press
    assert page.title().startswith("Response sent")
    reference = page.inner_text(".govuk-panel__body strong")

    tab_to_text(stale, "Send response")
    with stale.expect_navigation():
        stale.keyboard.press("Enter")
    stale.close()

    sent = Response.objects.filter(consultation__slug=pages.OPEN_CONSULTATION, email=EMAIL)
    assert [r.reference for r in sent] == [reference]
    assert sent.get().status == "submitted"
    receipts = [m for m in mail.outbox if reference in m.subject]
    assert len(receipts) == 1
    assert receipts[0].to == [EMAIL]
    assert "Data ethics" in receipts[0].body
    assert reference in page.inner_text("main")
    assert not violations(page)
    screenshot(page, "journey-1-consultation-response-sent")


def test_convenor_publishes_chatham_house_notes_of_a_meeting_a_participant_joined_remotely(
    browser, page, site
):
    """Journey 2: schedule, register remotely, notes refused for naming an attendee, reworded,
    published, read by the public with the attendance list."""
    sign_in(page, site, CONVENOR, DEMO_PASSWORDS[CONVENOR])
    day = timezone.localdate() + timedelta(days=15)
    page.goto(f"{site}/meetings/new/")
    page.select_option("#id_working_group", label="Commercial access to government data (practice)")
    page.fill("#id_title", "Commercial access: reviewing the draft code of practice")
    page.fill("#id_purpose", "Go through the comments on the draft code of practice.")
    page.fill("#id_day_day", str(day.day))
    page.fill("#id_day_month", str(day.month))
    page.fill("#id_day_year", str(day.year))
    page.fill("#id_start_time", "14:00")
    page.fill("#id_end_time", "16:00")
    page.fill("#id_venue", "70 Whitehall")
    page.fill("#id_joining_link", "https://meet.example.org/commercial-access-code")
    page.click("text=Schedule and announce")
    assert "has been scheduled and announced" in page.inner_text("main")
    meeting_url = page.url

    # A participant registers to join remotely and is then shown the joining link.
    participant = browser.new_context().new_page()
    sign_in(participant, site, PARTICIPANT, DEMO_PASSWORDS[PARTICIPANT])
    participant.goto(meeting_url)
    assert "meet.example.org" not in participant.inner_text("main")
    participant.check("input[name=mode][value=remote]")
    participant.click("main button:text-is('Register')")
    main = participant.inner_text("main")
    assert "You are registered to attend remotely" in main
    assert "https://meet.example.org/commercial-access-code" in main
    assert not violations(participant)
    participant.context.close()

    # The meeting takes place; the convenor comes back afterwards to write the notes.
    meeting = Meeting.objects.get(title="Commercial access: reviewing the draft code of practice")
    with time_machine.travel(meeting.ends_at + timedelta(hours=2), tick=True):
        sign_in(page, site, CONVENOR, DEMO_PASSWORDS[CONVENOR])
        page.goto(meeting_url)
        page.click("main a:text-is('Write the notes')")
        page.click("main button:text-is('Start the notes')")
        page.fill("#id_summary", "Tom Reyes argued that the code should name every data share.")
        page.click("text=Save draft and check again")
        assert "names Tom Reyes" in page.inner_text("#findings")

        page.click("main button:text-is('Publish the notes')")
        assert page.title().startswith("Error: ")
        assert "Reword them" in page.inner_text(".govuk-error-summary")
        assert "names Tom Reyes" in page.inner_text("#findings")
        assert not violations(page)

        page.fill("#id_summary", "One participant argued that the code should name every share.")
        page.click("text=Save draft and check again")
        assert "No sentence names an attendee" in page.inner_text("main")
        page.click("main button:text-is('Publish the notes')")
        assert "Version 1 of the notes is published" in page.inner_text("main")
        notes_url = page.url

        public = browser.new_context().new_page()
        public.goto(notes_url)
        main = public.inner_text("main")
        assert "One participant argued that the code should name every share." in main
        assert "Tom Reyes" in public.inner_text("main table")
        assert "Remotely" in public.inner_text("main table")
        assert not violations(public)
        screenshot(public, "journey-2-meeting-notes-published")
        public.context.close()


def test_participant_finds_and_downloads_open_documents_but_not_restricted_ones(page, site):
    """Journey 3: browse, filter by working group, search, download; a restricted document
    and its file are out of reach by URL, and the register says why it is withheld."""
    secretariat = User.objects.get(email=SECRETARIAT)
    letters = Document.objects.get(slug="correspondence-with-data-supplier")
    withheld = document_services.attach_file(
        letters, by=secretariat, upload=SimpleUploadedFile("pricing-letter.pdf", PDF_BYTES)
    )
    withheld_file_url = withheld.get_absolute_url()

    sign_in(page, site, PARTICIPANT, DEMO_PASSWORDS[PARTICIPANT])
    page.click("nav >> text=Documents")
    assert page.title().startswith("Documents")
    listed = page.inner_text("main")
    assert "White Paper on data sharing" in listed
    assert "Correspondence with Acme" not in listed

    page.select_option("#id_working_group", label="Research & Statistics")
    page.click("main button:text-is('Apply')")
    filtered = page.inner_text("main")
    assert "Research & Statistics: working paper" in filtered
    assert "Fraud, Error & Debt: working paper" not in filtered

    page.select_option("#id_working_group", label="Any working group")
    page.fill("#id_q", "levels of agreement")
    page.click("main button:text-is('Apply')")
    found = page.inner_text("main")
    assert "Joint policy paper on data sharing" in found
    assert "White Paper on data sharing" not in found

    page.click("main a:text-is('Joint policy paper on data sharing')")
    with page.expect_download() as download:
        page.click("main a:text-is('joint-policy-paper-summary.pdf')")
    assert download.value.path().read_bytes().startswith(b"%PDF")

    # The restricted document, by its address and by its file's address.
    for url in (letters.get_absolute_url(), withheld_file_url):
        response = page.goto(site + url)
        assert response.status == 404, url
        assert "Correspondence with Acme" not in page.content()
        assert "Pricing" not in page.content()
    assert not violations(page)  # the "page not found" page

    page.goto(site + "/documents/")
    page.click("main a:text-is('what is withheld and why')")
    register = page.inner_text("main table")
    assert "Correspondence with a commercial data supplier" in register
    assert "Commercially confidential; Personal data" in register
    assert "commercially confidential" in register
    assert "Correspondence with Acme" not in register
    screenshot(page, "journey-3-restriction-register")


def public_sightings(public, site: str, title: str) -> dict[str, bool]:
    """Where an anonymous visitor can see `title`: the list, a search and the Atom feed."""
    public.goto(f"{site}/documents/")
    in_list = title in public.inner_text("main")
    public.fill("#id_q", "proposals for legislation")
    public.click("main button:text-is('Apply')")
    in_search = title in public.inner_text("main")
    in_feed = title in public.request.get(f"{site}/documents/feed/").text()
    return {"list": in_list, "search": in_search, "feed": in_feed}


def test_secretariat_restricts_a_document_which_leaves_public_view_for_the_register(
    browser, page, site
):
    """Journey 4: grounds, justification and review date; gone from the public list, search
    and feed; listed on the register of what is withheld."""
    title = "White Paper on data sharing"
    public = browser.new_context().new_page()
    assert public_sightings(public, site, title) == {"list": True, "search": True, "feed": True}

    sign_in(page, site, SECRETARIAT, DEMO_PASSWORDS[SECRETARIAT])
    page.goto(f"{site}/documents/")
    page.click(f"main a:text-is('{title}')")
    page.click("main a:text-is('Restrict access')")
    page.check("input[name=grounds][value=personal_data]")
    page.fill(
        "#id_justification",
        "An annex names officials who asked not to be identified. Publishing it now would "
        "expose them; a redacted version is being prepared.",
    )
    review_on = timezone.localdate() + timedelta(days=60)
    page.fill("#id_review_on_day", str(review_on.day))
    page.fill("#id_review_on_month", str(review_on.month))
    page.fill("#id_review_on_year", str(review_on.year))
    page.fill("#id_public_title", "A White Paper annex naming officials")
    page.click("main button:text-is('Restrict document')")
    assert "Restricted" in page.inner_text("main")

    assert public_sightings(public, site, title) == {"list": False, "search": False, "feed": False}
    public.goto(f"{site}/documents/restricted/")
    register = public.inner_text("main table")
    assert "A White Paper annex naming officials" in register
    assert "Personal data" in register
    assert "a redacted version is being prepared" in register
    assert review_on.strftime("%-d %B %Y") in register
    assert title not in register
    assert not violations(public)
    screenshot(public, "journey-4-document-on-the-register")
    public.context.close()


def test_two_analysts_code_an_answer_and_their_disagreement_shows_in_the_report(
    browser, page, site
):
    """Journey 5: an analyst codes a response and exports CSV; a second analyst codes the
    same answer differently, and the agreement report shows it."""
    answer = (
        Answer.objects.filter(
            response__consultation__slug=pages.RUN_CONSULTATION,
            question__kind="free_text",
            reviews__isnull=True,
        )
        .exclude(text="")
        .select_related("response", "question")
        .order_by("pk")
        .first()
    )
    first_theme, second_theme = [t.name for t in answer.question.themes.order_by("name")[:2]]
    reference = answer.response.reference
    response_path = f"/consultations/{pages.RUN_CONSULTATION}/analysis/responses/{reference}/"

    def code(analyst_page, theme: str) -> None:
        analyst_page.goto(site + response_path)
        section = analyst_page.locator(f"#answer-{answer.pk}")
        section.get_by_label(theme, exact=True).check()
        section.locator("button:has-text('Save coding')").click()
        assert analyst_page.locator(f"#answer-{answer.pk} input:checked").count() == 1

    sign_in(page, site, ANALYSTS[0][0], ANALYST_PASSWORD)
    page.goto(f"{site}/consultations/{pages.RUN_CONSULTATION}/analysis/")
    code(page, first_theme)

    page.goto(f"{site}/consultations/{pages.RUN_CONSULTATION}/analysis/")
    with page.expect_download() as download:
        page.click("main a:text-is('Download all responses (CSV)')")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    (row,) = [r for r in rows if r["reference"] == reference]
    assert first_theme in row[f"Q{answer.question.label} themes"]
    assert "email" not in {key.lower() for key in row}

    second = browser.new_context().new_page()
    sign_in(second, site, ANALYSTS[1][0], ANALYST_PASSWORD)
    code(second, second_theme)
    second.context.close()

    page.goto(f"{site}/consultations/{pages.RUN_CONSULTATION}/analysis/agreement/")
    disagreement = page.locator(f"main li:has(a[href$='#answer-{answer.pk}'])")
    assert f"only: {first_theme}" in disagreement.inner_text()
    assert f"only: {second_theme}" in disagreement.inner_text()
    assert not violations(page)
    screenshot(page, "journey-5-agreement-report")

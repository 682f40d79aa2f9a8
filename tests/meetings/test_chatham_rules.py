"""How the Chatham House checker reads an attendee's organisation, met as the secretariat
meets it: writing the notes, reading the findings beside them, and publishing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import NotesVersion
from tests.meetings.factories import NotesFactory

pytestmark = pytest.mark.django_db


def _write(client, notes, summary: str) -> str:
    """Save the summary through the editor and return the editor page as it then reads."""
    edit_url = reverse("meetings:notes_edit", args=[notes.meeting.pk])
    client.post(edit_url, {"summary": summary, "discussion_points": "", "decisions": ""})
    return client.get(edit_url).content.decode()


def _publish(client, notes):
    return client.post(reverse("meetings:notes_publish", args=[notes.meeting.pk]), {})


@pytest.mark.parametrize(
    ("on_record", "written"),
    [
        (
            "Friends and Families of Travellers",
            "Friends & Families of Travellers argued for a delay.",
        ),
        ("Marks & Spencer", "Marks and Spencer said it would share its data."),
    ],
)
def test_an_organisation_written_with_and_or_ampersand_is_found_as_one_body(
    client, secretariat, on_record, written
):
    """Notes may write "&" where the attendance record has "and" (or the other way round):
    the checker still names the one organisation, once, not two people called "Friends"
    and "Families of Travellers"."""
    notes = NotesFactory()
    notes.attendees.create(name="Sam Hart", organisation=on_record, mode="in_person")
    client.force_login(secretariat)

    page = _write(client, notes, written)

    assert "You cannot publish while 1 finding stands" in page
    assert on_record.replace("&", "&amp;") in page
    assert _publish(client, notes).status_code == 200  # refused, shown again
    assert not NotesVersion.objects.exists()


def test_a_lower_case_ampersand_form_of_an_attendees_organisation_is_still_found(
    client, secretariat
):
    notes = NotesFactory()
    notes.attendees.create(
        name="Sam Hart", organisation="Friends and Families of Travellers", mode="remote"
    )
    client.force_login(secretariat)

    page = _write(client, notes, "In the end the friends & families of travellers said no.")

    assert "You cannot publish while 1 finding stands" in page
    assert "Friends and Families of Travellers" in page


def test_two_letter_initials_are_not_taken_for_an_attendees_organisation(client, secretariat):
    """Initials name an organisation only from three letters: "AI" in the notes is the
    technology, not the attendee's Advice International, so the notes publish. Three
    letters ("CAS") are distinctive enough to be a finding."""
    notes = NotesFactory()
    notes.attendees.create(name="Sam Hart", organisation="Advice International", mode="remote")
    notes.attendees.create(name="Jo Lee", organisation="Citizens Advice Scotland", mode="in_person")
    client.force_login(secretariat)

    page = _write(client, notes, "CAS raised risks for claimants.")
    assert "You cannot publish while 1 finding stands" in page
    assert "Citizens Advice Scotland" in page

    page = _write(client, notes, "AI raised risks for claimants.")
    assert "You cannot publish while" not in page
    assert "AI raised risks for claimants." in page
    assert _publish(client, notes).status_code == 302
    assert NotesVersion.objects.filter(notes=notes).count() == 1

"""Error messages name the field and say what to do, in GOV.UK style, on every form: the base
forms (policyhub.forms.SaysWhatToDo) replace Django's and allauth's generic messages, and
the error summaries link each one to its field."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from policyhub.forms import Form
from tests.meetings.factories import NotesFactory

pytestmark = pytest.mark.django_db

GENERIC = ("This field is required", "Enter a valid", "Select a valid choice", "Ensure this")


def summary(html: str) -> list[str]:
    """The error summary's items, as text."""
    body = html[html.index("govuk-error-summary__list") :]
    body = body[: body.index("</ul>")]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", body)]


def assert_no_generic_message(html: str) -> None:
    for generic in GENERIC:
        assert generic not in html


def test_sign_up_says_which_field_is_missing_and_what_to_enter(client):
    html = client.post(reverse("account_signup"), {}).content.decode()
    assert summary(html) == [
        "Enter your email address",
        "Enter your name",
        "Select which best describes you",
        "Enter a password",
        "Enter the password again",
    ]
    assert_no_generic_message(html)
    html = client.post(reverse("account_signup"), {"email": "alex at example"}).content.decode()
    assert "Enter an email address in the correct format, like name@example.com" in html


def test_sign_in_says_what_to_enter(client):
    html = client.post(reverse("account_login"), {}).content.decode()
    assert summary(html) == ["Enter your email address", "Enter your password"]


def test_the_notes_editors_summary_names_each_field_and_links_to_it(client, secretariat):
    notes = NotesFactory()
    client.force_login(secretariat)
    html = client.post(reverse("meetings:action_add", args=[notes.meeting.pk]), {}).content
    html = html.decode()
    assert summary(html) == [
        "Enter the action agreed",
        "Enter who owns the action: an organisation or a role",
    ]
    assert 'href="#id_action-description"' in html
    html = client.post(reverse("meetings:attendee_add", args=[notes.meeting.pk]), {}).content
    html = html.decode()
    assert summary(html) == [
        "Enter the name of the attendee",
        "Select how they attended, or that they sent apologies",
    ]
    assert 'href="#id_attendee-mode_0"' in html
    assert_no_generic_message(html)


def test_a_web_address_is_explained_in_plain_words(client, secretariat):
    client.force_login(secretariat)
    html = client.post(reverse("documents:create"), {"slug": "our paper!"}).content.decode()
    assert (
        "Web address can only include letters, numbers, hyphens and underscores, with no "
        "spaces, like open-data-roadmap"
    ) in summary(html)
    assert "slug" not in " ".join(summary(html)).lower()
    assert_no_generic_message(html)


class _Plain(Form):
    organisation = forms.CharField(label="Organisation (optional)", max_length=10)
    colour = forms.ChoiceField(label="Colour", choices=[("red", "Red")])
    places = forms.IntegerField(label="In-person places", min_value=1)
    link = forms.URLField(label="Joining link", assume_scheme="https")
    why = forms.CharField(label="Why is the meeting cancelled?")
    own = forms.CharField(label="Own", error_messages={"required": "Say it your own way"})
    key = forms.CharField(widget=forms.HiddenInput, max_length=3)


def test_every_generic_message_names_its_field_and_a_forms_own_message_is_kept():
    empty = _Plain(data={})
    assert {name: errors[0] for name, errors in empty.errors.items()} == {
        "organisation": "Enter the organisation",
        "colour": "Select the colour",
        "places": "Enter the in-person places",
        "link": "Enter the joining link",
        "why": "Enter the answer to “Why is the meeting cancelled?”",
        "own": "Say it your own way",
        "key": "Enter the key",
    }
    wrong = _Plain(
        data={"organisation": "x" * 11, "colour": "blue", "places": "0", "link": "not a link"}
    )
    assert wrong.errors["organisation"] == ["Organisation must be 10 characters or fewer"]
    assert wrong.errors["colour"] == ["Select the colour from the options given"]
    assert wrong.errors["places"] == ["In-person places must be 1 or more"]
    assert wrong.errors["link"] == [
        "Enter the joining link in the correct format, like https://www.example.org/page"
    ]
    assert _Plain(data={"places": "two"}).errors["places"] == [
        "In-person places must be a whole number, like 12"
    ]


def test_an_error_on_a_hidden_field_is_said_in_the_summary_without_a_dead_link():
    html = render_to_string("includes/error_summary.html", {"form": _Plain(data={"key": ""})})
    assert "<li>Enter the key</li>" in html
    assert 'href="#id_key"' not in html
    assert '<a href="#id_organisation">Enter the organisation</a>' in html

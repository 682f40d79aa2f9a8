"""Forms validate and clean; views hand cleaned data to services."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from policyhub.forms import DateField, Form
from policyhub.markup import MARKDOWN_LONG, too_long_message
from policyhub.text import CODE, control_characters_message

from .models import Question, Redaction, Response, Section, Theme


def limit_hint(limit: int) -> str:
    """The sentence next to a free-text field saying how much it takes, so nobody learns
    the limit only by being refused."""
    return format_lazy(_("You can enter up to {limit} characters."), limit=f"{limit:,}")


def limited(
    name: str,
    limit: int,
    hint: str = "",
    *,
    required: str = "",
    widget: forms.Widget | None = None,
) -> dict[str, Any]:
    """A text field's `max_length`, its hint and its messages: too long (naming the field
    as `name`) and, if given, `required`. Keyword arguments for the field. A text box
    (`forms.Textarea`) is drawn as a GOV.UK character count, which says the limit next to
    it; any other input says it at the end of its hint."""
    messages = {"max_length": too_long_message(name, limit)}
    if required:
        messages["required"] = required
    kwargs: dict[str, Any] = {"max_length": limit, "error_messages": messages}
    if isinstance(widget, forms.Textarea):
        kwargs["widget"] = widget
        kwargs["help_text"] = hint
    else:
        kwargs["help_text"] = (
            format_lazy("{} {}", hint, limit_hint(limit)) if hint else limit_hint(limit)
        )
        if widget is not None:
            kwargs["widget"] = widget
    return kwargs


EMAIL_FORMAT = _("Enter an email address in the correct format, like name@example.com")


class HoneypotMixin(Form):
    """A field people never see (visually hidden, skipped by keyboard and screen readers)
    and bots fill in. A filled honeypot refuses the submission."""

    website = forms.CharField(
        required=False,
        max_length=200,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("We could not accept this response."))
        return ""


class AboutYouForm(Form):
    respondent_type = forms.ChoiceField(
        label=_("Are you responding as an individual or on behalf of an organisation?"),
        choices=Response.RespondentType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Select whether you are responding as an individual or on behalf of an organisation"
            )
        },
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        **limited(
            _("Your name"),
            150,
            _("Optional, unless you want your response published with your name."),
        ),
    )
    organisation_name = forms.CharField(
        label=_("Organisation name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        **limited(
            _("Organisation name"),
            200,
            _("Required if you are responding on behalf of an organisation."),
        ),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Optional. We use it only to send you a receipt and, if you ask, a link to "
            "come back to your response. It is never published."
        ),
        error_messages={"invalid": EMAIL_FORMAT},
    )
    publication = forms.ChoiceField(
        label=_("May we publish your response?"),
        choices=Response.Publication.choices,
        widget=forms.RadioSelect,
        help_text=_("Email addresses are never published."),
        error_messages={"required": _("Select whether we may publish your response")},
    )

    def clean(self):
        data = super().clean()
        if data.get("respondent_type") == Response.RespondentType.ORGANISATION and not (
            data.get("organisation_name", "").strip()
        ):
            self.add_error("organisation_name", gettext("Enter the name of your organisation"))
        if (
            data.get("publication") == Response.Publication.NAMED
            and data.get("respondent_type") == Response.RespondentType.INDIVIDUAL
            and not data.get("name", "").strip()
        ):
            self.add_error(
                "name", gettext("Enter your name, or choose to be published anonymously")
            )
        return data


class SectionForm(Form):
    """One field per question of a section, built from the questions themselves."""

    def __init__(self, *args, section: Section, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.questions = questions
        for q in questions:
            label = f"{q.label} {q.text}"
            required_message = (
                gettext("Select an answer to question {label}")
                if q.is_choice
                else gettext("Enter an answer to question {label}")
            ).format(label=q.label)
            common = {
                "label": label,
                "help_text": q.hint,
                "required": q.is_required,
                "error_messages": {"required": required_message},
            }
            if q.kind == Question.Kind.FREE_TEXT:
                # The limit is said beside the box, by the character count every text box
                # with a limit gets (templates/includes/field.html).
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 6}),
                    max_length=q.max_length,
                    **common,
                )
                field.error_messages["max_length"] = gettext(
                    "Answer to question {label} must be {limit} characters or fewer"
                ).format(label=q.label, limit=q.max_length)
            elif q.kind == Question.Kind.MULTIPLE_CHOICE:
                field = forms.MultipleChoiceField(
                    choices=q.choices(), widget=forms.CheckboxSelectMultiple, **common
                )
            else:
                field = forms.ChoiceField(choices=q.choices(), widget=forms.RadioSelect, **common)
            field.error_messages[CODE] = control_characters_message(
                gettext("Answer to question {label}").format(label=q.label)
            )
            self.fields[self.field_name(q)] = field

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.pk}"

    def raw_answers(self) -> dict[int, str | list[str]]:
        """What was typed, valid or not, so the service can keep it."""
        answers: dict[int, str | list[str]] = {}
        for q in self.questions:
            name = self.field_name(q)
            if q.kind == Question.Kind.MULTIPLE_CHOICE:
                answers[q.pk] = self.data.getlist(name)
            else:
                answers[q.pk] = self.data.get(name, "")
        return answers


class CheckAnswersForm(HoneypotMixin):
    """The final "Send response" button, with its honeypot."""


class SaveForLaterForm(Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "We will email you a link to come back to your response. The link works "
            "once, for a limited time, and never after the consultation closes."
        ),
        error_messages={"required": _("Enter your email address"), "invalid": EMAIL_FORMAT},
    )


class NewLinkForm(Form):
    """ "Get a new link": the address the response was saved with."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("The email address you gave when you saved your response."),
        error_messages={
            "required": _("Enter the email address you saved your response with"),
            "invalid": EMAIL_FORMAT,
        },
    )


class ThemeForm(Form):
    name = forms.CharField(
        label="Theme name", **limited("Theme name", 120, required="Enter a name for the theme")
    )
    description = forms.CharField(
        label="Description (optional)", required=False, **limited("Description", 500)
    )


class CodingForm(Form):
    themes = forms.ModelMultipleChoiceField(
        label="Themes in this answer",
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = question.themes.all()
        self.fields["themes"].label = f"Themes in the answer to question {question.label}"


class PublishForm(Form):
    summary = forms.CharField(
        label="Summary of responses",
        **limited(
            "Summary of responses",
            MARKDOWN_LONG,
            "Markdown. Published with the statistics and the consented responses.",
            required="Write a summary of the responses",
            widget=forms.Textarea(attrs={"rows": 12}),
        ),
    )


class RedactionForm(Form):
    passage = forms.CharField(
        label="Passage to redact",
        **limited(
            "Passage to redact",
            2000,
            "Copy it exactly as it appears in the answer.",
            required="Enter the passage to redact",
            widget=forms.Textarea(attrs={"rows": 3}),
        ),
    )
    reason = forms.ChoiceField(
        label="Reason",
        choices=Redaction.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a reason for the redaction"},
    )
    note = forms.CharField(label="Note (for the record)", required=False, **limited("Note", 500))


class ResponseFilterForm(Form):
    """The analysts' list filters; every field optional."""

    respondent_type = forms.ChoiceField(
        label="Respondent type",
        required=False,
        choices=[("", "Any"), *Response.RespondentType.choices],
    )
    late = forms.ChoiceField(
        label="Late", required=False, choices=[("", "Any"), ("yes", "Late"), ("no", "On time")]
    )
    published = forms.ChoiceField(
        label="Publication",
        required=False,
        choices=[("", "Any"), ("yes", "Consented to publication"), ("no", "Not to be published")],
    )
    theme = forms.TypedChoiceField(label="Theme", required=False, coerce=int, empty_value=None)
    answer = forms.ChoiceField(label="Answer to a choice question", required=False)

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Any")] + [
            (t.pk, f"Q{q.label}: {t.name}") for q in questions for t in q.themes.all()
        ]
        self.fields["answer"].choices = [("", "Any")] + [
            (f"{q.pk}:{value}", f"Q{q.label}: {label}")
            for q in questions
            if q.is_choice
            for value, label in q.choices()
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        question, option = None, ""
        if data.get("answer"):
            raw_question, option = data["answer"].split(":", 1)
            question = int(raw_question)
        return {
            "respondent_type": data.get("respondent_type", ""),
            "late": data.get("late", ""),
            "published": data.get("published", ""),
            "theme": data.get("theme"),
            "question": question,
            "option": option,
        }


class OfflineResponseForm(Form):
    """A response that arrived by email or post, typed in by the secretariat."""

    entry_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    channel = forms.ChoiceField(
        label="How did it arrive?",
        choices=[("email", "Email"), ("post", "Post")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the response arrived"},
    )
    received_on = DateField(
        label="Date received",
        error_messages={"required": "Enter the date the response was received"},
    )
    respondent_type = AboutYouForm.base_fields["respondent_type"]
    name = forms.CharField(
        label="Respondent's name", required=False, **limited("Respondent's name", 150)
    )
    organisation_name = forms.CharField(
        label="Organisation name",
        required=False,
        **limited(
            "Organisation name", 200, "Required if the response is on behalf of an organisation."
        ),
    )
    publication = forms.ChoiceField(
        label="What did the respondent agree may be published?",
        choices=Response.Publication.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what may be published"},
    )

    def clean(self):
        data = super().clean()
        if data.get("respondent_type") == Response.RespondentType.ORGANISATION and not (
            data.get("organisation_name", "").strip()
        ):
            self.add_error("organisation_name", "Enter the name of the organisation")
        return data

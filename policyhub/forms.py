"""The project's form bases, and the account forms: sign-up (through allauth) and editing
one's own profile.

Every form in the project is built on `Form` or `ModelForm` below (allauth's through
ACCOUNT_FORMS, policyhub.account_forms), so every text field refuses control characters
(policyhub.text) with a message that names it, and every error message names its field and
says what to do (SaysWhatToDo)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .markup import too_long_message
from .models import Sector, User
from .text import (
    CODE,
    control_characters_message,
    refuse_control_characters,
    without_control_characters,
)

# Labels that ask something or tell the person what to do are quoted in a message rather
# than used as its subject ("The answer to “Why is the meeting cancelled?”").
_INSTRUCTIONS = {"choose", "copy", "describe", "enter", "explain", "give", "leave", "list"}
_INSTRUCTIONS |= {"say", "send", "tell", "write"}
_ASIDE = re.compile(r"\s*\([^)]*\)$")


def field_subject(label: str) -> str:
    """What a message calls a field, from its label: "Organisation (optional)" is
    "Organisation"; a question or an instruction is quoted."""
    label = str(label).strip()
    label = _ASIDE.sub("", label) or label
    first_word = label.split(" ", 1)[0].lower()
    if label.endswith("?") or first_word in _INSTRUCTIONS:
        return f"The answer to “{label}”"
    return label


def is_text_field(field: forms.Field) -> bool:
    """A field whose value is the text as typed: UUID and JSON fields are CharFields, but
    they parse what they are given and refuse anything else first."""
    return isinstance(field, forms.CharField) and not isinstance(
        field, forms.UUIDField | forms.JSONField
    )


class ShownWithoutControlCharacters(forms.BoundField):
    """A text field drawn again shows what was typed less its control characters. They
    are invisible, so nobody could find them to remove them, and a browser turns a NUL
    into U+FFFD, which would then be sent back and accepted. A draft kept before
    validation holds the same text, so the page and the draft agree."""

    def value(self) -> Any:
        value = super().value()
        return without_control_characters(value) if isinstance(value, str) else value


class RefusesControlCharacters:
    """Every text field of the form refuses control characters, with a message naming
    it: `error_messages["control_characters"]` when the field words its own ("Answer to
    question 3 ..."), otherwise one made from its label.

    Fields are checked when the form is cleaned, not when it is built, so fields a form
    adds in its own `__init__` (questions of a consultation section, allauth's password
    and email fields) are covered too."""

    fields: dict[str, forms.Field]
    bound_field_class = ShownWithoutControlCharacters

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            if not is_text_field(field):
                continue
            if refuse_control_characters not in field.validators:
                field.validators.append(refuse_control_characters)
            shown_again = getattr(field.widget, "render_value", True)
            subject = field_subject(self[name].label)  # type: ignore[index]
            field.error_messages.setdefault(
                CODE, control_characters_message(subject, shown_again=shown_again)
            )
        super().full_clean()  # type: ignore[misc]

    def add_error(self, field: str | None, error: ValidationError | str) -> None:
        """One message per field: while it holds control characters, that is the thing to
        fix (an email address with one is not also "in the wrong format")."""
        if isinstance(error, ValidationError) and hasattr(error, "error_list"):
            refused = [e for e in error.error_list if e.code == CODE]
            if refused:
                error = ValidationError(refused)
        super().add_error(field, error)  # type: ignore[misc]


_DETERMINERS = {"a", "an", "the", "your", "their", "its", "this", "that", "each", "every"}


def in_sentence(subject: str) -> str:
    """A field's subject inside a sentence, after a verb: "Your name" -> "your name",
    "Description" -> "the description"; a word that is not plainly capitalised ("URL",
    "PolicyHub") keeps its capitals."""
    first = subject.split(" ", 1)[0]
    if first[:1].isupper() and first[1:] == first[1:].lower():
        subject = subject[:1].lower() + subject[1:]
    if first.lower() in _DETERMINERS:
        return subject
    return f"the {subject}"


def _django_default(field: forms.Field, code: str) -> str | None:
    """Django's own message for `code` on this kind of field, as Field.__init__ merges them."""
    message = None
    for klass in reversed(type(field).__mro__):
        message = getattr(klass, "default_error_messages", {}).get(code, message)
    return None if message is None else str(message)


def plain_messages(field: forms.Field, label: str) -> dict[str, str]:
    """GOV.UK-style messages for Django's generic ones ("This field is required.", "Enter a
    valid slug."): each names the field, from its label, and says what to do."""
    subject = field_subject(label)
    said = in_sentence(subject)
    messages: dict[str, str] = {}
    if isinstance(field, forms.BooleanField):
        messages["required"] = f"Select “{label}” to continue"
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.FileField):
        messages["required"] = f"Select {said}"
    else:
        messages["required"] = f"Enter {said}"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        # A sentence for people, not SQL: bandit reads "Select ... from" as a query.
        messages["invalid_choice"] = f"Select {said} from the options given"  # nosec B608
        messages["invalid_pk_value"] = messages["invalid_choice"]
    if isinstance(field, forms.SlugField):
        messages["invalid"] = (
            f"{subject} can only include letters, numbers, hyphens and underscores, with no "
            "spaces, like open-data-roadmap"
        )
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = f"Enter {said} in the correct format, like name@example.com"
    elif isinstance(field, forms.URLField):
        messages["invalid"] = (
            f"Enter {said} in the correct format, like https://www.example.org/page"
        )
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{subject} must be a whole number, like 12"
    if isinstance(field, DateField):
        messages["incomplete"] = f"{subject} must include a %(missing)s"
        messages["invalid"] = f"{subject} must be a real date"
        messages["year"] = f"The year of {in_sentence(subject)} must include 4 numbers"
    if getattr(field, "max_length", None):
        messages["max_length"] = too_long_message(subject, field.max_length)
    if getattr(field, "min_length", None):
        messages["min_length"] = f"{subject} must be {field.min_length:,} characters or more"
    if getattr(field, "min_value", None) is not None:
        messages["min_value"] = f"{subject} must be {field.min_value} or more"
    if getattr(field, "max_value", None) is not None:
        messages["max_value"] = f"{subject} must be {field.max_value} or less"
    return messages


# --- Dates: the GOV.UK date input, one pattern for every date a person types -------------------

DATE_PARTS = ("day", "month", "year")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip


def date_hint(example: date) -> str:
    """The hint of a date input, giving the date as its boxes take it: "For example, 29 2 2016"."""
    return f"For example, {example.day} {example.month} {example.year}"


class DatePartsInput(forms.MultiWidget):
    """GOV.UK's date input: day, month and year in three boxes, labelled, numeric keyboards
    on phones. Inputs are named `<name>_day`, `<name>_month` and `<name>_year`, and the
    error summary links to the day box. Drawn here rather than through a widget template:
    the form renderer does not search the project's templates."""

    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(dict.fromkeys(DATE_PARTS, forms.TextInput), attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else ""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if not isinstance(value, list | tuple):
            value = self.decompress(value)
        attrs = {**self.attrs, **(attrs or {})}
        base_id = attrs.get("id", f"id_{name}")
        error = " govuk-input--error" if "--error" in attrs.get("class", "") else ""
        items = format_html_join(
            "\n",
            '<div class="govuk-date-input__item"><div class="govuk-form-group">'
            '<label class="govuk-label govuk-date-input__label" for="{}">{}</label>'
            '<input class="govuk-input govuk-date-input__input govuk-input--width-{}{}" '
            'id="{}" name="{}" type="text" inputmode="numeric" value="{}"></div></div>',
            (
                (
                    f"{base_id}_{part}",
                    part.capitalize(),
                    4 if part == "year" else 2,
                    error,
                    f"{base_id}_{part}",
                    f"{name}_{part}",
                    "" if part_value is None else part_value,
                )
                for part, part_value in zip(DATE_PARTS, value, strict=False)
            ),
        )
        return format_html('<div class="govuk-date-input" id="{}">{}</div>', base_id, items)


class DateField(forms.Field):
    """A date typed into GOV.UK's three boxes, with GOV.UK's messages: what is missing
    ("Review date must include a month"), or that it must be a real date. Months may be
    typed as numbers or names ("3", "Mar", "March")."""

    widget = DatePartsInput
    default_error_messages = {
        "incomplete": "Date must include a %(missing)s",
        "invalid": "Date must be a real date",
        "year": "Year must include 4 numbers",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", date_hint(date(2016, 2, 29)))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date) or value is None:
            return value
        parts = [str(part or "").strip() for part in value]
        if not any(parts):
            return None
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=False) if not part]
        if missing:
            raise ValidationError(
                self.error_messages["incomplete"],
                code="incomplete",
                params={"missing": " and ".join(missing)},
            )
        day, month, year = parts
        month = str(_MONTHS.get(month.lower().rstrip("."), month))
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(self.error_messages["year"], code="year")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class SaysWhatToDo:
    """Every field's errors name it and say what to do, in GOV.UK style: Django's generic
    messages are replaced by plain_messages(), and `field_messages` (field name -> code ->
    message) words those of fields a form does not declare itself (allauth's). A message a
    form gives its field is kept. Applied when the form is cleaned, so fields added in
    `__init__` are covered too."""

    fields: dict[str, forms.Field]
    field_messages: dict[str, dict[str, str]] = {}

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            ours = plain_messages(field, str(self[name].label))  # type: ignore[index]
            ours.update(self.field_messages.get(name, {}))
            for code, message in ours.items():
                current = field.error_messages.get(code)
                if current is None or str(current) == _django_default(field, code):
                    field.error_messages[code] = message
        super().full_clean()  # type: ignore[misc]


class FormRules(SaysWhatToDo, RefusesControlCharacters):
    """The rules every form of the project follows: plain messages naming each field, and
    no control characters in typed text."""


class Form(FormRules, forms.Form):
    """The base of every form in the project."""


class ModelForm(FormRules, forms.ModelForm):
    """The base of every model form in the project."""


ACCOUNT_FIELD_MESSAGES = {
    "email": {
        "required": "Enter your email address",
        "invalid": "Enter an email address in the correct format, like name@example.com",
    },
    "password": {"required": "Enter your password"},
    "password1": {"required": "Enter a password"},
    "password2": {"required": "Enter the password again"},
    "oldpassword": {"required": "Enter your current password"},
}
ACCOUNT_FIELD_MESSAGES["login"] = ACCOUNT_FIELD_MESSAGES["email"]
"""allauth's fields, whose labels ("Email", "Password (again)") make poor messages."""


class ProfileFieldsMixin(Form):
    display_name = forms.CharField(
        label="Your name",
        max_length=150,
        help_text="Shown to others on member lists and meeting attendance records.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your name"},
    )
    organisation = forms.CharField(
        label="Organisation (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text="The department, organisation or institution you work for, if any.",
    )
    sector = forms.ChoiceField(
        label="Which best describes you?",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which best describes you"},
    )


class SignupForm(ProfileFieldsMixin):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS), which allauth
    builds on this class: so its own fields get this form's messages."""

    field_messages = ACCOUNT_FIELD_MESSAGES

    def signup(self, request: HttpRequest, user: User) -> None:
        """Called by allauth inside its sign-up; allauth saves the user afterwards."""
        user.display_name = self.cleaned_data["display_name"]
        user.organisation = self.cleaned_data["organisation"]
        user.sector = self.cleaned_data["sector"]
        user.save(update_fields=["display_name", "organisation", "sector"])


class ProfileForm(ModelForm):
    display_name = ProfileFieldsMixin.base_fields["display_name"]
    organisation = ProfileFieldsMixin.base_fields["organisation"]
    sector = ProfileFieldsMixin.base_fields["sector"]

    class Meta:
        model = User
        fields = ["display_name", "organisation", "sector"]


class DeleteAccountForm(Form):
    """The confirmation before an account is deleted: the person types their email address
    (so a stray click deletes nothing) and, if the account has one, their password (so a
    browser left signed in cannot be used to delete someone's account)."""

    email = forms.CharField(
        label="Your email address",
        help_text="Type the email address you sign in with, to confirm.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address to confirm"},
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.user.email.lower():
            raise ValidationError(
                "Enter the email address you sign in with, exactly as on your account"
            )
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("Enter your current password: the one you typed is wrong")
        return password

"""Text people type never holds control characters (policyhub.text): every text field of
every form refuses them with a message that names the field, the page shows the text again
without them, and a consultation draft kept before validation is stored without them
(PostgreSQL refuses NUL in text, which made an answer or an About you field with one a 500).

The forms are found, not listed: every form class in a project app's forms module, and
every form a page of the site uses (allauth's included), so a new form that is not built on
policyhub.forms.Form or ModelForm fails here."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest
from allauth.core import context
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django.utils.module_loading import import_string

from consultation.models import Answer, Question, Response
from documents.models import Document
from policyhub.forms import RefusesControlCharacters, field_subject
from policyhub.text import CODE, has_control_characters, without_control_characters
from process.models import Process
from tests import factories
from tests.consultation.factories import QuestionFactory, SectionFactory
from tests.meetings.factories import MeetingFactory
from tests.workinggroups.factories import ConcernFactory
from workinggroups.models import Proposal, WorkingGroup

pytestmark = pytest.mark.django_db

REFUSED = ["\x00", "\x1b", "Ann\x00Lee", "Ann\x07Lee", "Ann\x7fLee", "Ann\x9bLee"]
ACCEPTED = "tab\tand\nnewline\r\nand carriage return"


def _project_apps() -> list[str]:
    base = Path(settings.BASE_DIR)
    return [
        app.name
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(base) and "site-packages" not in app.path
    ]


def _forms_modules_classes() -> list[type[forms.BaseForm]]:
    found = []
    for app in _project_apps():
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        found += [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if cls.__module__ == module.__name__ and issubclass(cls, forms.BaseForm)
        ]
    return found


def _views_forms() -> list[tuple[str, type[forms.BaseForm]]]:
    """(URL name, form class) for every class-based view of the URLconf that has a form."""

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            else:
                yield pattern

    configured = [import_string(path) for path in settings.ACCOUNT_FORMS.values()]
    found = []
    for pattern in walk(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None:
            continue
        view = view_class(request=RequestFactory().get("/"), kwargs={})
        try:
            form_class = view.get_form_class() if hasattr(view, "get_form_class") else None
        except AttributeError:
            # allauth's sign-in by code (off here) picks its form only during a sign-in:
            # the one in ACCOUNT_FORMS built on its default, as allauth would.
            default = view_class.form_class
            form_class = next((c for c in configured if issubclass(c, default)), default)
        if form_class is not None:
            found.append((pattern.name, form_class))
    return found


def _all_forms() -> list[type[forms.BaseForm]]:
    classes = _forms_modules_classes()
    classes += [form_class for _, form_class in _views_forms()]
    classes += [import_string(path) for path in settings.ACCOUNT_FORMS.values()]
    unique = {f"{cls.__module__}.{cls.__qualname__}": cls for cls in classes}
    return [unique[name] for name in sorted(unique)]


# The bases themselves, and a model form without a model, are not forms a page can show.
ALL_FORMS = [
    cls
    for cls in _all_forms()
    if not (issubclass(cls, forms.BaseModelForm) and cls._meta.model is None)
]


def _wanted_keywords(form_class: type[forms.BaseForm]) -> set[str]:
    """Keyword arguments the form's constructors name or pop (allauth pops "user")."""
    names: set[str] = set()
    for klass in form_class.__mro__:
        init = klass.__dict__.get("__init__")
        if not inspect.isfunction(init) or klass.__module__.startswith("django."):
            continue
        names |= {
            p.name
            for p in inspect.signature(init).parameters.values()
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name != "self"
        }
        names |= set(re.findall(r'kwargs\.pop\(\s*"(\w+)"', inspect.getsource(init)))
    return names


def _request_with_session(user):
    """A request as a signed-in person makes it: allauth.mfa keeps a secret being set up
    in the session."""
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request.user = user
    return request


@pytest.fixture
def objects(participant):
    """What the forms are built for, by the name of the keyword that takes it."""
    section = SectionFactory()
    question = QuestionFactory(section=section, kind=Question.Kind.FREE_TEXT)
    group = factories.WorkingGroupFactory()
    return {
        "section": section,
        "questions": [question],
        "question": question,
        "groups": WorkingGroup.objects.all(),
        "processes": Process.objects.all(),
        "group": group,
        "meeting": MeetingFactory(),
        "concern": ConcernFactory(group=group),
        "allowed": list(Proposal.Status.values),
        "documents": Document.objects.none(),
        "user": participant,
        "request": _request_with_session(participant),
        "authenticator": None,  # allauth.mfa's form to turn an app off: no text
        "code": "ABC123",
    }


def build(form_class: type[forms.BaseForm], data: dict, objects: dict) -> forms.BaseForm:
    wanted = _wanted_keywords(form_class)
    return form_class(data=data, **{k: v for k, v in objects.items() if k in wanted})


def _text_fields(form: forms.BaseForm) -> list[str]:
    """UUID and JSON fields are CharFields that parse what they are given: anything that
    is not a UUID or JSON is refused before any text rule runs."""
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, forms.UUIDField | forms.JSONField)
    ]


def _codes(form: forms.BaseForm, name: str) -> list[str]:
    return [error.code for error in form.errors.as_data().get(name, [])]


def test_the_search_finds_the_forms_of_every_app_and_of_allauth():
    names = {f"{cls.__module__}.{cls.__name__}" for cls in ALL_FORMS}
    assert {
        "consultation.forms.SectionForm",
        "consultation.forms.AboutYouForm",
        "documents.forms.RestrictionForm",
        "meetings.forms.NotesForm",
        "workinggroups.forms.ProposalForm",
        "policyhub.forms.ProfileForm",
        "allauth.account.forms.SignupForm",
        "policyhub.account_forms.LoginForm",
        "policyhub.account_forms.ChangePasswordForm",
    } <= names
    assert len(ALL_FORMS) >= 60


def test_every_form_a_page_uses_is_built_on_the_rule():
    """A form with no fields at all (a bare confirmation button) has no text to check."""
    outside = [
        f"{url_name}: {form_class.__module__}.{form_class.__qualname__}"
        for url_name, form_class in _views_forms()
        if not issubclass(form_class, RefusesControlCharacters) and form_class.base_fields
    ]
    assert not outside, "\n".join(outside)


@pytest.mark.parametrize("form_class", ALL_FORMS, ids=lambda cls: cls.__qualname__)
def test_every_text_field_refuses_control_characters_and_accepts_tabs_and_new_lines(
    form_class, objects
):
    """Each field is checked with plain text in the form's other text fields, inside a
    request as allauth's forms expect."""
    with context.request_context(objects["request"]):
        text_fields = _text_fields(build(form_class, {}, objects))
        plain = dict.fromkeys(text_fields, "Plain text")
        for name in text_fields:
            _check_field(form_class, name, plain, objects)


def _check_field(form_class, name: str, plain: dict, objects: dict) -> None:
    for value in REFUSED:
        form = build(form_class, {**plain, name: value}, objects)
        assert not form.is_valid()
        assert _codes(form, name) == [CODE], (name, value, form.errors.get(name))
        message = form.errors[name][0]
        assert "must not contain invisible control characters" in message
        assert not message.startswith("This field"), message
    form = build(form_class, {**plain, name: ACCEPTED}, objects)
    form.is_valid()
    assert CODE not in _codes(form, name), (name, form.errors.get(name))


def test_a_field_is_named_by_its_label_or_by_the_question_it_asks():
    assert field_subject("Your name") == "Your name"
    assert field_subject("Organisation (optional)") == "Organisation"
    assert field_subject("Why is the meeting cancelled?") == (
        "The answer to “Why is the meeting cancelled?”"
    )
    assert field_subject("Describe your concern") == "The answer to “Describe your concern”"


def test_a_password_is_asked_for_again_not_checked():
    """A password is never drawn again, so there is nothing left to check."""
    form = import_string(settings.ACCOUNT_FORMS["login"])(data={"password": "se\x1bcret"})
    assert not form.is_valid()
    assert form.errors["password"] == [
        "Password must not contain invisible control characters. Type it again without them"
    ]


def test_a_refused_field_is_drawn_again_without_its_control_characters(objects):
    from consultation.forms import AboutYouForm

    form = AboutYouForm(data={"name": "Ann\x00 Lee\x1b", "email": "ann@exa\x1bmple.org"})
    assert not form.is_valid()
    assert form["name"].value() == "Ann Lee"
    assert form.errors["email"] == [
        "Email address must not contain invisible control characters. "
        "We have removed them: check the text and try again"
    ]
    assert 'value="ann@example.org"' in str(form["email"])


def test_the_rule_removes_exactly_the_control_characters():
    everything = "".join(chr(n) for n in range(0x100))
    kept = without_control_characters(everything)
    assert kept == "\t\n\r" + "".join(chr(n) for n in range(0x20, 0x7F)) + everything[0xA0:]
    assert not has_control_characters(kept)


# --- The pages --------------------------------------------------------------------------


def _url(name: str, consultation, **kwargs) -> str:
    return reverse(f"consultation:{name}", kwargs={"slug": consultation.slug, **kwargs})


@pytest.fixture
def draft(client, consultation) -> Response:
    client.post(_url("start", consultation))
    return Response.objects.latest("pk")


def _no_control_characters_in(html: str) -> bool:
    return not has_control_characters(html)


def test_an_answer_with_a_nul_is_refused_on_its_page_and_kept_without_it(
    client, consultation, draft
):
    section = SectionFactory(consultation=consultation, number=1)
    question = QuestionFactory(section=section, number=3, kind=Question.Kind.FREE_TEXT)
    field = f"q{question.pk}"

    page = client.post(
        _url("section", consultation, number=1), {field: "Keep a\x00 public\x1b register."}
    )

    assert page.status_code == 200
    html = page.content.decode()
    message = (
        "Answer to question 1.3 must not contain invisible control characters. "
        "We have removed them: check the text and try again"
    )
    assert f'<a href="#id_{field}">{message}</a>' in html  # the error summary names it
    assert f'id="id_{field}-error"' in html  # and so does the message by the field
    assert "Keep a public register.</textarea>" in html
    assert _no_control_characters_in(html)
    answer = Answer.objects.get(response=draft, question=question)
    assert answer.text == "Keep a public register."


def test_save_and_come_back_later_keeps_an_answer_without_its_nul(client, consultation, draft):
    section = SectionFactory(consultation=consultation, number=1)
    question = QuestionFactory(section=section, number=1, kind=Question.Kind.FREE_TEXT)
    choice = QuestionFactory(
        section=section, number=2, kind=Question.Kind.MULTIPLE_CHOICE, options="Yes\nNo"
    )

    page = client.post(
        _url("section", consultation, number=1),
        {f"q{question.pk}": "Ann\x00", f"q{choice.pk}": ["Yes\x00"], "action": "save-later"},
    )

    assert page.status_code == 302
    answers = draft.answers_by_question()
    assert answers[question.pk].text == "Ann"
    assert answers[choice.pk].selected == ["Yes"]


@pytest.mark.parametrize(
    ("field", "label"),
    [("name", "Your name"), ("organisation_name", "Organisation name"), ("email", "Email address")],
)
def test_about_you_with_a_nul_is_refused_and_kept_without_it(
    client, consultation, draft, field, label
):
    typed = {"name": "Ann Lee", "organisation_name": "Warm Homes", "email": "ann@example.org"}
    data = {"respondent_type": "organisation", "publication": "anonymous", **typed}
    data[field] = data[field][:3] + "\x00" + data[field][3:]

    page = client.post(_url("about-you", consultation), data)

    assert page.status_code == 200
    html = page.content.decode()
    message = f"{label} must not contain invisible control characters."
    assert f'<a href="#id_{field}">{message}' in html
    assert f'value="{typed[field]}"' in html
    assert _no_control_characters_in(html)
    draft.refresh_from_db()
    assert getattr(draft, field) == typed[field]


def test_sign_up_refuses_a_name_with_control_characters(client):
    page = client.post(
        reverse("account_signup"),
        {
            "email": "ann@example.org",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
            "display_name": "Ann\x1b Lee",
            "sector": "public",
        },
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your name must not contain invisible control characters." in html
    assert 'value="Ann Lee"' in html
    assert _no_control_characters_in(html)


def test_sign_in_refuses_an_email_address_with_a_nul(client):
    page = client.post(reverse("account_login"), {"login": "ann@\x00example.org", "password": "x"})
    assert page.status_code == 200
    assert "Email must not contain invisible control characters." in page.content.decode()

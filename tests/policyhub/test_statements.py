"""The accessibility statement, cookies page and privacy notice: linked from every page, their
facts taken from the operator's settings, and the cookies page true to the cookies the site
actually sets on its main journeys."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests import form_states, pages

pytestmark = pytest.mark.django_db

OPEN = pages.OPEN_CONSULTATION


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def text_of(response) -> str:
    """The page's words, tags removed and spaces collapsed, as a person reads them."""
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- Cookies --------------------------------------------------------------------------------


class CookieJournal:
    """Every cookie name the site sends a value for, over every response seen."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def note(self, response):
        for name, morsel in response.cookies.items():
            if morsel.value:
                self.names.add(name)
        return response

    def get(self, client: Client, path: str, **kwargs):
        return self.note(client.get(path, **kwargs))

    def post(self, client: Client, path: str, data: dict | None = None):
        return self.note(client.post(path, data or {}))


def browse_as_the_public(journal: CookieJournal, client: Client) -> None:
    for entry in pages.public_pages():
        journal.get(client, entry.path)


def sign_in(journal: CookieJournal, client: Client, email: str, password: str) -> None:
    journal.get(client, reverse("account_login"))
    response = journal.post(
        client, reverse("account_login"), {"login": email, "password": password}
    )
    assert response.status_code == 302, "the demo account could not sign in"
    journal.get(client, response["Location"])


def respond_with_save_and_return(journal: CookieJournal, django_capture_on_commit_callbacks):
    """Start, save for later, come back from the emailed link in another browser, send."""
    url = lambda name, **kw: reverse(f"consultation:{name}", kwargs={"slug": OPEN, **kw})  # noqa: E731
    first = Client()
    journal.get(first, url("detail"))
    journal.post(first, url("start"))
    journal.post(
        first,
        url("about-you"),
        {"respondent_type": "individual", "publication": "none", "email": "ann@example.org"},
    )
    choice = form_states._open_question_pks()[0]
    journal.post(first, url("section", number=1), {f"q{choice}": "Data ethics"})
    with django_capture_on_commit_callbacks(execute=True):
        journal.post(first, url("save-for-later"), {"email": "ann@example.org"})
    body = mail.outbox[-1].body
    link = next(line for line in body.splitlines() if "/resume/" in line).strip()
    second = Client()
    opened = journal.get(second, link.replace("http://testserver", ""))
    assert opened.status_code == 302, "the save-and-return link did not open the response"
    journal.get(second, url("check"))
    sent = journal.post(second, url("check"), {"website": ""})
    assert sent.status_code == 302, "the response was not sent"
    journal.get(second, sent["Location"])


def act_as_convenor(journal: CookieJournal, client: Client) -> None:
    """A convenor updates a task of their group: the confirmation is a flash message."""
    path = reverse("workinggroups:task-edit", kwargs=pages.active_task_kwargs()[0])
    journal.get(client, path)
    done = journal.post(client, path, {"status": "in_progress", "summary": "Under way."})
    assert done.status_code == 302, "the convenor could not update the task"
    assert "The task has been updated." in text_of(journal.get(client, done["Location"]))


def choose_a_language(journal: CookieJournal, client: Client) -> None:
    """Where the site offers a choice of language, choosing one is part of the journeys."""
    try:
        path = reverse("set_language")
    except NoReverseMatch:
        return
    journal.post(client, path, {"language": "cy", "next": "/"})


def cookies_listed(client: Client) -> set[str]:
    html = client.get(reverse("cookies")).content.decode()
    table = html.split('id="essential-cookies"', 1)[1].split("</table>", 1)[0]
    return set(re.findall(r"<code>([^<]+)</code>", table))


def test_the_cookies_page_lists_exactly_the_cookies_the_main_journeys_set(
    demo, django_capture_on_commit_callbacks
):
    journal = CookieJournal()
    public = Client()
    browse_as_the_public(journal, public)
    choose_a_language(journal, public)
    respond_with_save_and_return(journal, django_capture_on_commit_callbacks)
    convenor = Client()
    sign_in(journal, convenor, "convenor@demo.policyhub.test", "demo-convenor-2014")
    act_as_convenor(journal, convenor)
    journal.post(convenor, reverse("account_logout"))

    listed = cookies_listed(Client())
    assert journal.names, "the journeys set no cookie at all"
    assert journal.names - listed == set(), "set by the site but missing from the cookies page"
    assert listed - journal.names == set(), "on the cookies page but never set by the site"


def test_each_cookie_is_named_and_timed_from_the_settings(client, settings):
    settings.SESSION_COOKIE_NAME = "ph_session"
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 7 * 3
    settings.CSRF_COOKIE_NAME = "ph_csrf"
    settings.CSRF_COOKIE_AGE = 60 * 60 * 24 * 30
    page = text_of(client.get(reverse("cookies")))
    assert "ph_session" in page and "3 weeks if you ask to be remembered" in page
    assert "ph_csrf" in page and "30 days" in page
    assert "sessionid" not in page and "csrftoken" not in page


def test_the_language_cookie_is_listed_while_the_site_offers_a_choice_of_language(client, settings):
    settings.LANGUAGE_COOKIE_NAME = "ph_language"
    settings.LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
    page = text_of(client.get(reverse("cookies")))
    assert "ph_language Remembers the language you chose for the site. 1 year" in page
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "django.middleware.locale.LocaleMiddleware"
    ]
    assert "ph_language" not in text_of(client.get(reverse("cookies")))


def test_no_messages_cookie_is_listed_when_messages_are_kept_in_the_session(client, settings):
    assert "messages" in cookies_listed(client)
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    assert "messages" not in cookies_listed(client)


def test_the_cookies_page_says_no_analytics_cookies_are_set(client):
    assert "We do not use cookies to collect analytics" in text_of(client.get(reverse("cookies")))


# --- Footer ---------------------------------------------------------------------------------


def test_every_page_links_to_the_accessibility_cookies_and_privacy_pages_in_its_footer(
    demo, client
):
    wanted = {
        "Accessibility statement": reverse("accessibility"),
        "Cookies": reverse("cookies"),
        "Privacy": reverse("privacy"),
        "Terms of reference": reverse("process:terms-latest"),
        "About the process": reverse("process:about"),
    }
    missing = []
    for entry in pages.public_pages():
        footer = client.get(entry.path).content.decode().split("<footer", 1)[1]
        links = {
            text: href
            for href, text in re.findall(
                r'<a class="govuk-footer__link" href="([^"]+)">([^<]+)</a>', footer
            )
        }
        missing += [
            f"{entry.path}: {text}" for text, href in wanted.items() if links.get(text) != href
        ]
    assert not missing, missing


# --- Accessibility statement ----------------------------------------------------------------


def test_the_accessibility_statement_states_the_operators_facts(client, settings):
    settings.ORGANISATION_NAME = "Department for Open Policy"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@open-policy.example"
    settings.ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 3, 1)
    settings.ACCESSIBILITY_STATEMENT_REVIEWED = date(2026, 9, 14)
    settings.ACCESSIBILITY_LAST_TESTED = date(2026, 9, 10)
    settings.ACCESSIBILITY_TESTED_BY = "an accessibility audit company"
    settings.ACCESSIBILITY_KNOWN_ISSUES = ["The meeting map has no text alternative."]
    page = text_of(client.get(reverse("accessibility")))
    assert "run by Department for Open Policy" in page
    assert "email access@open-policy.example" in page
    assert (
        "This statement was prepared on 1 March 2026. It was last reviewed on 14 September 2026."
        in page
    )
    assert (
        "last tested on 10 September 2026. "
        "The test was carried out by an accessibility audit company." in page
    )
    assert "The meeting map has no text alternative." in page
    assert "Last updated 14 September 2026" in page


WCAG = "compliant with the Web Content Accessibility Guidelines version 2.2 AA standard"


@pytest.mark.parametrize(
    "status, sentence",
    [
        ("full", f"This website is fully {WCAG}."),
        ("partial", f"This website is partially {WCAG}, due to the non-compliances listed below."),
        ("not", f"This website is not {WCAG}. The non-accessible sections are listed below."),
    ],
)
def test_the_accessibility_statement_gives_the_compliance_status_set(
    client, settings, status, sentence
):
    settings.ACCESSIBILITY_COMPLIANCE = status
    assert sentence in text_of(client.get(reverse("accessibility")))


def test_the_accessibility_statement_gives_the_enforcement_procedure_and_how_it_was_tested(
    client,
):
    page = text_of(client.get(reverse("accessibility")))
    assert "Equality and Human Rights Commission (EHRC)" in page
    assert "Equality Advisory and Support Service (EASS)" in page
    assert "Equality Commission for Northern Ireland (ECNI)" in page
    assert "axe-core accessibility checker" in page
    assert "Nu Html Checker" in page
    assert "has not yet been tested with screen readers" in page


# --- Privacy notice -------------------------------------------------------------------------


def test_the_privacy_notice_names_the_controller_and_data_protection_officer(client, settings):
    settings.ORGANISATION_NAME = "Department for Open Policy"
    settings.DATA_PROTECTION_OFFICER = "Departmental Data Protection Officer"
    settings.DATA_PROTECTION_OFFICER_EMAIL = "dpo@open-policy.example"
    settings.ICO_REGISTRATION_NUMBER = "Z1234567"
    page = text_of(client.get(reverse("privacy")))
    assert "Department for Open Policy is the data controller" in page
    assert "(ICO) is Z1234567" in page
    assert "contact the Departmental Data Protection Officer at dpo@open-policy.example" in page


def test_the_privacy_notice_gives_the_retention_periods_the_site_applies(client, settings):
    settings.CONSULTATION_RETENTION_DAYS = 90
    settings.CONSULTATION_RESUME_LINK_DAYS = 5
    settings.SERVER_LOG_RETENTION_DAYS = 45
    settings.BACKUP_RETENTION_DAYS = 21
    page = text_of(client.get(reverse("privacy")))
    assert "deleted 90 days after the consultation closes" in page
    assert "stops working after 5 days" in page
    assert "Server logs: 45 days." in page
    assert "Backups: 21 days." in page


def test_the_privacy_notice_gives_the_lawful_basis_and_the_route_to_complain(client, settings):
    settings.ICO_COMPLAINTS_URL = "https://ico.example/complain/"
    response = client.get(reverse("privacy"))
    page = text_of(response)
    assert "public task, Article 6(1)(e)" in page
    assert 'href="https://ico.example/complain/"' in response.content.decode()


def test_the_privacy_notice_sends_people_to_download_or_delete_their_data_themselves(client):
    html = client.get(reverse("privacy")).content.decode()
    assert html.count(f'href="{reverse("your_data")}"') == 3  # keeping, a copy, deleting


def test_each_consultations_privacy_notice_links_to_the_site_wide_one(demo, client):
    html = client.get(reverse("consultation:detail", kwargs={"slug": OPEN})).content.decode()
    # Straight after the consultation's own notice, outside its closed details, so the link
    # is reached by Tab without opening them.
    following = html.split("Privacy notice</span>", 1)[1].split("</details>", 1)[1]
    assert f'href="{reverse("privacy")}"' in following.split("</p>", 1)[0]

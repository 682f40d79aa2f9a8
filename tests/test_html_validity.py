"""Every page's HTML is valid according to the Nu Html Checker (vnu.jar)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import form_states, pages
from tests.tools import vnu_command

pytestmark = pytest.mark.django_db


def error_states(client) -> dict[str, str]:
    """Forms submitted empty: the error summary and messages must be valid HTML too."""
    return {
        "signup-errors": client.post(reverse("account_signup"), {}).content.decode(),
        "login-errors": client.post(reverse("account_login"), {}).content.decode(),
        "reset-errors": client.post(reverse("account_reset_password"), {}).content.decode(),
    }


def pages_outside_the_catalogue(client) -> dict[str, str]:
    """Pages the catalogue cannot open by address: shown after an action or for a refusal."""
    client.logout()
    open_slug = pages.OPEN_CONSULTATION
    found = {
        "not-found": client.get("/documents/correspondence-with-data-supplier/"),
        "consultation-closed": client.post(
            reverse("consultation:start", kwargs={"slug": pages.RUN_CONSULTATION})
        ),
        "resume-link-invalid": client.get(
            reverse("consultation:resume", kwargs={"slug": open_slug, "token": "no-such-token"})
        ),
    }
    pages.begin_response(client)
    choice = form_states._open_question_pks()[0]
    client.post(
        reverse("consultation:about-you", kwargs={"slug": open_slug}),
        {"respondent_type": "individual", "publication": "none", "email": "a@example.org"},
    )
    client.post(
        reverse("consultation:section", kwargs={"slug": open_slug, "number": 1}),
        {f"q{choice}": "Data ethics"},
    )
    found["response-sent"] = client.post(
        reverse("consultation:check", kwargs={"slug": open_slug}), {"website": ""}, follow=True
    )
    statuses = {label: response.status_code for label, response in found.items()}
    assert statuses == {
        "not-found": 404,
        "consultation-closed": 403,
        "resume-link-invalid": 404,
        "response-sent": 200,
    }
    assert b"Response sent" in found["response-sent"].content
    return {label: response.content.decode() for label, response in found.items()}


def test_every_page_is_valid_html(client, participant):
    command = vnu_command()
    call_command("load_demo", verbosity=0)
    users = pages.role_users(participant)
    documents: dict[str, str] = {}
    for page in pages.html_pages():
        pages.sign_in_client_as(client, page.role, users)
        documents[str(page)] = client.get(page.path).content.decode()
    client.logout()
    documents.update(error_states(client))
    client.force_login(participant)
    documents["profile-errors"] = client.post(reverse("profile"), {}).content.decode()
    with_errors, without_errors = form_states.error_pages(client, users)
    assert not without_errors, "\n".join(without_errors)
    assert len(with_errors) >= 30
    documents.update(with_errors)
    documents.update(pages_outside_the_catalogue(client))

    assert len(documents) >= 15
    errors = checker_errors(command, documents)
    assert not errors, "\n".join(errors)


def checker_errors(command: list[str], documents: dict[str, str]) -> list[str]:
    """The checker's errors in `documents` (label -> HTML), each naming its page."""
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for index, (label, html) in enumerate(documents.items()):
            path = Path(folder) / f"page{index}.html"
            path.write_text(html)
            files[str(path)] = label
        result = subprocess.run(
            [*command, "--errors-only", "--format", "json", "--stdout", *files],
            capture_output=True,
            text=True,
            timeout=300,
        )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    return [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))} "
        f"line {m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]


def test_the_consultation_journey_in_welsh_is_valid_html(client):
    """The Welsh pages carry texts of their own (the switcher, the character count's
    messages), so they are checked too, errors included."""
    command = vnu_command()
    call_command("load_demo", verbosity=0)
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    slug = pages.OPEN_CONSULTATION

    def at(name: str, **kwargs) -> str:
        return reverse(f"consultation:{name}", kwargs={"slug": slug, **kwargs})

    documents = {"cy-home": client.get("/").content.decode()}
    documents["cy-detail"] = client.get(at("detail")).content.decode()
    pages.begin_response(client)
    documents["cy-about-you-errors"] = client.post(at("about-you"), {}).content.decode()
    client.post(
        at("about-you"),
        {"respondent_type": "individual", "publication": "none", "email": "a@example.org"},
    )
    choice = form_states._open_question_pks()[0]
    documents["cy-section"] = client.get(at("section", number=1)).content.decode()
    client.post(at("section", number=1), {f"q{choice}": "Data ethics"})
    documents["cy-check"] = client.get(at("check")).content.decode()
    documents["cy-save-errors"] = client.post(at("save-for-later"), {}).content.decode()
    documents["cy-new-link"] = client.get(at("new-link")).content.decode()
    sent = client.post(at("check"), {"website": ""}, follow=True)
    documents["cy-response-sent"] = sent.content.decode()
    assert all('<html lang="cy"' in html for html in documents.values())
    assert "Ymateb wedi" in documents["cy-response-sent"]
    errors = checker_errors(command, documents)
    assert not errors, "\n".join(errors)


def test_the_checker_itself_reports_invalid_html(tmp_path):
    """Guards against a checker that silently passes everything."""
    command = vnu_command()
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html lang=en><title>x</title><p id=a></p><p id=a></p>")
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", "--stdout", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stdout)["messages"]
    assert any("Duplicate ID" in m["message"] for m in messages)

"""`load_demo` loads the seed's process and is idempotent."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from process.models import Process
from workinggroups.models import WorkingGroup

pytestmark = pytest.mark.django_db

DEMO_APPS = {"policyhub", "process", "workinggroups", "meetings", "documents", "consultation"}


def snapshot() -> dict[str, list[dict]]:
    """Every row of every project model, every column, timestamps included."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in DEMO_APPS | {"account"}
    }


def test_load_demo_twice_leaves_the_same_rows():
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_demo_holds_both_processes_of_the_seed_with_their_steps():
    call_command("load_demo", verbosity=0)
    original = Process.objects.get(slug="data-sharing-2014")
    reconvened = Process.objects.get(slug="data-sharing-reconvened-2016")
    assert original.steps.count() == 4
    assert reconvened.steps.count() == 2
    assert "Chatham House Rule" in original.terms_of_reference
    assert set(WorkingGroup.objects.values_list("name", flat=True)) >= {
        "Research & Statistics",
        "Fraud, Error & Debt",
        "Tailored Public Services for Individuals",
    }


def test_demo_accounts_can_sign_in(client):
    from process.demo import DEMO_PASSWORDS

    call_command("load_demo", verbosity=0)
    for email, password in DEMO_PASSWORDS.items():
        client.logout()
        response = client.post("/accounts/login/", {"login": email, "password": password})
        assert response.status_code == 302, email

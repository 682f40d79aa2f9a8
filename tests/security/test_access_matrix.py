"""The access matrix over every URL pattern: see tests/security/matrix.py."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from tests import factories, pages
from tests.security import matrix

ADMIN_PREFIX = "admin:"


def test_every_url_pattern_has_a_matrix_entry():
    names = {name for name in pages.url_pattern_names() if not name.startswith(ADMIN_PREFIX)}
    missing = sorted(names - matrix.ENTRIES.keys())
    assert not missing, f"Add these URL names to tests/security/matrix.py ENTRIES: {missing}"
    stale = sorted(matrix.ENTRIES.keys() - names)
    assert not stale, f"These matrix entries name no URL pattern: {stale}"


class People:
    """One account per role, relative to a scope (a group or a consultation)."""

    def __init__(self):
        from workinggroups.models import WorkingGroup

        self._cache: dict = {}
        self.groups = list(WorkingGroup.objects.order_by("pk"))
        self.secretariat = factories.SecretariatMemberFactory().user
        self.superuser = factories.UserFactory(is_superuser=True, is_staff=True)
        self.participant = factories.UserFactory()

    def _other_group(self, slug):
        return next(g for g in self.groups if g.slug != slug)

    def _group(self, slug):
        return next(g for g in self.groups if g.slug == (slug or matrix.ACTIVE))

    def _consultation(self, slug):
        from consultation.models import Consultation

        return Consultation.objects.get(slug=slug or matrix.RUN)

    def _other_consultation(self, slug):
        from consultation.models import Consultation

        return Consultation.objects.exclude(slug=slug or matrix.RUN).order_by("pk").first()

    def get(self, role: str, scope: matrix.Scope):
        key = (role, scope)
        if key in self._cache:
            return self._cache[key]
        match role:
            case "anonymous":
                user = None
            case "participant" | "secretariat" | "superuser":
                user = getattr(self, role)
            case "member" | "convenor":
                user = factories.MembershipFactory(group=self._group(scope.group), role=role).user
            case "other_member" | "other_convenor":
                user = factories.MembershipFactory(
                    group=self._other_group(scope.group or matrix.ACTIVE),
                    role=role.removeprefix("other_"),
                ).user
            case "analyst":
                user = factories.AnalystFactory(
                    consultation=self._consultation(scope.consultation)
                ).user
            case "other_analyst":
                user = factories.AnalystFactory(
                    consultation=self._other_consultation(scope.consultation)
                ).user
        self._cache[key] = user
        return user


def probe(client, people, name: str, entry: matrix.Entry, role: str, method: str) -> str:
    kwargs = entry.kwargs()
    path = reverse(name, kwargs=kwargs)
    scope = entry.scope(kwargs)
    client.logout()
    user = people.get(role, scope)
    if user is not None:
        client.force_login(user)
    if entry.setup:
        entry.setup(client)
    with transaction.atomic():
        response = client.get(path) if method == "get" else client.post(path, {})
        transaction.set_rollback(True)  # one probe's POST never changes the next one's world
    return matrix.observed(response)


@pytest.mark.django_db
@pytest.mark.parametrize("role", matrix.ROLES)
def test_access_matrix(client, role):
    call_command("load_demo", verbosity=0)
    people = People()
    wrong = []
    for name, entry in sorted(matrix.ENTRIES.items()):
        for method in ("get", "post"):
            want = matrix.expected(entry, method, role)
            got = probe(client, people, name, entry, role, method)
            if got != want:
                wrong.append(f"{method.upper()} {name} as {role}: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)

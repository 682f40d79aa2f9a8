"""The access matrix over every URL pattern: see tests/security/matrix.py."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from policyhub.models import User
from tests import factories, pages
from tests.security import admin_matrix, matrix

ADMIN_PREFIX = "admin:"  # the admin has its own table: tests/security/admin_matrix.py


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
        # Staff outside the secretariat, allowed to look at everything in the admin.
        self.staff = factories.UserFactory(is_staff=True)
        self.staff.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))

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
            case "participant" | "secretariat" | "superuser" | "staff":
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
            case "convenor_and_other_member" | "member_and_other_convenor":
                here, there = role.split("_and_other_")
                user = factories.MembershipFactory(group=self._group(scope.group), role=here).user
                factories.MembershipFactory(
                    group=self._other_group(scope.group or matrix.ACTIVE), user=user, role=there
                )
            case "shared_reader":
                user = User.objects.get(email=matrix.SHARED_READER_EMAIL)
            case "analyst_of_both":
                user = factories.AnalystFactory(
                    consultation=self._consultation(scope.consultation)
                ).user
                factories.AnalystFactory(
                    consultation=self._other_consultation(scope.consultation), user=user
                )
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


# --- what each role receives -------------------------------------------------------------------


def test_every_receiving_entry_names_a_url_pattern():
    names = set(pages.url_pattern_names())
    unknown = sorted(key for key in matrix.RECEIVES if key.split(" ")[0] not in names)
    assert not unknown, f"These RECEIVES entries name no URL pattern: {unknown}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", matrix.RECEIVING_ROLES)
def test_what_each_role_receives(client, role):
    """Each page of matrix.RECEIVES hands this role exactly the texts (titles, rows, items)
    the table gives it, and as many rows as texts where the page counts its rows; a page
    that broke, or that shows one row too many, fails like one that shows a withheld title."""
    call_command("load_demo", verbosity=0)
    matrix.build_world()
    people = People()
    user = people.get(role, matrix.Scope())
    if user is not None:
        client.force_login(user)
    wrong = []
    for name, entry in sorted(matrix.RECEIVES.items()):
        response = client.get(entry.path())
        got, want = matrix.observed(response), entry.outcome(role)
        if got != want:
            wrong.append(f"{name} as {role}: expected {want}, got {got}")
            continue
        page = response.content.decode(errors="replace")
        texts = entry.texts()
        shown = {text for text in texts if matrix.appears(text, page)}
        if shown != entry.received(role):
            wrong.append(
                f"{name} as {role}: shows {sorted(shown)}, should show "
                f"{sorted(entry.received(role))}"
            )
        if entry.rows and got == "ok" and entry.rows(page) != len(entry.received(role)):
            wrong.append(
                f"{name} as {role}: {entry.rows(page)} rows for "
                f"{len(entry.received(role))} texts it may receive"
            )
    assert not wrong, "\n".join(wrong)


# --- the admin --------------------------------------------------------------------------------


def test_every_admin_url_name_has_a_matrix_entry():
    unsampled = sorted(admin_matrix.registered_labels() - admin_matrix.MODELS.keys())
    assert not unsampled, f"Add these admin models to tests/security/admin_matrix.py: {unsampled}"
    names = admin_matrix.admin_url_names()
    entries = admin_matrix.entries()
    missing = sorted(names - entries.keys())
    assert not missing, f"Add these admin URL names to tests/security/admin_matrix.py: {missing}"
    stale = sorted(entries.keys() - names)
    assert not stale, f"These admin matrix entries name no URL pattern: {stale}"


def _snapshot(entry: admin_matrix.AdminEntry, pk) -> tuple:
    """The model's row count and the sampled row, as the database has them."""
    if entry.label is None:
        return ()
    model = apps.get_model(entry.label)
    return model._default_manager.count(), list(model._default_manager.filter(pk=pk).values())


@pytest.mark.django_db
@pytest.mark.parametrize("role", admin_matrix.ROLES)
def test_admin_access_matrix(client, role):
    """Every admin URL name (230 today) x 11 roles x GET/POST. A POST (the delete
    confirmation, the delete action on the list, an empty form) by anyone but a superuser
    allowed to make it leaves the model's row count and the sampled row as they were, and a
    refusal never shows the sampled object."""
    call_command("load_demo", verbosity=0)
    people = People()
    user = people.get(role, matrix.Scope())
    wrong = []
    for name, entry in sorted(admin_matrix.entries().items()):
        path = entry.path()
        obj = entry.sample() if entry.sample else None
        sample = str(obj) if obj else None
        for method in ("get", "post"):
            want = admin_matrix.expected(entry, method, role)
            if user is not None and "_auth_user_id" not in client.session:
                client.force_login(user)  # again after the admin's sign-out
            with transaction.atomic():
                before = _snapshot(entry, obj and obj.pk)
                if method == "get":
                    response = client.get(path)
                else:
                    response = client.post(path, entry.post_data())
                after = _snapshot(entry, obj and obj.pk)
                transaction.set_rollback(True)
            got = admin_matrix.observed(response)
            where = f"{method.upper()} {name} as {role}"
            if got != want:
                wrong.append(f"{where}: expected {want}, got {got}")
            may_write = role == "superuser" and want == "ok"
            if method == "post" and not may_write and before != after:
                wrong.append(f"{where}: a refused POST changed {entry.label}")
            if want != "ok" and sample and sample in response.content.decode(errors="replace"):
                wrong.append(f"{where}: the refusal shows {sample!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "label", [label for label, spec in admin_matrix.MODELS.items() if spec.hidden_from_staff]
)
def test_admin_lists_hide_from_staff_what_the_site_hides_from_them(client, label):
    """A staff account outside the secretariat, with every view permission, must not find a
    restricted document, draft notes, a concern or a response in the admin's lists; the
    superuser's list does show the same row, so the probe is real."""
    call_command("load_demo", verbosity=0)
    people = People()
    spec = admin_matrix.MODELS[label]
    sample = spec.sample()
    changelist = reverse(admin_matrix.model_url_name(label, "changelist"))
    link = reverse(admin_matrix.model_url_name(label, "change"), args=[sample.pk])
    shown = {}
    for role in ("superuser", "staff"):
        client.force_login(people.get(role, matrix.Scope()))
        response = client.get(changelist, {"all": ""})
        assert response.status_code == 200, (role, response.status_code)
        shown[role] = link in response.content.decode()
    assert shown == {"superuser": True, "staff": False}
